import { readTags, TAGGABLE_TYPES } from "../platform";
import { ResourceRule } from "../subject";

/** Every taggable resource says what it is and that Phoenix manages it. */
export const resourcesTagged: ResourceRule = {
  kind: "resource",
  name: "resources-tagged",
  description:
    "Droplets, volumes and database clusters must carry service, environment and " +
    "managed-by:phoenix tags, and droplets and volumes a colour tag, so that cost, ownership " +
    "and cutover state can be read off the account.",
  enforcementLevel: "mandatory",
  check(subject) {
    const taggable = TAGGABLE_TYPES[subject.type];
    if (taggable === undefined) return [];
    const tags = readTags(subject.props);
    const missing = ["service", "environment", ...(taggable.colour ? ["colour"] : [])].filter(
      (k) => !tags[k],
    );
    if (tags["managed-by"] !== "phoenix") missing.push("managed-by:phoenix");
    if (missing.length === 0) return [];
    return [`${subject.type} ${subject.name} lacks the tags ${missing.join(", ")}`];
  },
};
