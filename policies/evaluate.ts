import { RULES } from "./rules";
import { EnforcementLevel, PolicySubject, ruleConfig } from "./subject";

/** One policy result, as the offline plan reports it. */
export interface Violation {
  /** The policy's name. */
  readonly policy: string;
  /** Its enforcement level. */
  readonly level: EnforcementLevel;
  /** The resource at fault, when there is one. */
  readonly urn: string | undefined;
  /** What is wrong. */
  readonly message: string;
}

/** Per-policy settings, as `--policy-pack-config` would give them. */
export type PackConfig = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** Runs every rule over a stack's resources: the same checks the CrossGuard pack runs. */
export function evaluate(
  subjects: readonly PolicySubject[],
  packConfig: PackConfig = {},
): Violation[] {
  const violations: Violation[] = [];
  for (const rule of RULES) {
    const config = ruleConfig(rule, packConfig[rule.name]);
    const base = { policy: rule.name, level: rule.enforcementLevel };
    if (rule.kind === "resource") {
      for (const s of subjects) {
        for (const message of rule.check(s, config))
          violations.push({ ...base, urn: s.urn, message });
      }
    } else {
      for (const v of rule.check(subjects, config))
        violations.push({ ...base, urn: v.urn, message: v.message });
    }
  }
  return violations;
}
