import * as path from "path";
import { Program } from "../programs";
import { runProgram } from "../run-program";
import { readStackFile } from "../stack-file";
import { secretExposure } from "./checks/secrets-stay-secret";
import { stackUrn, toPlanResources } from "./plan-resource";
import { renderTree } from "./render-tree";
import { Plan } from "./run-plan";

/**
 * Plans a stack of another program of this repository (the delivery program, the edge) offline:
 * its stack file read with the CLI's config rules, the program run under the mock runtime (the
 * stacks it references answered from their own plan runs), its resources as a tree, and the one
 * check that holds for every program: secret settings stay secret. The Phoenix policy pack judges
 * Phoenix stacks (servers, colours, data) and is not applied here; the plan says so.
 *
 * @throws UnknownStackError, PulumiConfigError or StackFileError as for a Phoenix stack, and
 *   the program's own configuration error
 */
export async function runProgramPlan(
  program: Program,
  stack: string,
  rootDir: string,
): Promise<Plan> {
  const dir = path.join(rootDir, program.dir);
  const file = readStackFile(dir, stack, { cliRules: true });
  const run = await runProgram(program, stack, { dir, cliRules: true });
  if (run.error) throw run.error;
  const root = stackUrn(file.project, stack);
  const resources = toPlanResources(run.resources, root);
  const secrets = Object.fromEntries(file.secretKeys.map((k) => [k, file.config[k] ?? ""]));
  const violations = (await secretExposure(run, secrets, root)).map((v) => ({ ...v }));
  const text = [
    `Plan of stack ${file.project}/${stack} (offline: Pulumi mock runtime, no cloud calls)`,
    "",
    ...renderTree(resources, { urn: root, project: file.project, stack }),
    "",
    `Resources: ${resources.length + 1} to create`,
    "",
    ...(violations.length === 0
      ? [
          `Policies: the Phoenix policy pack judges Phoenix stacks, not the ${program.name} program; secrets stay secret.`,
        ]
      : [
          `Policies: ${violations.length} mandatory violation(s)`,
          ...violations.map((v) => `  [${v.level}] ${v.policy}: ${v.message}\n      ${v.urn}`),
        ]),
  ];
  return {
    document: { stack, resources, diagnostics: run.diagnostics, violations },
    text,
  };
}
