import { ChildProcess } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { exited, run, startProcess } from "./processes";
import { qmp } from "./qmp";

/** The image a VM boots: a root filesystem and the kernel and initrd to boot it directly. */
export interface TestImage {
  readonly dir: string;
}

/** A data volume: a raw disk file, attached as the platform names it inside the server. */
export interface TestVolume {
  readonly file: string;
  /**
   * The QEMU device properties that make udev name it as the platform does, e.g. for
   * DigitalOcean `vendor=DO,product=Volume,device_id=<name>` gives
   * `/dev/disk/by-id/scsi-0DO_Volume_<name>`.
   */
  readonly scsiProperties: string;
}

/** How to boot one VM. */
export interface VmOptions {
  readonly name: string;
  readonly image: TestImage;
  /** Its root disk: a copy of the image's, made fresh for a new server, kept for a reboot. */
  readonly rootDisk: string;
  readonly userData: string;
  /** The server's hostname and instance ID (a new one makes cloud-init run as on a new server). */
  readonly instanceId: string;
  readonly volume?: TestVolume;
  /** The app's port in the guest, forwarded from this loopback port on the host. */
  readonly appPort: number;
  readonly hostPort: number;
  readonly accel: "kvm" | "tcg";
  readonly workDir: string;
}

/** What the guest's report unit printed at the end of its boot. */
export interface BootReport {
  readonly cloudInit: string;
  readonly failedUnits: string[];
  readonly app: string;
  readonly mount: string;
}

/** A VM under QEMU: started, probed over loopback, read back through its console and disks. */
export class TestVm {
  readonly console: string;
  private readonly qmpSocket: string;
  private readonly process: ChildProcess;
  readonly startedAt = Date.now();

  /** Boots the VM (returns at once; wait with {@link waitForReport} or {@link waitForHealthy}). */
  constructor(readonly options: VmOptions) {
    const dir = path.join(options.workDir, options.name);
    fs.mkdirSync(dir, { recursive: true });
    this.console = path.join(dir, "console.log");
    this.qmpSocket = path.join(dir, "qmp.sock");
    const seed = path.join(dir, "seed.iso");
    fs.writeFileSync(path.join(dir, "user-data"), options.userData);
    fs.writeFileSync(
      path.join(dir, "meta-data"),
      `instance-id: ${options.instanceId}\nlocal-hostname: ${options.name}\n`,
    );
    run("genisoimage", [
      "-quiet",
      "-output",
      seed,
      "-volid",
      "cidata",
      "-joliet",
      "-rock",
      path.join(dir, "user-data"),
      path.join(dir, "meta-data"),
    ]);
    const image = options.image.dir;
    const args = [
      "-name",
      options.name,
      "-machine",
      "q35",
      ...(options.accel === "kvm"
        ? ["-accel", "kvm", "-cpu", "host"]
        : ["-accel", "tcg,tb-size=256"]),
      "-m",
      "512",
      "-smp",
      "2",
      "-display",
      "none",
      "-serial",
      `file:${this.console}`,
      "-monitor",
      "none",
      "-qmp",
      `unix:${this.qmpSocket},server=on,wait=off`,
      "-kernel",
      path.join(image, "vmlinuz"),
      "-initrd",
      path.join(image, "initrd.img"),
      "-append",
      "root=LABEL=phoenix-root ro console=ttyS0 quiet fsck.mode=skip",
      "-drive",
      `file=${options.rootDisk},if=virtio,format=raw`,
      "-drive",
      `file=${seed},if=virtio,format=raw,readonly=on`,
      // Loopback only, and the guest reaches nothing beyond it.
      "-netdev",
      `user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:${options.hostPort}-:${options.appPort}`,
      "-device",
      "virtio-net-pci,netdev=n0",
      "-device",
      "virtio-scsi-pci,id=scsi0",
      ...(options.volume ? volumeArgs(options.volume) : []),
    ];
    this.process = startProcess("qemu-system-x86_64", args);
  }

  /** The PID of the VM's QEMU process. */
  get pid(): number {
    return this.process.pid as number;
  }

  /** Whether QEMU is still running. */
  get running(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  /** QEMU's resident memory, MiB. */
  residentMiB(): number {
    const status = fs.readFileSync(`/proc/${this.pid}/status`, "utf8");
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
  }

  /** What the console holds so far. */
  consoleText(): string {
    return fs.existsSync(this.console) ? fs.readFileSync(this.console, "utf8") : "";
  }

  /** Waits for the guest's end-of-boot report, the n-th one since it started (reboots add one). */
  async waitForReport(timeoutMs: number, nth = 1): Promise<BootReport> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const reports = [
        ...this.consoleText().matchAll(/PHOENIX-REPORT-BEGIN\r?\n([\s\S]*?)PHOENIX-REPORT-END/g),
      ];
      const text = reports[nth - 1]?.[1];
      if (text !== undefined) {
        // Each console line may carry the kernel's timestamp and the unit's name first.
        const field = (name: string) =>
          new RegExp(`(?:^|: )${name}: (.*)$`, "m").exec(text)?.[1]?.trim() ?? "";
        return {
          cloudInit: field("cloud-init"),
          failedUnits: field("failed-units").split(/\s+/).filter(Boolean),
          app: field("app"),
          mount: field("mount"),
        };
      }
      if (!this.running)
        throw new Error(`${this.options.name}: QEMU exited before the boot report`);
      if (Date.now() > deadline)
        throw new Error(
          `${this.options.name}: no boot report within ${timeoutMs / 1000}s (console: ${this.console})`,
        );
      await sleep(1000);
    }
  }

  /** Attaches the volume while the server runs, as a platform attaches a volume late. */
  async attachVolume(volume: TestVolume): Promise<void> {
    await qmp(this.qmpSocket, "human-monitor-command", {
      "command-line": `drive_add 0 if=none,id=vol,file=${volume.file},format=raw`,
    });
    await qmp(this.qmpSocket, "device_add", {
      driver: "scsi-hd",
      drive: "vol",
      bus: "scsi0.0",
      ...Object.fromEntries(volume.scsiProperties.split(",").map((kv) => kv.split("="))),
    });
  }

  /** Shuts the guest down cleanly (ACPI power button), or kills QEMU after `timeoutMs`. */
  async powerDown(timeoutMs = 60_000): Promise<"clean" | "killed"> {
    if (!this.running) return "clean";
    await qmp(this.qmpSocket, "system_powerdown").catch(() => undefined);
    if (await exited(this.process, timeoutMs)) return "clean";
    this.process.kill("SIGKILL");
    await exited(this.process, 5000);
    return "killed";
  }
}

function volumeArgs(volume: TestVolume): string[] {
  return [
    "-drive",
    `if=none,id=vol,file=${volume.file},format=raw`,
    "-device",
    `scsi-hd,drive=vol,bus=scsi0.0,${volume.scsiProperties}`,
  ];
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
