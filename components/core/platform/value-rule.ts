/** What a platform accepts for one setting's value, and how to say so in an error message. */
export interface ValueRule {
  /** Whether the value is acceptable. */
  test(value: string): boolean;
  /** What is allowed, in the platform's own terms (e.g. "an image ID like img-0abc1234"). */
  readonly allowed: string;
}

/** A rule from a regular expression. */
export function patternRule(pattern: RegExp, allowed: string): ValueRule {
  return { test: (value) => pattern.test(value), allowed };
}

/** A rule from a list of accepted values; the message lists them. */
export function oneOfRule(values: readonly string[], what: string): ValueRule {
  return {
    test: (value) => values.includes(value),
    allowed: `${what}: one of ${values.join(", ")}`,
  };
}
