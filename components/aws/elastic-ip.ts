import * as ec2 from "@pulumi/aws/ec2";
import * as pulumi from "@pulumi/pulumi";
import { Colour } from "../core/colour";
import { HealthGateConfig } from "../core/config/stack-config";
import { HealthGate, singleServerGate } from "../core/health-gate";
import { TagContext } from "../core/tags";
import { awsTags } from "./tags";

/** Arguments of an {@link ElasticIp}. */
export interface ElasticIpArgs {
  /** Service and environment, for tags. */
  readonly tags: TagContext;
  /** The colour whose server takes the address. */
  readonly target: Colour;
  /** That server's instance. */
  readonly instanceId: pulumi.Input<string>;
  /** That server's own public address, which the gate probes. */
  readonly instanceIp: pulumi.Input<string>;
  /** Port the app listens on. */
  readonly appPort: number;
  /** Path that answers 2xx when the app is healthy. */
  readonly healthCheckPath: string;
  /** Consecutive successes, time limit and pause of the health gate. */
  readonly gate: HealthGateConfig;
  /** The plan's gate triggers. */
  readonly triggers: readonly string[];
  /** The target colour's server fingerprint: a change re-runs the gate. */
  readonly fingerprint?: pulumi.Input<string>;
  /**
   * What the server needs before it can answer (its data volume's attachment): the gate's time
   * limit starts only then.
   * @default []
   */
  readonly serverNeeds?: pulumi.Resource[];
}

/**
 * An Elastic IP for a single-server service: the address is the stable endpoint, protected and
 * kept if removed from the stack. Its association (`${name}-association`, the live switch)
 * moves to a new instance (a rebuilt server, or the other colour) only after the health gate
 * (`${name}-gate`) has probed that instance on its own address.
 */
export class ElasticIp extends pulumi.ComponentResource {
  /** The Elastic IP address. */
  readonly ip: pulumi.Output<string>;
  /** The association's ID: known once the address has moved (after the gate). */
  readonly switchId: pulumi.Output<string>;
  /** The health gate. */
  readonly gate: HealthGate;

  /**
   * @param name component name; children are `${name}-gate`, `${name}-ip` and
   *   `${name}-association`
   * @param args address settings
   * @param opts resource options
   */
  constructor(name: string, args: ElasticIpArgs, opts?: pulumi.ComponentResourceOptions) {
    super(
      "phoenix:aws:ElasticIp",
      name,
      {
        liveColour: args.target,
        servedColours: [args.target],
        liveSwitch: `${name}-association`,
      },
      opts,
    );
    this.gate = singleServerGate(
      `${name}-gate`,
      {
        colour: args.target,
        address: args.instanceIp,
        port: args.appPort,
        healthCheckPath: args.healthCheckPath,
        settings: args.gate,
        planTriggers: args.triggers,
        fingerprint: args.fingerprint,
      },
      { parent: this, dependsOn: args.serverNeeds ?? [] },
    );
    const eip = new ec2.Eip(
      `${name}-ip`,
      { domain: "vpc", tags: awsTags(`${name}-ip`, args.tags) },
      { parent: this, protect: true, retainOnDelete: true },
    );
    // A new instance replaces the association (instanceId forces it): the new one is created
    // first and, with allowReassociation, takes the address from the old instance in one call;
    // deleting the old association then finds it gone, which the provider treats as done.
    const association = new ec2.EipAssociation(
      `${name}-association`,
      { allocationId: eip.allocationId, instanceId: args.instanceId, allowReassociation: true },
      { parent: this, dependsOn: [this.gate] },
    );
    this.ip = pulumi.all([eip.publicIp, association.id]).apply(([ip]) => ip);
    this.switchId = association.id;
    this.registerOutputs({ ip: this.ip });
  }
}
