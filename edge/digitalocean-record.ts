import * as digitalocean from "@pulumi/digitalocean";
import { EdgeRecordArgs } from "./edge-record";

/**
 * The DigitalOcean edge record: one record under the edge name (DigitalOcean DNS has no weights,
 * so it points at the one active environment), an alias to its host (a fully qualified name,
 * ending in a dot) or an A record to its address. It waits for the gate.
 */
export function digitalOceanRecord(args: EdgeRecordArgs): digitalocean.DnsRecord[] {
  return Object.values(args.targets).map(
    ({ target }) =>
      new digitalocean.DnsRecord(
        `edge-${args.record}`,
        {
          domain: args.domain,
          name: args.record,
          type: target.recordType,
          value: target.recordType === "CNAME" ? `${target.host}.` : target.host,
          ttl: args.ttlSeconds,
        },
        { dependsOn: [args.gate] },
      ),
  );
}
