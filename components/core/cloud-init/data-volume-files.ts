import { DataVolumeMount } from "./data-volume-mount";
import { readMountDataVolumeScript } from "./mount-data-volume";
import { DATA_VOLUME_SCRIPT_PATH, DATA_VOLUME_UNIT_PATH } from "./paths";
import { renderDataVolumeUnit } from "./systemd-units";
import { WriteFile } from "./write-file";

/**
 * The files that mount a server's data volume: the volume script and the unit that runs it
 * before `service` starts. Enabling the unit (`DATA_VOLUME_UNIT`) is the caller's `runcmd`.
 *
 * @param service the unit that needs the volume, without ".service"
 * @param dataVolume the volume's device, mount path and filesystem
 * @throws Error naming the setting and value if one of them is invalid
 */
export function dataVolumeFiles(service: string, dataVolume: DataVolumeMount): WriteFile[] {
  return [
    {
      path: DATA_VOLUME_SCRIPT_PATH,
      owner: "root:root",
      permissions: "0755",
      content: readMountDataVolumeScript(),
    },
    {
      path: DATA_VOLUME_UNIT_PATH,
      owner: "root:root",
      permissions: "0644",
      content: renderDataVolumeUnit(service, dataVolume),
    },
  ];
}
