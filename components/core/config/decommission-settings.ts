import { DecommissionConfig } from "./stack-config";
import { SettingsReader } from "./settings-reader";
import { configKey } from "./settings";

const FULL_STACK_NAME = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const STACK_NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * Reads the decommission settings: unset (the stack is kept), or the one update before `pulumi
 * destroy`, which names the edge stack to read (or `none`) and, for a stack that holds data (a
 * database or data volumes), where that data lives on. The checks against other stacks run in
 * the program (`decommission.ts`); these are the settings' own.
 *
 * @param holdsData whether the stack has a database or data volumes
 */
export function readDecommission(
  r: SettingsReader,
  stack: string,
  holdsData: boolean,
): DecommissionConfig | undefined {
  const on = r.boolean("decommission") === true;
  if (!on) {
    for (const name of ["decommissionEdgeStack", "decommissionDataCopy"]) {
      if (!r.isUnset(name))
        r.problem(name, `nothing while ${configKey("decommission")} is not true`);
    }
    return undefined;
  }
  const edge = r.text("decommissionEdgeStack");
  if (edge === undefined || (edge !== "none" && !FULL_STACK_NAME.test(edge))) {
    r.problem(
      "decommissionEdgeStack",
      "the edge stack as <organization>/<project>/<stack>, whose pointsAt output must not name this stack, or none when no edge serves it",
    );
  }
  const copy = r.text("decommissionDataCopy");
  let dataCopy: DecommissionConfig["dataCopy"];
  if (copy === undefined) {
    if (holdsData)
      r.problem(
        "decommissionDataCopy",
        "where the data lives on, as this stack holds the only copy of its protected data: the Phoenix stack whose promoted replica holds it, or dump:<location> of a dump restored and checked elsewhere",
      );
  } else if (copy.startsWith("dump:") && copy.length > "dump:".length) {
    dataCopy = { dump: copy.slice("dump:".length) };
  } else if (STACK_NAME.test(copy) && copy !== stack) {
    dataCopy = { stack: copy };
  } else {
    r.problem(
      "decommissionDataCopy",
      `another Phoenix stack of the project (not ${stack}), or dump:<location>`,
    );
  }
  return { edgeStack: edge === "none" ? undefined : edge, dataCopy };
}
