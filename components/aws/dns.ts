import * as route53 from "@pulumi/aws/route53";
import * as pulumi from "@pulumi/pulumi";
import { fqdn } from "../core/compose-stack";
import { Address } from "../core/platform/platform";

/** One record of a {@link Dns}. */
export interface DnsRecordSpec {
  /** Record name within the domain (`@` for the apex). */
  readonly name: string;
  /** What it points at: an IPv4 address (an A record) or a load balancer (an alias A record). */
  readonly address: Address;
}

/** Arguments of a {@link Dns}. */
export interface DnsArgs {
  /** Route53 hosted zone of the domain. */
  readonly zoneId: pulumi.Input<string>;
  /** The domain the zone holds. */
  readonly domain: string;
  /** Records by a short key used in child names (`live`, `preview`). */
  readonly records: Readonly<Record<string, DnsRecordSpec>>;
  /**
   * TTL of address records (alias records answer with their target's own).
   * @default 60
   */
  readonly ttlSeconds?: number;
}

/**
 * Route53 records for a service's endpoints: alias A records to the load balancer (resolved by
 * Route53 itself, free of charge, following the load balancer's addresses) or A records to an
 * Elastic IP with a short TTL.
 */
export class Dns extends pulumi.ComponentResource {
  /** Fully qualified names of the records, by key. */
  readonly fqdns: Readonly<Record<string, pulumi.Output<string>>>;

  /**
   * @param name component name; records are `${name}-${key}`
   * @param args zone, records and TTL
   * @param opts resource options
   */
  constructor(name: string, args: DnsArgs, opts?: pulumi.ComponentResourceOptions) {
    // Checked before anything is registered, the component included.
    for (const [key, spec] of Object.entries(args.records)) {
      if ("hostname" in spec.address && spec.address.aliasZoneId === undefined) {
        throw new Error(
          `Dns ${name}: records.${key} points at a host name without its hosted zone; allowed: an IP, or a load balancer's name with aliasZoneId (Route53 aliases need both)`,
        );
      }
    }
    super(
      "phoenix:aws:Dns",
      name,
      { records: Object.fromEntries(Object.keys(args.records).map((k) => [k, `${name}-${k}`])) },
      opts,
    );
    const fqdns: Record<string, pulumi.Output<string>> = {};
    for (const [key, spec] of Object.entries(args.records)) {
      const address = spec.address;
      const target =
        "ip" in address
          ? { records: [address.ip], ttl: args.ttlSeconds ?? 60 }
          : {
              aliases: [
                {
                  name: address.hostname,
                  zoneId: address.aliasZoneId as pulumi.Output<string>,
                  evaluateTargetHealth: true,
                },
              ],
            };
      const record = new route53.Record(
        `${name}-${key}`,
        {
          zoneId: args.zoneId,
          name: fqdn(spec.name, args.domain),
          type: "A",
          ...target,
        },
        { parent: this },
      );
      fqdns[key] = record.fqdn;
    }
    this.fqdns = fqdns;
    this.registerOutputs({ fqdns: this.fqdns });
  }
}
