import { factsOf } from "../facts";
import { ResourceRule } from "../subject";

/** Volumes, databases and static addresses are protected and survive their stack. */
export const statefulResourcesProtected: ResourceRule = {
  kind: "resource",
  name: "stateful-resources-protected",
  description:
    "Resources that hold data or an address users depend on (volumes, database clusters, " +
    "databases, database users, static addresses) must set `protect` (no update or destroy " +
    "deletes them) and `retainOnDelete` (removing them from the program leaves them in the " +
    "account). CrossGuard does not show `retainOnDelete`, so `pulumi preview` checks `protect` " +
    "and the offline plan checks both.",
  enforcementLevel: "mandatory",
  check(subject) {
    if (!factsOf(subject.type)?.stateful) return [];
    const problems: string[] = [];
    if (!subject.protect) {
      problems.push(
        `${subject.type} ${subject.name} is not protected; stateful resources need protect: true`,
      );
    }
    if (subject.retainOnDelete === false) {
      problems.push(
        `${subject.type} ${subject.name} is not retained on delete; stateful resources need retainOnDelete: true`,
      );
    }
    return problems;
  },
};
