import { ConfigError } from "../components/core/config/config-error";
import { readStackConfig } from "../components/core/config/read-stack-config";
import { Platform, StackConfig } from "../components/core/config/stack-config";
import { digitalOceanProblems } from "../components/digitalocean/platform-rules";
import { digitalOceanStack } from "./digitalocean";
import { StackOutputs } from "./outputs";

/** Each platform's extra validation and composition. */
const PLATFORMS: Record<
  Platform,
  { problems(config: StackConfig): string[]; compose: typeof digitalOceanStack }
> = {
  digitalocean: { problems: digitalOceanProblems, compose: digitalOceanStack },
};

/**
 * The Phoenix stack program: reads and validates the stack's settings (throwing every problem
 * before any resource is registered), then composes the platform's resources.
 */
export function phoenixProgram(): StackOutputs {
  const loaded = readStackConfig();
  const platform = PLATFORMS[loaded.config.platform];
  const problems = platform.problems(loaded.config);
  if (problems.length > 0) throw new ConfigError(problems);
  return platform.compose(loaded);
}
