import { CORE_FACTS } from "../components/core/platform/core-facts";
import { PlatformFacts, Props, TypeFacts } from "../components/core/platform/resource-facts";
import { AWS_FACTS } from "../components/aws/facts";
import { DIGITALOCEAN_FACTS } from "../components/digitalocean/facts";
import { VSPHERE_FACTS } from "../components/vsphere/facts";
import { DELIVERY_FACTS } from "../delivery/facts";

/**
 * The facts every platform declares about its resource types: the rules read these and never
 * name a type. A new platform adds its facts here (and its implementation to `stacks/platforms.ts`).
 */
export const PLATFORM_FACTS: readonly PlatformFacts[] = [
  CORE_FACTS,
  DIGITALOCEAN_FACTS,
  AWS_FACTS,
  VSPHERE_FACTS,
  // The delivery program's Pulumi Cloud types: mock outputs and plan keys only, no policy facts.
  DELIVERY_FACTS,
];

const BY_TYPE = new Map<string, TypeFacts>(PLATFORM_FACTS.flatMap((p) => Object.entries(p.types)));

/**
 * Adds a platform's facts beside the built-in ones (e.g. a platform kept outside this
 * repository, or a test's); a type declared twice keeps the later facts.
 */
export function registerPlatformFacts(facts: PlatformFacts): void {
  for (const [type, typeFacts] of Object.entries(facts.types)) BY_TYPE.set(type, typeFacts);
}

/** The facts of a type token; undefined for a type no platform declares. */
export function factsOf(type: string): TypeFacts | undefined {
  return BY_TYPE.get(type);
}

/** Whether a resource carries a colour tag (every one of its type, or as its inputs say). */
export function colourTagged(type: string, props: Props): boolean {
  const colour = factsOf(type)?.tags?.colour;
  return typeof colour === "function" ? colour(props) : colour === true;
}

/** Whether a resource is a load balancer (every one of its type, or as its inputs say). */
export function isLoadBalancer(type: string, props: Props): boolean {
  const lb = factsOf(type)?.loadBalancer;
  return typeof lb === "function" ? lb(props) : lb === true;
}

/** Ports of every platform's managed databases, Postgres's own included. */
export const DATABASE_PORTS: readonly number[] = [
  ...new Set(PLATFORM_FACTS.flatMap((p) => p.databasePorts)),
].sort((a, b) => a - b);

/** Record types whose value moves when endpoints change. */
export const SWITCHABLE_DNS_TYPES = ["A", "AAAA", "CNAME", "ALIAS"];
