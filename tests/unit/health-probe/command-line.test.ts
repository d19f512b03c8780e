import {
  HEALTH_PROBE_SCRIPT,
  healthProbeArgv,
  healthProbeCommandLine,
  shellQuote,
} from "../../../components/core/health-probe";
import { run, startServer } from "./probe-harness";

const options = {
  url: "http://127.0.0.1:8080/healthz",
  successes: 3,
  timeoutSeconds: 300,
  intervalSeconds: 5,
  requestTimeoutSeconds: 5,
};

describe("health probe command line", () => {
  it("builds the argv in a fixed order", () => {
    expect(healthProbeArgv(options, "components/core/health-probe.sh")).toEqual([
      "bash",
      "components/core/health-probe.sh",
      "--url",
      "http://127.0.0.1:8080/healthz",
      "--successes",
      "3",
      "--timeout",
      "300",
      "--interval",
      "5",
      "--request-timeout",
      "5",
    ]);
  });

  it.each([
    ["plain", "plain"],
    ["http://h:80/p?x=1", "'http://h:80/p?x=1'"],
    ["has space", "'has space'"],
    ["it's", "'it'\\''s'"],
    ["$HOME", "'$HOME'"],
    ["`id`", "'`id`'"],
    ["", "''"],
  ])("shellQuote(%j) = %s", (word, quoted) => {
    expect(shellQuote(word)).toBe(quoted);
  });

  it.each(["it's", "$HOME and `id`", "a\nb", "*", ""])(
    "a POSIX shell reads %j back unchanged",
    async (word) => {
      const result = await run("sh", ["-c", `printf %s ${shellQuote(word)}`]);
      expect(result.stdout).toBe(word);
    },
  );

  it("runs end to end through sh -c against a healthy server", async () => {
    const server = await startServer(() => ({ status: 200 }));
    try {
      const line = healthProbeCommandLine({
        ...options,
        url: `${server.url}?a=1&b='2'`,
        successes: 2,
        intervalSeconds: 0,
      });
      const result = await run("sh", ["-c", line]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("answered 2xx 2 times in a row");
      expect(line.startsWith(`bash ${HEALTH_PROBE_SCRIPT} --url '`)).toBe(true);
    } finally {
      await server.close();
    }
  });
});
