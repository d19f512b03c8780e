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

  it("adds --header after the timings", () => {
    expect(
      healthProbeArgv({ ...options, header: "X-Phoenix-Colour: blue" }, "health-probe.sh"),
    ).toEqual([
      "bash",
      "health-probe.sh",
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
      "--header",
      "X-Phoenix-Colour: blue",
    ]);
  });

  const ARN =
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/shop-blue/0123456789abcdef";

  it("proves servers through a target group and its region, after the header", () => {
    expect(
      healthProbeArgv(
        {
          ...options,
          header: "X-Phoenix-Colour: green",
          servers: 2,
          targetGroup: ARN,
          targetHealth: "components/aws/target-health.sh",
          region: "us-east-1",
        },
        "health-probe.sh",
      ),
    ).toEqual([
      "bash",
      "health-probe.sh",
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
      "--header",
      "X-Phoenix-Colour: green",
      "--servers",
      "2",
      "--target-group",
      ARN,
      "--target-health",
      "components/aws/target-health.sh",
      "--region",
      "us-east-1",
    ]);
  });

  it("leaves --region out when a target group comes without one", () => {
    expect(
      healthProbeArgv(
        { ...options, servers: 2, targetGroup: ARN, targetHealth: "target-health.sh" },
        "health-probe.sh",
      ).slice(12),
    ).toEqual(["--servers", "2", "--target-group", ARN, "--target-health", "target-health.sh"]);
  });

  it("quotes the header and target group in the command line", () => {
    expect(
      healthProbeCommandLine(
        {
          ...options,
          header: "X-Phoenix-Colour: blue",
          servers: 2,
          targetGroup: ARN,
          targetHealth: "/opt/phoenix dir/target-health.sh",
          region: "eu-west-2",
        },
        "components/core/health-probe.sh",
      ),
    ).toBe(
      "bash components/core/health-probe.sh --url http://127.0.0.1:8080/healthz --successes 3 " +
        "--timeout 300 --interval 5 --request-timeout 5 --header 'X-Phoenix-Colour: blue' " +
        `--servers 2 --target-group ${ARN} --target-health '/opt/phoenix dir/target-health.sh' --region eu-west-2`,
    );
  });

  it("a header with quotes survives sh -c as one argument", async () => {
    const line = healthProbeCommandLine(
      { ...options, header: "X-Note: it's $HOME" },
      "components/core/health-probe.sh",
    );
    const result = await run("sh", ["-c", `printf '%s\\n' ${line.slice("bash ".length)}`]);
    expect(result.stdout.split("\n").slice(11, 13)).toEqual(["--header", "X-Note: it's $HOME"]);
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
