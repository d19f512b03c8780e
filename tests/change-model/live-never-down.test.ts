import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../../components/core/config/config-error";
import { StackOutputs } from "../../components/core/stack-outputs";
import { MockStackRun } from "../../tools/mock-stack";
import { T } from "../helpers/do-types";
import { changesOf, deployed, operations, SECRETS, update } from "../helpers/updates";

/**
 * The eight ways an update took live down (issue #7), each run through the real stack program
 * as the next update of a deployed stack, and compared resource by resource as the offline
 * diff does. Each of these fails on the code before the change model.
 */

const problemsOf = (run: MockStackRun<StackOutputs>): readonly string[] =>
  run.error instanceof ConfigError
    ? run.error.problems
    : [`not a ConfigError: ${String(run.error)}`];

describe("fault 1: a change of what goes into servers never replaces the live ones", () => {
  let prod: MockStackRun<StackOutputs>;
  beforeAll(async () => {
    prod = await deployed("prod");
  });

  it.each([
    [
      "rotating a secret",
      {},
      { "phoenix:appSecrets": '{"SESSION_SECRET":"rotated-session-secret"}' },
    ],
    [
      "changing an env var",
      { "phoenix:appEnv": '{"LOG_LEVEL":"warn","APP_ENV":"production"}' },
      SECRETS,
    ],
  ])(
    "%s rebuilds green (the preview) and leaves blue, which serves, as it is",
    async (_what, set, secrets) => {
      const next = await update(prod, "prod", set, secrets);
      expect(operations(changesOf(prod, next))).toEqual({
        "shop-prod-green-0": "replace",
        "shop-prod-green-1": "replace",
        "shop-prod-lb-green": "update",
      });
      // Blue's droplets ignore it; the program says what happens, and the gate does not run.
      const blue = next.get(T.droplet, "shop-prod-blue-0");
      expect(blue.opts.ignoreChanges).toEqual(
        expect.arrayContaining(["userData", "image", "size"]),
      );
      expect(next.diagnostics.map((d) => d.message)).toContainEqual(
        expect.stringMatching(
          /^blue serves live traffic, so its servers keep what they were built with; .* reach users only through green, which this update rebuilds with them, and a cutover\.$/,
        ),
      );
    },
  );
});

describe("fault 2: a resize never powers off the live servers", () => {
  let prod: MockStackRun<StackOutputs>;
  beforeAll(async () => {
    prod = await deployed("prod");
  });

  it("refuses to resize blue while it serves, with the recipe, registering nothing", async () => {
    const next = await update(prod, "prod", { "phoenix:blueSize": "s-4vcpu-8gb" });
    expect(problemsOf(next)).toEqual([
      'phoenix:blueSize: received "s-4vcpu-8gb"; allowed: "s-2vcpu-4gb" while blue serves live traffic (a resize powers its servers off); a new size reaches live traffic only through the other colour: set it on green (phoenix:greenImage, phoenix:greenSize, phoenix:greenCount), run pulumi up and test the preview, then set phoenix:active green and run pulumi up until blue has left the live endpoint',
    ]);
    expect(next.resources.filter((r) => r.type !== T.stackReference)).toEqual([]);
  });

  it("resizes green, which takes no traffic, in place", async () => {
    const next = await update(prod, "prod", { "phoenix:greenSize": "s-4vcpu-8gb" });
    expect(operations(changesOf(prod, next))).toEqual({
      "shop-prod-green": "update",
      "shop-prod-green-0": "update",
      "shop-prod-green-1": "update",
    });
  });
});

describe("fault 3: the firewall never waits on the gate, and no server boots unfirewalled", () => {
  it("admits the app port from the VPC, depends on no load balancer, and every droplet waits for it", async () => {
    const blueOnly = await deployed("prod", {
      "phoenix:greenCount": "0",
      "phoenix:greenImage": undefined,
    });
    // Build green and switch to it in one commit: green's load balancer is new while the gate runs.
    const next = await update(blueOnly, "prod", { "phoenix:active": "green" });
    expect(next.ofType(T.command).map((r) => r.name)).toContain("shop-prod-lb-gate-green");
    const firewall = next.get(T.firewall, "shop-prod-net-firewall");
    const gateUrns = next.resources
      .filter((r) => r.type === T.healthGate || r.type === T.command)
      .map((r) => r.urn);
    const lbUrns = next.ofType(T.loadBalancer).map((r) => r.urn);
    const deps = Object.values(firewall.propertyDependencies).flat();
    expect(deps.filter((u) => gateUrns.includes(u) || lbUrns.includes(u))).toEqual([]);
    expect(firewall.inputs.inboundRules).toEqual([
      { protocol: "tcp", portRange: "8080", sourceAddresses: ["10.20.0.0/20"] },
      { protocol: "tcp", portRange: "22", sourceAddresses: ["203.0.113.0/24"] },
    ]);
    for (const droplet of next.ofType(T.droplet))
      expect(droplet.opts.dependsOn).toEqual([`${T.firewall}::shop-prod-net-firewall`]);
    expect(operations(changesOf(blueOnly, next))["shop-prod-net-firewall"]).toBeUndefined();
  });
});

describe("fault 4: at cutover the new colour serves through the live endpoint before the old leaves", () => {
  it("takes two updates: green joins beside blue (gated), then blue leaves", async () => {
    const prod = await deployed("prod");
    const ids = (run: MockStackRun<StackOutputs>, colour: string) =>
      run.get(T.loadBalancer, `shop-prod-lb-${colour}`).inputs.dropletIds as number[];
    const live = (run: MockStackRun<StackOutputs>) =>
      run.get(T.loadBalancer, "shop-prod-lb-live").inputs.dropletIds as number[];

    const join = await update(prod, "prod", { "phoenix:active": "green" });
    expect(live(join)).toEqual([...ids(prod, "blue"), ...ids(prod, "green")]);
    expect(join.get(T.loadBalancer, "shop-prod-lb-live").opts.dependsOn).toEqual([
      `${T.healthGate}::shop-prod-lb-gate`,
    ]);
    expect(join.diagnostics.map((d) => d.message)).toContain(
      "Cutover in progress: green joins the live endpoint beside blue in this update; run pulumi up again to take blue out once it serves (a joining server is health-checked before it gets traffic).",
    );

    const leave = await update(join, "prod", { "phoenix:active": "green" });
    expect(live(leave)).toEqual(ids(prod, "green"));
    // Every server that serves after the second update already served after the first.
    expect(live(leave).every((id) => live(join).includes(id))).toBe(true);
    expect(operations(changesOf(join, leave))).toMatchObject({ "shop-prod-lb-live": "update" });

    // Re-applied once done, no cloud resource changes: blue's group only notes it no longer
    // serves (its intent; a component makes no cloud call).
    const again = await update(leave, "prod", { "phoenix:active": "green" });
    expect(operations(changesOf(leave, again))).toEqual({ "shop-prod-blue": "update" });
    const intent = changesOf(leave, again).find((c) => c.name === "shop-prod-blue");
    expect(intent?.inputs.map((i) => [i.input, i.before, i.after])).toEqual([
      ["frozen", true, false],
    ]);
    const third = await update(again, "prod", { "phoenix:active": "green" });
    expect(operations(changesOf(again, third))).toEqual({});
  });
});

describe("fault 5: the gate proves every server of the colour, not one", () => {
  it("probes green through its endpoint once per droplet, pinned by the affinity cookie", async () => {
    const prod = await deployed("prod");
    const join = await update(prod, "prod", { "phoenix:active": "green" });
    const probe = join.get(T.command, "shop-prod-lb-gate-green");
    expect(probe.inputs.create).toContain("--servers 2 --affinity-cookie PHOENIX_SERVER");
    expect(join.get(T.loadBalancer, "shop-prod-lb-green").inputs.stickySessions).toMatchObject({
      type: "cookies",
      cookieName: "PHOENIX_SERVER",
    });
  });
});

describe("fault 6: a failed gate leaves live serving, and so does the next pulumi up", () => {
  it("keeps the previous record when the live switch does not complete, so the retry still treats blue as live", async () => {
    const prod = await deployed("prod");
    const cutover = await update(prod, "prod", { "phoenix:active": "green" });
    // The record is exported through the live switch: a gate that fails stops it, and the
    // engine then keeps the previous outputs (pulumi/pulumi, failed updates keep outputs that
    // depend on a failed resource).
    const sources = await (
      cutover.result.phoenixDeployment as unknown as {
        allResources(): Promise<Set<pulumi.Resource>>;
      }
    ).allResources();
    const live = cutover.get(T.loadBalancer, "shop-prod-lb-live").resource;
    expect([...sources]).toContain(live);
    // The retry reads the same previous record: blue is still frozen and still served.
    const retry = await update(prod, "prod", { "phoenix:active": "green" });
    expect(operations(changesOf(cutover, retry))).toEqual({});
    expect(retry.get(T.droplet, "shop-prod-blue-0").opts.ignoreChanges).toContain("image");
    expect(retry.get(T.loadBalancer, "shop-prod-lb-live").inputs.dropletIds).toEqual(
      cutover.get(T.loadBalancer, "shop-prod-lb-live").inputs.dropletIds,
    );
  });

  it("never rebuilds the only live server in place (dev): a new image goes through the other colour", async () => {
    const dev = await deployed("dev");
    const next = await update(dev, "dev", { "phoenix:blueImage": "187699999" });
    expect(problemsOf(next)).toEqual([
      expect.stringMatching(
        /^phoenix:blueImage: received "187699999"; allowed: "187654321" while blue serves live traffic \(its servers are never rebuilt while they serve\); a new image reaches live traffic only through the other colour: /,
      ),
    ]);
  });
});

describe("fault 7: the stateful rebuild releases the volume before it moves", () => {
  it("shuts the old server down, then detaches, then attaches to the new one, which waits long enough", async () => {
    const legacy = await deployed("legacy");
    const next = await update(legacy, "legacy", { "phoenix:blueImage": "187661111" });
    expect(operations(changesOf(legacy, next))).toEqual({
      "ledger-legacy-blue": "update",
      "ledger-legacy-blue-0": "replace",
      "ledger-legacy-blue-data-0-release": "replace",
      "ledger-legacy-blue-data-0-attachment": "replace",
      "ledger-legacy-ip-gate": "update",
      "ledger-legacy-ip-gate-blue": "replace",
      "ledger-legacy-ip-ip": "update",
    });
    const attachment = changesOf(legacy, next).find(
      (c) => c.name === "ledger-legacy-blue-data-0-attachment",
    );
    expect(attachment?.deleteBeforeReplace).toBe(true);
    expect(
      next.get(T.volumeAttachment, "ledger-legacy-blue-data-0-attachment").opts.dependsOn,
    ).toEqual([`${T.command}::ledger-legacy-blue-data-0-release`]);
    expect(next.diagnostics.map((d) => d.message)).toContainEqual(
      expect.stringContaining("the service is down while the volume moves"),
    );
  });
});

describe("fault 8: settings that cannot change safely are refused against the deployed stack", () => {
  it.each([
    [
      "phoenix:vpcCidr",
      "10.21.0.0/20",
      'phoenix:vpcCidr: received "10.21.0.0/20"; allowed: "10.20.0.0/20", as deployed: the network\'s range forces a new network, whose name collides with the old one, and the protected database would have to leave its private network',
    ],
    [
      "phoenix:region",
      "fra1",
      'phoenix:region: received "fra1"; allowed: "ams3", as deployed: servers, volumes, addresses and the database cannot move between regions; build a new stack in the new region and move users to it',
    ],
    [
      "phoenix:dbEngineVersion",
      "15",
      'phoenix:dbEngineVersion: received "15"; allowed: 16 or later: Postgres upgrades in place but never downgrades (restore a dump into a new stack instead)',
    ],
    [
      "phoenix:appPort",
      "9090",
      "phoenix:appPort: received 9090; allowed: 8080, as deployed: the load balancers would send live traffic to a port the serving servers' app does not listen on; build a new stack (environment) with the new port and move users to it",
    ],
  ])("%s to %s", async (key, value, problem) => {
    const prod = await deployed("prod");
    expect(problemsOf(await update(prod, "prod", { [key]: value }))).toEqual([problem]);
  });

  it("refuses to drop a stateful stack's data volume", async () => {
    const legacy = await deployed("legacy");
    expect(
      problemsOf(
        await update(legacy, "legacy", {
          "phoenix:dataVolumeSizeGiB": "0",
          "phoenix:dataVolumeMountPath": undefined,
          "phoenix:dataVolumeFilesystem": undefined,
        }),
      ),
    ).toEqual([
      'phoenix:dataVolumeSizeGiB: received "0"; allowed: 50 or more: the servers keep their data on these volumes, and without them they would start empty',
    ]);
  });
});
