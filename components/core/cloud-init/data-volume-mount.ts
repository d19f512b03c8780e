/** A persistent data volume that outlives servers, and where the app expects it. */
export interface DataVolumeMount {
  /**
   * Block device of the volume as the server sees it; prefer a stable name, e.g.
   * `/dev/disk/by-id/<bus>-<serial>`, over one that depends on attach order.
   */
  readonly devicePath: string;
  /** Where it is mounted, e.g. `/var/lib/shop`. */
  readonly mountPath: string;
  /** Filesystem created on a blank volume, and required on a used one (never reformatted). */
  readonly filesystem: "ext4" | "xfs";
}
