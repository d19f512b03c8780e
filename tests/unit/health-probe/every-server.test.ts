import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { requireTool } from "../cloud-init/tools";
import { probe, startServer, TestServer } from "./probe-harness";

/**
 * The gate must prove every server of a colour, not one: behind a real load balancer (HAProxy,
 * which pins clients with an inserted cookie and sends new ones only to servers its health
 * checks pass), one of two servers unhealthy must fail the gate.
 */

const HAPROXY = requireTool("haproxy", "haproxy");
const COOKIE = "PHOENIX_SERVER";
const FAST = ["--interval", "0", "--request-timeout", "1", "--successes", "3"];

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** HAProxy on loopback in front of the backends, with cookie affinity and 200 ms checks. */
async function startHaproxy(
  backends: readonly TestServer[],
): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "phoenix-haproxy-"));
  const servers = backends.map((b, i) => {
    const { hostname, port: p } = new URL(b.url);
    return `  server s${i} ${hostname}:${p} cookie s${i} check inter 200ms fall 1 rise 1`;
  });
  const config = [
    "defaults",
    "  mode http",
    "  timeout connect 1s",
    "  timeout client 5s",
    "  timeout server 5s",
    "frontend live",
    `  bind 127.0.0.1:${port}`,
    "  default_backend colour",
    "backend colour",
    "  balance roundrobin",
    "  option httpchk GET /healthz",
    `  cookie ${COOKIE} insert indirect nocache`,
    ...servers,
    "",
  ].join("\n");
  const file = path.join(dir, "haproxy.cfg");
  fs.writeFileSync(file, config);
  // HAProxy's own check first, so a bad config fails here and not as a refused connection.
  const check = spawnSync(HAPROXY, ["-c", "-q", "-f", file], { encoding: "utf8" });
  if (check.status !== 0) throw new Error(`haproxy -c refused the config:\n${check.stderr}`);
  const child: ChildProcess = spawn(HAPROXY, ["-db", "-f", file], { stdio: "ignore" });
  let exited = false;
  child.on("exit", () => (exited = true));
  // Ready when it accepts connections and its first health checks have run.
  for (let i = 0; i < 50; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => resolve(socket.end() && true));
      socket.on("error", () => resolve(false));
    });
    if (up) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 600));
  return {
    url: `http://127.0.0.1:${port}/healthz`,
    stop: () =>
      new Promise((resolve) => {
        if (exited) return resolve();
        child.on("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

describe("health-probe.sh proves every server behind a load balancer", () => {
  const started: { stop(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.stop()));
  });
  const track = <T extends { close(): Promise<void> } | { stop(): Promise<void> }>(s: T): T => {
    started.push("stop" in s ? s : { stop: () => s.close() });
    return s;
  };

  it("passes when both servers of a colour are healthy, proving each through its cookie", async () => {
    const a = track(await startServer(() => ({ status: 200 })));
    const b = track(await startServer(() => ({ status: 200 })));
    const lb = track(await startHaproxy([a, b]));
    const result = await probe([
      "--url",
      lb.url,
      "--servers",
      "2",
      "--affinity-cookie",
      COOKIE,
      "--timeout",
      "10",
      ...FAST,
    ]);
    expect(result.stderr).not.toContain("health gate failed");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^health gate passed: all 2 servers behind \S+ answered 2xx 3 times in a row/,
    );
    // Each server answered its own streak, not just the load balancer.
    expect(a.requests()).toBeGreaterThanOrEqual(3);
    expect(b.requests()).toBeGreaterThanOrEqual(3);
  });

  it("fails when one of two servers is unhealthy, though the load balancer answers 200 every time", async () => {
    const a = track(await startServer(() => ({ status: 200 })));
    const b = track(await startServer(() => ({ status: 503 })));
    const lb = track(await startHaproxy([a, b]));
    // The one-URL probe of old passes here: the load balancer hides the broken server.
    const one = await probe(["--url", lb.url, "--timeout", "5", ...FAST]);
    expect(one.code).toBe(0);
    const result = await probe([
      "--url",
      lb.url,
      "--servers",
      "2",
      "--affinity-cookie",
      COOKIE,
      "--timeout",
      "3",
      ...FAST,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /health gate failed: only 1 of 2 servers behind \S+ answered 2xx within 3s \(\d+ attempts; last answer: HTTP 200\)\n$/,
    );
  });

  it("fails closed when the cookie does not identify servers (a value per client, not per server)", async () => {
    let n = 0;
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { "Set-Cookie": `${COOKIE}=client-${n++}; Path=/` }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    track({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
    const { port } = server.address() as net.AddressInfo;
    const result = await probe([
      "--url",
      `http://127.0.0.1:${port}/healthz`,
      "--servers",
      "2",
      "--affinity-cookie",
      COOKIE,
      "--timeout",
      "5",
      ...FAST,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `saw more than 2 servers behind http://127.0.0.1:${port}/healthz: its affinity cookie ${COOKIE} does not identify servers, so the gate cannot prove each one`,
    );
  });

  it("never counts a redirect as healthy, nor follows it", async () => {
    const target = track(await startServer(() => ({ status: 200 })));
    const redirect = track(await startServer(() => ({ status: 302 })));
    void target;
    const result = await probe(["--url", redirect.url, "--timeout", "2", ...FAST]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("last answer: HTTP 302)");
  });

  it("refuses several servers without a cookie to tell them apart", async () => {
    const result = await probe(["--url", "http://127.0.0.1:9/healthz", "--servers", "2"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "health-probe: --servers 2 needs --affinity-cookie or --target-group: without one the servers behind http://127.0.0.1:9/healthz cannot be told apart",
    );
  });
});
