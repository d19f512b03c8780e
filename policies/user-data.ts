import { parse } from "yaml";
import { gunzipSync } from "zlib";
import { inputAt, TypeFacts } from "../components/core/platform/resource-facts";

/** A `write_files` entry of a cloud-config. */
interface WrittenFile {
  readonly path?: unknown;
  readonly permissions?: unknown;
  readonly owner?: unknown;
  readonly content?: unknown;
}

/** The one place user data may carry secrets: a root-only environment file under /etc/phoenix. */
function isRootOnlyEnvFile(file: WrittenFile): boolean {
  return (
    typeof file.path === "string" &&
    /^\/etc\/phoenix\/[^/]+\.env$/.test(file.path) &&
    String(file.permissions) === "0600" &&
    (file.owner === undefined || file.owner === "root:root")
  );
}

/** A cloud-config's files and the rest of it; undefined for user data of another kind. */
function cloudConfig(userData: string): { files: WrittenFile[]; rest: object } | undefined {
  if (!userData.startsWith("#cloud-config")) return undefined;
  let doc: unknown;
  try {
    doc = parse(userData);
  } catch {
    return undefined;
  }
  if (typeof doc !== "object" || doc === null) return undefined;
  const { write_files: files, ...rest } = doc as { write_files?: unknown };
  return { files: Array.isArray(files) ? (files as WrittenFile[]) : [], rest };
}

/** The parts of user data that are not the root-only environment file, as text. */
export function exposedText(userData: string): string {
  const config = cloudConfig(userData);
  if (config === undefined) return userData;
  return JSON.stringify({
    ...config.rest,
    write_files: config.files.filter((f) => !isRootOnlyEnvFile(f)),
  });
}

/**
 * The app's environment as the root-only environment file in the user data sets it (values
 * unquoted as systemd reads them); undefined when the user data has no such file.
 */
export function appEnvironment(userData: string): Record<string, string> | undefined {
  const file = cloudConfig(userData)?.files.find(isRootOnlyEnvFile);
  if (file === undefined || typeof file.content !== "string") return undefined;
  const environment: Record<string, string> = {};
  for (const match of file.content.matchAll(/^([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"$/gm)) {
    environment[match[1] as string] = (match[2] as string).replace(/\\(.)/g, "$1");
  }
  return environment;
}

/**
 * A server's user data as text, decoded where the platform writes it base64; undefined when the
 * resource is no server or its user data is not a known string.
 */
export function userDataText(
  facts: TypeFacts | undefined,
  props: Readonly<Record<string, unknown>>,
): string | undefined {
  const server = facts?.server;
  const value = server && inputAt(props, server.userData);
  if (server === undefined || typeof value !== "string") return undefined;
  if (server.userDataEncoding === "base64") return Buffer.from(value, "base64").toString("utf8");
  if (server.userDataEncoding === "gzip+base64") {
    try {
      return gunzipSync(Buffer.from(value, "base64")).toString("utf8");
    } catch {
      return undefined;
    }
  }
  return value;
}
