import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { healthProbeCommandLine, HEALTH_PROBE_SCRIPT } from "./health-probe";
import { HealthGateConfig } from "./config/stack-config";
import { CORE_TYPES } from "./platform/core-types";

/** One thing the gate proves: a server, or every server behind a load balancer. */
export interface GateTarget {
  /** The http(s) URL of the health path: a server's own, or its colour's load balancer. */
  readonly url: pulumi.Input<string>;
  /** How many servers answer there, each proven on its own. */
  readonly servers: number;
  /** With several servers: the cookie the load balancer pins a client to a server with. */
  readonly affinityCookie?: string;
  /**
   * With several servers that no cookie tells apart: the load balancer's target group, whose
   * healthy targets must number `servers`, its region, and the platform's `target-health.sh`
   * that asks the load balancer (an absolute path).
   */
  readonly targetGroup?: {
    readonly id: pulumi.Input<string>;
    readonly region: string;
    readonly script: string;
  };
  /** A request header every probe sends, `Name: value`. */
  readonly header?: string;
}

/** Arguments of a {@link HealthGate}. */
export interface HealthGateArgs {
  /** What to probe, by a short key used in child names (e.g. the colour). */
  readonly targets: Readonly<Record<string, GateTarget>>;
  /** Consecutive successes, time limit and pause between probes. */
  readonly settings: HealthGateConfig;
  /**
   * Values whose change makes the gate run again even when the URLs stay the same: the live
   * colour and weights, and everything that goes into the gated servers (their fingerprints).
   */
  readonly triggers: readonly pulumi.Input<string>[];
  /**
   * Per-request time limit.
   * @default 5
   */
  readonly requestTimeoutSeconds?: number;
}

/**
 * A health gate: a local command on the deploy runner that proves every server of each target
 * answers its health path 2xx enough times in a row, and fails the update otherwise. Anything
 * that must only change after the servers proved healthy takes `dependsOn: [gate]`.
 *
 * It runs on create and whenever its triggers or targets change; an unchanged `pulumi up`
 * leaves it alone, so re-applying a stack is a no-op.
 */
export class HealthGate extends pulumi.ComponentResource {
  /** The probe commands, one per target, keyed like `targets`. */
  readonly probes: Readonly<Record<string, command.local.Command>>;

  /**
   * @param name component name; probes are named `${name}-${key}`
   * @param args targets, settings and triggers
   * @param opts resource options
   */
  constructor(name: string, args: HealthGateArgs, opts?: pulumi.ComponentResourceOptions) {
    // The intent (what is probed, how many servers, what re-runs it) is the component's inputs,
    // so policies can check the gate proves what goes live.
    super(
      CORE_TYPES.healthGate,
      name,
      {
        targets: Object.keys(args.targets),
        servers: Object.fromEntries(Object.entries(args.targets).map(([k, t]) => [k, t.servers])),
        triggers: args.triggers,
      },
      opts,
    );
    // The probe runs from the project root (Pulumi's working directory), so the script path in
    // state stays the same on every laptop and runner.
    const script = path.relative(process.cwd(), HEALTH_PROBE_SCRIPT);
    const probes: Record<string, command.local.Command> = {};
    for (const [key, target] of Object.entries(args.targets)) {
      const line = pulumi.all([target.url, target.targetGroup?.id]).apply(([url, group]) =>
        healthProbeCommandLine(
          {
            url,
            successes: args.settings.successes,
            timeoutSeconds: args.settings.timeoutSeconds,
            intervalSeconds: args.settings.intervalSeconds,
            requestTimeoutSeconds: args.requestTimeoutSeconds ?? 5,
            servers: target.servers,
            ...(target.affinityCookie ? { affinityCookie: target.affinityCookie } : {}),
            ...(group && target.targetGroup
              ? {
                  targetGroup: group,
                  targetHealth: path.relative(process.cwd(), target.targetGroup.script),
                  region: target.targetGroup.region,
                }
              : {}),
            ...(target.header ? { header: target.header } : {}),
          },
          script,
        ),
      );
      probes[key] = new command.local.Command(
        `${name}-${key}`,
        { create: line, update: line, triggers: [...args.triggers] },
        { parent: this, replaceOnChanges: ["triggers"] },
      );
    }
    this.probes = probes;
    this.registerOutputs({});
  }
}

/**
 * What re-runs a gate: the plan's own triggers (live colour, weights, images, sizes, counts), and
 * for each gated colour the fingerprint of everything that goes into its servers.
 *
 * @param planTriggers the plan's `gate.triggers`
 * @param fingerprints each gated colour's server fingerprint, where known
 */
export function gateTriggers(
  planTriggers: readonly string[],
  fingerprints: Readonly<Record<string, pulumi.Input<string> | undefined>>,
): pulumi.Input<string>[] {
  return [
    ...planTriggers,
    ...Object.entries(fingerprints).flatMap(([colour, print]) =>
      print === undefined ? [] : [pulumi.interpolate`${colour}.servers=${print}`],
    ),
  ];
}

/** What a gate in front of one server needs. */
export interface SingleServerGateArgs {
  /** The colour the server belongs to (the gate's target key). */
  readonly colour: string;
  /** The server's own address, port and health path. */
  readonly address: pulumi.Input<string>;
  readonly port: number;
  readonly healthCheckPath: string;
  /** Consecutive successes, time limit and pause. */
  readonly settings: HealthGateConfig;
  /** The plan's gate triggers. */
  readonly planTriggers: readonly string[];
  /** The server's fingerprint: a change re-runs the gate. */
  readonly fingerprint: pulumi.Input<string> | undefined;
}

/**
 * The gate of a static-address endpoint: the one server about to take the address, probed on
 * its own address, before the address moves to it.
 */
export function singleServerGate(
  name: string,
  args: SingleServerGateArgs,
  opts: pulumi.ComponentResourceOptions,
): HealthGate {
  return new HealthGate(
    name,
    {
      targets: {
        [args.colour]: {
          url: pulumi.interpolate`http://${args.address}:${args.port}${args.healthCheckPath}`,
          servers: 1,
        },
      },
      settings: args.settings,
      triggers: gateTriggers(args.planTriggers, { [args.colour]: args.fingerprint }),
    },
    opts,
  );
}
