import { isNetworkAddress, parseIpv4Cidr } from "../core/cidr";
import { configKey, SettingSpec } from "../core/config/settings";
import { SettingsReader } from "../core/config/settings-reader";
import { patternRule, ValueRule } from "../core/platform/value-rule";
import { COLOURS } from "../core/colour";
import { AddressPlan, colourCapacity, planAddresses } from "./addresses";
import { parseVmSize, VmSize } from "./vm-size";

/** Where a vSphere stack publishes its DNS records: vSphere has no DNS of its own. */
export type VsphereDnsPlatform = "digitalocean" | "route53";

/** The vSphere platform's own settings, as `readVsphereSettings` returns them. */
export interface VsphereSettings {
  /** The compute cluster (DRS on) the VMs run in; its root resource pool takes them. */
  readonly cluster: string;
  /** The datastore of the VMs and of the database's data disk. */
  readonly datastore: string;
  /** The port group every VM joins (the network of `phoenix:vpcCidr`). */
  readonly network: string;
  /** The VM folder, relative to the datacenter's VM folder; undefined for its root. */
  readonly folder: string | undefined;
  /** The folder on the datastore that holds data disks (VMDKs), apart from any VM's folder. */
  readonly diskFolder: string;
  /** Every static address Phoenix gives out, and the network's gateway and resolvers. */
  readonly addresses: AddressPlan;
  /** The HAProxy template the load balancers are cloned from. */
  readonly loadBalancerTemplate: string;
  /** CPUs and memory of each load balancer. */
  readonly loadBalancerSize: VmSize;
  /** The Postgres template the database server is cloned from (with a database). */
  readonly databaseTemplate: string | undefined;
  /** Size of the database's data disk in GiB. */
  readonly databaseDiskGiB: number;
  /** The user the deploy runner logs in as on the load balancers and the database server. */
  readonly sshUser: string;
  /** Its public key, installed on those servers. */
  readonly sshPublicKey: string;
  /** Where DNS records are published, with `phoenix:dnsDomain`. */
  readonly dns: VsphereDnsPlatform | undefined;
  /** The Route53 hosted zone of `phoenix:dnsDomain`, with `vsphereDns: route53`. */
  readonly route53ZoneId: string | undefined;
}

const ADDRESS = "an IPv4 address such as 10.40.0.10";

/** The vSphere platform's own `phoenix:` settings (meaningless on other platforms). */
export const VSPHERE_SETTINGS: Readonly<Record<string, SettingSpec>> = {
  vsphereCluster: {
    type: "string",
    whenUnset: "nothing: the setting is required on vSphere",
    description: "Compute cluster (with DRS) of phoenix:region, the datacenter, e.g. cl-prod-01.",
  },
  vsphereDatastore: {
    type: "string",
    whenUnset: "nothing: the setting is required on vSphere",
    description: "Datastore of the VMs and the database's data disk, e.g. vsan-prod-01.",
  },
  vsphereNetwork: {
    type: "string",
    whenUnset: "nothing: the setting is required on vSphere",
    description: "Port group the VMs join, the network of phoenix:vpcCidr, e.g. pg-shop-prod.",
  },
  vsphereFolder: {
    type: "string",
    whenUnset: "the datacenter's root VM folder",
    description: "VM folder (relative to the datacenter's VM folder) that holds the VMs.",
  },
  vsphereDiskFolder: {
    type: "string",
    whenUnset: "phoenix",
    description: "Folder on the datastore that holds data disks, apart from every VM's folder.",
  },
  vsphereGateway: {
    type: "string",
    whenUnset: "nothing: the setting is required on vSphere",
    description: "Default gateway of phoenix:vpcCidr.",
  },
  vsphereNameservers: {
    type: "array",
    whenUnset: "nothing: the setting is required on vSphere",
    description: "DNS resolvers the VMs use, one to three IPv4 addresses.",
  },
  vsphereServerAddresses: {
    type: "string",
    whenUnset: "nothing: the setting is required on vSphere",
    description:
      "CIDR block inside phoenix:vpcCidr reserved for app servers: blue takes its first half, green its second; the database admits exactly this block.",
  },
  vsphereLoadBalancerAddresses: {
    type: "array",
    whenUnset: "nothing: the setting is required on vSphere",
    description:
      "Addresses of the HAProxy load balancers in phoenix:vpcCidr: one, or two sharing phoenix:vsphereVirtualAddress through keepalived.",
  },
  vsphereVirtualAddress: {
    type: "string",
    whenUnset: "none (allowed only with one load balancer)",
    description: "The keepalived virtual address two load balancers share: the live endpoint.",
  },
  vsphereDatabaseAddress: {
    type: "string",
    whenUnset: "none (allowed only without phoenix:database)",
    description: "Address of the Postgres server in phoenix:vpcCidr.",
  },
  vsphereLoadBalancerTemplate: {
    type: "string",
    whenUnset: "nothing: the setting is required on vSphere",
    description:
      "Template (HAProxy, keepalived and socat installed) the load balancers are cloned from.",
  },
  vsphereLoadBalancerSize: {
    type: "string",
    whenUnset: "2cpu-2gb",
    description: "CPUs and memory of each load balancer, <n>cpu-<m>gb.",
  },
  vsphereDatabaseTemplate: {
    type: "string",
    whenUnset: "none (allowed only without phoenix:database)",
    description:
      "Template (Postgres of phoenix:dbEngineVersion installed) the database server is cloned from.",
  },
  vsphereDatabaseDiskGiB: {
    type: "integer",
    whenUnset: "50",
    description: "Size of the database's data disk in GiB (it can grow, never shrink).",
  },
  vsphereSshUser: {
    type: "string",
    whenUnset: "phoenix",
    description: "User the deploy runner logs in as on the load balancers and database server.",
  },
  vsphereSshPublicKey: {
    type: "string",
    whenUnset: "nothing: the setting is required on vSphere",
    description:
      "Public key of that user (its private key: pulumi config set --secret phoenix:vsphereSshPrivateKey, or the runner's SSH agent).",
  },
  vsphereSshPrivateKey: {
    type: "string",
    secret: true,
    whenUnset: "the deploy runner's SSH agent (SSH_AUTH_SOCK)",
    description: "Private key matching phoenix:vsphereSshPublicKey, set with --secret.",
  },
  vsphereDns: {
    type: "string",
    whenUnset: "no DNS records (allowed only without phoenix:dnsDomain)",
    description: "Where the records of phoenix:dnsDomain are published: digitalocean or route53.",
  },
  vsphereRoute53ZoneId: {
    type: "string",
    whenUnset: "none (required with vsphereDns route53)",
    description: "Route53 hosted zone ID of phoenix:dnsDomain, with vsphereDns route53.",
  },
};

/** A vSphere inventory name: what the vSphere client lets an admin type, without slashes. */
export const INVENTORY_NAME: ValueRule = patternRule(
  /^[A-Za-z0-9][A-Za-z0-9 ._()-]{0,79}$/,
  "a vSphere inventory name: 1 to 80 letters, digits, spaces and . _ ( ) -, starting with a letter or digit",
);

/** A folder path below the datacenter's VM folder, or on a datastore. */
const FOLDER: ValueRule = patternRule(
  /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}(?:\/[A-Za-z0-9][A-Za-z0-9._-]{0,63}){0,7}$/,
  "a relative folder path such as phoenix/shop (letters, digits, . _ - per part, no leading /)",
);

/** A template name that carries a release: Phoenix's image on vSphere. */
export const TEMPLATE_NAME: ValueRule = patternRule(
  /^(?!.*latest)[A-Za-z0-9][A-Za-z0-9._-]{0,78}\d[A-Za-z0-9._-]{0,78}$/,
  "a template name that carries its release, such as shop-1.4.2-202611251830 (letters, digits, . _ -, with a version number; never 'latest')",
);

const ZONE_ID = patternRule(
  /^Z[A-Z0-9]{1,31}$/,
  "a Route53 hosted zone ID such as Z0123456789ABCDEFGHIJ",
);
const SSH_USER = patternRule(/^[a-z_][a-z0-9_-]{0,31}$/, "a Unix user name such as phoenix");
const SSH_PUBLIC_KEY = patternRule(
  /^(ssh-ed25519|ecdsa-sha2-nistp(?:256|384|521)|ssh-rsa) [A-Za-z0-9+/]{40,}={0,3}(?: [^\s]{1,64})?$/,
  "an OpenSSH public key line: ssh-ed25519 (or ecdsa-sha2-nistp256, ssh-rsa) <base64> [comment]",
);

/** Reads an address setting: a single host address (no prefix). */
function address(r: SettingsReader, name: string): string | undefined {
  const value = r.text(name);
  if (value === undefined) return undefined;
  const parsed = parseIpv4Cidr(`${value}/32`);
  if (parsed === undefined) {
    r.problem(name, ADDRESS, value);
    return undefined;
  }
  return value;
}

/** Reads a list of addresses with a count in `[min, max]`. */
function addressList(
  r: SettingsReader,
  name: string,
  min: number,
  max: number,
): string[] | undefined {
  // Unset is reported once, by the caller, as a required setting.
  if (r.isUnset(name)) return undefined;
  const list = r.stringList(name);
  if (list === undefined) return undefined;
  const allowed = `${min === max ? min : `${min} to ${max}`} distinct IPv4 addresses`;
  const bad = list.filter((a) => parseIpv4Cidr(`${a}/32`) === undefined);
  const twice = list.filter((a, i) => list.indexOf(a) !== i);
  if (list.length < min || list.length > max || bad.length > 0 || twice.length > 0) {
    const found = [
      ...(list.length < min || list.length > max ? [`${list.length} address(es)`] : []),
      ...bad.map((a) => `${JSON.stringify(a)}, not an IPv4 address`),
      ...twice.map((a) => `${JSON.stringify(a)} twice`),
    ];
    r.problems.push(`${configKey(name)}: received ${found.join(", ")}; allowed: ${allowed}`);
    return undefined;
  }
  return list;
}

/** Records that a required setting is missing. */
function required(r: SettingsReader, name: string, allowed: string, why = ""): void {
  r.problem(name, `${allowed} (required${why})`, undefined);
}

/**
 * Reads the vSphere settings, recording every problem on the shared reader: the inventory names
 * (looked up by name at deploy time), the static addresses Phoenix gives out (all inside
 * `phoenix:vpcCidr`, none twice), the templates, and where DNS is published.
 */
export function readVsphereSettings(
  r: SettingsReader,
  providerConfig: Readonly<Record<string, string>>,
): VsphereSettings | undefined {
  // The provider reads these from the stack (or an ESC environment's pulumiConfig); the password
  // is a secret set apart (pulumi config set --secret vsphere:password).
  for (const key of ["vsphere:vsphereServer", "vsphere:user"]) {
    if (providerConfig[key] === undefined)
      r.problems.push(
        `${key}: received nothing; allowed: ${key === "vsphere:user" ? "the vCenter user Phoenix deploys as, e.g. svc-phoenix@vsphere.local" : "the vCenter host name, e.g. vcenter.example.internal"} (required: the vSphere provider connects with it)`,
      );
  }
  // Read (and its own problems recorded) by the neutral settings: only its absence counts here.
  const admin = r.text("adminCidrs");
  if (admin === undefined || admin.replace(/\s/g, "") === "[]")
    r.problem(
      "adminCidrs",
      "one or more CIDRs that include the deploy runner: on vSphere it configures the load balancers and stops the database over SSH",
    );
  const name = (setting: string, rule: ValueRule): string | undefined => {
    if (r.isUnset(setting)) {
      required(r, setting, rule.allowed);
      return undefined;
    }
    return r.string(setting, rule);
  };
  const cluster = name("vsphereCluster", INVENTORY_NAME);
  const datastore = name("vsphereDatastore", INVENTORY_NAME);
  const network = name("vsphereNetwork", INVENTORY_NAME);
  const folder = r.isUnset("vsphereFolder") ? undefined : r.string("vsphereFolder", FOLDER);
  const diskFolder = r.string("vsphereDiskFolder", FOLDER, "phoenix");
  const loadBalancerTemplate = name("vsphereLoadBalancerTemplate", TEMPLATE_NAME);
  const loadBalancerSize = vmSize(r, "vsphereLoadBalancerSize", "2cpu-2gb");
  const databaseDiskGiB = r.isUnset("vsphereDatabaseDiskGiB")
    ? 50
    : r.integer("vsphereDatabaseDiskGiB", 1, 62 * 1024);
  const sshUser = r.string("vsphereSshUser", SSH_USER, "phoenix");
  const sshPublicKey = name("vsphereSshPublicKey", SSH_PUBLIC_KEY);

  const wantsDatabase = r.text("database") !== "false";
  let databaseTemplate: string | undefined;
  if (wantsDatabase && r.isUnset("vsphereDatabaseTemplate")) {
    required(r, "vsphereDatabaseTemplate", TEMPLATE_NAME.allowed, " with phoenix:database");
  } else if (!wantsDatabase && !r.isUnset("vsphereDatabaseTemplate")) {
    r.problem("vsphereDatabaseTemplate", "nothing while phoenix:database is false");
  } else if (wantsDatabase) {
    databaseTemplate = r.string("vsphereDatabaseTemplate", TEMPLATE_NAME);
  }

  const dnsWanted = !r.isUnset("dnsDomain");
  let dns: VsphereDnsPlatform | undefined;
  if (dnsWanted && r.isUnset("vsphereDns")) {
    required(r, "vsphereDns", "digitalocean or route53", " because phoenix:dnsDomain is set");
  } else if (!dnsWanted && !r.isUnset("vsphereDns")) {
    r.problem("vsphereDns", "nothing while phoenix:dnsDomain is unset, as it has no effect then");
  } else if (dnsWanted) {
    dns = r.oneOf<VsphereDnsPlatform>("vsphereDns", ["digitalocean", "route53"]);
  }
  let route53ZoneId: string | undefined;
  if (r.text("vsphereDns") === "route53" && r.isUnset("vsphereRoute53ZoneId")) {
    required(r, "vsphereRoute53ZoneId", ZONE_ID.allowed, " with vsphereDns route53");
  } else if (r.text("vsphereDns") !== "route53" && !r.isUnset("vsphereRoute53ZoneId")) {
    r.problem("vsphereRoute53ZoneId", "nothing unless phoenix:vsphereDns is route53");
  } else if (!r.isUnset("vsphereRoute53ZoneId")) {
    route53ZoneId = r.string("vsphereRoute53ZoneId", ZONE_ID);
  }

  const addresses = readAddresses(r, wantsDatabase);
  if (
    cluster === undefined ||
    datastore === undefined ||
    network === undefined ||
    diskFolder === undefined ||
    loadBalancerTemplate === undefined ||
    loadBalancerSize === undefined ||
    databaseDiskGiB === undefined ||
    sshUser === undefined ||
    sshPublicKey === undefined ||
    addresses === undefined ||
    r.problems.length > 0
  ) {
    return undefined;
  }
  return {
    cluster,
    datastore,
    network,
    folder,
    diskFolder,
    addresses,
    loadBalancerTemplate,
    loadBalancerSize,
    databaseTemplate,
    databaseDiskGiB,
    sshUser,
    sshPublicKey,
    dns,
    route53ZoneId,
  };
}

/** A `<n>cpu-<m>gb` setting. */
function vmSize(r: SettingsReader, setting: string, fallback: string): VmSize | undefined {
  const text = r.string(setting, VM_SIZE_RULE, fallback);
  return text === undefined ? undefined : parseVmSize(text);
}

/** The rule of a VM size setting. */
export const VM_SIZE_RULE: ValueRule = {
  test: (value) => parseVmSize(value) !== undefined,
  allowed: "<n>cpu-<m>gb with 1 to 128 CPUs and 1 to 1024 GiB, such as 2cpu-4gb",
};

/** Reads the static addresses and plans them, recording each conflict as a problem. */
function readAddresses(r: SettingsReader, wantsDatabase: boolean): AddressPlan | undefined {
  const gateway = address(r, "vsphereGateway");
  if (r.isUnset("vsphereGateway")) required(r, "vsphereGateway", ADDRESS);
  const nameservers = addressList(r, "vsphereNameservers", 1, 3);
  if (r.isUnset("vsphereNameservers")) required(r, "vsphereNameservers", "1 to 3 IPv4 addresses");
  const loadBalancers = addressList(r, "vsphereLoadBalancerAddresses", 1, 2);
  if (r.isUnset("vsphereLoadBalancerAddresses"))
    required(r, "vsphereLoadBalancerAddresses", "1 or 2 distinct IPv4 addresses");
  const virtualAddress = address(r, "vsphereVirtualAddress");
  if (
    loadBalancers?.length === 2 &&
    virtualAddress === undefined &&
    r.isUnset("vsphereVirtualAddress")
  )
    required(r, "vsphereVirtualAddress", ADDRESS, " with two load balancers");
  if (loadBalancers?.length === 1 && !r.isUnset("vsphereVirtualAddress"))
    r.problem(
      "vsphereVirtualAddress",
      "nothing with one load balancer (its own address is the endpoint)",
    );
  const database = address(r, "vsphereDatabaseAddress");
  if (wantsDatabase && r.isUnset("vsphereDatabaseAddress"))
    required(r, "vsphereDatabaseAddress", ADDRESS, " with phoenix:database");
  if (!wantsDatabase && !r.isUnset("vsphereDatabaseAddress"))
    r.problem("vsphereDatabaseAddress", "nothing while phoenix:database is false");
  const serversText = r.text("vsphereServerAddresses");
  const servers = serversText === undefined ? undefined : parseIpv4Cidr(serversText);
  const serversAllowed = "a CIDR block inside phoenix:vpcCidr, /29 or wider, such as 10.40.0.64/26";
  if (serversText === undefined) required(r, "vsphereServerAddresses", serversAllowed);
  else if (
    servers === undefined ||
    !isNetworkAddress(servers) ||
    servers.prefix > 29 ||
    servers.prefix < 16
  )
    r.problem("vsphereServerAddresses", serversAllowed.replace("/29 or wider", "/16 to /29"));

  const vpc = parseIpv4Cidr(r.text("vpcCidr") ?? "");
  if (
    gateway === undefined ||
    nameservers === undefined ||
    loadBalancers === undefined ||
    servers === undefined ||
    serversText === undefined ||
    vpc === undefined ||
    (loadBalancers.length === 2 && virtualAddress === undefined) ||
    (wantsDatabase && database === undefined) ||
    r.problems.length > 0
  )
    return undefined;
  const planned = planAddresses({
    subnet: r.text("vpcCidr") as string,
    gateway,
    nameservers,
    serverBlock: serversText,
    loadBalancers,
    virtualAddress,
    database: wantsDatabase ? database : undefined,
  });
  if ("problems" in planned) {
    for (const p of planned.problems) r.problem(p.setting, p.allowed, p.received);
    return undefined;
  }
  // Each colour's servers take fixed addresses from its half of the block.
  const capacity = colourCapacity(planned);
  for (const colour of COLOURS) {
    const count = Number(r.text(`${colour}Count`) ?? "0");
    if (Number.isInteger(count) && count > capacity)
      r.problem(
        `${colour}Count`,
        `0 to ${capacity}: ${colour} takes its addresses from its half of phoenix:vsphereServerAddresses ${serversText}; widen the block for more`,
      );
  }
  return r.problems.length > 0 ? undefined : planned;
}
