import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

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
}

/** What stands in for a `secure:` value that cannot be decrypted without the Pulumi CLI. */
export const SECRET_PLACEHOLDER = "[secret]";

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

function isSecure(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    "secure" in value &&
    Object.keys(value).length === 1
  );
}

/** Replaces every `secure:` leaf with the placeholder; reports whether there was one. */
function redact(value: unknown): { value: unknown; secret: boolean } {
  if (isSecure(value)) return { value: SECRET_PLACEHOLDER, secret: true };
  if (Array.isArray(value)) {
    const items = value.map(redact);
    return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
  }
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).map(([k, v]) => [k, redact(v)] as const);
    return {
      value: Object.fromEntries(entries.map(([k, v]) => [k, v.value])),
      secret: entries.some(([, v]) => v.secret),
    };
  }
  return { value, secret: false };
}

function asConfigString(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * Reads `Pulumi.yaml` (project-level config defaults included) and `Pulumi.<stack>.yaml` the way
 * the Pulumi engine merges them, without the CLI: stack values win over project defaults, and
 * `secure:` values, which only the CLI can decrypt, become {@link SECRET_PLACEHOLDER} secrets.
 *
 * @throws UnknownStackError when the stack has no file
 * @throws StackFileError when a file is not valid YAML
 */
export function readStackFile(projectDir: string, stack: string): StackFileConfig {
  const project = readYaml(path.join(projectDir, "Pulumi.yaml")) as {
    name: string;
    config?: Record<string, unknown>;
  };
  const stackPath = path.join(projectDir, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(stackPath)) throw new UnknownStackError(stack, listStacks(projectDir));
  const stackFile = (readYaml(stackPath) ?? {}) as {
    config?: Record<string, unknown>;
  };

  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  const fullKey = (key: string): string => (key.includes(":") ? key : `${project.name}:${key}`);
  for (const [key, declaration] of Object.entries(project.config ?? {})) {
    // A declaration is either a plain default or `{ type, description, default, ... }`.
    const isDeclaration =
      typeof declaration === "object" &&
      declaration !== null &&
      !Array.isArray(declaration) &&
      ["type", "description", "default", "secret", "items"].some((k) => k in declaration);
    const value = isDeclaration ? (declaration as { default?: unknown }).default : declaration;
    if (value !== undefined) config[fullKey(key)] = asConfigString(value);
  }
  for (const [key, raw] of Object.entries(stackFile.config ?? {})) {
    const { value, secret } = redact(raw);
    config[fullKey(key)] = asConfigString(value);
    if (secret) secretKeys.push(fullKey(key));
  }
  return { project: project.name, stack, config, secretKeys };
}
