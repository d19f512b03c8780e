/** What `npm run plan` was asked to do. */
export interface PlanArgs {
  /** The program whose stack to plan: `phoenix` (the default), or another program's name. */
  readonly program: string;
  /** The stack whose `Pulumi.<stack>.yaml` to plan. */
  readonly stack: string;
  /** Print one JSON document instead of the tree. */
  readonly json: boolean;
  /** A git ref whose version of the stack to compare with (the cutover rule across versions). */
  readonly base: string | undefined;
}

/** Usage text, printed with argument errors and `--help`. */
export const USAGE =
  "usage: npm run plan -- [--program <phoenix|delivery|edge>] [--stack <name>] [--json] [--base <git-ref>]   (default: the phoenix program's stack dev; --base is for phoenix stacks)";

/** Thrown for arguments the plan does not understand. */
export class PlanArgsError extends Error {
  /** @param message what was wrong */
  constructor(message: string) {
    super(`${message}\n${USAGE}`);
    this.name = "PlanArgsError";
  }
}

/**
 * Parses `--program <name>`, `--stack <name>` (or `--stack=<name>`), `--json` and `--base
 * <git-ref>`; the program defaults to `phoenix`, the stack to `dev`.
 */
export function parsePlanArgs(argv: readonly string[]): PlanArgs | "help" {
  let program = "phoenix";
  let stack = "dev";
  let json = false;
  let base: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--help" || arg === "-h") return "help";
    if (arg === "--json") json = true;
    else if (arg === "--stack" || arg === "-s") {
      const value = argv[++i];
      if (value === undefined || value.startsWith("-"))
        throw new PlanArgsError("--stack needs a stack name");
      stack = value;
    } else if (arg.startsWith("--stack=")) stack = arg.slice("--stack=".length);
    else if (arg === "--program") {
      const value = argv[++i];
      if (value === undefined || value.startsWith("-"))
        throw new PlanArgsError("--program needs a program name");
      program = value;
    } else if (arg === "--base") {
      base = argv[++i];
      if (base === undefined || base.startsWith("-"))
        throw new PlanArgsError("--base needs a git ref");
    } else throw new PlanArgsError(`unknown argument ${JSON.stringify(arg)}`);
  }
  if (!/^[A-Za-z0-9._-]+$/.test(stack)) {
    throw new PlanArgsError(
      `--stack received ${JSON.stringify(stack)}; allowed: letters, digits, ., _ and -`,
    );
  }
  return { program, stack, json, base };
}
