/**
 * Every cloud-neutral `phoenix:` setting: its Pulumi config type, default and description.
 * Platforms declare their own settings in the same shape (`Platform.settings`).
 *
 * This table is the source of truth: the validator reads defaults from it, and a test checks
 * that `Pulumi.yaml` declares every setting that has a default or is required, with this type,
 * default and description. Optional settings without a default are not declared there, because
 * the Pulumi CLI requires every declared key without a default in every stack; leaving one unset
 * has the meaning its `whenUnset` gives.
 */

/** The config types Pulumi's project-level `config:` block understands. */
export type SettingType = "string" | "integer" | "boolean" | "array" | "object";

/** The declaration of one setting. */
export interface SettingSpec {
  /** Pulumi config type. */
  readonly type: SettingType;
  /** Human description, copied into `Pulumi.yaml`. */
  readonly description: string;
  /** Default when the stack does not set it. */
  readonly default?:
    string | number | boolean | readonly string[] | Readonly<Record<string, never>>;
  /** Must be set in every stack: Pulumi refuses to run a stack without it. */
  readonly required?: true;
  /** What leaving it unset means, for a setting with neither a default nor `required`. */
  readonly whenUnset?: string;
  /** Whether the value must be set with `pulumi config set --secret`. */
  readonly secret?: true;
}

/** The cloud-neutral `phoenix:` settings, keyed by their name without the namespace. */
export const SETTINGS = {
  platform: {
    type: "string",
    required: true,
    description: "Platform the stack runs on (see README, Platforms).",
  },
  environment: {
    type: "string",
    whenUnset: "the stack name",
    description: "Environment name used in names and tags. Defaults to the stack name.",
  },
  region: {
    type: "string",
    required: true,
    description: "Region of the platform to build in, in the platform's own terms.",
  },
  service: {
    type: "string",
    required: true,
    description: "Service name: the systemd unit baked into the image and the service tag.",
  },
  appPort: { type: "integer", default: 8080, description: "TCP port the app listens on." },
  healthCheckPath: {
    type: "string",
    default: "/healthz",
    description: "HTTP path that answers 2xx when the app is healthy.",
  },
  appEnv: {
    type: "object",
    default: {},
    description: "Plain environment variables for the app, as a map of NAME: value.",
  },
  appSecrets: {
    type: "object",
    secret: true,
    whenUnset: "no secret variables",
    description:
      "Secret environment variables for the app; set each with " +
      "`pulumi config set --secret --path 'phoenix:appSecrets.NAME' value`.",
  },
  active: {
    type: "string",
    default: "blue",
    description: "Colour the live endpoint serves: blue or green.",
  },
  blueImage: {
    type: "string",
    whenUnset: "no image (allowed only while phoenix:blueCount is 0)",
    description: "Pinned image of the blue colour, as the platform identifies images.",
  },
  blueCount: { type: "integer", default: 1, description: "Number of blue servers (0 = none)." },
  blueSize: {
    type: "string",
    whenUnset: "the platform's default server size",
    description: "Size of the blue servers, in the platform's terms.",
  },
  greenImage: {
    type: "string",
    whenUnset: "no image (allowed only while phoenix:greenCount is 0)",
    description: "Pinned image of the green colour, as the platform identifies images.",
  },
  greenCount: { type: "integer", default: 0, description: "Number of green servers (0 = none)." },
  greenSize: {
    type: "string",
    whenUnset: "the platform's default server size",
    description: "Size of the green servers, in the platform's terms.",
  },
  canaryWeight: {
    type: "integer",
    default: 0,
    description: "Percent of live traffic sent to the non-active colour (0 = no canary).",
  },
  endpoint: {
    type: "string",
    default: "loadBalancer",
    description:
      "How users reach the live colour: loadBalancer, or floatingIp (a static address) for one server.",
  },
  tlsCertificateName: {
    type: "string",
    whenUnset: "HTTP only",
    description:
      "Certificate for HTTPS on the live load balancer, as the platform names certificates; HTTP then redirects.",
  },
  database: {
    type: "boolean",
    default: true,
    description: "Whether the stack has a managed Postgres database.",
  },
  dbEngineVersion: { type: "string", default: "16", description: "Postgres major version." },
  dbSize: {
    type: "string",
    whenUnset: "the platform's default database size",
    description: "Size of the database nodes, in the platform's terms.",
  },
  dbNodeCount: {
    type: "integer",
    default: 1,
    description: "Database nodes: 1 primary plus up to 2 standbys.",
  },
  dbName: {
    type: "string",
    whenUnset: "the service name",
    description: "Database name. Defaults to the service name.",
  },
  dbUser: {
    type: "string",
    whenUnset: "the service name",
    description: "Database user. Defaults to the service name.",
  },
  dbMaintenanceDay: {
    type: "string",
    default: "sunday",
    description: "Weekday of the database maintenance window.",
  },
  dbMaintenanceHour: {
    type: "string",
    default: "03:00",
    description: "Start (HH:MM, UTC) of the database maintenance window.",
  },
  dnsDomain: {
    type: "string",
    whenUnset: "no DNS records",
    description: "Domain for the endpoint records; unset means no DNS records.",
  },
  dnsRecord: {
    type: "string",
    whenUnset: "the service name",
    description: "Record name of the live endpoint (@ for the apex). Defaults to the service.",
  },
  dnsPreviewRecord: {
    type: "string",
    whenUnset: "<dnsRecord>-preview",
    description: "Record name of the preview endpoint. Defaults to <dnsRecord>-preview.",
  },
  dnsTtlSeconds: {
    type: "integer",
    default: 60,
    description: "TTL of the endpoint records, 30 to 3600 seconds.",
  },
  vpcCidr: {
    type: "string",
    default: "10.10.0.0/20",
    description: "Private IPv4 range of the stack's network (RFC 1918, /16 to /28).",
  },
  adminCidrs: {
    type: "array",
    default: [],
    description: "CIDRs allowed to reach SSH; empty keeps SSH closed.",
  },
  dataVolumeSizeGiB: {
    type: "integer",
    default: 0,
    description: "Size of a persistent data volume per server (0 = no volume).",
  },
  dataVolumeMountPath: {
    type: "string",
    whenUnset: "/var/lib/<service>",
    description: "Mount point of the data volume. Defaults to /var/lib/<service>.",
  },
  dataVolumeFilesystem: {
    type: "string",
    default: "ext4",
    description: "Filesystem created on a blank data volume: ext4 or xfs.",
  },
  gateSuccesses: {
    type: "integer",
    default: 3,
    description: "Consecutive 2xx answers the health gate needs from every server.",
  },
  gateTimeoutSeconds: {
    type: "integer",
    default: 300,
    description: "Time limit of the health gate.",
  },
  gateIntervalSeconds: {
    type: "integer",
    default: 5,
    description: "Pause between health gate probes.",
  },
  reviewTtlHours: {
    type: "integer",
    whenUnset: "the stack lives until it is destroyed",
    description:
      "Review stacks only (the pr template): hours from its first deployment after which the stack destroys itself (a Pulumi Cloud TTL schedule); its data is disposable, neither protected nor retained.",
  },
  decommission: {
    type: "boolean",
    whenUnset: "false: the stack is kept",
    description:
      "true in the one update before `pulumi destroy`: refused while the edge points at the stack or it holds the only copy of its data; then lifts protect.",
  },
  decommissionEdgeStack: {
    type: "string",
    whenUnset: "nothing (needed when phoenix:decommission is true)",
    description:
      "The edge stack (<organization>/<project>/<stack>) that may point at this stack, read before a teardown; none when no edge serves it.",
  },
  decommissionDataCopy: {
    type: "string",
    whenUnset: "nothing (needed to tear down a stack that holds data)",
    description:
      "Where this stack's data lives on: the Phoenix stack holding the promoted replica, or dump:<location> of a confirmed dump.",
  },
} as const satisfies Record<string, SettingSpec>;

/** The name of a cloud-neutral `phoenix:` setting, without the namespace. */
export type SettingName = keyof typeof SETTINGS;

/** The config namespace of every setting. */
export const CONFIG_NAMESPACE = "phoenix";

/** A setting's full config key, e.g. `phoenix:blueCount`. */
export function configKey(name: string): string {
  return `${CONFIG_NAMESPACE}:${name}`;
}
