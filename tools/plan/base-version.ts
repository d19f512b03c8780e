import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** Thrown when git cannot show the base version asked for. */
export class BaseVersionError extends Error {
  /** @param ref the ref asked for; @param reason git's complaint */
  constructor(ref: string, reason: string) {
    super(`--base received ${JSON.stringify(ref)}, which git cannot show: ${reason.trim()}`);
    this.name = "BaseVersionError";
  }
}

function show(projectDir: string, ref: string, file: string): string | undefined {
  try {
    return execFileSync("git", ["-C", projectDir, "show", `${ref}:./${file}`], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (e) {
    const stderr = String((e as { stderr?: unknown }).stderr ?? e);
    // A file that did not exist then is an answer, not an error: the stack is new.
    if (/does not exist in|exists on disk, but not in/.test(stderr)) return undefined;
    throw new BaseVersionError(ref, stderr);
  }
}

/**
 * Writes `Pulumi.yaml` and `Pulumi.<stack>.yaml` as they were at a git ref into a fresh
 * directory, for planning the base version. Undefined when the stack had no file then.
 *
 * @throws BaseVersionError when git does not know the ref
 */
export function checkoutStackFiles(
  projectDir: string,
  ref: string,
  stack: string,
): string | undefined {
  const project = show(projectDir, ref, "Pulumi.yaml");
  const stackFile = show(projectDir, ref, `Pulumi.${stack}.yaml`);
  if (project === undefined || stackFile === undefined) return undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "phoenix-base-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), project);
  fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), stackFile);
  return dir;
}
