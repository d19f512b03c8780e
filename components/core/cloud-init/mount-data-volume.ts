import * as fs from "fs";
import * as path from "path";

/**
 * Path of the data-volume script in this source tree. It is read at run time rather than
 * embedded in a string, so that `shellcheck` and the loop-device tests check the very file that
 * ships.
 */
export const MOUNT_DATA_VOLUME_SCRIPT = path.join(__dirname, "mount-data-volume.sh");

/**
 * @returns the text of the data-volume script, as installed on servers with a data volume
 */
export function readMountDataVolumeScript(): string {
  return fs.readFileSync(MOUNT_DATA_VOLUME_SCRIPT, "utf8");
}
