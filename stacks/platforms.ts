import { registerPlatform, RegisteredPlatform } from "../components/core/compose-stack";
import { awsPlatform } from "../components/aws/platform";
import { Dns as Route53Dns } from "../components/aws/dns";
import { digitalOceanPlatform } from "../components/digitalocean/platform";
import { Dns as DigitalOceanDns } from "../components/digitalocean/dns";
import { vspherePlatform } from "../components/vsphere/platform";

/**
 * The platforms a stack can choose with `phoenix:platform`: the only place the stack program
 * names a cloud. A new platform adds one line here (and its facts to `policies/facts.ts`).
 * vSphere has no DNS of its own: it publishes through DigitalOcean's or Route53's, handed to it
 * here, so that cloud folders never import each other.
 */
export const PLATFORMS: readonly RegisteredPlatform[] = [
  registerPlatform(digitalOceanPlatform),
  registerPlatform(awsPlatform),
  registerPlatform(
    vspherePlatform({
      digitalocean: (name, args) =>
        new DigitalOceanDns(name, {
          domain: args.domain,
          ttlSeconds: args.ttlSeconds,
          records: args.records,
        }),
      route53: (name, args) =>
        new Route53Dns(name, {
          zoneId: args.zoneId as string,
          domain: args.domain,
          ttlSeconds: args.ttlSeconds,
          records: args.records,
        }),
    }),
  ),
];
