/**
 * The type tokens of the DigitalOcean resources Phoenix registers, and of its own DigitalOcean
 * components. The one place they are written: facts, tests and tools import them from here.
 */
export const DO_TYPES = {
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
} as const;

/** The type tokens of Phoenix's DigitalOcean components (a contract: renaming one replaces). */
export const DO_COMPONENTS = {
  network: "phoenix:digitalocean:Network",
  serverGroup: "phoenix:digitalocean:ServerGroup",
  database: "phoenix:digitalocean:Database",
  loadBalancer: "phoenix:digitalocean:LoadBalancer",
  floatingIp: "phoenix:digitalocean:FloatingIp",
  dns: "phoenix:digitalocean:Dns",
} as const;
