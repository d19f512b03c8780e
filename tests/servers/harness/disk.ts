import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { run } from "./processes";

/**
 * Mounts a raw disk image read-only on a fresh directory (through a loop device), runs `read`
 * on it, and always unmounts and detaches it again. ext4's journal is not replayed (`noload`),
 * so reading changes nothing on the disk.
 */
export async function readDisk<T>(
  file: string,
  read: (root: string) => T | Promise<T>,
): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "phoenix-disk-"));
  const type = run("blkid", ["-p", "-o", "value", "-s", "TYPE", file]).trim();
  const options = type === "xfs" ? "loop,ro,norecovery" : "loop,ro,noload";
  run("mount", ["-o", options, file, dir]);
  try {
    return await read(dir);
  } finally {
    run("umount", ["-d", dir]);
    fs.rmdirSync(dir);
  }
}

/** The filesystem UUID of a raw disk image ("" for a blank one). */
export function filesystemUuid(file: string): string {
  try {
    return run("blkid", ["-p", "-o", "value", "-s", "UUID", file]).trim();
  } catch {
    return "";
  }
}

/** The messages of a guest's persistent journal, as `journalctl -o cat` prints them. */
export function journal(root: string): string {
  return run("journalctl", [
    "--directory",
    path.join(root, "var/log/journal"),
    "--no-pager",
    "-o",
    "short-monotonic",
  ]);
}

/** Loop devices still attached to files under a directory (none should be, after a run). */
export function loopDevicesUnder(dir: string): string[] {
  return run("losetup", ["--list", "--noheadings", "--output", "NAME,BACK-FILE"])
    .split("\n")
    .filter((line) => line.includes(dir));
}
