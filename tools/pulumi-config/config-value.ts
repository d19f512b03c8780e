import { fingerprint } from "../../components/core/fingerprint";

/**
 * Config values as the Pulumi CLI stores them (pulumi/pulumi
 * `sdk/go/common/resource/config/object.go`, `MarshalString`): a top-level scalar becomes its
 * text (its YAML type is lost: `1` and `"1"` are both "1", and null is ""), a list or map is
 * stored as JSON and marked an object, and `{secure: <string>}` marks a secret.
 */

/**
 * What stands in for a `secure:` value that cannot be decrypted without the Pulumi CLI:
 * `[secret <digest>]`, the digest of its ciphertext, so that a rotated secret (a new
 * ciphertext) shows as a change in the offline diff, while the value itself stays unknown.
 */
export function secretPlaceholder(ciphertext: string): string {
  return `[secret ${fingerprint(ciphertext).slice(0, 8)}]`;
}

/** One stored config value. */
export interface ConfigValue {
  /** The text a program receives (JSON for objects). */
  readonly text: string;
  /** Whether it is, or contains, a `secure:` value. */
  readonly secure: boolean;
  /** Whether it is a list or map (stored as JSON). */
  readonly object: boolean;
}

/** Whether a YAML value is a `secure:` marker: a map with exactly one key, `secure`, a string. */
function isSecure(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && typeof (value as { secure?: unknown }).secure === "string";
}

const ciphertextOf = (value: unknown): string => (value as { secure: string }).secure;

/** A scalar's text, as Go's JSON encoding writes it (what the CLI stores). */
function scalarText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/** Replaces `secure:` leaves with the placeholder; reports whether there was one. */
function redact(value: unknown): { value: unknown; secure: boolean } {
  if (isSecure(value)) return { value: secretPlaceholder(ciphertextOf(value)), secure: true };
  if (Array.isArray(value)) {
    const items = value.map(redact);
    return { value: items.map((i) => i.value), secure: items.some((i) => i.secure) };
  }
  if (typeof value === "object" && value !== null && !(value instanceof Date)) {
    const entries = Object.entries(value).map(([k, v]) => [k, redact(v)] as const);
    return {
      value: Object.fromEntries(entries.map(([k, v]) => [k, v.value])),
      secure: entries.some(([, v]) => v.secure),
    };
  }
  return { value, secure: false };
}

/** Stores one value of a stack file as the CLI would. */
export function stackConfigValue(raw: unknown): ConfigValue {
  if (isSecure(raw))
    return { text: secretPlaceholder(ciphertextOf(raw)), secure: true, object: false };
  if (Array.isArray(raw) || (typeof raw === "object" && raw !== null && !(raw instanceof Date))) {
    const { value, secure } = redact(raw);
    return { text: JSON.stringify(value), secure, object: true };
  }
  return { text: scalarText(raw), secure: false, object: false };
}

/**
 * Stores a project default as the CLI applies it (`createConfigValue`): strings, integers and
 * booleans as their text, anything else as a JSON object.
 */
export function defaultConfigValue(raw: unknown): ConfigValue {
  if (typeof raw === "string" || typeof raw === "boolean" || Number.isInteger(raw))
    return { text: String(raw), secure: false, object: false };
  return { text: JSON.stringify(raw), secure: false, object: true };
}

/** The value the CLI's type check sees: the text, or the parsed JSON of an object. */
export function checkedContent(value: ConfigValue): unknown {
  return value.object ? (JSON.parse(value.text) as unknown) : value.text;
}
