import { AddressPlan } from "./addresses";
import { Network } from "./network";
import { ServerGroup } from "./server-group";
import { SshAccess } from "./ssh";
import { ServerGroupHandle } from "../core/platform/platform";

/** The vSphere network as the platform's other factories receive it. */
export interface VsphereNetwork {
  readonly network: Network;
  readonly addresses: AddressPlan;
  readonly service: string;
  readonly environment: string;
  readonly appPort: number;
  readonly healthCheckPath: string;
  readonly adminCidrs: readonly string[];
  readonly ssh: SshAccess;
}

/** One colour's servers on vSphere. */
export interface VsphereServerGroup extends ServerGroupHandle {
  readonly servers: ServerGroup;
}
