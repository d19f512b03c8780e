import { planBlueGreen } from "../../components/core/blue-green-plan";
import { weightsByServerCount } from "../../components/core/served-weights";
import { tagMap } from "../../components/core/tags";
import { flatTags } from "../../components/digitalocean/facts";
import { validatedConfig } from "../helpers/validate";

const plan = (raw: Record<string, string>) =>
  planBlueGreen(validatedConfig({ service: "shop", blueImage: "1", greenImage: "2", ...raw }));

describe("weightsByServerCount (a platform that balances per server)", () => {
  it.each([
    [
      { blueCount: "3", greenCount: "1", canaryWeight: "25" },
      { blue: 75, green: 25 },
    ],
    [
      { blueCount: "1", greenCount: "1", canaryWeight: "10" },
      { blue: 50, green: 50 },
    ],
    [
      { blueCount: "2", greenCount: "2" },
      { blue: 100, green: 0 },
    ],
    [
      { active: "green", blueCount: "2", greenCount: "2" },
      { blue: 0, green: 100 },
    ],
  ])("%j serves %j", (raw, expected) => {
    expect(weightsByServerCount(plan(raw))).toEqual(expected);
  });
});

describe("tags", () => {
  it("carry service, environment, colour and managed-by, flat on DigitalOcean", () => {
    expect(flatTags({ service: "shop", environment: "prod", colour: "blue" })).toEqual([
      "service:shop",
      "environment:prod",
      "colour:blue",
      "managed-by:phoenix",
    ]);
    expect(tagMap({ service: "shop", environment: "prod" })).toEqual({
      service: "shop",
      environment: "prod",
      "managed-by": "phoenix",
    });
  });
});
