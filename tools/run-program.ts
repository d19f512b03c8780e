import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { ConfigOverrides, runStack } from "./run-stack";
import { MockStackRun, ORGANIZATION, runInMockStack, unwrap } from "./mock-stack";
import { PHOENIX, Program, PROGRAMS, REPOSITORY_DIR } from "./programs";
import { ReadStackFileOptions, readStackFile } from "./stack-file";

/** Other stacks' outputs by full name, for a run's references to them. */
export type OtherStacks = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** How deep references are followed (an edge reads environments; a decommission reads the edge). */
const MAX_DEPTH = 3;

/** The settings of a Phoenix stack that only its own decommission update sets. */
const DECOMMISSION_SETTINGS: ConfigOverrides = {
  "phoenix:decommission": undefined,
  "phoenix:decommissionEdgeStack": undefined,
  "phoenix:decommissionDataCopy": undefined,
};

/** How to run a program's stack beyond its config. */
export interface RunProgramOptions extends ReadStackFileOptions {
  /** Config keys to set (a string) or remove (undefined). */
  readonly overrides?: ConfigOverrides;
  /** Extra secret config values. */
  readonly secrets?: Readonly<Record<string, string>>;
  /** Its directory, when not the program's own (e.g. a base version's checkout). */
  readonly dir?: string;
  /**
   * The outputs of the stacks it references; by default each referenced stack of this
   * repository is run as deployed to answer them.
   */
  readonly otherStacks?: OtherStacks;
  /** How many references deep this run is. @default 0 */
  readonly depth?: number;
}

/** The project name in a program directory's `Pulumi.yaml`. */
function projectName(dir: string): string | undefined {
  try {
    const project = parse(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as {
      name?: unknown;
    };
    return typeof project.name === "string" ? project.name : undefined;
  } catch {
    return undefined;
  }
}

/** Every stack output of a run, resolved; undefined when the run failed. */
async function resolvedOutputs(
  run: MockStackRun<unknown>,
): Promise<Record<string, unknown> | undefined> {
  if (run.error || typeof run.result !== "object" || run.result === null) return undefined;
  const entries = await Promise.all(
    Object.entries(run.result).map(
      async ([k, v]) => [k, v === undefined ? undefined : await unwrap(v)] as const,
    ),
  );
  return Object.fromEntries(entries.filter(([, v]) => v !== undefined));
}

/**
 * The outputs of the stacks named (`<organization>/<project>/<stack>`), each from a mock run of
 * its committed stack file as deployed: a Phoenix stack applied and re-applied with its record,
 * without the settings of a decommission (those belong to the update that tears it down), and
 * another program's stack run once, its own references followed. A stack this repository has no
 * file for, or whose run fails, has no outputs, as a reference to a stack never deployed reads.
 */
export async function referencedOutputs(names: readonly string[], depth = 0): Promise<OtherStacks> {
  const result: Record<string, Record<string, unknown>> = {};
  if (depth >= MAX_DEPTH) return result;
  for (const name of new Set(names)) {
    const [organization, project, stack] = name.split("/");
    if (organization !== ORGANIZATION || project === undefined || stack === undefined) continue;
    const program = PROGRAMS.find((p) => projectName(path.join(REPOSITORY_DIR, p.dir)) === project);
    const dir = program && path.join(REPOSITORY_DIR, program.dir);
    if (!program || !dir || !fs.existsSync(path.join(dir, `Pulumi.${stack}.yaml`))) continue;
    let run: MockStackRun<unknown>;
    if (program === PHOENIX) {
      const first = await runStack(stack, DECOMMISSION_SETTINGS, {}, dir);
      if (first.error) continue;
      run = await runStack(stack, DECOMMISSION_SETTINGS, {}, dir, { previous: first });
    } else {
      run = await runProgram(program, stack, { depth: depth + 1 });
    }
    const outputs = await resolvedOutputs(run);
    if (outputs) result[name] = outputs;
  }
  return result;
}

/**
 * Runs a program of this repository (not the Phoenix stacks: `runStack`) under the mock runtime
 * against its stack file, the stacks it references answered by {@link referencedOutputs}.
 */
export async function runProgram(
  program: Program,
  stack: string,
  options: RunProgramOptions = {},
): Promise<MockStackRun<unknown>> {
  const dir = options.dir ?? path.join(REPOSITORY_DIR, program.dir);
  const file = readStackFile(dir, stack, options);
  const merged = { ...file.config, ...(options.secrets ?? {}), ...(options.overrides ?? {}) };
  const config = Object.fromEntries(
    Object.entries(merged).filter((e): e is [string, string] => e[1] !== undefined),
  );
  const otherStacks =
    options.otherStacks ??
    (await referencedOutputs(program.references(config, ORGANIZATION), options.depth ?? 0));
  return runInMockStack(() => program.run(), {
    project: file.project,
    stack,
    config,
    secretKeys: [...file.secretKeys, ...Object.keys(options.secrets ?? {})],
    otherStacks,
  });
}
