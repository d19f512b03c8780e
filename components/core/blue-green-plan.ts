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
  /** Percent of live traffic each colour receives; the two add up to 100. */
  readonly weights: Readonly<Record<Colour, number>>;
  /** The colour the preview endpoint serves: the non-live colour when it has servers. */
  readonly preview: Colour | undefined;
  /** The health gate that must pass before the live endpoint changes. */
  readonly gate: GatePlan;
}

/** The health gate's target and what makes it run again. */
export interface GatePlan {
  /** Colours the gate probes: every colour that receives live traffic, live colour first. */
  readonly colours: readonly Colour[];
  /**
   * Values whose change re-runs the gate: the live colour, the weights, and the image and size
   * of every gated colour. Anything else (e.g. the preview colour's image) leaves it alone.
   */
  readonly triggers: readonly string[];
}

/** Colours that have at least one server, in blue, green order. */
export function coloursWithServers(plan: BlueGreenPlan): Colour[] {
  return COLOURS.filter((c) => plan.colours[c].count > 0);
}

/** Derives the blue/green plan from validated settings. Pure: no Pulumi, no cloud. */
export function planBlueGreen(config: StackConfig): BlueGreenPlan {
  const live = config.active;
  const other = otherColour(live);
  const colours = {
    blue: colourPlan(config, "blue"),
    green: colourPlan(config, "green"),
  };
  const weights = { [live]: 100 - config.canaryWeight, [other]: config.canaryWeight } as Record<
    Colour,
    number
  >;
  const gated = [live, other].filter((c) => weights[c] > 0);
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
        ...gated.map((c) => `${c}=${colours[c].image ?? ""}@${colours[c].size}`),
      ],
    },
  };
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
