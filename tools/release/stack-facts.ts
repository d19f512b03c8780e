import { Document, isMap, parseDocument } from "yaml";
import { Colour, isColour, otherColour } from "../../components/core/colour";
import { isReleasePlatform, RELEASE_PLATFORMS, ReleasePlatform } from "./image-rules";
import { ReleaseRefusal, shown } from "./refusal";

/** What a release needs to know about one stack, read from its `Pulumi.<stack>.yaml`. */
export interface StackFacts {
  /** `phoenix:platform`. */
  readonly platform: ReleasePlatform;
  /** `phoenix:service`: the app its images carry. */
  readonly service: string;
  /** `phoenix:region`. */
  readonly region: string;
  /**
   * Where the stack's images must be: its region, or for vSphere its vCenter
   * (`RELEASE_PLATFORMS[platform].location` names the setting).
   */
  readonly location: string;
  /** `phoenix:active` (blue when unset, as in Phoenix's settings): the colour serving live. */
  readonly live: Colour;
  /** The other colour: the only one a release may give a new image. */
  readonly nonLive: Colour;
  /** `phoenix:canaryWeight` (0 when unset). */
  readonly canaryWeight: number;
  /** `phoenix:<colour>Count` of each colour (blue 1 and green 0 when unset, as in Phoenix). */
  readonly counts: Readonly<Record<Colour, number>>;
  /** `phoenix:<colour>Image` of each colour, if set. */
  readonly images: Readonly<Record<Colour, string | undefined>>;
  /** Whether the stack takes new images by the rebuild path (one server, static address, data). */
  readonly rebuildPath: boolean;
}

/** A stack file parsed with its comments and layout, and the facts read from it. */
export interface ParsedStack {
  /** The YAML document, to edit in place. */
  readonly doc: Document;
  /** The facts a release needs. */
  readonly facts: StackFacts;
}

/** The full config key of a `phoenix:` setting, e.g. `phoenix:greenImage`. */
export function phoenixKey(setting: string): string {
  return `phoenix:${setting}`;
}

/** The config key holding a colour's image. */
export function imageKey(colour: Colour): string {
  return phoenixKey(`${colour}Image`);
}

function integer(raw: unknown, key: string, fallback: number): number {
  if (raw === undefined || raw === null) return fallback;
  const n = typeof raw === "number" ? raw : typeof raw === "string" ? Number(raw.trim()) : NaN;
  if (typeof raw === "string" && raw.trim() === "") return fallback;
  if (!Number.isInteger(n) || n < 0) {
    throw new ReleaseRefusal(key, shown(raw), "a whole number of 0 or more");
  }
  return n;
}

function text(raw: unknown, key: string, allowed: string): string {
  if (typeof raw === "string" && raw !== "") return raw;
  throw new ReleaseRefusal(key, shown(raw), allowed);
}

/**
 * Parses a stack file and reads what a release needs from it.
 *
 * @param source the text of `Pulumi.<stack>.yaml`
 * @returns the document (comments and layout kept) and the facts
 * @throws ReleaseRefusal if the file is not YAML with a `config:` mapping, or a setting a release
 *   reads is missing or invalid (naming the setting, the value received and what is allowed)
 */
export function parseStack(source: string): ParsedStack {
  const doc = parseDocument(source);
  if (doc.errors.length > 0) {
    throw new ReleaseRefusal("the stack file", shown(doc.errors[0]?.message), "valid YAML");
  }
  const config = doc.get("config");
  if (!isMap(config)) {
    throw new ReleaseRefusal("config", shown(doc.toJS()?.config), "a mapping of config keys");
  }
  const get = (setting: string): unknown => doc.getIn(["config", phoenixKey(setting)]);

  const platform = get("platform");
  if (!isReleasePlatform(platform)) {
    throw new ReleaseRefusal(
      phoenixKey("platform"),
      shown(platform),
      `one of ${Object.keys(RELEASE_PLATFORMS).join(", ")}`,
    );
  }
  const active = get("active") ?? "blue";
  if (!isColour(active)) {
    throw new ReleaseRefusal(phoenixKey("active"), shown(active), "blue or green");
  }
  const counts = {
    blue: integer(get("blueCount"), phoenixKey("blueCount"), 1),
    green: integer(get("greenCount"), phoenixKey("greenCount"), 0),
  };
  const image = (colour: Colour): string | undefined => {
    const raw = get(`${colour}Image`);
    return raw === undefined || raw === null ? undefined : String(raw);
  };
  const region = text(get("region"), phoenixKey("region"), "the platform's region, e.g. nyc3");
  const endpoint = get("endpoint") ?? "loadBalancer";
  const dataVolume = integer(get("dataVolumeSizeGiB"), phoenixKey("dataVolumeSizeGiB"), 0);
  return {
    doc,
    facts: {
      platform,
      service: text(get("service"), phoenixKey("service"), "the app's service name, e.g. shop"),
      region,
      location: text(
        doc.getIn(["config", RELEASE_PLATFORMS[platform].location]),
        RELEASE_PLATFORMS[platform].location,
        "where the stack runs: its region, or its vCenter server",
      ),
      live: active,
      nonLive: otherColour(active),
      canaryWeight: integer(get("canaryWeight"), phoenixKey("canaryWeight"), 0),
      counts,
      images: { blue: image("blue"), green: image("green") },
      rebuildPath: endpoint === "floatingIp" && dataVolume > 0 && counts[active] === 1,
    },
  };
}
