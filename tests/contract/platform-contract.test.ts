import * as pulumi from "@pulumi/pulumi";
import { topInput } from "../../components/core/platform/resource-facts";
import { StackOutputs } from "../../components/core/stack-outputs";
import { evaluate } from "../../policies/evaluate";
import { colourTagged, factsOf } from "../../policies/facts";
import { userDataText } from "../../policies/user-data";
import { PLATFORMS } from "../../stacks/platforms";
import { MockStackRun, RecordedResource } from "../../tools/mock-stack";
import { stackSubject, subjectsFromRecorded } from "../../tools/policy-subjects";
import { stackUrn } from "../../tools/plan/plan-resource";
import { PROJECT_DIR, runStack } from "../../tools/run-stack";
import { listStacks, readStackFile } from "../../tools/stack-file";

/**
 * The contract every platform keeps, checked on every committed stack file of that platform
 * through the real program, the real policies and the platform's own facts. A new platform
 * joins by being in the platform table and committing a stack file.
 */

const key = (r: RecordedResource) => `${r.type}::${r.name}`;
const SECRETS = { "phoenix:appSecrets": '{"SESSION_SECRET":"s3cr3t-session-value"}' };

/** The committed stack files that choose each platform. */
function stacksOf(platform: string): string[] {
  return listStacks(PROJECT_DIR).filter(
    (s) => readStackFile(PROJECT_DIR, s).config["phoenix:platform"] === platform,
  );
}

describe.each(PLATFORMS.map((p) => p.name))("platform %s", (platform) => {
  const stacks = stacksOf(platform);

  it("has at least one committed stack file", () => {
    expect(stacks.length).toBeGreaterThan(0);
  });

  describe.each(stacks)("stack %s", (stack) => {
    let run: MockStackRun<StackOutputs>;
    let resources: readonly RecordedResource[];
    beforeAll(async () => {
      // As `npm run plan` and the Pulumi CLI read it: the CLI's config rules apply.
      run = await runStack(stack, {}, SECRETS, PROJECT_DIR, { cliRules: true });
      if (run.error) throw run.error;
      resources = run.resources;
    });

    it("passes every mandatory policy", async () => {
      const root = stackUrn("phoenix", stack);
      const outputs = await stackSubject(root, `phoenix-${stack}`, { ...run.result });
      const found = evaluate([outputs, ...subjectsFromRecorded(resources)]);
      expect(found.filter((v) => v.level === "mandatory")).toEqual([]);
    });

    it("registers only types its platform (or core) declares facts for", () => {
      expect(resources.filter((r) => factsOf(r.type) === undefined).map(key)).toEqual([]);
    });

    it("protects every stateful resource and keeps it on delete; a review stack keeps nothing", () => {
      const stateful = resources.filter((r) => factsOf(r.type)?.stateful);
      expect(stateful.length).toBeGreaterThan(0);
      // The review template (phoenix:reviewTtlHours) schedules its own destroy, which must
      // remove its data: everything else keeps it.
      const review =
        readStackFile(PROJECT_DIR, stack).config["phoenix:reviewTtlHours"] !== undefined;
      expect(resources.some((r) => factsOf(r.type)?.expiresStack)).toBe(review);
      for (const r of stateful) {
        expect({ r: key(r), protect: r.opts.protect, retain: r.opts.retainOnDelete }).toEqual({
          r: key(r),
          protect: !review,
          retain: !review,
        });
      }
    });

    it("never lets a server ignore a change of image or user data", () => {
      const servers = resources.filter((r) => factsOf(r.type)?.server);
      expect(servers.length).toBeGreaterThan(0);
      for (const s of servers) {
        const facts = factsOf(s.type)?.server;
        expect(s.opts.ignoreChanges).toEqual([]);
        // A change of user data replaces the server: by itself, or through the input the
        // platform sets to a digest of the image and user data (policies check the digest).
        expect(s.opts.replaceOnChanges).toEqual(
          expect.arrayContaining([facts?.image, facts?.rebuildTrigger?.input ?? facts?.userData]),
        );
      }
    });

    it("moves live traffic only through each endpoint's declared switch, after its gate", () => {
      const endpoints = resources.filter((r) => factsOf(r.type)?.component === "endpoint");
      expect(endpoints).toHaveLength(1);
      for (const endpoint of endpoints) {
        const inputs = endpoint.inputs as { liveSwitch?: string };
        const liveSwitch = resources.find(
          (r) => r.parent === key(endpoint) && r.name === inputs.liveSwitch,
        );
        expect(liveSwitch).toBeDefined();
        const gates = resources.filter(
          (r) => r.parent === key(endpoint) && factsOf(r.type)?.component === "healthGate",
        );
        expect(gates).toHaveLength(1);
        expect(liveSwitch?.opts.dependsOn).toEqual(gates.map(key));
      }
    });

    it("names every child after its component and parents it there (the stack holds only components, reads and its own scheduled destroy)", () => {
      const components = new Map(
        resources.filter((r) => factsOf(r.type)?.component).map((r) => [key(r), r]),
      );
      for (const r of resources) {
        if (r.parent === undefined) {
          const facts = factsOf(r.type);
          const topLevel = facts?.component !== undefined || facts?.read || facts?.expiresStack;
          expect({ r: key(r), component: topLevel }).toEqual({
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

    it("keeps every server's user data secret (an app server's carries the app's secrets)", async () => {
      const servers = resources.filter((r) => factsOf(r.type)?.server);
      // App servers carry a colour; a platform's own servers (load balancers, a database) none.
      const app = servers.filter((s) => colourTagged(s.type, s.inputs));
      expect(app.length).toBeGreaterThan(0);
      for (const s of servers) {
        const input = topInput(factsOf(s.type)?.server?.userData as string);
        expect(await pulumi.isSecret(pulumi.output(s.props[input]))).toBe(true);
      }
      for (const s of app)
        expect(userDataText(factsOf(s.type), s.inputs)).toContain("s3cr3t-session-value");
    });

    it("exports the database URI exactly when the stack has a database, and only as a secret", async () => {
      const wantsDatabase =
        readStackFile(PROJECT_DIR, stack).config["phoenix:database"] !== "false";
      const uri = run.result.databaseUri;
      expect(uri === undefined ? "none" : await pulumi.isSecret(uri)).toBe(
        wantsDatabase ? true : "none",
      );
    });
  });
});
