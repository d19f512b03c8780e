import { BlueGreenPlan } from "../blue-green-plan";
import { otherColour } from "../colour";
import { DeploymentRecord } from "../deployment-record";
import { configKey } from "./settings";
import { StackConfig } from "./stack-config";

/**
 * Whether the stack takes the rebuild path: one server behind a static address, with a data
 * volume. Its server is rebuilt in place from a new image (there is no other colour to move
 * traffic to without copying its data), at the cost of a short outage the README states.
 */
export function isRebuildPath(config: StackConfig): boolean {
  const live = config.colours[config.active];
  return config.endpoint === "floatingIp" && config.dataVolume !== undefined && live.count === 1;
}

const quote = (v: unknown) => JSON.stringify(v);

/**
 * The changes this update would make that cannot be made safely, given what the previous
 * deployment left: each names the setting, the value received, what is allowed and how to reach
 * the goal safely. Checked before any resource is registered, in the program (the stack's own
 * record) and in the offline plan (`--base`).
 */
export function transitionProblems(
  previous: DeploymentRecord,
  config: StackConfig,
  plan: BlueGreenPlan,
): string[] {
  const problems: string[] = [];
  const refuse = (setting: string, received: unknown, allowed: string) =>
    problems.push(`${configKey(setting)}: received ${quote(received)}; allowed: ${allowed}`);

  for (const [setting, before, now, why] of [
    [
      "service",
      previous.service,
      config.app.name,
      "it names every resource, so a change would replace them all, the protected database and volumes included",
    ],
    [
      "environment",
      previous.environment,
      config.environment,
      "it names every resource, so a change would replace them all, the protected database and volumes included",
    ],
    [
      "region",
      previous.region,
      config.region,
      "servers, volumes, addresses and the database cannot move between regions; build a new stack in the new region and move users to it",
    ],
    [
      "vpcCidr",
      previous.vpcCidr,
      config.network.vpcCidr,
      "the network's range forces a new network, whose name collides with the old one, and the protected database would have to leave its private network",
    ],
    [
      "endpoint",
      previous.endpoint,
      config.endpoint,
      "the live address would change under the users; build a new stack with the new endpoint and move users to it",
    ],
    [
      "appPort",
      previous.appPort,
      config.app.port,
      "the load balancers would send live traffic to a port the serving servers' app does not listen on; build a new stack (environment) with the new port and move users to it",
    ],
    [
      "healthCheckPath",
      previous.healthCheckPath,
      config.app.healthCheckPath,
      "the load balancers would check the serving servers on a path their app may not answer, and take them out of service; build a new stack (environment) with the new path and move users to it",
    ],
  ] as const) {
    if (before !== now) refuse(setting, now, `${quote(before)}, as deployed: ${why}`);
  }

  const rebuild = isRebuildPath(config) && previous.endpoint === "floatingIp";
  for (const colour of plan.frozen) {
    const was = previous.colours[colour];
    const is = config.colours[colour];
    const other = otherColour(colour);
    const recipe = (what: string) =>
      `${what} reaches live traffic only through the other colour: set it on ${other} ` +
      `(${configKey(`${other}Image`)}, ${configKey(`${other}Size`)}, ${configKey(`${other}Count`)}), ` +
      `run pulumi up and test the preview, then set ${configKey("active")} ${other} and run ` +
      `pulumi up until ${colour} has left the live endpoint`;
    if (is.count === 0 && was.count > 0) {
      refuse(
        `${colour}Count`,
        "0",
        `${was.count} until ${colour} no longer serves live traffic: set ${configKey("active")} ${other} and run pulumi up until ${colour} has left the live endpoint, then remove ${colour} in a later change`,
      );
    } else if (is.count !== was.count) {
      refuse(
        `${colour}Count`,
        String(is.count),
        `${was.count} while ${colour} serves live traffic; ${recipe("a new server count")}`,
      );
    }
    if (rebuild) continue;
    if ((is.image ?? null) !== was.image) {
      refuse(
        `${colour}Image`,
        is.image ?? "nothing",
        `${quote(was.image)} while ${colour} serves live traffic (its servers are never rebuilt while they serve); ${recipe("a new image")}`,
      );
    }
    if (is.size !== was.size) {
      refuse(
        `${colour}Size`,
        is.size,
        `${quote(was.size)} while ${colour} serves live traffic (a resize powers its servers off); ${recipe("a new size")}`,
      );
    }
  }

  if (previous.database && !config.database) {
    refuse(
      "database",
      "false",
      "true: the database is protected and its data kept; to retire it, first unprotect it (pulumi state unprotect) in a change of its own",
    );
  }
  const engineBefore = Number(previous.database?.engineVersion);
  const engineNow = Number(config.database?.engineVersion);
  if (config.database && engineNow < engineBefore) {
    refuse(
      "dbEngineVersion",
      config.database.engineVersion,
      `${previous.database?.engineVersion} or later: Postgres upgrades in place but never downgrades (restore a dump into a new stack instead)`,
    );
  }

  const volume = previous.dataVolume;
  if (volume && !config.dataVolume) {
    refuse(
      "dataVolumeSizeGiB",
      "0",
      `${volume.sizeGiB} or more: the servers keep their data on these volumes, and without them they would start empty`,
    );
  }
  if (volume && config.dataVolume && config.dataVolume.sizeGiB < volume.sizeGiB) {
    refuse(
      "dataVolumeSizeGiB",
      String(config.dataVolume.sizeGiB),
      `${volume.sizeGiB} or more: a volume grows but never shrinks`,
    );
  }
  if (volume && config.dataVolume && config.dataVolume.filesystem !== volume.filesystem) {
    refuse(
      "dataVolumeFilesystem",
      config.dataVolume.filesystem,
      `${quote(volume.filesystem)}: a volume that holds data is never reformatted`,
    );
  }
  return problems;
}
