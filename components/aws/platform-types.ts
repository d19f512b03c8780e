import { ServerGroupHandle } from "../core/platform/platform";
import { Network } from "./network";
import { ServerGroup } from "./server-group";
import { StatefulServers } from "./stateful-servers";

/** The AWS network as the platform's other factories receive it. */
export interface AwsNetwork {
  readonly network: Network;
  readonly service: string;
  readonly environment: string;
  /** Whether the servers are single stateful servers behind an Elastic IP (no load balancer). */
  readonly singleServers: boolean;
  /** The zone single stateful servers live in. */
  readonly statefulZone: string;
  /** TCP port the app listens on (the target groups forward to it). */
  readonly appPort: number;
  /** Path the target groups check. */
  readonly healthCheckPath: string;
}

/** One colour's servers on AWS: an auto scaling group, or single stateful servers. */
export interface AwsServerGroup extends ServerGroupHandle {
  readonly servers: ServerGroup | StatefulServers;
}
