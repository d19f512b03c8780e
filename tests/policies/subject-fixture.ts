import { PolicySubject } from "../../policies/subject";

/** A compliant-by-default subject; tests change one field at a time. */
export function subject(
  type: string,
  name: string,
  props: Record<string, unknown> = {},
  rest: Partial<PolicySubject> = {},
): PolicySubject {
  return {
    type,
    name,
    urn: `urn:pulumi:prod::phoenix::${type}::${name}`,
    props,
    secretProps: [],
    protect: false,
    retainOnDelete: false,
    dependencies: [],
    propertyDependencies: {},
    parent: undefined,
    ignoreChanges: [],
    deleteBeforeReplace: false,
    replaceOnChanges: undefined,
    ...rest,
  };
}
