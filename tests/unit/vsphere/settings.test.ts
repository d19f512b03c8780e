import { ConfigError } from "../../../components/core/config/config-error";
import { VsphereSettings } from "../../../components/vsphere/settings";
import { validateSettings } from "../../helpers/validate";

/**
 * The vSphere settings through the real validator: every mistake is reported in one pass, each
 * naming the setting, the value received and what is allowed, before anything is registered.
 */

/** A valid vSphere stack; each case changes it (undefined removes a setting). */
const BASE: Readonly<Record<string, string>> = {
  platform: "vsphere",
  region: "ams-lab",
  service: "shop",
  "vsphere:user": "svc-phoenix@vsphere.local",
  "vsphere:vsphereServer": "vcenter.example.internal",
  blueImage: "shop-1.5.0-202611241415",
  blueCount: "2",
  vsphereCluster: "lab-cl01",
  vsphereDatastore: "lab-nfs-01",
  vsphereNetwork: "pg-shop-dev-vlan220",
  vpcCidr: "10.220.0.0/24",
  vsphereGateway: "10.220.0.1",
  vsphereNameservers: '["10.0.0.53"]',
  vsphereLoadBalancerAddresses: '["10.220.0.10"]',
  vsphereServerAddresses: "10.220.0.32/28",
  vsphereDatabaseAddress: "10.220.0.20",
  vsphereLoadBalancerTemplate: "haproxy-debian12-2026.11.1",
  vsphereDatabaseTemplate: "postgres-16-debian12-2026.11.1",
  vsphereSshPublicKey:
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB7kQm2vX9pLc4Rt8sYw1Zn3Hd6Fj0Ua5Ge2Ko9Mi4Tq deploy",
  dbEngineVersion: "16",
  adminCidrs: '["10.0.50.0/24"]',
};

function settings(changes: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries({ ...BASE, ...changes }).filter(
      (e): e is [string, string] => e[1] !== undefined,
    ),
  );
}

function problems(changes: Record<string, string | undefined>): readonly string[] {
  try {
    validateSettings(settings(changes), { stack: "vsphere-dev" });
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
}

const ADDRESS = "an IPv4 address such as 10.40.0.10";
const INSIDE =
  "an address inside phoenix:vpcCidr 10.220.0.0/24, neither its network nor its broadcast address";

describe("readVsphereSettings, through the real validator", () => {
  it("reads a valid stack, with the defaults of what it leaves unset", () => {
    expect(
      validateSettings(settings({}), { stack: "vsphere-dev" }).platformSettings,
    ).toEqual<VsphereSettings>({
      cluster: "lab-cl01",
      datastore: "lab-nfs-01",
      network: "pg-shop-dev-vlan220",
      folder: undefined,
      diskFolder: "phoenix",
      addresses: {
        subnet: "10.220.0.0/24",
        gateway: "10.220.0.1",
        nameservers: ["10.0.0.53"],
        serverBlock: "10.220.0.32/28",
        loadBalancers: ["10.220.0.10"],
        virtualAddress: undefined,
        database: "10.220.0.20",
      },
      loadBalancerTemplate: "haproxy-debian12-2026.11.1",
      loadBalancerSize: { cpus: 2, memoryMiB: 2048 },
      databaseTemplate: "postgres-16-debian12-2026.11.1",
      databaseDiskGiB: 50,
      sshUser: "phoenix",
      sshPublicKey: BASE.vsphereSshPublicKey as string,
      dns: undefined,
      route53ZoneId: undefined,
    });
  });

  it.each<[string, Record<string, string | undefined>, string[]]>([
    [
      "no vCenter",
      { "vsphere:vsphereServer": undefined },
      [
        "vsphere:vsphereServer: received nothing; allowed: the vCenter host name, e.g. vcenter.example.internal (required: the vSphere provider connects with it)",
      ],
    ],
    [
      "no admin CIDRs: the runner could not reach the load balancers",
      { adminCidrs: undefined },
      [
        'phoenix:adminCidrs: received "[]"; allowed: one or more CIDRs that include the deploy runner: on vSphere it configures the load balancers and stops the database over SSH',
      ],
    ],
    [
      "the cluster unset, the datastore with a slash",
      { vsphereCluster: undefined, vsphereDatastore: "nfs/01" },
      [
        "phoenix:vsphereCluster: received nothing; allowed: a vSphere inventory name: 1 to 80 letters, digits, spaces and . _ ( ) -, starting with a letter or digit (required)",
        'phoenix:vsphereDatastore: received "nfs/01"; allowed: a vSphere inventory name: 1 to 80 letters, digits, spaces and . _ ( ) -, starting with a letter or digit',
      ],
    ],
    [
      "a template without a release, and 'latest'",
      { blueImage: "shop", vsphereLoadBalancerTemplate: "haproxy-latest-1" },
      [
        "phoenix:blueImage: received \"shop\"; allowed: a template name that carries its release, such as shop-1.4.2-202611251830 (letters, digits, . _ -, with a version number; never 'latest')",
        "phoenix:vsphereLoadBalancerTemplate: received \"haproxy-latest-1\"; allowed: a template name that carries its release, such as shop-1.4.2-202611251830 (letters, digits, . _ -, with a version number; never 'latest')",
      ],
    ],
    [
      "sizes that are not <n>cpu-<m>gb",
      { blueSize: "m5.large", vsphereLoadBalancerSize: "0cpu-2gb" },
      [
        'phoenix:blueSize: received "m5.large"; allowed: <n>cpu-<m>gb with 1 to 128 CPUs and 1 to 1024 GiB, such as 2cpu-4gb',
        'phoenix:vsphereLoadBalancerSize: received "0cpu-2gb"; allowed: <n>cpu-<m>gb with 1 to 128 CPUs and 1 to 1024 GiB, such as 2cpu-4gb',
      ],
    ],
    [
      "two load balancers without a virtual address",
      { vsphereLoadBalancerAddresses: '["10.220.0.10","10.220.0.11"]' },
      [
        `phoenix:vsphereVirtualAddress: received nothing; allowed: ${ADDRESS} (required with two load balancers)`,
      ],
    ],
    [
      "a virtual address with one load balancer",
      { vsphereVirtualAddress: "10.220.0.9" },
      [
        'phoenix:vsphereVirtualAddress: received "10.220.0.9"; allowed: nothing with one load balancer (its own address is the endpoint)',
      ],
    ],
    [
      "three load balancers, one of them twice and one no address",
      { vsphereLoadBalancerAddresses: '["10.220.0.10","10.220.0.10","ten"]' },
      [
        'phoenix:vsphereLoadBalancerAddresses: received 3 address(es), "ten", not an IPv4 address, "10.220.0.10" twice; allowed: 1 to 2 distinct IPv4 addresses',
      ],
    ],
    [
      "addresses outside the subnet, in the server block, or given twice",
      {
        vsphereGateway: "10.221.0.1",
        vsphereLoadBalancerAddresses: '["10.220.0.33"]',
        vsphereDatabaseAddress: "10.220.0.255",
      },
      [
        `phoenix:vsphereGateway: received "10.221.0.1"; allowed: ${INSIDE}`,
        'phoenix:vsphereLoadBalancerAddresses: received "10.220.0.33"; allowed: an address outside phoenix:vsphereServerAddresses 10.220.0.32/28, which is the app servers\'',
        `phoenix:vsphereDatabaseAddress: received "10.220.0.255"; allowed: ${INSIDE}`,
      ],
    ],
    [
      "the database on a load balancer's address",
      { vsphereDatabaseAddress: "10.220.0.10" },
      [
        'phoenix:vsphereDatabaseAddress: received "10.220.0.10"; allowed: an address not already given to phoenix:vsphereLoadBalancerAddresses',
      ],
    ],
    [
      "a server block outside the subnet, or narrower than /29",
      { vsphereServerAddresses: "10.220.0.32/30" },
      [
        'phoenix:vsphereServerAddresses: received "10.220.0.32/30"; allowed: a CIDR block inside phoenix:vpcCidr, /16 to /29, such as 10.40.0.64/26',
      ],
    ],
    [
      "more servers than the colour's half of the block holds",
      { blueCount: "9" },
      [
        'phoenix:blueCount: received "9"; allowed: 0 to 8: blue takes its addresses from its half of phoenix:vsphereServerAddresses 10.220.0.32/28; widen the block for more',
      ],
    ],
    [
      "a database without its template and address",
      { vsphereDatabaseTemplate: undefined, vsphereDatabaseAddress: undefined },
      [
        "phoenix:vsphereDatabaseTemplate: received nothing; allowed: a template name that carries its release, such as shop-1.4.2-202611251830 (letters, digits, . _ -, with a version number; never 'latest') (required with phoenix:database)",
        `phoenix:vsphereDatabaseAddress: received nothing; allowed: ${ADDRESS} (required with phoenix:database)`,
      ],
    ],
    [
      "a database template without a database",
      { database: "false" },
      [
        'phoenix:vsphereDatabaseTemplate: received "postgres-16-debian12-2026.11.1"; allowed: nothing while phoenix:database is false',
        'phoenix:vsphereDatabaseAddress: received "10.220.0.20"; allowed: nothing while phoenix:database is false',
      ],
    ],
    [
      "DNS without a DNS platform, and a zone without Route53",
      { dnsDomain: "example.com", vsphereRoute53ZoneId: "Z04517273VCLIDX9UJ6KE" },
      [
        "phoenix:vsphereDns: received nothing; allowed: digitalocean or route53 (required because phoenix:dnsDomain is set)",
        'phoenix:vsphereRoute53ZoneId: received "Z04517273VCLIDX9UJ6KE"; allowed: nothing unless phoenix:vsphereDns is route53',
      ],
    ],
    [
      "Route53 without its hosted zone",
      { dnsDomain: "example.com", vsphereDns: "route53" },
      [
        "phoenix:vsphereRoute53ZoneId: received nothing; allowed: a Route53 hosted zone ID such as Z0123456789ABCDEFGHIJ (required with vsphereDns route53)",
      ],
    ],
    [
      "a DNS platform without a domain",
      { vsphereDns: "digitalocean" },
      [
        'phoenix:vsphereDns: received "digitalocean"; allowed: nothing while phoenix:dnsDomain is unset, as it has no effect then',
      ],
    ],
    [
      "a standby, a data volume and a certificate, none of which vSphere builds",
      { dbNodeCount: "2", dataVolumeSizeGiB: "20", tlsCertificateName: "shop-example-com" },
      [
        'phoenix:tlsCertificateName: received "shop-example-com"; allowed: nothing: the vSphere load balancers serve HTTP on the private network; terminate TLS in front of them (leave phoenix:tlsCertificateName unset)',
        'phoenix:dbNodeCount: received "2"; allowed: 1 on vSphere (one Postgres server with a protected data disk; no managed standby)',
        'phoenix:dataVolumeSizeGiB: received "20"; allowed: 0 on vSphere: app servers are stateless; the data disk is the database server\'s (phoenix:vsphereDatabaseDiskGiB)',
      ],
    ],
  ])("%s", (_name, changes, expected) => {
    expect(problems(changes)).toEqual(expected);
  });
});
