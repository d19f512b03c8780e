import { dnsTtlBounded } from "./dns";
import { databaseOverTls, databasePrivate } from "./database";
import { liveDnsFollowsLiveSwitch, liveEndpointKeepsHttps } from "./endpoints";
import {
  appPortBehindEndpoint,
  databaseAdmitsOwnServers,
  firewallsClosed,
  serversFirewalled,
} from "./firewalls";
import { gateProvesWhatGoesLive } from "./health-gate";
import { platformHardening } from "./hardening";
import { serversUsePinnedImages } from "./images";
import { databaseCredentialsSecret, userDataNoPlaintextSecrets } from "./secrets";
import {
  liveServersUntouched,
  serversInGroups,
  serversRebuiltOnUserData,
  volumesDetachFirst,
} from "./servers";
import { statefulResourcesProtected } from "./stateful";
import { resourcesTagged } from "./tags";
import { cutoverKeepsOldColour, liveServesOneColour, liveSwitchGated } from "./blue-green";
import { Rule } from "../subject";

/** Every Phoenix policy, in the order they are reported. */
export const RULES: readonly Rule[] = [
  statefulResourcesProtected,
  serversUsePinnedImages,
  serversInGroups,
  liveServersUntouched,
  serversRebuiltOnUserData,
  volumesDetachFirst,
  firewallsClosed,
  serversFirewalled,
  appPortBehindEndpoint,
  databaseAdmitsOwnServers,
  databasePrivate,
  databaseOverTls,
  dnsTtlBounded,
  liveDnsFollowsLiveSwitch,
  liveEndpointKeepsHttps,
  resourcesTagged,
  userDataNoPlaintextSecrets,
  databaseCredentialsSecret,
  liveServesOneColour,
  liveSwitchGated,
  gateProvesWhatGoesLive,
  cutoverKeepsOldColour,
  platformHardening,
];
