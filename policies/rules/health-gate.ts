import { factsOf } from "../facts";
import { PolicySubject, StackRule, StackViolation } from "../subject";

/** The options the probe script takes, each with a value. */
const PROBE_FLAGS = [
  "--url",
  "--successes",
  "--timeout",
  "--interval",
  "--request-timeout",
  "--servers",
  "--affinity-cookie",
  "--header",
  "--target-group",
  "--target-health",
  "--region",
];

/**
 * Splits a command line into words, as a POSIX shell would for the quoting Phoenix writes (bare
 * words and single quotes); undefined for anything else (operators, substitutions, double
 * quotes), which a gate command has no use for.
 */
export function shellWords(line: string): string[] | undefined {
  const words: string[] = [];
  const word = /\s*((?:[A-Za-z0-9_@%+=:,./-]+|'[^']*'|'\\'')+)/y;
  let match: RegExpExecArray | null;
  while ((match = word.exec(line)) !== null) {
    words.push((match[1] as string).replace(/'\\''/g, "'").replace(/'([^']*)'/g, "$1"));
    if (word.lastIndex === line.length) return words;
  }
  return line.trim() === "" ? words : undefined;
}

/** What is wrong with a probe command, or undefined when it only runs the probe. */
function probeProblem(command: string, servers: number): string | undefined {
  const words = shellWords(command);
  if (words === undefined || words[0] !== "bash" || !words[1]?.endsWith("health-probe.sh"))
    return "does more than run health-probe.sh (it could pass without probing)";
  const args = new Map<string, string>();
  for (let i = 2; i < words.length; i += 2) {
    const flag = words[i] as string;
    if (!PROBE_FLAGS.includes(flag) || words[i + 1] === undefined)
      return `passes ${JSON.stringify(flag)} to the probe, which it does not take`;
    args.set(flag, words[i + 1] as string);
  }
  if (!/^https?:\/\//.test(args.get("--url") ?? "")) return "probes no http(s) URL";
  const health = args.get("--target-health");
  if (health !== undefined && !/(^|\/)[a-z0-9-]*target-health\.sh$/.test(health))
    return `asks ${JSON.stringify(health)} for target health, which is no platform's target-health.sh`;
  if (Number(args.get("--successes") ?? "3") < 1) return "needs no successful answer";
  if (Number(args.get("--servers") ?? "1") !== servers)
    return `proves ${args.get("--servers") ?? "1"} server(s) where the colour has ${servers}`;
  return undefined;
}

/** The servers each colour has, from the server groups' intent. */
function serverCounts(subjects: readonly PolicySubject[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const g of subjects.filter((s) => factsOf(s.type)?.component === "serverGroup"))
    counts[String(g.props.colour)] = Number(g.props.count ?? 0);
  return counts;
}

/** The gate proves every server of exactly the colours that go live, and re-runs on any change. */
export const gateProvesWhatGoesLive: StackRule = {
  kind: "stack",
  name: "gate-proves-what-goes-live",
  description:
    "Each endpoint's health gate probes exactly the colours its live switch serves, proving " +
    "every server of each (their count), re-runs whenever anything that goes into them " +
    "changes (its triggers carry each colour's image and server fingerprint), and its probe " +
    "commands only run the health probe, so it cannot pass without probing.",
  enforcementLevel: "mandatory",
  check(subjects) {
    const counts = serverCounts(subjects);
    const violations: StackViolation[] = [];
    for (const endpoint of subjects.filter((s) => factsOf(s.type)?.component === "endpoint")) {
      const served = (endpoint.props.servedColours ?? [endpoint.props.liveColour]) as string[];
      const gate = subjects.find(
        (s) => s.parent === endpoint.urn && factsOf(s.type)?.component === "healthGate",
      );
      if (gate === undefined) {
        violations.push({ urn: endpoint.urn, message: `${endpoint.name} has no health gate` });
        continue;
      }
      const fail = (message: string) =>
        violations.push({ urn: gate.urn, message: `${gate.name} ${message}` });
      const targets = (gate.props.targets ?? []) as string[];
      if ([...targets].sort().join() !== [...served].sort().join())
        fail(
          `probes ${targets.join(", ") || "nothing"}, but the live endpoint serves ${served.join(", ")}`,
        );
      const triggers = ((gate.props.triggers ?? []) as unknown[]).map(String);
      for (const colour of served) {
        const group = subjects.find(
          (s) => factsOf(s.type)?.component === "serverGroup" && s.props.colour === colour,
        );
        const image = String(group?.props.image ?? "");
        if (!triggers.some((t) => t.startsWith(`${colour}=${image}@`)))
          fail(
            `does not re-run when ${colour}'s image changes (no trigger ${colour}=${image}@...)`,
          );
        if (!triggers.some((t) => t.startsWith(`${colour}.servers=`)))
          fail(
            `does not re-run when what goes into ${colour}'s servers changes (no trigger ${colour}.servers=...)`,
          );
        const servers = (gate.props.servers as Record<string, number> | undefined)?.[colour];
        if (servers !== counts[colour])
          fail(`proves ${servers ?? 0} of ${colour}'s ${counts[colour] ?? 0} servers`);
      }
      for (const probe of subjects.filter((s) => s.parent === gate.urn)) {
        const colour = probe.name.slice(gate.name.length + 1);
        const { create, update } = probe.props as { create?: unknown; update?: unknown };
        const problem =
          typeof create !== "string" || create !== update
            ? "runs a different command on update than on create"
            : probeProblem(create, counts[colour] ?? 1);
        if (problem) violations.push({ urn: probe.urn, message: `${probe.name} ${problem}` });
      }
    }
    return violations;
  },
};
