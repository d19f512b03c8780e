import { CORE_TYPES } from "../../components/core/platform/core-types";
import { AWS_COMPONENTS, AWS_TYPES } from "../../components/aws/types";

/** The type tokens of the AWS, core and command resources Phoenix registers. */
export const A = {
  ...AWS_TYPES,
  command: CORE_TYPES.command,
  healthGate: CORE_TYPES.healthGate,
  stackReference: CORE_TYPES.stackReference,
  network: AWS_COMPONENTS.network,
  serverGroup: AWS_COMPONENTS.serverGroup,
  statefulServers: AWS_COMPONENTS.statefulServers,
  database: AWS_COMPONENTS.database,
  lb: AWS_COMPONENTS.loadBalancer,
  elasticIp: AWS_COMPONENTS.elasticIp,
  dns: AWS_COMPONENTS.dns,
} as const;
