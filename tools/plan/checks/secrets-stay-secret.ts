import { MockStackRun, unwrap } from "../../mock-stack";
import { PlanViolation } from "../policy-results";
import * as pulumi from "@pulumi/pulumi";

/** The name the plan reports this check under. */
export const SECRETS_STAY_SECRET = "secrets-stay-secret";

/** Shorter values are too common to tell apart from plain text that happens to match. */
const MIN_LENGTH = 6;

/** The leaf strings of a config value (JSON maps and lists are walked). */
function leaves(text: string): string[] {
  let value: unknown = text;
  try {
    value = JSON.parse(text);
  } catch {
    // a plain string
  }
  const walk = (v: unknown): string[] =>
    typeof v === "string"
      ? [v]
      : Array.isArray(v)
        ? v.flatMap(walk)
        : typeof v === "object" && v !== null
          ? Object.values(v).flatMap(walk)
          : [];
  return walk(value);
}

/**
 * Secret config values (the app's secrets, the provider's token) never leave the stack in
 * plain text: no stack output and no input that is not itself a Pulumi secret may contain
 * one. CrossGuard sees neither stack outputs nor which inputs are secret, so only the offline
 * plan can check this.
 *
 * @param secrets the stack's secret config values, by key (as the plan read them)
 */
export async function secretExposure(
  run: MockStackRun<unknown>,
  secrets: Readonly<Record<string, string>>,
  stackUrn: string,
): Promise<PlanViolation[]> {
  const atoms = Object.values(secrets)
    .flatMap(leaves)
    .filter((v) => v.length >= MIN_LENGTH);
  if (atoms.length === 0) return [];
  const found: PlanViolation[] = [];
  const report = (urn: string, where: string) =>
    found.push({
      policy: SECRETS_STAY_SECRET,
      level: "mandatory",
      urn,
      message: `${where} holds the value of a secret setting in plain text; keep it a Pulumi secret (pulumi.secret) end to end`,
    });
  const outputs = typeof run.result === "object" && run.result !== null ? run.result : {};
  for (const [name, value] of Object.entries(outputs)) {
    if (value === undefined) continue;
    const output = pulumi.output(value);
    if (await pulumi.isSecret(output)) continue;
    const text = JSON.stringify(await unwrap(output));
    if (atoms.some((a) => text.includes(a))) report(stackUrn, `the stack output ${name}`);
  }
  for (const r of run.resources) {
    for (const [input, value] of Object.entries(r.inputs)) {
      if (r.secretProps.includes(input)) continue;
      const text = JSON.stringify(value);
      if (text !== undefined && atoms.some((a) => text.includes(a)))
        report(r.urn, `${r.type} ${r.name}'s input ${input}`);
    }
  }
  return found;
}
