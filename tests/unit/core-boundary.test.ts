import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");

/** Every .ts and .sh file under a folder of the repository. */
function files(dir: string): string[] {
  return fs
    .readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|sh)$/.test(e.name))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

/** Words that belong to one cloud: its name, its products and its vocabulary. */
const CLOUD_WORDS =
  /digital ?ocean|droplet|snapshot|\bslugs?\b|\bamis?\b|ami-[0-9a-f]|datastore|vsphere|vmware|vcenter|\baws\b|\bec2\b|amazon|\brds\b|reserved ip|doctl|\bnyc\d\b|us-east-\d/i;

/** Lines of the given files that match a pattern, as `file:line: text`. */
function hits(list: readonly string[], pattern: RegExp): string[] {
  return list.flatMap((file) =>
    fs
      .readFileSync(path.join(ROOT, file), "utf8")
      .split("\n")
      .flatMap((line, i) => (pattern.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
  );
}

describe("the cloud-neutral boundary", () => {
  it("components/core speaks no cloud's words", () => {
    expect(hits(files("components/core"), CLOUD_WORDS)).toEqual([]);
  });

  it("the word list catches a cloud word (the check can fail)", () => {
    expect(CLOUD_WORDS.test("the droplet's snapshot ID")).toBe(true);
    expect(CLOUD_WORDS.test("an AMI ID like ami-0abc")).toBe(true);
    expect(CLOUD_WORDS.test("the server's pinned image")).toBe(false);
  });

  it("eslint refuses a cloud SDK or a platform folder imported into components/core", () => {
    // eslint reads the text from stdin as if it were a real core file, so nothing is written
    // into the tree. The project's own config applies; only its rules that need type
    // information are off (building the project's program for them takes seconds, and the
    // import rule needs none).
    const rules = (source: string): string[] => {
      let out: string;
      try {
        out = execFileSync(
          process.execPath,
          [
            path.join(ROOT, "node_modules/eslint/bin/eslint.js"),
            "--stdin",
            "--stdin-filename",
            "components/core/colour.ts",
            "--format",
            "json",
            "--parser-options",
            "projectService:false",
            ...[
              "@typescript-eslint/no-floating-promises",
              "@pulumi/no-output-in-template-literal",
              "@pulumi/no-output-instance-in-template-literal",
            ].flatMap((rule) => ["--rule", `${rule}: off`]),
          ],
          { cwd: ROOT, input: source, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] },
        );
      } catch (e) {
        // eslint exits 1 when it finds a problem; its report is still on stdout.
        out = String((e as { stdout?: unknown }).stdout);
      }
      const [result] = JSON.parse(out) as { messages: { ruleId: string | null }[] }[];
      return (result?.messages ?? []).map((m) => String(m.ruleId));
    };
    // One run: three forbidden imports, one allowed.
    const source = [
      'import * as digitalocean from "@pulumi/digitalocean";',
      'import * as ec2 from "@pulumi/aws/ec2";',
      'import { DO_TYPES } from "../digitalocean/types";',
      'import { COLOURS } from "./colour";',
      "export const x = [digitalocean, ec2, DO_TYPES, COLOURS];",
      "",
    ].join("\n");
    expect(rules(source)).toEqual(Array(3).fill("no-restricted-imports"));
  });

  it("no policy rule names a type token", () => {
    const TOKEN =
      /["'`][a-z0-9-]+:[a-zA-Z0-9/]+:[A-Za-z]+["'`]|command:local|phoenix:(core|[a-z]+):[A-Z]/;
    expect(hits(files("policies/rules"), TOKEN)).toEqual([]);
  });

  it("stacks/ names no cloud outside the platform table", () => {
    const others = files("stacks").filter((f) => f !== path.join("stacks", "platforms.ts"));
    expect(others.length).toBeGreaterThan(0);
    expect(hits(others, /digitalocean|aws|vsphere/i)).toEqual([]);
  });
});
