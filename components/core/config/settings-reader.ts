import { configKey, SETTINGS, SettingName, SettingSpec } from "./settings";

/** Raw `phoenix:` settings as Pulumi hands them to a program: strings, objects as JSON. */
export type RawSettings = Readonly<Partial<Record<string, string>>>;

/** Renders a received value for an error message. */
function show(raw: string | undefined): string {
  return raw === undefined ? "nothing" : JSON.stringify(raw);
}

/**
 * Reads typed values out of raw settings, collecting a problem for each bad one instead of
 * stopping at the first, so that a user sees every mistake in one run.
 */
export class SettingsReader {
  /** Problems found so far, each naming the setting, the value received and what is allowed. */
  readonly problems: string[] = [];

  /** @param raw the stack's raw settings, keyed by name without the namespace */
  constructor(private readonly raw: RawSettings) {}

  /** The raw text of a setting, or its default rendered as Pulumi would pass it. */
  text(name: SettingName): string | undefined {
    const value = this.raw[name];
    if (value !== undefined) return value === "" ? undefined : value;
    const spec: SettingSpec = SETTINGS[name];
    if (spec.default === undefined || spec.default === "") return undefined;
    return typeof spec.default === "string" ? spec.default : JSON.stringify(spec.default);
  }

  /** Records a problem with a setting. */
  problem(name: SettingName, allowed: string, received = this.text(name)): void {
    // A secret's value must never reach a log, even when it is malformed.
    const shown = "secret" in SETTINGS[name] ? "a secret value (not shown)" : show(received);
    this.problems.push(`${configKey(name)}: received ${shown}; allowed: ${allowed}`);
  }

  /** A string setting; `undefined` when unset with no default, or invalid (problem recorded). */
  string(
    name: SettingName,
    rule?: { pattern: RegExp; allowed: string },
    fallback?: string,
  ): string | undefined {
    const value = this.text(name) ?? fallback;
    if (value === undefined || rule === undefined || rule.pattern.test(value)) return value;
    this.problem(name, rule.allowed, value);
    return undefined;
  }

  /** A string setting that must be one of `choices`. */
  oneOf<T extends string>(name: SettingName, choices: readonly T[]): T | undefined {
    const value = this.text(name);
    if (value !== undefined && (choices as readonly string[]).includes(value)) return value as T;
    this.problem(name, `one of ${choices.join(", ")}`, value);
    return undefined;
  }

  /** A whole number in `[min, max]`. */
  integer(name: SettingName, min: number, max: number): number | undefined {
    const value = this.text(name);
    if (value !== undefined && /^-?\d+$/.test(value.trim())) {
      const n = Number(value);
      if (n >= min && n <= max) return n;
    }
    this.problem(name, `a whole number from ${min} to ${max}`, value);
    return undefined;
  }

  /** A boolean (`true` or `false`). */
  boolean(name: SettingName): boolean | undefined {
    const value = this.text(name);
    if (value === "true" || value === "false") return value === "true";
    this.problem(name, "true or false", value);
    return undefined;
  }

  /** A JSON array of strings; an unset setting with no default is an empty list. */
  stringList(name: SettingName): string[] | undefined {
    const value = this.text(name);
    if (value === undefined) return [];
    const parsed = parseJson(value);
    if (Array.isArray(parsed) && parsed.every((v) => typeof v === "string")) return parsed;
    this.problem(name, "a list of strings", value);
    return undefined;
  }

  /** A JSON object whose values are strings; an unset setting is an empty map. */
  stringMap(name: SettingName): Record<string, string> | undefined {
    const value = this.raw[name];
    if (value === undefined || value === "") return {};
    const parsed = parseJson(value);
    if (
      typeof parsed === "object" &&
      parsed !== null &&
      !Array.isArray(parsed) &&
      Object.values(parsed).every((v) => typeof v === "string")
    ) {
      return parsed as Record<string, string>;
    }
    this.problem(name, "a map of NAME: string value", value);
    return undefined;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
