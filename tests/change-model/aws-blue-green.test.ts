import { ConfigError } from "../../components/core/config/config-error";
import { StackOutputs } from "../../components/core/stack-outputs";
import { MockStackRun, RecordedResource } from "../../tools/mock-stack";
import { ConfigOverrides } from "../../tools/run-stack";
import { A } from "../helpers/aws-types";
import { changesOf, deployed, operations, SECRETS, update } from "../helpers/updates";

/**
 * Blue/green on AWS through the real stack program (aws-prod), each step the next update of the
 * deployed stack: what the live listener forwards with which weights, which target groups
 * exist, and which gate probes run.
 */

const STACK = "aws-prod";

const problemsOf = (run: MockStackRun<StackOutputs>): readonly string[] =>
  run.error instanceof ConfigError
    ? run.error.problems
    : [`not a ConfigError: ${String(run.error)}`];

/** The live listener's forward weights, by colour (read off the target groups' ARNs). */
function liveWeights(run: MockStackRun<StackOutputs>): Record<string, number> {
  const live = run.get(A.listener, "shop-aws-prod-lb-live");
  const actions = live.inputs.defaultActions as {
    forward: { targetGroups: { arn: string; weight: number }[] };
  }[];
  return Object.fromEntries(
    (actions[0]?.forward.targetGroups ?? []).map((g) => [
      /targetgroup\/shop-aws-prod-(blue|green)-tg\//.exec(g.arn)?.[1] ?? g.arn,
      g.weight,
    ]),
  );
}

const targetGroups = (run: MockStackRun<StackOutputs>): string[] =>
  run.resources
    .filter((r: RecordedResource) => r.type === A.targetGroup)
    .map((r) => r.name)
    .sort();

/** The gate probes this update runs: created or replaced (an unchanged one does not run). */
function gateRuns(
  previous: MockStackRun<StackOutputs> | undefined,
  next: MockStackRun<StackOutputs>,
) {
  const probes = next.resources.filter(
    (r) => r.type === A.command && r.name.startsWith("shop-aws-prod-lb-gate-"),
  );
  if (previous === undefined) return probes.map((p) => p.name).sort();
  const ops = operations(changesOf(previous, next));
  return probes
    .map((p) => p.name)
    .filter((n) => ops[n] === "create" || ops[n] === "replace")
    .sort();
}

/** Green built beside blue: the starting point of a cutover. */
const GREEN_BUILT: ConfigOverrides = {};
const BLUE_ONLY: ConfigOverrides = {
  "phoenix:greenCount": "0",
  "phoenix:greenImage": undefined,
  "phoenix:greenSize": undefined,
};

describe("AWS blue/green transitions (aws-prod): listener weights, target groups, gate runs", () => {
  it("walks first deploy, build green, canary 10 and 50, cutover, rollback and teardown", async () => {
    const steps: {
      step: string;
      weights: Record<string, number>;
      groups: string[];
      gate: string[];
    }[] = [];
    const record = (
      step: string,
      previous: MockStackRun<StackOutputs> | undefined,
      run: MockStackRun<StackOutputs>,
    ) => {
      if (run.error) throw run.error;
      steps.push({
        step,
        weights: liveWeights(run),
        groups: targetGroups(run),
        gate: gateRuns(previous, run),
      });
    };

    // Each update is the next one of the stack before it, as Pulumi Deployments would run them.
    const first = await update(undefined, STACK, BLUE_ONLY);
    record("first deploy", undefined, first);
    const green = await update(first, STACK, GREEN_BUILT);
    record("build green", first, green);
    const canary10 = await update(green, STACK, { "phoenix:canaryWeight": "10" });
    record("canary 10", green, canary10);
    const canary50 = await update(canary10, STACK, { "phoenix:canaryWeight": "50" });
    record("canary 50", canary10, canary50);
    const cutover = await update(canary50, STACK, { "phoenix:active": "green" });
    record("cut over (100)", canary50, cutover);
    const rollback = await update(cutover, STACK, { "phoenix:active": "blue" });
    record("roll back", cutover, rollback);
    const teardown = await update(cutover, STACK, {
      "phoenix:active": "green",
      "phoenix:blueCount": "0",
      "phoenix:blueImage": undefined,
      "phoenix:blueSize": undefined,
    });
    record("tear down blue", cutover, teardown);

    const tg = (c: string) => `shop-aws-prod-${c}-tg`;
    const gate = (c: string) => `shop-aws-prod-lb-gate-${c}`;
    expect(steps).toEqual([
      { step: "first deploy", weights: { blue: 100 }, groups: [tg("blue")], gate: [gate("blue")] },
      // Green gets its target group and preview; live and its gate are untouched.
      { step: "build green", weights: { blue: 100 }, groups: [tg("blue"), tg("green")], gate: [] },
      {
        step: "canary 10",
        weights: { blue: 90, green: 10 },
        groups: [tg("blue"), tg("green")],
        gate: [gate("blue"), gate("green")],
      },
      {
        step: "canary 50",
        weights: { blue: 50, green: 50 },
        groups: [tg("blue"), tg("green")],
        gate: [gate("blue"), gate("green")],
      },
      {
        step: "cut over (100)",
        weights: { green: 100 },
        groups: [tg("blue"), tg("green")],
        gate: [gate("green")],
      },
      {
        step: "roll back",
        weights: { blue: 100 },
        groups: [tg("blue"), tg("green")],
        gate: [gate("blue")],
      },
      { step: "tear down blue", weights: { green: 100 }, groups: [tg("green")], gate: [] },
    ]);
  });
});

describe("the change rules on AWS (aws-prod, blue serving, green on preview)", () => {
  let prod: MockStackRun<StackOutputs>;
  beforeAll(async () => {
    prod = await deployed(STACK);
  });

  const GREEN_REBUILT = {
    "shop-aws-prod-green-asg": "replace",
    "shop-aws-prod-green-template": "replace",
  };

  it.each([
    [
      "rotating a secret",
      {},
      { "phoenix:appSecrets": '{"SESSION_SECRET":"rotated-session-secret"}' },
    ],
    ["bumping green's image", { "phoenix:greenImage": "ami-0f1e2d3c4b5a69788" }, SECRETS],
    ["changing green's instance type", { "phoenix:greenSize": "m7i.xlarge" }, SECRETS],
  ])(
    "%s builds a new green template and group beside the old; blue and the live switch stay",
    async (_what, set, secrets) => {
      const next = await update(prod, STACK, set, secrets);
      expect(operations(changesOf(prod, next))).toEqual(
        _what === "rotating a secret"
          ? GREEN_REBUILT
          : { "shop-aws-prod-green": "update", ...GREEN_REBUILT },
      );
      // Blue's template ignores whatever would rebuild it, and its group follows the template.
      const blue = next.get(A.launchTemplate, "shop-aws-prod-blue-template");
      expect(blue.opts.ignoreChanges).toEqual(
        expect.arrayContaining(["imageId", "instanceType", "userData"]),
      );
      expect(next.get(A.autoScalingGroup, "shop-aws-prod-blue-asg").opts.ignoreChanges).toEqual([
        "launchTemplate",
        "desiredCapacity",
        "minSize",
        "maxSize",
        "waitForElbCapacity",
      ]);
      // The replacement group is named by prefix and waits for healthy targets before the old goes.
      const green = next.get(A.autoScalingGroup, "shop-aws-prod-green-asg");
      expect(green.inputs).toMatchObject({
        namePrefix: "shop-aws-prod-green-",
        waitForElbCapacity: 2,
      });
      expect(green.opts.replaceOnChanges).toEqual(["launchTemplate"]);
    },
  );

  it.each([
    [
      "phoenix:blueImage",
      "ami-0f1e2d3c4b5a69788",
      'phoenix:blueImage: received "ami-0f1e2d3c4b5a69788"; allowed: "ami-0c7217cdde317cfec" while blue serves live traffic',
    ],
    [
      "phoenix:blueSize",
      "m7i.xlarge",
      'phoenix:blueSize: received "m7i.xlarge"; allowed: "m7i.large" while blue serves live traffic',
    ],
  ])(
    "refuses %s on blue while it serves, with the recipe, registering nothing",
    async (key, value, start) => {
      const next = await update(prod, STACK, { [key]: value });
      const problems = problemsOf(next);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain(start);
      expect(problems[0]).toContain("set it on green");
      expect(next.resources.filter((r) => r.type !== A.stackReference)).toEqual([]);
    },
  );
});

describe("the rebuild path on AWS (aws-legacy)", () => {
  it("stops and detaches, terminates the old instance first, re-attaches the kept volume, gates, then moves the Elastic IP", async () => {
    const legacy = await deployed("aws-legacy");
    const next = await update(legacy, "aws-legacy", {
      "phoenix:blueImage": "ami-0123456789abcdef0",
    });
    const changes = changesOf(legacy, next);
    expect(operations(changes)).toEqual({
      "ledger-aws-legacy-blue": "update",
      "ledger-aws-legacy-blue-0": "replace",
      "ledger-aws-legacy-blue-data-0-attachment": "replace",
      "ledger-aws-legacy-ip-association": "replace",
      "ledger-aws-legacy-ip-gate": "update",
      "ledger-aws-legacy-ip-gate-blue": "replace",
    });
    const change = (name: string) => changes.find((c) => c.name === name);
    // A volume attaches to one instance at a time: the attachment and the old instance go first.
    expect(change("ledger-aws-legacy-blue-0")?.deleteBeforeReplace).toBe(true);
    expect(change("ledger-aws-legacy-blue-data-0-attachment")?.deleteBeforeReplace).toBe(true);
    // The address moves by a new association made before the old one is removed.
    expect(change("ledger-aws-legacy-ip-association")?.deleteBeforeReplace).toBe(false);

    const volume = next.get(A.volume, "ledger-aws-legacy-blue-data-0");
    const instance = next.get(A.instance, "ledger-aws-legacy-blue-0");
    expect(volume.opts).toMatchObject({ protect: true, retainOnDelete: true });
    expect(volume.inputs).toMatchObject({ encrypted: true, finalSnapshot: true, type: "gp3" });
    expect(volume.inputs.availabilityZone).toBe("us-east-1a");
    expect(instance.inputs.availabilityZone).toBe(volume.inputs.availabilityZone);
    expect(
      next.get(A.volumeAttachment, "ledger-aws-legacy-blue-data-0-attachment").inputs,
    ).toMatchObject({
      deviceName: "/dev/sdf",
      stopInstanceBeforeDetaching: true,
    });
    // The Elastic IP moves only after the gate has proven the new instance.
    expect(next.get(A.eipAssociation, "ledger-aws-legacy-ip-association").opts.dependsOn).toEqual([
      `${A.healthGate}::ledger-aws-legacy-ip-gate`,
    ]);
    expect(next.get(A.eip, "ledger-aws-legacy-ip-ip").opts).toMatchObject({
      protect: true,
      retainOnDelete: true,
    });
    expect(next.diagnostics.map((d) => d.message)).toContainEqual(
      expect.stringContaining("the service is down while the volume moves"),
    );
  });
});
