import { EndpointArgs, EndpointHandle } from "../core/platform/platform";
import { DigitalOceanNetwork } from "./network";
import { FloatingIp } from "./floating-ip";
import { LoadBalancer } from "./load-balancer";
import { ServerGroup } from "./server-group";

/**
 * The live and preview endpoints with their health gate: load balancers, or, for a single
 * stateful server, a reserved IP (the preview is then the other colour's server itself).
 */
export function digitalOceanEndpoint(
  name: string,
  args: EndpointArgs<DigitalOceanNetwork, ServerGroup, unknown>,
): EndpointHandle {
  const { groups, plan } = args;
  if (args.kind === "loadBalancer") {
    const lb = new LoadBalancer(name, {
      region: args.region,
      vpcId: args.network.vpcId,
      appPort: args.appPort,
      healthCheckPath: args.healthCheckPath,
      plan,
      dropletIds: Object.fromEntries(Object.entries(groups).map(([c, g]) => [c, g.dropletIds])),
      fingerprints: Object.fromEntries(Object.entries(groups).map(([c, g]) => [c, g.fingerprint])),
      gate: args.gate,
      ...(args.certificate ? { certificateName: args.certificate } : {}),
    });
    return {
      live: { ip: lb.liveIp },
      preview: lb.previewIp && { ip: lb.previewIp },
      liveScheme: args.certificate ? "https" : "http",
      port: 80,
      switched: lb.liveId,
    };
  }
  const server = groups[plan.live]?.servers[0];
  if (server === undefined) throw new Error(`the live colour ${plan.live} has no server`);
  const ip = new FloatingIp(name, {
    region: args.region,
    target: plan.live,
    dropletId: server.droplet.id.apply(Number),
    dropletIp: server.droplet.ipv4Address,
    appPort: args.appPort,
    healthCheckPath: args.healthCheckPath,
    gate: args.gate,
    triggers: plan.gate.triggers,
    fingerprint: groups[plan.live]?.fingerprint,
  });
  const preview = plan.preview && groups[plan.preview];
  return {
    live: { ip: ip.ip },
    preview: preview ? { ip: preview.publicAddresses.apply((ips) => ips[0] as string) } : undefined,
    liveScheme: "http",
    port: args.appPort,
    switched: ip.switchId,
  };
}
