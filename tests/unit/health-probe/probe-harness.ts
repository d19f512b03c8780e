import { spawn } from "child_process";
import * as http from "http";
import { AddressInfo } from "net";
import { HEALTH_PROBE_SCRIPT } from "../../../components/core/health-probe";

/** How the local server answers the n-th request (0-based). */
export type Behaviour = (n: number) => { status: number; delayMs?: number };

/** A local HTTP server on 127.0.0.1 with a scripted behaviour. */
export interface TestServer {
  readonly url: string;
  /** How many requests it has received. */
  requests(): number;
  close(): Promise<void>;
}

/** Starts a server on an ephemeral loopback port. */
export async function startServer(behaviour: Behaviour): Promise<TestServer> {
  let count = 0;
  const sockets = new Set<import("net").Socket>();
  const server = http.createServer((req, res) => {
    const { status, delayMs = 0 } = behaviour(count++);
    const timer = setTimeout(
      () => res.writeHead(status).end("body that must not be printed"),
      delayMs,
    );
    req.on("close", () => clearTimeout(timer));
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/healthz`,
    requests: () => count,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** What a run of the probe did. */
export interface ProbeRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

/** Runs a command asynchronously (the test server lives in this process's event loop). */
export function run(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<ProbeRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({ code, stdout, stderr, seconds: (Date.now() - started) / 1000 }),
    );
  });
}

/** Runs the probe script with these arguments. */
export function probe(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<ProbeRun> {
  return run("bash", [HEALTH_PROBE_SCRIPT, ...args], env);
}
