import { EndpointArgs, EndpointHandle } from "../core/platform/platform";
import { AwsNetwork, AwsServerGroup } from "./platform-types";
import { ElasticIp } from "./elastic-ip";
import { LoadBalancer } from "./load-balancer";
import { ServerGroup } from "./server-group";
import { AwsSettings } from "./settings";
import { StatefulServers } from "./stateful-servers";

/**
 * The live and preview endpoints with their health gate: an ALB over the colours' target
 * groups, or, for a single stateful server, an Elastic IP (the preview is then the other
 * colour's server on its own address).
 */
export function awsEndpoint(
  name: string,
  args: EndpointArgs<AwsNetwork, AwsServerGroup, AwsSettings>,
): EndpointHandle {
  const { groups, plan, network } = args;
  const tags = { service: network.service, environment: network.environment };
  if (args.kind === "loadBalancer") {
    const fleets: Partial<Record<keyof typeof groups, ServerGroup>> = {};
    for (const [colour, group] of Object.entries(groups)) {
      if (!(group.servers instanceof ServerGroup)) {
        throw new Error(
          `the ${colour} servers are single stateful servers, which no load balancer serves`,
        );
      }
      fleets[colour as keyof typeof groups] = group.servers;
    }
    const securityGroupId = network.network.loadBalancerSecurityGroupId;
    if (securityGroupId === undefined) {
      throw new Error(`${name}: the network was built for single servers, without a load balancer`);
    }
    const lb = new LoadBalancer(name, {
      tags,
      region: args.region,
      subnetIds: network.network.publicSubnetIds,
      securityGroupId,
      healthCheckPath: args.healthCheckPath,
      plan,
      groups: fleets,
      fingerprints: Object.fromEntries(Object.entries(groups).map(([c, g]) => [c, g.fingerprint])),
      gate: args.gate,
      ...(args.previewHost ? { previewHost: args.previewHost } : {}),
      ...(args.certificate ? { certificateArn: args.certificate } : {}),
      deletionProtection: args.settings.loadBalancerDeletionProtection,
      ...(args.settings.accessLogBucket ? { accessLogBucket: args.settings.accessLogBucket } : {}),
      serversNeed: network.network.egressReady,
    });
    return {
      live: { hostname: lb.liveHostname, aliasZoneId: lb.zoneId },
      preview: lb.previewHostname && { hostname: lb.previewHostname, aliasZoneId: lb.zoneId },
      liveScheme: args.certificate ? "https" : "http",
      port: 80,
      switched: lb.liveId,
    };
  }
  const live = groups[plan.live]?.servers;
  if (!(live instanceof StatefulServers)) {
    throw new Error(`the live colour ${plan.live} has no single server for the Elastic IP`);
  }
  const server = live.servers[0];
  if (server === undefined) throw new Error(`the live colour ${plan.live} has no server`);
  const ip = new ElasticIp(name, {
    tags,
    target: plan.live,
    instanceId: server.instance.id,
    instanceIp: server.instance.publicIp,
    appPort: args.appPort,
    healthCheckPath: args.healthCheckPath,
    gate: args.gate,
    triggers: plan.gate.triggers,
    ...(groups[plan.live] ? { fingerprint: groups[plan.live]?.fingerprint } : {}),
    ...(server.attachment ? { serverNeeds: [server.attachment] } : {}),
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
