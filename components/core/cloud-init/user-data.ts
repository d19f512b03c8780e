import { stringify } from "yaml";
import { DataVolumeMount } from "./data-volume-mount";
import { dataVolumeFiles } from "./data-volume-files";
import { renderEnvironmentFile } from "./environment-file";
import { assertServiceName } from "./input-checks";
import { appDropInPath, DATA_VOLUME_UNIT, environmentFilePath } from "./paths";
import { renderAppDropIn } from "./systemd-units";
import { WriteFile } from "./write-file";

export type { DataVolumeMount } from "./data-volume-mount";

/** What a server needs beyond its image: the app's environment and, optionally, its data volume. */
export interface UserDataInput {
  /** systemd unit of the app baked into the image, without ".service", e.g. "shop" */
  readonly service: string;
  /** environment for the app; values may be secrets already unwrapped by the caller */
  readonly environment: Readonly<Record<string, string>>;
  /** optional persistent data volume */
  readonly dataVolume?: DataVolumeMount;
}

/**
 * Renders the cloud-config user data for one server: the app is baked into the image, so this
 * adds only what differs per environment (its environment file, a drop-in for its unit and,
 * with a data volume, the unit and script that mount it), then starts the app.
 *
 * Environment values (possibly secrets) appear only in the 0600 environment file's
 * `write_files` content: never in `runcmd`/`bootcmd`, which cloud-init writes to a script and
 * logs, and no `output`/debug settings are emitted. They are still readable by anyone who can
 * read the instance's user data (the metadata service, the cloud console or API).
 *
 * The output is deterministic (variables sorted), so an unchanged stack yields unchanged user
 * data. It is emitted as YAML 1.1, the dialect cloud-init's PyYAML reads, so strings like `on`
 * or `0600` stay strings.
 *
 * @param input the app's unit, its environment and optional data volume
 * @returns `#cloud-config` user data
 * @throws Error naming the setting and value if the service name, an environment variable
 *   name, the device path, mount path or filesystem is invalid
 */
export function renderUserData(input: UserDataInput): string {
  const { service, environment, dataVolume } = input;
  assertServiceName(service);
  const unit = `${service}.service`;

  const files: WriteFile[] = [
    {
      path: environmentFilePath(service),
      owner: "root:root",
      permissions: "0600",
      content: renderEnvironmentFile(environment),
    },
    {
      path: appDropInPath(service),
      owner: "root:root",
      permissions: "0644",
      content: renderAppDropIn(service, dataVolume),
    },
  ];
  // write_files runs after systemd has loaded its units, so it must re-read them before the
  // drop-in and the volume unit take effect.
  const runcmd: string[][] = [["systemctl", "daemon-reload"]];

  if (dataVolume) {
    files.push(...dataVolumeFiles(service, dataVolume));
    // Blocks until the volume is mounted (or fails, and the app's Requires= keeps it down).
    runcmd.push(["systemctl", "enable", "--now", DATA_VOLUME_UNIT]);
  }
  // restart, not start: the image may have started the app before its drop-in existed.
  runcmd.push(["systemctl", "enable", unit], ["systemctl", "restart", unit]);

  const body = stringify({ write_files: files, runcmd }, { version: "1.1", lineWidth: 0 });
  return `#cloud-config\n${body}`;
}
