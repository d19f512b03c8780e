import { InputChange, Operation, ResourceChange, UNKNOWN } from "./resource-diff";

/** The symbol `pulumi preview` shows for each operation. */
const SYMBOL: Readonly<Record<Operation, string>> = {
  create: "+",
  update: "~",
  replace: "+-",
  delete: "-",
  same: " ",
  read: ">",
};

const MASK = "[secret]";

function show(value: unknown, secret: boolean): string {
  if (value === UNKNOWN) return UNKNOWN;
  if (value === undefined) return "(unset)";
  if (secret) return MASK;
  const text = typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value);
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}

function inputLine(change: InputChange): string {
  const why = change.replaces ? `   forces replacement: ${change.replaces}` : "";
  return `      ${change.input}: ${show(change.before, change.secret)} => ${show(change.after, change.secret)}${why}`;
}

/** The operation of a change, in words, with how a replacement or delete is carried out. */
export function describeOperation(change: ResourceChange): string {
  if (change.operation === "replace")
    return change.deleteBeforeReplace
      ? "replace (delete first, then create)"
      : "replace (create first, then delete)";
  if (change.operation === "delete")
    return `delete${change.deleteMode === "delete" ? "" : `: ${change.deleteMode}`}`;
  return change.operation;
}

/**
 * Renders the changes against the base as `pulumi preview --diff` would: one line per resource
 * that changes, its changed inputs beneath with the reason for each replacement, and counts.
 */
export function renderChanges(changes: readonly ResourceChange[], base: string): string[] {
  const changed = changes.filter((c) => c.operation !== "same" && c.operation !== "read");
  const count = (op: Operation) => changes.filter((c) => c.operation === op).length;
  const lines = [`Changes against ${base}:`];
  if (changed.length === 0) lines.push("  none: an update would change nothing");
  for (const c of changed) {
    lines.push(`  ${SYMBOL[c.operation].padEnd(2)} ${c.type}  ${c.name}  ${describeOperation(c)}`);
    lines.push(...c.inputs.map(inputLine));
  }
  lines.push(
    `  ${count("create")} to create, ${count("update")} to update, ${count("replace")} to replace, ` +
      `${count("delete")} to delete, ${count("same")} unchanged`,
  );
  return lines;
}
