import { DraftStackConfig } from "../core/config/stack-config";
import { PlatformDefaults, PlatformValueRules, SettingProblem } from "../core/platform/platform";
import { oneOfRule } from "../core/platform/value-rule";
import { INVENTORY_NAME, TEMPLATE_NAME, VM_SIZE_RULE } from "./settings";

/**
 * Postgres major versions a database template may carry (PGDG builds them for Debian 12 and
 * 13); the template's own version is checked on the server at first boot.
 */
export const POSTGRES_VERSIONS = ["14", "15", "16", "17", "18"] as const;

/** What vSphere accepts for the neutral settings. */
export const VSPHERE_VALUES: PlatformValueRules = {
  // A datacenter is vSphere's region: the lookups start from it.
  region: {
    test: INVENTORY_NAME.test,
    allowed: `the datacenter's name: ${INVENTORY_NAME.allowed}`,
  },
  serverSize: VM_SIZE_RULE,
  image: TEMPLATE_NAME,
  databaseSize: VM_SIZE_RULE,
  databaseVersion: oneOfRule(
    POSTGRES_VERSIONS,
    "a Postgres major version of the database template",
  ),
  certificate: {
    test: () => false,
    allowed:
      "nothing: the vSphere load balancers serve HTTP on the private network; terminate TLS in front of them (leave phoenix:tlsCertificateName unset)",
  },
};

/** Sizes used when a stack names none. */
export const VSPHERE_DEFAULTS: PlatformDefaults = {
  serverSize: "2cpu-4gb",
  databaseSize: "2cpu-8gb",
};

/**
 * Checks across settings that vSphere needs:
 * - the database is one Postgres server (no managed standby): one node;
 * - data disks belong to the database server: app servers behind the load balancers keep none.
 */
export function vsphereCrossCheck(draft: DraftStackConfig): SettingProblem[] {
  const problems: SettingProblem[] = [];
  if (draft.database && draft.database.nodeCount !== 1) {
    problems.push({
      setting: "dbNodeCount",
      received: JSON.stringify(String(draft.database.nodeCount)),
      allowed: "1 on vSphere (one Postgres server with a protected data disk; no managed standby)",
    });
  }
  if (draft.dataVolume) {
    problems.push({
      setting: "dataVolumeSizeGiB",
      received: JSON.stringify(String(draft.dataVolume.sizeGiB)),
      allowed:
        "0 on vSphere: app servers are stateless; the data disk is the database server's (phoenix:vsphereDatabaseDiskGiB)",
    });
  }
  return problems;
}
