import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "./config/config-error";
import { configKey } from "./config/settings";
import { StackConfig } from "./config/stack-config";
import { DEPLOYMENT_RECORD_OUTPUT, parseDeploymentRecord } from "./deployment-record";
import { unprotectStack } from "./unprotect-stack";

/** The edge stack's output listing the environments (full stack names) it points at. */
export const EDGE_POINTS_AT_OUTPUT = "pointsAt";

/** What a decommission reads from other stacks, as their outputs hold it. */
export interface DecommissionEvidence {
  /** The edge's `pointsAt` output; undefined when the edge stack has none (or no edge is named). */
  readonly edgePointsAt: unknown;
  /** The deployment record of the stack said to hold the data, when one is named. */
  readonly dataCopyRecord: unknown;
}

/**
 * Whether a stack may be torn down, from what the other stacks say (pure): refused while the
 * edge points at it, while the edge's outputs cannot show it does not, and while it holds the
 * only copy of its protected data (a database or data volumes) — unless another stack's
 * deployment record shows the same kind of data there, or the settings name a confirmed dump.
 *
 * @param self this stack's full name (`<organization>/<project>/<stack>`)
 * @returns each problem, naming the setting, what was found and what is allowed
 */
export function decommissionProblems(
  config: StackConfig,
  self: string,
  evidence: DecommissionEvidence,
): string[] {
  const plan = config.decommission;
  if (plan === undefined) return [];
  const problems: string[] = [];
  if (plan.edgeStack !== undefined) {
    const points = evidence.edgePointsAt;
    if (!Array.isArray(points) || !points.every((p) => typeof p === "string")) {
      problems.push(
        `${configKey("decommission")}: refused: the edge stack ${plan.edgeStack} has no ${EDGE_POINTS_AT_OUTPUT} output, so nothing shows it no longer sends users here; allowed: once the edge is deployed and points elsewhere`,
      );
    } else if (points.includes(self)) {
      problems.push(
        `${configKey("decommission")}: refused: the edge stack ${plan.edgeStack} points at this stack (${EDGE_POINTS_AT_OUTPUT}: ${points.join(", ")}); allowed: once the edge has moved every user to another environment`,
      );
    }
  }
  const holds = {
    database: config.database !== undefined,
    "data volumes": config.dataVolume !== undefined,
  };
  const copy = plan.dataCopy;
  if (copy !== undefined && "stack" in copy) {
    const record = parseDeploymentRecord(evidence.dataCopyRecord);
    const there = {
      database: record?.database !== null && record !== undefined,
      "data volumes": record?.dataVolume !== null && record !== undefined,
    };
    for (const [kind, held] of Object.entries(holds)) {
      if (!held || there[kind as keyof typeof there]) continue;
      problems.push(
        `${configKey("decommissionDataCopy")}: refused: this stack holds the only copy of its ${kind}: the stack ${copy.stack} ${record ? `has no ${kind}` : `has no ${DEPLOYMENT_RECORD_OUTPUT} output (not deployed)`}; allowed: the stack whose promoted replica holds the data, or dump:<location> of a confirmed dump`,
      );
    }
  }
  return problems;
}

/**
 * The decommission of the running stack: reads the edge stack's `pointsAt` and the record of the
 * stack said to hold the data (through stack references), refuses the teardown when it is not
 * safe, and otherwise lifts `protect` from every resource the program registers after it, so that
 * `pulumi destroy` can run next. `retainOnDelete` stays: the destroy leaves the database, volumes
 * and addresses in the account, to be deleted by hand once the data is safe.
 *
 * @throws ConfigError with every reason the teardown is refused, before any other resource
 */
export async function decommission(config: StackConfig): Promise<void> {
  const plan = config.decommission;
  if (plan === undefined) return;
  const organization = pulumi.getOrganization();
  const self = `${organization}/${pulumi.getProject()}/${pulumi.getStack()}`;
  const read = async (name: string, stack: string, output: string): Promise<unknown> => {
    const details = await new pulumi.StackReference(name, { name: stack }).getOutputDetails(output);
    return details.value ?? details.secretValue;
  };
  const copy = plan.dataCopy;
  const evidence: DecommissionEvidence = {
    edgePointsAt: plan.edgeStack
      ? await read("phoenix-decommission-edge", plan.edgeStack, EDGE_POINTS_AT_OUTPUT)
      : undefined,
    dataCopyRecord:
      copy && "stack" in copy
        ? await read(
            "phoenix-decommission-data",
            `${organization}/${pulumi.getProject()}/${copy.stack}`,
            DEPLOYMENT_RECORD_OUTPUT,
          )
        : undefined,
  };
  const problems = decommissionProblems(config, self, evidence);
  if (problems.length > 0) throw new ConfigError(problems);
  unprotectStack({ keepRetained: true });
  void pulumi.log.warn(
    `${configKey("decommission")}: every resource of this stack is unprotected by this update, so that \`pulumi destroy\` can remove the stack next; the database, volumes and addresses are kept in the account by that destroy (retainOnDelete): delete them by hand once their data is safe elsewhere.`,
  );
}
