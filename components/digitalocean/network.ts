import * as digitalocean from "@pulumi/digitalocean";
import * as pulumi from "@pulumi/pulumi";

/**
 * Where the app port may be reached from: the stack's own network (its load balancers reach
 * the droplets through it), or anywhere (a floating IP forwards public traffic straight to the
 * server).
 */
export type AppPortSource = "privateNetwork" | "anywhere";

/** Arguments of a {@link Network}. */
export interface NetworkArgs {
  /** Region of the VPC. */
  readonly region: pulumi.Input<string>;
  /** Private IPv4 range of the VPC, e.g. `10.10.0.0/20`. */
  readonly ipRange: string;
  /** Name of the tag every app server carries; the firewall applies to it. */
  readonly serverTag: string;
  /** TCP port the app listens on. */
  readonly appPort: number;
  /** Who may reach the app port. */
  readonly appPortSource: AppPortSource;
  /**
   * CIDRs allowed to reach SSH (port 22).
   * @default [] (SSH closed)
   */
  readonly adminCidrs?: readonly string[];
}

const ANYWHERE = ["0.0.0.0/0", "::/0"];

/**
 * The private network of a stack: a VPC, the tag that marks its app servers, and the firewall on
 * that tag, which admits the app port only from the VPC (or, for a floating IP, the internet) and
 * SSH only from the admin CIDRs. Outbound traffic is open.
 *
 * The app port is admitted from the VPC's range, not by load balancer ID: DigitalOcean sends
 * all load balancer traffic through the load balancer's VPC ("All load balancer traffic goes
 * through the specified private VPC network", DigitalOcean's load balancer documentation), and
 * the stack's VPC holds only its own droplets and load balancers. So the firewall depends on
 * nothing that waits on the health gate, exists before the first droplet, and a new load
 * balancer's health checks are admitted the moment it exists.
 */
export class Network extends pulumi.ComponentResource {
  /** The VPC's ID. */
  readonly vpcId: pulumi.Output<string>;
  /** The tag's name, once the tag exists: give it to every app server. */
  readonly serverTag: pulumi.Output<string>;
  /** The firewall's ID. */
  readonly firewallId: pulumi.Output<string>;
  /** The firewall itself: servers are created only once it exists. */
  readonly firewall: digitalocean.Firewall;

  /**
   * @param name component name; children are `${name}-vpc`, `${name}-servers`, `${name}-firewall`
   * @param args network settings
   * @param opts resource options
   */
  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("phoenix:digitalocean:Network", name, {}, opts);
    const vpc = new digitalocean.Vpc(
      `${name}-vpc`,
      { name: `${name}-vpc`, region: args.region, ipRange: args.ipRange },
      { parent: this },
    );
    const tag = new digitalocean.Tag(`${name}-servers`, { name: args.serverTag }, { parent: this });
    const appRule = {
      sourceAddresses: args.appPortSource === "anywhere" ? ANYWHERE : [args.ipRange],
    };
    const adminCidrs = args.adminCidrs ?? [];
    const firewall = new digitalocean.Firewall(
      `${name}-firewall`,
      {
        name: `${name}-firewall`,
        tags: [tag.name],
        inboundRules: [
          { protocol: "tcp", portRange: String(args.appPort), ...appRule },
          ...(adminCidrs.length > 0
            ? [{ protocol: "tcp", portRange: "22", sourceAddresses: [...adminCidrs] }]
            : []),
        ],
        outboundRules: [
          { protocol: "tcp", portRange: "1-65535", destinationAddresses: ANYWHERE },
          { protocol: "udp", portRange: "1-65535", destinationAddresses: ANYWHERE },
          { protocol: "icmp", destinationAddresses: ANYWHERE },
        ],
      },
      { parent: this },
    );
    this.vpcId = vpc.id;
    this.serverTag = tag.name;
    this.firewallId = firewall.id;
    this.firewall = firewall;
    this.registerOutputs({
      vpcId: this.vpcId,
      serverTag: this.serverTag,
      firewallId: this.firewallId,
    });
  }
}

/** The network as the DigitalOcean platform's other factories receive it. */
export interface DigitalOceanNetwork {
  /** The VPC's ID. */
  readonly vpcId: pulumi.Output<string>;
  /** The tag every app server carries (the firewall and the database admit it). */
  readonly serverTag: pulumi.Output<string>;
  /** The firewall on that tag, which every droplet waits for, so none boots unfirewalled. */
  readonly firewall: pulumi.Resource;
}
