import { listStacks, readStackFile } from "../../stack-file";
import { PlanViolation } from "../policy-results";

/** The name the plan reports this check under. */
export const STACK_OWNS_ITS_NAMES = "stack-owns-its-names";

/** `<service>-<environment>` of a stack file, as the program derives it. */
function namesOf(projectDir: string, stack: string): string | undefined {
  try {
    const { config } = readStackFile(projectDir, stack);
    const service = config["phoenix:service"];
    return service ? `${service}-${config["phoenix:environment"] ?? stack}` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * No two stacks of the project build under the same `<service>-<environment>`: they would share
 * resource names, and the server tag one stack's database admits, so the other stack's servers
 * would reach its data. Only the offline plan sees every stack file at once.
 */
export function environmentClaims(projectDir: string, stack: string): PlanViolation[] {
  const mine = namesOf(projectDir, stack);
  if (mine === undefined) return [];
  return listStacks(projectDir)
    .filter((other) => other !== stack && namesOf(projectDir, other) === mine)
    .map((other) => ({
      policy: STACK_OWNS_ITS_NAMES,
      level: "mandatory" as const,
      urn: null,
      message:
        `stack ${stack} builds under the same names as stack ${other} (Pulumi.${other}.yaml): ${mine}-*, ` +
        `so ${other}'s database would admit ${stack}'s servers (tag ${mine}-app); give each stack its own phoenix:environment`,
    }));
}
