import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** What a finished command left behind. */
export interface RunResult {
  /** Exit status; null when killed by a signal. */
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link run}. */
export interface RunOptions {
  /** Extra environment variables on top of this process's environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** Replace the environment entirely instead. */
  readonly cleanEnv?: Readonly<Record<string, string>>;
  readonly input?: string;
  readonly cwd?: string;
  /** @default 30000 */
  readonly timeoutMs?: number;
}

/**
 * Runs a command without a shell and returns its exit status and output as text.
 *
 * @param command the program
 * @param args its arguments
 * @param options environment, stdin, working directory and time limit
 * @returns status, stdout and stderr
 */
export function run(command: string, args: readonly string[], options: RunOptions = {}): RunResult {
  const result = spawnSync(command, args, {
    encoding: "utf8",
    env: options.cleanEnv ?? { ...process.env, ...options.env },
    input: options.input,
    cwd: options.cwd,
    timeout: options.timeoutMs ?? 30000,
  });
  if (result.error) {
    throw new Error(`${command} ${args.join(" ")} could not run: ${result.error.message}`);
  }
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Runs a command that must succeed.
 *
 * @returns its stdout
 * @throws Error with the command, status and both outputs otherwise
 */
export function runOk(command: string, args: readonly string[], options: RunOptions = {}): string {
  const r = run(command, args, options);
  if (r.status !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} exited ${String(r.status)}\n` +
        `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`,
    );
  }
  return r.stdout;
}

/**
 * Fails (never skips) when a tool the tests need is missing, naming the Debian package that
 * ships it, so that a machine without it cannot pass by accident.
 *
 * @param command the program, looked up in PATH (plus the sbin directories)
 * @param debianPackage the package `.ci/run` must install
 * @returns the program's absolute path
 */
export function requireTool(command: string, debianPackage: string): string {
  const dirs = [...(process.env.PATH ?? "").split(":"), "/usr/sbin", "/sbin"];
  for (const dir of dirs) {
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new Error(`${command} not found: install it with \`apt-get install -y ${debianPackage}\``);
}

/**
 * Like {@link requireTool}, for a program at a fixed path.
 *
 * @param file absolute path of the program
 * @param debianPackage the package `.ci/run` must install
 * @returns `file`
 */
export function requireFile(file: string, debianPackage: string): string {
  if (!fs.existsSync(file)) {
    throw new Error(`${file} not found: install it with \`apt-get install -y ${debianPackage}\``);
  }
  return file;
}

/**
 * @param prefix a short name for the directory
 * @returns a new empty directory under the system temp directory
 */
export function makeTempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `phoenix-${prefix}-`));
}
