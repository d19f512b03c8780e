import * as fs from "fs";
import * as path from "path";
import { ROOT, run, tempDir } from "./fixtures";

/** The committed stack files, by stack name. */
export const STACKS = fs
  .readdirSync(ROOT)
  .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
  .filter((s): s is string => s !== undefined)
  .sort();

/** A temporary copy of the committed stack files (and nothing else). */
export function copyStacks(): string {
  const dir = tempDir("stacks");
  for (const stack of STACKS) {
    fs.copyFileSync(
      path.join(ROOT, `Pulumi.${stack}.yaml`),
      path.join(dir, `Pulumi.${stack}.yaml`),
    );
  }
  return dir;
}

/** The committed text of a stack file. */
export function committed(stack: string): string {
  return fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8");
}

/**
 * The changed lines between two texts, as `diff -U0` (diffutils) prints them, without the file
 * header: `@@` lines, then `-` and `+` lines.
 */
export function diffLines(before: string, after: string): string[] {
  const dir = tempDir("diff");
  fs.writeFileSync(path.join(dir, "before"), before);
  fs.writeFileSync(path.join(dir, "after"), after);
  const result = run("diff", ["-U0", path.join(dir, "before"), path.join(dir, "after")]);
  fs.rmSync(dir, { recursive: true });
  return result.output
    .split("\n")
    .filter((l) => l !== "" && !l.startsWith("---") && !l.startsWith("+++"));
}
