import { StackOutputs } from "../../components/core/stack-outputs";
import { factsOf } from "../../policies/facts";
import { MockStackRun } from "../../tools/mock-stack";
import { diffRuns, ResourceChange } from "../../tools/plan/diff/resource-diff";
import { ConfigOverrides, runStack } from "../../tools/run-stack";

/** The secrets a test stack is given (set with `pulumi config set --secret` in real life). */
export const SECRETS = { "phoenix:appSecrets": '{"SESSION_SECRET":"first-session-secret"}' };

/**
 * A stack as it stands deployed: applied, then re-applied with its own record, as every later
 * update (and the drift check) re-applies it.
 */
export async function deployed(
  stack: string,
  overrides: ConfigOverrides = {},
  secrets: Readonly<Record<string, string>> = SECRETS,
): Promise<MockStackRun<StackOutputs>> {
  const first = await runStack(stack, overrides, secrets);
  if (first.error) throw first.error;
  const again = await runStack(stack, overrides, secrets, undefined, { previous: first });
  if (again.error) throw again.error;
  return again;
}

/**
 * The next update of a deployed stack with changed settings (it may throw a ConfigError); with
 * no previous run, the stack's first deployment.
 */
export async function update(
  previous: MockStackRun<StackOutputs> | undefined,
  stack: string,
  overrides: ConfigOverrides = {},
  secrets: Readonly<Record<string, string>> = SECRETS,
): Promise<MockStackRun<StackOutputs>> {
  return runStack(stack, overrides, secrets, undefined, previous ? { previous } : {});
}

/** What the update does to each resource, as the offline diff reports it. */
export function changesOf(
  previous: MockStackRun<StackOutputs>,
  next: MockStackRun<StackOutputs>,
): ResourceChange[] {
  if (next.error) throw next.error;
  return diffRuns(previous.resources, next.resources, {
    replaceOn: (type) => factsOf(type)?.replaceOn,
    isRead: (type) => factsOf(type)?.read === true,
    isComponent: (type) => factsOf(type)?.component !== undefined,
  });
}

/** `name: operation` of every resource that changes. */
export function operations(changes: readonly ResourceChange[]): Record<string, string> {
  return Object.fromEntries(
    changes
      .filter((c) => c.operation !== "same" && c.operation !== "read")
      .map((c) => [c.name, c.operation]),
  );
}
