import * as digitalocean from "@pulumi/digitalocean";
import * as pulumi from "@pulumi/pulumi";
import { Address } from "../core/platform/platform";

/** One record of a {@link Dns}. */
export interface DnsRecordSpec {
  /** Record name within the domain (`@` for the apex). */
  readonly name: string;
  /** What it points at: an IPv4 address (an A record) or a host name (a CNAME). */
  readonly address: Address;
}

/** Arguments of a {@link Dns}. */
export interface DnsArgs {
  /** Domain the records live in; it must already be managed by DigitalOcean DNS. */
  readonly domain: pulumi.Input<string>;
  /** Records by a short key used in child names (`live`, `preview`). */
  readonly records: Readonly<Record<string, DnsRecordSpec>>;
  /**
   * TTL of every record; short, so a change of endpoint reaches clients quickly.
   * @default 60
   */
  readonly ttlSeconds?: number;
}

/** DNS records for a service's endpoints, with a short TTL. */
export class Dns extends pulumi.ComponentResource {
  /** Fully qualified names of the records, by key. */
  readonly fqdns: Readonly<Record<string, pulumi.Output<string>>>;

  /**
   * @param name component name; records are `${name}-${key}`
   * @param args domain, records and TTL
   * @param opts resource options
   */
  constructor(name: string, args: DnsArgs, opts?: pulumi.ComponentResourceOptions) {
    // The intent names each record's role, so policies can check the live one follows the
    // live switch and the preview one does not.
    super(
      "phoenix:digitalocean:Dns",
      name,
      { records: Object.fromEntries(Object.keys(args.records).map((k) => [k, `${name}-${k}`])) },
      opts,
    );
    const fqdns: Record<string, pulumi.Output<string>> = {};
    for (const [key, spec] of Object.entries(args.records)) {
      const target =
        "ip" in spec.address
          ? { type: "A", value: spec.address.ip }
          : // DigitalOcean wants a CNAME's target fully qualified, with the final dot.
            {
              type: "CNAME",
              value: spec.address.hostname.apply((h) => (h.endsWith(".") ? h : `${h}.`)),
            };
      const record = new digitalocean.DnsRecord(
        `${name}-${key}`,
        { domain: args.domain, name: spec.name, ...target, ttl: args.ttlSeconds ?? 60 },
        { parent: this },
      );
      fqdns[key] = record.fqdn;
    }
    this.fqdns = fqdns;
    this.registerOutputs({ fqdns: this.fqdns });
  }
}
