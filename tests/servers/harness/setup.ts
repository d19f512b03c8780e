import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { DO_TYPES } from "../../../components/digitalocean/types";
import { PROJECT_DIR, runStack } from "../../../tools/run-stack";
import { readStackFile } from "../../../tools/stack-file";
import { run, startProcess, exited } from "./processes";
import { TestImage, sleep } from "./vm";

/** Where built images are kept between runs, by content hash. */
export const IMAGE_CACHE = process.env.PHOENIX_IMAGE_CACHE ?? "/var/cache/phoenix-test-images";

/** What the servers are given: the user data Phoenix renders, and what the tests expect of it. */
export interface ServerUnderTest {
  /** The platform whose user data it is. */
  readonly platform: string;
  readonly service: string;
  readonly appPort: number;
  readonly healthPath: string;
  readonly mountPath: string;
  /** The secret the app is given; it must appear nowhere but where secrets may be. */
  readonly secret: string;
  readonly userData: string;
  /** How the platform's data volume appears in the server (for QEMU's disk properties). */
  readonly volumeProperties: string;
}

/**
 * How each platform's volumes appear inside its servers, as QEMU disk properties that make
 * udev create the same device name the platform's user data waits for.
 */
const VOLUME_DEVICES: Readonly<Record<string, (userData: string) => string>> = {
  // DigitalOcean: /dev/disk/by-id/scsi-0DO_Volume_<name> (a SCSI disk, vendor DO, model Volume).
  digitalocean: (userData) => {
    const name = /\/dev\/disk\/by-id\/scsi-0DO_Volume_([A-Za-z0-9_-]+)/.exec(userData)?.[1];
    if (name === undefined) throw new Error("the user data names no DigitalOcean volume");
    return `vendor=DO,product=Volume,device_id=${name}`;
  },
};

/**
 * The user data the real legacy stack (one server, a data volume) renders for its server, and
 * its app's settings, read from its stack file as the program reads them.
 */
export async function renderedServer(secret: string): Promise<ServerUnderTest> {
  const { config } = readStackFile(PROJECT_DIR, "legacy");
  const stack = await runStack(
    "legacy",
    {},
    { "phoenix:appSecrets": JSON.stringify({ SESSION_SECRET: secret }) },
  );
  if (stack.error) throw stack.error;
  const userData = stack.ofType(DO_TYPES.droplet)[0]?.inputs.userData;
  if (typeof userData !== "string") throw new Error("the legacy stack renders no user data");
  const platform = String(config["phoenix:platform"]);
  const volume = VOLUME_DEVICES[platform];
  if (volume === undefined) throw new Error(`no volume device for platform ${platform}`);
  return {
    platform,
    service: String(config["phoenix:service"]),
    appPort: Number(config["phoenix:appPort"]),
    healthPath: String(config["phoenix:healthCheckPath"]),
    mountPath: String(config["phoenix:dataVolumeMountPath"]),
    secret,
    userData,
    volumeProperties: volume(userData),
  };
}

/** Builds (or reuses) the test image for a server. */
export function buildImage(
  server: ServerUnderTest,
): TestImage & { seconds: number; cached: boolean } {
  const script = path.join(__dirname, "../image/build-image.sh");
  const started = Date.now();
  const out = run("bash", [
    script,
    IMAGE_CACHE,
    server.service,
    String(server.appPort),
    server.healthPath,
    server.mountPath,
  ]);
  const dir = out.trim().split("\n").pop() as string;
  // An image finished before this call came from the cache.
  const cached = fs.statSync(path.join(dir, "done")).mtimeMs < started;
  return { dir, seconds: Number(fs.readFileSync(path.join(dir, "build-seconds"), "utf8")), cached };
}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Whether KVM really runs a guest here: `/dev/kvm` may be a nested hypervisor that cannot run
 * a stock kernel (it aborts at once, or fails with an emulation error). A short boot decides;
 * `PHOENIX_SERVER_ACCEL` overrides.
 */
export async function detectAccel(image: TestImage, workDir: string): Promise<"kvm" | "tcg"> {
  const forced = process.env.PHOENIX_SERVER_ACCEL;
  if (forced === "kvm" || forced === "tcg") return forced;
  if (!fs.existsSync("/dev/kvm")) return "tcg";
  const log = path.join(workDir, "kvm-probe.log");
  const probe = startProcess("qemu-system-x86_64", [
    "-accel",
    "kvm",
    "-cpu",
    "host",
    "-m",
    "256",
    "-display",
    "none",
    "-no-reboot",
    "-serial",
    `file:${log}`,
    "-monitor",
    "none",
    "-kernel",
    path.join(image.dir, "vmlinuz"),
    "-append",
    "console=ttyS0 panic=-1",
  ]);
  let works = false;
  for (let i = 0; i < 20 && !works; i++) {
    await sleep(1000);
    works = fs.existsSync(log) && /Linux version|Kernel panic/.test(fs.readFileSync(log, "utf8"));
    if (await exited(probe, 0)) break;
  }
  probe.kill("SIGKILL");
  await exited(probe, 5000);
  return works ? "kvm" : "tcg";
}
