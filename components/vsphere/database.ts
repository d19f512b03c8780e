import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { DatabaseConfig, DATABASE_URL_VARIABLE } from "../core/config/stack-config";
import { AddressPlan } from "./addresses";
import {
  POSTGRES_DATA_PATH,
  POSTGRES_PORT,
  POSTGRES_RELEASE_PATH,
  renderDatabaseUserData,
} from "./database-user-data";
import { guestVm } from "./guest-vm";
import { Placement } from "./placement";
import { VirtualDisk, VirtualMachine } from "./provider";
import { SshAccess, sshConnection } from "./ssh";
import { VSPHERE_COMPONENTS } from "./types";
import { parseVmSize } from "./vm-size";

/** Arguments of a {@link Database}. */
export interface DatabaseArgs {
  readonly service: string;
  readonly environment: string;
  /** Version, size (`<n>cpu-<m>gb`), database and user names. */
  readonly settings: DatabaseConfig;
  readonly placement: Placement;
  readonly addresses: AddressPlan;
  /** The Postgres template (Postgres of `settings.engineVersion` installed, no cluster). */
  readonly template: string;
  /** Size of the data disk in GiB (grows in place; never shrinks). */
  readonly diskGiB: number;
  /** Folder on the datastore that holds the data disk. */
  readonly diskFolder: string;
  readonly adminCidrs: readonly string[];
  /** How the deploy runner logs in to stop Postgres before a rebuild. */
  readonly ssh: SshAccess;
}

/**
 * Postgres on vSphere, which has no managed database: one server cloned from a Postgres template,
 * with its data on a separate `VirtualDisk` that outlives it, rebuilt by the stateful path.
 *
 * - The disk (`${name}-data`, a VMDK in its own folder on the datastore) is protected and
 *   retained: no update, destroy or removal from the program deletes it.
 * - The server attaches it (`attach`, `keepOnRemove`) and never snapshots it: a snapshot would
 *   redirect the disk's writes to a delta file the next server does not open
 *   (terraform-provider-vsphere#1651).
 * - A VMDK opens in one running VM only, so the server is deleted before its replacement
 *   (`deleteBeforeReplace`), and before that `${name}-server-release` runs
 *   `postgres-release.sh` on it over SSH: Postgres stops cleanly and the disk is unmounted; if
 *   either fails, the update stops before the server is touched. Without VMware Tools finishing a
 *   guest shutdown the server is not powered off either (`forcePowerOff: false`).
 * - The firewall admits Postgres from the app servers' block only; the app role's password is a
 *   generated secret that reaches the server only in its root-only environment file (inside the
 *   secret user data) and the app only in `DATABASE_URL`, a secret.
 */
export class Database extends pulumi.ComponentResource {
  /** The data disk. */
  readonly disk: VirtualDisk;
  /** The server. */
  readonly server: VirtualMachine;
  /** Its address. */
  readonly host: pulumi.Output<string>;
  /** `postgresql://user:password@host:5432/db?sslmode=require`, a secret. */
  readonly uri: pulumi.Output<string>;
  /** `DATABASE_URL` for the app. */
  readonly appEnvironment: pulumi.Output<Record<string, string>>;

  /**
   * @param name component name; the disk is `${name}-data`, the server's group `${name}-server`
   * @param args settings
   * @param opts resource options
   */
  constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    const size = parseVmSize(args.settings.size);
    const address = args.addresses.database;
    if (size === undefined || address === undefined)
      throw new Error(
        `Database ${name}: received size ${JSON.stringify(args.settings.size)} and address ${JSON.stringify(address)}; allowed: a <n>cpu-<m>gb size and the plan's database address`,
      );
    super(
      VSPHERE_COMPONENTS.database,
      name,
      {
        engineVersion: args.settings.engineVersion,
        size: args.settings.size,
        template: args.template,
      },
      opts,
    );
    const tags = { service: args.service, environment: args.environment };
    this.disk = new VirtualDisk(
      `${name}-data`,
      {
        vmdkPath: `${args.diskFolder}/${args.service}-${args.environment}-postgres-data.vmdk`,
        datastore: args.placement.datastoreName,
        size: args.diskGiB,
        type: "thin",
        createDirectories: true,
      },
      // The data outlives every server and the stack itself.
      { parent: this, protect: true, retainOnDelete: true },
    );
    const password = new random.RandomPassword(
      `${name}-password`,
      { length: 32, special: false },
      { parent: this, additionalSecretOutputs: ["result"] },
    );
    const group = new DatabaseServer(`${name}-server`, { image: args.template }, { parent: this });
    const userData = password.result.apply((pw) =>
      renderDatabaseUserData({
        version: args.settings.engineVersion,
        databaseName: args.settings.name,
        user: args.settings.user,
        password: pw,
        appCidr: args.addresses.serverBlock,
        adminCidrs: args.adminCidrs,
        sshUser: args.ssh.user,
        sshPublicKey: args.ssh.publicKey,
      }),
    );
    this.server = guestVm(
      `${name}-server-0`,
      {
        placement: args.placement,
        template: args.placement.template(args.template),
        size,
        hostname: `${args.service}-${args.environment}-postgres-0`,
        address,
        addresses: args.addresses,
        userData,
        tags,
        role: "database",
        note: `${args.service} ${args.environment} Postgres ${args.settings.engineVersion}, from template ${args.template}; data on ${args.diskFolder}`,
        attachedDisks: [
          {
            label: "data",
            attach: true,
            path: this.disk.vmdkPath,
            datastoreId: args.placement.datastoreId,
            unitNumber: 1,
            // Deleting the server leaves the VMDK where it is.
            keepOnRemove: true,
          },
        ],
        shutdown: { forcePowerOff: false, waitMinutes: 5 },
      },
      { parent: group, deleteBeforeReplace: true },
    );
    new command.remote.Command(
      `${name}-server-release`,
      {
        connection: sshConnection(args.ssh, address),
        delete: `sudo -n ${POSTGRES_RELEASE_PATH} ${POSTGRES_DATA_PATH}`,
        // Replaced whenever the server is: its delete runs on the old server, before it goes.
        triggers: [this.server.id],
      },
      { parent: group, dependsOn: [this.server] },
    );
    this.host = pulumi.output(address);
    this.uri = pulumi.secret(
      pulumi.interpolate`postgresql://${args.settings.user}:${password.result}@${address}:${POSTGRES_PORT}/${args.settings.name}?sslmode=require`,
    );
    this.appEnvironment = this.uri.apply((uri): Record<string, string> => ({
      [DATABASE_URL_VARIABLE]: uri,
    }));
    this.registerOutputs({ host: this.host });
  }
}

/**
 * The database's server, as a group of one: what the policies know as a server group (the
 * server's tags, firewall and rebuild rules apply to it as to the app's).
 */
export class DatabaseServer extends pulumi.ComponentResource {
  /**
   * @param name component name; the server is `${name}-0`
   * @param args the template it is built from
   * @param opts resource options
   */
  constructor(
    name: string,
    args: { readonly image: string },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super(
      VSPHERE_COMPONENTS.databaseServer,
      name,
      { role: "database", count: 1, image: args.image, frozen: false },
      opts,
    );
    this.registerOutputs({});
  }
}
