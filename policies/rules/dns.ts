import { factsOf, SWITCHABLE_DNS_TYPES } from "../facts";
import { ResourceRule } from "../subject";

/** Records that switch between endpoints expire quickly. */
export const dnsTtlBounded: ResourceRule = {
  kind: "resource",
  name: "switchable-dns-ttl-bounded",
  description:
    "A, AAAA, CNAME and ALIAS records must have a TTL of at most `maxTtlSeconds` (default 300), " +
    "so that moving an endpoint reaches clients quickly. An unset TTL counts as the platform's " +
    "default.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      maxTtlSeconds: {
        type: "integer",
        default: 300,
        minimum: 30,
        description: "Longest TTL allowed on a switchable record.",
      },
    },
  },
  check(subject, config) {
    const record = factsOf(subject.type)?.dnsRecord;
    if (record === undefined) return [];
    if (!SWITCHABLE_DNS_TYPES.includes(record.recordType(subject.props))) return [];
    const ttl = record.ttlSeconds(subject.props);
    const max = config.maxTtlSeconds ?? 300;
    if (ttl <= max) return [];
    return [
      `${subject.type} ${subject.name} has TTL ${ttl}s; switchable records need a TTL of at most ${max}s`,
    ];
  },
};
