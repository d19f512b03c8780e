import { ReleasePlan } from "./release-plan";

/**
 * The title of a release's pull request.
 *
 * @param plan the release
 * @returns e.g. `Release shop 1.4.2: new images for the non-live colours`
 */
export function pullRequestTitle(plan: ReleasePlan): string {
  return `Release ${plan.service} ${plan.version}: new images for the non-live colours`;
}

/**
 * The body of a release's pull request: which stack's which colour gets which image, which
 * stacks were left alone and why, and how to go on from there.
 *
 * @param plan the release
 * @returns Markdown
 */
export function pullRequestBody(plan: ReleasePlan): string {
  const lines = [
    `Images of **${plan.service} ${plan.version}**, set on each stack's non-live colour only. The`,
    "live colour of every stack is untouched: merging and deploying builds the new colour beside",
    "it, on the preview endpoint; a cutover is a separate change (`phoenix:active`).",
    "",
    "| stack | colour | image | before | live colour |",
    "| --- | --- | --- | --- | --- |",
  ];
  const notes: string[] = [];
  for (const o of plan.outcomes) {
    if (o.status === "refused") {
      notes.push(`- \`${o.stack}\`: not changed. ${o.reason}`);
      continue;
    }
    const image = o.status === "unchanged" ? `\`${o.image}\` (already set)` : `\`${o.image}\``;
    lines.push(
      `| \`${o.stack}\` | ${o.colour} (\`${o.key}\`) | ${image} | ${o.previous === undefined ? "unset" : `\`${o.previous}\``} | ${o.live} |`,
    );
    if (o.count === 0) {
      notes.push(
        `- \`${o.stack}\`: ${o.colour} has no servers (\`phoenix:${o.colour}Count\` is 0), so the ` +
          `image reaches no server until it is raised.`,
      );
    }
  }
  if (notes.length > 0) lines.push("", "Notes:", "", ...notes);
  lines.push(
    "",
    "Before merging, check each stack's offline plan (the pull-request workflow runs it, or",
    "`npm run plan -- --stack <stack> --base main`): only the non-live colour's servers are",
    'replaced. After merging: deploy, test the preview, then cut over (README, "Cutover runbook").',
    "",
  );
  return lines.join("\n");
}
