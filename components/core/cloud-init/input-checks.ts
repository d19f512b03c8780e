// These strings end up in unit files, an fstab line and command lines, none of which has a
// quoting scheme shared by all three. So rather than escaping, accept only characters that need
// none anywhere: no whitespace, quotes, backslashes, `%` (a systemd specifier) or `$`.

const SERVICE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const DEVICE_PATTERN = /^\/dev(\/[A-Za-z0-9_.:+-]+)+$/;
const MOUNT_PATTERN = /^(\/[A-Za-z0-9_.+-]+)+$/;

/**
 * Throws unless `service` is a plain systemd service name without its `.service` suffix.
 *
 * @param service e.g. `"shop"`
 * @throws Error naming the value received and what is allowed
 */
export function assertServiceName(service: string): void {
  if (!SERVICE_PATTERN.test(service) || service.endsWith(".service") || service.length > 200) {
    throw new Error(
      `Invalid service ${JSON.stringify(service)}: expected a systemd unit name without ` +
        `".service", made of letters, digits, "_", "." and "-" (e.g. "shop")`,
    );
  }
}

/**
 * Throws unless `devicePath` is an absolute path under `/dev` made of safe characters,
 * e.g. `/dev/disk/by-id/scsi-0Vendor_Volume_shop-data` or `/dev/nvme1n1`.
 *
 * @param devicePath the block device path
 * @throws Error naming the value received and what is allowed
 */
export function assertDevicePath(devicePath: string): void {
  if (!DEVICE_PATTERN.test(devicePath) || hasDotSegment(devicePath)) {
    throw new Error(
      `Invalid dataVolume.devicePath ${JSON.stringify(devicePath)}: expected an absolute path ` +
        `under /dev made of letters, digits and "_", ".", ":", "+", "-" (e.g. "/dev/sdb")`,
    );
  }
}

/** Longest mount path accepted: systemd names the mount unit after it, in at most 255 bytes. */
const MAX_MOUNT_PATH = 200;

/**
 * Whether `mountPath` is a normalised absolute path (not `/`) of safe characters, short enough
 * for systemd to name its mount unit after it.
 */
export function isUsableMountPath(mountPath: string): boolean {
  return (
    MOUNT_PATTERN.test(mountPath) && !hasDotSegment(mountPath) && mountPath.length <= MAX_MOUNT_PATH
  );
}

/**
 * Throws unless `mountPath` is a normalised absolute path (not `/`) made of safe characters.
 *
 * @param mountPath where the data volume is mounted, e.g. `/var/lib/shop`
 * @throws Error naming the value received and what is allowed
 */
export function assertMountPath(mountPath: string): void {
  if (!isUsableMountPath(mountPath)) {
    throw new Error(
      `Invalid dataVolume.mountPath ${JSON.stringify(mountPath)}: expected a normalised ` +
        `absolute path other than "/", made of letters, digits and "_", ".", "+", "-", ` +
        `at most ${MAX_MOUNT_PATH} characters (e.g. "/var/lib/shop")`,
    );
  }
}

/**
 * Throws unless `filesystem` is one the volume script can create.
 *
 * @param filesystem the requested type
 * @throws Error naming the value received and what is allowed
 */
export function assertFilesystem(filesystem: string): void {
  if (filesystem !== "ext4" && filesystem !== "xfs") {
    throw new Error(
      `Invalid dataVolume.filesystem ${JSON.stringify(filesystem)}: expected "ext4" or "xfs"`,
    );
  }
}

function hasDotSegment(p: string): boolean {
  return p.split("/").some((segment) => segment === "." || segment === "..");
}
