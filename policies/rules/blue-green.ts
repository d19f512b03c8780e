import { colourTagged, factsOf } from "../facts";
import { PolicySubject, StackRule, StackViolation } from "../subject";

type Weights = Readonly<Record<string, number>>;

/** Servers per colour, from the server groups' registered intent. */
function serversPerColour(subjects: readonly PolicySubject[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const g of subjects.filter((s) => factsOf(s.type)?.component === "serverGroup")) {
    const colour = String(g.props.colour);
    counts[colour] = (counts[colour] ?? 0) + Number(g.props.count ?? 0);
  }
  return counts;
}

/** Each endpoint component's intent: the colours it sends live traffic to, with weights. */
function endpoints(
  subjects: readonly PolicySubject[],
): { subject: PolicySubject; weights: Weights }[] {
  return subjects
    .filter((s) => factsOf(s.type)?.component === "endpoint")
    .map((s) => ({
      subject: s,
      weights:
        typeof s.props.weights === "object" && s.props.weights !== null
          ? (s.props.weights as Weights)
          : { [String(s.props.liveColour)]: 100 },
    }));
}

/**
 * The resource an endpoint component declares, in its registered intent (`liveSwitch`), as the
 * one that moves live traffic: its child of that name. Undefined when it declares none or does
 * not register it, which live-switch-gated reports.
 */
export function liveSwitchOf(
  endpoint: PolicySubject,
  subjects: readonly PolicySubject[],
): PolicySubject | undefined {
  const name = endpoint.props.liveSwitch;
  return subjects.find((s) => s.parent === endpoint.urn && s.name === name);
}

/** The colours of the servers a live switch sends traffic to (by their colour tags). */
function servedColours(
  liveSwitch: PolicySubject,
  byUrn: ReadonlyMap<string, PolicySubject>,
): { targets: number; colours: string[] } {
  const refs = factsOf(liveSwitch.type)?.serverRefs ?? [];
  const targets = refs.flatMap((r) => liveSwitch.propertyDependencies[r] ?? []);
  const colours = targets.flatMap((u) => {
    // A server, or a colour's group of servers (e.g. a target group), by its colour tag.
    const target = byUrn.get(u);
    const facts = target && factsOf(target.type);
    if (!target || !(facts?.server || colourTagged(target.type, target.props))) return [];
    return [facts?.tags?.read(target.props).colour ?? "none"];
  });
  return { targets: targets.length, colours: [...new Set(colours)].sort() };
}

const live = (w: Weights): string[] =>
  Object.keys(w)
    .filter((c) => (w[c] ?? 0) > 0)
    .sort();

/** The live endpoint serves one colour (or a declared canary split), never an empty colour. */
export const liveServesOneColour: StackRule = {
  kind: "stack",
  name: "live-serves-one-colour",
  description:
    "Each live endpoint serves exactly one colour, or a declared canary split of the two " +
    "(weights adding up to 100), never a colour with zero servers; where the servers behind " +
    "the live switch are known, they are exactly the servers of the colours given traffic.",
  enforcementLevel: "mandatory",
  check(subjects) {
    const counts = serversPerColour(subjects);
    const byUrn = new Map(subjects.map((s) => [s.urn, s]));
    const violations: StackViolation[] = [];
    for (const { subject, weights } of endpoints(subjects)) {
      const total = Object.values(weights).reduce((a, b) => a + b, 0);
      if (total !== 100) {
        violations.push({
          urn: subject.urn,
          message: `${subject.name} splits live traffic ${JSON.stringify(weights)}, which adds up to ${total}, not 100`,
        });
      }
      for (const colour of live(weights).filter((c) => !(counts[c] ?? 0))) {
        violations.push({
          urn: subject.urn,
          message: `${subject.name} sends ${weights[colour]}% of live traffic to ${colour}, which has no servers`,
        });
      }
      const sw = liveSwitchOf(subject, subjects);
      if (sw === undefined) continue;
      const { targets, colours } = servedColours(sw, byUrn);
      if (targets > 0 && colours.join() !== live(weights).join()) {
        violations.push({
          urn: sw.urn,
          message: `${sw.name} serves the servers of ${colours.join(" and ") || "no colour"}, but live traffic is declared for ${live(weights).join(" and ")}`,
        });
      }
    }
    return violations;
  },
};

/** Whether a resource is a health gate or one of its probes. */
function isGate(
  subject: PolicySubject | undefined,
  byUrn: ReadonlyMap<string, PolicySubject>,
): boolean {
  if (subject === undefined) return false;
  const isGateComponent = (s: PolicySubject | undefined) =>
    s !== undefined && factsOf(s.type)?.component === "healthGate";
  return isGateComponent(subject) || isGateComponent(byUrn.get(subject.parent ?? ""));
}

/** The live switch waits for a health gate. */
export const liveSwitchGated: StackRule = {
  kind: "stack",
  name: "live-switch-gated",
  description:
    "Every endpoint declares, in its registered intent, the resource that moves live traffic " +
    "(the live load balancer, or the static address); that resource must exist and depend on " +
    "a health gate, so that it changes only after the colour about to go live has proven " +
    "healthy in the same update.",
  enforcementLevel: "mandatory",
  check(subjects) {
    const byUrn = new Map(subjects.map((s) => [s.urn, s]));
    const violations: StackViolation[] = [];
    for (const { subject } of endpoints(subjects)) {
      const sw = liveSwitchOf(subject, subjects);
      if (sw === undefined) {
        const declared = subject.props.liveSwitch;
        violations.push({
          urn: subject.urn,
          message:
            typeof declared === "string"
              ? `${subject.name} declares ${declared} as its live switch but registers no child of that name`
              : `${subject.name} declares no live switch (liveSwitch) in its registered intent`,
        });
      } else if (!sw.dependencies.some((d) => isGate(byUrn.get(d), byUrn))) {
        violations.push({
          urn: sw.urn,
          message: `${sw.type} ${sw.name} moves live traffic without depending on a health gate`,
        });
      }
    }
    return violations;
  },
};

/** During a cutover (a canary split) both colours exist. */
export const cutoverKeepsOldColour: StackRule = {
  kind: "stack",
  name: "cutover-keeps-old-colour",
  description:
    "While traffic is split between the colours (a cutover in progress), both colours must " +
    "have servers. Across two versions of a stack, live must not move away from a colour in " +
    "the same change that removes that colour's servers (see checkTransition).",
  enforcementLevel: "mandatory",
  check(subjects) {
    const counts = serversPerColour(subjects);
    return endpoints(subjects)
      .filter(({ weights }) => live(weights).length > 1)
      .flatMap(({ subject, weights }) =>
        live(weights)
          .filter((c) => !(counts[c] ?? 0))
          .map((c) => ({
            urn: subject.urn,
            message: `${subject.name} is mid-cutover (${JSON.stringify(weights)}) but ${c} has no servers`,
          })),
      );
  },
};

/**
 * The cutover rule across two versions of a stack (e.g. a pull request against its base): a
 * colour that was live must still have servers in the change that moves live away from it.
 */
export function checkTransition(
  previous: readonly PolicySubject[],
  next: readonly PolicySubject[],
): StackViolation[] {
  const wasLive = new Set(endpoints(previous).flatMap(({ weights }) => live(weights)));
  const isLive = new Set(endpoints(next).flatMap(({ weights }) => live(weights)));
  const counts = serversPerColour(next);
  return [...wasLive]
    .filter((c) => !isLive.has(c) && !(counts[c] ?? 0))
    .map((c) => ({
      message: `live moves away from ${c} in the same change that removes ${c}'s servers; keep ${c} until the cutover has proven itself, then remove it in a later change`,
    }));
}
