import { BlueGreenPlan } from "../core/blue-green-plan";
import { Colour } from "../core/colour";

/**
 * The traffic split a DigitalOcean load balancer really serves for a plan: it sends each droplet
 * an equal share, so a colour's share is its share of the live droplets, whatever was asked.
 */
export function effectiveWeights(plan: BlueGreenPlan): Record<Colour, number> {
  const count = (c: Colour): number => (plan.weights[c] > 0 ? plan.colours[c].count : 0);
  const total = count("blue") + count("green");
  const blue = total === 0 ? 0 : Math.round((100 * count("blue")) / total);
  return { blue, green: total === 0 ? 0 : 100 - blue };
}
