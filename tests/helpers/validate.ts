import {
  ValidatedSettings,
  validateStackConfig,
} from "../../components/core/config/validate-stack-config";
import { StackConfig } from "../../components/core/config/stack-config";
import { PLATFORMS } from "../../stacks/platforms";

/** What a test changes about the validation context. */
export interface ValidateOptions {
  readonly stack?: string;
  /** Settings (without namespace) that Pulumi holds as secrets. */
  readonly secret?: readonly string[];
}

/**
 * Validates `phoenix:` settings given without their namespace, on DigitalOcean in nyc3 unless
 * they say otherwise, against the real platform table.
 */
export function validateSettings(
  raw: Readonly<Record<string, string>>,
  options: ValidateOptions = {},
): ValidatedSettings {
  const config = Object.fromEntries(
    Object.entries({ platform: "digitalocean", region: "nyc3", ...raw }).map(([k, v]) => [
      k.includes(":") ? k : `phoenix:${k}`,
      v,
    ]),
  );
  return validateStackConfig(config, {
    stack: options.stack ?? "dev",
    secretKeys: (options.secret ?? []).map((k) => `phoenix:${k}`),
    platforms: PLATFORMS,
  });
}

/** The neutral settings of {@link validateSettings}. */
export function validatedConfig(
  raw: Readonly<Record<string, string>>,
  options: ValidateOptions = {},
): StackConfig {
  return validateSettings(raw, options).config;
}
