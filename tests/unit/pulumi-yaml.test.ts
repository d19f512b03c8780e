import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { SETTINGS, SettingSpec } from "../../components/core/config/settings";
import { PLATFORMS } from "../../stacks/platforms";

const text = fs.readFileSync(path.resolve(__dirname, "../../Pulumi.yaml"), "utf8");
const project = parse(text) as {
  name: string;
  main: string;
  runtime: { name: string };
  config: Record<string, Record<string, unknown>>;
};

/** Every setting: the neutral ones and each platform's own. */
const ALL: Record<string, SettingSpec> = Object.assign(
  {},
  SETTINGS,
  ...PLATFORMS.map((p) => p.settings),
);
const declared = Object.entries(ALL).filter(([, s]) => s.default !== undefined || s.required);
const optional = Object.entries(ALL).filter(([, s]) => s.default === undefined && !s.required);

describe("Pulumi.yaml", () => {
  it("is the phoenix nodejs project whose main is the stack program", () => {
    expect(project.name).toBe("phoenix");
    expect(project.runtime.name).toBe("nodejs");
    expect(project.main).toBe("stacks/index.ts");
    expect(fs.existsSync(path.resolve(__dirname, "../..", project.main))).toBe(true);
  });

  it("requires a Pulumi CLI that keeps outputs through a failed update and deletes leftovers last", () => {
    expect((project as unknown as { requiredPulumiVersion: string }).requiredPulumiVersion).toBe(
      ">=3.112.0",
    );
  });

  it("declares exactly the settings that have a default or are required", () => {
    expect(Object.keys(project.config)).toEqual(declared.map(([name]) => name));
  });

  it.each(declared)("declares %s with its type, default and description", (name, spec) => {
    const d = project.config[name] as Record<string, unknown>;
    expect(d.description).toBe(spec.description);
    expect(d.type).toBe(spec.type);
    expect(d.default).toEqual(spec.default);
    if (spec.type === "array") expect(d.items).toEqual({ type: "string" });
  });

  it("names, in its comment, every optional setting it does not declare", () => {
    // Declaring one without a default would make the Pulumi CLI require it in every stack.
    const comment = text.slice(0, text.indexOf("\nconfig:"));
    for (const [name, spec] of optional) {
      expect(spec.whenUnset).toBeDefined();
      expect(comment).toMatch(new RegExp(`[ ,]${name}[,.]`));
    }
  });

  it("requires exactly platform, region and service: there is no cloud default", () => {
    expect(declared.filter(([, s]) => s.required).map(([n]) => n)).toEqual([
      "platform",
      "region",
      "service",
    ]);
  });
});
