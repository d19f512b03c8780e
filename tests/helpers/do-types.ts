import { CORE_TYPES } from "../../components/core/platform/core-types";
import { DO_COMPONENTS, DO_TYPES } from "../../components/digitalocean/types";

/** The type tokens of the DigitalOcean, core and command resources Phoenix registers. */
export const T = {
  ...DO_TYPES,
  command: CORE_TYPES.command,
  healthGate: CORE_TYPES.healthGate,
  stackReference: CORE_TYPES.stackReference,
  network: DO_COMPONENTS.network,
  serverGroup: DO_COMPONENTS.serverGroup,
  database: DO_COMPONENTS.database,
  lb: DO_COMPONENTS.loadBalancer,
  floatingIp: DO_COMPONENTS.floatingIp,
  dns: DO_COMPONENTS.dns,
} as const;

export { PLAIN_OPTIONS } from "./plain-options";
