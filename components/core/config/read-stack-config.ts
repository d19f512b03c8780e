import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE } from "./settings";
import { RawSettings } from "./settings-reader";
import { StackConfig } from "./stack-config";
import { validateStackConfig } from "./validate-stack-config";

/** A stack's validated settings plus the secret values, which never leave a Pulumi secret. */
export interface LoadedStackConfig {
  /** The validated settings. */
  readonly config: StackConfig;
  /** The app's secret environment variables, as one secret Output. */
  readonly appSecrets: pulumi.Output<Record<string, string>>;
}

/** `isConfigSecret` ships in the SDK's runtime but is marked internal, so it has no typing. */
const runtimeWithSecrets = pulumi.runtime as unknown as { isConfigSecret(key: string): boolean };

/** The raw `phoenix:` settings of the running stack, and which of them are secrets. */
export function currentRawSettings(): { raw: RawSettings; secretSettings: string[] } {
  const prefix = `${CONFIG_NAMESPACE}:`;
  const raw: Record<string, string> = {};
  const secretSettings: string[] = [];
  for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
    if (!key.startsWith(prefix)) continue;
    const name = key.slice(prefix.length);
    raw[name] = value;
    if (runtimeWithSecrets.isConfigSecret(key)) secretSettings.push(name);
  }
  return { raw, secretSettings };
}

/**
 * Reads and validates the running stack's `phoenix:` settings.
 *
 * @throws ConfigError with every problem, before the caller registers any resource.
 */
export function readStackConfig(): LoadedStackConfig {
  const { raw, secretSettings } = currentRawSettings();
  const config = validateStackConfig(raw, { stack: pulumi.getStack(), secretSettings });
  const secrets = !raw.appSecrets ? {} : (JSON.parse(raw.appSecrets) as Record<string, string>);
  return { config, appSecrets: pulumi.secret(secrets) };
}
