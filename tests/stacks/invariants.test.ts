import * as pulumi from "@pulumi/pulumi";
import { listStacks } from "../../tools/stack-file";
import { RecordedResource } from "../../tools/mock-stack";
import { PROJECT_DIR, runStack } from "../../tools/run-stack";
import { T } from "../helpers/do-types";

const STATEFUL = [T.volume, T.databaseCluster, T.databaseDb, T.databaseUser, T.reservedIp];
const key = (r: RecordedResource) => `${r.type}::${r.name}`;

describe.each(listStacks(PROJECT_DIR))("invariants of stack %s", (stack) => {
  let resources: readonly RecordedResource[];
  beforeAll(async () => {
    const run = await runStack(stack, {}, { "phoenix:appSecrets": '{"SESSION_SECRET":"s3cr3t"}' });
    if (run.error) throw run.error;
    resources = run.resources;
  });

  it("registers resources", () => {
    expect(resources.length).toBeGreaterThan(5);
  });

  it("protects every stateful resource and keeps it on delete", () => {
    const stateful = resources.filter((r) =>
      STATEFUL.includes(r.type as (typeof STATEFUL)[number]),
    );
    expect(stateful.length).toBeGreaterThan(0);
    for (const r of stateful) {
      expect({ r: key(r), protect: r.opts.protect, retain: r.opts.retainOnDelete }).toEqual({
        r: key(r),
        protect: true,
        retain: true,
      });
    }
  });

  it("never lets a droplet ignore an image or user-data change", () => {
    for (const d of resources.filter((r) => r.type === T.droplet)) {
      expect(d.opts.ignoreChanges).toEqual([]);
      expect(d.opts.replaceOnChanges).toEqual(["image", "userData"]);
      expect(d.opts.deleteBeforeReplace).toBe(false);
    }
  });

  it("moves live traffic only after the health gate", () => {
    const switches = resources.filter(
      (r) => (r.type === T.loadBalancer && r.name.endsWith("-live")) || r.type === T.reservedIp,
    );
    expect(switches).toHaveLength(1);
    const gate = resources.find((r) => r.type === T.healthGate);
    expect(gate).toBeDefined();
    expect(switches[0]?.opts.dependsOn).toEqual([key(gate as RecordedResource)]);
  });

  it("names every child after its component and parents it there", () => {
    const components = new Map(
      resources.filter((r) => r.type.startsWith("phoenix:")).map((r) => [key(r), r]),
    );
    for (const r of resources) {
      if (r.parent === undefined) {
        expect({ r: key(r), component: r.type.startsWith("phoenix:") }).toEqual({
          r: key(r),
          component: true,
        });
        continue;
      }
      const parent = components.get(r.parent);
      expect(parent).toBeDefined();
      expect(r.name.startsWith(`${parent?.name}-`)).toBe(true);
    }
  });

  it("keeps every droplet's user data secret (it carries the app's secrets)", async () => {
    for (const d of resources.filter((r) => r.type === T.droplet)) {
      expect(await pulumi.isSecret(d.props.userData as pulumi.Output<string>)).toBe(true);
    }
  });
});
