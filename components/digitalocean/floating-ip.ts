import * as digitalocean from "@pulumi/digitalocean";
import * as pulumi from "@pulumi/pulumi";
import { HealthGateConfig } from "../core/config/stack-config";
import { HealthGate, singleServerGate } from "../core/health-gate";

/** Arguments of a {@link FloatingIp}. */
export interface FloatingIpArgs {
  /** Region of the reserved IP (the droplet's region). */
  readonly region: pulumi.Input<string>;
  /** Key of the server in gate names, e.g. its colour. */
  readonly target: string;
  /** The droplet that gets the address: the live colour's only server. */
  readonly dropletId: pulumi.Input<number>;
  /** That droplet's own public IPv4, which the gate probes before the address moves. */
  readonly dropletIp: pulumi.Input<string>;
  /** Port the app listens on. */
  readonly appPort: number;
  /** Path that answers 2xx when the app is healthy. */
  readonly healthCheckPath: string;
  /** Consecutive successes, time limit and pause of the health gate. */
  readonly gate: HealthGateConfig;
  /** Values whose change re-runs the gate (see `BlueGreenPlan.gate.triggers`). */
  readonly triggers: readonly string[];
  /**
   * The server's fingerprint: when it changes, the gate runs again before the address moves.
   * @default undefined (the gate re-runs only on `triggers`)
   */
  readonly fingerprint?: pulumi.Input<string>;
}

/**
 * A reserved (floating) IP for a single-server service. The address is the stable endpoint:
 * protected and kept if removed from the stack. It moves to a new droplet (a rebuilt server or
 * the other colour) in place, in one assignment, and only after the health gate
 * (`${name}-gate`) has probed that droplet directly.
 */
export class FloatingIp extends pulumi.ComponentResource {
  /** The reserved address. */
  readonly ip: pulumi.Output<string>;
  /** The reserved IP's ID: known once it has moved (after the gate). */
  readonly switchId: pulumi.Output<string>;
  /** The health gate. */
  readonly gate: HealthGate;

  /**
   * @param name component name; children are `${name}-gate` and `${name}-ip`
   * @param args address settings
   * @param opts resource options
   */
  constructor(name: string, args: FloatingIpArgs, opts?: pulumi.ComponentResourceOptions) {
    // The intent is registered as the component's inputs, so policies and previews can read it.
    super(
      "phoenix:digitalocean:FloatingIp",
      name,
      { liveColour: args.target, servedColours: [args.target], liveSwitch: `${name}-ip` },
      opts,
    );
    this.gate = singleServerGate(
      `${name}-gate`,
      {
        colour: args.target,
        address: args.dropletIp,
        port: args.appPort,
        healthCheckPath: args.healthCheckPath,
        settings: args.gate,
        planTriggers: args.triggers,
        fingerprint: args.fingerprint,
      },
      { parent: this },
    );
    // Assigning through the reserved IP itself (not a separate assignment resource) moves the
    // address in one API call; replacing an assignment would unassign it first.
    const reserved = new digitalocean.ReservedIp(
      `${name}-ip`,
      { region: args.region, dropletId: args.dropletId },
      { parent: this, protect: true, retainOnDelete: true, dependsOn: [this.gate] },
    );
    this.ip = reserved.ipAddress;
    this.switchId = reserved.id;
    this.registerOutputs({ ip: this.ip });
  }
}
