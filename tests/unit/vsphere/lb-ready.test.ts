import * as fs from "fs";
import * as path from "path";
import { makeTempDir, requireTool, run } from "../cloud-init/tools";

/**
 * keepalived's readiness check on a load balancer (lb-ready.sh), run for real: ready only while a
 * process named haproxy runs and the routing map holds a switch's `blue_percent`. Each case runs
 * in its own PID namespace, so no other HAProxy on the machine can answer for it.
 */

const SCRIPT = path.join(__dirname, "../../../components/vsphere/lb-ready.sh");
const dir = makeTempDir("lb-ready");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs the check with `map` as the map file, with or without a process named haproxy. */
function ready(map: string | undefined, haproxyRunning: boolean): number | null {
  const file = path.join(dir, `map-${Math.random().toString(36).slice(2)}`);
  if (map !== undefined) fs.writeFileSync(file, map);
  // `exec -a haproxy sleep`: a process whose name pidof reports as haproxy.
  const start = haproxyRunning ? "(exec -a haproxy sleep 30) & sleep 0.2; " : "";
  return run(requireTool("unshare", "util-linux"), [
    "--pid",
    "--fork",
    "--mount-proc",
    "--",
    "/bin/bash",
    "-c",
    `${start}"$1" "$2"`,
    "bash",
    SCRIPT,
    file,
  ]).status;
}

const SWITCHED = "# Phoenix routing state\nblue_percent 0\npreview be_blue\n";

describe("lb-ready.sh", () => {
  it("is ready with HAProxy running and the routing a switch wrote", () => {
    expect(ready(SWITCHED, true)).toBe(0);
  });

  it.each<[string, string | undefined, boolean]>([
    ["HAProxy not running", SWITCHED, false],
    [
      "the map as a new VM starts (no switch yet)",
      "# Phoenix routing state: written by the live switch.\n",
      true,
    ],
    ["no map", undefined, true],
    ["a map whose share is no number", "blue_percent half\n", true],
  ])("is not ready: %s", (_name, map, running) => {
    expect(ready(map, running)).toBe(1);
  });

  it("passes shellcheck", () => {
    const r = run(requireTool("shellcheck", "shellcheck"), [SCRIPT]);
    expect({ status: r.status, output: r.stdout + r.stderr }).toEqual({ status: 0, output: "" });
  });
});
