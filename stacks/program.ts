import { readStackConfig } from "../components/core/config/read-stack-config";
import { readPreviousDeployment } from "../components/core/previous-deployment";
import { decommission } from "../components/core/decommission";
import { reviewStackLifetime } from "../components/core/review-stack";
import { StackOutputs } from "../components/core/stack-outputs";
import { PLATFORMS } from "./platforms";

/**
 * The Phoenix stack program: reads and validates the stack's settings against the platforms
 * (throwing every problem before any resource is registered), reads what the previous
 * deployment left, refuses a teardown that is not safe (a decommission), gives a review stack its
 * lifetime, then composes the chosen platform, which refuses what cannot change safely.
 */
export async function phoenixProgram(): Promise<StackOutputs> {
  const loaded = readStackConfig(PLATFORMS);
  const platform = PLATFORMS.find((p) => p.name === loaded.config.platform);
  if (platform === undefined)
    throw new Error(`internal error: no platform ${loaded.config.platform}`);
  const previous = await readPreviousDeployment();
  await decommission(loaded.config);
  reviewStackLifetime(loaded.config);
  return platform.compose(loaded, previous);
}
