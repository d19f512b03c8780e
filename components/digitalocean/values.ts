import { COLOURS } from "../core/colour";
import { DraftStackConfig } from "../core/config/stack-config";
import { PlatformDefaults, PlatformValueRules, SettingProblem } from "../core/platform/platform";
import { oneOfRule, patternRule } from "../core/platform/value-rule";

/** Regions with droplets, load balancers, volumes and managed databases. */
export const DIGITALOCEAN_REGIONS = [
  "ams3",
  "atl1",
  "blr1",
  "fra1",
  "lon1",
  "nyc1",
  "nyc2",
  "nyc3",
  "sfo2",
  "sfo3",
  "sgp1",
  "syd1",
  "tor1",
] as const;

/** Postgres major versions DigitalOcean's managed databases offer. */
export const DIGITALOCEAN_POSTGRES_VERSIONS = ["13", "14", "15", "16", "17"] as const;

/** A pinned image: the numeric ID of a custom image or snapshot, never a stock slug. */
export const PINNED_IMAGE = patternRule(
  /^\d{1,12}$/,
  "the numeric ID of a custom image or snapshot (a stock distribution slug is not a pinned release)",
);

/** What DigitalOcean accepts for the neutral settings. */
export const DIGITALOCEAN_VALUES: PlatformValueRules = {
  region: oneOfRule(DIGITALOCEAN_REGIONS, "a DigitalOcean region slug"),
  serverSize: patternRule(
    /^[a-z0-9][a-z0-9-]{1,40}$/,
    "a DigitalOcean droplet size slug such as s-2vcpu-4gb",
  ),
  image: PINNED_IMAGE,
  databaseSize: patternRule(
    /^db-[a-z0-9-]{1,40}$/,
    "a DigitalOcean database size slug such as db-s-1vcpu-1gb",
  ),
  databaseVersion: oneOfRule(
    DIGITALOCEAN_POSTGRES_VERSIONS,
    "a Postgres version DigitalOcean offers",
  ),
  certificate: patternRule(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/,
    "the name of a certificate in your DigitalOcean account (letters, digits, ., _ and -)",
  ),
};

/** Sizes used when a stack names none: the smallest that run a real service. */
export const DIGITALOCEAN_DEFAULTS: PlatformDefaults = {
  serverSize: "s-1vcpu-1gb",
  databaseSize: "db-s-1vcpu-1gb",
};

/** Longest volume name DigitalOcean accepts. */
const MAX_VOLUME_NAME = 64;

/**
 * Checks across settings: volumes are named `<service>-<environment>-<colour>-data-<i>`, which
 * must fit DigitalOcean's 64 characters for the highest index of the largest colour.
 */
export function digitalOceanCrossCheck(draft: DraftStackConfig): SettingProblem[] {
  const { app, environment, colours, dataVolume } = draft;
  if (!dataVolume || !app || environment === undefined || !colours) return [];
  const longest = Math.max(...COLOURS.map((c) => colours[c].count - 1), 0);
  const name = `${app.name}-${environment}-green-data-${longest}`;
  if (name.length <= MAX_VOLUME_NAME) return [];
  return [
    {
      setting: "service",
      received:
        `${JSON.stringify(app.name)}, which with environment ${JSON.stringify(environment)} makes ` +
        `volume names of ${name.length} characters (e.g. ${JSON.stringify(name)})`,
      allowed: `names of at most ${MAX_VOLUME_NAME} characters, so a shorter service or environment`,
    },
  ];
}
