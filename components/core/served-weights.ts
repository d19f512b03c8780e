import { BlueGreenPlan } from "./blue-green-plan";
import { Colour } from "./colour";

/**
 * The traffic split a platform that balances per server really serves for a plan: each live
 * server gets an equal share, so a colour's share is its share of the live servers, whatever
 * weight was asked for.
 */
export function weightsByServerCount(plan: BlueGreenPlan): Record<Colour, number> {
  const count = (c: Colour): number => (plan.weights[c] > 0 ? plan.colours[c].count : 0);
  const total = count("blue") + count("green");
  const blue = total === 0 ? 0 : Math.round((100 * count("blue")) / total);
  return { blue, green: total === 0 ? 0 : 100 - blue };
}
