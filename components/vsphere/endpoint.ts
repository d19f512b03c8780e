import * as pulumi from "@pulumi/pulumi";
import { EndpointArgs, EndpointHandle } from "../core/platform/platform";
import { LIVE_PORT, LoadBalancer } from "./load-balancer";
import { PREVIEW_PORT } from "./load-balancer-user-data";
import { VsphereNetwork, VsphereServerGroup } from "./platform-types";
import { VsphereSettings } from "./settings";

/**
 * The live and preview endpoints on vSphere: Phoenix's HAProxy load balancers (live on port 80,
 * preview on 8081 of the same address), with the gate before the switch.
 */
export function vsphereEndpoint(
  name: string,
  args: EndpointArgs<VsphereNetwork, VsphereServerGroup, VsphereSettings>,
): EndpointHandle {
  const { network, settings, plan } = args;
  const lb = new LoadBalancer(name, {
    service: network.service,
    environment: network.environment,
    placement: network.network.placement,
    addresses: network.addresses,
    template: settings.loadBalancerTemplate,
    size: settings.loadBalancerSize,
    appPort: args.appPort,
    healthCheckPath: args.healthCheckPath,
    adminCidrs: network.adminCidrs,
    ssh: network.ssh,
    plan,
    groups: Object.fromEntries(Object.entries(args.groups).map(([c, g]) => [c, g.servers])),
    gate: args.gate,
  });
  // The live record follows the switch: it is written once the switch has moved.
  const live = pulumi.all([lb.liveSwitch.urn, lb.address]).apply(([, address]) => address);
  return {
    live: { ip: live },
    preview: plan.preview === undefined ? undefined : { ip: lb.address },
    liveScheme: "http",
    port: LIVE_PORT,
    previewPort: PREVIEW_PORT,
    switched: pulumi.all(lb.liveSwitch.commands.map((c) => c.id)),
  };
}
