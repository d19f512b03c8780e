import * as pulumi from "@pulumi/pulumi";
import { BlueGreenPlan } from "../components/core/blue-green-plan";
import { Colour } from "../components/core/colour";
import { StackConfig } from "../components/core/config/stack-config";
import { FloatingIp } from "../components/digitalocean/floating-ip";
import { LoadBalancer } from "../components/digitalocean/load-balancer";
import { ServerGroup } from "../components/digitalocean/server-group";

/** Where users and testers reach the service. */
export interface Endpoints {
  /** Address of the live endpoint. */
  readonly liveIp: pulumi.Output<string>;
  /** Address of the preview endpoint, when the non-live colour has servers. */
  readonly previewIp: pulumi.Output<string> | undefined;
  /** Scheme of the live endpoint (the preview is always plain HTTP). */
  readonly liveScheme: "http" | "https";
  /** Port users connect to over HTTP on both. */
  readonly port: number;
  /** UIDs of the load balancers the droplet firewall must admit (none for a floating IP). */
  readonly loadBalancerUids: pulumi.Output<string[]>;
}

/**
 * The live and preview endpoints with their health gate: load balancers, or, for a single
 * stateful server, a floating IP (the preview is then the other colour's server itself).
 */
export function liveEndpoints(
  base: string,
  config: StackConfig,
  plan: BlueGreenPlan,
  network: { vpcId: pulumi.Output<string>; groups: Partial<Record<Colour, ServerGroup>> },
): Endpoints {
  const { groups } = network;
  if (config.endpoint === "loadBalancer") {
    const lb = new LoadBalancer(`${base}-lb`, {
      region: config.region,
      vpcId: network.vpcId,
      appPort: config.app.port,
      healthCheckPath: config.app.healthCheckPath,
      plan,
      dropletIds: Object.fromEntries(Object.entries(groups).map(([c, g]) => [c, g.dropletIds])),
      gate: config.healthGate,
      ...(config.tlsCertificateName ? { certificateName: config.tlsCertificateName } : {}),
    });
    return {
      liveIp: lb.liveIp,
      previewIp: lb.previewIp,
      liveScheme: config.tlsCertificateName ? "https" : "http",
      port: 80,
      loadBalancerUids: lb.loadBalancerUids,
    };
  }
  const server = groups[plan.live]?.servers[0];
  if (server === undefined) throw new Error(`the live colour ${plan.live} has no server`);
  const ip = new FloatingIp(`${base}-ip`, {
    region: config.region,
    target: plan.live,
    dropletId: server.droplet.id.apply(Number),
    dropletIp: server.droplet.ipv4Address,
    appPort: config.app.port,
    healthCheckPath: config.app.healthCheckPath,
    gate: config.healthGate,
    triggers: plan.gate.triggers,
  });
  const preview = plan.preview && groups[plan.preview];
  return {
    liveIp: ip.ip,
    previewIp: preview ? preview.publicIps.apply((ips) => ips[0] as string) : undefined,
    liveScheme: "http",
    port: config.app.port,
    loadBalancerUids: pulumi.output([]),
  };
}
