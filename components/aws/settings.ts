import { configKey, SettingSpec } from "../core/config/settings";
import { SettingsReader } from "../core/config/settings-reader";
import { patternRule } from "../core/platform/value-rule";

/** How servers in private subnets reach the internet. */
export type NatGateways = "single" | "perZone";

/** The AWS platform's own settings, as `readAwsSettings` returns them. */
export interface AwsSettings {
  /** Availability zones, at least two; the first holds single stateful servers and their volumes. */
  readonly zones: readonly string[];
  /** One NAT gateway for the VPC, or one per zone (no cross-zone dependency). */
  readonly natGateways: NatGateways;
  /** Route53 hosted zone of `phoenix:dnsDomain`. */
  readonly hostedZoneId: string | undefined;
  /** Whether the ALB refuses deletion. */
  readonly loadBalancerDeletionProtection: boolean;
  /** S3 bucket for ALB access logs; undefined for none. */
  readonly accessLogBucket: string | undefined;
}

/** The AWS platform's own `phoenix:` settings (meaningless on other platforms). */
export const AWS_SETTINGS: Readonly<Record<string, SettingSpec>> = {
  awsZones: {
    type: "array",
    whenUnset: "nothing: the setting is required on AWS",
    description:
      "Availability zones of phoenix:region to spread over, two to four (e.g. [us-east-1a, us-east-1b]); the first holds single stateful servers and their volumes.",
  },
  awsNatGateways: {
    type: "string",
    whenUnset: "single",
    description:
      "Egress of the private subnets: single (one NAT gateway) or perZone (one per zone, no cross-zone dependency).",
  },
  awsHostedZoneId: {
    type: "string",
    whenUnset: "no DNS records (allowed only without phoenix:dnsDomain)",
    description: "Route53 hosted zone ID of phoenix:dnsDomain.",
  },
  awsLoadBalancerDeletionProtection: {
    type: "boolean",
    whenUnset: "true",
    description: "Whether the ALB refuses deletion (turn off only for throwaway stacks).",
  },
  awsAccessLogBucket: {
    type: "string",
    whenUnset: "no ALB access logs",
    description: "S3 bucket that receives the ALB's access logs.",
  },
};

const ZONE_ID = patternRule(
  /^Z[A-Z0-9]{1,31}$/,
  "a Route53 hosted zone ID such as Z0123456789ABCDEFGHIJ",
);
const BUCKET = patternRule(
  /^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
  "an S3 bucket name (3-63 lower-case letters, digits, dots and hyphens)",
);

/** Most zones a VPC is cut for: eight subnets, a public and a private one per zone. */
export const MAX_ZONES = 4;

/**
 * Reads the AWS settings, recording every problem on the shared reader. `aws:region`, which the
 * provider builds in, must name `phoenix:region`, which Phoenix validates and builds names from.
 */
export function readAwsSettings(
  r: SettingsReader,
  providerConfig: Readonly<Record<string, string>>,
): AwsSettings | undefined {
  const region = r.text("region") ?? "";
  const providerRegion = providerConfig["aws:region"];
  if (providerRegion !== region && r.text("region") !== undefined) {
    r.problems.push(
      `aws:region: received ${providerRegion === undefined ? "nothing" : JSON.stringify(providerRegion)}; allowed: ${JSON.stringify(region)}, the region of phoenix:region (the AWS provider builds in aws:region; set both to the same region)`,
    );
  }
  const zones = r.stringList("awsZones");
  const example = `${region || "<region>"}a, ${region || "<region>"}b`;
  const zoneAllowed = `two to four distinct availability zones of phoenix:region (${example}, ...)`;
  if (zones !== undefined && r.isUnset("awsZones")) {
    r.problem("awsZones", `${zoneAllowed} (required)`, undefined);
  } else if (zones !== undefined) {
    const inRegion = (z: string): boolean =>
      z.length === region.length + 1 && z.startsWith(region) && /[a-z]$/.test(z);
    const found = [
      ...(zones.length < 2 || zones.length > MAX_ZONES ? [`${zones.length} zone(s)`] : []),
      ...zones.filter((z, i) => zones.indexOf(z) !== i).map((z) => `${JSON.stringify(z)} twice`),
      ...zones
        .filter((z) => !inRegion(z))
        .map((z) => `${JSON.stringify(z)}, not a zone of ${region || "the region"}`),
    ];
    if (found.length > 0) {
      r.problems.push(
        `${configKey("awsZones")}: received ${found.join(", ")}; allowed: ${zoneAllowed}`,
      );
    }
  }
  const natGateways = r.isUnset("awsNatGateways")
    ? "single"
    : r.oneOf<NatGateways>("awsNatGateways", ["single", "perZone"]);
  const hostedZoneId = r.isUnset("awsHostedZoneId")
    ? undefined
    : r.string("awsHostedZoneId", ZONE_ID);
  const dnsWanted = !r.isUnset("dnsDomain");
  if (dnsWanted && r.isUnset("awsHostedZoneId")) {
    r.problem(
      "awsHostedZoneId",
      `${ZONE_ID.allowed}, required because phoenix:dnsDomain is set`,
      undefined,
    );
  } else if (!dnsWanted && !r.isUnset("awsHostedZoneId")) {
    r.problem(
      "awsHostedZoneId",
      "nothing while phoenix:dnsDomain is unset, as it has no effect then",
    );
  }
  if (!dnsWanted && r.text("endpoint") === "loadBalancer") {
    r.problem(
      "dnsDomain",
      "a domain in a Route53 hosted zone, with phoenix:awsHostedZoneId (on AWS the preview colour is reached on its own host name through a listener rule); or phoenix:endpoint floatingIp for a single server",
      undefined,
    );
  }
  const protection = r.isUnset("awsLoadBalancerDeletionProtection")
    ? true
    : r.boolean("awsLoadBalancerDeletionProtection");
  const accessLogBucket = r.isUnset("awsAccessLogBucket")
    ? undefined
    : r.string("awsAccessLogBucket", BUCKET);
  if (
    zones === undefined ||
    natGateways === undefined ||
    protection === undefined ||
    (!r.isUnset("awsHostedZoneId") && hostedZoneId === undefined) ||
    (!r.isUnset("awsAccessLogBucket") && accessLogBucket === undefined) ||
    r.problems.length > 0
  ) {
    return undefined;
  }
  return {
    zones,
    natGateways,
    hostedZoneId,
    loadBalancerDeletionProtection: protection,
    accessLogBucket,
  };
}
