/**
 * A resource as every Phoenix policy sees it, whatever fed it: CrossGuard during
 * `pulumi preview`, or the offline plan's mock run. The checks take only this shape, so the
 * pack, the tests and `npm run plan` run the same code.
 */
export interface PolicySubject {
  /** Type token, e.g. `digitalocean:index/droplet:Droplet`. */
  readonly type: string;
  /** Logical name. */
  readonly name: string;
  /** URN. */
  readonly urn: string;
  /** Resolved inputs (secret values unwrapped). */
  readonly props: Readonly<Record<string, unknown>>;
  /**
   * Names of the inputs that are Pulumi secrets; undefined where the source cannot tell
   * (CrossGuard unwraps secrets without marking them).
   */
  readonly secretProps: readonly string[] | undefined;
  /** Whether `protect` is set. */
  readonly protect: boolean;
  /** Whether `retainOnDelete` is set; undefined where the source cannot tell (CrossGuard). */
  readonly retainOnDelete: boolean | undefined;
  /** URNs of the resources this one depends on (explicit `dependsOn` and inputs). */
  readonly dependencies: readonly string[];
  /** For each input built from other resources' outputs, those resources' URNs. */
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  /** URN of the parent, if any. */
  readonly parent: string | undefined;
  /** Inputs whose changes the engine ignores (`ignoreChanges`). */
  readonly ignoreChanges: readonly string[];
  /** Whether a replacement deletes the old resource first (`deleteBeforeReplace`). */
  readonly deleteBeforeReplace: boolean;
  /**
   * Inputs the program asks replacement on (`replaceOnChanges`); undefined where the source
   * cannot tell (CrossGuard does not show it).
   */
  readonly replaceOnChanges: readonly string[] | undefined;
}

/** One violation found by a stack-level check. */
export interface StackViolation {
  /** The resource at fault, when there is one. */
  readonly urn?: string;
  /** What is wrong: the resource, the value found and what is required. */
  readonly message: string;
}

/** How strictly a violation is treated. */
export type EnforcementLevel = "mandatory" | "advisory";

/** A policy's per-stack settings, as a JSON schema CrossGuard understands. */
export interface RuleConfigSchema {
  readonly properties: Readonly<
    Record<string, { type: "integer"; default: number; minimum?: number; description: string }>
  >;
}

/** What every rule declares besides its check. */
export interface RuleMeta {
  /** kebab-case name, as `pulumi preview` reports it. */
  readonly name: string;
  /** What it requires, and why. */
  readonly description: string;
  /** Default enforcement. */
  readonly enforcementLevel: EnforcementLevel;
  /** Thresholds a stack may change with `--policy-pack-config`. */
  readonly configSchema?: RuleConfigSchema;
}

/** Settings of a rule: its config schema's defaults, overridden per stack. */
export type RuleConfig = Readonly<Record<string, number>>;

/** A rule about one resource at a time. */
export interface ResourceRule extends RuleMeta {
  readonly kind: "resource";
  /** Violation messages for one resource (empty when it complies). */
  check(subject: PolicySubject, config: RuleConfig): string[];
}

/** A rule about the stack as a whole. */
export interface StackRule extends RuleMeta {
  readonly kind: "stack";
  /** Violations over every resource of the stack (empty when it complies). */
  check(subjects: readonly PolicySubject[], config: RuleConfig): StackViolation[];
}

/** Any Phoenix rule. */
export type Rule = ResourceRule | StackRule;

/** A rule's config: schema defaults overridden by what the stack sets. */
export function ruleConfig(
  rule: RuleMeta,
  given: Readonly<Record<string, unknown>> = {},
): RuleConfig {
  const config: Record<string, number> = {};
  for (const [key, spec] of Object.entries(rule.configSchema?.properties ?? {})) {
    const value = given[key];
    config[key] = typeof value === "number" ? value : spec.default;
  }
  return config;
}
