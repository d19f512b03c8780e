import { evaluate, PackConfig, Violation } from "../../policies/evaluate";
import { StackOutputs } from "../../stacks/outputs";
import { MockStackRun } from "../mock-stack";
import { stackSubject, subjectsFromRecorded } from "../policy-subjects";

/** A policy result in the plan (the `violations` of `--json`). */
export type PlanViolation = Violation;

/** Evaluates every Phoenix policy on a mock run's resources and stack outputs. */
export async function evaluatePolicies(
  run: MockStackRun<StackOutputs>,
  root: { urn: string; name: string },
  packConfig: PackConfig = {},
): Promise<PlanViolation[]> {
  const stack = await stackSubject(root.urn, root.name, { ...run.result });
  return evaluate([stack, ...subjectsFromRecorded(run.resources)], packConfig);
}
