import { StackOutputs } from "../../components/core/stack-outputs";
import { parseDeploymentRecord } from "../../components/core/deployment-record";
import { Diagnostic, MockStackRun, ORGANIZATION, unwrap } from "../mock-stack";
import { PHOENIX } from "../programs";
import { referencedOutputs } from "../run-program";
import { environmentClaims } from "./checks/environment-claims";
import { liveServerChanges } from "./checks/live-server-changes";
import { secretExposure } from "./checks/secrets-stay-secret";
import { runStack } from "../run-stack";
import { readStackFile } from "../stack-file";
import { PlanResource, stackUrn, toPlanResources } from "./plan-resource";
import { renderTree } from "./render-tree";
import { checkoutStackFiles } from "./base-version";
import { evaluatePolicies, PlanViolation, transitionViolations } from "./policy-results";
import { factsOf } from "../../policies/facts";
import { statefulResourcesProtected } from "../../policies/rules/stateful";
import { diffRuns, ResourceChange } from "./diff/resource-diff";
import { renderChanges } from "./diff/render-diff";

/** The policy a decommission turns advisory: it lifts `protect` on purpose. */
const STATEFUL_PROTECTED = statefulResourcesProtected.name;

/** The `--json` document of `npm run plan`. */
export interface PlanDocument {
  /** The stack planned. */
  readonly stack: string;
  /** Every resource the program would register, parents first. */
  readonly resources: readonly PlanResource[];
  /** What the program logs, as `pulumi up` would print it (what it will do, and warnings). */
  readonly diagnostics: readonly Diagnostic[];
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
  const file = readStackFile(projectDir, stack, { cliRules: true });
  const { project } = file;
  const baseDir = base === undefined ? undefined : checkoutStackFiles(projectDir, base, stack);
  const notes: string[] = [];
  // The base version's run stands for what is deployed: the new run reads its deployment
  // record, as the real program reads its stack's previous outputs.
  const previous = baseDir === undefined ? undefined : await deployedRun(stack, baseDir);
  const comparable = previous !== undefined;
  if (base !== undefined && baseDir === undefined)
    notes.push(`Base ${base}: the stack is new there.`);
  else if (base !== undefined && !comparable)
    notes.push(`Base ${base}: its settings do not validate, so it was not compared.`);
  // The stacks a decommission reads (the edge, the stack holding the data) answer from their
  // own plan runs.
  const otherStacks = await referencedOutputs(PHOENIX.references(file.config, ORGANIZATION));
  const run = await runStack(stack, {}, {}, projectDir, {
    cliRules: true,
    otherStacks,
    ...(comparable ? { previous } : {}),
  });
  if (run.error) throw run.error;
  const root = stackUrn(project, stack);
  const resources = toPlanResources(run.resources, root);
  const found = await evaluatePolicies(run, { urn: root, name: `${project}-${stack}` });
  // A decommission lifts protect on purpose, once its checks passed: the rule is advisory for it,
  // as `--policy-pack-config` makes it for `pulumi preview` (edge/README.md).
  const decommissioning = file.config["phoenix:decommission"] === "true";
  const violations = found.map((v) =>
    decommissioning && v.policy === STATEFUL_PROTECTED ? { ...v, level: "advisory" as const } : v,
  );
  const secrets = Object.fromEntries(file.secretKeys.map((k) => [k, file.config[k] ?? ""]));
  violations.push(
    ...(await secretExposure(run, secrets, root)),
    ...environmentClaims(projectDir, stack),
  );
  let changes: ResourceChange[] | undefined;
  if (comparable) {
    violations.push(...transitionViolations(previous, run));
    changes = diffRuns(previous.resources, run.resources, {
      replaceOn: (type) => factsOf(type)?.replaceOn,
      isRead: (type) => factsOf(type)?.read === true,
      isComponent: (type) => factsOf(type)?.component !== undefined,
    });
    const record = parseDeploymentRecord(await unwrap(previous.result.phoenixDeployment));
    if (record) violations.push(...liveServerChanges(changes, previous.resources, record));
    notes.push(`Base ${base}: compared resource by resource, and for the cutover rule.`);
  }
  const text = [
    `Plan of stack ${project}/${stack} (offline: Pulumi mock runtime, no cloud calls)`,
    ...notes,
    "",
    ...renderTree(resources, { urn: root, project, stack }),
    "",
    `Resources: ${resources.filter((r) => !factsOf(r.type)?.read).length + 1} to create (${resources.filter((r) => r.protect).length} protected), ${resources.filter((r) => factsOf(r.type)?.read).length} to read`,
    "",
    ...(run.diagnostics.length > 0
      ? [
          "Messages (as pulumi up prints them):",
          ...run.diagnostics.map((d) => `  ${d.severity}: ${d.message}`),
          "",
        ]
      : []),
    ...(changes && base !== undefined ? [...renderChanges(changes, base), ""] : []),
    ...renderViolations(violations),
  ];
  const document = {
    stack,
    resources,
    diagnostics: run.diagnostics,
    ...(changes ? { changes } : {}),
    violations,
  };
  return { document, text };
}

/**
 * The base version as it stands deployed: applied, then re-applied with its own deployment
 * record (as every later update and the drift check re-apply it), so that what the base keeps
 * frozen is what is frozen now. Undefined when its settings do not validate.
 */
async function deployedRun(
  stack: string,
  baseDir: string,
): Promise<MockStackRun<StackOutputs> | undefined> {
  const first = await runStack(stack, {}, {}, baseDir).catch(() => undefined);
  if (first === undefined || first.error) return undefined;
  const again = await runStack(stack, {}, {}, baseDir, { previous: first });
  return again.error ? undefined : again;
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
