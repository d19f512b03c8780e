import * as pulumi from "@pulumi/pulumi";
import * as service from "@pulumi/pulumiservice";
import { configKey } from "./config/settings";
import { StackConfig } from "./config/stack-config";
import { unprotectStack } from "./unprotect-stack";

/** The name of a review stack's scheduled destroy (a contract: renaming it replaces it). */
export const REVIEW_TTL_NAME = "phoenix-review-ttl";

/**
 * When a review stack deployed at `now` is destroyed: `hours` later, in RFC 3339 to the second,
 * the form Pulumi Cloud's TTL schedules take.
 */
export function reviewExpiry(now: number, hours: number): string {
  return new Date(now + hours * 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * The lifetime of a review stack (`phoenix:reviewTtlHours`): a stack Pulumi Deployments stands up
 * for a pull request from the review template is destroyed when the pull request closes, and by
 * this schedule at the latest, so that one left open does not run for ever.
 *
 * Its data is disposable, so every resource registered after this call is neither protected nor
 * retained: a protected database would make the destroy fail, a retained one would outlive the
 * stack unseen. The schedule's timestamp is set by the first deployment and kept by every later
 * one (`ignoreChanges`): a push to the pull request does not extend the stack's life, and an
 * unchanged update stays a no-op. Pulumi Cloud runs the destroy with the stack's deployment
 * settings, and deletes the stack after it (`deleteAfterDestroy`).
 *
 * Does nothing for a stack without the setting.
 *
 * @param now the time of this update, in milliseconds since the epoch
 */
export function reviewStackLifetime(config: StackConfig, now: number = Date.now()): void {
  const hours = config.reviewTtlHours;
  if (hours === undefined) return;
  unprotectStack({ keepRetained: false });
  const timestamp = reviewExpiry(now, hours);
  new service.TtlSchedule(
    REVIEW_TTL_NAME,
    {
      organization: pulumi.getOrganization(),
      project: pulumi.getProject(),
      stack: pulumi.getStack(),
      timestamp,
      deleteAfterDestroy: true,
    },
    { ignoreChanges: ["timestamp"] },
  );
  void pulumi.log.info(
    `${configKey("reviewTtlHours")}: this review stack is destroyed ${hours} hours after its first deployment (${timestamp} if this is it), or when its pull request closes; its database, volumes and addresses are neither protected nor retained, as nothing in it is kept.`,
  );
}
