import { factsOf } from "../facts";
import { StackRule, StackViolation } from "../subject";

/**
 * Volumes, databases and static addresses are protected and survive their stack; in a stack with
 * a scheduled destroy (a review stack), they are disposable and must let that destroy remove them.
 */
export const statefulResourcesProtected: StackRule = {
  kind: "stack",
  name: "stateful-resources-protected",
  description:
    "Resources that hold data or an address users depend on (volumes, database clusters, " +
    "databases, database users, static addresses) must set `protect` (no update or destroy " +
    "deletes them) and `retainOnDelete` (removing them from the program leaves them in the " +
    "account). In a stack that schedules its own destroy (a review stack with a time-to-live) " +
    "they must set neither: the destroy would fail on a protected one and leave a retained one " +
    "behind, unseen. CrossGuard does not show `retainOnDelete`, so `pulumi preview` checks " +
    "`protect` and the offline plan checks both.",
  enforcementLevel: "mandatory",
  check(subjects) {
    const expiring = subjects.find((s) => factsOf(s.type)?.expiresStack);
    const violations: StackViolation[] = [];
    for (const subject of subjects) {
      if (!factsOf(subject.type)?.stateful) continue;
      const what = `${subject.type} ${subject.name}`;
      const report = (message: string) => violations.push({ urn: subject.urn, message });
      if (expiring !== undefined) {
        const why = `the stack schedules its own destroy (${expiring.type} ${expiring.name})`;
        if (subject.protect)
          report(`${what} is protected, but ${why}, which would fail on it; need protect: false`);
        if (subject.retainOnDelete === true)
          report(
            `${what} is retained on delete, but ${why}, which would leave it behind; need retainOnDelete: false`,
          );
        continue;
      }
      if (!subject.protect)
        report(`${what} is not protected; stateful resources need protect: true`);
      if (subject.retainOnDelete === false)
        report(`${what} is not retained on delete; stateful resources need retainOnDelete: true`);
    }
    return violations;
  },
};
