// `npx ts-node --transpile-only tools/release/image-builds.ts <service> [dir]`: prints, as a
// GitHub Actions matrix ({"include": [...]}), the image builds a release of the service needs:
// one per platform with a stack of it, placed in its stacks' regions.
import { imageBuilds } from "./build-matrix";
import { readStackFiles } from "./stack-files";

const [service, dir = "."] = process.argv.slice(2);
if (service === undefined || service === "") {
  process.stderr.write(
    "image-builds: received no service; allowed: a phoenix:service, e.g. shop\n",
  );
  process.exitCode = 2;
} else {
  process.stdout.write(
    `${JSON.stringify({ include: imageBuilds(readStackFiles(dir), service) })}\n`,
  );
}
