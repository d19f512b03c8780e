import { PINNED_AMI } from "../../components/aws/values";
import { patternRule, ValueRule } from "../../components/core/platform/value-rule";
import { PINNED_IMAGE } from "../../components/digitalocean/values";

/**
 * A vSphere image: the name of a template built by `images/` (service, version and build time,
 * e.g. `shop-1.4.2-202611251830`): letters, digits, `.`, `-` and `_`, with a version number and
 * never `latest`, in the 80 characters vSphere allows a VM's name.
 */
export const VSPHERE_TEMPLATE_NAME: ValueRule = patternRule(
  /^(?!.*latest)(?=.*\d)[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/,
  "the name of a vSphere template that carries its release: letters, digits, '.', '-' and '_', " +
    "at most 80 characters, with a version number and never 'latest' (e.g. shop-1.4.2-202611251830)",
);

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
