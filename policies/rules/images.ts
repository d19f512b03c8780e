import { SERVER_TYPES } from "../platform";
import { ResourceRule } from "../subject";

/** A pinned custom image: an image or snapshot ID, not a name that moves. */
const PINNED = /^\d+$/;

/** Servers boot from a pinned custom image, never a stock slug or a "latest" lookup. */
export const serversUsePinnedImages: ResourceRule = {
  kind: "resource",
  name: "servers-use-pinned-images",
  description:
    "Servers must boot from a pinned custom image (a numeric snapshot or image ID), never a " +
    "stock distribution slug such as ubuntu-24-04-x64 or a 'latest' lookup: the image is the " +
    "unit of release, and a moving image would patch servers behind the program's back.",
  enforcementLevel: "mandatory",
  check(subject) {
    const server = SERVER_TYPES[subject.type];
    if (server === undefined) return [];
    const image = subject.props[server.image];
    if (typeof image === "string" && PINNED.test(image)) return [];
    return [
      `${subject.type} ${subject.name} boots from image ${JSON.stringify(image)}; ` +
        "servers must boot from a pinned custom image (a numeric snapshot or image ID)",
    ];
  },
};
