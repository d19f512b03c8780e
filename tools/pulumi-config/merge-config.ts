import { ConfigValue, checkedContent, defaultConfigValue } from "./config-value";
import { ConfigDeclaration, fitsType, fullTypeName, isProjectKey } from "./project-config";

/**
 * Thrown where the Pulumi CLI would refuse a stack's config before running the program, with
 * the CLI's own message.
 */
export class PulumiConfigError extends Error {
  /** @param message the CLI's message, e.g. "validating stack config: Stack 'dev' is ..." */
  constructor(message: string) {
    super(message);
    this.name = "PulumiConfigError";
  }
}

/** `formatMissingKeys`: 'a'; 'a' and 'b'; 'a', 'b' and 'c' (sorted). */
function formatMissing(keys: string[]): string {
  const quoted = [...keys].sort().map((k) => `'${k}'`);
  if (quoted.length === 1) return quoted[0] as string;
  return `${quoted.slice(0, -1).join(", ")} and ${quoted[quoted.length - 1]}`;
}

/** The full key of a declaration (`phoenix:blueCount` for `blueCount`). */
export function declaredKey(project: string, key: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

/**
 * What the Pulumi CLI does with a stack's config before the program runs
 * (`ValidateStackConfigAndApplyProjectConfig`, pulumi/pulumi `pkg/workspace/config.go`,
 * v3.259.0): applies each declared default or value the stack does not set; refuses, in one
 * message, every project key declared with neither that the stack leaves unset; then checks the
 * declared keys with a type in sorted order, each secret one first for encryption, and
 * reports the first that fails.
 *
 * A `secure:` scalar's plaintext is unknown offline, so its type is not checked.
 *
 * @returns the stack's config with the project's defaults and values applied
 * @throws PulumiConfigError with the CLI's message
 */
export function applyProjectConfig(
  project: string,
  stack: string,
  declarations: readonly ConfigDeclaration[],
  stackConfig: ReadonlyMap<string, ConfigValue>,
): Map<string, ConfigValue> {
  const merged = new Map(stackConfig);
  const missing: string[] = [];
  const sorted = [...declarations].sort((a, b) => (a.key < b.key ? -1 : 1));
  for (const d of sorted) {
    const key = declaredKey(project, d.key);
    if (merged.has(key)) continue;
    const fallback = d.value ?? d.default;
    if (fallback !== undefined) merged.set(key, defaultConfigValue(fallback));
    else if (isProjectKey(project, d.key)) missing.push(d.key);
  }
  if (missing.length > 0) {
    throw new PulumiConfigError(
      `validating stack config: Stack '${stack}' is missing configuration ${missing.length > 1 ? "values" : "value"} ${formatMissing(missing)}`,
    );
  }
  for (const d of sorted) {
    const value = merged.get(declaredKey(project, d.key));
    if (d.type === undefined || value === undefined) continue;
    if (d.secret && !value.secure) {
      throw new PulumiConfigError(
        `validating stack config: Stack '${stack}' with configuration key '${d.key}' must be encrypted as it's secret`,
      );
    }
    if (value.secure && !value.object) continue;
    if (!fitsType(d.type, d.items, checkedContent(value))) {
      throw new PulumiConfigError(
        `validating stack config: Stack '${stack}' with configuration key '${d.key}' must be of type '${fullTypeName(d.type, d.items)}'`,
      );
    }
  }
  return merged;
}
