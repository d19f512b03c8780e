import {
  assertDevicePath,
  assertFilesystem,
  assertMountPath,
  assertServiceName,
} from "./input-checks";
import { DataVolumeMount } from "./data-volume-mount";
import { DATA_VOLUME_SCRIPT_PATH, DATA_VOLUME_UNIT, environmentFilePath } from "./paths";

/**
 * Renders Phoenix's drop-in for the app's unit (the unit itself is baked into the image).
 *
 * It feeds the unit its environment file and refuses to start it without one (an app started
 * with a missing config would run with defaults). With a data volume it starts the app only
 * after the volume unit has mounted it, and refuses to start it unless the mount point is
 * mounted, so the app never writes into the empty directory under the mount point, i.e. onto
 * the root disk that is thrown away on the next rebuild.
 *
 * It depends on the volume unit, not on the fstab mount (`RequiresMountsFor=`): after a reboot
 * with a volume re-created under the same name, the fstab line names a filesystem UUID that is
 * gone, its mount times out, and an app tied to it would stay down although the volume unit
 * mounts the new filesystem a moment later (seen on a server booted under QEMU,
 * tests/servers).
 *
 * @param service the app's unit name without `.service`
 * @param dataVolume the data volume, if any
 * @returns the drop-in's content
 */
export function renderAppDropIn(service: string, dataVolume?: DataVolumeMount): string {
  assertServiceName(service);
  const envFile = environmentFilePath(service);
  const unit = ["[Unit]", `AssertPathExists=${envFile}`];
  if (dataVolume) {
    assertMountPath(dataVolume.mountPath);
    unit.push(
      `Requires=${DATA_VOLUME_UNIT}`,
      `After=${DATA_VOLUME_UNIT}`,
      `AssertPathIsMountPoint=${dataVolume.mountPath}`,
    );
  }
  return [...unit, "", "[Service]", `EnvironmentFile=${envFile}`, ""].join("\n");
}

/**
 * How long a new server waits for its data volume to appear. On a rebuild the volume reaches the
 * new server only after the old one has shut down and the volume has been detached and attached
 * again, and providers retry each of those for minutes (5 minutes each on one platform, whose
 * tests check this against it): the wait covers all of it, with room to spare, rather than give
 * up while the volume is on its way.
 */
export const DEVICE_WAIT_SECONDS = 900;

/**
 * Renders the oneshot unit that waits for the data volume, creates a filesystem only on a blank
 * one, records it in /etc/fstab and mounts it, before the app starts.
 *
 * @param service the app's unit name without `.service`, ordered after this unit
 * @param dataVolume the data volume
 * @param scriptPath where the volume script is installed; tests point it elsewhere
 * @returns the unit file's content
 */
export function renderDataVolumeUnit(
  service: string,
  dataVolume: DataVolumeMount,
  scriptPath: string = DATA_VOLUME_SCRIPT_PATH,
): string {
  assertServiceName(service);
  assertDevicePath(dataVolume.devicePath);
  assertMountPath(dataVolume.mountPath);
  assertFilesystem(dataVolume.filesystem);
  const args = [scriptPath, dataVolume.devicePath, dataVolume.mountPath, dataVolume.filesystem];
  return [
    "[Unit]",
    `Description=Phoenix data volume for ${service} at ${dataVolume.mountPath}`,
    `Before=${service}.service`,
    "",
    "[Service]",
    "Type=oneshot",
    "RemainAfterExit=yes",
    `Environment=PHOENIX_DEVICE_WAIT_SECONDS=${DEVICE_WAIT_SECONDS}`,
    `ExecStart=${args.join(" ")}`,
    // The script bounds its own device wait; this also bounds a hung mkfs or mount.
    `TimeoutStartSec=${DEVICE_WAIT_SECONDS + 300}`,
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}
