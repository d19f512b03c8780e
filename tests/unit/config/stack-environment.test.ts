import { parse } from "yaml";
import { environmentImports } from "../../../tools/pulumi-config/stack-environment";
import { PROJECT_DIR } from "../../../tools/run-stack";
import { listStacks, readStackFile } from "../../../tools/stack-file";
import { projectDir } from "../../helpers/project-dir";

// What `ProjectStack.Environment.Imports()` returns for each form of the block
// (pulumi/pulumi sdk/go/common/workspace/project.go).
describe("a stack file's environment: block, as the Pulumi CLI reads it", () => {
  it.each([
    ["no block", "config: {}", []],
    ["an empty block", "environment:", []],
    [
      "a list of names",
      "environment:\n  - phoenix/prod\n  - shared/dns",
      ["phoenix/prod", "shared/dns"],
    ],
    ["scalars decoded into Go strings", "environment: [7, true]", ["7", "true"]],
    [
      "an inline definition: its imports, then yaml for its own values",
      "environment:\n  imports:\n    - phoenix/prod\n    - shared/dns: { merge: false }\n  values:\n    pulumiConfig: { a: b }",
      ["phoenix/prod", "shared/dns", "yaml"],
    ],
    [
      "an inline definition without values",
      "environment:\n  imports: [phoenix/prod]",
      ["phoenix/prod"],
    ],
    [
      "a list holding a map: an inline definition that is no mapping",
      "environment:\n  - { a: b }",
      [],
    ],
    ["a scalar: an inline definition that is no mapping", "environment: phoenix/prod", []],
  ])("%s", (_, text, expected) => {
    expect(environmentImports((parse(text) as { environment?: unknown }).environment)).toEqual(
      expected,
    );
  });

  it("is read from the stack file beside its config, which it leaves alone", () => {
    const dir = projectDir({
      "Pulumi.yaml": "name: phoenix\nruntime: nodejs\n",
      "Pulumi.x.yaml": "environment:\n  - phoenix/x\nconfig:\n  phoenix:service: shop\n",
    });
    expect(readStackFile(dir, "x", { cliRules: true })).toEqual({
      project: "phoenix",
      stack: "x",
      config: { "phoenix:service": "shop" },
      secretKeys: [],
      environments: ["phoenix/x"],
    });
  });

  it("names, in every committed stack file, the stack's own environment phoenix/<stack>", () => {
    for (const stack of listStacks(PROJECT_DIR)) {
      expect({ stack, environments: readStackFile(PROJECT_DIR, stack).environments }).toEqual({
        stack,
        environments: [`phoenix/${stack}`],
      });
    }
  });
});
