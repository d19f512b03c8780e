import { BlueGreenPlan } from "./blue-green-plan";
import { COLOURS, Colour } from "./colour";

/**
 * What a load balancer registers as its component's inputs, so that policies and previews can
 * read where traffic goes without knowing the platform's resources.
 */
export interface EndpointIntent {
  readonly liveColour: Colour;
  readonly weights: Readonly<Record<Colour, number>>;
  readonly previewColour: Colour | null;
  readonly gatedColours: readonly Colour[];
  readonly servedColours: readonly Colour[];
  readonly https: boolean;
  /** Name of the child that moves the live traffic (a policy checks it waits for the gate). */
  readonly liveSwitch: string;
}

/**
 * The intent of a load balancer built from `plan`.
 *
 * @param plan the blue/green plan the endpoint serves
 * @param https whether the endpoint terminates TLS
 * @param liveSwitch name of the child that moves the live traffic
 */
export function endpointIntent(
  plan: BlueGreenPlan,
  https: boolean,
  liveSwitch: string,
): EndpointIntent {
  return {
    liveColour: plan.live,
    weights: plan.weights,
    previewColour: plan.preview ?? null,
    gatedColours: plan.gate.colours,
    servedColours: plan.served,
    https,
    liveSwitch,
  };
}

/**
 * Checks, before anything is registered, that a load balancer was handed the servers of exactly
 * the colours its plan gives servers.
 *
 * @param component the component's name, for the message
 * @param field the argument holding the servers per colour, for the message
 * @param plan the blue/green plan
 * @param given the servers per colour
 * @throws Error naming the argument, the colour and the plan's count
 */
export function assertServersMatchPlan(
  component: string,
  field: string,
  plan: BlueGreenPlan,
  given: Partial<Record<Colour, unknown>>,
): void {
  for (const colour of COLOURS) {
    if (plan.colours[colour].count > 0 !== (given[colour] !== undefined)) {
      throw new Error(
        `LoadBalancer ${component}: ${field}.${colour} must be given exactly when the plan gives ` +
          `${colour} servers (plan count ${plan.colours[colour].count})`,
      );
    }
  }
}
