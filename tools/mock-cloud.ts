import * as pulumi from "@pulumi/pulumi";

/**
 * Computed outputs a cloud would return for the resource types Phoenix uses, so that code which
 * reads them (addresses, URIs, passwords) sees realistic values under the mock runtime.
 * Values are deterministic per run: the n-th droplet always gets the same address.
 */
export function createCloudMocks(): pulumi.runtime.Mocks & {
  calls: pulumi.runtime.MockResourceArgs[];
} {
  let counter = 0;
  const calls: pulumi.runtime.MockResourceArgs[] = [];
  return {
    calls,
    newResource(args: pulumi.runtime.MockResourceArgs): {
      id: string;
      state: Record<string, unknown>;
    } {
      calls.push(args);
      counter += 1;
      const n = counter;
      const state: Record<string, unknown> = { ...args.inputs, ...computed(args, n) };
      // DigitalOcean droplet IDs are numbers, which load balancers take as such.
      const id =
        args.type === "digitalocean:index/droplet:Droplet" ? String(1000 + n) : `${args.name}-id`;
      return { id, state };
    },
    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
      return args.inputs;
    },
  };
}

function computed(args: pulumi.runtime.MockResourceArgs, n: number): Record<string, unknown> {
  switch (args.type) {
    case "digitalocean:index/droplet:Droplet":
      return {
        ipv4Address: `203.0.113.${n}`,
        ipv4AddressPrivate: `10.10.0.${n}`,
        urn: `do:droplet:${n}`,
      };
    case "digitalocean:index/loadBalancer:LoadBalancer":
      return { ip: `198.51.100.${n}`, urn: `do:loadbalancer:${n}` };
    case "digitalocean:index/reservedIp:ReservedIp":
      return { ipAddress: `192.0.2.${n}`, urn: `do:reservedip:${n}` };
    case "digitalocean:index/databaseCluster:DatabaseCluster":
      return {
        host: `${args.name}.db.ondigitalocean.com`,
        privateHost: `private-${args.name}.db.ondigitalocean.com`,
        port: 25060,
        user: "doadmin",
        password: "mock-admin-password",
        uri: `postgresql://doadmin:mock-admin-password@${args.name}.db.ondigitalocean.com:25060/defaultdb`,
        privateUri: `postgresql://doadmin:mock-admin-password@private-${args.name}.db.ondigitalocean.com:25060/defaultdb`,
        urn: `do:dbaas:${n}`,
      };
    case "digitalocean:index/databaseUser:DatabaseUser":
      return { password: "mock-user-password", role: "normal" };
    case "digitalocean:index/volume:Volume":
      return { urn: `do:volume:${n}` };
    case "digitalocean:index/dnsRecord:DnsRecord": {
      const { name, domain } = args.inputs as { name: string; domain: string };
      return { fqdn: name === "@" ? domain : `${name}.${domain}` };
    }
    case "command:local:Command":
      return { stdout: "health gate passed", stderr: "" };
    default:
      return {};
  }
}
