/**
 * The `environment:` block of a stack file as the Pulumi CLI reads it (pulumi/pulumi
 * `sdk/go/common/workspace/project.go`: `Environment.UnmarshalYAML`, `Definition`, `Imports`).
 *
 * The block is either a list of environment names (decoded as `[]string`: every item a scalar,
 * written as its text) or, when it is anything else, an inline environment definition. The CLI
 * never refuses the block when it loads the file; `Imports()` lists what it opens: a list's
 * names, or a definition's `imports` (a name, or a one-key map `{ name: options }`) followed by
 * `yaml` when the definition has `values` of its own. A definition that is not a mapping opens
 * nothing.
 */

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** A YAML scalar decoded into a Go string: its text; null decodes to the empty string. */
function scalarText(value: unknown): string | undefined {
  if (value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

/** The environments a stack file's `environment:` block opens, in order (none without it). */
export function environmentImports(block: unknown): string[] {
  if (block === undefined || block === null) return [];
  if (Array.isArray(block)) {
    const names = block.map(scalarText);
    if (names.every((n): n is string => n !== undefined)) return names;
    return [];
  }
  if (!isMap(block)) return [];
  const imports = Array.isArray(block.imports) ? block.imports : [];
  const names = imports.flatMap((item): string[] => {
    if (typeof item === "string") return [item];
    if (isMap(item) && Object.keys(item).length === 1) return Object.keys(item);
    return [];
  });
  const values = isMap(block.values) ? Object.keys(block.values) : [];
  return values.length > 0 ? [...names, "yaml"] : names;
}
