/**
 * Every `phoenix:` setting a stack reads: its Pulumi config type, default and description.
 *
 * This table is the single source of truth: the validator reads defaults from it, and a test
 * checks that `Pulumi.yaml` declares exactly these settings with these types and defaults.
 */

/** The config types Pulumi's project-level `config:` block understands (plus `object`). */
export type SettingType = "string" | "integer" | "boolean" | "array" | "object";

/** The declaration of one setting. */
export interface SettingSpec {
  /** Pulumi config type; `object` settings are declared untyped (Pulumi has no object type). */
  readonly type: SettingType;
  /** Human description, copied into `Pulumi.yaml`. */
  readonly description: string;
  /** Default when the stack does not set it; `""` means unset (derived or feature off). */
  readonly default?: string | number | boolean | readonly string[];
  /** Whether the value must be set with `pulumi config set --secret`. */
  readonly secret?: boolean;
}

/** The `phoenix:` settings, keyed by their name without the namespace. */
export const SETTINGS = {
  platform: {
    type: "string",
    default: "digitalocean",
    description: "Cloud platform the stack runs on: digitalocean.",
  },
  environment: {
    type: "string",
    default: "",
    description: "Environment name used in names and tags. Defaults to the stack name.",
  },
  region: {
    type: "string",
    default: "nyc3",
    description: "Platform region, e.g. nyc3, ams3, fra1.",
  },
  service: {
    type: "string",
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
    description: "Plain environment variables for the app, as a map of NAME: value.",
  },
  appSecrets: {
    type: "object",
    secret: true,
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
    default: "",
    description: "Pinned custom image (snapshot ID) of the blue colour.",
  },
  blueCount: { type: "integer", default: 1, description: "Number of blue servers (0 = none)." },
  blueSize: { type: "string", default: "s-1vcpu-1gb", description: "Size slug of blue servers." },
  greenImage: {
    type: "string",
    default: "",
    description: "Pinned custom image (snapshot ID) of the green colour.",
  },
  greenCount: { type: "integer", default: 0, description: "Number of green servers (0 = none)." },
  greenSize: { type: "string", default: "s-1vcpu-1gb", description: "Size slug of green servers." },
  canaryWeight: {
    type: "integer",
    default: 0,
    description: "Percent of live traffic sent to the non-active colour (0 = no canary).",
  },
  endpoint: {
    type: "string",
    default: "loadBalancer",
    description: "How users reach the live colour: loadBalancer, or floatingIp for one server.",
  },
  tlsCertificateName: {
    type: "string",
    default: "",
    description:
      "Certificate (by name) for HTTPS on the live load balancer; HTTP then redirects. Empty: HTTP only.",
  },
  database: {
    type: "boolean",
    default: true,
    description: "Whether the stack has a managed Postgres cluster.",
  },
  dbEngineVersion: { type: "string", default: "16", description: "Postgres major version." },
  dbSize: { type: "string", default: "db-s-1vcpu-1gb", description: "Database node size slug." },
  dbNodeCount: {
    type: "integer",
    default: 1,
    description: "Database nodes: 1 primary plus up to 2 standbys.",
  },
  dbName: {
    type: "string",
    default: "",
    description: "Database name. Defaults to the service name.",
  },
  dbUser: {
    type: "string",
    default: "",
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
    default: "",
    description: "Domain for the endpoint records; unset means no DNS records.",
  },
  dnsRecord: {
    type: "string",
    default: "",
    description: "Record name of the live endpoint (@ for the apex). Defaults to the service.",
  },
  dnsPreviewRecord: {
    type: "string",
    default: "",
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
    description: "Private IPv4 range of the VPC (RFC 1918, /16 to /28).",
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
    default: "",
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
    description: "Consecutive 2xx answers the health gate needs.",
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
} as const satisfies Record<string, SettingSpec>;

/** The name of a `phoenix:` setting, without the namespace. */
export type SettingName = keyof typeof SETTINGS;

/** The config namespace of every setting. */
export const CONFIG_NAMESPACE = "phoenix";

/** A setting's full config key, e.g. `phoenix:blueCount`. */
export function configKey(name: SettingName): string {
  return `${CONFIG_NAMESPACE}:${name}`;
}
