// Network namespaces for tests: a namespace per host, linked by veth pairs created directly
// inside the namespaces (`ip link add ... netns A type veth peer ... netns B`), so nothing is ever
// created in, moved through or changed in the host's own namespace. Each namespace name carries
// this process's PID, so parallel or leftover runs do not collide.
import { execFile, execFileSync } from "child_process";

/** The namespaces this process created and has not deleted. */
const created = new Set<string>();

/** Runs `ip netns exec <ns> <command...>`, which must succeed; returns its stdout. */
export function inNetns(ns: string, command: readonly string[], timeoutMs = 10000): string {
  return ipRun(["netns", "exec", ns, ...command], timeoutMs);
}

/** Runs `ip <args...>`, which must succeed; returns its stdout. */
export function ipRun(args: readonly string[], timeoutMs = 10000): string {
  try {
    return execFileSync("ip", [...args], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      timeout: timeoutMs,
    });
  } catch (e) {
    const stderr = String((e as { stderr?: unknown }).stderr ?? "").trim();
    throw new Error(`ip ${args.join(" ")} failed: ${stderr || String(e)}`);
  }
}

/**
 * Creates a namespace with its loopback up.
 *
 * @param name a name unique to this run (see {@link uniqueName})
 */
export function addNetns(name: string): void {
  ipRun(["netns", "add", name]);
  created.add(name);
  inNetns(name, ["ip", "link", "set", "lo", "up"]);
}

/**
 * Links two namespaces with a veth pair created in them directly and brings both ends up.
 *
 * @param a first namespace and its end's interface name (at most 15 characters)
 * @param b second namespace and its end's interface name
 */
export function linkNetns(a: { ns: string; dev: string }, b: { ns: string; dev: string }): void {
  ipRun(["link", "add", a.dev, "netns", a.ns, "type", "veth", "peer", b.dev, "netns", b.ns]);
  inNetns(a.ns, ["ip", "link", "set", a.dev, "up"]);
  inNetns(b.ns, ["ip", "link", "set", b.dev, "up"]);
}

/** `phx<pid>-<role>`: a namespace name unique to this process. */
export function uniqueName(role: string): string {
  return `phx${process.pid}-${role}`;
}

/**
 * Deletes every namespace this process created (their veth ends go with them). Processes still
 * inside must be stopped first: deleting a namespace does not end them.
 *
 * @returns the errors met, so the caller can report them after cleaning up all it could
 */
export function deleteAllNetns(): string[] {
  const errors: string[] = [];
  for (const name of created) {
    try {
      ipRun(["netns", "del", name]);
      created.delete(name);
    } catch (e) {
      errors.push(String(e));
    }
  }
  return errors;
}

/** The outcome of one command run without failing on its exit status. */
export interface Outcome {
  /** Exit status; null when killed for its time limit. */
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `ip netns exec <ns> <command...>` asynchronously and resolves with its outcome. */
export function tryInNetns(
  ns: string,
  command: readonly string[],
  timeoutMs = 10000,
): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      "ip",
      ["netns", "exec", ns, ...command],
      { encoding: "utf8", timeout: timeoutMs },
      (error, stdout, stderr) => {
        const code = (error as { code?: unknown } | null)?.code;
        resolve({
          status: error === null ? 0 : typeof code === "number" ? code : null,
          stdout,
          stderr,
        });
      },
    );
  });
}
