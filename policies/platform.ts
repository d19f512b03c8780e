/**
 * Which resource types play which part, per platform. A new platform (AWS, vSphere) adds its
 * types here and the rules apply to it; rules never name a platform's types themselves.
 */

/** DigitalOcean type tokens. */
export const DO = {
  droplet: "digitalocean:index/droplet:Droplet",
  volume: "digitalocean:index/volume:Volume",
  databaseCluster: "digitalocean:index/databaseCluster:DatabaseCluster",
  databaseDb: "digitalocean:index/databaseDb:DatabaseDb",
  databaseUser: "digitalocean:index/databaseUser:DatabaseUser",
  databaseFirewall: "digitalocean:index/databaseFirewall:DatabaseFirewall",
  firewall: "digitalocean:index/firewall:Firewall",
  loadBalancer: "digitalocean:index/loadBalancer:LoadBalancer",
  reservedIp: "digitalocean:index/reservedIp:ReservedIp",
  dnsRecord: "digitalocean:index/dnsRecord:DnsRecord",
} as const;

/** Phoenix's own component and gate types. */
export const PHOENIX = {
  healthGate: "phoenix:core:HealthGate",
  command: "command:local:Command",
  serverGroup: /^phoenix:[a-z]+:ServerGroup$/,
  loadBalancer: /^phoenix:[a-z]+:LoadBalancer$/,
  floatingIp: /^phoenix:[a-z]+:FloatingIp$/,
} as const;

/** Resources that hold data or an address users depend on: protected and retained. */
export const STATEFUL_TYPES: readonly string[] = [
  DO.volume,
  DO.databaseCluster,
  DO.databaseDb,
  DO.databaseUser,
  DO.reservedIp,
];

/** Servers, with the input naming their image and the one holding their user data. */
export const SERVER_TYPES: Readonly<Record<string, { image: string; userData: string }>> = {
  [DO.droplet]: { image: "image", userData: "userData" },
};

/** Taggable resources, whether they belong to a colour, and how to read their tags. */
export const TAGGABLE_TYPES: Readonly<Record<string, { colour: boolean }>> = {
  [DO.droplet]: { colour: true },
  [DO.volume]: { colour: true },
  [DO.databaseCluster]: { colour: false },
};

/** DNS record types whose value moves when endpoints change. */
export const SWITCHABLE_DNS_TYPES = ["A", "AAAA", "CNAME"];

/** Resources that move live traffic: the live load balancer, or a floating IP. */
export function isLiveSwitch(type: string, name: string): boolean {
  return (type === DO.loadBalancer && name.endsWith("-live")) || type === DO.reservedIp;
}

/**
 * Reads a resource's tags as key/value pairs: DigitalOcean's flat `key:value` strings (other
 * strings, such as the firewall target tag, are ignored).
 */
export function readTags(props: Readonly<Record<string, unknown>>): Record<string, string> {
  const tags = Array.isArray(props.tags) ? props.tags : [];
  const pairs: Record<string, string> = {};
  for (const tag of tags) {
    if (typeof tag !== "string") continue;
    const i = tag.indexOf(":");
    if (i > 0) pairs[tag.slice(0, i)] = tag.slice(i + 1);
  }
  return pairs;
}
