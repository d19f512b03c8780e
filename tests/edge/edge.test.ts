import { ConfigError } from "../../components/core/config/config-error";
import { decommissionProblems } from "../../components/core/decommission";
import { StackConfig } from "../../components/core/config/stack-config";
import { readEdgeSettings } from "../../edge/settings";
import { factsOf } from "../../policies/facts";
import { MockStackRun, unwrap } from "../../tools/mock-stack";
import { diffRuns } from "../../tools/plan/diff/resource-diff";
import { PROGRAMS } from "../../tools/programs";
import { OtherStacks, referencedOutputs, runProgram } from "../../tools/run-program";
import { PROJECT_DIR, runStack } from "../../tools/run-stack";
import { operations, SECRETS } from "../helpers/updates";

const EDGE = PROGRAMS.find((p) => p.name === "edge");
const AMS = "organization/phoenix/vsphere-prod";
const AWS = "organization/phoenix/aws-prod";
const EDGE_STACK = "organization/phoenix-edge/shop";
const RECORD = "aws:route53/record:Record";

const changes = (a: MockStackRun<unknown>, b: MockStackRun<unknown>) =>
  operations(
    diffRuns(a.resources, b.resources, {
      replaceOn: (type) => factsOf(type)?.replaceOn,
      isRead: (type) => factsOf(type)?.read === true,
      isComponent: (type) => factsOf(type)?.component !== undefined,
    }),
  );

// The edge program (edge/Pulumi.shop.yaml) over the two committed environment stacks, each read
// from its own plan run as deployed, as `npm run plan -- --program edge --stack shop` reads them.
describe("the edge between two environments", () => {
  let environments: OtherStacks;
  let today: MockStackRun<unknown>;
  let moving: MockStackRun<unknown>;
  let moved: MockStackRun<unknown>;
  const edge = async (overrides: Record<string, string> = {}) => {
    if (!EDGE) throw new Error("no edge program");
    const run = await runProgram(EDGE, "shop", { otherStacks: environments, overrides });
    if (run.error) throw run.error;
    return run;
  };
  beforeAll(async () => {
    environments = await referencedOutputs([AMS, AWS]);
    today = await edge();
    moving = await edge({ "phoenix-edge:weights": '{"vsphere-prod":90,"aws-prod":10}' });
    moved = await edge({ "phoenix-edge:active": "aws-prod" });
  });

  it("points the name users resolve at the active environment only behind a gate on its live URL", async () => {
    const record = today.get(RECORD, "edge-vsphere-prod");
    expect(record.inputs).toEqual({
      zoneId: "Z04517273VCLIDX9UJ6KE",
      name: "www.example.com",
      type: "CNAME",
      ttl: 60,
      records: ["shop-ams.example.com"],
      setIdentifier: "vsphere-prod",
      weightedRoutingPolicies: [{ weight: 100 }],
    });
    expect(record.opts.dependsOn).toEqual(["phoenix:core:HealthGate::edge-gate"]);
    const probe = today.get("command:local:Command", "edge-gate-vsphere-prod");
    expect(probe.inputs.create).toBe(
      "bash components/core/health-probe.sh --url http://shop-ams.example.com/healthz --successes 5 --timeout 600 --interval 5 --request-timeout 5",
    );
    expect(today.ofType(RECORD).map((r) => r.name)).toEqual(["edge-vsphere-prod"]);
    expect(await unwrap((today.result as { pointsAt: unknown }).pointsAt as string[])).toEqual([
      AMS,
    ]);
  });

  it("moves users by weight: each environment with traffic gated, only the edge's own resources change", async () => {
    expect(moving.get(RECORD, "edge-aws-prod").inputs).toMatchObject({
      records: ["shop.example.com"],
      setIdentifier: "aws-prod",
      weightedRoutingPolicies: [{ weight: 10 }],
    });
    expect(moving.get(RECORD, "edge-vsphere-prod").inputs.weightedRoutingPolicies).toEqual([
      { weight: 90 },
    ]);
    expect(moving.get("command:local:Command", "edge-gate-aws-prod").inputs.create).toContain(
      "--url https://shop.example.com/healthz",
    );
    expect(changes(today, moving)).toEqual({
      "edge-gate": "update",
      "edge-gate-vsphere-prod": "replace",
      "edge-gate-aws-prod": "create",
      "edge-vsphere-prod": "update",
      "edge-aws-prod": "create",
    });
    expect(await unwrap((moving.result as { pointsAt: unknown }).pointsAt as string[])).toEqual([
      AWS,
      AMS,
    ]);
  });

  it("finishes the move: the old environment's record goes, the new one takes every user", async () => {
    expect(changes(moving, moved)).toEqual({
      "edge-gate": "update",
      "edge-gate-vsphere-prod": "delete",
      "edge-gate-aws-prod": "replace",
      "edge-aws-prod": "update",
      "edge-vsphere-prod": "delete",
    });
    expect(await unwrap((moved.result as { pointsAt: unknown }).pointsAt as string[])).toEqual([
      AWS,
    ]);
  });

  describe("tearing an environment down (phoenix:decommission)", () => {
    const decommission = (copy: string): Record<string, string | undefined> => ({
      "phoenix:decommission": "true",
      "phoenix:decommissionEdgeStack": EDGE_STACK,
      "phoenix:decommissionDataCopy": copy,
    });
    const pointsAt = async (run: MockStackRun<unknown>) => ({
      pointsAt: await unwrap((run.result as { pointsAt: unknown }).pointsAt as string[]),
    });

    it("is refused for the environment the edge points at", async () => {
      const run = await runStack("vsphere-prod", decommission("aws-prod"), SECRETS, PROJECT_DIR, {
        otherStacks: { ...environments, [EDGE_STACK]: await pointsAt(today) },
      });
      expect(run.error).toBeInstanceOf(ConfigError);
      expect((run.error as ConfigError).problems).toEqual([
        `phoenix:decommission: refused: the edge stack ${EDGE_STACK} points at this stack (pointsAt: ${AMS}); allowed: once the edge has moved every user to another environment`,
      ]);
      expect(run.resources.filter((r) => !factsOf(r.type)?.read)).toEqual([]);
    });

    it("is allowed for the one it no longer points at, and lifts protect for pulumi destroy", async () => {
      const run = await runStack("vsphere-prod", decommission("aws-prod"), SECRETS, PROJECT_DIR, {
        otherStacks: { ...environments, [EDGE_STACK]: await pointsAt(moved) },
      });
      if (run.error) throw run.error;
      expect(run.resources.filter((r) => r.opts.protect).map((r) => r.name)).toEqual([]);
      expect(run.resources.filter((r) => factsOf(r.type)?.stateful).length).toBeGreaterThan(0);
      expect(run.diagnostics.map((d) => d.severity)).toContain("warning");
      expect(
        run.diagnostics.find((d) => d.message.startsWith("phoenix:decommission"))?.message,
      ).toBe(
        "phoenix:decommission: every resource of this stack is unprotected by this update, so that `pulumi destroy` can remove the stack next; the database, volumes and addresses are kept in the account by that destroy (retainOnDelete): delete them by hand once their data is safe elsewhere.",
      );
    });

    it("is refused while the environment holds the only copy of its protected database", async () => {
      const run = await runStack(
        "aws-prod",
        { ...decommission("x"), "phoenix:decommissionDataCopy": undefined },
        SECRETS,
      );
      expect((run.error as ConfigError).problems).toEqual([
        "phoenix:decommissionDataCopy: received nothing; allowed: where the data lives on, as this stack holds the only copy of its protected data: the Phoenix stack whose promoted replica holds it, or dump:<location> of a dump restored and checked elsewhere",
      ]);
      const config = {
        database: {},
        dataVolume: undefined,
        decommission: { edgeStack: undefined, dataCopy: { stack: "legacy" } },
      } as unknown as StackConfig;
      const colour = { count: 1, image: "ami-1", size: "m7i.large", fingerprint: "f" };
      const legacy = {
        ...{ version: 1, service: "ledger", environment: "legacy", region: "fra1" },
        ...{ vpcCidr: "10.30.0.0/24", endpoint: "floatingIp", appPort: 8443 },
        ...{
          healthCheckPath: "/health",
          served: ["blue"],
          colours: { blue: colour, green: colour },
        },
        ...{
          database: null,
          dataVolume: { sizeGiB: 50, mountPath: "/var/lib/ledger", filesystem: "ext4" },
        },
      };
      expect(
        decommissionProblems(config, AWS, { edgePointsAt: undefined, dataCopyRecord: legacy }),
      ).toEqual([
        "phoenix:decommissionDataCopy: refused: this stack holds the only copy of its database: the stack legacy has no database; allowed: the stack whose promoted replica holds the data, or dump:<location> of a confirmed dump",
      ]);
    });
  });
});

describe("the edge's settings", () => {
  const repository = { project: "phoenix", stacks: ["aws-prod", "prod", "vsphere-prod"] };
  const edgeConfig = (environments: string[], project?: string) => ({
    "phoenix-edge:environments": JSON.stringify(environments),
    "phoenix-edge:active": environments[0] as string,
    "phoenix-edge:dns": "digitalocean",
    "phoenix-edge:domain": "example.com",
    "phoenix-edge:record": "www",
    ...(project === undefined ? {} : { "phoenix-edge:project": project }),
  });

  it("refuses an environment of the repository's Phoenix project without a stack file there", () => {
    expect(() => readEdgeSettings(edgeConfig(["vsphere-prod", "aws-prd"]), repository)).toThrow(
      [
        "Invalid edge configuration (1 problem):",
        '  - phoenix-edge:environments: received ["vsphere-prod","aws-prd"]; allowed: stacks of the phoenix project with a stack file in the repository, one of aws-prod, prod, vsphere-prod (no Pulumi.aws-prd.yaml)',
      ].join("\n"),
    );
    expect(
      readEdgeSettings(edgeConfig(["vsphere-prod", "aws-prod"]), repository).environments,
    ).toEqual(["vsphere-prod", "aws-prod"]);
    // Another project's stacks live elsewhere: nothing here to check them against.
    expect(
      readEdgeSettings(edgeConfig(["eu-1", "eu-2"], "shop-platform"), repository).environments,
    ).toEqual(["eu-1", "eu-2"]);
  });

  it("names every problem, with the value received and what is allowed", () => {
    expect(() =>
      readEdgeSettings({
        "phoenix-edge:environments": '["vsphere-prod","aws-prod"]',
        "phoenix-edge:active": "prod",
        "phoenix-edge:dns": "digitalocean",
        "phoenix-edge:weights": '{"vsphere-prod":50,"aws-prod":50}',
        "phoenix-edge:domain": "example.com",
        "phoenix-edge:record": "www",
        "phoenix-edge:gateSucesses": "5",
        "aws:region": "us-east-1",
      }),
    ).toThrow(
      [
        "Invalid edge configuration (3 problems):",
        "  - phoenix-edge:gateSucesses: unknown setting (did you mean phoenix-edge:gateSuccesses?); allowed: one of project, environments, active, weights, dns, route53ZoneId, domain, record, ttlSeconds, gateSuccesses, gateTimeoutSeconds, gateIntervalSeconds",
        "  - phoenix-edge:active: received prod; allowed: one of vsphere-prod, aws-prod",
        '  - phoenix-edge:weights: received {"vsphere-prod":50,"aws-prod":50}; allowed: nothing while phoenix-edge:dns is digitalocean (its records have no weights: the edge points at one environment)',
      ].join("\n"),
    );
  });
});
