import { COLOURS, Colour, otherColour } from "./colour";
import { StackConfig } from "./config/stack-config";

/** What one colour must have. */
export interface ColourPlan {
  /** Number of servers. */
  readonly count: number;
  /** Pinned image the servers boot from; undefined when the colour has no servers. */
  readonly image: string | undefined;
  /** Server size. */
  readonly size: string;
}

/** What must exist for a stack's blue/green state, and where traffic goes. */
export interface BlueGreenPlan {
  /** Each colour's servers (a colour with count 0 is torn down). */
  readonly colours: Readonly<Record<Colour, ColourPlan>>;
  /** The colour the live endpoint is named for (the active colour). */
  readonly live: Colour;
  /**
   * Percent of live traffic each colour receives at the end of this update; the two add up to
   * 100. During a cutover's first update this is the transitional split of both colours.
   */
  readonly weights: Readonly<Record<Colour, number>>;
  /** The colour the preview endpoint serves: the non-live colour when it has servers. */
  readonly preview: Colour | undefined;
  /** The health gate that must pass before the live endpoint changes. */
  readonly gate: GatePlan;
  /**
   * Colours whose servers served live traffic when this update started: no update touches
   * them (they keep their servers, image, size and settings) until they no longer serve.
   */
  readonly frozen: readonly Colour[];
  /** Colours the live endpoint serves at the end of this update. */
  readonly served: readonly Colour[];
  /**
   * Colours that should leave the live endpoint but stay in it for this update, because the
   * colour taking over only joins it now: they leave in the next update, once it serves.
   */
  readonly leavingNext: readonly Colour[];
}

/** The health gate's target and what makes it run again. */
export interface GatePlan {
  /** Colours the gate probes: every colour the live endpoint serves, active colour first. */
  readonly colours: readonly Colour[];
  /**
   * Values whose change re-runs the gate: the active colour, the colours served and their
   * weights, and the image, size and server count of every gated colour. The endpoint adds
   * each gated colour's server fingerprint (everything that goes into its servers).
   */
  readonly triggers: readonly string[];
}

/** What the plan needs besides the settings. */
export interface PlanContext {
  /** The colours the live endpoint served when this update started; empty on a first deployment. */
  readonly servedBefore: readonly Colour[];
  /**
   * Whether a server must join the live endpoint before the servers it replaces leave it: true
   * for a load balancer that health-checks a joining server before sending it traffic.
   */
  readonly joinBeforeLeave: boolean;
}

/**
 * Derives the blue/green plan from validated settings and what the live endpoint served
 * before. Pure: no Pulumi, no cloud.
 *
 * A cutover on an endpoint that must let servers join before others leave takes two updates:
 * the first adds the colour taking over (so both serve), the next removes the colour leaving.
 * There is no moment without a server that the live endpoint already considers healthy.
 */
export function planBlueGreen(
  config: StackConfig,
  context: PlanContext = { servedBefore: [], joinBeforeLeave: false },
): BlueGreenPlan {
  const live = config.active;
  const other = otherColour(live);
  const colours = {
    blue: colourPlan(config, "blue"),
    green: colourPlan(config, "green"),
  };
  const wanted = { [live]: 100 - config.canaryWeight, [other]: config.canaryWeight } as Record<
    Colour,
    number
  >;
  const desired = COLOURS.filter((c) => wanted[c] > 0);
  const before = context.servedBefore.filter((c) => colours[c].count > 0);
  const joining = desired.filter((c) => !before.includes(c));
  const leaving = before.filter((c) => !desired.includes(c));
  const deferLeaving = context.joinBeforeLeave && joining.length > 0 && leaving.length > 0;
  const served = deferLeaving
    ? COLOURS.filter((c) => desired.includes(c) || before.includes(c))
    : desired;
  const weights = deferLeaving ? splitByServers(colours, served) : wanted;
  const gated = [live, other].filter((c) => served.includes(c));
  return {
    colours,
    live,
    weights,
    preview: colours[other].count > 0 ? other : undefined,
    gate: {
      colours: gated,
      triggers: [
        `live=${live}`,
        `weights=blue:${weights.blue},green:${weights.green}`,
        ...gated.map(
          (c) => `${c}=${colours[c].image ?? ""}@${colours[c].size}x${colours[c].count}`,
        ),
      ],
    },
    // Every colour that served stays frozen, even if it is asked to lose its servers now: the
    // change that would remove them is refused (transition-checks.ts).
    frozen: COLOURS.filter((c) => context.servedBefore.includes(c)),
    served,
    leavingNext: deferLeaving ? leaving : [],
  };
}

/** Weights in proportion to each served colour's servers, adding up to 100. */
function splitByServers(
  colours: Readonly<Record<Colour, ColourPlan>>,
  served: readonly Colour[],
): Record<Colour, number> {
  const count = (c: Colour) => (served.includes(c) ? colours[c].count : 0);
  const blue = Math.round((100 * count("blue")) / (count("blue") + count("green")));
  return { blue, green: 100 - blue };
}

function colourPlan(config: StackConfig, colour: Colour): ColourPlan {
  const { count, image, size } = config.colours[colour];
  return { count, image: count > 0 ? image : undefined, size };
}

/** What changes between two plans, as a reviewer of a cutover wants to read it. */
export interface PlanTransition {
  /** Colours that go from no servers to some. */
  readonly built: readonly Colour[];
  /** Colours that go from some servers to none. */
  readonly tornDown: readonly Colour[];
  /** Colours whose servers are rebuilt from a new image. */
  readonly rebuilt: readonly Colour[];
  /** Whether the live endpoint's traffic moves (colour or weights). */
  readonly liveMoves: boolean;
  /** Whether the health gate runs in this update. */
  readonly gateRuns: boolean;
  /** The preview endpoint's colour before and after. */
  readonly preview: readonly [Colour | undefined, Colour | undefined];
}

/** Compares the plan of the deployed settings (undefined on a first deploy) with the next one. */
export function planTransition(
  previous: BlueGreenPlan | undefined,
  next: BlueGreenPlan,
): PlanTransition {
  const had = (c: Colour): boolean => (previous?.colours[c].count ?? 0) > 0;
  const has = (c: Colour): boolean => next.colours[c].count > 0;
  return {
    built: COLOURS.filter((c) => !had(c) && has(c)),
    tornDown: COLOURS.filter((c) => had(c) && !has(c)),
    rebuilt: COLOURS.filter(
      (c) => had(c) && has(c) && previous?.colours[c].image !== next.colours[c].image,
    ),
    liveMoves:
      previous === undefined ||
      previous.live !== next.live ||
      COLOURS.some((c) => previous.weights[c] !== next.weights[c]),
    gateRuns:
      previous === undefined || previous.gate.triggers.join("\n") !== next.gate.triggers.join("\n"),
    preview: [previous?.preview, next.preview],
  };
}
