import { ValueRule } from "./value-rule";

/**
 * What Phoenix's policies, the mock cloud and the offline plan need to know about a resource
 * type, declared by the platform that uses it. Rules read these facts and never name a type.
 */

/** Resolved inputs of a resource, as policies and the plan see them. */
export type Props = Readonly<Record<string, unknown>>;

/**
 * The input a property path starts in, as Pulumi writes paths in `ignoreChanges` and
 * `replaceOnChanges`: `userData`, `clone.templateUuid`, `config["user.data"]`.
 */
export function topInput(path: string): string {
  return /^[^.[]*/.exec(path)?.[0] ?? path;
}

/** The value at a property path (as {@link topInput} reads them) of a resource's inputs. */
export function inputAt(props: Props, path: string): unknown {
  const steps = [...path.matchAll(/(?:^|\.)([^.[\]]+)|\["([^"]*)"\]/g)].map((m) => m[1] ?? m[2]);
  let value: unknown = props;
  for (const step of steps) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string, unknown>)[step as string];
  }
  return value;
}

/** Another resource of the stack, as facts that relate resources see it. */
export interface RelatedResource {
  readonly type: string;
  readonly urn: string;
  readonly props: Props;
  /** The URNs each input depends on. */
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
}

/**
 * Where a resource stands in its stack, for facts that relate it to others (a security group
 * is named by ID, which its own inputs do not hold). Where the stack is not known (a single
 * resource under CrossGuard's resource validation) `refs` and `stack` are empty.
 */
export interface FactContext {
  /** The resource's own URN. */
  readonly urn: string;
  /** The URNs each of its inputs depends on. */
  readonly refs: Readonly<Record<string, readonly string[]>>;
  /** Every resource of the stack. */
  readonly stack: readonly RelatedResource[];
}

/** Sources an inbound firewall rule admits, in neutral terms. */
export interface IngressSources {
  /** Address ranges (CIDRs). */
  readonly addresses: readonly string[];
  /** Load balancers, by ID. */
  readonly loadBalancers: readonly string[];
  /** Groups of servers (tags, security groups), by name or ID. */
  readonly groups: readonly string[];
  /** Single servers, by ID. */
  readonly servers: readonly string[];
}

/** One inbound rule of an instance firewall. */
export interface IngressRule {
  /** `tcp`, `udp` or `icmp`. */
  readonly protocol: string;
  /** The ports as the platform writes them, for messages (e.g. "22", "8000-8080", "all"). */
  readonly ports: string;
  /** Whether the rule covers a port; a range that does not parse counts as covering all. */
  covers(port: number): boolean;
  /** Who it admits. */
  readonly sources: IngressSources;
}

/** One entry of a managed database's access list. */
export interface DatabaseAccessEntry {
  /** The platform's kind of entry (e.g. `tag`, `ip_addr`). */
  readonly kind: string;
  /** Its value. */
  readonly value: string;
  /** What the entry names: a group of servers (a tag), one server, or addresses. */
  readonly names: "group" | "server" | "address";
}

/** What a mock create returns: the ID and the computed outputs a real create would. */
export interface MockResult {
  /** The ID, when it has a platform-specific form (e.g. numeric). */
  readonly id?: string;
  /** Computed outputs, merged over the inputs. */
  readonly outputs: Readonly<Record<string, unknown>>;
}

/** The roles Phoenix's own component resources play. */
export type ComponentRole =
  "network" | "serverGroup" | "endpoint" | "database" | "dns" | "healthGate" | "liveSwitch";

/** Facts about one resource type. Every field is optional: a type declares what applies. */
export interface TypeFacts {
  /** A Phoenix component, and its role. */
  readonly component?: ComponentRole;
  /** Holds data or an address users depend on: must be protected and retained. */
  readonly stateful?: boolean;
  /** A server: the inputs holding its image and user data, and which images count as pinned. */
  readonly server?: {
    /** The input (a property path) holding its image. */
    readonly image: string;
    /** The input (a property path) holding its user data. */
    readonly userData: string;
    /**
     * How the user-data input is written: as text, base64 (a launch template's) or gzip+base64
     * (a hypervisor's guest variables).
     * @default "text"
     */
    readonly userDataEncoding?: "text" | "base64" | "gzip+base64";
    /**
     * Where the provider does not replace the server on its user data (it reboots it), the input
     * that does replace it and that the platform sets to a digest of the image and user data:
     * its name, and the digest it must hold for the resource's inputs.
     */
    readonly rebuildTrigger?: {
      readonly input: string;
      expected(props: Props): string | undefined;
    };
    readonly pinnedImage: ValueRule;
    /** Inputs whose in-place update powers the server off or reboots it (e.g. its size). */
    readonly disruptiveUpdates: readonly string[];
    /** The groups it belongs to (tags, security groups): what firewalls and databases name. */
    memberships(props: Props, context: FactContext): string[];
  };
  /**
   * Carries tags: whether it belongs to a colour (for every resource of the type, or as its
   * inputs say), and how to read them as key/value pairs.
   */
  readonly tags?: {
    readonly colour: boolean | ((props: Props) => boolean);
    read(props: Props): Record<string, string>;
  };
  /** An instance firewall: its inbound rules, and the groups or servers it applies to. */
  readonly firewall?: {
    ingress(props: Props, context: FactContext): IngressRule[];
    targets(props: Props, context: FactContext): string[];
  };
  /** A managed database's access list. */
  readonly databaseAccess?: { entries(props: Props, context: FactContext): DatabaseAccessEntry[] };
  /** A managed database: whether it lives on a private network. */
  readonly database?: { privateNetwork(props: Props): boolean };
  /** A volume's attachment to a server (it must detach before it attaches elsewhere). */
  readonly volumeAttachment?: boolean;
  /** A DNS record: its record type and TTL (with the platform's default when unset). */
  readonly dnsRecord?: { recordType(props: Props): string; ttlSeconds(props: Props): number };
  /** A private network: its address range (the app port may be admitted from it). */
  readonly privateNetwork?: { cidr(props: Props): string | undefined };
  /**
   * A scheduled destroy of the stack that registers it: the stack's data is disposable, and its
   * stateful resources must be neither protected nor retained, or the destroy fails or leaks them.
   */
  readonly expiresStack?: boolean;
  /** A read of something that exists (not created, updated or deleted by the stack). */
  readonly read?: boolean;
  /** A load balancer, of any role (for every resource of the type, or as its inputs say). */
  readonly loadBalancer?: boolean | ((props: Props) => boolean);
  /** How a load balancer serves HTTPS: whether it terminates TLS, and redirects HTTP to it. */
  readonly https?: { serves(props: Props): boolean; redirects(props: Props): boolean };
  /** A static address that moves between servers. */
  readonly staticAddress?: boolean;
  /** Inputs that name the servers it sends traffic to. */
  readonly serverRefs?: readonly string[];
  /** Inputs and outputs that hold database credentials. */
  readonly credentials?: readonly string[];
  /**
   * The platform's own checks of a resource's settings (encryption, metadata service, TLS
   * policy...): each problem as a message that says what is wrong, the value found and what is
   * required. `platform-hardening` reports each, after the resource's type and name.
   */
  hardening?(props: Props): string[];
  /**
   * Inputs whose change makes the provider replace the resource rather than update it (its
   * schema's `willReplaceOnChanges`); the offline diff reads these. Undefined for a type no
   * provider manages (a component).
   */
  readonly replaceOn?: readonly string[];
  /** Inputs worth showing in the plan's tree, in order. */
  readonly keyInputs?: readonly string[];
  /**
   * Computed outputs under the mock runtime. `seed` is a number derived from the resource's
   * type and name alone, so a resource gets the same ID and addresses in every run, and two
   * runs of a stack (its base and its change) can be compared.
   */
  mock?(name: string, inputs: Props, seed: number): MockResult;
}

/** Everything one platform declares about its resource types. */
export interface PlatformFacts {
  /** The platform (`phoenix:platform`), or `core` for Phoenix's cloud-neutral types. */
  readonly platform: string;
  /** Facts per type token. */
  readonly types: Readonly<Record<string, TypeFacts>>;
  /** Ports of this platform's managed databases, never to be opened to the internet. */
  readonly databasePorts: readonly number[];
  /** Provider config namespaces and their keys (a provider namespace to the keys its provider reads). */
  readonly providerConfig: Readonly<Record<string, readonly string[]>>;
}
