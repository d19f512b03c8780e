import { configKey } from "../components/core/config/settings";
import { listStacks, readStackFile } from "../tools/stack-file";
import { Credential, credentialsOf } from "./credentials";
import { ESC_PROJECT, REVIEW_TEMPLATE } from "./types";

/** The setting that gives a review stack its lifetime (components/core/review-stack.ts). */
const REVIEW_TTL = configKey("reviewTtlHours");

/** A committed Phoenix stack file, as the delivery program sees it. */
export interface PhoenixStack {
  /** The stack name (`Pulumi.<stack>.yaml`). */
  readonly stack: string;
  /** Its `phoenix:platform`. */
  readonly platform: string;
  /** The credentials its deployment needs. */
  readonly credentials: readonly Credential[];
  /** `vsphere:user` of a vSphere stack. */
  readonly vsphereUser: string | undefined;
  /** The environments its `environment:` block opens. */
  readonly environments: readonly string[];
}

/** Every Phoenix stack file of the repository, and what is wrong with any of them. */
export interface PhoenixStacks {
  /** The Phoenix project's name (`Pulumi.yaml`). */
  readonly project: string;
  readonly stacks: readonly PhoenixStack[];
  /** Each problem: the file, the value received and what is allowed. */
  readonly problems: readonly string[];
}

/** The ESC environment the delivery program defines for a stack: `phoenix/<stack>`. */
export function environmentOf(stack: string): string {
  return `${ESC_PROJECT}/${stack}`;
}

/**
 * Finds every `Pulumi.<stack>.yaml` in the Phoenix project directory (none is named here: a new
 * stack file joins by being committed) and reads what its delivery needs. A stack file whose
 * platform is unknown, or that does not open its own environment, is a problem; so is a review
 * template without a lifetime for its review stacks, and a lifetime in any other stack file (it
 * would destroy that stack and its data).
 */
export function discoverStacks(projectDir: string): PhoenixStacks {
  const problems: string[] = [];
  const stacks: PhoenixStack[] = [];
  let project = "";
  for (const stack of listStacks(projectDir)) {
    const file = readStackFile(projectDir, stack);
    project = file.project;
    const credentials = credentialsOf(file.config);
    const platform = file.config["phoenix:platform"] ?? "";
    if (credentials === undefined) {
      problems.push(
        `Pulumi.${stack}.yaml: phoenix:platform received ${JSON.stringify(platform)}; allowed: digitalocean, aws or vsphere, whose credentials this program provides`,
      );
      continue;
    }
    const own = environmentOf(stack);
    if (!file.environments.includes(own)) {
      problems.push(
        `Pulumi.${stack}.yaml: environment: received ${JSON.stringify(file.environments)}; allowed: a list naming ${own}, the environment this program defines for the stack`,
      );
    }
    const ttl = file.config[REVIEW_TTL];
    if (stack === REVIEW_TEMPLATE && ttl === undefined) {
      problems.push(
        `Pulumi.${stack}.yaml: ${REVIEW_TTL} received nothing; allowed: the hours after which each review stack destroys itself, as one left open would otherwise run until someone destroys it`,
      );
    }
    if (stack !== REVIEW_TEMPLATE && ttl !== undefined) {
      problems.push(
        `Pulumi.${stack}.yaml: ${REVIEW_TTL} received ${ttl}; allowed: nothing outside the review template Pulumi.${REVIEW_TEMPLATE}.yaml, as it schedules the stack's destroy and makes its data disposable`,
      );
    }
    const vsphereUser = file.config["vsphere:user"];
    if (credentials.includes("vsphere") && !vsphereUser) {
      problems.push(
        `Pulumi.${stack}.yaml: vsphere:user received nothing; allowed: the vCenter account its deployments use`,
      );
    }
    stacks.push({
      stack,
      platform,
      credentials,
      vsphereUser,
      environments: file.environments,
    });
  }
  return { project, stacks, problems };
}
