import { ChildProcess, execFileSync, spawn } from "child_process";

/** Every process the harness started and has not seen exit, by PID. */
const running = new Map<number, ChildProcess>();

/** Starts a process the harness will stop by PID, whatever happens to the test. */
export function startProcess(command: string, args: readonly string[]): ChildProcess {
  const child = spawn(command, [...args], { stdio: ["ignore", "pipe", "pipe"] });
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  const pid = child.pid;
  running.set(pid, child);
  child.on("exit", () => running.delete(pid));
  return child;
}

/** Waits for a process to exit, up to `ms`; true if it did. */
export function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Kills every process still running (SIGKILL, by PID) and returns the PIDs it had to kill. */
export async function stopAll(): Promise<number[]> {
  const pids = [...running.keys()];
  for (const [pid, child] of running) {
    child.kill("SIGKILL");
    await exited(child, 5000);
    running.delete(pid);
  }
  return pids;
}

/** Runs a command to completion and returns its stdout; throws with its stderr on failure. */
export function run(command: string, args: readonly string[]): string {
  try {
    return execFileSync(command, [...args], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (e) {
    const stderr = String((e as { stderr?: unknown }).stderr ?? "");
    throw new Error(`${command} ${args.join(" ")} failed: ${stderr.trim() || String(e)}`);
  }
}
