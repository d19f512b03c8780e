import { Props } from "../core/platform/resource-facts";
import { AWS_TYPES } from "./types";

// AWS's own checks of a resource's settings, read by the neutral `platform-hardening` policy
// through each type's facts (`hardening`). They cover the rows of policies/AWS-COVERAGE.md that
// map to `platform-hardening`. Pure functions of the resource's inputs: the policy pack loads
// this without the SDK.

/**
 * The ALB security policies that refuse TLS 1.0 and 1.1 (TLS 1.2 and 1.3 only), from the
 * "Security policies for your Application Load Balancer" page of the Elastic Load Balancing
 * guide: its TLS, FIPS, FS and post-quantum (PQ) tables. The TLS 1.3-only policies
 * (`ELBSecurityPolicy-TLS13-1-3-*`) are not listed: Phoenix keeps TLS 1.2 clients.
 */
export const TLS12_SSL_POLICIES: readonly string[] = [
  // TLS 1.3 and 1.2.
  "ELBSecurityPolicy-TLS13-1-2-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
  // FIPS.
  "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04",
  // Hybrid post-quantum key exchange (2025-09).
  "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Ext2-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-PQ-2025-09",
  // TLS 1.2 only.
  "ELBSecurityPolicy-TLS-1-2-2017-01",
  "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
  // Forward secrecy, TLS 1.2 only.
  "ELBSecurityPolicy-FS-1-2-2019-08",
  "ELBSecurityPolicy-FS-1-2-Res-2019-08",
  "ELBSecurityPolicy-FS-1-2-Res-2020-10",
];

/** The policy a message suggests: TLS 1.3 and 1.2 with only forward-secret GCM ciphers. */
const SUGGESTED_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06";

/** The backups RDS keeps, in days, at least. */
export const MIN_BACKUP_RETENTION_DAYS = 7;

/** A value as a message shows it: JSON, or `unset`. */
const shown = (value: unknown): string => (value === undefined ? "unset" : JSON.stringify(value));

const record = (value: unknown): Props =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Props) : {};

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** IMDSv2 only: a stolen metadata request cannot read the instance role's credentials. */
function imdsV2(props: Props): string[] {
  const tokens = record(props.metadataOptions).httpTokens;
  return tokens === "required"
    ? []
    : [`requires IMDSv2: metadataOptions.httpTokens is ${shown(tokens)}; set it to "required"`];
}

/** A launch template's block devices: at least one, each encrypted ("true", a string). */
function launchTemplateVolumes(props: Props): string[] {
  const mappings = list(props.blockDeviceMappings);
  if (mappings.length === 0) {
    return [
      `must encrypt its volumes: blockDeviceMappings is ${shown(props.blockDeviceMappings)}; map the root device with ebs.encrypted "true"`,
    ];
  }
  return mappings.flatMap((m, i) => {
    const encrypted = record(record(m).ebs).encrypted;
    return encrypted === "true" || encrypted === true
      ? []
      : [
          `must encrypt its volumes: blockDeviceMappings[${i}].ebs.encrypted is ${shown(encrypted)}; set it to "true"`,
        ];
  });
}

/** An instance's block devices: the root and every inline EBS device encrypted. */
function instanceVolumes(props: Props): string[] {
  const problems: string[] = [];
  const root = record(props.rootBlockDevice).encrypted;
  if (root !== true) {
    problems.push(
      `must encrypt its volumes: rootBlockDevice.encrypted is ${shown(root)}; set it to true`,
    );
  }
  list(props.ebsBlockDevices).forEach((d, i) => {
    const encrypted = record(d).encrypted;
    if (encrypted !== true) {
      problems.push(
        `must encrypt its volumes: ebsBlockDevices[${i}].encrypted is ${shown(encrypted)}; set it to true`,
      );
    }
  });
  return problems;
}

function launchTemplate(props: Props): string[] {
  return [...imdsV2(props), ...launchTemplateVolumes(props)];
}

function instance(props: Props): string[] {
  const problems = [...imdsV2(props), ...instanceVolumes(props)];
  if (props.monitoring !== true) {
    problems.push(
      `needs detailed monitoring: monitoring is ${shown(props.monitoring)}; set it to true`,
    );
  }
  return problems;
}

function volume(props: Props): string[] {
  return props.encrypted === true
    ? []
    : [`must be encrypted: encrypted is ${shown(props.encrypted)}; set it to true`];
}

/** Invalid header dropping applies to application load balancers (the default type) only. */
function loadBalancer(props: Props): string[] {
  const type = props.loadBalancerType ?? "application";
  if (type !== "application" || props.dropInvalidHeaderFields === true) return [];
  return [
    `must drop invalid HTTP headers: dropInvalidHeaderFields is ${shown(props.dropInvalidHeaderFields)}; set it to true`,
  ];
}

function listener(props: Props): string[] {
  if (props.protocol !== "HTTPS") return [];
  const policy = props.sslPolicy;
  if (typeof policy === "string" && TLS12_SSL_POLICIES.includes(policy)) return [];
  const found =
    policy === undefined ? "unset (AWS then uses ELBSecurityPolicy-2016-08)" : shown(policy);
  return [
    `must refuse TLS 1.0 and 1.1: sslPolicy is ${found}; set it to a TLS 1.2+ policy (ELBSecurityPolicy-TLS13-1-2-*, -TLS-1-2-* or -FS-1-2-*), e.g. "${SUGGESTED_SSL_POLICY}"`,
  ];
}

function dbInstance(props: Props): string[] {
  const problems: string[] = [];
  if (props.storageEncrypted !== true) {
    problems.push(
      `must encrypt its storage: storageEncrypted is ${shown(props.storageEncrypted)}; set it to true`,
    );
  }
  if (props.publiclyAccessible === true) {
    problems.push("must not be publicly accessible: publiclyAccessible is true; set it to false");
  }
  const retention = props.backupRetentionPeriod;
  if (typeof retention !== "number" || retention < MIN_BACKUP_RETENTION_DAYS) {
    const found = retention === undefined ? "unset (AWS then keeps 1 day)" : shown(retention);
    problems.push(
      `keeps too few backups: backupRetentionPeriod is ${found}; set it to ${MIN_BACKUP_RETENTION_DAYS} or more`,
    );
  }
  if (props.deletionProtection !== true) {
    problems.push(
      `needs deletion protection: deletionProtection is ${shown(props.deletionProtection)}; set it to true`,
    );
  }
  if (props.skipFinalSnapshot === true) {
    problems.push(
      "must take a final snapshot: skipFinalSnapshot is true; set it to false (with finalSnapshotIdentifier)",
    );
  }
  if (props.autoMinorVersionUpgrade === false) {
    problems.push(
      "must take minor version upgrades: autoMinorVersionUpgrade is false; set it to true or leave it unset",
    );
  }
  return problems;
}

function autoScalingGroup(props: Props): string[] {
  const problems: string[] = [];
  if (props.healthCheckType !== "ELB") {
    problems.push(
      `must replace servers the load balancer finds unhealthy: healthCheckType is ${shown(props.healthCheckType)}; set it to "ELB"`,
    );
  }
  if (typeof props.healthCheckGracePeriod !== "number") {
    problems.push(
      `needs a health check grace period: healthCheckGracePeriod is ${shown(props.healthCheckGracePeriod)}; set it (in seconds)`,
    );
  }
  return problems;
}

/** AWS's hardening checks, per type token: each returns the problems of one resource's inputs. */
export const AWS_HARDENING: Readonly<Record<string, (props: Props) => string[]>> = {
  [AWS_TYPES.launchTemplate]: launchTemplate,
  [AWS_TYPES.instance]: instance,
  [AWS_TYPES.volume]: volume,
  [AWS_TYPES.loadBalancer]: loadBalancer,
  [AWS_TYPES.listener]: listener,
  [AWS_TYPES.dbInstance]: dbInstance,
  [AWS_TYPES.autoScalingGroup]: autoScalingGroup,
};
