import * as fs from "fs";
import * as path from "path";
import { StackSource } from "./release-plan";

/**
 * Reads every `Pulumi.<stack>.yaml` in a directory.
 *
 * @param dir the project directory
 * @returns the stack files, sorted by stack name
 */
export function readStackFiles(dir: string): StackSource[] {
  return fs
    .readdirSync(dir)
    .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined)
    .sort()
    .map((stack) => ({
      stack,
      text: fs.readFileSync(path.join(dir, stackFileName(stack)), "utf8"),
    }));
}

/** The file name of a stack's config: `Pulumi.<stack>.yaml`. */
export function stackFileName(stack: string): string {
  return `Pulumi.${stack}.yaml`;
}
