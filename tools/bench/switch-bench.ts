// Benchmark of the vSphere load balancer's switch: HAProxy 2.6 on loopback with the configuration
// Phoenix renders, two local HTTP servers per colour, wrk through the live frontend, and the
// switches blue -> green, green -> blue and a 90/10 canary step made exactly as the component
// makes them (haproxy-switch.sh: map file first, then the Runtime API). Prints, per step and phase
// (before, during the switch, after), requests, errors and wrk's latency percentiles.
// Run: npm run bench:switch [-- <seconds per phase>]
// tests/servers/haproxy-switch.test.ts runs the same scenario and asserts 0 failed requests.
import { ChildProcess, execFile, spawn } from "child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import * as http from "http";
import * as net from "net";
import { tmpdir } from "os";
import * as path from "path";
import { Colour, COLOURS } from "../../components/core/colour";
import {
  HaproxyServer,
  renderHaproxyConfig,
  renderRoutingState,
  RoutingState,
  switchArguments,
} from "../../components/vsphere/haproxy-config";

const SWITCH_SCRIPT = path.join(__dirname, "../../components/vsphere/haproxy-switch.sh");
const APPLY_SCRIPT = path.join(__dirname, "../../components/vsphere/haproxy-apply.sh");
const HOST = "127.0.0.1";

/** An unused TCP port on loopback (bound, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, HOST, () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** A tiny app server: its colour on every path, 200 on the health path. */
export async function startAppServer(colour: Colour, healthPath: string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(req.url === healthPath ? "ok" : colour);
  });
  // Longer than HAProxy's idle reuse, so a reused connection is never closed under it.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  return server;
}

/** A running HAProxy (master-worker) and where it is reached. */
export interface LoadBalancer {
  readonly process: ChildProcess;
  readonly dir: string;
  readonly mapPath: string;
  readonly adminSocket: string;
  readonly livePort: number;
  readonly previewPort: number;
  /** The health path its backends check. */
  readonly healthPath: string;
  /** What HAProxy printed (errors and abnormal requests only: `accessLog: "errors"`). */
  readonly output: () => string;
}

/** Where a loopback load balancer listens and keeps its state. */
type LoopbackPaths = Pick<LoadBalancer, "mapPath" | "adminSocket" | "livePort" | "previewPort">;

/**
 * The haproxy.cfg of a loopback load balancer for these servers, rendered as the component
 * renders it (loopback addresses and the test's own paths aside).
 */
export function loopbackConfig(
  paths: LoopbackPaths,
  servers: Record<Colour, readonly HaproxyServer[]>,
  healthPath: string,
): string {
  const asRoot = process.getuid?.() === 0 && /^haproxy:/m.test(readFileSync("/etc/passwd", "utf8"));
  return renderHaproxyConfig({
    servers,
    healthPath,
    bindAddress: HOST,
    livePort: paths.livePort,
    previewPort: paths.previewPort,
    mapPath: paths.mapPath,
    adminSocket: paths.adminSocket,
    runAs: asRoot ? undefined : null,
    accessLog: "errors",
  });
}

function waitFor(what: string, ms: number, ready: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = async () => {
      if (await ready()) return resolve();
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(() => void tick(), 50);
    };
    void tick();
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, HOST);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Starts HAProxy with the rendered configuration and routing state, as on the LB VM. */
export async function startLoadBalancer(
  servers: Record<Colour, readonly HaproxyServer[]>,
  initial: RoutingState,
  healthPath: string,
): Promise<LoadBalancer> {
  const dir = mkdtempSync(path.join(tmpdir(), "phoenix-haproxy-"));
  const mapPath = path.join(dir, "phoenix-routing.map");
  const adminSocket = path.join(dir, "admin.sock");
  const [livePort, previewPort] = [await freePort(), await freePort()];
  const config = loopbackConfig(
    { mapPath, adminSocket, livePort, previewPort },
    servers,
    healthPath,
  );
  writeFileSync(path.join(dir, "haproxy.cfg"), config);
  writeFileSync(mapPath, renderRoutingState({ ...initial, mapPath }).map);
  const child = spawn(
    "haproxy",
    ["-W", "-S", path.join(dir, "master.sock"), "-f", path.join(dir, "haproxy.cfg")],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const lb = {
    process: child,
    dir,
    mapPath,
    adminSocket,
    livePort,
    previewPort,
    healthPath,
    output: () => output,
  };
  try {
    await waitFor("HAProxy's admin socket and live port", 10_000, async () => {
      if (child.exitCode !== null) throw new Error(`haproxy exited: ${output}`);
      return existsSync(adminSocket) && (await accepts(livePort)) && (await accepts(previewPort));
    });
  } catch (e) {
    await stopLoadBalancer(lb);
    throw e;
  }
  return lb;
}

/** Stops HAProxy (SIGTERM to the master, which stops its worker) and removes its directory. */
export async function stopLoadBalancer(lb: LoadBalancer): Promise<void> {
  const child = lb.process;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(lb.dir, { recursive: true, force: true });
}

/** Result of running haproxy-switch.sh. */
export interface SwitchResult {
  readonly ok: boolean;
  readonly output: string;
}

/** Runs haproxy-switch.sh exactly as the remote command does: map content on stdin. */
export function runSwitch(
  args: readonly string[],
  stdin: string,
  script = SWITCH_SCRIPT,
): Promise<SwitchResult> {
  return new Promise((resolve) => {
    const child = execFile("bash", [script, ...args], { timeout: 15_000 }, (error, out, err) =>
      resolve({ ok: error === null, output: `${out}${err}` }),
    );
    // A script that refuses its arguments exits before reading the map: that is its answer,
    // not a failure to write (EPIPE).
    child.stdin?.on("error", () => undefined);
    child.stdin?.end(stdin);
  });
}

/** Moves the load balancer to `state` the way the vSphere component does. */
export async function switchTo(lb: LoadBalancer, state: RoutingState): Promise<void> {
  const routing = renderRoutingState({ ...state, mapPath: lb.mapPath });
  const args = switchArguments(routing, { mapPath: lb.mapPath, adminSocket: lb.adminSocket });
  const result = await runSwitch(args, routing.map);
  if (!result.ok) throw new Error(`haproxy-switch.sh failed: ${result.output}`);
}

/**
 * Runs haproxy-apply.sh exactly as the remote command does (the new haproxy.cfg on stdin), with a
 * `systemctl` first on its PATH that reloads this HAProxy through its master CLI, as
 * `systemctl reload haproxy` does on the VM.
 */
export function runApply(lb: LoadBalancer, config: string): Promise<SwitchResult> {
  const bin = path.join(lb.dir, "bin");
  mkdirSync(bin, { recursive: true });
  writeFileSync(
    path.join(bin, "systemctl"),
    [
      "#!/bin/sh",
      '[ "$1 $2" = "reload haproxy.service" ] || { echo "systemctl stub: $*" >&2; exit 1; }',
      `printf 'reload\\n' | socat -t 5 - UNIX-CONNECT:${path.join(lb.dir, "master.sock")} >/dev/null`,
      "",
    ].join("\n"),
    { mode: 0o755 },
  );
  return new Promise((resolve) => {
    const child = execFile(
      "bash",
      [APPLY_SCRIPT, path.join(lb.dir, "haproxy.cfg")],
      { timeout: 15_000, env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}` } },
      (error, out, err) => resolve({ ok: error === null, output: `${out}${err}` }),
    );
    child.stdin?.on("error", () => undefined);
    child.stdin?.end(config);
  });
}

/**
 * Reloads HAProxy through the master CLI (`-S` socket), as `systemctl reload haproxy` does: a new
 * worker reads haproxy.cfg and the map file again, the old one finishes its connections.
 */
export function reloadLoadBalancer(lb: LoadBalancer): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "socat",
      ["-t", "5", "-", `UNIX-CONNECT:${path.join(lb.dir, "master.sock")}`],
      { timeout: 10_000 },
      (error, out, err) =>
        error === null
          ? resolve()
          : reject(new Error(`reload failed: ${error.message} ${out}${err}`)),
    );
    // If socat fails first, the callback reports it; the write's EPIPE adds nothing.
    child.stdin?.on("error", () => undefined);
    child.stdin?.end("reload\n");
  });
}

/** What wrk measured in one run. */
export interface WrkResult {
  readonly requests: number;
  readonly non2xx3xx: number;
  readonly socketErrors: { connect: number; read: number; write: number; timeout: number };
  /** Non-2xx/3xx responses plus socket errors. */
  readonly errors: number;
  /** Latency percentiles in milliseconds. */
  readonly latencyMs: { p50: number; p75: number; p90: number; p99: number };
  /** Answers per colour (the body of each response). */
  readonly colours: { blue: number; green: number; other: number };
  readonly raw: string;
}

const COUNT_COLOURS_LUA = `
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) blue = 0; green = 0; other = 0 end
function response(status, headers, body)
  if body == "blue" then blue = blue + 1 elseif body == "green" then green = green + 1 else other = other + 1 end
end
function done(summary, latency, requests)
  local b, g, o = 0, 0, 0
  for _, t in ipairs(threads) do b = b + t:get("blue"); g = g + t:get("green"); o = o + t:get("other") end
  io.write(string.format("colours blue=%d green=%d other=%d\\n", b, g, o))
end
`;

function toMs(value: string, unit: string): number {
  const n = Number(value);
  return unit === "us" ? n / 1000 : unit === "s" ? n * 1000 : unit === "m" ? n * 60_000 : n;
}

/** Parses wrk's `--latency` output and the colour counts of the Lua script. */
export function parseWrk(raw: string): WrkResult {
  const num = (re: RegExp): number => Number(re.exec(raw)?.[1] ?? 0);
  const requests = /(\d+) requests in/.exec(raw);
  if (requests === null) throw new Error(`wrk printed no request count:\n${raw}`);
  const pct = (p: string): number => {
    const m = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, "m").exec(raw);
    return m === null ? NaN : toMs(m[1] ?? "", m[2] ?? "");
  };
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(raw);
  const socketErrors = {
    connect: Number(sock?.[1] ?? 0),
    read: Number(sock?.[2] ?? 0),
    write: Number(sock?.[3] ?? 0),
    timeout: Number(sock?.[4] ?? 0),
  };
  const non2xx3xx = num(/Non-2xx or 3xx responses: (\d+)/);
  return {
    requests: Number(requests[1]),
    non2xx3xx,
    socketErrors,
    errors: non2xx3xx + Object.values(socketErrors).reduce((a, b) => a + b, 0),
    latencyMs: { p50: pct("50"), p75: pct("75"), p90: pct("90"), p99: pct("99") },
    colours: {
      blue: num(/colours blue=(\d+)/),
      green: num(/colours blue=\d+ green=(\d+)/),
      other: num(/colours blue=\d+ green=\d+ other=(\d+)/),
    },
    raw,
  };
}

/** Options of a load run. */
export interface LoadOptions {
  readonly seconds: number;
  readonly threads: number;
  readonly connections: number;
}

/** Runs wrk against a URL on loopback; `during` runs while wrk does (e.g. the switch). */
export async function runWrk(
  url: string,
  dir: string,
  load: LoadOptions,
  during?: () => Promise<void>,
): Promise<WrkResult> {
  if (!url.startsWith(`http://${HOST}:`)) throw new Error(`load only on loopback, not ${url}`);
  const script = path.join(dir, "colours.lua");
  writeFileSync(script, COUNT_COLOURS_LUA);
  const args = [
    `-t${load.threads}`,
    `-c${load.connections}`,
    `-d${load.seconds}s`,
    "--timeout",
    "5s",
    "--latency",
    "-s",
    script,
    url,
  ];
  const wrk = new Promise<string>((resolve, reject) =>
    execFile("wrk", args, { timeout: (load.seconds + 20) * 1000 }, (error, out, err) =>
      error === null ? resolve(out) : reject(new Error(`wrk failed: ${error.message} ${err}`)),
    ),
  );
  let duringError: unknown;
  if (during !== undefined) {
    // Switch a third of the way in: the run has traffic before and after the change.
    await new Promise((r) => setTimeout(r, (load.seconds * 1000) / 3));
    await during().catch((e: unknown) => (duringError = e));
  }
  const result = parseWrk(await wrk);
  if (duringError !== undefined) throw duringError;
  return result;
}

/** One measured phase of a step. */
export interface PhaseRow {
  readonly step: string;
  readonly phase: "before" | "during switch" | "after";
  readonly result: WrkResult;
}

/** One switch: from the state the balancer is in to `to`. */
export interface SwitchStep {
  readonly name: string;
  readonly to: RoutingState;
}

/** The steps of the issue: blue -> green, green -> blue, and a 90/10 canary from blue. */
export const STEPS: readonly SwitchStep[] = [
  { name: "blue -> green", to: { live: "green" } },
  { name: "green -> blue", to: { live: "blue" } },
  { name: "canary 90/10", to: { live: "blue", weights: { blue: 90, green: 10 } } },
];

/** A local blue/green environment: two app servers per colour and HAProxy in front. */
export interface Environment {
  readonly lb: LoadBalancer;
  readonly apps: http.Server[];
  /** The servers behind the load balancer, per colour. */
  readonly servers: Record<Colour, HaproxyServer[]>;
  readonly healthPath: string;
}

/** Starts two app servers per colour and HAProxy with blue live. */
export async function startEnvironment(serversPerColour = 2): Promise<Environment> {
  const healthPath = "/healthz";
  const apps: http.Server[] = [];
  const servers = { blue: [] as HaproxyServer[], green: [] as HaproxyServer[] };
  try {
    for (const colour of COLOURS) {
      for (let i = 0; i < serversPerColour; i++) {
        const app = await startAppServer(colour, healthPath);
        apps.push(app);
        const port = (app.address() as net.AddressInfo).port;
        servers[colour].push({ name: `${colour}-${i}`, address: HOST, port });
      }
    }
    const lb = await startLoadBalancer(servers, { live: "blue" }, healthPath);
    return { lb, apps, servers, healthPath };
  } catch (e) {
    await Promise.all(apps.map((a) => closeServer(a)));
    throw e;
  }
}

function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Stops HAProxy and the app servers. */
export async function stopEnvironment(env: Environment): Promise<void> {
  await stopLoadBalancer(env.lb);
  await Promise.all(env.apps.map((a) => closeServer(a)));
}

/** Runs one step: load before, load with the switch in the middle, load after. */
export async function runStep(
  env: Environment,
  step: SwitchStep,
  load: LoadOptions,
): Promise<PhaseRow[]> {
  const url = `http://${HOST}:${env.lb.livePort}/`;
  const before = await runWrk(url, env.lb.dir, load);
  const during = await runWrk(url, env.lb.dir, load, () => switchTo(env.lb, step.to));
  const after = await runWrk(url, env.lb.dir, load);
  return [
    { step: step.name, phase: "before", result: before },
    { step: step.name, phase: "during switch", result: during },
    { step: step.name, phase: "after", result: after },
  ];
}

/** The rows as a table. */
export function formatTable(rows: readonly PhaseRow[]): string {
  const head = [
    "step".padEnd(14),
    "phase".padEnd(14),
    "requests".padStart(9),
    "errors".padStart(7),
    "p50 ms".padStart(8),
    "p90 ms".padStart(8),
    "p99 ms".padStart(8),
    "blue".padStart(7),
    "green".padStart(7),
  ].join(" ");
  const lines = rows.map((r) =>
    [
      r.step.padEnd(14),
      r.phase.padEnd(14),
      String(r.result.requests).padStart(9),
      String(r.result.errors).padStart(7),
      r.result.latencyMs.p50.toFixed(2).padStart(8),
      r.result.latencyMs.p90.toFixed(2).padStart(8),
      r.result.latencyMs.p99.toFixed(2).padStart(8),
      String(r.result.colours.blue).padStart(7),
      String(r.result.colours.green).padStart(7),
    ].join(" "),
  );
  return [head, ...lines].join("\n");
}

async function main(seconds: number): Promise<void> {
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > 60) {
    throw new Error(`seconds per phase: got ${seconds}; allowed: 1 to 60`);
  }
  const load = { seconds, threads: 2, connections: 20 };
  const env = await startEnvironment();
  try {
    const rows: PhaseRow[] = [];
    for (const step of STEPS) rows.push(...(await runStep(env, step, load)));
    // Not a switch: a reload (a new server list) in the canary state, for comparison.
    const url = `http://${HOST}:${env.lb.livePort}/`;
    const reload = await runWrk(url, env.lb.dir, load, () => reloadLoadBalancer(env.lb));
    const afterReload = await runWrk(url, env.lb.dir, load);
    console.log(
      `HAProxy ${HOST}:${env.lb.livePort}, 2 servers per colour, wrk -t${load.threads} -c${load.connections} -d${seconds}s per phase`,
    );
    console.log(formatTable(rows));
    const failed = rows.reduce((n, r) => n + r.result.errors, 0);
    console.log(`failed requests in the switches: ${failed}`);
    console.log("\nReload (not used by switches; HAProxy 2.6 closes idle keep-alive connections):");
    console.log(
      formatTable([
        { step: "reload", phase: "during switch", result: reload },
        { step: "reload", phase: "after", result: afterReload },
      ]),
    );
    if (failed > 0) process.exitCode = 1;
  } finally {
    await stopEnvironment(env);
  }
}

if (require.main === module) {
  main(Number(process.argv[2] ?? 3)).catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
