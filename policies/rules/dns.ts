import { DO, SWITCHABLE_DNS_TYPES } from "../platform";
import { ResourceRule } from "../subject";

/** Records that switch between endpoints expire quickly. */
export const dnsTtlBounded: ResourceRule = {
  kind: "resource",
  name: "switchable-dns-ttl-bounded",
  description:
    "A, AAAA and CNAME records must have a TTL of at most `maxTtlSeconds` (default 300), so " +
    "that moving an endpoint reaches clients quickly. An unset TTL is DigitalOcean's 1800.",
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
    if (subject.type !== DO.dnsRecord) return [];
    if (!SWITCHABLE_DNS_TYPES.includes(String(subject.props.type))) return [];
    const ttl = typeof subject.props.ttl === "number" ? subject.props.ttl : 1800;
    const max = config.maxTtlSeconds ?? 300;
    if (ttl <= max) return [];
    return [
      `${subject.type} ${subject.name} has TTL ${ttl}s; switchable records need a TTL of at most ${max}s`,
    ];
  },
};
