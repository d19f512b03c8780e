import { inputAt } from "../../components/core/platform/resource-facts";
import { factsOf } from "../facts";
import { ResourceRule } from "../subject";

/** Servers boot from a pinned image, never a stock image or a "latest" lookup. */
export const serversUsePinnedImages: ResourceRule = {
  kind: "resource",
  name: "servers-use-pinned-images",
  description:
    "Servers must boot from a pinned image of the platform's kind (an image ID), " +
    "never a stock distribution image or a 'latest' lookup: the image is the unit of release, " +
    "and a moving image would patch servers behind the program's back.",
  enforcementLevel: "mandatory",
  check(subject) {
    const server = factsOf(subject.type)?.server;
    if (server === undefined) return [];
    const image = inputAt(subject.props, server.image);
    if (typeof image === "string" && server.pinnedImage.test(image)) return [];
    return [
      `${subject.type} ${subject.name} boots from image ${JSON.stringify(image)}; ` +
        `servers must boot from a pinned image: ${server.pinnedImage.allowed}`,
    ];
  },
};
