// `npx ts-node --transpile-only tools/release/set-image.ts`: gives a release's image to the
// non-live colour of stacks, never the live one (usage: set-image-command.ts).
import { setImageCommand } from "./set-image-command";

const outcome = setImageCommand(process.argv.slice(2), process.cwd());
process.stdout.write(outcome.stdout);
process.stderr.write(outcome.stderr);
process.exitCode = outcome.code;
