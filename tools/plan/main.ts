// `npm run plan`: what a stack would build, and every policy result, without a cloud account or
// the Pulumi CLI. Runs the real stack program under Pulumi's mock runtime.
import { planCommand } from "./plan-command";

// npm runs scripts from the package root, where Pulumi.yaml and the stack files live.
void planCommand(process.argv.slice(2), process.cwd()).then((outcome) => {
  process.stdout.write(outcome.stdout);
  process.stderr.write(outcome.stderr);
  process.exitCode = outcome.code;
});
