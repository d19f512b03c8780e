import { crossGuardPolicies, subjectFromResource } from "../../policies/crossguard";
import { evaluate } from "../../policies/evaluate";
import { RULES } from "../../policies/rules";
import { stackUrn } from "../../tools/plan/plan-resource";
import { runStack } from "../../tools/run-stack";
import { listStacks } from "../../tools/stack-file";
import { PROJECT_DIR } from "../../tools/run-stack";
import { stackSubject, subjectsFromRecorded } from "../../tools/policy-subjects";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

describe("the CrossGuard pack", () => {
  it("is a nodejs policy pack whose package has a version (CrossGuard requires one)", () => {
    const dir = path.join(PROJECT_DIR, "policies");
    expect(parse(fs.readFileSync(path.join(dir, "PulumiPolicy.yaml"), "utf8"))).toMatchObject({
      runtime: "nodejs",
    });
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as {
      version: string;
      main: string;
      dependencies: Record<string, string>;
    };
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.main).toBe("index.ts");
    expect(Object.keys(pkg.dependencies)).toContain("@pulumi/policy");
    expect(fs.existsSync(path.join(PROJECT_DIR, "node_modules/@pulumi/policy/package.json"))).toBe(
      true,
    );
  });

  it("registers every rule with its name, description, level and config schema", () => {
    expect(
      crossGuardPolicies().map((p) => [p.name, p.enforcementLevel, p.description, p.configSchema]),
    ).toEqual(
      RULES.map((r) => [
        r.name,
        r.enforcementLevel,
        r.description,
        r.configSchema && { properties: r.configSchema.properties },
      ]),
    );
    expect(RULES.map((r) => r.name).every((n) => /^[a-z]+(-[a-z]+)*$/.test(n))).toBe(true);
  });

  it("hands CrossGuard's resources to the same checks (dependencies, parents, property dependencies)", () => {
    const gate = {
      type: "phoenix:core:HealthGate",
      urn: "urn:gate",
      name: "g",
      props: {},
      opts: { protect: false },
      dependencies: [],
      propertyDependencies: {},
    };
    const live = {
      type: "digitalocean:index/loadBalancer:LoadBalancer",
      urn: "urn:live",
      name: "lb-live",
      props: { dropletIds: [1] },
      opts: {
        protect: false,
        parent: "urn:lb",
        ignoreChanges: ["tags"],
        deleteBeforeReplace: true,
      },
      dependencies: [gate],
      propertyDependencies: { dropletIds: [gate] },
    };
    expect(subjectFromResource(live as never)).toEqual({
      type: "digitalocean:index/loadBalancer:LoadBalancer",
      name: "lb-live",
      urn: "urn:live",
      props: { dropletIds: [1] },
      secretProps: undefined,
      protect: false,
      retainOnDelete: undefined,
      dependencies: ["urn:gate"],
      propertyDependencies: { dropletIds: ["urn:gate"] },
      parent: "urn:lb",
      // CrossGuard shows these options (the guarantees the policies check)...
      ignoreChanges: ["tags"],
      deleteBeforeReplace: true,
      // ...but not replaceOnChanges.
      replaceOnChanges: undefined,
    });
  });
});

describe.each(listStacks(PROJECT_DIR))("the real %s stack", (stack) => {
  it("passes every mandatory policy", async () => {
    const run = await runStack(stack, {}, { "phoenix:appSecrets": '{"SESSION_SECRET":"s3cr3t"}' });
    if (run.error) throw run.error;
    const root = await stackSubject(stackUrn("phoenix", stack), `phoenix-${stack}`, {
      ...run.result,
    });
    expect(
      evaluate([root, ...subjectsFromRecorded(run.resources)]).filter(
        (v) => v.level === "mandatory",
      ),
    ).toEqual([]);
  });
});

describe("the checks on a real stack's recorded resources", () => {
  it("catch a live switch without its gate, and a live endpoint serving the wrong colour", async () => {
    const run = await runStack("prod");
    if (run.error) throw run.error;
    const subjects = subjectsFromRecorded(run.resources);
    const greenDroplets = subjects
      .filter((s) => s.name.startsWith("shop-prod-green-"))
      .map((s) => s.urn);
    const broken = subjects.map((s) =>
      s.name === "shop-prod-lb-live"
        ? {
            ...s,
            dependencies: s.dependencies.filter((d) => !d.includes("HealthGate")),
            propertyDependencies: { dropletIds: greenDroplets },
          }
        : s,
    );
    expect(evaluate(broken).map((v) => [v.policy, v.message])).toEqual([
      [
        "live-serves-one-colour",
        "shop-prod-lb-live serves the servers of green, but live traffic is declared for blue",
      ],
      [
        "live-switch-gated",
        "digitalocean:index/loadBalancer:LoadBalancer shop-prod-lb-live moves live traffic without depending on a health gate",
      ],
    ]);
  });
});
