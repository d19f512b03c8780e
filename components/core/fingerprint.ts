import { createHash } from "crypto";

/** JSON with object keys sorted, so equal values always serialise alike. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * A short, stable digest of a value (SHA-256 of its canonical JSON, first 16 hex digits): the
 * same whenever the value is the same. Servers report everything that goes into them this way,
 * so the gate re-runs, and the record notices, when any of it changes.
 */
export function fingerprint(value: unknown): string {
  return createHash("sha256").update(canonical(value)).digest("hex").slice(0, 16);
}
