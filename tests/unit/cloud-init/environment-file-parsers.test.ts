// The environment file must mean the same to systemd's EnvironmentFile= parser and to a POSIX
// shell's `.`: both are run here on the rendered file, and every value must come back intact.
import * as fs from "fs";
import * as path from "path";
import { renderEnvironmentFile } from "../../../components/core/cloud-init/environment-file";
import { makeTempDir, requireFile, requireTool, runOk } from "./tools";
import { TRICKY_ENVIRONMENT } from "./tricky-environment";

let dir: string;
beforeEach(() => {
  dir = makeTempDir("envfile");
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Parses `env -0` output into a map. */
function parseEnvNul(output: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const entry of output.split("\0")) {
    const eq = entry.indexOf("=");
    if (eq > 0) vars.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  return vars;
}

function pick(vars: Map<string, string>, names: readonly string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = vars.get(name);
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}

describe.each([
  ["bash", "bash"],
  ["dash", "dash"],
])("sourced by %s with `set -a; . file`", (shell, debianPackage) => {
  it("yields every value unchanged", () => {
    const exe = requireTool(shell, debianPackage);
    const file = path.join(dir, "app.env");
    fs.writeFileSync(file, renderEnvironmentFile(TRICKY_ENVIRONMENT));
    // `env -0` prints what the shell exported, NUL-separated, so values may hold newlines.
    const out = runOk(exe, ["-c", 'set -a; . "$1"; exec env -0', "sh", file], {
      cleanEnv: { PATH: "/usr/bin:/bin" },
    });
    expect(pick(parseEnvNul(out), Object.keys(TRICKY_ENVIRONMENT))).toEqual(TRICKY_ENVIRONMENT);
  });
});

/**
 * Decodes a value as systemd's shell_maybe_quote() prints it: bare, or in double quotes with
 * backslash escapes (shell ones for `"\`$`, C ones for control characters).
 */
function decodeShellMaybeQuote(text: string): string {
  if (!text.startsWith('"')) return text;
  if (!text.endsWith('"') || text.length < 2) throw new Error(`unterminated: ${text}`);
  const c: Record<string, string> = {
    a: "\x07",
    b: "\b",
    f: "\f",
    n: "\n",
    r: "\r",
    t: "\t",
    v: "\v",
  };
  return text.slice(1, -1).replace(/\\([0-7]{3}|x[0-9a-fA-F]{2}|.)/gs, (_all, e: string) => {
    if (/^[0-7]{3}$/.test(e)) return String.fromCharCode(parseInt(e, 8));
    if (e.startsWith("x") && e.length === 3) return String.fromCharCode(parseInt(e.slice(1), 16));
    if ('"\\`$'.includes(e)) return e;
    const control = c[e];
    if (control === undefined) throw new Error(`unknown escape \\${e} in ${text}`);
    return control;
  });
}

describe("parsed by systemd", () => {
  // systemd-analyze cannot load an EnvironmentFile= and a container has no service manager to
  // start a unit with one. systemd's environment.d generator reads files with the very same
  // parser (parse_env_file_internal) and prints what it read, so it serves as the oracle. It then
  // expands `$VAR` (EnvironmentFile= does not) and drops empty values (EnvironmentFile= keeps
  // them), so values holding `$` or empty are left to the shell tests and the quoting table.
  const GENERATOR =
    "/usr/lib/systemd/user-environment-generators/30-systemd-environment-d-generator";
  const comparable = Object.fromEntries(
    Object.entries(TRICKY_ENVIRONMENT).filter(([, v]) => v !== "" && !v.includes("$")),
  );

  it("covers most of the tricky values", () => {
    expect(Object.keys(comparable).length).toBeGreaterThanOrEqual(
      Object.keys(TRICKY_ENVIRONMENT).length - 2,
    );
  });

  it("yields every value unchanged", () => {
    requireFile(GENERATOR, "systemd");
    const confDir = path.join(dir, "environment.d");
    fs.mkdirSync(confDir);
    fs.writeFileSync(path.join(confDir, "50-app.conf"), renderEnvironmentFile(comparable));
    const out = runOk(GENERATOR, [], {
      cleanEnv: { PATH: "/usr/bin:/bin", HOME: dir, XDG_CONFIG_HOME: dir },
    });
    const parsed: Record<string, string> = {};
    for (const line of out.split("\n")) {
      const eq = line.indexOf("=");
      const name = line.slice(0, eq);
      if (eq > 0 && name in comparable) parsed[name] = decodeShellMaybeQuote(line.slice(eq + 1));
    }
    expect(parsed).toEqual(comparable);
  });
});
