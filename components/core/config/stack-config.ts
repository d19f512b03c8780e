import { Colour } from "../colour";

/** How users reach the live colour. */
export const ENDPOINT_KINDS = ["loadBalancer", "floatingIp"] as const;

/** How users reach the live colour: a load balancer, or a static (floating) address on one server. */
export type EndpointKind = (typeof ENDPOINT_KINDS)[number];

/** Filesystems the data-volume script may create. */
export const FILESYSTEMS = ["ext4", "xfs"] as const;

/** A filesystem the data-volume script may create. */
export type Filesystem = (typeof FILESYSTEMS)[number];

/** The environment variable that hands the app its database URI (when the stack has one). */
export const DATABASE_URL_VARIABLE = "DATABASE_URL";

/** The application baked into the images. */
export interface AppConfig {
  /** Service name: the systemd unit baked into the image, and the `service` tag. */
  readonly name: string;
  /** TCP port the app listens on. */
  readonly port: number;
  /** Path that answers 2xx when the app is healthy; starts with `/`. */
  readonly healthCheckPath: string;
  /** Plain environment variables written to the app's environment file. */
  readonly env: Readonly<Record<string, string>>;
  /** Names of the secret environment variables (values stay Pulumi secrets, see `readStackConfig`). */
  readonly secretEnvNames: readonly string[];
}

/** One colour's server group. */
export interface ColourConfig {
  /** Pinned image, as the platform identifies images; undefined only when `count` is 0. */
  readonly image: string | undefined;
  /** Number of servers; 0 means the colour is torn down. */
  readonly count: number;
  /** Server size, in the platform's terms. */
  readonly size: string;
}

/** The managed Postgres cluster. */
export interface DatabaseConfig {
  /** Postgres major version. */
  readonly engineVersion: string;
  /** Node size, in the platform's terms. */
  readonly size: string;
  /** Number of nodes (1 primary + standbys). */
  readonly nodeCount: number;
  /** Database name. */
  readonly name: string;
  /** Database user the app connects as. */
  readonly user: string;
  /** Maintenance window day (lower-case English weekday). */
  readonly maintenanceDay: string;
  /** Maintenance window start, `HH:MM` UTC. */
  readonly maintenanceHour: string;
}

/** DNS records for the live and preview endpoints. */
export interface DnsConfig {
  /** Domain the records live in (must already be managed by the platform's DNS). */
  readonly domain: string;
  /** Record name of the live endpoint (`@` for the apex). */
  readonly record: string;
  /** Record name of the preview endpoint. */
  readonly previewRecord: string;
  /** TTL of both records. */
  readonly ttlSeconds: number;
}

/** Network settings. */
export interface NetworkConfig {
  /** Private range of the VPC. */
  readonly vpcCidr: string;
  /** CIDRs allowed to reach SSH; empty means SSH is closed. */
  readonly adminCidrs: readonly string[];
}

/** A persistent data volume per server. */
export interface DataVolumeConfig {
  /** Size of each volume. */
  readonly sizeGiB: number;
  /** Where the volume is mounted. */
  readonly mountPath: string;
  /** Filesystem created on a blank volume (an existing one is never reformatted). */
  readonly filesystem: Filesystem;
}

/** The health gate that must pass before the live endpoint moves. */
export interface HealthGateConfig {
  /** Consecutive 2xx answers required. */
  readonly successes: number;
  /** Time limit for the whole probe. */
  readonly timeoutSeconds: number;
  /** Pause between probes. */
  readonly intervalSeconds: number;
}

/** A stack's teardown, as its decommission update states it (see `decommission.ts`). */
export interface DecommissionConfig {
  /** The edge stack's full name, or undefined when no edge serves the stack (`none`). */
  readonly edgeStack: string | undefined;
  /** Where the data lives on: another stack of the project, or a confirmed dump's location. */
  readonly dataCopy: { readonly stack: string } | { readonly dump: string } | undefined;
}

/** One stack's validated `phoenix:` settings. */
export interface StackConfig {
  /** Platform the stack runs on (`phoenix:platform`). */
  readonly platform: string;
  /** Environment name used in tags and names (defaults to the stack name). */
  readonly environment: string;
  /** Platform region. */
  readonly region: string;
  /** The application. */
  readonly app: AppConfig;
  /** Both colours. */
  readonly colours: Readonly<Record<Colour, ColourConfig>>;
  /** The colour the live endpoint serves. */
  readonly active: Colour;
  /** Percentage of live traffic sent to the other colour (canary); 0 means none. */
  readonly canaryWeight: number;
  /** How users reach the live colour. */
  readonly endpoint: EndpointKind;
  /** Certificate for HTTPS on the live load balancer, as the platform names it; undefined: HTTP only. */
  readonly tlsCertificateName: string | undefined;
  /** Managed database, when wanted. */
  readonly database: DatabaseConfig | undefined;
  /** DNS records, when wanted. */
  readonly dns: DnsConfig | undefined;
  /** Network. */
  readonly network: NetworkConfig;
  /** Data volume per server, when wanted. */
  readonly dataVolume: DataVolumeConfig | undefined;
  /** Health gate settings. */
  readonly healthGate: HealthGateConfig;
  /** The stack's teardown, when this update is its decommission. */
  readonly decommission?: DecommissionConfig;
  /**
   * Hours after its first deployment at which a review stack destroys itself; undefined for a
   * stack that lives until it is destroyed (see `review-stack.ts`).
   */
  readonly reviewTtlHours?: number;
}

/**
 * A stack's settings while they are being validated: each part present only when it was valid
 * on its own, so that checks across settings can run in the same pass as every other check.
 */
export type DraftStackConfig = { readonly [K in keyof StackConfig]?: StackConfig[K] };
