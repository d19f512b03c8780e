import { spawnSync } from "child_process";
import { HEALTH_PROBE_SCRIPT } from "../../../components/core/health-probe";
import { probe } from "./probe-harness";

describe("health-probe.sh arguments", () => {
  it("passes shellcheck", () => {
    const result = spawnSync("shellcheck", [HEALTH_PROBE_SCRIPT], { encoding: "utf8" });
    expect(result.error).toBeUndefined();
    expect({ status: result.status, output: result.stdout }).toEqual({ status: 0, output: "" });
  });

  it.each([
    [
      ["--url", "ftp://example.com/"],
      '--url received "ftp://example.com/"; allowed: an http:// or https:// URL',
    ],
    [[], '--url received ""; allowed: an http:// or https:// URL'],
    [
      ["--url", "http://x/", "--successes", "0"],
      '--successes received "0"; allowed: a whole number of at least 1',
    ],
    [
      ["--url", "http://x/", "--timeout", "1.5"],
      '--timeout received "1.5"; allowed: a whole number of at least 1',
    ],
    [
      ["--url", "http://x/", "--interval", "-1"],
      '--interval received "-1"; allowed: a whole number of at least 0',
    ],
    [
      ["--url", "http://x/", "--request-timeout", "soon"],
      '--request-timeout received "soon"; allowed: a whole number of at least 1',
    ],
    [["--url"], "--url needs a value"],
    [["--url", "http://x/", "--retries", "3"], 'unknown argument "--retries"'],
  ])("%j exits 2: %s", async (args, message) => {
    const result = await probe(args);
    expect(result.code).toBe(2);
    expect(result.stderr.split("\n")[0]).toBe(`health-probe: ${message}`);
    expect(result.stdout).toBe("");
  });
});
