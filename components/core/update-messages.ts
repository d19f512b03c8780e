import * as pulumi from "@pulumi/pulumi";
import { BlueGreenPlan } from "./blue-green-plan";
import { COLOURS, Colour } from "./colour";
import { ServerGroupHandle } from "./platform/platform";
import { weightsByServerCount } from "./served-weights";

// What an update tells the user about the colours, where it is not what they might think.

/** Tells the user what this update does to the colours, where it is not what they might think. */
export function tellWhatHappens(
  plan: BlueGreenPlan,
  groups: Partial<Record<Colour, ServerGroupHandle>>,
  rebuilding: readonly Colour[],
): void {
  for (const colour of plan.frozen.filter((c) => !rebuilding.includes(c))) {
    groups[colour]?.heldBack.apply((held) => {
      if (!held) return;
      const others = COLOURS.filter((c) => c !== colour && groups[c] !== undefined);
      void pulumi.log.warn(
        `${colour} serves live traffic, so its servers keep what they were built with; the ` +
          `settings that go into servers changed (environment, secrets, database URI or data ` +
          `volume), and reach users only through ` +
          (others.length > 0
            ? `${others.join(" and ")}, which this update rebuilds with them, and a cutover.`
            : `the other colour: build it (set its image and count), test it, then cut over.`),
      );
    });
  }
  for (const colour of plan.leavingNext) {
    void pulumi.log.info(
      `Cutover in progress: ${plan.served.filter((c) => c !== colour).join(" and ")} joins the ` +
        `live endpoint beside ${colour} in this update; run pulumi up again to take ${colour} ` +
        `out once it serves (a joining server is health-checked before it gets traffic).`,
    );
  }
  for (const colour of rebuilding) {
    void pulumi.log.info(
      `${colour} is a single server with a data volume behind a static address: a change of what ` +
        `goes into it rebuilds it in place, and the service is down while the volume moves (see ` +
        `README, The rebuild path).`,
    );
  }
}

/** Warns when a platform that balances per server cannot serve the canary split asked for. */
export function warnOfServedSplit(title: string, plan: BlueGreenPlan): void {
  const served = weightsByServerCount(plan);
  if (served.blue === plan.weights.blue) return;
  void pulumi.log.warn(
    `${title} load balancers share traffic per server: the canary split requested ` +
      `(blue ${plan.weights.blue}%, green ${plan.weights.green}%) is served as ` +
      `blue ${served.blue}%, green ${served.green}%. Adjust the server counts to match.`,
  );
}
