import { readFileSync } from "fs";
import * as path from "path";
import { stringify } from "yaml";
import { dataVolumeFiles } from "../core/cloud-init/data-volume-files";
import { renderEnvironmentFile } from "../core/cloud-init/environment-file";
import { DATA_VOLUME_UNIT } from "../core/cloud-init/paths";
import { deployUsers } from "./deploy-user";
import { renderNftablesRuleset } from "./nftables";
import { withFirewall } from "./user-data-firewall";

/** Postgres's port. */
export const POSTGRES_PORT = 5432;

/** Where the database server keeps its data disk mounted: Debian's Postgres root. */
export const POSTGRES_DATA_PATH = "/var/lib/postgresql";
/**
 * The data disk as the guest sees it: SCSI unit 1 of the first controller, which vSphere puts at
 * PCI 0000:03:00.0 in a Linux guest (the boot disk is unit 0). By path, because the disk's own
 * serial is only known once it is attached.
 */
export const DATA_DISK_DEVICE = "/dev/disk/by-path/pci-0000:03:00.0-scsi-0:0:1:0";
/** The root-only file the server's settings and the app role's password are written to. */
export const POSTGRES_ENV_PATH = "/etc/phoenix/postgresql.env";
export const POSTGRES_INIT_PATH = "/usr/local/sbin/phoenix-postgres-init";
export const POSTGRES_RELEASE_PATH = "/usr/local/sbin/phoenix-postgres-release";

const script = (file: string): string => readFileSync(path.join(__dirname, file), "utf8");

/** What the database server's user data needs. */
export interface DatabaseUserDataArgs {
  /** Postgres major version the template carries. */
  readonly version: string;
  readonly databaseName: string;
  readonly user: string;
  /** The app role's password (a secret: it goes into the root-only environment file only). */
  readonly password: string;
  /** The app servers' block: the only source admitted to Postgres. */
  readonly appCidr: string;
  readonly adminCidrs: readonly string[];
  readonly sshUser: string;
  readonly sshPublicKey: string;
}

/**
 * The `#cloud-config` of the Postgres server: its host firewall (Postgres from the app servers'
 * block only, SSH from the admin CIDRs), the data disk mounted at /var/lib/postgresql (a
 * filesystem made only on a blank disk, never on a used one), the cluster started from it by
 * `postgres-init.sh`, and `postgres-release.sh`, which the runner's user may sudo (and nothing
 * else) to stop Postgres and unmount the disk before the server is rebuilt.
 */
export function renderDatabaseUserData(args: DatabaseUserDataArgs): string {
  const dataVolume = {
    devicePath: DATA_DISK_DEVICE,
    mountPath: POSTGRES_DATA_PATH,
    filesystem: "ext4" as const,
  };
  const clusterDropIn = [
    "[Unit]",
    `Requires=${DATA_VOLUME_UNIT}`,
    `After=${DATA_VOLUME_UNIT}`,
    `AssertPathIsMountPoint=${POSTGRES_DATA_PATH}`,
    "",
  ].join("\n");
  const files = [
    {
      path: POSTGRES_ENV_PATH,
      owner: "root:root",
      permissions: "0600",
      content: renderEnvironmentFile({
        PHOENIX_PG_VERSION: args.version,
        PHOENIX_PG_PORT: String(POSTGRES_PORT),
        PHOENIX_DB_NAME: args.databaseName,
        PHOENIX_DB_USER: args.user,
        PHOENIX_DB_PASSWORD: args.password,
        PHOENIX_APP_CIDR: args.appCidr,
      }),
    },
    ...dataVolumeFiles("postgresql", dataVolume),
    {
      path: "/etc/systemd/system/postgresql@.service.d/phoenix.conf",
      owner: "root:root",
      permissions: "0644",
      content: clusterDropIn,
    },
    {
      path: POSTGRES_INIT_PATH,
      owner: "root:root",
      permissions: "0755",
      content: script("postgres-init.sh"),
    },
    {
      path: POSTGRES_RELEASE_PATH,
      owner: "root:root",
      permissions: "0755",
      content: script("postgres-release.sh"),
    },
  ];
  const config = {
    users: deployUsers(args.sshUser, args.sshPublicKey, [POSTGRES_RELEASE_PATH]),
    write_files: files,
    runcmd: [
      ["systemctl", "daemon-reload"],
      // Blocks until the disk is mounted (or fails, and Postgres's Requires= keeps it down).
      ["systemctl", "enable", "--now", DATA_VOLUME_UNIT],
      [POSTGRES_INIT_PATH],
    ],
  };
  const ruleset = renderNftablesRuleset({
    role: "database",
    appServerAddresses: [args.appCidr],
    adminCidrs: args.adminCidrs,
  });
  return withFirewall(
    `#cloud-config\n${stringify(config, { version: "1.1", lineWidth: 0 })}`,
    ruleset,
  );
}
