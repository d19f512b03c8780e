import * as digitalocean from "@pulumi/digitalocean";
import * as pulumi from "@pulumi/pulumi";
import { DatabaseConfig } from "../core/config/stack-config";

/** Arguments of a {@link Database}. */
export interface DatabaseArgs {
  /** Region of the cluster. */
  readonly region: pulumi.Input<string>;
  /** Engine version, node size and count, maintenance window, database and user names. */
  readonly settings: DatabaseConfig;
  /** VPC the cluster's private network joins. */
  readonly vpcId: pulumi.Input<string>;
  /** Tag of the app servers: the only sources the database firewall admits. */
  readonly serverTag: pulumi.Input<string>;
  /** Tags of the cluster (service, environment, managed-by). */
  readonly tags: readonly string[];
}

/**
 * A managed Postgres cluster on the stack's private network with one database and one user,
 * reachable only from the app's servers. The cluster, database and user are protected and kept
 * if removed from the stack; credentials leave the component only as secrets.
 */
export class Database extends pulumi.ComponentResource {
  /** The cluster's ID. */
  readonly clusterId: pulumi.Output<string>;
  /** Private host name of the cluster. */
  readonly host: pulumi.Output<string>;
  /** Port of the cluster. */
  readonly port: pulumi.Output<number>;
  /** The app user's password (secret). */
  readonly password: pulumi.Output<string>;
  /** `postgresql://` URI for the app user over the private network, TLS required (secret). */
  readonly uri: pulumi.Output<string>;

  /**
   * @param name component name; children are `${name}-cluster`, `-db`, `-user`, `-firewall`
   * @param args database settings
   * @param opts resource options
   */
  constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("phoenix:digitalocean:Database", name, {}, opts);
    const s = args.settings;
    // Losing any of these loses data or locks the app out: refuse deletion, keep on removal.
    const keep = { parent: this, protect: true, retainOnDelete: true };
    const cluster = new digitalocean.DatabaseCluster(
      `${name}-cluster`,
      {
        name: `${name}-cluster`,
        engine: "pg",
        version: s.engineVersion,
        size: s.size,
        nodeCount: s.nodeCount,
        region: args.region,
        privateNetworkUuid: args.vpcId,
        maintenanceWindows: [{ day: s.maintenanceDay, hour: s.maintenanceHour }],
        tags: [...args.tags],
      },
      keep,
    );
    const db = new digitalocean.DatabaseDb(
      `${name}-db`,
      { clusterId: cluster.id, name: s.name },
      keep,
    );
    const user = new digitalocean.DatabaseUser(
      `${name}-user`,
      { clusterId: cluster.id, name: s.user },
      keep,
    );
    new digitalocean.DatabaseFirewall(
      `${name}-firewall`,
      { clusterId: cluster.id, rules: [{ type: "tag", value: args.serverTag }] },
      { parent: this },
    );

    this.clusterId = cluster.id;
    this.host = cluster.privateHost;
    this.port = cluster.port;
    this.password = pulumi.secret(user.password);
    this.uri = pulumi.secret(
      pulumi.interpolate`postgresql://${user.name}:${user.password.apply(encodeURIComponent)}@${cluster.privateHost}:${cluster.port}/${db.name}?sslmode=require`,
    );
    this.registerOutputs({
      clusterId: this.clusterId,
      host: this.host,
      port: this.port,
      password: this.password,
      uri: this.uri,
    });
  }
}
