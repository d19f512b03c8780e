import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** A fresh temporary project directory holding the given files (name to text). */
export function projectDir(files: Readonly<Record<string, string>>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "phoenix-project-"));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}
