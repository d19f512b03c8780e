import { factsOf } from "../../policies/facts";
import { PlanResource } from "./plan-resource";

function brief(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * Renders resources as `pulumi preview` shows them: a tree by parent, each line with the
 * operation, type, name, a lock for protected resources, and the key inputs.
 */
export function renderTree(
  resources: readonly PlanResource[],
  root: { urn: string; project: string; stack: string },
): string[] {
  const children = new Map<string, PlanResource[]>();
  for (const r of resources) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
  const lines = [`+ pulumi:pulumi:Stack  ${root.project}-${root.stack}`];
  const walk = (urn: string, indent: string): void => {
    const list = children.get(urn) ?? [];
    list.forEach((r, i) => {
      const last = i === list.length - 1;
      const inputs = (factsOf(r.type)?.keyInputs ?? [])
        .filter((k) => r.inputs[k] !== undefined)
        .map((k) => `${k}=${brief(r.inputs[k])}`);
      const lock = r.protect ? "  [protected]" : "";
      const info = inputs.length > 0 ? `  ${inputs.join(" ")}` : "";
      // A read (`>` in `pulumi preview`) looks at something that exists; it creates nothing.
      const op = factsOf(r.type)?.read ? ">" : "+";
      lines.push(`${indent}${last ? "└─" : "├─"} ${op} ${r.type}  ${r.name}${lock}${info}`);
      walk(r.urn, `${indent}${last ? "   " : "│  "}`);
    });
  };
  walk(root.urn, "");
  return lines;
}
