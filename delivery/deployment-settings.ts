import { CREDENTIALS, PLATFORM_FOLDER } from "./credentials";
import { PhoenixStack } from "./phoenix-stacks";
import { DeliverySettings } from "./settings";
import { REVIEW_TEMPLATE } from "./types";

/**
 * The inputs of a stack's `DeploymentSettings` this module decides (the agent pool's ID, an
 * Output, is added by the program for vSphere stacks). Field names are the provider's.
 */
export interface DeploymentSettingsInputs {
  readonly organization: string;
  readonly project: string;
  readonly stack: string;
  readonly sourceContext: { readonly git: { readonly branch: string; readonly repoDir: string } };
  readonly vcs: {
    readonly provider: "github";
    readonly repository: string;
    readonly deployCommits: boolean;
    readonly previewPullRequests: boolean;
    readonly pullRequestTemplate: boolean;
    readonly paths: readonly string[];
  };
  readonly operationContext: {
    readonly options: {
      readonly skipIntermediateDeployments: boolean;
      readonly deleteAfterDestroy: boolean;
    };
  };
  readonly cacheOptions: { readonly enable: boolean };
}

/**
 * The repository paths whose change re-deploys a stack: its own stack file, the project file, the
 * program, the neutral core, its platforms' folders, the dependencies and the TypeScript settings
 * Pulumi compiles the program with. A push that changes
 * only another stack's file, or another cloud's code, leaves it alone.
 */
export function deployPaths(stack: PhoenixStack): string[] {
  return [
    "Pulumi.yaml",
    `Pulumi.${stack.stack}.yaml`,
    "package.json",
    "package-lock.json",
    "tsconfig.json",
    "stacks/**",
    "components/core/**",
    ...CREDENTIALS.filter((c) => stack.credentials.includes(c)).map(
      (c) => `${PLATFORM_FOLDER[c]}/**`,
    ),
  ];
}

/**
 * A Phoenix stack's deployment settings: the repository's branch as the source (the project at
 * its root), `pulumi up` on every push to the branch that changes the stack's paths, `pulumi
 * preview` on every pull request, intermediate deployments skipped (the newest commit wins), and
 * the dependency cache on.
 *
 * The review template (`pr`) is never deployed itself: pull requests get a review stack copied
 * from it (config and these settings), which Pulumi deletes once it is destroyed.
 */
export function deploymentSettingsInputs(
  stack: PhoenixStack,
  settings: DeliverySettings,
  where: { readonly organization: string; readonly project: string },
): DeploymentSettingsInputs {
  const template = stack.stack === REVIEW_TEMPLATE;
  return {
    organization: where.organization,
    project: where.project,
    stack: stack.stack,
    sourceContext: { git: { branch: `refs/heads/${settings.branch}`, repoDir: "." } },
    vcs: {
      provider: "github",
      repository: settings.repository,
      deployCommits: !template,
      previewPullRequests: !template,
      pullRequestTemplate: template,
      paths: deployPaths(stack),
    },
    operationContext: {
      options: { skipIntermediateDeployments: true, deleteAfterDestroy: template },
    },
    cacheOptions: { enable: true },
  };
}
