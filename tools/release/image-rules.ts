import { PINNED_AMI } from "../../components/aws/values";
import { ValueRule } from "../../components/core/platform/value-rule";
import { PINNED_IMAGE } from "../../components/digitalocean/values";
import { TEMPLATE_NAME } from "../../components/vsphere/settings";

/**
 * A vSphere image: the name of a template built by `images/` (service, version and build time,
 * e.g. `shop-1.4.2-202611251830`), as vSphere stacks accept it.
 */
export const VSPHERE_TEMPLATE_NAME: ValueRule = TEMPLATE_NAME;

/** What a release knows about each platform a stack can choose with `phoenix:platform`. */
export interface ReleasePlatformInfo {
  /** The packer builder that builds its images (`builder_type` in a packer manifest). */
  readonly builderType: string;
  /** The `-only` name of its source in `images/build.pkr.hcl`. */
  readonly packerSource: string;
  /** What its stacks accept as `phoenix:blueImage` / `phoenix:greenImage`. */
  readonly image: ValueRule;
  /**
   * The stack setting naming where an image must be to serve the stack: its region (an AMI is
   * regional, a snapshot is copied to regions), or for vSphere the vCenter it was built on.
   */
  readonly location: string;
}

/** The platforms images are released for, by their `phoenix:platform` value. */
export const RELEASE_PLATFORMS = {
  digitalocean: {
    builderType: "digitalocean",
    packerSource: "digitalocean.app",
    image: PINNED_IMAGE,
    location: "phoenix:region",
  },
  aws: {
    builderType: "amazon-ebs",
    packerSource: "amazon-ebs.app",
    image: PINNED_AMI,
    location: "phoenix:region",
  },
  vsphere: {
    builderType: "vsphere-clone",
    packerSource: "vsphere-clone.app",
    image: VSPHERE_TEMPLATE_NAME,
    location: "vsphere:vsphereServer",
  },
} as const satisfies Record<string, ReleasePlatformInfo>;

/** A `phoenix:platform` value images are released for. */
export type ReleasePlatform = keyof typeof RELEASE_PLATFORMS;

/** Whether `value` is a platform images are released for. */
export function isReleasePlatform(value: unknown): value is ReleasePlatform {
  return typeof value === "string" && Object.hasOwn(RELEASE_PLATFORMS, value);
}

/** The platform a packer builder builds images for, or undefined for a builder Phoenix has none of. */
export function platformOfBuilder(builderType: string): ReleasePlatform | undefined {
  return (Object.keys(RELEASE_PLATFORMS) as ReleasePlatform[]).find(
    (p) => RELEASE_PLATFORMS[p].builderType === builderType,
  );
}
