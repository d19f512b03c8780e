import * as pulumi from "@pulumi/pulumi";
import { PolicySubject } from "../policies/subject";
import { RecordedResource, unwrap } from "./mock-stack";

/** The recorded resources of a mock run as policy subjects, with what CrossGuard cannot show. */
export function subjectsFromRecorded(recorded: readonly RecordedResource[]): PolicySubject[] {
  const urnOf = new Map(recorded.map((r) => [`${r.type}::${r.name}`, r.urn]));
  const urn = (key: string): string => urnOf.get(key) ?? key;
  return recorded.map((r) => ({
    type: r.type,
    name: r.name,
    urn: r.urn,
    props: r.inputs,
    secretProps: r.secretProps,
    protect: r.opts.protect,
    retainOnDelete: r.opts.retainOnDelete,
    dependencies: [
      ...new Set([...r.opts.dependsOn.map(urn), ...Object.values(r.propertyDependencies).flat()]),
    ],
    propertyDependencies: r.propertyDependencies,
    parent: r.parent === undefined ? undefined : urn(r.parent),
    ignoreChanges: r.opts.ignoreChanges,
    deleteBeforeReplace: r.opts.deleteBeforeReplace,
    replaceOnChanges: r.opts.replaceOnChanges,
  }));
}

/** The stack's outputs as a subject of type `pulumi:pulumi:Stack`, marking the secret ones. */
export async function stackSubject(
  urn: string,
  name: string,
  outputs: Readonly<Record<string, unknown>>,
): Promise<PolicySubject> {
  const props: Record<string, unknown> = {};
  const secretProps: string[] = [];
  for (const [key, value] of Object.entries(outputs)) {
    if (value === undefined) continue;
    const output = pulumi.output(value);
    props[key] = await unwrap(output);
    if (await pulumi.isSecret(output)) secretProps.push(key);
  }
  return {
    type: "pulumi:pulumi:Stack",
    name,
    urn,
    props,
    secretProps,
    protect: false,
    retainOnDelete: false,
    dependencies: [],
    propertyDependencies: {},
    parent: undefined,
    ignoreChanges: [],
    deleteBeforeReplace: false,
    replaceOnChanges: [],
  };
}
