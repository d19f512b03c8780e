import { readFileSync } from "fs";
import * as http from "http";
import { renderRoutingState } from "../../components/vsphere/haproxy-config";
import { AddressInfo, connect } from "net";
import {
  Environment,
  LoadOptions,
  PhaseRow,
  formatTable,
  loopbackConfig,
  reloadLoadBalancer,
  runApply,
  runStep,
  runWrk,
  startAppServer,
  startEnvironment,
  stopEnvironment,
  STEPS,
  SwitchResult,
} from "../../tools/bench/switch-bench";

/** One Runtime API command on HAProxy's admin socket, and its answer. */
function runtime(socket: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = "";
    const client = connect(socket, () => client.end(`${command}\n`));
    client.on("data", (d: Buffer) => (answer += d.toString()));
    client.on("end", () => resolve(answer));
    client.on("error", reject);
  });
}

/**
 * The vSphere load balancer for real, on loopback: HAProxy 2.6 with the configuration Phoenix
 * renders, two local app servers per colour, wrk through the live frontend, and the switches
 * blue -> green -> blue and a 90/10 canary made as the component makes them (haproxy-switch.sh:
 * map file first, then the Runtime API). The bar is 0 failed requests. A reload under load, last,
 * shows the map file keeps the state (and what a 2.6 reload costs keep-alive clients).
 */

const LOAD: LoadOptions = { seconds: 2, threads: 2, connections: 20 };
const rows: PhaseRow[] = [];
let env: Environment | undefined;

function get(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/", agent: false }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
  });
}

function environment(): Environment {
  if (env === undefined) throw new Error("the environment did not start");
  return env;
}

/** Failed requests of a phase: wrk's non-2xx/3xx responses and every kind of socket error. */
function failures(row: PhaseRow) {
  const { non2xx3xx, socketErrors } = row.result;
  return { step: row.step, phase: row.phase, non2xx3xx, socketErrors };
}

const NO_FAILURE = { non2xx3xx: 0, socketErrors: { connect: 0, read: 0, write: 0, timeout: 0 } };

/** 0 failed requests in every phase; otherwise the table and what HAProxy logged. */
function expectNoFailure(phases: PhaseRow[], haproxyOutput: string): void {
  const failed = phases.map(failures);
  const none = phases.map((r) => ({ step: r.step, phase: r.phase, ...NO_FAILURE }));
  if (JSON.stringify(failed) !== JSON.stringify(none)) {
    throw new Error(
      `failed requests:\n${formatTable(phases)}\n${JSON.stringify(failed)}\nHAProxy said:\n${haproxyOutput}`,
    );
  }
  expect(failed).toEqual(none);
}

beforeAll(async () => {
  env = await startEnvironment(2);
}, 20_000);

afterAll(async () => {
  if (env !== undefined) await stopEnvironment(env);
  if (rows.length > 0) console.log(formatTable(rows));
});

describe("HAProxy blue/green switch under load (loopback)", () => {
  it("starts with blue live and green on the preview frontend", async () => {
    const { lb } = environment();
    expect(await get(lb.livePort)).toEqual({ status: 200, body: "blue" });
    expect(await get(lb.previewPort)).toEqual({ status: 200, body: "green" });
  });

  it.each(STEPS.map((s) => [s.name, s] as const))(
    "%s: 0 failed requests, then the expected colour",
    async (_name, step) => {
      const { lb } = environment();
      const phases = await runStep(environment(), step, LOAD);
      rows.push(...phases);
      expectNoFailure(phases, lb.output());
      const after = phases[2]?.result;
      if (after === undefined) throw new Error("no after phase");
      expect(after.colours.other).toBe(0);
      expect(after.requests).toBeGreaterThan(100);
      const green = after.colours.green / (after.colours.blue + after.colours.green);
      const weights = step.to.weights ?? {
        blue: step.to.live === "blue" ? 100 : 0,
        green: step.to.live === "green" ? 100 : 0,
      };
      if (weights.green === 0 || weights.green === 100) {
        expect(green).toBe(weights.green / 100);
      } else {
        // A per-request draw: within 4 points of the weight over thousands of requests.
        expect(Math.abs(green - weights.green / 100)).toBeLessThan(0.04);
      }
      // The state is on disk first (a restart keeps it) and the preview follows.
      expect(readFileSync(lb.mapPath, "utf8")).toBe(
        renderRoutingState({ ...step.to, mapPath: lb.mapPath }).map,
      );
      const preview = step.to.preview ?? (step.to.live === "blue" ? "green" : "blue");
      expect(await get(lb.previewPort)).toEqual({ status: 200, body: preview });
    },
  );

  it("a reload under load (as for a new server list) comes back in the canary state from the map file", async () => {
    const { lb } = environment();
    const url = `http://127.0.0.1:${lb.livePort}/`;
    const during = await runWrk(url, lb.dir, LOAD, () => reloadLoadBalancer(lb));
    const after = await runWrk(url, lb.dir, LOAD);
    rows.push(
      { step: "reload", phase: "during switch", result: during },
      { step: "reload", phase: "after", result: after },
    );
    // Routing never reloads; a reload is for a new server list. HAProxy 2.6's old worker closes
    // its idle keep-alive client connections when it stops (2.7's idle-close-on-response is not
    // in 2.6), so a client that sends on one at that instant sees a closed connection (wrk: a read
    // error; browsers and most HTTP clients retry an idempotent request). Nothing else may fail.
    expect({ ...failures(rows[rows.length - 2] as PhaseRow), socketErrors: undefined }).toEqual({
      step: "reload",
      phase: "during switch",
      non2xx3xx: 0,
      socketErrors: undefined,
    });
    expect({ ...during.socketErrors, read: 0 }).toEqual(NO_FAILURE.socketErrors);
    console.log(
      `reload under load: ${during.socketErrors.read} idle keep-alive connections closed`,
    );
    expectNoFailure(rows.slice(-1), lb.output());
    const green = after.colours.green / (after.colours.blue + after.colours.green);
    expect(Math.abs(green - 0.1)).toBeLessThan(0.04);
  });
});

describe("a new server list pushed by haproxy-apply.sh (the config command), under load", () => {
  /** The servers HAProxy runs with, per backend, from its Runtime API. */
  async function backendServers(backend: string): Promise<string[]> {
    const { lb } = environment();
    const answer = await runtime(lb.adminSocket, `show servers state ${backend}`);
    return answer
      .split("\n")
      .filter((l) => /^\d+ /.test(l))
      .map((l) => l.split(" ")[3] as string)
      .sort();
  }

  it("adds a green server with a hitless reload: checked by haproxy -c first, 0 failed responses", async () => {
    const env = environment();
    const app = await startAppServer("green", env.healthPath);
    env.apps.push(app);
    const port = (app.address() as AddressInfo).port;
    const servers = {
      blue: env.servers.blue,
      green: [...env.servers.green, { name: "green-9", address: "127.0.0.1", port }],
    };
    const url = `http://127.0.0.1:${env.lb.livePort}/`;
    let applied: SwitchResult | undefined;
    const during = await runWrk(url, env.lb.dir, LOAD, async () => {
      applied = await runApply(env.lb, loopbackConfig(env.lb, servers, env.healthPath));
    });
    rows.push({ step: "config push", phase: "during switch", result: during });
    expect(applied).toEqual({
      ok: true,
      output: expect.stringContaining("HAProxy reloaded"),
    });
    // As for any reload on HAProxy 2.6, only idle keep-alive connections may be closed.
    expect({ ...failures(rows[rows.length - 1] as PhaseRow), socketErrors: undefined }).toEqual({
      step: "config push",
      phase: "during switch",
      non2xx3xx: 0,
      socketErrors: undefined,
    });
    expect({ ...during.socketErrors, read: 0 }).toEqual(NO_FAILURE.socketErrors);
    expect(await backendServers("be_green")).toEqual(["green-0", "green-1", "green-9"]);
    env.servers.green.push({ name: "green-9", address: "127.0.0.1", port });
  });

  it("leaves an unchanged configuration alone: no reload", async () => {
    const env = environment();
    const result = await runApply(env.lb, readFileSync(`${env.lb.dir}/haproxy.cfg`, "utf8"));
    expect(result).toEqual({ ok: true, output: expect.stringContaining("unchanged: no reload") });
  });

  it("refuses a configuration haproxy -c rejects, keeping the one in service", async () => {
    const env = environment();
    const before = readFileSync(`${env.lb.dir}/haproxy.cfg`, "utf8");
    const result = await runApply(env.lb, `${before}\nbackend be_broken\n    server x\n`);
    expect(result.ok).toBe(false);
    expect(result.output).toContain("the new configuration is invalid");
    expect(readFileSync(`${env.lb.dir}/haproxy.cfg`, "utf8")).toBe(before);
    // Still serving (the canary split of the steps above).
    expect((await get(env.lb.livePort)).status).toBe(200);
  });
});
