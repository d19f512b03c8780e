import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { HEALTH_PROBE_SCRIPT } from "../../components/core/health-probe";
import { readDisk, filesystemUuid, journal, loopDevicesUnder } from "./harness/disk";
import { waitForHealthy, health } from "./harness/health";
import { run, stopAll } from "./harness/processes";
import {
  buildImage,
  detectAccel,
  freePort,
  renderedServer,
  ServerUnderTest,
} from "./harness/setup";
import { BootReport, sleep, TestImage, TestVm } from "./harness/vm";

/**
 * Real servers, booted under QEMU from a Debian image built like a release image, with the user
 * data Phoenix renders: first boot on a blank volume, a rebuild on the same volume, the secrets'
 * hygiene, the ordering of app and volume, reboots in place (the second with a volume
 * re-created under the same name), the health probe against a booted server, and a
 * deliberately broken user data that must fail. Figures are printed at the end.
 */

const BOOT_TIMEOUT_MS = 6 * 60_000;
const SECRET = `phoenix-session-${Math.random().toString(36).slice(2, 14)}-${Date.now()}`;
const figures: string[] = [];
const figure = (line: string) => figures.push(line);

let work: string;
let server: ServerUnderTest;
let image: TestImage;
let accel: "kvm" | "tcg";
const vms: TestVm[] = [];

/** A fresh root disk for a new server (a sparse copy of the image's). */
function freshRoot(name: string): string {
  const file = path.join(work, `${name}-root.raw`);
  run("cp", ["--sparse=always", path.join(image.dir, "root.raw"), file]);
  return file;
}

/** A blank data volume. */
function blankVolume(name: string): string {
  const file = path.join(work, `${name}.raw`);
  fs.rmSync(file, { force: true });
  run("truncate", ["-s", "512M", file]);
  return file;
}

/** Starts a server from the user data (not waiting for it), with its health URL on loopback. */
async function start(
  name: string,
  rootDisk: string,
  volumeFile: string | undefined,
  options: { instanceId?: string; userData?: string } = {},
): Promise<{ vm: TestVm; url: string }> {
  const hostPort = await freePort();
  const vm = new TestVm({
    name,
    image,
    rootDisk,
    userData: options.userData ?? server.userData,
    instanceId: options.instanceId ?? `i-${name}`,
    ...(volumeFile
      ? { volume: { file: volumeFile, scsiProperties: server.volumeProperties } }
      : {}),
    appPort: server.appPort,
    hostPort,
    accel,
    workDir: work,
  });
  vms.push(vm);
  return { vm, url: `http://127.0.0.1:${hostPort}${server.healthPath}` };
}

/** Boots a server from the user data and waits for its end-of-boot report and its app. */
async function boot(
  name: string,
  rootDisk: string,
  volumeFile: string | undefined,
  options: { instanceId?: string; userData?: string; expectHealthy?: boolean } = {},
): Promise<{ vm: TestVm; report: BootReport; url: string; healthyAt?: number; seconds: number }> {
  const { vm, url } = await start(name, rootDisk, volumeFile, options);
  const report = await vm.waitForReport(BOOT_TIMEOUT_MS);
  if (options.expectHealthy === false)
    return { vm, report, url, seconds: (Date.now() - vm.startedAt) / 1000 };
  if (report.app !== "active" || report.failedUnits.length > 0)
    throw new Error(
      `${name}: the server came up broken: ${server.service}.service is ${report.app || "unknown"}; ` +
        `failed units: ${report.failedUnits.join(", ") || "none"}; cloud-init: ${report.cloudInit} (console: ${vm.console})`,
    );
  const { at } = await waitForHealthy(url, 60_000, name);
  const seconds = (at - vm.startedAt) / 1000;
  figure(
    `${name}: boot to healthy ${seconds.toFixed(0)} s (${accel}), QEMU resident ${vm.residentMiB().toFixed(0)} MiB`,
  );
  return { vm, report, url, healthyAt: at, seconds };
}

/** Every world-readable regular file under the given directories of a mounted root. */
function worldReadable(root: string, dirs: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.isFile() && (fs.statSync(file).mode & 0o004) !== 0) found.push(file);
    }
  };
  for (const dir of dirs) if (fs.existsSync(path.join(root, dir))) walk(path.join(root, dir));
  return found;
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "phoenix-servers-"));
  server = await renderedServer(SECRET);
  const started = Date.now();
  const built = buildImage(server);
  image = built;
  figure(
    `image: ${built.cached ? "reused from the cache" : `built in ${built.seconds} s`} (${((Date.now() - started) / 1000).toFixed(0)} s here)`,
  );
  accel = await detectAccel(image, work);
  figure(`acceleration: ${accel}`);
});

afterAll(async () => {
  await Promise.all(vms.map((vm) => vm.powerDown(30_000)));
  const killed = await stopAll();
  const loops = loopDevicesUnder(work);
  const mounts = fs
    .readFileSync("/proc/mounts", "utf8")
    .split("\n")
    .filter((line) => line.includes("phoenix-disk-") || line.includes(work));
  fs.rmSync(work, { recursive: true, force: true });
  const leftovers = run("ps", ["-eo", "pid,args"])
    .split("\n")
    .filter((l) => l.includes(work) && !l.includes("ps -eo"));
  console.log(
    [
      "Server figures:",
      ...figures.map((f) => `  ${f}`),
      `Cleanup: ${killed.length} process(es) had to be killed; left behind: ${loops.length} loop device(s), ${mounts.length} mount(s), ${leftovers.length} process(es)`,
    ].join("\n"),
  );
  expect({ loops, mounts, leftovers, workDir: fs.existsSync(work) }).toEqual({
    loops: [],
    mounts: [],
    leftovers: [],
    workDir: false,
  });
});

describe(`servers booted with the user data Phoenix renders`, () => {
  let volume: string;
  let firstRoot: string;
  let rebuiltRoot: string;
  let uuid: string;
  let lastHealthyOld = 0;

  it("first boot on a blank volume: cloud-init done, no failed units, env file 0600, mounted by UUID with nofail, app healthy, data written", async () => {
    volume = blankVolume("volume");
    firstRoot = freshRoot("blue-1");
    const { vm, report, url } = await boot("blue-1", firstRoot, volume);
    expect(report).toMatchObject({ cloudInit: "status: done", failedUnits: [], app: "active" });
    expect(report.mount).toMatch(/^\/dev\/sd[a-z] ext4$/);
    const answer = await health(url);
    expect(answer).toMatchObject({ starts: 1, secretLength: SECRET.length });

    // The health probe, run from the host as the deploy runner runs it, passes.
    const probe = run("bash", [
      HEALTH_PROBE_SCRIPT,
      "--url",
      url,
      "--successes",
      "3",
      "--interval",
      "1",
      "--timeout",
      "30",
    ]);
    expect(probe).toMatch(/^health gate passed: /);

    lastHealthyOld = Date.now();
    expect(await vm.powerDown()).toBe("clean");
    uuid = filesystemUuid(volume);
    expect(uuid).toMatch(/^[0-9a-f-]{36}$/);
    await readDisk(firstRoot, (root) => {
      const env = fs.statSync(path.join(root, `etc/phoenix/${server.service}.env`));
      expect({ mode: (env.mode & 0o777).toString(8), uid: env.uid, gid: env.gid }).toEqual({
        mode: "600",
        uid: 0,
        gid: 0,
      });
      const fstab = fs.readFileSync(path.join(root, "etc/fstab"), "utf8");
      expect(fstab).toContain(
        `UUID=${uuid} ${server.mountPath} ext4 defaults,nofail,x-systemd.device-timeout=30s 0 2`,
      );
      expect(journal(root)).toContain("is blank; creating a filesystem of type ext4");
    });
    await readDisk(volume, (data) => {
      expect(
        fs.readFileSync(path.join(data, "starts.log"), "utf8").trim().split("\n"),
      ).toHaveLength(1);
    });
  });

  it("keeps every secret out of the console, the journal, cloud-init's logs and every world-readable file", async () => {
    const consoleText = fs.readFileSync(path.join(work, "blue-1", "console.log"), "utf8");
    expect(consoleText.includes(SECRET)).toBe(false);
    await readDisk(firstRoot, (root) => {
      expect(journal(root).includes(SECRET)).toBe(false);
      for (const log of ["var/log/cloud-init.log", "var/log/cloud-init-output.log"])
        expect({
          log,
          leaks: fs.readFileSync(path.join(root, log), "utf8").includes(SECRET),
        }).toEqual({ log, leaks: false });
      const files = worldReadable(root, [
        "etc",
        "var",
        "usr/local",
        "root",
        "tmp",
        "home",
        "opt",
        "srv",
      ]);
      expect(files.length).toBeGreaterThan(100);
      expect(files.filter((f) => fs.readFileSync(f).includes(SECRET))).toEqual([]);
    });
  });

  it("rebuild: a fresh root disk on the same volume keeps its filesystem and data (no mkfs), app healthy", async () => {
    const started = Date.now();
    rebuiltRoot = freshRoot("blue-2");
    const { vm, url, healthyAt } = await boot("blue-2", rebuiltRoot, volume);
    expect(await health(url)).toMatchObject({ starts: 2, secretLength: SECRET.length });
    figure(
      `rebuild cycle (fresh root disk to healthy app): ${((Date.now() - started) / 1000).toFixed(0)} s; app down across the rebuild (last healthy answer of the old server to the first of the new): ${(((healthyAt ?? 0) - lastHealthyOld) / 1000).toFixed(0)} s`,
    );
    expect(await vm.powerDown()).toBe("clean");
    expect(filesystemUuid(volume)).toBe(uuid);
    await readDisk(rebuiltRoot, (root) => {
      const log = journal(root);
      expect(log).toContain("already holds a filesystem of type ext4; keeping it");
      expect(log).not.toContain("creating a filesystem");
    });
  });

  it("reboot in place: the same root disk and volume come back healthy", async () => {
    const { vm, url } = await boot("blue-2-reboot", rebuiltRoot, volume, {
      instanceId: "i-blue-2",
    });
    expect(await health(url)).toMatchObject({ starts: 3 });
    expect(await vm.powerDown()).toBe("clean");
  });

  it("reboot in place with the volume re-created under the same name: the app comes back on the new volume, nothing on the root disk", async () => {
    const recreated = blankVolume("volume");
    const { vm, url } = await boot("blue-2-recreated", rebuiltRoot, recreated, {
      instanceId: "i-blue-2",
    });
    expect(await health(url)).toMatchObject({ starts: 1 });
    expect(await vm.powerDown()).toBe("clean");
    await readDisk(rebuiltRoot, (root) => {
      expect(fs.readdirSync(path.join(root, server.mountPath.slice(1)))).toEqual([]);
    });
  });

  it("ordering: with the volume absent the app does not start and the probe fails; attached later, the app starts", async () => {
    const root = freshRoot("green-1");
    const { vm, url } = await start("green-1", root, undefined);
    // Until cloud-init has reached its final stage (where the user data's commands wait for
    // the volume), and a while after, the app must not answer.
    const deadline = Date.now() + 300_000;
    while (!/running 'modules:final'/.test(vm.consoleText())) {
      expect(await health(url)).toBeUndefined();
      if (Date.now() > deadline) throw new Error("green-1 never reached cloud-init's final stage");
      await sleep(2000);
    }
    for (let i = 0; i < 10; i++) {
      expect(await health(url)).toBeUndefined();
      await sleep(2000);
    }
    const failed = await exitAndStderr("bash", [
      HEALTH_PROBE_SCRIPT,
      "--url",
      url,
      "--successes",
      "2",
      "--interval",
      "1",
      "--timeout",
      "5",
    ]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(
      new RegExp(
        `health gate failed: ${url.replace(/[.?]/g, "\\$&")} did not answer 2xx 2 times in a row within 5s`,
      ),
    );
    const volume2 = blankVolume("green-volume");
    await vm.attachVolume({ file: volume2, scsiProperties: server.volumeProperties });
    const { health: answer } = await waitForHealthy(
      url,
      180_000,
      "green-1 after its volume was attached",
    );
    expect(answer.starts).toBe(1);
    const report = await vm.waitForReport(120_000);
    expect(report).toMatchObject({ failedUnits: [], app: "active" });
    expect(await vm.powerDown()).toBe("clean");
  });

  it("a deliberately broken user data (the volume unit removed) fails the first-boot scenario, saying why", async () => {
    const broken = server.userData.replace(
      / {2}- path: \/etc\/systemd\/system\/phoenix-data-volume\.service[\s\S]*?(?=\n {2}- path:|\nruncmd:)/,
      "",
    );
    expect(broken).not.toContain("/etc/systemd/system/phoenix-data-volume.service");
    await expect(
      boot("broken", freshRoot("broken"), blankVolume("broken-volume"), { userData: broken }),
    ).rejects.toThrow(
      new RegExp(
        `^broken: the server came up broken: ${server.service}\\.service is inactive; failed units: .*`,
      ),
    );
  });
});

/** A command's exit code and output, without throwing. */
function exitAndStderr(
  command: string,
  args: string[],
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args);
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stderr }));
  });
}
