// Benchmark of the offline plan: wall time and heap per stack file, measured outside jest.
// Run: npm run bench:plan [-- <rounds>]
import { performance } from "perf_hooks";
import { PROJECT_DIR } from "../run-stack";
import { listStacks } from "../stack-file";
import { runPlan } from "../plan/run-plan";

async function main(rounds: number): Promise<void> {
  console.log(`stack      resources  first run ms  median of ${rounds} ms  heap MiB`);
  for (const stack of listStacks(PROJECT_DIR)) {
    const times: number[] = [];
    let resources = 0;
    for (let i = 0; i < rounds; i++) {
      const start = performance.now();
      const plan = await runPlan(stack, PROJECT_DIR);
      times.push(performance.now() - start);
      resources = plan.document.resources.length;
    }
    const sorted = [...times].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    const heap = process.memoryUsage().heapUsed / 2 ** 20;
    console.log(
      `${stack.padEnd(10)} ${String(resources).padStart(9)}  ${(times[0] ?? 0).toFixed(0).padStart(12)}  ${median.toFixed(0).padStart(14)}  ${heap.toFixed(0).padStart(8)}`,
    );
  }
}

void main(Number(process.argv[2] ?? 5));
