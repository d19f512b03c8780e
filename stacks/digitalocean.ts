import * as pulumi from "@pulumi/pulumi";
import { planBlueGreen } from "../components/core/blue-green-plan";
import { COLOURS, Colour } from "../components/core/colour";
import { LoadedStackConfig } from "../components/core/config/read-stack-config";
import { DATABASE_URL_VARIABLE } from "../components/core/config/stack-config";
import { flatTags } from "../components/core/tags";
import { Database } from "../components/digitalocean/database";
import { Dns } from "../components/digitalocean/dns";
import { Network } from "../components/digitalocean/network";
import { ServerGroup } from "../components/digitalocean/server-group";
import { liveEndpoints } from "./digitalocean-endpoints";
import { StackOutputs } from "./outputs";

/**
 * Composes a DigitalOcean blue/green stack from validated settings: network, database, one
 * server group per colour with servers, the live/preview endpoints behind a health gate, and DNS.
 */
export function digitalOceanStack({ config, appSecrets }: LoadedStackConfig): StackOutputs {
  const plan = planBlueGreen(config);
  const base = `${config.app.name}-${config.environment}`;
  const tagContext = { service: config.app.name, environment: config.environment };

  // The firewall admits the app port from the load balancers, which are made after the servers
  // that sit behind the firewall: hand it their IDs once they exist.
  const [loadBalancerUids, resolveLoadBalancerUids] = pulumi.deferredOutput<string[]>();
  const network = new Network(`${base}-net`, {
    region: config.region,
    ipRange: config.network.vpcCidr,
    serverTag: `${base}-app`,
    appPort: config.app.port,
    appPortSource: config.endpoint === "floatingIp" ? { anywhere: true } : { loadBalancerUids },
    adminCidrs: config.network.adminCidrs,
  });

  const database =
    config.database &&
    new Database(`${base}-db`, {
      region: config.region,
      settings: config.database,
      vpcId: network.vpcId,
      serverTag: network.serverTag,
      tags: flatTags(tagContext),
    });

  const appEnvironment = pulumi
    .all([appSecrets, database ? database.uri : undefined])
    .apply(([secrets, uri]) => ({
      ...config.app.env,
      ...secrets,
      ...(uri === undefined ? {} : { [DATABASE_URL_VARIABLE]: uri }),
    }));

  const groups: Partial<Record<Colour, ServerGroup>> = {};
  for (const colour of COLOURS) {
    const { count, image, size } = plan.colours[colour];
    if (count === 0 || image === undefined) continue;
    groups[colour] = new ServerGroup(`${base}-${colour}`, {
      region: config.region,
      colour,
      service: config.app.name,
      environment: config.environment,
      count,
      image,
      size,
      vpcId: network.vpcId,
      serverTag: network.serverTag,
      appEnvironment,
      ...(config.dataVolume ? { dataVolume: config.dataVolume } : {}),
    });
  }
  const {
    liveIp,
    previewIp,
    liveScheme,
    port,
    loadBalancerUids: uids,
  } = liveEndpoints(base, config, plan, {
    vpcId: network.vpcId,
    groups,
  });
  resolveLoadBalancerUids(uids);

  let liveHost: pulumi.Output<string> = liveIp;
  let previewHost = previewIp;
  if (config.dns) {
    const dns = new Dns(`${base}-dns`, {
      domain: config.dns.domain,
      ttlSeconds: config.dns.ttlSeconds,
      records: {
        live: { name: config.dns.record, ipv4: liveIp },
        ...(previewIp ? { preview: { name: config.dns.previewRecord, ipv4: previewIp } } : {}),
      },
    });
    liveHost = dns.fqdns.live as pulumi.Output<string>;
    previewHost = dns.fqdns.preview;
  }

  const portSuffix = port === 80 ? "" : `:${port}`;
  const url = (host: pulumi.Output<string>, scheme: string): pulumi.Output<string> =>
    scheme === "https"
      ? pulumi.interpolate`https://${host}/`
      : pulumi.interpolate`http://${host}${portSuffix}/`;
  return {
    liveUrl: url(liveHost, liveScheme),
    previewUrl: previewHost && url(previewHost, "http"),
    liveColour: plan.live,
    serverAddresses: pulumi
      .all(COLOURS.map((c) => groups[c]?.publicIps ?? pulumi.output([])))
      .apply(([blue, green]) => ({ blue: blue ?? [], green: green ?? [] })),
    databaseHost: database ? database.host : undefined,
    databaseUri: database ? database.uri : undefined,
  };
}
