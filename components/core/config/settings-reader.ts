import { ValueRule } from "../platform/value-rule";
import { configKey, SettingSpec } from "./settings";

/** Raw `phoenix:` settings as Pulumi hands them to a program: strings, lists and maps as JSON. */
export type RawSettings = Readonly<Partial<Record<string, string>>>;

/** Characters no setting may hold: C0 controls and DEL (they break units, logs and files). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Longest received value an error message repeats; longer ones are cut. */
const SHOWN_LENGTH = 80;

/** Renders a received value for an error message: quoted, escaped, and cut when long. */
export function showValue(value: string | undefined): string {
  if (value === undefined) return "nothing";
  if (value === "") return "an empty string";
  const cut = value.length > SHOWN_LENGTH ? `${value.slice(0, SHOWN_LENGTH)}…` : value;
  return JSON.stringify(cut);
}

/**
 * Reads typed values out of raw settings. Every reader rejects what it cannot parse with a
 * problem naming the setting, the value received and what is allowed, and collects problems
 * instead of stopping at the first, so that a user sees every mistake in one run.
 *
 * An empty string is never a value: a setting is either set to something or left unset, and
 * unset means its default (or what its `whenUnset` says).
 */
export class SettingsReader {
  /** Problems found so far, each naming the setting, the value received and what is allowed. */
  readonly problems: string[] = [];

  /**
   * @param raw the stack's raw settings, keyed by name without the namespace
   * @param specs the declarations of every setting that may be read
   */
  constructor(
    private readonly raw: RawSettings,
    private readonly specs: Readonly<Record<string, SettingSpec>>,
  ) {}

  /** The raw text of a setting, or its default rendered as Pulumi passes it; undefined if unset. */
  text(name: string): string | undefined {
    const value = this.raw[name];
    if (value !== undefined) return value;
    const fallback = this.spec(name).default;
    if (fallback === undefined) return undefined;
    return typeof fallback === "string" ? fallback : JSON.stringify(fallback);
  }

  /** Records a problem with a setting; a secret setting's value is never shown. */
  problem(name: string, allowed: string, received: string | undefined = this.text(name)): void {
    const shown = this.spec(name).secret ? "a secret value (not shown)" : showValue(received);
    this.problems.push(`${configKey(name)}: received ${shown}; allowed: ${allowed}`);
  }

  /**
   * The text of a setting that must be a usable string: unset is fine unless the setting is
   * required (then it is a problem); empty and control characters are problems.
   */
  private present(name: string, allowed: string): string | undefined {
    const spec = this.spec(name);
    const value = this.text(name);
    if (value === undefined) {
      if (spec.required) this.problem(name, `${allowed} (required)`, undefined);
      return undefined;
    }
    if (value === "" || CONTROL.test(value)) {
      const unset = spec.whenUnset
        ? `; or leave ${configKey(name)} unset for ${spec.whenUnset}`
        : "";
      this.problem(name, `${allowed}${unset}`, value);
      return undefined;
    }
    return value;
  }

  /**
   * A string setting checked against `rule`; `fallback` when unset.
   * @returns undefined when unset with no fallback, or invalid (a problem is recorded)
   */
  string(name: string, rule: ValueRule, fallback?: string): string | undefined {
    const value = this.present(name, rule.allowed);
    if (value === undefined) return this.isUnset(name) ? fallback : undefined;
    if (rule.test(value)) return value;
    this.problem(name, rule.allowed, value);
    return undefined;
  }

  /** A string setting that must be one of `choices`. */
  oneOf<T extends string>(name: string, choices: readonly T[]): T | undefined {
    const allowed = `one of ${choices.join(", ")}`;
    const value = this.present(name, allowed);
    if (value === undefined) return undefined;
    if ((choices as readonly string[]).includes(value)) return value as T;
    this.problem(name, allowed, value);
    return undefined;
  }

  /** A whole number in `[min, max]`, written in decimal digits. */
  integer(name: string, min: number, max: number): number | undefined {
    const allowed = `a whole number from ${min} to ${max}`;
    const value = this.present(name, allowed);
    if (value === undefined) return undefined;
    if (/^[+-]?\d{1,16}$/.test(value)) {
      const n = Number(value);
      if (n >= min && n <= max) return n === 0 ? 0 : n;
    }
    this.problem(name, allowed, value);
    return undefined;
  }

  /** A boolean, written `true` or `false`. */
  boolean(name: string): boolean | undefined {
    const value = this.present(name, "true or false");
    if (value === undefined) return undefined;
    if (value === "true" || value === "false") return value === "true";
    this.problem(name, "true or false", value);
    return undefined;
  }

  /** A list of strings (JSON, as Pulumi passes lists); unset is an empty list. */
  stringList(name: string): string[] | undefined {
    const allowed = "a list of strings";
    if (this.isUnset(name) && this.text(name) === undefined) return [];
    const value = this.present(name, allowed);
    if (value === undefined) return undefined;
    const parsed = parseJson(value);
    if (Array.isArray(parsed) && parsed.every((v) => typeof v === "string")) return parsed;
    this.problem(name, allowed, value);
    return undefined;
  }

  /**
   * A map of names to string values (JSON, as Pulumi passes maps); unset is an empty map.
   * Each non-string value is a problem of its own, naming the variable.
   */
  stringMap(name: string): Record<string, string> | undefined {
    const allowed = "a map of NAME: string value";
    if (this.isUnset(name) && this.text(name) === undefined) return {};
    const value = this.present(name, allowed);
    if (value === undefined) return undefined;
    const parsed = parseJson(value);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      this.problem(name, allowed, value);
      return undefined;
    }
    let ok = true;
    for (const [key, v] of Object.entries(parsed)) {
      if (typeof v === "string") continue;
      ok = false;
      const shown = this.spec(name).secret ? "a value that is not a string" : JSON.stringify(v);
      this.problems.push(
        `${configKey(name)}: received ${shown} for ${JSON.stringify(key)}; allowed: a string value (quote it in the stack file)`,
      );
    }
    return ok ? (parsed as Record<string, string>) : undefined;
  }

  /** Whether the stack leaves a setting unset (its default, if any, then applies). */
  isUnset(name: string): boolean {
    return this.raw[name] === undefined;
  }

  /**
   * Whether the stack sets a setting to something other than its default. Pulumi hands a
   * program the declared defaults as if the stack had set them, so a value equal to the
   * default cannot be told apart from none.
   */
  isCustomised(name: string): boolean {
    const value = this.raw[name];
    const fallback = this.spec(name).default;
    if (value === undefined) return false;
    if (fallback === undefined) return true;
    return value !== (typeof fallback === "string" ? fallback : JSON.stringify(fallback));
  }

  private spec(name: string): SettingSpec {
    const spec = this.specs[name];
    if (spec === undefined) throw new Error(`internal error: no setting named ${name}`);
    return spec;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
