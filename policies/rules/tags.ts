import { colourTagged, factsOf } from "../facts";
import { ResourceRule } from "../subject";

/** Every taggable resource says what it is and that Phoenix manages it. */
export const resourcesTagged: ResourceRule = {
  kind: "resource",
  name: "resources-tagged",
  description:
    "Servers, volumes and database clusters must carry service, environment and " +
    "managed-by:phoenix tags, and servers and volumes a colour tag, so that cost, ownership " +
    "and cutover state can be read off the account.",
  enforcementLevel: "mandatory",
  check(subject) {
    const tagged = factsOf(subject.type)?.tags;
    if (tagged === undefined) return [];
    const tags = tagged.read(subject.props);
    const colour = colourTagged(subject.type, subject.props);
    const missing = ["service", "environment", ...(colour ? ["colour"] : [])].filter(
      (k) => !tags[k],
    );
    if (tags["managed-by"] !== "phoenix") missing.push("managed-by:phoenix");
    if (missing.length === 0) return [];
    return [`${subject.type} ${subject.name} lacks the tags ${missing.join(", ")}`];
  },
};
