/**
 * Thrown when a stack's configuration is invalid. Carries every problem found, so one run
 * reports them all; thrown before any resource is registered.
 */
export class ConfigError extends Error {
  /** Each problem: the setting, the value received and what is allowed. */
  readonly problems: readonly string[];

  /** @param problems one line per problem, in the order the settings were checked */
  constructor(problems: readonly string[]) {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    super(
      `Invalid Phoenix stack configuration (${count}):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    this.name = "ConfigError";
    this.problems = problems;
  }
}
