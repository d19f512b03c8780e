import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { healthProbeCommandLine, HEALTH_PROBE_SCRIPT } from "./health-probe";
import { HealthGateConfig } from "./config/stack-config";

/** Arguments of a {@link HealthGate}. */
export interface HealthGateArgs {
  /** What to probe, by a short key used in child names (e.g. the colour), each an http(s) URL. */
  readonly targets: Readonly<Record<string, pulumi.Input<string>>>;
  /** Consecutive successes, time limit and pause between probes. */
  readonly settings: HealthGateConfig;
  /**
   * Values whose change makes the gate run again even when the URLs stay the same
   * (the live colour, the weights, the gated colours' images).
   */
  readonly triggers: readonly string[];
  /**
   * Per-request time limit.
   * @default 5
   */
  readonly requestTimeoutSeconds?: number;
}

/**
 * A health gate: a local command on the deploy runner that probes each target until it answers
 * 2xx enough times in a row, and fails the update otherwise. Anything that must only change after
 * the new servers proved healthy takes `dependsOn: [gate]`.
 *
 * It runs on create and whenever its triggers or URLs change; an unchanged `pulumi up` leaves it
 * alone, so re-applying a stack is a no-op.
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
    super(
      "phoenix:core:HealthGate",
      name,
      { targets: Object.keys(args.targets), triggers: args.triggers },
      opts,
    );
    // The probe runs from the project root (Pulumi's working directory), so the script path in
    // state stays the same on every laptop and runner.
    const script = path.relative(process.cwd(), HEALTH_PROBE_SCRIPT);
    const probes: Record<string, command.local.Command> = {};
    for (const [key, url] of Object.entries(args.targets)) {
      const line = pulumi.output(url).apply((u) =>
        healthProbeCommandLine(
          {
            url: u,
            successes: args.settings.successes,
            timeoutSeconds: args.settings.timeoutSeconds,
            intervalSeconds: args.settings.intervalSeconds,
            requestTimeoutSeconds: args.requestTimeoutSeconds ?? 5,
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
