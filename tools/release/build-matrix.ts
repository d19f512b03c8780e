import { RELEASE_PLATFORMS, ReleasePlatform } from "./image-rules";
import { StackSource, stackRegions } from "./release-plan";

/** One image build of a release: a GitHub Actions matrix entry. */
export interface ImageBuild {
  /** The platform, as in `phoenix:platform`. */
  readonly platform: ReleasePlatform;
  /** The source to build, for `packer build -only`. */
  readonly source: string;
  /** Packer variables placing the image in every region the service's stacks run in. */
  readonly vars: Readonly<Record<string, string | readonly string[]>>;
}

function regionVars(platform: ReleasePlatform, regions: readonly string[]): ImageBuild["vars"] {
  const [home, ...copies] = regions;
  if (home === undefined) return {};
  if (platform === "aws") return { aws_region: home, aws_ami_regions: copies };
  if (platform === "digitalocean") {
    return { digitalocean_region: home, digitalocean_snapshot_regions: copies };
  }
  return {};
}

/**
 * The image builds a release of a service needs: one per platform that has a stack of the
 * service, built in the first of its stacks' regions and copied to the others (a vSphere template
 * is placed by the `vsphere_*` variables instead).
 *
 * @param stacks the stack files
 * @param service the service released (`phoenix:service`)
 * @returns the builds, by platform name
 */
export function imageBuilds(stacks: readonly StackSource[], service: string): ImageBuild[] {
  return (Object.keys(RELEASE_PLATFORMS) as ReleasePlatform[])
    .sort()
    .map((platform) => ({ platform, regions: stackRegions(stacks, platform, service) }))
    .filter(({ regions }) => regions.length > 0)
    .map(({ platform, regions }) => ({
      platform,
      source: RELEASE_PLATFORMS[platform].packerSource,
      vars: regionVars(platform, regions),
    }));
}
