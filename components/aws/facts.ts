import { mockAddress } from "../core/platform/mock-values";
import {
  DatabaseAccessEntry,
  FactContext,
  IngressRule,
  PlatformFacts,
  Props,
  TypeFacts,
} from "../core/platform/resource-facts";
import { AWS_HARDENING } from "./hardening";
import PROVIDER_SCHEMA from "./provider-schema.json";
import { AWS_COMPONENTS, AWS_TYPES } from "./types";
import { PINNED_AMI } from "./values";

// What Phoenix's policies, the mock cloud and the offline plan need to know about AWS's resource
// types. Pure data and functions: the policy pack loads this without the SDK.

/** The provider's own config keys (`aws:region`, ...) that a Phoenix stack file may set. */
const PROVIDER_KEYS = [
  "accessKey",
  "allowedAccountIds",
  "assumeRole",
  "assumeRoleWithWebIdentity",
  "defaultTags",
  "forbiddenAccountIds",
  "ignoreTags",
  "maxRetries",
  "profile",
  "region",
  "retryMode",
  "secretKey",
  "sharedConfigFiles",
  "sharedCredentialsFiles",
  "skipCredentialsValidation",
  "skipMetadataApiCheck",
  "skipRegionValidation",
  "skipRequestingAccountId",
  "token",
];

/** Route53 alias records to an ALB answer with the ALB's own 60-second TTL. */
const ALIAS_TTL_SECONDS = 60;

type Table = Record<string, { replaceOnChanges: string[] } | undefined>;

/**
 * The inputs of a type that make the provider replace it: `provider-schema.json`, derived from
 * the provider's ForceNew attributes, plus the installed SDK's newer inputs (its supplements).
 */
export function replaceOn(type: string): string[] {
  const own = (PROVIDER_SCHEMA.types as Table)[type];
  const newer = (PROVIDER_SCHEMA.supplements.types as Table)[type];
  if (own === undefined) throw new Error(`${type} is not in provider-schema.json`);
  return [...own.replaceOnChanges, ...(newer?.replaceOnChanges ?? [])].sort();
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.map((v) => String(v)) : [];
const records = (value: unknown): Props[] =>
  Array.isArray(value) ? (value as Props[]).filter((v) => typeof v === "object" && v !== null) : [];

/** An AWS tag map (or an auto scaling group's list of `{key, value}`) as key/value pairs. */
export function readAwsTags(props: Props): Record<string, string> {
  if (Array.isArray(props.tags)) {
    return Object.fromEntries(records(props.tags).map((t) => [String(t.key), String(t.value)]));
  }
  const tags = props.tags;
  if (typeof tags !== "object" || tags === null) return {};
  return Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, String(v)]));
}

const tagged = (colour: boolean) => ({ colour, read: readAwsTags });

/**
 * The security groups an inline rule names, as URNs where the stack is known: the IDs in
 * `securityGroups` are the groups' outputs, which their own inputs do not hold, so they are
 * matched through the input's dependencies. Without the stack (a lone resource), the IDs.
 */
function namedGroups(rule: Props, context: FactContext, input: string): string[] {
  const ids = strings(rule.securityGroups);
  if (ids.length === 0) return [];
  const urns = context.refs[input] ?? [];
  return urns.length > 0 ? [...urns] : ids;
}

/** Whether a group (by URN) is a load balancer's: some load balancer lists it. */
function isLoadBalancerGroup(urn: string, context: FactContext): boolean {
  return context.stack.some(
    (r) =>
      r.type === AWS_TYPES.loadBalancer &&
      (r.propertyDependencies.securityGroups ?? []).includes(urn),
  );
}

/** Whether an AWS rule's port range covers a port (protocol -1 covers every port). */
function covers(rule: Props, port: number): boolean {
  if (String(rule.protocol) === "-1" || String(rule.protocol) === "all") return true;
  const from = Number(rule.fromPort);
  const to = Number(rule.toPort);
  // A range that does not parse covers everything: fail closed.
  if (Number.isNaN(from) || Number.isNaN(to)) return true;
  return port >= from && port <= to;
}

/** A security group's inline ingress rules, in neutral terms. */
function ingress(props: Props, context: FactContext): IngressRule[] {
  return records(props.ingress).map((rule) => {
    const groups = namedGroups(rule, context, "ingress");
    const own = rule.self === true ? [context.urn] : [];
    const all = String(rule.protocol) === "-1";
    return {
      protocol: all ? "all" : String(rule.protocol),
      ports: all
        ? "all"
        : rule.fromPort === rule.toPort
          ? String(rule.fromPort)
          : `${rule.fromPort}-${rule.toPort}`,
      covers: (port: number) => covers(rule, port),
      sources: {
        addresses: [...strings(rule.cidrBlocks), ...strings(rule.ipv6CidrBlocks)],
        loadBalancers: groups.filter((g) => isLoadBalancerGroup(g, context)),
        groups: [...groups.filter((g) => !isLoadBalancerGroup(g, context)), ...own],
        servers: [],
      },
    };
  });
}

/** What a security group admits to Postgres: the database's access list on AWS. */
function postgresAccess(props: Props, context: FactContext): DatabaseAccessEntry[] {
  return ingress(props, context)
    .filter((rule) => rule.covers(5432))
    .flatMap((rule) => [
      ...rule.sources.groups.map((g) => ({
        kind: "security group",
        value: g,
        names: "group" as const,
      })),
      ...rule.sources.loadBalancers.map((g) => ({
        kind: "security group",
        value: g,
        names: "group" as const,
      })),
      ...rule.sources.addresses.map((a) => ({ kind: "cidr", value: a, names: "address" as const })),
    ]);
}

/** The security groups a server is in, by URN (what firewall targets name). */
const memberships = (_props: Props, context: FactContext): string[] => [
  ...(context.refs.vpcSecurityGroupIds ?? []),
];

/** Whether a listener serves HTTPS with a certificate; and whether it redirects HTTP there. */
const listenerHttps = {
  serves: (props: Props) => props.protocol === "HTTPS" && typeof props.certificateArn === "string",
  redirects: (props: Props) =>
    records(props.defaultActions).some(
      (a) => a.type === "redirect" && (a.redirect as Props | undefined)?.protocol === "HTTPS",
    ),
};

/** A hex string of `length` digits from a seed, for mock IDs (`vpc-…`, `i-…`). */
export function mockHex(seed: number, length: number): string {
  let text = "";
  let value = seed >>> 0;
  while (text.length < length) {
    value = Math.imul(value ^ (value >>> 15), 0x2c1b3c6d) >>> 0;
    text += value.toString(16).padStart(8, "0");
  }
  return text.slice(0, length);
}

/** Account and region of mock ARNs. */
const MOCK_ACCOUNT = "123456789012";
const MOCK_REGION = "us-east-1";
const arn = (service: string, resource: string) =>
  `arn:aws:${service}:${service === "iam" ? "" : MOCK_REGION}:${MOCK_ACCOUNT}:${resource}`;
const prefixed = (prefix: string) => (_name: string, _inputs: Props, seed: number) => {
  const id = `${prefix}-${mockHex(seed, 17)}`;
  return { id, outputs: { arn: arn("ec2", `${prefix}/${id}`) } };
};
/** ELB names are at most 32 characters. */
const elbName = (name: string) => name.slice(0, 32).replace(/-+$/, "");

/** The facts of each provider type, with its replacement inputs and its hardening checks. */
function withReplaceOn(types: Record<string, TypeFacts>): Record<string, TypeFacts> {
  const providerTypes: readonly string[] = Object.values(AWS_TYPES);
  return Object.fromEntries(
    Object.entries(types).map(([type, facts]) => [
      type,
      providerTypes.includes(type)
        ? {
            ...facts,
            replaceOn: replaceOn(type),
            ...(AWS_HARDENING[type] ? { hardening: AWS_HARDENING[type] } : {}),
          }
        : facts,
    ]),
  );
}

/** Facts about every AWS type Phoenix registers. */
export const AWS_FACTS: PlatformFacts = {
  platform: "aws",
  databasePorts: [5432],
  providerConfig: { aws: PROVIDER_KEYS },
  types: withReplaceOn({
    [AWS_COMPONENTS.network]: { component: "network", keyInputs: ["cidr", "zones", "natGateways"] },
    [AWS_COMPONENTS.serverGroup]: {
      component: "serverGroup",
      keyInputs: ["colour", "count", "image", "size"],
    },
    [AWS_COMPONENTS.statefulServers]: {
      component: "serverGroup",
      keyInputs: ["colour", "count", "image", "size", "zone"],
    },
    [AWS_COMPONENTS.database]: {
      component: "database",
      keyInputs: ["engineVersion", "size", "multiAz"],
    },
    [AWS_COMPONENTS.loadBalancer]: {
      component: "endpoint",
      keyInputs: ["liveColour", "weights", "previewColour"],
    },
    [AWS_COMPONENTS.elasticIp]: { component: "endpoint", keyInputs: ["liveColour"] },
    [AWS_COMPONENTS.dns]: { component: "dns" },

    [AWS_TYPES.vpc]: {
      tags: tagged(false),
      keyInputs: ["cidrBlock"],
      privateNetwork: {
        cidr: (props) => (typeof props.cidrBlock === "string" ? props.cidrBlock : undefined),
      },
      mock: prefixed("vpc"),
    },
    [AWS_TYPES.subnet]: {
      tags: tagged(false),
      keyInputs: ["availabilityZone", "cidrBlock"],
      mock: prefixed("subnet"),
    },
    [AWS_TYPES.internetGateway]: { tags: tagged(false), mock: prefixed("igw") },
    [AWS_TYPES.natGateway]: { tags: tagged(false), keyInputs: ["subnetId"], mock: prefixed("nat") },
    // NAT addresses are what third parties allowlist: kept like any static address.
    [AWS_TYPES.eip]: {
      stateful: true,
      staticAddress: true,
      tags: tagged(false),
      keyInputs: ["domain"],
      mock: (_name, _inputs, seed) => {
        const id = `eipalloc-${mockHex(seed, 17)}`;
        return {
          id,
          outputs: { allocationId: id, publicIp: mockAddress("198.19", (seed ^ 0x8000) >>> 0) },
        };
      },
    },
    [AWS_TYPES.eipAssociation]: {
      serverRefs: ["instanceId"],
      keyInputs: ["instanceId"],
      mock: (_name, _inputs, seed) => ({ id: `eipassoc-${mockHex(seed, 17)}`, outputs: {} }),
    },
    [AWS_TYPES.routeTable]: { tags: tagged(false), mock: prefixed("rtb") },
    [AWS_TYPES.route]: { keyInputs: ["destinationCidrBlock"] },
    [AWS_TYPES.routeTableAssociation]: {},
    [AWS_TYPES.securityGroup]: {
      tags: tagged(false),
      firewall: { ingress, targets: (_props, context) => [context.urn] },
      databaseAccess: { entries: postgresAccess },
      keyInputs: ["description"],
      mock: prefixed("sg"),
    },
    [AWS_TYPES.launchTemplate]: {
      server: {
        image: "imageId",
        userData: "userData",
        userDataEncoding: "base64",
        pinnedImage: PINNED_AMI,
        // A template change never touches running instances; Phoenix replaces it (and its
        // group) on image, type and user data, so nothing is disruptive in place.
        disruptiveUpdates: ["instanceType"],
        memberships,
      },
      tags: tagged(true),
      keyInputs: ["imageId", "instanceType"],
      mock: (_name, _inputs, seed) => ({
        id: `lt-${mockHex(seed, 17)}`,
        outputs: { latestVersion: 1, defaultVersion: 1 },
      }),
    },
    [AWS_TYPES.instance]: {
      server: {
        image: "ami",
        userData: "userData",
        pinnedImage: PINNED_AMI,
        // An instance type change stops and starts the instance in place.
        disruptiveUpdates: ["instanceType"],
        memberships,
      },
      tags: tagged(true),
      keyInputs: ["ami", "instanceType", "availabilityZone"],
      mock: (_name, _inputs, seed) => ({
        id: `i-${mockHex(seed, 17)}`,
        outputs: {
          publicIp: mockAddress("198.18", seed),
          privateIp: mockAddress("10.10", seed),
        },
      }),
    },
    [AWS_TYPES.volume]: {
      stateful: true,
      tags: tagged(true),
      keyInputs: ["availabilityZone", "size", "encrypted"],
      mock: (_name, _inputs, seed) => ({ id: `vol-${mockHex(seed, 17)}`, outputs: {} }),
    },
    [AWS_TYPES.volumeAttachment]: { volumeAttachment: true, keyInputs: ["deviceName"] },
    [AWS_TYPES.flowLog]: { tags: tagged(false), keyInputs: ["trafficType"] },
    [AWS_TYPES.logGroup]: {
      tags: tagged(false),
      keyInputs: ["retentionInDays"],
      mock: (name) => ({ outputs: { arn: arn("logs", `log-group:${name}`) } }),
    },
    [AWS_TYPES.autoScalingGroup]: {
      tags: tagged(true),
      keyInputs: ["desiredCapacity", "healthCheckType", "waitForElbCapacity"],
      mock: (name, _inputs, seed) => ({ id: `${name}-${mockHex(seed, 26)}`, outputs: {} }),
    },
    [AWS_TYPES.loadBalancer]: {
      loadBalancer: true,
      tags: tagged(false),
      keyInputs: ["loadBalancerType", "internal"],
      mock: (name, _inputs, seed) => {
        const hex = mockHex(seed, 16);
        return {
          id: arn("elasticloadbalancing", `loadbalancer/app/${elbName(name)}/${hex}`),
          outputs: {
            arn: arn("elasticloadbalancing", `loadbalancer/app/${elbName(name)}/${hex}`),
            dnsName: `${elbName(name)}-${seed % 1000000000}.${MOCK_REGION}.elb.amazonaws.com`,
            // The hosted zone of ALBs in us-east-1.
            zoneId: "Z35SXDOTRQ7X7K",
          },
        };
      },
    },
    [AWS_TYPES.targetGroup]: {
      tags: tagged(true),
      keyInputs: ["port", "protocol"],
      mock: (name, _inputs, seed) => {
        const id = arn("elasticloadbalancing", `targetgroup/${elbName(name)}/${mockHex(seed, 16)}`);
        return { id, outputs: { arn: id } };
      },
    },
    [AWS_TYPES.listener]: {
      https: listenerHttps,
      serverRefs: ["defaultActions"],
      tags: tagged(false),
      keyInputs: ["port", "protocol"],
      mock: (name, _inputs, seed) => {
        const id = arn(
          "elasticloadbalancing",
          `listener/app/${elbName(name)}/${mockHex(seed, 16)}`,
        );
        return { id, outputs: { arn: id } };
      },
    },
    [AWS_TYPES.listenerRule]: {
      serverRefs: ["actions"],
      tags: tagged(false),
      keyInputs: ["priority"],
      mock: (name, _inputs, seed) => {
        const id = arn(
          "elasticloadbalancing",
          `listener-rule/app/${elbName(name)}/${mockHex(seed, 16)}`,
        );
        return { id, outputs: { arn: id } };
      },
    },
    [AWS_TYPES.role]: {
      tags: tagged(false),
      mock: (name) => ({ id: name, outputs: { arn: arn("iam", `role/${name}`), name } }),
    },
    [AWS_TYPES.rolePolicy]: {},
    [AWS_TYPES.rolePolicyAttachment]: { keyInputs: ["policyArn"] },
    [AWS_TYPES.instanceProfile]: {
      tags: tagged(false),
      mock: (name) => ({
        id: name,
        outputs: { arn: arn("iam", `instance-profile/${name}`), name },
      }),
    },
    [AWS_TYPES.dbInstance]: {
      stateful: true,
      tags: tagged(false),
      credentials: ["password"],
      database: {
        privateNetwork: (props) =>
          props.publiclyAccessible !== true && typeof props.dbSubnetGroupName === "string",
      },
      keyInputs: ["engine", "engineVersion", "instanceClass", "multiAz"],
      mock: (name, inputs, seed) => ({
        id: String(inputs.identifier ?? name),
        outputs: {
          address: `${String(inputs.identifier ?? name)}.c${mockHex(seed, 11)}.${MOCK_REGION}.rds.amazonaws.com`,
          masterUserSecrets: [
            {
              secretArn: arn("secretsmanager", `secret:rds!db-${mockHex(seed, 8)}-Ab12Cd`),
              secretStatus: "active",
              kmsKeyId: "",
            },
          ],
        },
      }),
    },
    [AWS_TYPES.dbSubnetGroup]: {
      tags: tagged(false),
      mock: (name) => ({ id: name, outputs: { name } }),
    },
    [AWS_TYPES.record]: {
      dnsRecord: {
        recordType: (props) => String(props.type),
        ttlSeconds: (props) => (typeof props.ttl === "number" ? props.ttl : ALIAS_TTL_SECONDS),
      },
      keyInputs: ["name", "type", "ttl"],
      mock: (_name, inputs) => ({ outputs: { fqdn: String(inputs.name) } }),
    },
  }),
};
