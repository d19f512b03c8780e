/** The Pulumi type tokens of the DigitalOcean and command resources Phoenix registers. */
export const T = {
  droplet: "digitalocean:index/droplet:Droplet",
  volume: "digitalocean:index/volume:Volume",
  volumeAttachment: "digitalocean:index/volumeAttachment:VolumeAttachment",
  vpc: "digitalocean:index/vpc:Vpc",
  tag: "digitalocean:index/tag:Tag",
  firewall: "digitalocean:index/firewall:Firewall",
  databaseCluster: "digitalocean:index/databaseCluster:DatabaseCluster",
  databaseDb: "digitalocean:index/databaseDb:DatabaseDb",
  databaseUser: "digitalocean:index/databaseUser:DatabaseUser",
  databaseFirewall: "digitalocean:index/databaseFirewall:DatabaseFirewall",
  loadBalancer: "digitalocean:index/loadBalancer:LoadBalancer",
  reservedIp: "digitalocean:index/reservedIp:ReservedIp",
  dnsRecord: "digitalocean:index/dnsRecord:DnsRecord",
  command: "command:local:Command",
  healthGate: "phoenix:core:HealthGate",
  network: "phoenix:digitalocean:Network",
  serverGroup: "phoenix:digitalocean:ServerGroup",
  database: "phoenix:digitalocean:Database",
  lb: "phoenix:digitalocean:LoadBalancer",
  floatingIp: "phoenix:digitalocean:FloatingIp",
  dns: "phoenix:digitalocean:Dns",
} as const;

/** The options a plain child has: none of the protective ones. */
export const PLAIN_OPTIONS = {
  protect: false,
  retainOnDelete: false,
  deleteBeforeReplace: false,
  replaceOnChanges: [],
  ignoreChanges: [],
  dependsOn: [],
  aliases: [],
};
