import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { ConfigValue, defaultConfigValue, stackConfigValue } from "./pulumi-config/config-value";
import { applyProjectConfig, declaredKey, PulumiConfigError } from "./pulumi-config/merge-config";
import { projectConfigProblem, readDeclarations } from "./pulumi-config/project-config";
import { environmentImports } from "./pulumi-config/stack-environment";

export { secretPlaceholder } from "./pulumi-config/config-value";
export { PulumiConfigError } from "./pulumi-config/merge-config";

/** A stack's config as the Pulumi engine hands it to a program: every value a string. */
export interface StackFileConfig {
  /** The project name from `Pulumi.yaml`. */
  readonly project: string;
  /** The stack name. */
  readonly stack: string;
  /** Full keys (`phoenix:blueCount`) to values; objects and lists as JSON. */
  readonly config: Record<string, string>;
  /** Keys whose value is (or contains) a `secure:` value. */
  readonly secretKeys: string[];
  /**
   * The ESC environments the stack file's `environment:` block opens, in order, as the CLI
   * lists them (`ProjectStack.Environment.Imports()`): `<project>/<env>` names, and `yaml` for
   * inline values. Empty without the block.
   */
  readonly environments: string[];
}

/** Thrown when `Pulumi.<stack>.yaml` does not exist; names the stack files that do. */
export class UnknownStackError extends Error {
  /** @param stack the stack asked for; @param available stacks with a file */
  constructor(
    readonly stack: string,
    readonly available: readonly string[],
  ) {
    super(
      `unknown stack ${JSON.stringify(stack)}: no Pulumi.${stack}.yaml; ` +
        `stack files found: ${available.map((s) => `Pulumi.${s}.yaml`).join(", ") || "none"}`,
    );
    this.name = "UnknownStackError";
  }
}

/** Thrown when a project or stack file is not valid YAML. */
export class StackFileError extends Error {
  /** @param file the file; @param reason the parser's complaint */
  constructor(file: string, reason: string) {
    super(`${file} is not valid YAML: ${reason}`);
    this.name = "StackFileError";
  }
}

function readYaml(file: string): unknown {
  try {
    return parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new StackFileError(path.basename(file), e instanceof Error ? e.message : String(e));
  }
}

/** The stacks that have a `Pulumi.<stack>.yaml` in the project directory, sorted. */
export function listStacks(projectDir: string): string[] {
  return fs
    .readdirSync(projectDir)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/**
 * The project's name from `Pulumi.yaml` in `projectDir`.
 *
 * @throws StackFileError when the file is not valid YAML
 * @throws PulumiConfigError when it has no name, as the CLI refuses it
 */
export function readProjectName(projectDir: string): string {
  return readProject(projectDir).name;
}

/** `Pulumi.yaml`: the project's name (refused without one, as the CLI does) and its config block. */
function readProject(projectDir: string): { name: string; config: unknown } {
  const project = (readYaml(path.join(projectDir, "Pulumi.yaml")) ?? {}) as {
    name?: unknown;
    config?: unknown;
  };
  if (typeof project.name !== "string" || project.name === "")
    throw new PulumiConfigError("project is missing a non-empty string 'name' attribute");
  return { name: project.name, config: project.config };
}

/** Thrown for a stack-file key the CLI cannot parse as `<namespace>:<name>`. */
function keyError(key: string): PulumiConfigError {
  return new PulumiConfigError(
    `getting stack configuration: could not unmarshal map: could not parse ${key} as a configuration key (configuration keys should be of the form \`<namespace>:<name>\`)`,
  );
}

/** A stack-file key as the CLI namespaces it: bare keys get the project's namespace. */
function fullKey(project: string, key: string): string {
  const parts = key.split(":");
  if (parts.length === 1) return `${project}:${key}`;
  if (parts.length === 2 && parts[0] !== "" && parts[1] !== "") return key;
  if (parts.length === 3 && parts[1] === "config" && parts[0] !== "" && parts[2] !== "")
    return `${parts[0]}:${parts[2]}`;
  throw keyError(key);
}

/** How to read a stack file. */
export interface ReadStackFileOptions {
  /**
   * Apply the Pulumi CLI's config rules (Pulumi.yaml's own, then required keys, types and
   * secrets), throwing PulumiConfigError where the CLI would refuse to run.
   * @default false (defaults are applied; nothing is refused)
   */
  readonly cliRules?: boolean;
}

/**
 * Reads `Pulumi.yaml` (project-level config declarations included) and `Pulumi.<stack>.yaml`
 * the way the Pulumi CLI merges them, without the CLI: stack values win over project defaults,
 * scalars reach the program as text (null as ""), lists and maps as JSON, and `secure:` values,
 * which only the CLI can decrypt, become placeholder secrets ({@link secretPlaceholder}).
 *
 * @throws UnknownStackError when the stack has no file
 * @throws StackFileError when a file is not valid YAML
 * @throws PulumiConfigError where the CLI would refuse the config (with `cliRules`)
 */
export function readStackFile(
  projectDir: string,
  stack: string,
  options: ReadStackFileOptions = {},
): StackFileConfig {
  const projectPath = path.join(projectDir, "Pulumi.yaml");
  const project = readProject(projectDir);
  const { name } = project;
  const stackPath = path.join(projectDir, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(stackPath)) throw new UnknownStackError(stack, listStacks(projectDir));
  const stackFile = (readYaml(stackPath) ?? {}) as { config?: unknown; environment?: unknown };

  const declarations = readDeclarations(name, asMap(project.config));
  const values = new Map<string, ConfigValue>();
  for (const [key, raw] of Object.entries(asMap(stackFile.config) ?? {})) {
    values.set(fullKey(name, key), stackConfigValue(raw));
  }
  let merged: Map<string, ConfigValue>;
  if (options.cliRules) {
    const problem = projectConfigProblem(name, declarations);
    if (problem !== undefined)
      throw new PulumiConfigError(`could not unmarshal '${projectPath}': ${problem}`);
    merged = applyProjectConfig(name, stack, declarations, values);
  } else {
    merged = new Map(values);
    for (const d of declarations) {
      const key = declaredKey(name, d.key);
      const fallback = d.value ?? d.default;
      if (!merged.has(key) && fallback !== undefined) merged.set(key, defaultConfigValue(fallback));
    }
  }
  return {
    project: name,
    stack,
    config: Object.fromEntries([...merged].map(([k, v]) => [k, v.text])),
    secretKeys: [...merged].filter(([, v]) => v.secure).map(([k]) => k),
    environments: environmentImports(stackFile.environment),
  };
}

function asMap(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
