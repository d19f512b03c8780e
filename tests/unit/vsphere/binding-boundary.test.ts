import * as fs from "fs";
import * as path from "path";

/**
 * The vSphere binding (types.ts with the tokens, provider.ts and lookups.ts that register them) is
 * the only code that names a vSphere type token: everything else imports the constants, so that
 * swapping in the real `@pulumi/vsphere` SDK later is a change to the binding alone.
 */

const ROOT = path.join(__dirname, "../../..");
const BINDING = [
  "components/vsphere/types.ts",
  "components/vsphere/provider.ts",
  "components/vsphere/lookups.ts",
];
const SKIP = new Set(["node_modules", ".git", "tests"]);

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIP.has(entry.name)) return [];
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return /\.(ts|js|mjs)$/.test(entry.name) ? [path.relative(ROOT, full)] : [];
  });
}

describe("the vSphere binding", () => {
  it("is the only code that names a vSphere token", () => {
    const naming = sources(ROOT).filter((file) =>
      /vsphere:index\//.test(fs.readFileSync(path.join(ROOT, file), "utf8")),
    );
    // types.ts holds them; provider.ts names them in its TSDoc.
    expect(naming.sort()).toEqual([
      "components/vsphere/provider.ts",
      "components/vsphere/types.ts",
    ]);
  });

  it("pins the provider plugin on every resource and lookup it registers", () => {
    const provider = fs.readFileSync(path.join(ROOT, BINDING[1] as string), "utf8");
    const lookups = fs.readFileSync(path.join(ROOT, BINDING[2] as string), "utf8");
    expect(provider.match(/super\(type, name, inputs, withVersion\(opts\)\)/g)).toHaveLength(3);
    expect(lookups).toContain("version: opts?.version ?? VSPHERE_PLUGIN_VERSION");
  });
});
