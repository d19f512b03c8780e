import { spawnSync } from "child_process";
import { generateKeyPairSync } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** The repository's root. */
export const ROOT = path.resolve(__dirname, "../..");

/** A fresh temporary directory. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `phoenix-${prefix}-`));
}

/** The unit a test app ships: what an app's release archive would carry. */
export const TEST_UNIT = [
  "[Unit]",
  "Description=Shop (test app)",
  "",
  "[Service]",
  "ExecStart=/opt/shop/bin/shop",
  "DynamicUser=yes",
  "",
  "[Install]",
  "WantedBy=multi-user.target",
  "",
].join("\n");

/**
 * Writes a release archive like an app's: `bin/shop` and, at the top level, the unit.
 *
 * @param dir where to write it
 * @param files extra or replacement members (path to content); a null content leaves one out
 * @returns the archive's path
 */
export function releaseArchive(
  dir: string,
  files: Readonly<Record<string, string | null>> = {},
): string {
  const tree = fs.mkdtempSync(path.join(dir, "tree-"));
  const members: Record<string, string | null> = {
    "bin/shop": "#!/bin/sh\nexec sleep infinity\n",
    "shop.service": TEST_UNIT,
    ...files,
  };
  for (const [name, content] of Object.entries(members)) {
    if (content === null) continue;
    fs.mkdirSync(path.dirname(path.join(tree, name)), { recursive: true });
    fs.writeFileSync(path.join(tree, name), content, { mode: 0o755 });
  }
  const archive = path.join(dir, `shop-${path.basename(tree)}.tar.gz`);
  const tar = spawnSync("tar", ["-czf", archive, "-C", tree, "."], { encoding: "utf8" });
  if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr}`);
  return archive;
}

/** Writes an RSA private key (PEM) for packer's SSH communicator settings to read. */
export function sshPrivateKey(dir: string): string {
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "pkcs1", format: "pem" },
  });
  const file = path.join(dir, "build-key");
  fs.writeFileSync(file, privateKey, { mode: 0o600 });
  return file;
}

/** A run of a real tool: its exit status and everything it printed. */
export interface ToolRun {
  /** Exit status (null if it was killed). */
  readonly status: number | null;
  /** Standard output and standard error, in that order. */
  readonly output: string;
}

/**
 * Runs a tool with only PATH, HOME and `env` in its environment (no cloud credentials leak in
 * from the machine running the tests), from the repository's root.
 *
 * @param input what the tool reads on standard input (nothing by default)
 */
export function run(
  command: string,
  args: readonly string[],
  env: Record<string, string> = {},
  input = "",
): ToolRun {
  const result = spawnSync(command, args, {
    cwd: ROOT,
    input,
    encoding: "utf8",
    timeout: 30_000,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/root", ...env },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
