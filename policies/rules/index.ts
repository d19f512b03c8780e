import { dnsTtlBounded } from "./dns";
import { appPortBehindEndpoint, firewallsClosed } from "./firewalls";
import { serversUsePinnedImages } from "./images";
import { databaseCredentialsSecret, userDataNoPlaintextSecrets } from "./secrets";
import { statefulResourcesProtected } from "./stateful";
import { resourcesTagged } from "./tags";
import { cutoverKeepsOldColour, liveServesOneColour, liveSwitchGated } from "./blue-green";
import { Rule } from "../subject";

/** Every Phoenix policy, in the order they are reported. */
export const RULES: readonly Rule[] = [
  statefulResourcesProtected,
  serversUsePinnedImages,
  firewallsClosed,
  appPortBehindEndpoint,
  dnsTtlBounded,
  resourcesTagged,
  userDataNoPlaintextSecrets,
  databaseCredentialsSecret,
  liveServesOneColour,
  liveSwitchGated,
  cutoverKeepsOldColour,
];
