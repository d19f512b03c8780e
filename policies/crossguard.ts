import {
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { RULES } from "./rules";
import { PolicySubject, Rule, ruleConfig } from "./subject";

/**
 * A resource under `validateResource`. CrossGuard shows neither dependencies nor
 * `retainOnDelete` nor `replaceOnChanges` there, and unwraps secrets without marking them:
 * those stay unknown.
 */
export function subjectFromArgs(args: ResourceValidationArgs): PolicySubject {
  return {
    type: args.type,
    name: args.name,
    urn: args.urn,
    props: args.props,
    secretProps: undefined,
    protect: args.opts.protect,
    retainOnDelete: undefined,
    dependencies: [],
    propertyDependencies: {},
    parent: args.opts.parent,
    ignoreChanges: args.opts.ignoreChanges ?? [],
    deleteBeforeReplace: args.opts.deleteBeforeReplace === true,
    replaceOnChanges: undefined,
  };
}

/** A resource under `validateStack`, with its dependencies. */
export function subjectFromResource(resource: PolicyResource): PolicySubject {
  return {
    type: resource.type,
    name: resource.name,
    urn: resource.urn,
    props: resource.props,
    secretProps: undefined,
    protect: resource.opts.protect,
    retainOnDelete: undefined,
    dependencies: resource.dependencies.map((d) => d.urn),
    propertyDependencies: Object.fromEntries(
      Object.entries(resource.propertyDependencies).map(([k, deps]) => [k, deps.map((d) => d.urn)]),
    ),
    parent: resource.parent?.urn ?? resource.opts.parent,
    ignoreChanges: resource.opts.ignoreChanges ?? [],
    deleteBeforeReplace: resource.opts.deleteBeforeReplace === true,
    replaceOnChanges: undefined,
  };
}

/** One rule as a CrossGuard policy, running the rule's own check. */
export function toCrossGuard(rule: Rule): ResourceValidationPolicy | StackValidationPolicy {
  const meta = {
    name: rule.name,
    description: rule.description,
    enforcementLevel: rule.enforcementLevel,
    ...(rule.configSchema
      ? { configSchema: { properties: JSON.parse(JSON.stringify(rule.configSchema.properties)) } }
      : {}),
  };
  if (rule.kind === "resource") {
    return {
      ...meta,
      validateResource: (args, report) => {
        const config = ruleConfig(rule, args.getConfig<Record<string, unknown>>());
        for (const message of rule.check(subjectFromArgs(args), config)) report(message);
      },
    };
  }
  return {
    ...meta,
    validateStack: (args, report) => {
      const config = ruleConfig(rule, args.getConfig<Record<string, unknown>>());
      for (const v of rule.check(args.resources.map(subjectFromResource), config))
        report(v.message, v.urn);
    },
  };
}

/** Every Phoenix rule as a CrossGuard policy. */
export function crossGuardPolicies(): (ResourceValidationPolicy | StackValidationPolicy)[] {
  return RULES.map(toCrossGuard);
}
