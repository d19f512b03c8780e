import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { SETTINGS, SettingSpec } from "../../components/core/config/settings";

const project = parse(fs.readFileSync(path.resolve(__dirname, "../../Pulumi.yaml"), "utf8")) as {
  name: string;
  main: string;
  runtime: { name: string };
  config: Record<string, Record<string, unknown>>;
};

describe("Pulumi.yaml", () => {
  it("is the phoenix nodejs project whose main is the stack program", () => {
    expect(project.name).toBe("phoenix");
    expect(project.runtime.name).toBe("nodejs");
    expect(project.main).toBe("stacks/index.ts");
    expect(fs.existsSync(path.resolve(__dirname, "../..", project.main))).toBe(true);
  });

  it("declares exactly the settings the validator reads", () => {
    expect(Object.keys(project.config)).toEqual(Object.keys(SETTINGS));
  });

  it.each(Object.entries(SETTINGS))(
    "declares %s with its type, default and description",
    (name, s) => {
      const spec: SettingSpec = s;
      const declared = project.config[name] as Record<string, unknown>;
      expect(declared.description).toBe(spec.description);
      expect(declared.type).toBe(spec.type === "object" ? undefined : spec.type);
      expect(declared.default).toEqual(spec.default);
      expect(declared.secret).toBe(spec.secret);
      // Pulumi refuses to run a stack that lacks a typed setting with no default: only the
      // settings every stack must set may be declared that way.
      if (declared.type !== undefined && declared.default === undefined)
        expect(name).toBe("service");
    },
  );
});
