/** The Pulumi Cloud resource types the delivery program registers (`@pulumi/pulumiservice`). */
export const DELIVERY_TYPES = {
  deploymentSettings: "pulumiservice:index:DeploymentSettings",
  driftSchedule: "pulumiservice:index:DriftSchedule",
  environment: "pulumiservice:index:Environment",
  agentPool: "pulumiservice:index:AgentPool",
} as const;

/** The stack Pulumi Deployments copies into a review stack for each pull request (by convention). */
export const REVIEW_TEMPLATE = "pr";

/** The ESC project holding the Phoenix stacks' environments (`phoenix/<stack>`). */
export const ESC_PROJECT = "phoenix";
