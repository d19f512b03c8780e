import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { TARGET_HEALTH_SCRIPT } from "../../../components/aws/load-balancer";
import { probe, ProbeRun, run, startServer, TestServer } from "./probe-harness";

/**
 * Behind an AWS ALB the affinity cookie changes on every answer, so the probe proves a colour
 * by N answers in a row through the URL and then COUNT healthy targets in its target group, as
 * the platform's target-health.sh reports them (the real AWS one, which runs
 * `aws elbv2 describe-target-health`). A stub `aws` first on PATH stands in for the CLI: it
 * prints the target states this test writes to a file, and records its argv.
 */

const FAST = ["--interval", "0", "--request-timeout", "1", "--successes", "3"];
const ARN =
  "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/shop-blue/0123456789abcdef";
const REGION = "us-east-1";
const HEADER_NAME = "X-Phoenix-Colour";
const HEADER = `${HEADER_NAME}: blue`;

/** A stub `aws` CLI in a temp directory, controlled through files. */
interface StubAws {
  /** Environment that puts the stub first on PATH. */
  readonly env: NodeJS.ProcessEnv;
  /** What the next describe-target-health prints (e.g. "healthy\thealthy"). */
  setStates(states: string): void;
  /** The exit status of the next calls (255: the CLI failed). */
  setExit(status: number): void;
  /** The argv of every call so far, one array per call. */
  calls(): string[][];
  remove(): void;
}

function stubAws(): StubAws {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "phoenix-stub-aws-"));
  const states = path.join(dir, "states");
  const exit = path.join(dir, "exit");
  const argv = path.join(dir, "argv");
  fs.writeFileSync(
    path.join(dir, "aws"),
    [
      "#!/usr/bin/env bash",
      // The answer is read before the call is recorded, so a test that has seen N calls knows
      // the N answers were already read (the trailing x keeps the file's final newline).
      `answer=$(cat '${states}'; echo x)`,
      `status=$(cat '${exit}')`,
      // One call per line, its arguments separated by NUL-free unit separators.
      `printf '%s\\x1f' "$@" >>'${argv}'`,
      `printf '\\n' >>'${argv}'`,
      `if [ "$status" -ne 0 ]; then echo "An error occurred (AccessDenied)" >&2; exit "$status"; fi`,
      `printf '%s' "\${answer%x}"`,
      "",
    ].join("\n"),
    { mode: 0o755 },
  );
  fs.writeFileSync(states, "");
  fs.writeFileSync(exit, "0");
  return {
    env: { PATH: `${dir}:${process.env.PATH ?? ""}` },
    // Renamed into place, so that a call never reads a half-written file.
    setStates: (s) => {
      fs.writeFileSync(`${states}.next`, `${s}\n`);
      fs.renameSync(`${states}.next`, states);
    },
    setExit: (s) => fs.writeFileSync(exit, String(s)),
    calls: () =>
      fs.existsSync(argv)
        ? fs
            .readFileSync(argv, "utf8")
            .split("\n")
            .filter((line) => line !== "")
            .map((line) => line.split("\x1f").slice(0, -1))
        : [],
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** The exact call the probe must make. */
const DESCRIBE = [
  "elbv2",
  "describe-target-health",
  "--target-group-arn",
  ARN,
  "--region",
  REGION,
  "--query",
  "TargetHealthDescriptions[].TargetHealth.State",
  "--output",
  "text",
];

/** A server that records the X-Phoenix-Colour header of each request. */
async function headerServer(
  answer: (colour: string | undefined) => number,
): Promise<{ url: string; seen: (string | undefined)[]; close(): Promise<void> }> {
  const seen: (string | undefined)[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    const value = req.headers[HEADER_NAME.toLowerCase()];
    const colour = Array.isArray(value) ? value.join(",") : value;
    seen.push(colour);
    res.writeHead(answer(colour)).end();
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/healthz`,
    seen,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe("health-probe.sh with --target-group", () => {
  let aws: StubAws;
  const servers: { close(): Promise<void> }[] = [];
  const track = <T extends { close(): Promise<void> }>(s: T): T => {
    servers.push(s);
    return s;
  };
  beforeEach(() => {
    aws = stubAws();
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
    aws.remove();
  });

  const byTargetGroup = (url: string, timeout: string, extra: string[] = []): Promise<ProbeRun> =>
    probe(
      [
        "--url",
        url,
        "--servers",
        "2",
        "--target-group",
        ARN,
        "--target-health",
        TARGET_HEALTH_SCRIPT,
        "--region",
        REGION,
        "--timeout",
        timeout,
        ...FAST,
        ...extra,
      ],
      aws.env,
    );

  it("passes when the URL answers 2xx N times and COUNT targets are healthy", async () => {
    const server: TestServer = track(await startServer(() => ({ status: 200 })));
    aws.setStates("healthy\thealthy");
    const result = await byTargetGroup(server.url, "10");
    expect(result.stderr).not.toContain("health gate failed");
    expect(result.code).toBe(0);
    expect(result.stdout.replace(/ in \d+s\n$/, " in Ns\n")).toBe(
      `health gate passed: ${server.url} answered 2xx 3 times in a row and 2 of 2 targets of ${ARN} are healthy, after 4 attempts in Ns\n`,
    );
    expect(server.requests()).toBe(3);
    expect(aws.calls()).toEqual([DESCRIBE]);
  });

  it("waits for targets that are still initial, then passes", async () => {
    const server = track(await startServer(() => ({ status: 200 })));
    aws.setStates("healthy\tinitial");
    const pending = byTargetGroup(server.url, "20", ["--interval", "1"]);
    // Let it read "initial" twice before the second target turns healthy: it must then ask
    // a third time.
    for (let i = 0; i < 200 && aws.calls().length < 2; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    aws.setStates("healthy\thealthy");
    const result = await pending;
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`health-probe: attempt 4: 1/2 targets healthy in ${ARN}`);
    expect(aws.calls().length).toBeGreaterThanOrEqual(3);
    for (const call of aws.calls()) expect(call).toEqual(DESCRIBE);
  });

  it("fails at the time limit when one target is unhealthy, though HTTP is fine", async () => {
    const server = track(await startServer(() => ({ status: 200 })));
    aws.setStates("healthy\tunhealthy");
    // Long enough for the 2xx streak on a busy machine, so the limit is met in the target phase.
    const result = await byTargetGroup(server.url, "6", ["--interval", "1"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(
      new RegExp(
        `health gate failed: only 1 of 2 targets of ${ARN.replace(/[.]/g, "\\.")} were healthy within 6s ` +
          `\\(\\d+ attempts; last answer: target states: healthy\\tunhealthy\\)\\n$`,
      ),
    );
    expect(server.requests()).toBe(3);
  });

  it("fails when describe-target-health itself fails", async () => {
    const server = track(await startServer(() => ({ status: 200 })));
    aws.setStates("healthy\thealthy");
    aws.setExit(255);
    // Long enough for the 2xx streak on a busy machine, so the limit is met in the target phase.
    const result = await byTargetGroup(server.url, "6", ["--interval", "1"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`health-probe: attempt 4: 0/2 targets healthy in ${ARN}`);
    expect(result.stderr).toMatch(
      new RegExp(
        `health gate failed: only 0 of 2 targets of \\S+ were healthy within 6s \\(\\d+ attempts; ` +
          `last answer: target states: \\(target health unknown: ${TARGET_HEALTH_SCRIPT.replace(/[.]/g, "\\.")} failed\\)\\)\\n$`,
      ),
    );
    // The CLI's own error output is not passed through.
    expect(result.stderr).not.toContain("AccessDenied");
  });

  it("fails at once, with the script's reason, when the script refuses the target group", async () => {
    const server = track(await startServer(() => ({ status: 200 })));
    const started = Date.now();
    const result = await probe(
      ["--url", server.url, "--servers", "2", "--target-group", "shop-blue"].concat([
        "--target-health",
        TARGET_HEALTH_SCRIPT,
        "--timeout",
        "60",
        ...FAST,
      ]),
      aws.env,
    );
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n").at(-1)).toBe(
      `health gate failed: ${TARGET_HEALTH_SCRIPT} refused target group shop-blue (4 attempts; last answer: target-health: --target-group received "shop-blue"; allowed: an ELBv2 target group ARN)`,
    );
    // Waiting cannot make a wrong ID right: no polling up to the 60 s limit.
    expect(Date.now() - started).toBeLessThan(30000);
    expect(aws.calls()).toEqual([]);
  });

  it("sends --header on every request", async () => {
    const server = track(await headerServer((colour) => (colour === "blue" ? 200 : 404)));
    aws.setStates("healthy\thealthy");
    const result = await byTargetGroup(server.url, "10", ["--header", HEADER]);
    expect(result.code).toBe(0);
    expect(server.seen).toEqual(["blue", "blue", "blue"]);
  });

  it("sends --header with one server too", async () => {
    const server = track(await headerServer((colour) => (colour === "blue" ? 200 : 404)));
    const result = await probe(
      ["--url", server.url, "--timeout", "10", "--header", HEADER, ...FAST],
      aws.env,
    );
    expect(result.code).toBe(0);
    expect(server.seen).toEqual(["blue", "blue", "blue"]);
    expect(aws.calls()).toEqual([]);
  });

  it("fails without --header against a server that answers 2xx only with it", async () => {
    const server = track(await headerServer((colour) => (colour === "blue" ? 200 : 404)));
    aws.setStates("healthy\thealthy");
    const result = await byTargetGroup(server.url, "2");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /health gate failed: \S+ did not answer 2xx 3 times in a row within 2s \(\d+ attempts; last answer: HTTP 404\)\n$/,
    );
    expect(server.seen.length).toBeGreaterThan(0);
    expect(new Set(server.seen)).toEqual(new Set([undefined]));
    // HTTP never passed, so the target group was never asked.
    expect(aws.calls()).toEqual([]);
  });
});

describe("health-probe.sh --header, --target-group, --target-health and --region arguments", () => {
  const URL = "http://127.0.0.1:9/healthz";
  const HEADER_ALLOWED =
    "allowed: 'Name: value' (letters, digits and - in the name, printable characters in the value)";
  const byGroup = ["--url", URL, "--servers", "2", "--target-group", ARN];
  it.each([
    [
      ["--url", URL, "--header", "X-Phoenix-Colour:blue"],
      `--header received "X-Phoenix-Colour:blue"; ${HEADER_ALLOWED}`,
    ],
    [
      ["--url", URL, "--header", "X_Phoenix: blue"],
      `--header received "X_Phoenix: blue"; ${HEADER_ALLOWED}`,
    ],
    [
      ["--url", URL, "--header", "X-Phoenix-Colour: "],
      `--header received "X-Phoenix-Colour: "; ${HEADER_ALLOWED}`,
    ],
    [
      [
        "--url",
        URL,
        "--servers",
        "2",
        "--target-group",
        "shop blue",
        "--target-health",
        TARGET_HEALTH_SCRIPT,
      ],
      '--target-group received "shop blue"; allowed: a target group ID (letters, digits, :, /, ., _ and -)',
    ],
    [
      [
        "--url",
        URL,
        "--servers",
        "2",
        "--target-group",
        "-shop",
        "--target-health",
        TARGET_HEALTH_SCRIPT,
      ],
      '--target-group received "-shop"; allowed: a target group ID (letters, digits, :, /, ., _ and -)',
    ],
    [
      byGroup,
      `--target-health received ""; allowed: the platform's target-health.sh script (an existing file), required with --target-group`,
    ],
    [
      [...byGroup, "--target-health", "/nonexistent/target-health.sh"],
      `--target-health received "/nonexistent/target-health.sh"; allowed: the platform's target-health.sh script (an existing file), required with --target-group`,
    ],
    [
      [...byGroup, "--target-health", "/bin/sh"],
      `--target-health received "/bin/sh"; allowed: the platform's target-health.sh script (an existing file), required with --target-group`,
    ],
    [
      [...byGroup, "--target-health", TARGET_HEALTH_SCRIPT, "--region", "US-EAST-1"],
      '--region received "US-EAST-1"; allowed: a region name (lower-case letters, digits and -)',
    ],
    [
      [...byGroup, "--target-health", TARGET_HEALTH_SCRIPT, "--region", "us east 1"],
      '--region received "us east 1"; allowed: a region name (lower-case letters, digits and -)',
    ],
    [
      [...byGroup, "--target-health", TARGET_HEALTH_SCRIPT, "--affinity-cookie", "AWSALB"],
      "--target-group and --affinity-cookie are two ways to prove each server: give one",
    ],
    [
      ["--url", URL, "--servers", "2"],
      `--servers 2 needs --affinity-cookie or --target-group: without one the servers behind ${URL} cannot be told apart`,
    ],
    [["--url", URL, "--target-group"], "--target-group needs a value"],
    [["--url", URL, "--target-health"], "--target-health needs a value"],
  ])("%j exits 2: %s", async (args, message) => {
    const result = await probe(args);
    expect(result.code).toBe(2);
    expect(result.stderr.split("\n")[0]).toBe(`health-probe: ${message}`);
    expect(result.stdout).toBe("");
  });
});

describe("components/aws/target-health.sh", () => {
  let aws: StubAws;
  beforeEach(() => {
    aws = stubAws();
  });
  afterEach(() => aws.remove());

  it("prints the states describe-target-health gives", async () => {
    aws.setStates("healthy\tdraining");
    const result = await run(
      "bash",
      [TARGET_HEALTH_SCRIPT, "--target-group", ARN, "--region", REGION],
      aws.env,
    );
    expect(result).toMatchObject({ code: 0, stdout: "healthy\tdraining\n", stderr: "" });
    expect(aws.calls()).toEqual([DESCRIBE]);
  });

  it("leaves --region to the CLI's own configuration when not given", async () => {
    aws.setStates("healthy");
    const result = await run("bash", [TARGET_HEALTH_SCRIPT, "--target-group", ARN], aws.env);
    expect(result.code).toBe(0);
    expect(aws.calls()).toEqual([DESCRIBE.filter((a) => a !== "--region" && a !== REGION)]);
  });

  it("fails as the CLI fails", async () => {
    aws.setExit(255);
    const result = await run("bash", [TARGET_HEALTH_SCRIPT, "--target-group", ARN], aws.env);
    expect(result.code).toBe(255);
  });

  it.each([
    ["shop-blue"],
    ["arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/shop/0123456789abcdef"],
    [""],
  ])("refuses %j, which is not a target group ARN, without asking AWS", async (id) => {
    const result = await run("bash", [TARGET_HEALTH_SCRIPT, "--target-group", id], aws.env);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `target-health: --target-group received "${id}"; allowed: an ELBv2 target group ARN\n`,
    );
    expect(aws.calls()).toEqual([]);
  });
});
