import fc from "fast-check";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { SETTINGS } from "../../components/core/config/settings";
import { PLATFORMS } from "../../stacks/platforms";
import { planCommand } from "../../tools/plan/plan-command";
import { PROJECT_DIR } from "../../tools/run-stack";

/**
 * Any value of any setting, written into a real stack file, must end the offline plan cleanly:
 * exit 0 or 1 (it planned), or 2 with a message naming that setting. Never a crash (3), never a
 * message about something else.
 */

const NAMES = [...Object.keys(SETTINGS), ...PLATFORMS.flatMap((p) => Object.keys(p.settings))];

/** Values chosen to sit on the edges of what settings accept. */
const EDGES = [
  "",
  " ",
  "0",
  "-0",
  "-1",
  "+3",
  "1.5",
  "1e3",
  "0x10",
  "99999999999999999999",
  "true",
  "false",
  "null",
  "blue",
  "green",
  "/",
  "/var",
  "/var/lib/x/../y",
  "/var/lib/./shop",
  "/proc/x",
  "10.0.0.0/8",
  "0.0.0.0/0",
  "10.10.0.1/20",
  "ams3",
  "mars1",
  "s-1vcpu-1gb",
  "db-s-1vcpu-1gb",
  "187654321",
  "ubuntu-24-04-x64",
  "floatingIp",
  "loadBalancer",
  "example.com",
  "@",
  "ext4",
  "xfs",
  "\u0000",
  "a\nb",
  "\t",
  "\u001b[31m",
  "\ud800",
  "é",
  "{}",
  "[]",
  '{"A":"b"}',
  "constructor",
  "__proto__",
  "-----BEGIN RSA PRIVATE KEY-----",
  "postgres://u:p@h/db",
];

const scalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...EDGES),
  fc.constant(null),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
);
const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 12 }), scalar, { maxKeys: 3 }) },
);

const devConfig = (
  parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8")) as {
    config: Record<string, unknown>;
  }
).config;

/** A project directory with the real Pulumi.yaml and dev's stack file with one change. */
function projectWith(config: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "phoenix-fuzz-"));
  fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), stringify({ config }));
  return dir;
}

describe("any value of any setting ends the plan with 0, 1, or 2 naming the setting", () => {
  it("holds for random values of every setting, set or removed", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...NAMES), fc.option(value), async (name, v) => {
        const key = `phoenix:${name}`;
        const config = Object.fromEntries(Object.entries(devConfig).filter(([k]) => k !== key));
        if (v !== null) config[key] = v;
        const outcome = await planCommand(["--stack", "dev"], projectWith(config));
        expect([0, 1, 2]).toContain(outcome.code);
        if (outcome.code === 2) expect(outcome.stderr).toMatch(new RegExp(`\\b${name}\\b`));
      }),
      { numRuns: 150 },
    );
  });

  it("holds for keys nothing reads: they are refused with their own name", async () => {
    const key = fc.oneof(
      fc.constantFrom(...NAMES).map((n) => `phoenix:${n}x`),
      fc.constantFrom(...NAMES).map((n) => `phenix:${n}`),
      fc.stringMatching(/^[a-z]{1,8}:[A-Za-z]{1,12}$/),
    );
    await fc.assert(
      fc.asyncProperty(key, scalar, async (k, v) => {
        fc.pre(!k.startsWith("pulumi:") && !NAMES.some((n) => k === `phoenix:${n}`));
        const outcome = await planCommand(
          ["--stack", "dev"],
          projectWith({ ...devConfig, [k]: v }),
        );
        expect({ code: outcome.code, named: outcome.stderr.includes(k) }).toEqual({
          code: 2,
          named: true,
        });
      }),
      { numRuns: 40 },
    );
  });
});
