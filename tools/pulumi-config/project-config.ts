/**
 * The project-level `config:` block of `Pulumi.yaml` as the Pulumi CLI reads it, and its rules
 * (pulumi/pulumi `sdk/go/common/workspace/project.go`: `RewriteShorthandConfigValues`,
 * `(*Project).Validate`, `ValidateConfigValue`, `InferFullTypeName`; v3.259.0).
 */

/** A declared `items` type of an array setting. */
export interface ItemsType {
  readonly type: string;
  readonly items?: ItemsType;
}

/** One declaration of the project's `config:` block. */
export interface ConfigDeclaration {
  /** The key as written in Pulumi.yaml. */
  readonly key: string;
  /** Declared type; undefined for an untyped declaration (never type-checked). */
  readonly type: string | undefined;
  readonly items: ItemsType | undefined;
  readonly default: unknown;
  readonly value: unknown;
  readonly secret: boolean;
}

/** Whether a config key belongs to the project (no namespace, or the project's). */
export function isProjectKey(project: string, key: string): boolean {
  return !key.includes(":") || key.startsWith(`${project}:`);
}

const isPrimitive = (v: unknown): boolean =>
  typeof v === "string" || typeof v === "boolean" || Number.isInteger(v);

/**
 * Reads the declarations, turning shorthand (`key: value`) into a default (project keys) or a
 * value (other namespaces), as the CLI does.
 */
export function readDeclarations(
  project: string,
  block: Readonly<Record<string, unknown>> | undefined,
): ConfigDeclaration[] {
  return Object.entries(block ?? {}).map(([key, raw]) => {
    if (isPrimitive(raw) || Array.isArray(raw)) {
      return isProjectKey(project, key)
        ? { key, type: undefined, items: undefined, default: raw, value: undefined, secret: false }
        : { key, type: undefined, items: undefined, default: undefined, value: raw, secret: false };
    }
    const d = (raw ?? {}) as Record<string, unknown>;
    return {
      key,
      type: typeof d.type === "string" ? d.type : undefined,
      items: d.items as ItemsType | undefined,
      default: d.default ?? undefined,
      value: d.value ?? undefined,
      secret: d.secret === true,
    };
  });
}

/** Go's `strconv.Atoi` on a 64-bit platform: optional sign, decimal digits, within int64. */
function atoi(text: string): boolean {
  if (!/^[+-]?\d+$/.test(text)) return false;
  const n = BigInt(text);
  return n >= -(2n ** 63n) && n < 2n ** 63n;
}

/** `ValidateConfigValue`: whether a value fits a declared type. */
export function fitsType(type: string, items: ItemsType | undefined, value: unknown): boolean {
  if (type === "string") return typeof value === "string";
  if (type === "integer") {
    // A YAML float passes when it is whole (Go's math.Trunc(f) == f: infinities too, NaN not).
    if (typeof value === "number") return !Number.isNaN(value) && Math.trunc(value) === value;
    return typeof value === "string" && atoi(value);
  }
  if (type === "boolean")
    return value === "true" || value === "false" || typeof value === "boolean";
  if (type === "object")
    return typeof value === "object" && value !== null && !Array.isArray(value);
  if (!Array.isArray(value) || items === undefined) return false;
  return value.every((item) => fitsType(items.type, items.items, item));
}

/** `InferFullTypeName`: `array<string>` for a list of strings, else the type. */
export function fullTypeName(type: string, items: ItemsType | undefined): string {
  return items === undefined ? type : `array<${fullTypeName(items.type, items.items)}>`;
}

/**
 * `(*Project).Validate` on the config block: the first problem, or undefined. The CLI walks a
 * Go map, so which of several problems it reports varies; this one reports the first in
 * key order.
 */
export function projectConfigProblem(
  project: string,
  declarations: readonly ConfigDeclaration[],
): string | undefined {
  for (const d of [...declarations].sort((a, b) => (a.key < b.key ? -1 : 1))) {
    if (d.default !== undefined && d.value !== undefined)
      return `project config '${d.key}' cannot have both a 'default' and 'value' attribute`;
    if (isProjectKey(project, d.key)) {
      if (d.type === "array" && d.items === undefined)
        return `The configuration key '${d.key}' declares an array but does not specify the underlying type via the 'items' attribute`;
      if (d.type !== undefined && d.default !== undefined && !fitsType(d.type, d.items, d.default))
        return `The default value specified for configuration key '${d.key}' is not of the expected type '${fullTypeName(d.type, d.items)}'`;
    } else {
      if (d.type !== undefined)
        return `Configuration key '${d.key}' is not namespaced by the project and should not define a type`;
      if (d.default !== undefined)
        return `Configuration key '${d.key}' is not namespaced by the project and should not define a default value. Did you mean to use the 'value' attribute instead of 'default'?`;
      if (d.value === undefined)
        return `Configuration key '${d.key}' is namespaced and must provide an attribute 'value'`;
    }
  }
  return undefined;
}
