import { runStack } from "../run-stack";
import { readStackFile } from "../stack-file";
import { PlanResource, stackUrn, toPlanResources } from "./plan-resource";
import { renderTree } from "./render-tree";
import { checkoutStackFiles } from "./base-version";
import { evaluatePolicies, PlanViolation, transitionViolations } from "./policy-results";
import { factsOf } from "../../policies/facts";
import { diffRuns, ResourceChange } from "./diff/resource-diff";
import { renderChanges } from "./diff/render-diff";

/** The `--json` document of `npm run plan`. */
export interface PlanDocument {
  /** The stack planned. */
  readonly stack: string;
  /** Every resource the program would register, parents first. */
  readonly resources: readonly PlanResource[];
  /** With `--base`: what an update from the base version would do to each resource. */
  readonly changes?: readonly ResourceChange[];
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
 * With `base` (a git ref, e.g. the pull request's target branch), it also plans the stack as it
 * was there and applies the cutover rule across the two versions.
 *
 * @throws UnknownStackError when there is no `Pulumi.<stack>.yaml`
 * @throws PulumiConfigError where the Pulumi CLI would refuse the stack's config
 * @throws ConfigError when the stack's settings are invalid
 * @throws BaseVersionError when git cannot show `base`
 */
export async function runPlan(stack: string, projectDir: string, base?: string): Promise<Plan> {
  const { project } = readStackFile(projectDir, stack, { cliRules: true });
  const baseDir = base === undefined ? undefined : checkoutStackFiles(projectDir, base, stack);
  const run = await runStack(stack, {}, {}, projectDir, { cliRules: true });
  if (run.error) throw run.error;
  const root = stackUrn(project, stack);
  const resources = toPlanResources(run.resources, root);
  const violations = await evaluatePolicies(run, { urn: root, name: `${project}-${stack}` });
  const notes: string[] = [];
  let changes: ResourceChange[] | undefined;
  if (base !== undefined && baseDir === undefined)
    notes.push(`Base ${base}: the stack is new there.`);
  if (baseDir !== undefined) {
    const previous = await runStack(stack, {}, {}, baseDir).catch(() => undefined);
    if (previous === undefined || previous.error)
      notes.push(`Base ${base}: its settings do not validate, so it was not compared.`);
    else {
      violations.push(...transitionViolations(previous, run));
      changes = diffRuns(previous.resources, run.resources, {
        replaceOn: (type) => factsOf(type)?.replaceOn,
      });
      notes.push(`Base ${base}: compared resource by resource, and for the cutover rule.`);
    }
  }
  const text = [
    `Plan of stack ${project}/${stack} (offline: Pulumi mock runtime, no cloud calls)`,
    ...notes,
    "",
    ...renderTree(resources, { urn: root, project, stack }),
    "",
    `Resources: ${resources.length + 1} to create (${resources.filter((r) => r.protect).length} protected)`,
    "",
    ...(changes && base !== undefined ? [...renderChanges(changes, base), ""] : []),
    ...renderViolations(violations),
  ];
  const document = { stack, resources, ...(changes ? { changes } : {}), violations };
  return { document, text };
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
