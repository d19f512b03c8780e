import { platformOfBuilder, RELEASE_PLATFORMS, ReleasePlatform } from "./image-rules";
import { ReleaseRefusal, shown } from "./refusal";

/** One image a release built, read from a packer manifest. */
export interface ReleaseImage {
  /** The platform whose stacks can use it. */
  readonly platform: ReleasePlatform;
  /** The app it carries (`custom_data.service`, from `images/build.pkr.hcl`). */
  readonly service: string;
  /** The app's version (`custom_data.version`). */
  readonly version: string;
  /**
   * The image's ID in each place it is available in, keyed like the platform's location setting
   * (`RELEASE_PLATFORMS[platform].location`): an AMI per region, one snapshot ID for each of its
   * regions, a template's name under the vCenter it was built on.
   */
  readonly byLocation: Readonly<Record<string, string>>;
}

/** The parts of packer's manifest post-processor output a release reads. */
interface ManifestBuild {
  readonly builder_type?: unknown;
  readonly artifact_id?: unknown;
  readonly packer_run_uuid?: unknown;
  readonly custom_data?: {
    readonly service?: unknown;
    readonly version?: unknown;
    readonly vsphere_server?: unknown;
  } | null;
}

/**
 * Reads an `artifact_id` as packer 1.6's builders write it: `region:ami-…,region:ami-…` for
 * amazon-ebs, `region,region:snapshotID` for digitalocean, the template's name for vsphere-clone
 * (on the vCenter that `custom_data.vsphere_server` names).
 */
function imagesOf(
  platform: ReleasePlatform,
  build: ManifestBuild & { readonly artifact_id: string },
  where: string,
): Record<string, string> {
  const artifactId = build.artifact_id;
  const rule = RELEASE_PLATFORMS[platform].image;
  const bad = (allowed: string) =>
    new ReleaseRefusal(`${where}.artifact_id`, shown(artifactId), allowed);
  const checked = (id: string) => {
    if (!rule.test(id)) throw bad(`an image of ${platform}: ${rule.allowed}`);
    return id;
  };
  if (platform === "aws") {
    const pairs = artifactId.split(",").map((part) => /^([a-z0-9-]+):(.+)$/.exec(part));
    if (pairs.some((m) => m === null)) throw bad("region:ami-… pairs separated by commas");
    return Object.fromEntries(pairs.map((m) => [m?.[1] ?? "", checked(m?.[2] ?? "")]));
  }
  if (platform === "digitalocean") {
    const m = /^([a-z0-9,]+):(.+)$/.exec(artifactId);
    if (!m) throw bad("regions separated by commas, a colon and the snapshot ID");
    const id = checked(m[2] ?? "");
    return Object.fromEntries((m[1] ?? "").split(",").map((region) => [region, id]));
  }
  const vcenter = build.custom_data?.vsphere_server;
  if (typeof vcenter !== "string" || vcenter === "") {
    throw new ReleaseRefusal(
      `${where}.custom_data.vsphere_server`,
      shown(vcenter),
      "the vCenter the template was built on, as images/build.pkr.hcl records it",
    );
  }
  return { [vcenter]: checked(artifactId) };
}

/**
 * Reads the images of the last run recorded in a packer manifest (the manifest post-processor
 * appends every run to the same file; `last_run_uuid` names the latest).
 *
 * @param json the manifest's text
 * @param file its name, for messages
 * @returns the images built for Phoenix's platforms
 * @throws ReleaseRefusal naming the field, the value received and what is allowed, for a manifest
 *   that is not packer's, a builder Phoenix has no platform for, or an image ID its platform
 *   would refuse
 */
export function readPackerManifest(json: string, file: string): ReleaseImage[] {
  let manifest: { builds?: unknown; last_run_uuid?: unknown };
  try {
    manifest = JSON.parse(json) as typeof manifest;
  } catch (e) {
    throw new ReleaseRefusal(file, shown((e as Error).message), "a packer manifest (JSON)");
  }
  if (!Array.isArray(manifest?.builds)) {
    throw new ReleaseRefusal(`${file}: builds`, shown(manifest?.builds), "a list of packer builds");
  }
  const last = manifest.last_run_uuid;
  return (manifest.builds as ManifestBuild[]).flatMap((build, i) => {
    if (last !== undefined && build.packer_run_uuid !== last) return [];
    const where = `${file}: builds[${i}]`;
    const platform = platformOfBuilder(String(build.builder_type));
    if (!platform) {
      const known = Object.values(RELEASE_PLATFORMS).map((p) => p.builderType);
      throw new ReleaseRefusal(
        `${where}.builder_type`,
        shown(build.builder_type),
        `one of ${known.join(", ")}`,
      );
    }
    const custom = build.custom_data ?? {};
    const service = custom.service;
    const version = custom.version;
    for (const [field, value] of [
      ["service", service],
      ["version", version],
    ] as const) {
      if (typeof value !== "string" || value === "") {
        throw new ReleaseRefusal(
          `${where}.custom_data.${field}`,
          shown(value),
          "the value images/build.pkr.hcl records",
        );
      }
    }
    if (typeof build.artifact_id !== "string") {
      throw new ReleaseRefusal(`${where}.artifact_id`, shown(build.artifact_id), "an image ID");
    }
    const byLocation = imagesOf(platform, { ...build, artifact_id: build.artifact_id }, where);
    return [{ platform, service: String(service), version: String(version), byLocation }];
  });
}
