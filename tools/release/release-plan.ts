import { Colour } from "../../components/core/colour";
import { RELEASE_PLATFORMS } from "./image-rules";
import { ReleaseImage } from "./packer-manifest";
import { ReleaseRefusal, shown } from "./refusal";
import { setNonLiveImage } from "./non-live-image";
import { parseStack, StackFacts } from "./stack-facts";

/** A stack file by its stack name (`prod` for `Pulumi.prod.yaml`). */
export interface StackSource {
  /** The stack name. */
  readonly stack: string;
  /** The file's text. */
  readonly text: string;
}

/** What a release does to one stack of the released service and platform. */
export type StackOutcome =
  | {
      /** The stack name. */
      readonly stack: string;
      /** `set`: the file changes; `unchanged`: the colour already had the image. */
      readonly status: "set" | "unchanged";
      /** The non-live colour, which gets the image. */
      readonly colour: Colour;
      /** The live colour, untouched. */
      readonly live: Colour;
      /** The key set, e.g. `phoenix:greenImage`. */
      readonly key: string;
      /** Its value before, if any. */
      readonly previous: string | undefined;
      /** The image set: the release's image for the stack's region (or vCenter). */
      readonly image: string;
      /** The non-live colour's server count: 0 means the image reaches no server yet. */
      readonly count: number;
      /** The stack file's new text. */
      readonly text: string;
    }
  | {
      /** The stack name. */
      readonly stack: string;
      /** The stack is left as it is. */
      readonly status: "refused";
      /** Why, naming the setting, the value received and what is allowed. */
      readonly reason: string;
    };

/** A release over a set of stack files. */
export interface ReleasePlan {
  /** The version released (the manifests' `custom_data.version`). */
  readonly version: string;
  /** The service released. */
  readonly service: string;
  /** One outcome per stack of the released service on a platform an image was built for. */
  readonly outcomes: readonly StackOutcome[];
}

function imageFor(release: ReleaseImage, facts: StackFacts): string {
  const image = release.byLocation[facts.location];
  if (image === undefined) {
    const places = Object.keys(release.byLocation).join(", ");
    throw new ReleaseRefusal(
      RELEASE_PLATFORMS[facts.platform].location,
      shown(facts.location),
      `where the ${facts.platform} image was built or copied to (${places}); ` +
        "build the image there too (images/README.md)",
    );
  }
  return image;
}

/**
 * Plans a release: each stack whose `phoenix:service` and `phoenix:platform` an image was built
 * for gets that image (for its region) on its non-live colour; a stack that cannot take it now
 * (mid-cutover, the rebuild path, a region the image is not in) is listed with the reason and
 * left as it is. Stacks of other services or platforms are not part of the release.
 *
 * @param images the images of one release, from packer manifests
 * @param stacks the stack files
 * @returns the version, the service and each affected stack's outcome, sorted by stack
 * @throws ReleaseRefusal if the images are not of one service and one version, or two images
 *   were built for one platform
 */
export function planRelease(
  images: readonly ReleaseImage[],
  stacks: readonly StackSource[],
): ReleasePlan {
  const first = images[0];
  if (!first) throw new ReleaseRefusal("the manifests", "no builds", "at least one image");
  for (const field of ["service", "version"] as const) {
    const values = [...new Set(images.map((i) => i[field]))];
    if (values.length > 1) {
      throw new ReleaseRefusal(`custom_data.${field}`, shown(values), `one ${field} per release`);
    }
  }
  const byPlatform = new Map<string, ReleaseImage>();
  for (const image of images) {
    if (byPlatform.has(image.platform)) {
      throw new ReleaseRefusal(
        "builder_type",
        shown(image.platform),
        "one image per platform in a release",
      );
    }
    byPlatform.set(image.platform, image);
  }

  const outcomes: StackOutcome[] = [];
  for (const { stack, text } of [...stacks].sort((a, b) => a.stack.localeCompare(b.stack))) {
    let facts: StackFacts;
    try {
      facts = parseStack(text).facts;
    } catch (e) {
      if (!(e instanceof ReleaseRefusal)) throw e;
      outcomes.push({ stack, status: "refused", reason: e.message });
      continue;
    }
    const release = byPlatform.get(facts.platform);
    if (!release || facts.service !== first.service) continue;
    try {
      const change = setNonLiveImage(text, imageFor(release, facts));
      outcomes.push({
        stack,
        status: change.changed ? "set" : "unchanged",
        colour: change.colour,
        live: facts.live,
        key: change.key,
        previous: change.previous,
        image: change.image,
        count: facts.counts[change.colour],
        text: change.text,
      });
    } catch (e) {
      if (!(e instanceof ReleaseRefusal)) throw e;
      outcomes.push({ stack, status: "refused", reason: e.message });
    }
  }
  return { version: first.version, service: first.service, outcomes };
}

/**
 * The regions a service's stacks run in on a platform (`phoenix:region`), sorted: where its
 * images must be built or copied to.
 *
 * @param stacks the stack files
 * @param platform the platform
 * @param service the service
 * @returns the regions, each once; stack files a release cannot read are left out
 */
export function stackRegions(
  stacks: readonly StackSource[],
  platform: string,
  service: string,
): string[] {
  const regions = new Set<string>();
  for (const { text } of stacks) {
    try {
      const { facts } = parseStack(text);
      if (facts.platform === platform && facts.service === service) regions.add(facts.region);
    } catch (e) {
      if (!(e instanceof ReleaseRefusal)) throw e;
    }
  }
  return [...regions].sort();
}
