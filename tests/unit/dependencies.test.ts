import * as fs from "fs";
import * as path from "path";

const lock = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, "../../package-lock.json"), "utf8"),
) as { packages: Record<string, { version: string; deprecated?: string }> };

describe("locked dependencies", () => {
  it("use @pulumi/command's real 1.x line (4.5.0 is a deprecated republish with no provider release)", () => {
    const command = lock.packages["node_modules/@pulumi/command"];
    expect(command?.version).toMatch(/^1\./);
    expect(command?.deprecated).toBeUndefined();
  });

  it("lock no deprecated @pulumi package", () => {
    const deprecated = Object.entries(lock.packages)
      .filter(([name, p]) => name.includes("@pulumi/") && p.deprecated !== undefined)
      .map(([name, p]) => `${name}@${p.version}`);
    expect(deprecated).toEqual([]);
  });
});

describe("@pulumi/aws", () => {
  const ROOT = path.resolve(__dirname, "../..");
  const sources = (dir: string): string[] =>
    fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) return e.name === "node_modules" ? [] : sources(rel);
      return e.name.endsWith(".ts") ? [rel] : [];
    });

  it("is the current 7.x major", () => {
    expect(lock.packages["node_modules/@pulumi/aws"]?.version).toMatch(/^7\./);
  });

  it("is imported by submodule only: the root import costs twice the type-check memory", () => {
    const files = ["components", "stacks", "policies", "tools", "tests"].flatMap(sources);
    const rootImports = files.filter((f) =>
      /from ["']@pulumi\/aws["']|require\(["']@pulumi\/aws["']\)/.test(
        fs.readFileSync(path.join(ROOT, f), "utf8"),
      ),
    );
    expect(files.length).toBeGreaterThan(50);
    expect(rootImports).toEqual([]);
  });
});
