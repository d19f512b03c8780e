import { evaluate, PackConfig, Violation } from "../../policies/evaluate";
import { checkTransition, cutoverKeepsOldColour } from "../../policies/rules/blue-green";
import { StackOutputs } from "../../components/core/stack-outputs";
import { MockStackRun } from "../mock-stack";
import { stackSubject, subjectsFromRecorded } from "../policy-subjects";

/** A policy result in the plan (the `violations` of `--json`); `urn` is null for stack-wide ones. */
export type PlanViolation = Omit<Violation, "urn"> & { readonly urn: string | null };

const toPlan = (v: Violation): PlanViolation => ({ ...v, urn: v.urn ?? null });

/** Evaluates every Phoenix policy on a mock run's resources and stack outputs. */
export async function evaluatePolicies(
  run: MockStackRun<StackOutputs>,
  root: { urn: string; name: string },
  packConfig: PackConfig = {},
): Promise<PlanViolation[]> {
  const stack = await stackSubject(root.urn, root.name, { ...run.result });
  return evaluate([stack, ...subjectsFromRecorded(run.resources)], packConfig).map(toPlan);
}

/** The cutover rule across two versions of a stack: the base's run and this one. */
export function transitionViolations(
  previous: MockStackRun<StackOutputs>,
  next: MockStackRun<StackOutputs>,
): PlanViolation[] {
  return checkTransition(
    subjectsFromRecorded(previous.resources),
    subjectsFromRecorded(next.resources),
  ).map((v) =>
    toPlan({
      policy: cutoverKeepsOldColour.name,
      level: cutoverKeepsOldColour.enforcementLevel,
      urn: v.urn,
      message: v.message,
    }),
  );
}
