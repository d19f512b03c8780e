/**
 * What secrets look like, so that Phoenix can refuse them where they would sit in plain text
 * (a plain app variable) and the policies can find them in user data. Shapes, not proof: a
 * match means "treat this as a secret".
 */

/** Values that are secrets whatever their name, with what each is, for messages. */
export const SECRET_VALUE_SHAPES: ReadonlyArray<readonly [string, RegExp]> = [
  ["a private key", /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ["a cloud API token", /\bdop_v1_[0-9a-f]{20,}/],
  ["an access key ID", /\b(AKIA|ASIA)[0-9A-Z]{16}\b/],
  ["a signed token (JWT)", /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/],
  ["a URL with a password", /[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:[^\s@/]+@/i],
];

/**
 * Names of variables that hold secrets: ending in PASSWORD, SECRET, TOKEN, API_KEY and the like
 * (`GITHUB_TOKEN`, `DB_PASSWORD`), but not merely containing them (`TOKEN_TTL_SECONDS`).
 */
export const SECRET_NAME =
  /(^|_)(PASSWORD|PASSWD|PASSPHRASE|SECRET|SECRETS|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|SECRET_?KEY|CREDENTIALS?)$/i;

/**
 * A `NAME=value` or `NAME: value` assignment of a secret-named variable, inside a text; sudoers'
 * `NOPASSWD:` tag is no assignment.
 */
export const SECRET_ASSIGNMENT =
  /\b(?!NOPASSWD:)[A-Z0-9_]*(PASSWORD|PASSWD|TOKEN|SECRET|API_KEY|PRIVATE_KEY)[A-Z0-9_]*\s*[=:]\s*\S+/i;

/**
 * What a variable looks like when it looks like a secret, by its value or its name.
 *
 * @returns e.g. "a private key", "a password, token or key by its name"; undefined otherwise
 */
export function secretLook(name: string, value: string): string | undefined {
  const shape = SECRET_VALUE_SHAPES.find(([, pattern]) => pattern.test(value));
  if (shape) return shape[0];
  if (SECRET_NAME.test(name) && value.length > 0) return "a password, token or key by its name";
  return undefined;
}
