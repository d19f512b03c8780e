import * as pulumi from "@pulumi/pulumi";
import { PlatformRules } from "../platform/platform";
import { StackConfig } from "./stack-config";
import { validateStackConfig } from "./validate-stack-config";

/** A stack's validated settings plus the secret values, which never leave a Pulumi secret. */
export interface LoadedStackConfig {
  /** The validated neutral settings. */
  readonly config: StackConfig;
  /** The platform's own settings, as its `readSettings` returned them. */
  readonly platformSettings: unknown;
  /** The app's secret environment variables, as one secret Output. */
  readonly appSecrets: pulumi.Output<Record<string, string>>;
}

/** `isConfigSecret` ships in the SDK's runtime but is marked internal, so it has no typing. */
const runtimeWithSecrets = pulumi.runtime as unknown as { isConfigSecret(key: string): boolean };

/** Every config key of the running stack with its value, and which keys are secrets. */
export function currentConfig(): { config: Record<string, string>; secretKeys: string[] } {
  const config = pulumi.runtime.allConfig();
  const secretKeys = Object.keys(config).filter((k) => runtimeWithSecrets.isConfigSecret(k));
  return { config, secretKeys };
}

/**
 * Reads and validates the running stack's config against the platforms it may choose from.
 *
 * @throws ConfigError with every problem, before the caller registers any resource.
 */
export function readStackConfig(platforms: readonly PlatformRules[]): LoadedStackConfig {
  const { config, secretKeys } = currentConfig();
  const validated = validateStackConfig(config, {
    stack: pulumi.getStack(),
    secretKeys,
    platforms,
  });
  const text = config["phoenix:appSecrets"];
  const secrets = text === undefined ? {} : (JSON.parse(text) as Record<string, string>);
  return { ...validated, appSecrets: pulumi.secret(secrets) };
}
