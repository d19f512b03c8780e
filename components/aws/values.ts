import { DraftStackConfig } from "../core/config/stack-config";
import { PlatformDefaults, PlatformValueRules, SettingProblem } from "../core/platform/platform";
import { oneOfRule, patternRule } from "../core/platform/value-rule";

/** Commercial AWS regions with EC2, ELBv2, RDS, EBS and Route53 (partition `aws`). */
export const AWS_REGIONS = [
  "af-south-1",
  "ap-east-1",
  "ap-east-2",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-south-1",
  "ap-south-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ap-southeast-7",
  "ca-central-1",
  "ca-west-1",
  "eu-central-1",
  "eu-central-2",
  "eu-north-1",
  "eu-south-1",
  "eu-south-2",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "il-central-1",
  "me-central-1",
  "me-south-1",
  "mx-central-1",
  "sa-east-1",
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
] as const;

/**
 * Postgres major versions RDS offers as `engineVersion` (RDS picks the newest minor of the
 * major and, with `autoMinorVersionUpgrade`, keeps it current).
 */
export const RDS_POSTGRES_VERSIONS = ["14", "15", "16", "17", "18"] as const;

/** A pinned image: an AMI ID (`ami-` and 8 or 17 hex digits), never a name or an SSM alias. */
export const PINNED_AMI = patternRule(
  /^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/,
  "an AMI ID such as ami-0123456789abcdef0 (a name, an SSM parameter or 'latest' is not a pinned release)",
);

/** An ACM certificate ARN. */
export const CERTIFICATE_ARN =
  /^arn:aws:acm:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):certificate\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** What AWS accepts for the neutral settings. */
export const AWS_VALUES: PlatformValueRules = {
  region: oneOfRule(AWS_REGIONS, "an AWS region"),
  serverSize: patternRule(
    /^[a-z][a-z0-9-]*\d[a-z0-9-]*\.(?:nano|micro|small|medium|large|metal(?:-\d{1,3}xl)?|\d{0,3}xlarge)$/,
    "an EC2 instance type such as t3.small or m7i.large",
  ),
  image: PINNED_AMI,
  databaseSize: patternRule(
    /^db\.[a-z][a-z0-9-]*\d[a-z0-9-]*\.(?:micro|small|medium|large|\d{0,3}xlarge)$/,
    "an RDS instance class such as db.t4g.micro or db.m7g.large",
  ),
  databaseVersion: oneOfRule(RDS_POSTGRES_VERSIONS, "a Postgres major version RDS offers"),
  certificate: patternRule(
    CERTIFICATE_ARN,
    "the ARN of an ACM certificate, arn:aws:acm:<region>:<account>:certificate/<uuid>",
  ),
};

/** Sizes used when a stack names none: the smallest current-generation ones that run a service. */
export const AWS_DEFAULTS: PlatformDefaults = {
  serverSize: "t3.small",
  databaseSize: "db.t4g.micro",
};

/** Longest VPC prefix: the VPC is cut into eight subnets, and AWS subnets are /28 at the smallest. */
const MAX_VPC_PREFIX = 25;

/**
 * Checks across settings that AWS needs:
 * - the certificate must be in the stack's region (an ALB uses ACM certificates of its region);
 * - RDS Multi-AZ has one standby: at most 2 database nodes;
 * - a data volume re-attaches only on the single-server rebuild path (an auto scaling group's
 *   instances cannot take a given volume back);
 * - the VPC range must leave room for eight subnets.
 */
export function awsCrossCheck(draft: DraftStackConfig): SettingProblem[] {
  const problems: SettingProblem[] = [];
  const { region, tlsCertificateName, database, dataVolume, endpoint, network } = draft;
  const certRegion = tlsCertificateName && CERTIFICATE_ARN.exec(tlsCertificateName)?.[1];
  if (region && certRegion && certRegion !== region) {
    problems.push({
      setting: "tlsCertificateName",
      received: `a certificate in ${certRegion}`,
      allowed: `an ACM certificate in the stack's region ${region} (an ALB uses certificates of its own region)`,
    });
  }
  if (database && database.nodeCount > 2) {
    problems.push({
      setting: "dbNodeCount",
      received: JSON.stringify(String(database.nodeCount)),
      allowed: "1 (single-AZ) or 2 (Multi-AZ: a primary and one synchronous standby) on AWS",
    });
  }
  if (dataVolume && endpoint === "loadBalancer") {
    problems.push({
      setting: "dataVolumeSizeGiB",
      received: `${dataVolume.sizeGiB} with phoenix:endpoint loadBalancer`,
      allowed:
        "0 with a load balancer on AWS (an auto scaling group cannot re-attach a given volume); " +
        "data volumes belong to the single-server rebuild path, phoenix:endpoint floatingIp",
    });
  }
  const prefix = network?.vpcCidr.split("/")[1];
  if (prefix !== undefined && Number(prefix) > MAX_VPC_PREFIX) {
    problems.push({
      setting: "vpcCidr",
      received: JSON.stringify(network?.vpcCidr),
      allowed: `a range of /${MAX_VPC_PREFIX} or wider on AWS (it is cut into eight subnets of at least /28)`,
    });
  }
  return problems;
}
