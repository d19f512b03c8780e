import { fingerprint } from "../core/fingerprint";

/**
 * A VM's rebuild trigger (its `replaceTrigger`, the one input pulumi-vsphere v4.17.0 replaces
 * on): a digest of its template and everything cloud-init reads from `extraConfig`. Pure, so the
 * policies can recompute it and refuse a VM whose trigger does not cover its user data.
 */
export function rebuildTrigger(templateUuid: string, extraConfig: Record<string, string>): string {
  return fingerprint({ templateUuid, extraConfig });
}
