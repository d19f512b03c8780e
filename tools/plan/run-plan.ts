import { runStack } from "../run-stack";
import { readStackFile } from "../stack-file";
import { PlanResource, stackUrn, toPlanResources } from "./plan-resource";
import { renderTree } from "./render-tree";
import { evaluatePolicies, PlanViolation } from "./policy-results";

/** The `--json` document of `npm run plan`. */
export interface PlanDocument {
  /** The stack planned. */
  readonly stack: string;
  /** Every resource the program would register, parents first. */
  readonly resources: readonly PlanResource[];
  /** Every policy violation, mandatory and advisory. */
  readonly violations: readonly PlanViolation[];
}

/** A finished plan: the document, and the same as text for people. */
export interface Plan {
  /** What `--json` prints. */
  readonly document: PlanDocument;
  /** What the plan prints without `--json`. */
  readonly text: readonly string[];
}

/**
 * Plans a stack offline: reads its config as the engine would, runs the real program under the
 * mock runtime, and evaluates every policy of the pack on what it registered.
 *
 * @throws UnknownStackError when there is no `Pulumi.<stack>.yaml`
 * @throws ConfigError when the stack's settings are invalid
 */
export async function runPlan(stack: string, projectDir: string): Promise<Plan> {
  const { project } = readStackFile(projectDir, stack);
  const run = await runStack(stack, {}, {}, projectDir);
  if (run.error) throw run.error;
  const root = stackUrn(project, stack);
  const resources = toPlanResources(run.resources, root);
  const violations = await evaluatePolicies(run, { urn: root, name: `${project}-${stack}` });
  const text = [
    `Plan of stack ${project}/${stack} (offline: Pulumi mock runtime, no cloud calls)`,
    "",
    ...renderTree(resources, { urn: root, project, stack }),
    "",
    `Resources: ${resources.length + 1} to create (${resources.filter((r) => r.protect).length} protected)`,
    "",
    ...renderViolations(violations),
  ];
  return { document: { stack, resources, violations }, text };
}

function renderViolations(violations: readonly PlanViolation[]): string[] {
  if (violations.length === 0) return ["Policies: every policy passed."];
  const mandatory = violations.filter((v) => v.level === "mandatory").length;
  return [
    `Policies: ${mandatory} mandatory, ${violations.length - mandatory} advisory violation(s)`,
    ...violations.map(
      (v) => `  [${v.level}] ${v.policy}: ${v.message}${v.urn ? `\n      ${v.urn}` : ""}`,
    ),
  ];
}
