import { ConfigError } from "../../components/core/config/config-error";
import { PulumiConfigError, StackFileError, UnknownStackError } from "../stack-file";
import { BaseVersionError } from "./base-version";
import { PlanArgsError, parsePlanArgs, USAGE } from "./plan-args";
import { runPlan } from "./run-plan";
import { runProgramPlan } from "./run-program-plan";
import { PROGRAMS } from "../programs";
import { DeliveryConfigError } from "../../delivery/settings";
import { EdgeConfigError } from "../../edge/settings";

/** What `npm run plan` printed and how it exited. */
export interface PlanOutcome {
  /**
   * 0 clean or advisory only, 1 a mandatory violation, 2 bad config, stack file or arguments,
   * 3 an unexpected failure (a bug: every bad input must end in 2).
   */
  readonly code: 0 | 1 | 2 | 3;
  readonly stdout: string;
  readonly stderr: string;
}

/** The errors that are the user's input, not a fault of the plan: exit 2 with their message. */
const INPUT_ERRORS = [
  ConfigError,
  PulumiConfigError,
  UnknownStackError,
  StackFileError,
  PlanArgsError,
  BaseVersionError,
  DeliveryConfigError,
  EdgeConfigError,
];

/**
 * `npm run plan` as a function: parses the arguments, plans the stack of the project in `cwd`
 * and returns what the command prints and its exit code.
 */
export async function planCommand(argv: readonly string[], cwd: string): Promise<PlanOutcome> {
  try {
    const args = parsePlanArgs(argv);
    if (args === "help") return { code: 0, stdout: `${USAGE}\n`, stderr: "" };
    const program = PROGRAMS.find((p) => p.name === args.program);
    if (program === undefined)
      throw new PlanArgsError(
        `--program received ${JSON.stringify(args.program)}; allowed: ${PROGRAMS.map((p) => p.name).join(", ")}`,
      );
    if (program.name !== "phoenix" && args.base !== undefined)
      throw new PlanArgsError(
        `--base compares Phoenix stacks; the ${program.name} program has no offline diff`,
      );
    const plan =
      program.name === "phoenix"
        ? await runPlan(args.stack, cwd, args.base)
        : await runProgramPlan(program, args.stack, cwd);
    const stdout = args.json
      ? `${JSON.stringify(plan.document, null, 2)}\n`
      : `${plan.text.join("\n")}\n`;
    const mandatory = plan.document.violations.some((v) => v.level === "mandatory");
    return { code: mandatory ? 1 : 0, stdout, stderr: "" };
  } catch (e) {
    if (INPUT_ERRORS.some((type) => e instanceof type))
      return { code: 2, stdout: "", stderr: `${(e as Error).message}\n` };
    const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
    return { code: 3, stdout: "", stderr: `plan failed: ${detail}\n` };
  }
}
