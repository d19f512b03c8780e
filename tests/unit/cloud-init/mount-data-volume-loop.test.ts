// Runs the data-volume script for real, as root, against loop devices backed by sparse files:
// the only honest evidence that it formats a blank volume, and never reformats a used one.
// A machine that cannot attach loop devices fails these tests (it must not pass by skipping).
import * as fs from "fs";
import * as path from "path";
import { MOUNT_DATA_VOLUME_SCRIPT } from "../../../components/core/cloud-init/mount-data-volume";
import { makeTempDir, requireTool, run, RunResult, runOk } from "./tools";

const OPTIONS = "defaults,nofail,x-systemd.device-timeout=30s";
const MiB = 1024 * 1024;

// Undone in reverse order after each test, whatever happened in it.
const cleanups: (() => void)[] = [];
afterEach(() => {
  const errors: string[] = [];
  for (let undo = cleanups.pop(); undo; undo = cleanups.pop()) {
    try {
      undo();
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  if (errors.length > 0) throw new Error(`cleanup failed:\n${errors.join("\n")}`);
});

interface Scratch {
  readonly dir: string;
  /** Sparse backing file of the volume. */
  readonly image: string;
  /** Mount point (not created: the script must create it). */
  readonly mnt: string;
  /** The fstab the script edits (PHOENIX_FSTAB). */
  readonly fstab: string;
}

function scratch(sizeMiB = 64): Scratch {
  const dir = makeTempDir("volume");
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const image = path.join(dir, "volume.img");
  fs.writeFileSync(image, "");
  fs.truncateSync(image, sizeMiB * MiB);
  return { dir, image, mnt: path.join(dir, "mnt"), fstab: path.join(dir, "fstab") };
}

/** Attaches `image` to a free loop device, creating device nodes if the machine lacks them. */
function attachLoop(image: string): string {
  requireTool("losetup", "mount");
  let r = run("losetup", ["--find", "--show", image]);
  if (r.status !== 0) {
    run("modprobe", ["loop"]); // may be built in or absent: only the retry's result counts
    r = run("losetup", ["--find", "--show", image]);
  }
  let device = r.status === 0 ? r.stdout.trim() : undefined;
  // Where /dev is not a devtmpfs (some containers), the kernel's free loop devices have no node.
  for (let i = 0; device === undefined && i < 64; i++) {
    const node = `/dev/loop${i}`;
    if (!fs.existsSync(node) && run("mknod", [node, "b", "7", String(i)]).status !== 0) continue;
    const a = run("losetup", ["--show", node, image]);
    if (a.status === 0) device = a.stdout.trim();
  }
  if (device === undefined) {
    throw new Error(
      `cannot attach a loop device to ${image}; these tests need root and loop devices ` +
        `(/dev/loop-control or the loop module). losetup said: ${r.stderr.trim()}`,
    );
  }
  const attached = device;
  cleanups.push(() => runOk("losetup", ["-d", attached]));
  return attached;
}

/** Unmounts `mnt` after the test, however many times something got mounted there. */
function unmountAfter(mnt: string): void {
  cleanups.push(() => {
    for (let i = 0; i < 5 && run("mountpoint", ["-q", mnt]).status === 0; i++) {
      runOk("umount", [mnt]);
    }
  });
}

function runScript(s: Scratch, device: string, fsType: string, waitSeconds = 5): RunResult {
  unmountAfter(s.mnt);
  return run("bash", [MOUNT_DATA_VOLUME_SCRIPT, device, s.mnt, fsType], {
    env: { PHOENIX_FSTAB: s.fstab, PHOENIX_DEVICE_WAIT_SECONDS: String(waitSeconds) },
  });
}

function expectSuccess(r: RunResult): void {
  expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
}

function probe(device: string, tag: "TYPE" | "UUID" | "PTTYPE"): string {
  return run("blkid", ["-p", "-o", "value", "-s", tag, device]).stdout.trim();
}

/** Sources mounted at `mnt`, one per mount stacked there. */
function mountedAt(mnt: string): string[] {
  const r = run("findmnt", ["-n", "-o", "SOURCE", "--mountpoint", mnt]);
  return r.stdout.split("\n").filter((line) => line !== "");
}

/** Formats `device` as the test's precondition (the script never runs mkfs on a used volume). */
function formatWithFile(device: string, s: Scratch, content: string): string {
  runOk("mkfs.ext4", ["-q", "-F", device]);
  const tmpMnt = path.join(s.dir, "setup");
  fs.mkdirSync(tmpMnt);
  runOk("mount", [device, tmpMnt]);
  try {
    fs.writeFileSync(path.join(tmpMnt, "data.txt"), content);
  } finally {
    runOk("umount", [tmpMnt]);
  }
  return probe(device, "UUID");
}

function readFileReadOnly(device: string, s: Scratch): string {
  const roMnt = path.join(s.dir, "readonly");
  fs.mkdirSync(roMnt, { recursive: true });
  runOk("mount", ["-o", "ro", device, roMnt]);
  try {
    return fs.readFileSync(path.join(roMnt, "data.txt"), "utf8");
  } finally {
    runOk("umount", [roMnt]);
  }
}

describe("mount-data-volume.sh on a loop device", () => {
  beforeAll(() => {
    requireTool("blkid", "util-linux");
    requireTool("mkfs.ext4", "e2fsprogs");
    requireTool("mkfs.xfs", "xfsprogs");
    requireTool("findmnt", "util-linux");
    if (process.getuid?.() !== 0) throw new Error("these tests must run as root (mount, losetup)");
  });

  it("A: creates a filesystem on a blank volume, records it in fstab by UUID and mounts it", () => {
    const s = scratch();
    const device = attachLoop(s.image);
    const before = [
      "# /etc/fstab: static file system information.",
      "UUID=11111111-2222-3333-4444-555555555555 / ext4 errors=remount-ro 0 1",
      `UUID=0ld-v0lume ${s.mnt} ext4 defaults 0 2`,
      "/dev/sr0 /media/cdrom0 udf,iso9660 user,noauto 0 0",
      "",
    ];
    fs.writeFileSync(s.fstab, before.join("\n"));

    const first = runScript(s, device, "ext4");
    expectSuccess(first);
    expect(first.stdout).toContain("is blank; creating a filesystem of type ext4");
    expect(probe(device, "TYPE")).toBe("ext4");
    const uuid = probe(device, "UUID");
    expect(uuid).toMatch(/^[0-9a-f-]{36}$/);
    const expectedFstab = [...before];
    // The stale line for this mount point is replaced in place; the others are left alone.
    expectedFstab[2] = `UUID=${uuid} ${s.mnt} ext4 ${OPTIONS} 0 2`;
    expect(fs.readFileSync(s.fstab, "utf8")).toBe(expectedFstab.join("\n"));
    expect(mountedAt(s.mnt)).toEqual([device]);

    // Idempotent: a second run changes nothing and mounts nothing twice.
    const second = runScript(s, device, "ext4");
    expectSuccess(second);
    expect(second.stdout).toContain("already holds a filesystem of type ext4; keeping it");
    expect(probe(device, "UUID")).toBe(uuid);
    expect(fs.readFileSync(s.fstab, "utf8")).toBe(expectedFstab.join("\n"));
    expect(mountedAt(s.mnt)).toEqual([device]);
  });

  it("A (xfs): creates an xfs filesystem on a blank volume and an fstab that did not exist", () => {
    const s = scratch(320); // mkfs.xfs wants at least 300 MiB; the file stays sparse
    const device = attachLoop(s.image);
    expectSuccess(runScript(s, device, "xfs"));
    expect(probe(device, "TYPE")).toBe("xfs");
    const line = `UUID=${probe(device, "UUID")} ${s.mnt} xfs ${OPTIONS} 0 2\n`;
    expect(fs.readFileSync(s.fstab, "utf8")).toBe(line);
    expect((fs.statSync(s.fstab).mode & 0o777).toString(8)).toBe("644");
    expect(mountedAt(s.mnt)).toEqual([device]);
  });

  it("B: keeps the filesystem and data of a used volume, run twice and after a rebuild", () => {
    const s = scratch();
    const device = attachLoop(s.image);
    const content = `order history ${Date.now()}\n`;
    const uuid = formatWithFile(device, s, content);

    for (const run of ["first", "second"]) {
      const r = runScript(s, device, "ext4");
      expectSuccess(r);
      expect(r.stdout).not.toContain("creating");
      expect({ run, uuid: probe(device, "UUID") }).toEqual({ run, uuid });
      expect(fs.readFileSync(path.join(s.mnt, "data.txt"), "utf8")).toBe(content);
      expect(fs.readFileSync(s.fstab, "utf8")).toBe(`UUID=${uuid} ${s.mnt} ext4 ${OPTIONS} 0 2\n`);
      expect(mountedAt(s.mnt)).toEqual([device]);
    }

    // A rebuilt server sees the same volume unmounted: mounted again, nothing lost.
    runOk("umount", [s.mnt]);
    expectSuccess(runScript(s, device, "ext4"));
    expect(fs.readFileSync(path.join(s.mnt, "data.txt"), "utf8")).toBe(content);
    expect(probe(device, "UUID")).toBe(uuid);
  });

  it("C: refuses a volume holding another filesystem type, leaving it and fstab untouched", () => {
    const s = scratch();
    const device = attachLoop(s.image);
    const content = "precious\n";
    const uuid = formatWithFile(device, s, content);
    fs.writeFileSync(s.fstab, "# untouched\n");

    const r = runScript(s, device, "xfs");
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(
      `phoenix-mount-data-volume: error: ${device} holds a signature of type 'ext4', not xfs; ` +
        "refusing to reformat it",
    );
    expect(probe(device, "TYPE")).toBe("ext4");
    expect(probe(device, "UUID")).toBe(uuid);
    expect(fs.readFileSync(s.fstab, "utf8")).toBe("# untouched\n");
    expect(mountedAt(s.mnt)).toEqual([]);
    expect(readFileReadOnly(device, s)).toBe(content);
  });

  it("C (partition table): refuses a volume with a partition table, leaving it untouched", () => {
    const s = scratch();
    // A DOS partition table: one Linux partition from sector 2048, and the boot signature.
    const mbr = Buffer.alloc(512);
    mbr[446 + 4] = 0x83;
    mbr.writeUInt32LE(2048, 446 + 8);
    mbr.writeUInt32LE(64 * 2048 - 2048, 446 + 12);
    mbr[510] = 0x55;
    mbr[511] = 0xaa;
    const fd = fs.openSync(s.image, "r+");
    fs.writeSync(fd, mbr, 0, 512, 0);
    fs.closeSync(fd);
    const device = attachLoop(s.image);
    expect(probe(device, "PTTYPE")).toBe("dos");

    const r = runScript(s, device, "ext4");
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`${device} holds a 'dos' partition table`);
    expect(probe(device, "PTTYPE")).toBe("dos");
    expect(probe(device, "TYPE")).toBe("");
    expect(fs.readFileSync(s.image).subarray(0, 512)).toEqual(mbr);
    expect(fs.existsSync(s.fstab)).toBe(false);
  });

  it("D: gives up with a clear message when the device never appears", () => {
    const s = scratch();
    const device = `/dev/phoenix-test-absent-${process.pid}`;
    const started = Date.now();
    const r = runScript(s, device, "ext4", 2);
    const elapsedMs = Date.now() - started;
    expect({ status: r.status, stderr: r.stderr }).toEqual({
      status: 1,
      stderr: `phoenix-mount-data-volume: error: block device ${device} did not appear within 2s\n`,
    });
    expect(elapsedMs).toBeGreaterThanOrEqual(2000);
    expect(elapsedMs).toBeLessThan(8000);
    expect(fs.existsSync(s.fstab)).toBe(false);
  });

  it("E: refuses to mount when another filesystem is already mounted there", () => {
    const s = scratch();
    const device = attachLoop(s.image);
    formatWithFile(device, s, "x\n");
    fs.mkdirSync(s.mnt);
    runOk("mount", ["-t", "tmpfs", "phoenix-test", s.mnt]);
    unmountAfter(s.mnt);

    const r = runScript(s, device, "ext4");
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`${s.mnt} already has another filesystem mounted`);
    expect(mountedAt(s.mnt)).toEqual(["phoenix-test"]);
  });

  it.each<[string[], RegExp]>([
    [["/dev/null", "/data"], /usage: phoenix-mount-data-volume DEVICE MOUNTPOINT FSTYPE/],
    [["/dev/null", "/data", "btrfs"], /unsupported filesystem type 'btrfs'/],
    [["/dev/null", "/", "ext4"], /mount point '\/' must be an absolute path other than \//],
    [["/dev/null", "/a b", "ext4"], /mount point '\/a b' must be/],
  ])("rejects bad arguments %j before touching anything", (args, message) => {
    const r = run("bash", [MOUNT_DATA_VOLUME_SCRIPT, ...args]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
  });
});
