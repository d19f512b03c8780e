import { COLOURS } from "../core/colour";
import { configKey } from "../core/config/settings";
import { StackConfig } from "../core/config/stack-config";

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

/**
 * What DigitalOcean allows beyond the cloud-neutral checks: a known region, images that are
 * pinned custom images (numeric snapshot IDs, never a stock slug such as `ubuntu-24-04-x64`),
 * an offered Postgres version.
 *
 * @returns one problem per bad setting, in the same form as the core validator's
 */
export function digitalOceanProblems(config: StackConfig): string[] {
  const problems: string[] = [];
  if (!(DIGITALOCEAN_REGIONS as readonly string[]).includes(config.region)) {
    problems.push(
      `${configKey("region")}: received ${JSON.stringify(config.region)}; allowed: one of ${DIGITALOCEAN_REGIONS.join(", ")}`,
    );
  }
  for (const colour of COLOURS) {
    const { image, count } = config.colours[colour];
    if (count > 0 && image !== undefined && !/^\d+$/.test(image)) {
      problems.push(
        `${configKey(`${colour}Image`)}: received ${JSON.stringify(image)}; allowed: the numeric ID of a ` +
          "custom image or snapshot (a stock distribution slug is not a pinned release)",
      );
    }
  }
  if (config.dataVolume) {
    // Volumes are named `<service>-<environment>-<colour>-data-<i>`; DigitalOcean allows 64.
    const longest = Math.max(...COLOURS.map((c) => config.colours[c].count - 1), 0);
    const name = `${config.app.name}-${config.environment}-green-data-${longest}`;
    if (name.length > 64) {
      problems.push(
        `${configKey("service")}: received ${JSON.stringify(config.app.name)}, which with environment ` +
          `${JSON.stringify(config.environment)} makes volume names of ${name.length} characters ` +
          "(e.g. " +
          JSON.stringify(name) +
          "); allowed: names of at most 64 characters, so a shorter service or environment",
      );
    }
  }
  const version = config.database?.engineVersion;
  if (
    version !== undefined &&
    !(DIGITALOCEAN_POSTGRES_VERSIONS as readonly string[]).includes(version)
  ) {
    problems.push(
      `${configKey("dbEngineVersion")}: received ${JSON.stringify(version)}; allowed: one of ${DIGITALOCEAN_POSTGRES_VERSIONS.join(", ")}`,
    );
  }
  return problems;
}
