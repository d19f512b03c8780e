import { projectDir } from "../../helpers/project-dir";
import {
  listStacks,
  readStackFile,
  secretPlaceholder,
  UnknownStackError,
} from "../../../tools/stack-file";

const PROJECT = `name: demo
runtime: nodejs
config:
  region:
    type: string
    default: nyc3
  count:
    type: integer
    default: 2
  cidrs:
    type: array
    items:
      type: string
    default: []
  plain: just-a-default
  env:
    description: untyped, no default
  digitalocean:region: ams3
`;

describe("readStackFile", () => {
  it("merges project defaults under stack values, as the engine passes them (strings)", () => {
    const dir = projectDir({
      "Pulumi.yaml": PROJECT,
      "Pulumi.dev.yaml": "config:\n  demo:count: 5\n  demo:env:\n    A: b\n  demo:flag: true\n",
    });
    expect(readStackFile(dir, "dev")).toEqual({
      project: "demo",
      stack: "dev",
      config: {
        "demo:region": "nyc3",
        "demo:count": "5",
        "demo:cidrs": "[]",
        "demo:plain": "just-a-default",
        "digitalocean:region": "ams3",
        "demo:env": '{"A":"b"}',
        "demo:flag": "true",
      },
      secretKeys: [],
      environments: [],
    });
  });

  it("turns secure values it cannot decrypt into secret placeholders, top-level and nested", () => {
    const dir = projectDir({
      "Pulumi.yaml": PROJECT,
      "Pulumi.prod.yaml":
        "config:\n  digitalocean:token:\n    secure: v1:abc\n  demo:env:\n    PLAIN: x\n    KEY:\n      secure: v1:def\n",
    });
    const file = readStackFile(dir, "prod");
    expect(file.config["digitalocean:token"]).toBe(secretPlaceholder("v1:abc"));
    expect(secretPlaceholder("v1:abc")).toMatch(/^\[secret [0-9a-f]{8}\]$/);
    // A rotated secret (a new ciphertext) reads differently, so the offline diff sees it.
    expect(secretPlaceholder("v1:abd")).not.toBe(secretPlaceholder("v1:abc"));
    expect(JSON.parse(file.config["demo:env"] as string)).toEqual({
      PLAIN: "x",
      KEY: secretPlaceholder("v1:def"),
    });
    expect(file.secretKeys).toEqual(["digitalocean:token", "demo:env"]);
  });

  it("names the stack files that exist when asked for one that does not", () => {
    const dir = projectDir({
      "Pulumi.yaml": PROJECT,
      "Pulumi.dev.yaml": "config: {}\n",
      "Pulumi.prod.yaml": "",
    });
    expect(listStacks(dir)).toEqual(["dev", "prod"]);
    expect(() => readStackFile(dir, "qa")).toThrow(new UnknownStackError("qa", ["dev", "prod"]));
    expect(() => readStackFile(dir, "qa")).toThrow(
      'unknown stack "qa": no Pulumi.qa.yaml; stack files found: Pulumi.dev.yaml, Pulumi.prod.yaml',
    );
  });
});
