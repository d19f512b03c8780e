import * as path from "path";
import { phoenixProgram } from "../stacks/program";
import { StackOutputs } from "../components/core/stack-outputs";
import { ReadStackFileOptions, readStackFile } from "./stack-file";
import { MockStackRun, runInMockStack } from "./mock-stack";

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
  options: ReadStackFileOptions = {},
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
  });
}
