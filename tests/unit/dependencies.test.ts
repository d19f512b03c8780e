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
