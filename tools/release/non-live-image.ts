import { isDeepStrictEqual } from "util";
import { isScalar, Pair, Scalar, YAMLMap } from "yaml";
import { Colour } from "../../components/core/colour";
import { RELEASE_PLATFORMS } from "./image-rules";
import { ReleaseRefusal, shown } from "./refusal";
import { imageKey, parseStack, phoenixKey, StackFacts } from "./stack-facts";

/** What setting a stack's non-live image did. */
export interface NonLiveImageChange {
  /** The stack file's new text: the old one with one image line changed or added. */
  readonly text: string;
  /** The facts read from the stack before the change. */
  readonly facts: StackFacts;
  /** The colour that gets the image: always the one not serving live traffic. */
  readonly colour: Colour;
  /** The key set, `phoenix:blueImage` or `phoenix:greenImage`. */
  readonly key: string;
  /** Its value before, if any. */
  readonly previous: string | undefined;
  /** The image set. */
  readonly image: string;
  /** False when the colour already had this image (the text is then unchanged). */
  readonly changed: boolean;
}

/**
 * Throws unless the stack is in a state where its non-live colour may take a new image.
 *
 * @param facts the stack's facts
 * @throws ReleaseRefusal while a canary split sends live traffic to both colours (mid-cutover),
 *   or for a stack on the rebuild path, whose new images go to its live server by an outage
 */
export function assertReleasable(facts: StackFacts): void {
  const { live, nonLive } = facts;
  if (facts.canaryWeight > 0) {
    throw new ReleaseRefusal(
      phoenixKey("canaryWeight"),
      String(facts.canaryWeight),
      `0 (or unset) before a release: the stack is mid-cutover and ${nonLive} serves ` +
        `${facts.canaryWeight}% of live traffic, so neither colour may take a new image; finish the ` +
        `cutover (${phoenixKey("active")} ${nonLive}, ${phoenixKey("canaryWeight")} 0) or undo it ` +
        `(${phoenixKey("canaryWeight")} 0) first`,
    );
  }
  if (facts.rebuildPath) {
    throw new ReleaseRefusal(
      phoenixKey("endpoint"),
      `"floatingIp" with a data volume and one ${live} server`,
      `a stack with a non-live colour to build: this one takes a new image on its live server by ` +
        `the rebuild path, an outage (README, "The rebuild path"), so set ${imageKey(live)} by hand ` +
        `when that outage is planned`,
    );
  }
}

/**
 * Throws unless `image` is an image of the stack's platform.
 *
 * @param facts the stack's facts
 * @param image the image to set
 * @throws ReleaseRefusal naming the non-live colour's image key, the image and what the platform
 *   accepts
 */
export function assertImageFits(facts: StackFacts, image: string): void {
  const rule = RELEASE_PLATFORMS[facts.platform].image;
  if (!rule.test(image)) {
    throw new ReleaseRefusal(
      imageKey(facts.nonLive),
      shown(image),
      `on ${phoenixKey("platform")} ${facts.platform}, ${rule.allowed}`,
    );
  }
}

/** Where a new `phoenix:<colour>Image` line goes: before its colour's other settings. */
function insertionIndex(config: YAMLMap, colour: Colour): number {
  const keys = config.items.map((pair) => (isScalar(pair.key) ? String(pair.key.value) : ""));
  const own = keys.findIndex(
    (k) => k === phoenixKey(`${colour}Count`) || k === phoenixKey(`${colour}Size`),
  );
  if (own >= 0) return own;
  const colours = keys.map((k, i) => (/^phoenix:(blue|green)(Image|Count|Size)$/.test(k) ? i : -1));
  const last = Math.max(...colours);
  return last >= 0 ? last + 1 : config.items.length;
}

/**
 * Sets the image of a stack's non-live colour (`phoenix:greenImage` while blue is live, and the
 * other way round), keeping the file's comments, order, quoting and layout: only that one line
 * changes, or is added beside its colour's other settings. The live colour's keys are never
 * touched, and the result is checked for that before it is returned.
 *
 * @param source the text of `Pulumi.<stack>.yaml`
 * @param image the new image, in the stack platform's terms
 * @returns the new text and what changed
 * @throws ReleaseRefusal if the stack file is invalid, mid-cutover or on the rebuild path, or the
 *   image is not one of its platform (naming the setting, the value received and what is allowed)
 */
export function setNonLiveImage(source: string, image: string): NonLiveImageChange {
  const { doc, facts } = parseStack(source);
  assertReleasable(facts);
  assertImageFits(facts, image);
  const colour = facts.nonLive;
  const key = imageKey(colour);
  const previous = facts.images[colour];
  if (previous === image) {
    return { text: source, facts, colour, key, previous, image, changed: false };
  }

  const config = doc.get("config") as YAMLMap;
  const existing = config.get(key, true);
  if (isScalar(existing)) {
    existing.value = image;
  } else {
    const value = new Scalar(image);
    // Written the way the live colour's image is (DigitalOcean's numeric IDs stay quoted).
    const liveImage = config.get(imageKey(facts.live), true);
    if (isScalar(liveImage)) value.type = liveImage.type;
    config.items.splice(insertionIndex(config, colour), 0, new Pair(new Scalar(key), value));
  }
  const text = doc.toString({ lineWidth: 0 });
  assertOnlyKeyChanged(source, text, key, image);
  return { text, facts, colour, key, previous, image, changed: true };
}

/** Re-reads both texts: everything else in the file, the live colour above all, is as it was. */
function assertOnlyKeyChanged(before: string, after: string, key: string, image: string): void {
  const read = (text: string) => {
    const js = parseStack(text).doc.toJS() as { config: Record<string, unknown> };
    const { [key]: value, ...rest } = js.config;
    return { value, rest: { ...js, config: rest } };
  };
  const was = read(before);
  const is = read(after);
  if (is.value !== image || !isDeepStrictEqual(was.rest, is.rest)) {
    throw new Error(
      `internal error: setting ${key} changed more than that key; nothing was written`,
    );
  }
}
