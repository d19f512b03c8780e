import * as path from "path";
import { projectDir } from "../../helpers/project-dir";
import { stackConfigValue } from "../../../tools/pulumi-config/config-value";
import {
  fitsType,
  projectConfigProblem,
  readDeclarations,
} from "../../../tools/pulumi-config/project-config";
import { PulumiConfigError, readStackFile } from "../../../tools/stack-file";

// The Pulumi CLI's own config rules, as pulumi/pulumi v3.259.0 applies them before a program
// runs (pkg/workspace/config.go, sdk/go/common/workspace/project.go): the plan must refuse
// exactly what `pulumi preview` refuses, with the same message.

const PROJECT = `name: demo
runtime: nodejs
config:
  region:
    type: string
  count:
    type: integer
    default: 2
  flag:
    type: boolean
    default: false
  cidrs:
    type: array
    items:
      type: string
    default: []
  env:
    description: untyped, no default
  token:
    type: string
    secret: true
    default: none
`;

/** What the CLI says of a stack file under PROJECT (or `undefined` when it runs the program). */
function cli(stackFile: string, projectFile = PROJECT): string | undefined {
  const dir = projectDir({ "Pulumi.yaml": projectFile, "Pulumi.dev.yaml": stackFile });
  try {
    readStackFile(dir, "dev", { cliRules: true });
    return undefined;
  } catch (e) {
    if (e instanceof PulumiConfigError) return e.message;
    throw e;
  }
}

describe("the Pulumi CLI's config rules, applied by the offline plan", () => {
  it("refuses every project key with no default that a stack leaves unset, in one message", () => {
    expect(cli("config: {}\n")).toBe(
      "validating stack config: Stack 'dev' is missing configuration values 'env' and 'region'",
    );
    expect(cli("config:\n  demo:region: x\n")).toBe(
      "validating stack config: Stack 'dev' is missing configuration value 'env'",
    );
    const three = PROJECT.replace(
      "  count:\n    type: integer\n    default: 2\n",
      "  count:\n    type: integer\n",
    );
    expect(cli("config: {}\n", three)).toBe(
      "validating stack config: Stack 'dev' is missing configuration values 'count', 'env' and 'region'",
    );
  });

  it("is what today's Pulumi CLI says of the legacy stack file as it was before appEnv had a default", () => {
    const before = `name: phoenix
runtime: nodejs
config:
  service:
    type: string
  appEnv:
    description: plain
  appSecrets:
    description: secret
    secret: true
`;
    const dir = projectDir({
      "Pulumi.yaml": before,
      "Pulumi.legacy.yaml": "config:\n  phoenix:service: ledger\n",
    });
    expect(() => readStackFile(dir, "legacy", { cliRules: true })).toThrow(
      "validating stack config: Stack 'legacy' is missing configuration values 'appEnv' and 'appSecrets'",
    );
  });

  it("checks typed keys in sorted order and reports the first that fails", () => {
    const base = "config:\n  demo:region: x\n  demo:env: {}\n  demo:token:\n    secure: v1:abc\n";
    expect(cli(`${base}  demo:count: lots\n  demo:flag: yes\n`)).toBe(
      "validating stack config: Stack 'dev' with configuration key 'count' must be of type 'integer'",
    );
    expect(cli(`${base}  demo:flag: "True"\n`)).toBe(
      "validating stack config: Stack 'dev' with configuration key 'flag' must be of type 'boolean'",
    );
    expect(cli(`${base}  demo:cidrs: [1, 2]\n`)).toBe(
      "validating stack config: Stack 'dev' with configuration key 'cidrs' must be of type 'array<string>'",
    );
    expect(cli(`${base}  demo:cidrs: "[]"\n`)).toBe(
      "validating stack config: Stack 'dev' with configuration key 'cidrs' must be of type 'array<string>'",
    );
    // Unquoted scalars reach the check as text: 5 is an integer, and a string too.
    expect(
      cli(
        "config:\n  demo:region: 1\n  demo:env: {}\n  demo:token:\n    secure: v1:abc\n  demo:count: 5\n  demo:flag: true\n",
      ),
    ).toBeUndefined();
  });

  it("refuses a typed secret key in plain text, even when it comes from its default", () => {
    expect(cli("config:\n  demo:region: x\n  demo:env: {}\n")).toBe(
      "validating stack config: Stack 'dev' with configuration key 'token' must be encrypted as it's secret",
    );
  });

  it("refuses a Pulumi.yaml whose own declarations are wrong, naming the file", () => {
    const dir = projectDir({
      "Pulumi.yaml":
        "name: demo\nruntime: nodejs\nconfig:\n  count:\n    type: integer\n    default: many\n",
      "Pulumi.dev.yaml": "config: {}\n",
    });
    expect(() => readStackFile(dir, "dev", { cliRules: true })).toThrow(
      `could not unmarshal '${path.join(dir, "Pulumi.yaml")}': The default value specified for configuration key 'count' is not of the expected type 'integer'`,
    );
  });

  it.each([
    [{ count: { type: "integer", default: "3" } }, undefined],
    [
      { count: { type: "array" } },
      "The configuration key 'count' declares an array but does not specify the underlying type via the 'items' attribute",
    ],
    [
      { name: { type: "string", default: 1 } },
      "The default value specified for configuration key 'name' is not of the expected type 'string'",
    ],
    [
      { "aws:region": { type: "string" } },
      "Configuration key 'aws:region' is not namespaced by the project and should not define a type",
    ],
    [
      { "aws:region": { default: "x" } },
      "Configuration key 'aws:region' is not namespaced by the project and should not define a default value. Did you mean to use the 'value' attribute instead of 'default'?",
    ],
    [
      { "aws:region": { description: "x" } },
      "Configuration key 'aws:region' is namespaced and must provide an attribute 'value'",
    ],
    [
      { x: { default: 1, value: 2 } },
      "project config 'x' cannot have both a 'default' and 'value' attribute",
    ],
  ])("Pulumi.yaml declaration %j: %s", (block, message) => {
    expect(projectConfigProblem("demo", readDeclarations("demo", block))).toBe(message);
  });

  it.each([
    ["integer", "007", true],
    ["integer", "+3", true],
    ["integer", "1.0", false],
    ["integer", " 1", false],
    ["integer", "9223372036854775808", false],
    ["integer", 2.0, true],
    ["integer", 2.5, false],
    ["boolean", "true", true],
    ["boolean", "TRUE", false],
    ["string", "", true],
    ["string", 1, false],
    ["object", { a: 1 }, true],
    ["object", [], false],
  ])("a %s accepts %j: %s (ValidateConfigValue)", (type, value, fits) => {
    expect(fitsType(type, undefined, value)).toBe(fits);
  });

  it("stores stack-file values as the CLI does: scalars as text, null as empty, lists as JSON", () => {
    expect(stackConfigValue(1)).toEqual({ text: "1", secure: false, object: false });
    expect(stackConfigValue(true)).toEqual({ text: "true", secure: false, object: false });
    expect(stackConfigValue(null)).toEqual({ text: "", secure: false, object: false });
    expect(stackConfigValue(["a"])).toEqual({ text: '["a"]', secure: false, object: true });
    expect(stackConfigValue({ secure: "v1:x" })).toEqual({
      text: expect.stringMatching(/^\[secret [0-9a-f]{8}\]$/),
      secure: true,
      object: false,
    });
    // Only a map of exactly `secure: <string>` is a secret.
    expect(stackConfigValue({ secure: "v1:x", other: 1 }).secure).toBe(false);
  });

  it("refuses a key it cannot parse as <namespace>:<name>", () => {
    expect(cli("config:\n  a:b:c: x\n")).toBe(
      "getting stack configuration: could not unmarshal map: could not parse a:b:c as a configuration key (configuration keys should be of the form `<namespace>:<name>`)",
    );
  });
});
