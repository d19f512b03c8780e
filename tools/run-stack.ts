import * as path from "path";
import { phoenixProgram } from "../stacks/program";
import { StackOutputs } from "../components/core/stack-outputs";
import { DEPLOYMENT_RECORD_OUTPUT } from "../components/core/deployment-record";
import { ReadStackFileOptions, readStackFile } from "./stack-file";
import { MockStackRun, runInMockStack, unwrap } from "./mock-stack";

/** The repository root, where Pulumi.yaml and the stack files live. */
export const PROJECT_DIR = path.resolve(__dirname, "..");

/** Changes to a stack file's config: a string sets a key, undefined removes it. */
export type ConfigOverrides = Readonly<Record<string, string | undefined>>;

/**
 * Runs the real stack program under the mock runtime against the real `Pulumi.<stack>.yaml`
 * (with `Pulumi.yaml`'s defaults), optionally changed by `overrides` and extra secret keys.
 * With `cliRules`, the file must first pass the Pulumi CLI's own config rules.
 */
export async function runStack(
  stack: string,
  overrides: ConfigOverrides = {},
  secrets: Readonly<Record<string, string>> = {},
  projectDir: string = PROJECT_DIR,
  options: RunStackOptions = {},
): Promise<MockStackRun<StackOutputs>> {
  const file = readStackFile(projectDir, stack, options);
  const merged = { ...file.config, ...secrets, ...overrides };
  const config = Object.fromEntries(
    Object.entries(merged).filter((e): e is [string, string] => e[1] !== undefined),
  );
  return runInMockStack(() => phoenixProgram(), {
    project: file.project,
    stack,
    config,
    secretKeys: [...file.secretKeys, ...Object.keys(secrets)],
    previousOutputs: options.previous ? await previousOutputs(options.previous) : {},
    ...(options.otherStacks ? { otherStacks: options.otherStacks } : {}),
  });
}

/** How to run a stack beyond its config. */
export interface RunStackOptions extends ReadStackFileOptions {
  /**
   * A run of the stack as it was deployed before: this run reads its exported deployment
   * record, as the real program reads the stack's own previous outputs.
   * @default undefined (a first deployment)
   */
  readonly previous?: MockStackRun<StackOutputs>;
  /**
   * Other stacks' outputs by full name, for the program's references to them (a decommission
   * reads the edge's); none: such references read nothing.
   * @default undefined
   */
  readonly otherStacks?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** The stack outputs a run leaves for the next deployment to read back. */
export async function previousOutputs(
  run: MockStackRun<StackOutputs>,
): Promise<Record<string, unknown>> {
  if (run.error) throw run.error;
  return { [DEPLOYMENT_RECORD_OUTPUT]: await unwrap(run.result.phoenixDeployment) };
}
