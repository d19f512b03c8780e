// Where cloud-init puts things on the server. These paths are a contract with the image and with
// servers already running: changing one leaves the old file behind on rebuilt-in-place disks and
// breaks units that refer to it.

/** Name of the oneshot unit that prepares and mounts the data volume. */
export const DATA_VOLUME_UNIT = "phoenix-data-volume.service";

/** Where that unit's file is written. */
export const DATA_VOLUME_UNIT_PATH = `/etc/systemd/system/${DATA_VOLUME_UNIT}`;

/** Where the volume script is installed on the server. */
export const DATA_VOLUME_SCRIPT_PATH = "/usr/local/sbin/phoenix-mount-data-volume";

/**
 * @param service the app's unit name without `.service`
 * @returns the path of the app's environment file, e.g. `/etc/phoenix/shop.env`
 */
export function environmentFilePath(service: string): string {
  return `/etc/phoenix/${service}.env`;
}

/**
 * @param service the app's unit name without `.service`
 * @returns the path of Phoenix's drop-in for the app's unit
 */
export function appDropInPath(service: string): string {
  return `/etc/systemd/system/${service}.service.d/10-phoenix.conf`;
}
