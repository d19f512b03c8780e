import { ConfigError } from "../../../components/core/config/config-error";
import { patternRule } from "../../../components/core/platform/value-rule";
import { PlatformRules } from "../../../components/core/platform/platform";
import { validateStackConfig } from "../../../components/core/config/validate-stack-config";
import { PLATFORMS } from "../../../stacks/platforms";

/**
 * A platform with no managed database, no load balancer, no canary and no DNS, and one setting
 * of its own: core must refuse what it lacks from its declared capabilities alone.
 */
const bare: PlatformRules = {
  name: "bare",
  title: "Bare metal",
  capabilities: {
    managedDatabase: false,
    loadBalancer: false,
    staticAddress: true,
    canary: "none",
    dns: false,
    coldJoin: false,
  },
  values: {
    region: patternRule(/^rack-\d$/, "a rack such as rack-1"),
    serverSize: patternRule(/^(small|large)$/, "small or large"),
    image: patternRule(/^img-\d+$/, "an image ID like img-42"),
    databaseSize: patternRule(/^$/, "nothing"),
    databaseVersion: patternRule(/^$/, "nothing"),
    certificate: patternRule(/^$/, "nothing"),
  },
  defaults: { serverSize: "small", databaseSize: "" },
  settings: {
    bareRack: { type: "string", whenUnset: "rack 1", description: "The rack (bare only)." },
  },
  readSettings: (r) => ({ rack: r.string("bareRack", patternRule(/^\d$/, "a digit"), "1") }),
  crossCheck: () => [],
  facts: { platform: "bare", types: {}, databasePorts: [], providerConfig: {} },
};

function problems(raw: Record<string, string>): readonly string[] {
  const config = Object.fromEntries(Object.entries(raw).map(([k, v]) => [`phoenix:${k}`, v]));
  try {
    validateStackConfig(config, { stack: "dev", secretKeys: [], platforms: [...PLATFORMS, bare] });
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
}

const BASE = { platform: "bare", region: "rack-1", service: "shop", blueImage: "img-1" };

describe("capabilities decide what a platform may be asked for", () => {
  it("refuses a database, a load balancer, a canary and DNS on a platform without them", () => {
    expect(
      problems({
        ...BASE,
        greenCount: "1",
        greenImage: "img-2",
        canaryWeight: "10",
        dnsDomain: "example.com",
      }),
    ).toEqual([
      'phoenix:database: received "true"; allowed: false, because the bare platform has no managed database',
      'phoenix:endpoint: received "loadBalancer"; allowed: floatingIp, because the bare platform has no load balancer',
      'phoenix:canaryWeight: received "10"; allowed: 0, because the bare platform cannot split traffic between colours',
      'phoenix:dnsDomain: received "example.com"; allowed: nothing (leave it unset), because the bare platform has no managed DNS',
    ]);
  });

  it("accepts what it can build, in its own terms, with its own settings", () => {
    expect(problems({ ...BASE, database: "false", endpoint: "floatingIp", bareRack: "3" })).toEqual(
      [],
    );
    expect(
      problems({ ...BASE, database: "false", endpoint: "floatingIp", blueImage: "187654321" }),
    ).toEqual(['phoenix:blueImage: received "187654321"; allowed: an image ID like img-42']);
  });

  it("refuses one platform's own setting on another platform", () => {
    expect(
      problems({
        platform: "digitalocean",
        region: "nyc3",
        service: "shop",
        blueImage: "1",
        bareRack: "2",
      }),
    ).toEqual([
      'phoenix:bareRack: received "2"; allowed: nothing: it is a setting of the bare platform, and phoenix:platform is digitalocean',
    ]);
  });

  it("refuses an unknown platform and still checks everything else in the same pass", () => {
    expect(
      problems({
        platform: "azure",
        region: "us-east-1",
        service: "shop",
        blueImage: "ami-1",
        appPort: "0",
      }),
    ).toEqual([
      'phoenix:platform: received "azure"; allowed: one of digitalocean, aws, vsphere, bare',
      'phoenix:appPort: received "0"; allowed: a whole number from 1 to 65535',
    ]);
  });
});
