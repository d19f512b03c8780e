import {
  BlueGreenPlan,
  PlanContext,
  planBlueGreen,
  planTransition,
} from "../../components/core/blue-green-plan";
import { Colour } from "../../components/core/colour";
import { validatedConfig } from "../helpers/validate";

/** A stack's blue/green settings, as a user sets them; everything else at its default. */
interface State {
  active: Colour;
  blue: [count: number, image?: string];
  green: [count: number, image?: string];
  canary?: number;
}

function plan(state: State, context?: PlanContext): BlueGreenPlan {
  const raw: Record<string, string> = {
    service: "shop",
    active: state.active,
    blueCount: String(state.blue[0]),
    greenCount: String(state.green[0]),
    canaryWeight: String(state.canary ?? 0),
  };
  if (state.blue[1]) raw.blueImage = state.blue[1];
  if (state.green[1]) raw.greenImage = state.green[1];
  return planBlueGreen(validatedConfig(raw), context);
}

describe("planBlueGreen", () => {
  it.each<[string, State, Partial<BlueGreenPlan>]>([
    [
      "blue only",
      { active: "blue", blue: [2, "101"], green: [0] },
      {
        live: "blue",
        weights: { blue: 100, green: 0 },
        preview: undefined,
        colours: {
          blue: { count: 2, image: "101", size: "s-1vcpu-1gb" },
          green: { count: 0, image: undefined, size: "s-1vcpu-1gb" },
        },
        gate: {
          colours: ["blue"],
          triggers: ["live=blue", "weights=blue:100,green:0", "blue=101@s-1vcpu-1gbx2"],
        },
      },
    ],
    [
      "green built beside live blue: green on preview, gate still on blue",
      { active: "blue", blue: [2, "101"], green: [2, "102"] },
      {
        live: "blue",
        weights: { blue: 100, green: 0 },
        preview: "green",
        gate: {
          colours: ["blue"],
          triggers: ["live=blue", "weights=blue:100,green:0", "blue=101@s-1vcpu-1gbx2"],
        },
      },
    ],
    [
      "green live, blue kept for rollback and on preview",
      { active: "green", blue: [2, "101"], green: [2, "102"] },
      {
        live: "green",
        weights: { blue: 0, green: 100 },
        preview: "blue",
        gate: {
          colours: ["green"],
          triggers: ["live=green", "weights=blue:0,green:100", "green=102@s-1vcpu-1gbx2"],
        },
      },
    ],
    [
      "canary: 10% to green, both gated, live colour first",
      { active: "blue", blue: [4, "101"], green: [1, "102"], canary: 10 },
      {
        live: "blue",
        weights: { blue: 90, green: 10 },
        preview: "green",
        gate: {
          colours: ["blue", "green"],
          triggers: [
            "live=blue",
            "weights=blue:90,green:10",
            "blue=101@s-1vcpu-1gbx4",
            "green=102@s-1vcpu-1gbx1",
          ],
        },
      },
    ],
    [
      "a torn-down colour keeps no image",
      { active: "green", blue: [0, "101"], green: [2, "102"] },
      {
        preview: undefined,
        colours: {
          blue: { count: 0, image: undefined, size: "s-1vcpu-1gb" },
          green: { count: 2, image: "102", size: "s-1vcpu-1gb" },
        },
      },
    ],
  ])("%s", (_name, state, expected) => {
    expect(plan(state)).toMatchObject(expected);
  });
});

describe("planTransition over the blue/green lifecycle", () => {
  const blueOnly: State = { active: "blue", blue: [2, "101"], green: [0] };
  const greenBuilt: State = { active: "blue", blue: [2, "101"], green: [2, "102"] };
  const cutOver: State = { active: "green", blue: [2, "101"], green: [2, "102"] };
  const blueTornDown: State = { active: "green", blue: [0], green: [2, "102"] };
  const canary: State = { active: "blue", blue: [2, "101"], green: [2, "102"], canary: 50 };

  it.each<[string, State | undefined, State, Record<string, unknown>]>([
    [
      "first deploy: blue built, gated, goes live",
      undefined,
      blueOnly,
      {
        built: ["blue"],
        tornDown: [],
        rebuilt: [],
        liveMoves: true,
        gateRuns: true,
        preview: [undefined, undefined],
      },
    ],
    [
      "build green: preview appears, live and gate untouched",
      blueOnly,
      greenBuilt,
      {
        built: ["green"],
        tornDown: [],
        rebuilt: [],
        liveMoves: false,
        gateRuns: false,
        preview: [undefined, "green"],
      },
    ],
    [
      "re-apply unchanged: nothing moves, gate does not run",
      greenBuilt,
      greenBuilt,
      {
        built: [],
        tornDown: [],
        rebuilt: [],
        liveMoves: false,
        gateRuns: false,
        preview: ["green", "green"],
      },
    ],
    [
      "cut over to green: gate runs against green, live moves, blue stays on preview",
      greenBuilt,
      cutOver,
      {
        built: [],
        tornDown: [],
        rebuilt: [],
        liveMoves: true,
        gateRuns: true,
        preview: ["green", "blue"],
      },
    ],
    [
      "roll back to blue: gate runs against blue, live moves back",
      cutOver,
      greenBuilt,
      {
        built: [],
        tornDown: [],
        rebuilt: [],
        liveMoves: true,
        gateRuns: true,
        preview: ["blue", "green"],
      },
    ],
    [
      "tear down blue: a separate change, live untouched",
      cutOver,
      blueTornDown,
      {
        built: [],
        tornDown: ["blue"],
        rebuilt: [],
        liveMoves: false,
        gateRuns: false,
        preview: ["blue", undefined],
      },
    ],
    [
      "canary: weights move, gate runs against both colours",
      greenBuilt,
      canary,
      {
        built: [],
        tornDown: [],
        rebuilt: [],
        liveMoves: true,
        gateRuns: true,
        preview: ["green", "green"],
      },
    ],
    [
      "new image for the preview colour: rebuilt, gate not run",
      greenBuilt,
      { active: "blue", blue: [2, "101"], green: [2, "103"] },
      {
        built: [],
        tornDown: [],
        rebuilt: ["green"],
        liveMoves: false,
        gateRuns: false,
        preview: ["green", "green"],
      },
    ],
    [
      "rebuild of the live colour in place (stateful path): gate runs",
      blueOnly,
      { active: "blue", blue: [2, "109"], green: [0] },
      {
        built: [],
        tornDown: [],
        rebuilt: ["blue"],
        liveMoves: false,
        gateRuns: true,
        preview: [undefined, undefined],
      },
    ],
  ])("%s", (_name, before, after, expected) => {
    expect(planTransition(before && plan(before), plan(after))).toEqual(expected);
  });

  it("gate of a cutover targets exactly the colour going live", () => {
    expect(plan(cutOver).gate.colours).toEqual(["green"]);
  });
});

describe("what an update may touch, given what the live endpoint served before", () => {
  const greenBuilt: State = { active: "blue", blue: [2, "101"], green: [2, "102"] };
  const cutOver: State = { active: "green", blue: [2, "101"], green: [2, "102"] };
  const lb = { joinBeforeLeave: true };

  it("freezes the colours that served live traffic when the update starts, and only those", () => {
    expect(plan(greenBuilt, { ...lb, servedBefore: ["blue"] }).frozen).toEqual(["blue"]);
    expect(plan(greenBuilt, { ...lb, servedBefore: [] }).frozen).toEqual([]);
    // A cutover freezes the colour leaving: it serves until the update is done.
    expect(plan(cutOver, { ...lb, servedBefore: ["blue"] }).frozen).toEqual(["blue"]);
  });

  it("cuts over in two updates on a load balancer: the new colour joins, then the old leaves", () => {
    const first = plan(cutOver, { ...lb, servedBefore: ["blue"] });
    expect(first).toMatchObject({
      served: ["blue", "green"],
      weights: { blue: 50, green: 50 },
      leavingNext: ["blue"],
      gate: { colours: ["green", "blue"] },
    });
    const second = plan(cutOver, { ...lb, servedBefore: first.served });
    expect(second).toMatchObject({
      served: ["green"],
      weights: { blue: 0, green: 100 },
      leavingNext: [],
      frozen: ["blue", "green"],
      gate: { colours: ["green"] },
    });
    // Re-applied once done, nothing moves and only the live colour is frozen.
    const after = plan(cutOver, { ...lb, servedBefore: second.served });
    expect(after).toMatchObject({ served: ["green"], frozen: ["green"], leavingNext: [] });
    expect(after.gate.triggers).toEqual(second.gate.triggers);
  });

  it("switches a static address in one update: it moves in one call, to a server already proven", () => {
    const moved = plan(cutOver, { joinBeforeLeave: false, servedBefore: ["blue"] });
    expect(moved).toMatchObject({ served: ["green"], leavingNext: [], frozen: ["blue"] });
  });

  it("needs no second step when nothing leaves (first deploy, canary, growing to both)", () => {
    const canary: State = { ...greenBuilt, canary: 25 };
    expect(plan(canary, { ...lb, servedBefore: ["blue"] })).toMatchObject({
      served: ["blue", "green"],
      weights: { blue: 75, green: 25 },
      leavingNext: [],
    });
    expect(plan(cutOver, { ...lb, servedBefore: [] })).toMatchObject({
      served: ["green"],
      leavingNext: [],
    });
  });
});
