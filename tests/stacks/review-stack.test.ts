import { ConfigError } from "../../components/core/config/config-error";
import { REVIEW_TTL_NAME, reviewExpiry } from "../../components/core/review-stack";
import { factsOf } from "../../policies/facts";
import { runStack } from "../../tools/run-stack";
import { changesOf, operations, SECRETS } from "../helpers/updates";

const TTL = "pulumiservice:index:TtlSchedule";
const HOUR = 3_600_000;
/** 2027-03-01T09:30:00Z: the review stack's first deployment, in these tests. */
const FIRST_DEPLOY = Date.UTC(2027, 2, 1, 9, 30, 0);

/** Runs a stack with the clock at `now`, as `pulumi up` would at that time. */
async function runAt(now: number, ...args: Parameters<typeof runStack>) {
  const clock = jest.spyOn(Date, "now").mockReturnValue(now);
  try {
    return await runStack(...args);
  } finally {
    clock.mockRestore();
  }
}

describe("a review stack (Pulumi.pr.yaml, phoenix:reviewTtlHours 72)", () => {
  it("schedules its own destroy 72 hours after its first deployment, kept by every later update", async () => {
    const run = await runAt(FIRST_DEPLOY, "pr", {}, SECRETS);
    if (run.error) throw run.error;
    const ttl = run.get(TTL, REVIEW_TTL_NAME);
    expect(ttl.inputs).toEqual({
      organization: "organization",
      project: "phoenix",
      stack: "pr",
      timestamp: "2027-03-04T09:30:00Z",
      deleteAfterDestroy: true,
    });
    // The timestamp replaces the schedule (pulumi-pulumiservice's schedule diff): only the first
    // deployment's stands.
    expect(ttl.opts.ignoreChanges).toEqual(["timestamp"]);
    expect(ttl.parent).toBeUndefined();
    expect(run.diagnostics).toContainEqual({
      severity: "info",
      message:
        "phoenix:reviewTtlHours: this review stack is destroyed 72 hours after its first deployment (2027-03-04T09:30:00Z if this is it), or when its pull request closes; its database, volumes and addresses are neither protected nor retained, as nothing in it is kept.",
    });
  });

  it("keeps nothing: no resource is protected or retained, so either destroy removes it all", async () => {
    const run = await runStack("pr", {}, SECRETS);
    if (run.error) throw run.error;
    const stateful = run.resources.filter((r) => factsOf(r.type)?.stateful).map((r) => r.name);
    expect(stateful).toEqual(["shop-pr-db-cluster", "shop-pr-db-db", "shop-pr-db-user"]);
    expect(run.resources.filter((r) => r.opts.protect || r.opts.retainOnDelete)).toEqual([]);
  });

  it("is a no-op when re-applied unchanged a day later (a push, drift remediation)", async () => {
    const first = await runAt(FIRST_DEPLOY, "pr", {}, SECRETS);
    const deployed = await runAt(FIRST_DEPLOY, "pr", {}, SECRETS, undefined, { previous: first });
    const later = await runAt(FIRST_DEPLOY + 24 * HOUR, "pr", {}, SECRETS, undefined, {
      previous: deployed,
    });
    expect(later.get(TTL, REVIEW_TTL_NAME).inputs.timestamp).toBe("2027-03-05T09:30:00Z");
    expect(operations(changesOf(deployed, later))).toEqual({});
  });

  it("leaves every other stack as it was: protected, retained, no schedule", async () => {
    const run = await runStack("prod", {}, SECRETS);
    if (run.error) throw run.error;
    expect(run.ofType(TTL)).toEqual([]);
    const stateful = run.resources.filter((r) => factsOf(r.type)?.stateful);
    expect(stateful.length).toBeGreaterThan(0);
    expect(stateful.filter((r) => !r.opts.protect || !r.opts.retainOnDelete)).toEqual([]);
  });

  it.each([
    ["0", '"0"'],
    ["721", '"721"'],
    ["3 days", '"3 days"'],
  ])("refuses phoenix:reviewTtlHours %s before registering anything", async (value, shown) => {
    const run = await runStack("pr", { "phoenix:reviewTtlHours": value }, SECRETS);
    expect(run.error).toBeInstanceOf(ConfigError);
    expect((run.error as ConfigError).problems).toEqual([
      `phoenix:reviewTtlHours: received ${shown}; allowed: a whole number from 1 to 720`,
    ]);
    expect(run.resources).toEqual([]);
  });
});

describe("reviewExpiry", () => {
  it.each([
    [FIRST_DEPLOY, 72, "2027-03-04T09:30:00Z"],
    [FIRST_DEPLOY + 999, 1, "2027-03-01T10:30:00Z"],
    [Date.UTC(2027, 11, 31, 23, 0, 0), 2, "2028-01-01T01:00:00Z"],
  ])("%d + %d hours is %s (RFC 3339, to the second)", (now, hours, expected) => {
    expect(reviewExpiry(now, hours)).toBe(expected);
  });
});
