import * as pulumi from "@pulumi/pulumi";
import * as service from "@pulumi/pulumiservice";
import * as path from "path";
import { currentConfig } from "../components/core/config/read-stack-config";
import { deploymentSettingsInputs } from "./deployment-settings";
import { environmentDefinition, environmentYaml, holdsSecrets } from "./esc-environment";
import { discoverStacks } from "./phoenix-stacks";
import { DeliveryConfigError, DeliverySettings, readDeliverySettings } from "./settings";
import { ESC_PROJECT, REVIEW_TEMPLATE } from "./types";

/** The Phoenix project directory: the repository root, one level above this program. */
export const PHOENIX_DIR = path.resolve(__dirname, "..");

/** What the delivery stack exports. */
export interface DeliveryOutputs {
  /** Every Phoenix stack it delivers, sorted. */
  readonly stacks: readonly string[];
  /** Each stack's ESC environment (`phoenix/<stack>`). */
  readonly environments: Readonly<Record<string, string>>;
  /**
   * The token the self-hosted agents of the vSphere pool register with (secret); undefined
   * without vSphere stacks.
   */
  readonly agentPoolToken: pulumi.Output<string> | undefined;
}

/**
 * The delivery program: for every Phoenix stack file, its ESC environment, its deployment
 * settings (vSphere stacks through the self-hosted agent pool, as vCenter is private) and a drift
 * schedule that puts drift back; for the review template `pr`, its review settings (each review
 * stack schedules its own destroy: `phoenix:reviewTtlHours`).
 *
 * @throws DeliveryConfigError with every problem of the settings or the stack files, before
 *   any resource is registered
 */
export function deliveryProgram(phoenixDir: string = PHOENIX_DIR): DeliveryOutputs {
  const found = discoverStacks(phoenixDir);
  const { config } = currentConfig();
  const problems = [...found.problems];
  let settings: DeliverySettings | undefined;
  try {
    settings = readDeliverySettings(config, found.stacks);
  } catch (e) {
    if (!(e instanceof DeliveryConfigError)) throw e;
    problems.push(...e.problems);
  }
  if (settings === undefined || problems.length > 0) throw new DeliveryConfigError(problems);
  const organization = pulumi.getOrganization();
  const where = { organization, project: found.project };

  const vsphere = found.stacks.some((s) => s.credentials.includes("vsphere"));
  const pool = vsphere
    ? new service.AgentPool("vcenter-agents", {
        organizationName: organization,
        name: settings.vsphereAgentPool,
        description:
          "Self-hosted deployment agents inside the private network of vCenter, for the vSphere stacks.",
      })
    : undefined;

  const environments: Record<string, string> = {};
  for (const stack of found.stacks) {
    const text = environmentYaml(environmentDefinition(stack, settings));
    const environment = new service.Environment(`env-${stack.stack}`, {
      organization,
      project: ESC_PROJECT,
      name: stack.stack,
      // The YAML holds secret values (a token, a password): a Pulumi secret end to end.
      yaml: holdsSecrets(stack)
        ? pulumi.secret(new pulumi.asset.StringAsset(text))
        : new pulumi.asset.StringAsset(text),
    });
    environments[stack.stack] = `${ESC_PROJECT}/${stack.stack}`;
    const inputs = deploymentSettingsInputs(stack, settings, where);
    const deployment = new service.DeploymentSettings(
      `deploy-${stack.stack}`,
      {
        ...inputs,
        vcs: { ...inputs.vcs, paths: [...inputs.vcs.paths] },
        ...(pool && stack.credentials.includes("vsphere") ? { agentPoolId: pool.agentPoolId } : {}),
      },
      // A deployment opens the stack's environment: it must exist first.
      { dependsOn: [environment] },
    );
    // The template is never deployed; each review stack schedules its own destroy
    // (phoenix:reviewTtlHours, components/core/review-stack.ts).
    if (stack.stack === REVIEW_TEMPLATE) continue;
    new service.DriftSchedule(
      `drift-${stack.stack}`,
      { ...where, stack: stack.stack, scheduleCron: settings.driftCron, autoRemediate: true },
      // Pulumi Cloud refuses a schedule on a stack without deployment settings.
      { dependsOn: [deployment] },
    );
  }
  return {
    stacks: found.stacks.map((s) => s.stack),
    environments,
    agentPoolToken: pool ? pulumi.secret(pool.tokenValue) : undefined,
  };
}
