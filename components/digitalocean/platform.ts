import { DATABASE_URL_VARIABLE } from "../core/config/stack-config";
import { Platform } from "../core/platform/platform";
import { Database } from "./database";
import { Dns } from "./dns";
import { digitalOceanEndpoint } from "./endpoint";
import { DIGITALOCEAN_FACTS, flatTags } from "./facts";
import { DigitalOceanNetwork, Network } from "./network";
import { ServerGroup } from "./server-group";
import { DIGITALOCEAN_DEFAULTS, DIGITALOCEAN_VALUES, digitalOceanCrossCheck } from "./values";

/**
 * DigitalOcean: droplets from pinned snapshots behind load balancers (or a reserved IP), managed
 * Postgres, volumes and DNS. It has no settings of its own.
 */
export const digitalOceanPlatform: Platform<DigitalOceanNetwork, ServerGroup, undefined> = {
  name: "digitalocean",
  title: "DigitalOcean",
  capabilities: {
    managedDatabase: true,
    loadBalancer: true,
    staticAddress: true,
    // A DigitalOcean load balancer sends each droplet an equal share.
    canary: "byServerCount",
    dns: true,
    // A droplet added to a load balancer starts as down and gets traffic only after
    // healthy_threshold x check_interval_seconds (terraform-provider-digitalocean
    // resource_loadbalancer.go sends the whole droplet list in one PUT; no drain).
    coldJoin: true,
  },
  values: DIGITALOCEAN_VALUES,
  defaults: DIGITALOCEAN_DEFAULTS,
  settings: {},
  readSettings: () => undefined,
  crossCheck: digitalOceanCrossCheck,
  facts: DIGITALOCEAN_FACTS,

  network(name, args) {
    const network = new Network(name, {
      region: args.region,
      ipRange: args.vpcCidr,
      serverTag: `${args.service}-${args.environment}-app`,
      appPort: args.appPort,
      appPortSource: args.appAccess === "anywhere" ? "anywhere" : "privateNetwork",
      adminCidrs: args.adminCidrs,
    });
    return { vpcId: network.vpcId, serverTag: network.serverTag, firewall: network.firewall };
  },

  serverGroup(name, args) {
    return new ServerGroup(name, {
      region: args.region,
      colour: args.colour,
      service: args.service,
      environment: args.environment,
      count: args.count,
      image: args.image,
      size: args.size,
      vpcId: args.network.vpcId,
      serverTag: args.network.serverTag,
      firewall: args.network.firewall,
      appEnvironment: args.appEnvironment,
      frozen: args.frozen,
      ...(args.keptFingerprint ? { keptFingerprint: args.keptFingerprint } : {}),
      ...(args.dataVolume ? { dataVolume: args.dataVolume } : {}),
    });
  },

  endpoint: digitalOceanEndpoint,

  database(name, args) {
    const database = new Database(name, {
      region: args.region,
      settings: args.database,
      vpcId: args.network.vpcId,
      serverTag: args.network.serverTag,
      tags: flatTags({ service: args.service, environment: args.environment }),
    });
    return {
      host: database.host,
      uri: database.uri,
      appEnvironment: database.uri.apply((uri): Record<string, string> => ({
        [DATABASE_URL_VARIABLE]: uri,
      })),
    };
  },

  dns(name, args) {
    return new Dns(name, {
      domain: args.domain,
      ttlSeconds: args.ttlSeconds,
      records: args.records,
    });
  },
};
