import { DnsHandle, DnsRecordArgs, Platform } from "../core/platform/platform";
import { Database } from "./database";
import { vsphereEndpoint } from "./endpoint";
import { VSPHERE_FACTS } from "./facts";
import { Network } from "./network";
import { VsphereNetwork, VsphereServerGroup } from "./platform-types";
import { ServerGroup } from "./server-group";
import {
  readVsphereSettings,
  VSPHERE_SETTINGS,
  VsphereDnsPlatform,
  VsphereSettings,
} from "./settings";
import { readSshPrivateKey } from "./ssh";
import { VSPHERE_DEFAULTS, VSPHERE_VALUES, vsphereCrossCheck } from "./values";
import { parseVmSize, VmSize } from "./vm-size";

/** What a vSphere stack's DNS records are published with, on another platform's DNS. */
export interface DnsPublishArgs {
  readonly domain: string;
  readonly ttlSeconds: number;
  readonly records: Readonly<Record<string, DnsRecordArgs>>;
  /** The hosted zone, where the DNS platform needs one (Route53). */
  readonly zoneId: string | undefined;
}

/**
 * The DNS platforms a vSphere stack can publish through, each another platform's DNS component.
 * The stack program's table supplies them: cloud folders never import each other.
 */
export type DnsPublishers = Readonly<
  Record<VsphereDnsPlatform, (name: string, args: DnsPublishArgs) => DnsHandle>
>;

/**
 * VMware vSphere: VMs cloned from versioned templates with cloud-init through guestinfo, a host
 * firewall on each, HAProxy load balancers of Phoenix's own behind keepalived, Postgres on a VM
 * with a protected data disk, and DNS through DigitalOcean or Route53.
 *
 * @param dns the DNS platforms `phoenix:vsphereDns` chooses from
 */
export function vspherePlatform(
  dns: DnsPublishers,
): Platform<VsphereNetwork, VsphereServerGroup, VsphereSettings> {
  return {
    name: "vsphere",
    title: "VMware vSphere",
    capabilities: {
      // Postgres on a VM Phoenix builds and rebuilds (no managed service exists).
      managedDatabase: true,
      loadBalancer: true,
      // No static address moves between single servers: the endpoint is the load balancers.
      staticAddress: false,
      // The routing map's blue_percent splits live requests exactly.
      canary: "weighted",
      dns: true,
      // HAProxy health-checks every server of both colours all the time; the switch moves only
      // after the gate has proven the colour through HAProxy.
      coldJoin: false,
    },
    values: VSPHERE_VALUES,
    defaults: VSPHERE_DEFAULTS,
    settings: VSPHERE_SETTINGS,
    readSettings: readVsphereSettings,
    crossCheck: vsphereCrossCheck,
    facts: VSPHERE_FACTS,

    network(name, args) {
      const { settings } = args;
      const network = new Network(name, {
        names: {
          datacenter: args.region,
          cluster: settings.cluster,
          datastore: settings.datastore,
          network: settings.network,
          folder: settings.folder,
        },
        addresses: settings.addresses,
      });
      return {
        network,
        addresses: settings.addresses,
        service: args.service,
        environment: args.environment,
        appPort: args.appPort,
        healthCheckPath: args.healthCheckPath,
        adminCidrs: args.adminCidrs,
        ssh: {
          user: settings.sshUser,
          publicKey: settings.sshPublicKey,
          privateKey: readSshPrivateKey(),
        },
      };
    },

    serverGroup(name, args) {
      const servers = new ServerGroup(name, {
        colour: args.colour,
        service: args.service,
        environment: args.environment,
        count: args.count,
        image: args.image,
        size: parseVmSize(args.size) as VmSize,
        placement: args.network.network.placement,
        addresses: args.network.addresses,
        appPort: args.network.appPort,
        adminCidrs: args.network.adminCidrs,
        appEnvironment: args.appEnvironment,
        frozen: args.frozen,
        ...(args.keptFingerprint ? { keptFingerprint: args.keptFingerprint } : {}),
      });
      return {
        servers,
        publicAddresses: servers.publicAddresses,
        fingerprint: servers.fingerprint,
        heldBack: servers.heldBack,
      };
    },

    endpoint: vsphereEndpoint,

    database(name, args) {
      const { network, settings } = args;
      const database = new Database(name, {
        service: args.service,
        environment: args.environment,
        settings: args.database,
        placement: network.network.placement,
        addresses: network.addresses,
        template: settings.databaseTemplate as string,
        diskGiB: settings.databaseDiskGiB,
        diskFolder: settings.diskFolder,
        adminCidrs: network.adminCidrs,
        ssh: network.ssh,
      });
      return { host: database.host, uri: database.uri, appEnvironment: database.appEnvironment };
    },

    dns(name, args) {
      const platform = args.settings.dns;
      if (platform === undefined)
        throw new Error(`internal error: DNS records asked for without phoenix:vsphereDns`);
      return dns[platform](name, {
        domain: args.domain,
        ttlSeconds: args.ttlSeconds,
        records: args.records,
        zoneId: args.settings.route53ZoneId,
      });
    },
  };
}
