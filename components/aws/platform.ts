import { Platform } from "../core/platform/platform";
import { Database } from "./database";
import { Dns } from "./dns";
import { awsEndpoint } from "./endpoint";
import { AWS_FACTS } from "./facts";
import { Network } from "./network";
import { AwsNetwork, AwsServerGroup } from "./platform-types";
import { ServerGroup } from "./server-group";
import { AWS_SETTINGS, AwsSettings, readAwsSettings } from "./settings";
import { StatefulServers } from "./stateful-servers";
import { AWS_DEFAULTS, AWS_VALUES, awsCrossCheck } from "./values";

/**
 * AWS: per colour an auto scaling group from a pinned AMI behind one ALB with weighted target
 * groups (or single stateful instances behind an Elastic IP), RDS Postgres, EBS data volumes and
 * Route53, in a VPC over two to four zones.
 */
export const awsPlatform: Platform<AwsNetwork, AwsServerGroup, AwsSettings> = {
  name: "aws",
  title: "AWS",
  capabilities: {
    managedDatabase: true,
    loadBalancer: true,
    staticAddress: true,
    // An ALB listener forwards to several target groups with exact weights.
    canary: "weighted",
    dns: true,
    // The colour's auto scaling group waits for its targets to be healthy in its target group
    // before the switch moves: the switch sends traffic only to targets already healthy.
    coldJoin: false,
  },
  values: AWS_VALUES,
  defaults: AWS_DEFAULTS,
  settings: AWS_SETTINGS,
  readSettings: readAwsSettings,
  crossCheck: awsCrossCheck,
  facts: AWS_FACTS,

  network(name, args) {
    const network = new Network(name, {
      tags: { service: args.service, environment: args.environment },
      cidr: args.vpcCidr,
      zones: args.settings.zones,
      appPort: args.appPort,
      appAccess: args.appAccess === "anywhere" ? "anywhere" : "loadBalancer",
      adminCidrs: args.adminCidrs,
      natGateways: args.settings.natGateways,
    });
    return {
      network,
      service: args.service,
      environment: args.environment,
      singleServers: args.appAccess === "anywhere",
      statefulZone: args.settings.zones[0] as string,
      appPort: args.appPort,
      healthCheckPath: args.healthCheckPath,
    };
  },

  serverGroup(name, args) {
    const { network } = args;
    const common = {
      colour: args.colour,
      service: args.service,
      environment: args.environment,
      count: args.count,
      image: args.image,
      size: args.size,
      securityGroupId: network.network.serverSecurityGroupId,
      instanceProfileName: network.network.instanceProfileName,
      appEnvironment: args.appEnvironment,
      frozen: args.frozen,
      ...(args.keptFingerprint ? { keptFingerprint: args.keptFingerprint } : {}),
    };
    const servers = network.singleServers
      ? new StatefulServers(name, {
          ...common,
          zone: network.statefulZone,
          subnetId: network.network.publicSubnetIds[0] as NonNullable<
            (typeof network.network.publicSubnetIds)[0]
          >,
          ...(args.dataVolume ? { dataVolume: args.dataVolume } : {}),
        })
      : new ServerGroup(name, {
          ...common,
          vpcId: network.network.vpcId,
          subnetIds: network.network.privateSubnetIds,
          appPort: network.appPort,
          healthCheckPath: network.healthCheckPath,
        });
    return {
      servers,
      publicAddresses: servers.publicAddresses,
      fingerprint: servers.fingerprint,
      heldBack: servers.heldBack,
    };
  },

  endpoint: awsEndpoint,

  database(name, args) {
    const database = new Database(name, {
      tags: { service: args.service, environment: args.environment },
      settings: args.database,
      vpcId: args.network.network.vpcId,
      subnetIds: args.network.network.privateSubnetIds,
      serverSecurityGroupId: args.network.network.serverSecurityGroupId,
      serverRoleName: args.network.network.serverRoleName,
    });
    return { host: database.host, uri: database.uri, appEnvironment: database.appEnvironment };
  },

  dns(name, args) {
    return new Dns(name, {
      zoneId: args.settings.hostedZoneId as string,
      domain: args.domain,
      ttlSeconds: args.ttlSeconds,
      records: args.records,
    });
  },
};
