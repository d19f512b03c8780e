// `npm run plan`: what a stack would build, and every policy result, without a cloud account or
// the Pulumi CLI. Runs the real stack program under Pulumi's mock runtime.
import { ConfigError } from "../../components/core/config/config-error";
import { PulumiConfigError, StackFileError, UnknownStackError } from "../stack-file";
import { BaseVersionError } from "./base-version";
import { PlanArgsError, parsePlanArgs, USAGE } from "./plan-args";
import { runPlan } from "./run-plan";

/**
 * Exit codes: 0 clean or advisory only, 1 a mandatory violation, 2 bad config, stack file or
 * arguments, 3 an unexpected failure.
 */
async function main(argv: readonly string[]): Promise<number> {
  try {
    const args = parsePlanArgs(argv);
    if (args === "help") {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    // npm runs scripts from the package root, where Pulumi.yaml and the stack files live.
    const plan = await runPlan(args.stack, process.cwd(), args.base);
    process.stdout.write(
      args.json ? `${JSON.stringify(plan.document, null, 2)}\n` : `${plan.text.join("\n")}\n`,
    );
    return plan.document.violations.some((v) => v.level === "mandatory") ? 1 : 0;
  } catch (e) {
    if (
      e instanceof ConfigError ||
      e instanceof UnknownStackError ||
      e instanceof StackFileError ||
      e instanceof PulumiConfigError ||
      e instanceof PlanArgsError ||
      e instanceof BaseVersionError
    ) {
      process.stderr.write(`${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(
      `plan failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    process.exitCode = 3;
  },
);
