// Benchmark of the offline plan: wall time and heap per stack file, alone and as a diff against
// the committed version (`--base HEAD`: two more runs of the base), measured outside jest.
// Run: npm run bench:plan [-- <rounds>]
import { performance } from "perf_hooks";
import { PROJECT_DIR } from "../run-stack";
import { listStacks } from "../stack-file";
import { runPlan } from "../plan/run-plan";

async function measure(
  rounds: number,
  plan: () => Promise<unknown>,
): Promise<{ first: number; median: number }> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    await plan();
    times.push(performance.now() - start);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { first: times[0] ?? 0, median: sorted[Math.floor(sorted.length / 2)] ?? 0 };
}

async function main(rounds: number): Promise<void> {
  const cell = (n: number, width: number) => n.toFixed(0).padStart(width);
  console.log(
    `stack      resources  first run ms  median of ${rounds} ms  --base HEAD median ms  heap MiB`,
  );
  for (const stack of listStacks(PROJECT_DIR)) {
    const resources = (await runPlan(stack, PROJECT_DIR)).document.resources.length;
    const alone = await measure(rounds, () => runPlan(stack, PROJECT_DIR));
    const diff = await measure(rounds, () => runPlan(stack, PROJECT_DIR, "HEAD"));
    const heap = process.memoryUsage().heapUsed / 2 ** 20;
    console.log(
      `${stack.padEnd(10)} ${String(resources).padStart(9)}  ${cell(alone.first, 12)}  ${cell(alone.median, 14)}  ${cell(diff.median, 21)}  ${cell(heap, 8)}`,
    );
  }
}

void main(Number(process.argv[2] ?? 5));
