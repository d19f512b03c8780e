import { DeploymentRecord } from "../../../components/core/deployment-record";
import { factsOf } from "../../../policies/facts";
import { liveServersUntouched } from "../../../policies/rules/servers";
import { RecordedResource } from "../../mock-stack";
import { ResourceChange } from "../diff/resource-diff";
import { PlanViolation } from "../policy-results";

/** Whether the deployed stack is the one-server rebuild path (its server may be rebuilt). */
function wasRebuildPath(record: DeploymentRecord): boolean {
  const served = record.served.map((c) => record.colours[c].count);
  return record.endpoint === "floatingIp" && record.dataVolume !== null && served.join() === "1";
}

/**
 * The "never touch live servers" rule across two versions of a stack: no change may replace,
 * resize, reboot or delete a server of a colour that served live traffic in the base, except
 * on the rebuild path of a one-server stateful stack (which the README says costs an outage).
 */
export function liveServerChanges(
  changes: readonly ResourceChange[],
  base: readonly RecordedResource[],
  record: DeploymentRecord,
): PlanViolation[] {
  if (wasRebuildPath(record)) return [];
  const before = new Map(base.map((r) => [r.urn, r]));
  const violations: PlanViolation[] = [];
  for (const change of changes) {
    const facts = factsOf(change.type);
    const old = before.get(change.urn);
    if (!facts?.server || old === undefined) continue;
    const colour = facts.tags?.read(old.inputs).colour;
    if (colour === undefined || !(record.served as readonly string[]).includes(colour)) continue;
    const disruptive = change.inputs
      .filter((i) => facts.server?.disruptiveUpdates.includes(i.input))
      .map((i) => i.input);
    const what =
      change.operation === "replace"
        ? `replaces it (${change.inputs
            .filter((i) => i.replaces)
            .map((i) => i.input)
            .join(", ")})`
        : change.operation === "delete"
          ? "deletes it"
          : change.operation === "update" && disruptive.length > 0
            ? `changes ${disruptive.join(", ")} in place, which powers it off`
            : undefined;
    if (what === undefined) continue;
    violations.push({
      policy: liveServersUntouched.name,
      level: liveServersUntouched.enforcementLevel,
      urn: change.urn,
      message: `${change.type} ${change.name} serves live traffic (${colour}), and this change ${what}; build the change on the other colour and cut over instead`,
    });
  }
  return violations;
}
