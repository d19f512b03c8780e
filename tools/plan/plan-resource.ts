import { RecordedResource } from "../mock-stack";

/** A resource as the offline plan reports it (the `resources` of `--json`). */
export interface PlanResource {
  /** The URN Pulumi would give it. */
  readonly urn: string;
  /** Type token. */
  readonly type: string;
  /** Logical name. */
  readonly name: string;
  /** URN of the parent (the stack's URN for top-level resources). */
  readonly parent: string;
  /** Whether `protect` is set. */
  readonly protect: boolean;
  /** Inputs as the engine would receive them; secret ones replaced by `"[secret]"`. */
  readonly inputs: Record<string, unknown>;
}

/** What stands in for a secret input in the plan's output. */
export const SECRET_MASK = "[secret]";

/** The URN of a project's stack resource. */
export function stackUrn(project: string, stack: string): string {
  return `urn:pulumi:${stack}::${project}::pulumi:pulumi:Stack::${project}-${stack}`;
}

/** Turns recorded resources into plan resources: parents as URNs, secrets masked. */
export function toPlanResources(
  recorded: readonly RecordedResource[],
  rootUrn: string,
): PlanResource[] {
  const urnOf = new Map(recorded.map((r) => [`${r.type}::${r.name}`, r.urn]));
  return recorded.map((r) => ({
    urn: r.urn,
    type: r.type,
    name: r.name,
    parent: (r.parent && urnOf.get(r.parent)) || rootUrn,
    protect: r.opts.protect,
    inputs: Object.fromEntries(
      Object.entries(r.inputs).map(([k, v]) => [k, r.secretProps.includes(k) ? SECRET_MASK : v]),
    ),
  }));
}
