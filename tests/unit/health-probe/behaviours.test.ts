import { probe, startServer, TestServer } from "./probe-harness";

/** Fast settings: no pause between attempts, 1 s per request, a few seconds in all. */
const FAST = ["--interval", "0", "--request-timeout", "1"];

/** The probe with the fast settings, needing `successes` answers within `timeout` seconds. */
const fastProbe = (url: string, successes: number, timeout: number) =>
  probe(["--url", url, "--successes", String(successes), "--timeout", String(timeout), ...FAST]);

describe("health-probe.sh against a real local HTTP server", () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("healthy: passes after exactly N answers", async () => {
    server = await startServer(() => ({ status: 200 }));
    const result = await fastProbe(server.url, 3, 10);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(
        `^health gate passed: ${server.url} answered 2xx 3 times in a row after 3 attempts in \\d+s\\n$`,
      ),
    );
    expect(server.requests()).toBe(3);
    expect(result.stderr).toContain("attempt 3: HTTP 200 (streak 3/3)");
    expect(`${result.stdout}${result.stderr}`).not.toContain("must not be printed");
  });

  it("failing: gives up at the time limit, naming URL, streak, limit and the last answer", async () => {
    server = await startServer(() => ({ status: 503 }));
    const result = await probe([
      "--url",
      server.url,
      "--successes",
      "2",
      "--timeout",
      "2",
      "--interval",
      "1",
      "--request-timeout",
      "1",
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `health gate failed: ${server.url} did not answer 2xx 2 times in a row within 2s \\(\\d+ attempts; last answer: HTTP 503\\)\\n$`,
      ),
    );
    expect(result.seconds).toBeLessThan(5);
  });

  it("too slow: an answer later than the request timeout counts as a failure", async () => {
    server = await startServer(() => ({ status: 200, delayMs: 3000 }));
    const result = await fastProbe(server.url, 1, 2);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("last answer: timed out after 1s)");
    // Never overruns the limit by more than one request timeout (plus process start-up).
    expect(result.seconds).toBeLessThan(4.5);
  });

  it("flapping: 2xx, 2xx, 503 repeating never makes 3 in a row", async () => {
    server = await startServer((n) => ({ status: n % 3 === 2 ? 503 : 200 }));
    const result = await fastProbe(server.url, 3, 2);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/did not answer 2xx 3 times in a row within 2s/);
    expect(result.stderr).toContain("(streak 2/3)");
    expect(result.stderr).not.toContain("(streak 3/3)");
  });

  it("flapping, then settling: passes once the streak is unbroken, counting every attempt", async () => {
    const pattern = [200, 503, 200, 200, 500, 200, 200, 200];
    server = await startServer((n) => ({ status: pattern[n] ?? 200 }));
    const result = await fastProbe(server.url, 3, 10);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("answered 2xx 3 times in a row after 8 attempts");
    expect(server.requests()).toBe(8);
  });

  it("connection refused: fails with the reason", async () => {
    const closed = await startServer(() => ({ status: 200 }));
    const url = closed.url;
    await closed.close();
    const result = await fastProbe(url, 1, 1);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("last answer: connection refused)");
  });

  it("reads its settings from the environment when no flag is given", async () => {
    server = await startServer(() => ({ status: 204 }));
    const result = await probe([], {
      PHOENIX_PROBE_URL: server.url,
      PHOENIX_PROBE_SUCCESSES: "2",
      PHOENIX_PROBE_TIMEOUT_SECONDS: "5",
      PHOENIX_PROBE_INTERVAL_SECONDS: "0",
    });
    expect(result.code).toBe(0);
    expect(server.requests()).toBe(2);
  });
});
