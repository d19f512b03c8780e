import { TagContext, tagMap } from "../core/tags";
import { mockAddress } from "../core/platform/mock-values";
import { IngressRule, PlatformFacts, Props, TypeFacts } from "../core/platform/resource-facts";
import PROVIDER_SCHEMA from "./provider-schema.json";
import { DO_COMPONENTS, DO_TYPES } from "./types";
import { PINNED_IMAGE } from "./values";

// What Phoenix's policies, the mock cloud and the offline plan need to know about DigitalOcean's
// resource types. Pure data and functions: the policy pack loads this without the SDK.

/** DigitalOcean's TTL for a record created without one. */
const DEFAULT_TTL_SECONDS = 1800;

/** The provider's own config keys (`digitalocean:token`, ...), from its schema's config. */
const PROVIDER_KEYS = [
  "apiEndpoint",
  "httpRetryMax",
  "httpRetryWaitMax",
  "httpRetryWaitMin",
  "requestsPerSecond",
  "spacesAccessId",
  "spacesEndpoint",
  "spacesSecretKey",
  "token",
];

/** DigitalOcean tags are flat strings; Phoenix writes `key:value` ones and reads them back. */
export function readFlatTags(props: Props): Record<string, string> {
  const tags = Array.isArray(props.tags) ? props.tags : [];
  const pairs: Record<string, string> = {};
  for (const tag of tags) {
    if (typeof tag !== "string") continue;
    const i = tag.indexOf(":");
    if (i > 0) pairs[tag.slice(0, i)] = tag.slice(i + 1);
  }
  return pairs;
}

/** Whether a DigitalOcean port range ("22", "8000-8080", "all", unset) covers a port. */
export function coversPort(range: string | undefined, port: number): boolean {
  if (range === undefined || range === "" || range === "all" || range === "0") return true;
  const [low, high] = range.split("-").map(Number);
  // A range that does not parse is treated as covering everything: fail closed.
  if (low === undefined || Number.isNaN(low)) return true;
  return port >= low && port <= (high ?? low);
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.map((v) => String(v)) : [];

/** A droplet firewall's inbound rules, in neutral terms. */
function ingress(props: Props): IngressRule[] {
  const rules = Array.isArray(props.inboundRules) ? (props.inboundRules as Props[]) : [];
  return rules.map((rule) => {
    const range = typeof rule.portRange === "string" ? rule.portRange : undefined;
    return {
      protocol: String(rule.protocol ?? ""),
      ports: range ?? "all",
      covers: (port: number) => coversPort(range, port),
      sources: {
        addresses: strings(rule.sourceAddresses),
        loadBalancers: strings(rule.sourceLoadBalancerUids),
        groups: strings(rule.sourceTags),
        servers: strings(rule.sourceDropletIds),
      },
    };
  });
}

const tagged = (colour: boolean) => ({ colour, read: readFlatTags });

/**
 * The inputs of a type that make the provider replace it, from the provider's schema (and the
 * installed SDK's newer inputs, classified from the provider's source): `provider-schema.json`.
 */
export function replaceOn(type: string): string[] {
  const own = (PROVIDER_SCHEMA.types as Record<string, { replaceOnChanges: string[] }>)[type];
  const newer = (
    PROVIDER_SCHEMA.supplements.types as Record<string, { replaceOnChanges: string[] } | undefined>
  )[type];
  if (own === undefined) throw new Error(`${type} is not in provider-schema.json`);
  return [...own.replaceOnChanges, ...(newer?.replaceOnChanges ?? [])].sort();
}

/** The facts of each provider type: what the table below says, plus its replacement inputs. */
function withReplaceOn(types: Record<string, TypeFacts>): Record<string, TypeFacts> {
  const providerTypes: readonly string[] = Object.values(DO_TYPES);
  return Object.fromEntries(
    Object.entries(types).map(([type, facts]) => [
      type,
      providerTypes.includes(type) ? { ...facts, replaceOn: replaceOn(type) } : facts,
    ]),
  );
}

/** Facts about every DigitalOcean type Phoenix registers. */
export const DIGITALOCEAN_FACTS: PlatformFacts = {
  platform: "digitalocean",
  databasePorts: [25060],
  providerConfig: { digitalocean: PROVIDER_KEYS },
  types: withReplaceOn({
    [DO_COMPONENTS.network]: { component: "network" },
    [DO_COMPONENTS.serverGroup]: {
      component: "serverGroup",
      keyInputs: ["colour", "count", "image", "size"],
    },
    [DO_COMPONENTS.database]: { component: "database" },
    [DO_COMPONENTS.loadBalancer]: {
      component: "endpoint",
      keyInputs: ["liveColour", "weights", "previewColour"],
    },
    [DO_COMPONENTS.floatingIp]: { component: "endpoint", keyInputs: ["liveColour"] },
    [DO_COMPONENTS.dns]: { component: "dns" },

    [DO_TYPES.vpc]: {
      keyInputs: ["region", "ipRange"],
      privateNetwork: {
        cidr: (props) => (typeof props.ipRange === "string" ? props.ipRange : undefined),
      },
    },
    [DO_TYPES.tag]: { keyInputs: ["name"] },
    [DO_TYPES.firewall]: {
      firewall: {
        ingress,
        targets: (props) => [...strings(props.tags), ...strings(props.dropletIds)],
      },
    },
    [DO_TYPES.droplet]: {
      server: {
        image: "image",
        userData: "userData",
        pinnedImage: PINNED_IMAGE,
        // A size change powers the droplet off, resizes it and powers it on
        // (terraform-provider-digitalocean resource_droplet.go, resourceDigitalOceanDropletUpdate).
        disruptiveUpdates: ["size"],
        memberships: (props) => strings(props.tags),
      },
      tags: tagged(true),
      keyInputs: ["image", "size", "region"],
      mock: (_name, _inputs, seed) => ({
        // Droplet IDs are numbers, which load balancers and reserved IPs take as such.
        id: String(100000 + (seed % 900000)),
        outputs: {
          ipv4Address: mockAddress("198.18", seed),
          ipv4AddressPrivate: mockAddress("10.10", seed),
          urn: `do:droplet:${seed}`,
        },
      }),
    },
    [DO_TYPES.volume]: {
      stateful: true,
      tags: tagged(true),
      keyInputs: ["size", "region"],
      mock: (_name, _inputs, seed) => ({ outputs: { urn: `do:volume:${seed}` } }),
    },
    [DO_TYPES.volumeAttachment]: { volumeAttachment: true },
    [DO_TYPES.databaseCluster]: {
      stateful: true,
      tags: tagged(false),
      credentials: ["password", "uri", "privateUri"],
      database: {
        privateNetwork: (props) =>
          typeof props.privateNetworkUuid === "string" && props.privateNetworkUuid !== "",
      },
      keyInputs: ["engine", "version", "size", "nodeCount"],
      mock: (name, _inputs, seed) => ({
        outputs: {
          host: `${name}.db.ondigitalocean.com`,
          privateHost: `private-${name}.db.ondigitalocean.com`,
          port: 25060,
          user: "doadmin",
          password: "mock-admin-password",
          uri: `postgresql://doadmin:mock-admin-password@${name}.db.ondigitalocean.com:25060/defaultdb`,
          privateUri: `postgresql://doadmin:mock-admin-password@private-${name}.db.ondigitalocean.com:25060/defaultdb`,
          urn: `do:dbaas:${seed}`,
        },
      }),
    },
    [DO_TYPES.databaseDb]: { stateful: true, keyInputs: ["name"] },
    [DO_TYPES.databaseUser]: {
      stateful: true,
      credentials: ["password"],
      keyInputs: ["name"],
      mock: () => ({ outputs: { password: "mock-user-password", role: "normal" } }),
    },
    [DO_TYPES.databaseFirewall]: {
      databaseAccess: {
        entries: (props) =>
          (Array.isArray(props.rules) ? (props.rules as Props[]) : []).map((rule) => ({
            kind: String(rule.type),
            value: String(rule.value),
            names: rule.type === "tag" ? "group" : rule.type === "droplet" ? "server" : "address",
          })),
      },
    },
    [DO_TYPES.loadBalancer]: {
      loadBalancer: true,
      https: {
        serves: (props) =>
          (Array.isArray(props.forwardingRules) ? (props.forwardingRules as Props[]) : []).some(
            (r) => r.entryProtocol === "https" && Boolean(r.certificateName ?? r.certificateId),
          ),
        redirects: (props) => props.redirectHttpToHttps === true,
      },
      serverRefs: ["dropletIds"],
      keyInputs: ["dropletIds"],
      mock: (_name, _inputs, seed) => ({
        outputs: { ip: mockAddress("198.19", seed), urn: `do:loadbalancer:${seed}` },
      }),
    },
    [DO_TYPES.reservedIp]: {
      stateful: true,
      staticAddress: true,
      serverRefs: ["dropletId"],
      keyInputs: ["region", "dropletId"],
      mock: (_name, _inputs, seed) => ({
        outputs: {
          ipAddress: mockAddress("198.19", (seed ^ 0x8000) >>> 0),
          urn: `do:reservedip:${seed}`,
        },
      }),
    },
    [DO_TYPES.dnsRecord]: {
      dnsRecord: {
        recordType: (props) => String(props.type),
        ttlSeconds: (props) => (typeof props.ttl === "number" ? props.ttl : DEFAULT_TTL_SECONDS),
      },
      keyInputs: ["name", "type", "ttl"],
      mock: (_name, inputs) => {
        const { name, domain } = inputs as { name: string; domain: string };
        return { outputs: { fqdn: name === "@" ? domain : `${name}.${domain}` } };
      },
    },
  }),
};

/** Phoenix's tags as DigitalOcean's flat `key:value` strings. */
export function flatTags(context: TagContext): string[] {
  return Object.entries(tagMap(context)).map(([k, v]) => `${k}:${v}`);
}
