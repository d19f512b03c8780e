import { spawn } from "child_process";
import * as http from "http";
import { AddressInfo } from "net";
import * as path from "path";
import { DEVICE_WAIT_SECONDS } from "../../../components/core/cloud-init/systemd-units";

/**
 * The release step, run for real against a local stand-in of the DigitalOcean API (only the
 * cloud can do what it asks; the stand-in answers as the API documents): before a volume moves
 * to a rebuilt droplet, every other droplet holding it is shut down.
 */

const ROOT = path.resolve(__dirname, "../../..");
const SCRIPT = "components/digitalocean/release-volume.ts";

interface FakeApi {
  readonly url: string;
  readonly calls: string[];
  close(): Promise<void>;
}

/** A fake API: volume `vol-1` attached to `holders`; actions finish after `polls` polls. */
async function fakeApi(options: {
  holders: number[];
  status?: string;
  shutdown?: "completed" | "errored" | "never";
}): Promise<FakeApi> {
  const calls: string[] = [];
  let polls = 0;
  const server = http.createServer((req, res): void => {
    calls.push(`${req.method} ${req.url} ${req.headers.authorization}`);
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
    const url = req.url ?? "";
    if (url === "/v2/volumes/vol-1") {
      json(200, { volume: { droplet_ids: options.holders } });
      return;
    }
    if (/^\/v2\/droplets\/\d+$/.test(url)) {
      json(200, { droplet: { status: options.status ?? "active" } });
      return;
    }
    if (/^\/v2\/droplets\/\d+\/actions$/.test(url) && req.method === "POST") {
      let body = "";
      req.on("data", (d: Buffer) => (body += d.toString()));
      req.on("end", () => {
        const type = (JSON.parse(body) as { type: string }).type;
        json(201, { action: { id: type === "shutdown" ? 7 : 8, status: "in-progress" } });
      });
      return;
    }
    if (url === "/v2/actions/7") {
      polls++;
      const result = options.shutdown ?? "completed";
      const status = polls < 2 || result === "never" ? "in-progress" : result;
      json(200, { action: { id: 7, status } });
      return;
    }
    if (url === "/v2/actions/8") {
      json(200, { action: { id: 8, status: "completed" } });
      return;
    }
    json(404, { id: "not_found", message: "The resource you requested could not be found." });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function release(args: string[], env: NodeJS.ProcessEnv = { DIGITALOCEAN_TOKEN: "t0ken" }) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", SCRIPT, ...args],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH, PHOENIX_POLL_MS: "20", ...env },
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("release-volume.ts (the step before a volume moves to a rebuilt droplet)", () => {
  let api: FakeApi | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  it("shuts down the old droplet holding the volume, and waits for it, before the volume moves", async () => {
    api = await fakeApi({ holders: [101, 202] });
    const result = await release([
      "--volume",
      "vol-1",
      "--keep",
      "202",
      "--api",
      api.url,
      "--timeout",
      "5",
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      "droplet 101 shut down: its app stopped and volume vol-1 unmounted\n",
    );
    expect(api.calls).toEqual([
      "GET /v2/volumes/vol-1 Bearer t0ken",
      "GET /v2/droplets/101 Bearer t0ken",
      "POST /v2/droplets/101/actions Bearer t0ken",
      "GET /v2/actions/7 Bearer t0ken",
      "GET /v2/actions/7 Bearer t0ken",
    ]);
  });

  it("does nothing on a first deploy, when the volume is attached to no other droplet", async () => {
    api = await fakeApi({ holders: [] });
    const result = await release(["--volume", "vol-1", "--keep", "202", "--api", api.url]);
    expect(result.code).toBe(0);
    expect(api.calls).toEqual(["GET /v2/volumes/vol-1 Bearer t0ken"]);
  });

  it("powers the droplet off when it does not shut down in time", async () => {
    api = await fakeApi({ holders: [101], shutdown: "never" });
    const result = await release([
      "--volume",
      "vol-1",
      "--keep",
      "202",
      "--api",
      api.url,
      "--timeout",
      "1",
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("droplet 101 did not shut down within 1s: powering it off");
    expect(api.calls.filter((c) => c.startsWith("POST"))).toHaveLength(2);
  });

  it("fails, so the update stops before the volume moves, when the API refuses", async () => {
    api = await fakeApi({ holders: [101] });
    const result = await release(["--volume", "vol-9", "--keep", "202", "--api", api.url]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("release-volume: GET /v2/volumes/vol-9: HTTP 404");
  });

  it("refuses to run without a token or with bad arguments", async () => {
    expect((await release(["--volume", "vol-1", "--keep", "2"], {})).stderr).toBe(
      "release-volume: no API token: set DIGITALOCEAN_TOKEN\n",
    );
    const bad = await release(["--volume", "vol-1", "--keep", "abc"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('release-volume: --keep received "abc"; allowed: a droplet ID\n');
  });
});

describe("the device wait on DigitalOcean", () => {
  it("outlasts a rebuild's release, detach and attach (the provider retries each for 5 minutes)", () => {
    // terraform-provider-digitalocean, resource_volume_attachment.go: attach and detach each
    // retry for 5 minutes (retry.RetryContext(ctx, 5*time.Minute, ...)).
    const providerRetrySeconds = 5 * 60;
    const releaseTimeoutSeconds = 180; // release-volume.ts default, then a power-off
    expect(DEVICE_WAIT_SECONDS).toBeGreaterThan(2 * providerRetrySeconds + releaseTimeoutSeconds);
  });
});
