import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { currentConfig } from "../components/core/config/read-stack-config";
import {
  DEPLOYMENT_RECORD_OUTPUT,
  parseDeploymentRecord,
} from "../components/core/deployment-record";
import { HealthGate } from "../components/core/health-gate";
import { digitalOceanRecord } from "./digitalocean-record";
import { EdgeRecordFactory } from "./edge-record";
import { route53Records } from "./route53-records";
import { listStacks, readProjectName } from "../tools/stack-file";
import { EdgeDns, readEdgeSettings } from "./settings";
import { environmentTarget, EnvironmentTarget } from "./target";

/** The stack output that lists the environments the edge sends users to (full stack names). */
export const POINTS_AT_OUTPUT = "pointsAt";

/** The Phoenix project's directory: the repository root, the edge's parent. */
const PHOENIX_DIR = path.resolve(__dirname, "..");

/** Each DNS platform's edge records. */
const RECORDS: Readonly<Record<EdgeDns, EdgeRecordFactory>> = {
  route53: route53Records,
  digitalocean: digitalOceanRecord,
};

/** What the edge stack exports. */
export interface EdgeOutputs {
  /** The name users resolve. */
  readonly fqdn: string;
  /** The environment users are sent to. */
  readonly active: string;
  /** Percent of users per environment that gets traffic. */
  readonly weights: Readonly<Record<string, number>>;
  /**
   * The full names (`<organization>/<project>/<stack>`) of the environments the records point
   * at, once they do: what an environment's decommission reads to refuse a teardown.
   */
  readonly pointsAt: pulumi.Output<string[]>;
}

/**
 * The edge program: validates its settings (before any resource), reads each environment that
 * gets traffic through a reference to its Phoenix stack (`liveUrl`, and the health path of its
 * `phoenixDeployment` record), gates every one of them on its live URL, and only then points the
 * edge records at them.
 *
 * @throws EdgeConfigError when the settings are invalid
 * @throws Error when an environment that should get traffic has no live URL (not deployed)
 */
export async function edgeProgram(): Promise<EdgeOutputs> {
  const settings = readEdgeSettings(currentConfig().config, {
    project: readProjectName(PHOENIX_DIR),
    stacks: listStacks(PHOENIX_DIR),
  });
  const organization = pulumi.getOrganization();
  const fullName = (env: string) => `${organization}/${settings.project}/${env}`;
  const served = Object.keys(settings.weights);

  const targets: Record<string, { target: EnvironmentTarget; weight: number }> = {};
  for (const env of served) {
    const reference = new pulumi.StackReference(`env-${env}`, { name: fullName(env) });
    const [url, record] = await Promise.all([
      reference.getOutputDetails("liveUrl"),
      reference.getOutputDetails(DEPLOYMENT_RECORD_OUTPUT),
    ]);
    const liveUrl = url.value ?? url.secretValue;
    const deployment = parseDeploymentRecord(record.value ?? record.secretValue);
    if (typeof liveUrl !== "string" || deployment === undefined) {
      throw new Error(
        `environment ${env} (stack ${fullName(env)}) has no liveUrl and ${DEPLOYMENT_RECORD_OUTPUT} outputs: deploy it, and check it through its own URLs, before the edge points at it`,
      );
    }
    targets[env] = {
      target: environmentTarget(env, liveUrl, deployment.healthCheckPath),
      weight: settings.weights[env] as number,
    };
  }

  const gate = new HealthGate("edge-gate", {
    targets: Object.fromEntries(
      Object.entries(targets).map(([env, { target }]) => [
        env,
        { url: target.healthUrl, servers: 1 },
      ]),
    ),
    settings: settings.gate,
    // A move (weights) or an environment's new address re-runs the gate.
    triggers: [
      `weights=${JSON.stringify(settings.weights)}`,
      ...Object.entries(targets).map(([env, { target }]) => `${env}=${target.healthUrl}`),
    ],
  });
  const records = RECORDS[settings.dns]({
    domain: settings.domain,
    record: settings.record,
    ttlSeconds: settings.ttlSeconds,
    zoneId: settings.route53ZoneId,
    targets,
    gate,
  });
  return {
    fqdn: `${settings.record}.${settings.domain}`,
    active: settings.active,
    weights: settings.weights,
    // Resolved once every record is in place: a failed update keeps the previous list.
    pointsAt: pulumi.all(records.map((r) => r.id)).apply(() => served.map(fullName).sort()),
  };
}
