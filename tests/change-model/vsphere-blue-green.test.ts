import * as pulumi from "@pulumi/pulumi";
import { StackOutputs } from "../../components/core/stack-outputs";
import { VSPHERE_TYPES } from "../../components/vsphere/types";
import { MockStackRun } from "../../tools/mock-stack";
import { changesOf, deployed, operations, update } from "../helpers/updates";

/**
 * Blue/green and the database's rebuild on vSphere through the real stack program
 * (vsphere-prod), each step the next update of the deployed stack, as the offline diff shows it:
 * which VMs are rebuilt, what the load balancers are told, and what never moves.
 */

const STACK = "vsphere-prod";
const VM = VSPHERE_TYPES.virtualMachine;
const REMOTE = "command:remote:Command";
let base: MockStackRun<StackOutputs>;

beforeAll(async () => {
  base = await deployed(STACK);
}, 60_000);

const opsOf = async (overrides: Record<string, string>) => {
  const next = await update(base, STACK, overrides);
  if (next.error) throw next.error;
  return { next, ops: operations(changesOf(base, next)) };
};

describe("vsphere-prod, one update at a time", () => {
  it("re-applying the deployed stack changes nothing", async () => {
    const { ops } = await opsOf({});
    expect(ops).toEqual({});
  });

  it("a new release on the preview colour rebuilds only its VMs, the old ones first; live is not touched", async () => {
    const { next, ops } = await opsOf({ "phoenix:greenImage": "shop-1.5.1-202611260900" });
    expect(ops).toEqual({
      "shop-vsphere-prod-green": "update",
      "shop-vsphere-prod-green-0": "replace",
      "shop-vsphere-prod-green-1": "replace",
      "shop-vsphere-prod-green-2": "replace",
      "shop-vsphere-prod-green-spread": "update",
    });
    const vm = next.get(VM, "shop-vsphere-prod-green-0");
    expect(vm.opts.deleteBeforeReplace).toBe(true);
  });

  it("a cutover runs the gate on green, then moves the routing on both load balancers; no VM is touched", async () => {
    const { next, ops } = await opsOf({ "phoenix:active": "green" });
    expect(ops).toEqual({
      "shop-vsphere-prod-lb": "update",
      "shop-vsphere-prod-lb-gate": "update",
      "shop-vsphere-prod-lb-gate-green": "create",
      "shop-vsphere-prod-lb-gate-blue": "delete",
      "shop-vsphere-prod-lb-switch": "update",
      "shop-vsphere-prod-lb-switch-0": "update",
      "shop-vsphere-prod-lb-switch-1": "update",
    });
    for (const i of [0, 1]) {
      const sw = next.get("command:remote:Command", `shop-vsphere-prod-lb-switch-${i}`);
      expect(sw.inputs.stdin).toContain("blue_percent 0\npreview be_blue\n");
      expect(sw.opts.dependsOn).toEqual([
        "phoenix:core:HealthGate::shop-vsphere-prod-lb-gate",
        `command:remote:Command::shop-vsphere-prod-lb-config-${i}`,
      ]);
    }
  });

  it("refuses a new image for the colour that serves live traffic", async () => {
    const next = await update(base, STACK, { "phoenix:blueImage": "shop-1.5.1-202611260900" });
    expect(String(next.error)).toContain(
      'phoenix:blueImage: received "shop-1.5.1-202611260900"; allowed: "shop-1.4.2-202611181030" while blue serves live traffic',
    );
  });

  it("a new database template rebuilds the database server on the same disk, after the release step", async () => {
    const { next, ops } = await opsOf({
      "phoenix:vsphereDatabaseTemplate": "postgres-17-debian12-2026.12.1",
    });
    expect(ops).toEqual({
      "shop-vsphere-prod-db": "update",
      "shop-vsphere-prod-db-server": "update",
      "shop-vsphere-prod-db-server-0": "replace",
      // Replaced with the server: its delete (stop Postgres, unmount) runs on the old one first.
      "shop-vsphere-prod-db-server-release": "replace",
    });
    const vm = next.get(VM, "shop-vsphere-prod-db-server-0");
    expect(vm.opts.deleteBeforeReplace).toBe(true);
    const release = next.get("command:remote:Command", "shop-vsphere-prod-db-server-release");
    expect(release.opts.dependsOn).toEqual([
      "vsphere:index/virtualMachine:VirtualMachine::shop-vsphere-prod-db-server-0",
    ]);
  });

  it("a new load balancer template rebuilds both load balancers, one after the other, and pushes their servers and routing again", async () => {
    const { ops } = await opsOf({
      "phoenix:vsphereLoadBalancerTemplate": "haproxy-debian12-2026.12.1",
    });
    expect(ops).toEqual({
      "shop-vsphere-prod-lb-servers": "update",
      "shop-vsphere-prod-lb-servers-0": "replace",
      "shop-vsphere-prod-lb-servers-1": "replace",
      "shop-vsphere-prod-lb-config-0": "replace",
      "shop-vsphere-prod-lb-config-1": "replace",
      "shop-vsphere-prod-lb-switch-0": "replace",
      "shop-vsphere-prod-lb-switch-1": "replace",
    });
  });

  it("rotating a secret rebuilds green (its user data) and leaves blue, which serves, as it is", async () => {
    const next = await update(
      base,
      STACK,
      {},
      {
        "phoenix:appSecrets": '{"SESSION_SECRET":"rotated-session-secret"}',
      },
    );
    expect(operations(changesOf(base, next))).toEqual({
      "shop-vsphere-prod-green-0": "replace",
      "shop-vsphere-prod-green-1": "replace",
      "shop-vsphere-prod-green-2": "replace",
      "shop-vsphere-prod-green-spread": "update",
    });
    for (const i of [0, 1, 2])
      expect(next.get(VM, `shop-vsphere-prod-blue-${i}`).opts.ignoreChanges).toContain(
        "extraConfig",
      );
  });

  it("refuses to resize blue while it serves; resizes green, which takes no traffic, in place", async () => {
    const blue = await update(base, STACK, { "phoenix:blueSize": "8cpu-16gb" });
    expect(String(blue.error)).toContain(
      'phoenix:blueSize: received "8cpu-16gb"; allowed: "4cpu-8gb" while blue serves live traffic (a resize powers its servers off)',
    );
    const { ops } = await opsOf({ "phoenix:greenSize": "8cpu-16gb" });
    expect(ops).toEqual({
      "shop-vsphere-prod-green": "update",
      "shop-vsphere-prod-green-0": "update",
      "shop-vsphere-prod-green-1": "update",
      "shop-vsphere-prod-green-2": "update",
    });
  });

  it("exports the deployment record through the live switch, so a failed gate keeps the previous one", async () => {
    const { next } = await opsOf({ "phoenix:active": "green" });
    const sources = await (
      next.result.phoenixDeployment as unknown as {
        allResources(): Promise<Set<pulumi.Resource>>;
      }
    ).allResources();
    for (const i of [0, 1])
      expect([...sources]).toContain(next.get(REMOTE, `shop-vsphere-prod-lb-switch-${i}`).resource);
  });
});
