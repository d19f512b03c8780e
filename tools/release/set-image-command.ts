import * as fs from "fs";
import * as path from "path";
import { setNonLiveImage } from "./non-live-image";
import { readPackerManifest, ReleaseImage } from "./packer-manifest";
import { pullRequestBody, pullRequestTitle } from "./pull-request-body";
import { ReleaseRefusal } from "./refusal";
import { planRelease } from "./release-plan";
import { readStackFiles, stackFileName } from "./stack-files";

/** What a run of the command printed and its exit code. */
export interface CommandOutcome {
  /** Exit code: 0 done, 1 refused, 2 bad usage. */
  readonly code: number;
  /** Standard output. */
  readonly stdout: string;
  /** Standard error. */
  readonly stderr: string;
}

/** How to call the command. */
export const USAGE = `Usage:
  set-image --stack <Pulumi.<stack>.yaml> --image <image>
      Sets the image of that stack's non-live colour.
  set-image --manifest <packer-manifest.json> [--manifest <file> ...] [--dir <dir>]
            [--body <file>] [--title <file>]
      Sets each image of a release on the non-live colour of every stack of its service and
      platform in <dir> (default: the current directory); writes the pull request's body (default:
      standard output) and title.
`;

interface Options {
  stack?: string;
  image?: string;
  manifests: string[];
  dir?: string;
  body?: string;
  title?: string;
}

function parseArgs(args: readonly string[]): Options | string {
  const options: Options = { manifests: [] };
  for (let i = 0; i < args.length; i += 2) {
    const [flag, value] = [args[i], args[i + 1]];
    if (value === undefined || value.startsWith("--")) return `${flag}: received no value`;
    if (flag === "--manifest") options.manifests.push(value);
    else if (
      flag === "--stack" ||
      flag === "--image" ||
      flag === "--dir" ||
      flag === "--body" ||
      flag === "--title"
    ) {
      if (options[flag.slice(2) as "stack"] !== undefined) return `${flag}: given twice`;
      options[flag.slice(2) as "stack"] = value;
    } else
      return `${String(flag)}: received an unknown option; allowed: --stack, --image, --manifest, --dir, --body, --title`;
  }
  const single = options.stack !== undefined || options.image !== undefined;
  if (single && options.manifests.length > 0)
    return "--stack/--image and --manifest: given both; allowed: one or the other";
  if (single && (options.stack === undefined || options.image === undefined))
    return "--stack and --image: allowed only together";
  if (!single && options.manifests.length === 0) return "received no --stack/--image or --manifest";
  return options;
}

function oneStack(file: string, image: string): CommandOutcome {
  const change = setNonLiveImage(fs.readFileSync(file, "utf8"), image);
  const name = path.basename(file);
  if (!change.changed) {
    return { code: 0, stdout: `${name}: ${change.key} is already ${image}\n`, stderr: "" };
  }
  fs.writeFileSync(file, change.text);
  const before = change.previous ?? "unset";
  return {
    code: 0,
    stdout: `${name}: ${change.key} ${before} -> ${image} (${change.facts.live} is live and untouched)\n`,
    stderr: "",
  };
}

function release(options: Options, cwd: string): CommandOutcome {
  const images: ReleaseImage[] = options.manifests.flatMap((file) =>
    readPackerManifest(fs.readFileSync(path.resolve(cwd, file), "utf8"), file),
  );
  const dir = path.resolve(cwd, options.dir ?? ".");
  const plan = planRelease(images, readStackFiles(dir));
  for (const outcome of plan.outcomes) {
    if (outcome.status === "set")
      fs.writeFileSync(path.join(dir, stackFileName(outcome.stack)), outcome.text);
  }
  const body = pullRequestBody(plan);
  if (options.title !== undefined)
    fs.writeFileSync(path.resolve(cwd, options.title), `${pullRequestTitle(plan)}\n`);
  if (options.body !== undefined) fs.writeFileSync(path.resolve(cwd, options.body), body);
  const summary = plan.outcomes
    .map((o) =>
      o.status === "refused"
        ? `${o.stack}: not changed: ${o.reason}`
        : `${o.stack}: ${o.key} ${o.status === "set" ? "set to" : "already"} ${o.image}`,
    )
    .join("\n");
  return { code: 0, stdout: options.body === undefined ? body : `${summary}\n`, stderr: "" };
}

/**
 * Runs `set-image` (tools/release/set-image.ts).
 *
 * @param args the command-line arguments
 * @param cwd the directory relative paths are resolved from
 * @returns what to print and the exit code; refusals name the setting, the value received and what
 *   is allowed, and leave every file as it was
 */
export function setImageCommand(args: readonly string[], cwd: string): CommandOutcome {
  const options = parseArgs(args);
  if (typeof options === "string")
    return { code: 2, stdout: "", stderr: `set-image: ${options}\n${USAGE}` };
  try {
    if (options.stack !== undefined && options.image !== undefined) {
      return oneStack(path.resolve(cwd, options.stack), options.image);
    }
    return release(options, cwd);
  } catch (e) {
    if (e instanceof ReleaseRefusal || (e as NodeJS.ErrnoException).code === "ENOENT") {
      return { code: 1, stdout: "", stderr: `set-image: ${(e as Error).message}\n` };
    }
    throw e;
  }
}
