/** What an environment variable name may look like: a portable shell identifier. */
export const ENVIRONMENT_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Throws unless `name` is a valid environment variable name.
 *
 * The stack config validator checks names too; this is the last line of defence, because a bad
 * name would make systemd silently drop the assignment (or, sourced by a shell, run code).
 *
 * @param name the variable name
 * @throws Error naming the key received and what is allowed
 */
export function assertEnvironmentName(name: string): void {
  if (!ENVIRONMENT_NAME_PATTERN.test(name)) {
    throw new Error(
      `Invalid environment variable name ${JSON.stringify(name)}: ` +
        `a name must match ${String(ENVIRONMENT_NAME_PATTERN)}`,
    );
  }
}

// Lone UTF-16 surrogates cannot be encoded as UTF-8; systemd ignores assignments with invalid
// UTF-8. In a `u` regex, a well-formed surrogate pair is one code point and does not match.
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Quotes one value so that systemd's `EnvironmentFile=` parser and a POSIX shell's `.` both read
 * back exactly `value`.
 *
 * Inside double quotes both unescape `\"`, `\\`, `` \` `` and `\$`, keep any other backslash
 * literally and keep a raw newline as part of the value; single quotes are not an option, as
 * systemd has no way to escape a `'` inside them. Neither expands `$` once it is escaped.
 *
 * @param value the value, verbatim
 * @returns the value in double quotes
 * @throws Error if the value holds a NUL character or a lone surrogate, which no environment can
 *   carry; the message does not echo the value, which may be a secret
 */
export function quoteEnvironmentValue(value: string): string {
  if (value.includes("\0")) {
    throw new Error("Invalid environment value: it contains a NUL character");
  }
  if (LONE_SURROGATE.test(value)) {
    throw new Error("Invalid environment value: it contains a lone UTF-16 surrogate");
  }
  return `"${value.replace(/["\\`$]/g, (c) => `\\${c}`)}"`;
}

/**
 * Renders an environment file that is valid both as a systemd `EnvironmentFile=` and for POSIX
 * shell sourcing (`set -a; . file`): one `NAME="value"` line per variable, sorted by name so the
 * output (and thus the user data, and thus the server) only changes when a value does.
 *
 * @param environment variable names and values
 * @returns the file content, ending in a newline (empty for no variables)
 * @throws Error naming the first invalid key; or for a value no environment can hold
 */
export function renderEnvironmentFile(environment: Readonly<Record<string, string>>): string {
  const names = Object.keys(environment).sort();
  const lines = names.map((name) => {
    assertEnvironmentName(name);
    const value = environment[name];
    if (typeof value !== "string") {
      throw new Error(`Invalid environment value for ${name}: expected a string`);
    }
    try {
      return `${name}=${quoteEnvironmentValue(value)}\n`;
    } catch (e) {
      throw new Error(`${(e as Error).message} (variable ${name})`);
    }
  });
  return lines.join("");
}
