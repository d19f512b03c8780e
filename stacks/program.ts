import { readStackConfig } from "../components/core/config/read-stack-config";
import { StackOutputs } from "../components/core/stack-outputs";
import { PLATFORMS } from "./platforms";

/**
 * The Phoenix stack program: reads and validates the stack's settings against the platforms
 * (throwing every problem before any resource is registered), then composes the chosen one.
 */
export function phoenixProgram(): StackOutputs {
  const loaded = readStackConfig(PLATFORMS);
  const platform = PLATFORMS.find((p) => p.name === loaded.config.platform);
  if (platform === undefined)
    throw new Error(`internal error: no platform ${loaded.config.platform}`);
  return platform.compose(loaded);
}
