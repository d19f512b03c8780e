import * as pulumi from "@pulumi/pulumi";
import { BlueGreenPlan } from "../blue-green-plan";
import { Colour } from "../colour";
import {
  DataVolumeConfig,
  DatabaseConfig,
  EndpointKind,
  DraftStackConfig,
  HealthGateConfig,
} from "../config/stack-config";
import { SettingSpec } from "../config/settings";
import { SettingsReader } from "../config/settings-reader";
import { Capabilities } from "./capabilities";
import { PlatformFacts } from "./resource-facts";
import { ValueRule } from "./value-rule";

/**
 * Where an endpoint is reached: an IPv4 address, or a host name (a load balancer's DNS name,
 * with the hosted zone it lives in where the platform's DNS can alias it).
 */
export type Address =
  | { readonly ip: pulumi.Output<string> }
  | { readonly hostname: pulumi.Output<string>; readonly aliasZoneId?: pulumi.Output<string> };

/** What the platform accepts for the neutral settings, in its own terms. */
export interface PlatformValueRules {
  /** `phoenix:region`. */
  readonly region: ValueRule;
  /** `phoenix:blueSize`, `phoenix:greenSize`. */
  readonly serverSize: ValueRule;
  /** `phoenix:blueImage`, `phoenix:greenImage`: a pinned image of the platform's kind. */
  readonly image: ValueRule;
  /** `phoenix:dbSize`. */
  readonly databaseSize: ValueRule;
  /** `phoenix:dbEngineVersion`: the Postgres major versions offered. */
  readonly databaseVersion: ValueRule;
  /** `phoenix:tlsCertificateName`: how a certificate is named. */
  readonly certificate: ValueRule;
}

/** Defaults the platform gives neutral settings that have none of their own. */
export interface PlatformDefaults {
  /** Server size when `phoenix:<colour>Size` is unset. */
  readonly serverSize: string;
  /** Database node size when `phoenix:dbSize` is unset. */
  readonly databaseSize: string;
}

/** One problem a platform finds across settings: the setting, the value received, what is allowed. */
export interface SettingProblem {
  /** The setting at fault (without the namespace). */
  readonly setting: string;
  /** The value received, rendered for the message. */
  readonly received: string;
  /** What is allowed. */
  readonly allowed: string;
}

/** The neutral settings a network is built from. */
export interface NetworkArgs<P> {
  readonly region: string;
  readonly service: string;
  readonly environment: string;
  /** Private IPv4 range of the network. */
  readonly vpcCidr: string;
  /** TCP port the app listens on. */
  readonly appPort: number;
  /** CIDRs that may reach SSH; empty keeps it closed. */
  readonly adminCidrs: readonly string[];
  /** Path that answers 2xx when the app is healthy (where the network's load balancer checks). */
  readonly healthCheckPath: string;
  /** Who reaches the app port: only the endpoint's load balancers, or anyone (a static address). */
  readonly appAccess: "endpoint" | "anywhere";
  /** The platform's own settings. */
  readonly settings: P;
}

/** The neutral settings one colour's server group is built from. */
export interface ServerGroupArgs<N, P> {
  readonly region: string;
  readonly colour: Colour;
  readonly service: string;
  readonly environment: string;
  /** Number of servers (at least 1: a colour without servers has no group). */
  readonly count: number;
  /** Pinned image. */
  readonly image: string;
  /** Server size. */
  readonly size: string;
  /** The network the servers join. */
  readonly network: N;
  /** The app's environment; secret values stay secret. */
  readonly appEnvironment: pulumi.Output<Record<string, string>>;
  /** A persistent data volume per server, when wanted. */
  readonly dataVolume: DataVolumeConfig | undefined;
  /**
   * Whether the colour served live traffic when this update started. Its servers must then not
   * be replaced, resized or rebooted: they keep what they were built with (the program
   * refuses a change of their image, size or count before it gets here), whatever the settings
   * that go into servers now say.
   */
  readonly frozen: boolean;
  /**
   * For a frozen colour: the fingerprint its servers were built with (from the previous
   * deployment's record), which stays theirs whatever the settings now say.
   */
  readonly keptFingerprint: string | undefined;
  /** The platform's own settings. */
  readonly settings: P;
}

/** What every platform's server group offers the composition. */
export interface ServerGroupHandle {
  /** Public addresses of the servers, in index order (empty where servers have none). */
  readonly publicAddresses: pulumi.Output<string[]>;
  /**
   * A digest of everything that goes into the servers (image, size, user data and every input
   * whose change would replace them) as they run after this update: it changes exactly when
   * they do. A frozen colour's stays the one it was built with.
   */
  readonly fingerprint: pulumi.Output<string>;
  /** Whether the settings now ask for other servers than a frozen colour keeps running. */
  readonly heldBack: pulumi.Output<boolean>;
}

/** The neutral settings of the live and preview endpoints. */
export interface EndpointArgs<N, G, P> {
  /** How users reach the live colour. */
  readonly kind: EndpointKind;
  readonly region: string;
  readonly network: N;
  /** Each colour's servers, for the colours that have some. */
  readonly groups: Partial<Record<Colour, G>>;
  /** Live colour, weights, preview colour and what the gate probes. */
  readonly plan: BlueGreenPlan;
  readonly appPort: number;
  readonly healthCheckPath: string;
  /** What the health gate requires. */
  readonly gate: HealthGateConfig;
  /** Certificate for HTTPS on the live endpoint, as the platform names it. */
  readonly certificate: string | undefined;
  /** Host name the preview endpoint is published under (its DNS record), when it has one. */
  readonly previewHost: string | undefined;
  readonly settings: P;
}

/** Where users and testers reach the service. */
export interface EndpointHandle {
  /** The live endpoint. */
  readonly live: Address;
  /** The preview endpoint, when the non-live colour has servers. */
  readonly preview: Address | undefined;
  /** Scheme of the live endpoint (the preview is plain HTTP). */
  readonly liveScheme: "http" | "https";
  /** Port users connect to over HTTP on both (the preview's unless `previewPort` says). */
  readonly port: number;
  /**
   * Port the preview is reached on over HTTP, where the platform serves it on a port of its own
   * (the same address as live, another frontend).
   * @default port
   */
  readonly previewPort?: number;
  /**
   * Resolves once the live switch has done this update's work (after the gate): the stack
   * exports its deployment record through it, so a failed update leaves the previous one.
   */
  readonly switched: pulumi.Output<unknown>;
}

/** The neutral settings of the managed database. */
export interface DatabaseArgs<N, P> {
  readonly region: string;
  readonly service: string;
  readonly environment: string;
  readonly database: DatabaseConfig;
  /** The network whose servers (and only those) may reach it. */
  readonly network: N;
  readonly settings: P;
}

/** What every platform's database offers the composition. */
export interface DatabaseHandle {
  /** Private host name. */
  readonly host: pulumi.Output<string>;
  /** Connection URI, TLS required (a secret where it holds the password). */
  readonly uri: pulumi.Output<string>;
  /**
   * What the app's environment gets to reach it: `DATABASE_URL`, and whatever else the platform
   * needs (e.g. where to fetch a password that is kept out of the URI).
   */
  readonly appEnvironment: pulumi.Output<Record<string, string>>;
}

/** One DNS record for an endpoint. */
export interface DnsRecordArgs {
  /** Record name within the domain (`@` for the apex). */
  readonly name: string;
  /** What it points at. */
  readonly address: Address;
}

/** The neutral settings of the endpoint records. */
export interface DnsArgs<P> {
  readonly domain: string;
  readonly ttlSeconds: number;
  /** Records by a short key used in child names (`live`, `preview`). */
  readonly records: Readonly<Record<string, DnsRecordArgs>>;
  readonly settings: P;
}

/** What every platform's DNS component offers the composition. */
export interface DnsHandle {
  /** Fully qualified names, by record key. */
  readonly fqdns: Readonly<Record<string, pulumi.Output<string>>>;
}

/**
 * One cloud, as Phoenix composes it: its settings and their validation, its capabilities, its
 * factories, and the facts about its resource types. The blue/green composition is written once
 * over this interface (`composeStack`); a platform supplies the cloud's resources.
 *
 * @typeParam N the platform's network handle, passed back to its other factories
 * @typeParam G the platform's server-group handle, passed back to its endpoint factory
 * @typeParam P the platform's own settings, read by `readSettings`
 */
export interface Platform<N, G extends ServerGroupHandle, P> {
  /** The value of `phoenix:platform` that selects it. */
  readonly name: string;
  /** Its name for people. */
  readonly title: string;
  /** What it can build. */
  readonly capabilities: Capabilities;
  /** What it accepts for the neutral settings. */
  readonly values: PlatformValueRules;
  /** Defaults for neutral settings that have none. */
  readonly defaults: PlatformDefaults;
  /** Its own `phoenix:` settings, which mean nothing on other platforms. */
  readonly settings: Readonly<Record<string, SettingSpec>>;
  /**
   * Reads its own settings, recording problems on the shared reader.
   *
   * @param reader the shared reader of every `phoenix:` setting
   * @param providerConfig the stack's keys in this platform's provider namespaces (e.g. the
   *   provider's region), as the stack file sets them, so that settings that must agree can be
   *   checked
   */
  readSettings(
    reader: SettingsReader,
    providerConfig: Readonly<Record<string, string>>,
  ): P | undefined;
  /**
   * Checks across settings (e.g. names built from several that grow too long). It runs in the
   * same pass as every other check, so it sees only the settings that were valid on their own.
   */
  crossCheck(draft: DraftStackConfig): SettingProblem[];
  /** Facts about its resource types, for the policies, the mock cloud and the plan. */
  readonly facts: PlatformFacts;

  /** The private network, and whatever admits traffic to the servers. */
  network(name: string, args: NetworkArgs<P>): N;
  /** One colour's servers. */
  serverGroup(name: string, args: ServerGroupArgs<N, P>): G;
  /** The live and preview endpoints with the health gate before the live one moves. */
  endpoint(name: string, args: EndpointArgs<N, G, P>): EndpointHandle;
  /** The managed database. */
  database(name: string, args: DatabaseArgs<N, P>): DatabaseHandle;
  /** DNS records for the endpoints. */
  dns(name: string, args: DnsArgs<P>): DnsHandle;
}

/**
 * The part of a platform that validation needs: what it can build, what it accepts and its own
 * settings. Every `Platform` is one.
 */
export type PlatformRules = Pick<
  Platform<unknown, ServerGroupHandle, unknown>,
  | "name"
  | "title"
  | "capabilities"
  | "values"
  | "defaults"
  | "settings"
  | "readSettings"
  | "crossCheck"
  | "facts"
>;
