import { RecordedResource } from "../../mock-stack";

/** What an update does to one resource, as `pulumi preview` would report it. */
export type Operation = "create" | "update" | "replace" | "delete" | "same" | "read";

/** Stands in for a value the cloud computes during the update (an ID of a new resource). */
export const UNKNOWN = "[unknown until the update]";

/** One input that changes. */
export interface InputChange {
  /** The input's name. */
  readonly input: string;
  /** Its value in the base; undefined when it was not set. */
  readonly before: unknown;
  /** Its new value, or {@link UNKNOWN} when it comes from a resource created or replaced now. */
  readonly after: unknown;
  /** Whether it is a Pulumi secret (then before and after are shown masked). */
  readonly secret: boolean;
  /** Why it replaces the resource, when it does. */
  readonly replaces: string | undefined;
}

/** One resource's change between the base and the new version of a stack. */
export interface ResourceChange {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly operation: Operation;
  /** For a replacement: whether the old one is deleted before the new one is created. */
  readonly deleteBeforeReplace: boolean;
  /** For a delete: whether the cloud resource is kept (retainOnDelete) or refused (protect). */
  readonly deleteMode: "delete" | "retain" | "refused (protected)" | undefined;
  /** The inputs that change, in name order. */
  readonly inputs: readonly InputChange[];
  /** Whether it is a component, whose inputs are the program's intent (no cloud call). */
  readonly component: boolean;
}

/** What decides whether a changed input replaces a resource of a type. */
export interface ReplacementFacts {
  /**
   * The inputs whose change makes the provider replace the resource (the schema's
   * `willReplaceOnChanges`); undefined for a type with no provider (a component).
   */
  replaceOn(type: string): readonly string[] | undefined;
  /** Whether the type is a read of something that exists: it is read, never changed. */
  isRead(type: string): boolean;
  /** Whether the type is a component (no provider: its inputs are intent). */
  isComponent?(type: string): boolean;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Whether a `replaceOnChanges` or `ignoreChanges` path names an input (`triggers[*]`, `a.b`). */
function pathCovers(paths: readonly string[], input: string): boolean {
  return paths.some(
    (p) => p === "*" || p === input || p.startsWith(`${input}[`) || p.startsWith(`${input}.`),
  );
}

/**
 * Compares two runs of a stack program, resource by resource, the way the Pulumi engine
 * decides its steps: a resource only in the new run is created, only in the base deleted; a
 * changed input updates it, unless the provider replaces on that input (its schema) or the
 * program asked for replacement on it (`replaceOnChanges`); `ignoreChanges` inputs keep their
 * old value. An input built from a resource that is created or replaced in this update is
 * unknown until then, and counts as changed, as in `pulumi preview`.
 *
 * @param base the base version's resources (what is deployed), in registration order
 * @param next the new version's resources, in registration order (dependencies first)
 */
export function diffRuns(
  base: readonly RecordedResource[],
  next: readonly RecordedResource[],
  facts: ReplacementFacts,
): ResourceChange[] {
  const before = new Map(base.map((r) => [r.urn, r]));
  const renewed = new Set<string>();
  const changes: ResourceChange[] = [];
  for (const r of next) {
    if (facts.isRead(r.type)) {
      changes.push(change(r, "read", [], facts));
      continue;
    }
    const old = before.get(r.urn);
    if (old === undefined) {
      renewed.add(r.urn);
      changes.push(change(r, "create", [], facts));
      continue;
    }
    const replaceOn = facts.replaceOn(r.type);
    const inputs: InputChange[] = [];
    const names = [...new Set([...Object.keys(old.inputs), ...Object.keys(r.inputs)])].sort();
    for (const input of names) {
      if (pathCovers(r.opts.ignoreChanges, input)) continue;
      const unknown = (r.propertyDependencies[input] ?? []).some((u) => renewed.has(u));
      const after = unknown ? UNKNOWN : r.inputs[input];
      if (!unknown && same(old.inputs[input], after)) continue;
      const reasons = [
        ...(replaceOn?.includes(input) ? ["the provider's schema (willReplaceOnChanges)"] : []),
        ...(pathCovers(r.opts.replaceOnChanges, input) ? ["the program's replaceOnChanges"] : []),
      ];
      const replaces = reasons.length > 0 ? reasons.join(" and ") : undefined;
      inputs.push({
        input,
        before: old.inputs[input],
        after,
        secret: r.secretProps.includes(input) || old.secretProps.includes(input),
        replaces,
      });
    }
    const operation: Operation = inputs.some((i) => i.replaces)
      ? "replace"
      : inputs.length > 0
        ? "update"
        : "same";
    if (operation === "replace") renewed.add(r.urn);
    changes.push(change(r, operation, inputs, facts));
  }
  const current = new Set(next.map((r) => r.urn));
  for (const r of base.filter((b) => !current.has(b.urn) && !facts.isRead(b.type)))
    changes.push(change(r, "delete", [], facts));
  return changes;
}

function change(
  r: RecordedResource,
  operation: Operation,
  inputs: InputChange[],
  facts: ReplacementFacts,
): ResourceChange {
  return {
    urn: r.urn,
    type: r.type,
    name: r.name,
    operation,
    deleteBeforeReplace: operation === "replace" && r.opts.deleteBeforeReplace,
    deleteMode:
      operation !== "delete"
        ? undefined
        : r.opts.protect
          ? "refused (protected)"
          : r.opts.retainOnDelete
            ? "retain"
            : "delete",
    inputs,
    component: facts.isComponent?.(r.type) ?? false,
  };
}
