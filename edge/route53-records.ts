import * as route53 from "@pulumi/aws/route53";
import { EdgeRecordArgs } from "./edge-record";

/**
 * Route53 weighted records: one per environment with traffic, all under the edge name, each with
 * the environment as its set identifier (so a move changes weights in place, never a record's
 * identity) and its percent as its weight. Each waits for the gate.
 */
export function route53Records(args: EdgeRecordArgs): route53.Record[] {
  return Object.entries(args.targets).map(
    ([environment, { target, weight }]) =>
      new route53.Record(
        `edge-${environment}`,
        {
          zoneId: args.zoneId as string,
          name: `${args.record}.${args.domain}`,
          type: target.recordType,
          ttl: args.ttlSeconds,
          records: [target.host],
          setIdentifier: environment,
          weightedRoutingPolicies: [{ weight }],
        },
        { dependsOn: [args.gate] },
      ),
  );
}
