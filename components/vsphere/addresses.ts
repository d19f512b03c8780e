import { cidrContains, Ipv4Cidr, parseIpv4Cidr } from "../core/cidr";
import { Colour } from "../core/colour";

/**
 * The static addresses of a vSphere stack. vSphere has no IPAM Phoenix could ask, and the host
 * firewalls are part of each server's user data, so every address is fixed by settings: a
 * database that admits "the app servers" admits their block, which never changes as colours are
 * rebuilt, so a release never rebuilds the database.
 */
export interface AddressPlan {
  /** The port group's network (`phoenix:vpcCidr`), e.g. 10.40.0.0/24. */
  readonly subnet: string;
  /** Its default gateway. */
  readonly gateway: string;
  /** Resolvers the VMs use. */
  readonly nameservers: readonly string[];
  /** The block reserved for app servers: blue takes its first half, green its second. */
  readonly serverBlock: string;
  /** The load balancers' own addresses (one, or a keepalived pair). */
  readonly loadBalancers: readonly string[];
  /** The keepalived virtual address of a pair; undefined with one load balancer. */
  readonly virtualAddress: string | undefined;
  /** The database server's address; undefined without a database. */
  readonly database: string | undefined;
}

/** One address setting that conflicts: the setting, the value received and what is allowed. */
export interface AddressProblem {
  readonly setting: string;
  readonly received: string;
  readonly allowed: string;
}

const toText = (n: number): string =>
  [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");

const host = (text: string): Ipv4Cidr => parseIpv4Cidr(`${text}/32`) as Ipv4Cidr;

/** First address and size of a block. */
function span(block: Ipv4Cidr): { start: number; size: number } {
  const size = 2 ** (32 - block.prefix);
  return { start: Math.floor(block.address / size) * size, size };
}

/**
 * Checks the addresses against each other and the subnet: every one inside the subnet, neither
 * its network nor its broadcast address, none given twice, none inside the app servers' block.
 *
 * @returns the plan, or every problem found
 */
export function planAddresses(plan: AddressPlan): AddressPlan | { problems: AddressProblem[] } {
  const subnet = parseIpv4Cidr(plan.subnet);
  const block = parseIpv4Cidr(plan.serverBlock);
  if (subnet === undefined || block === undefined)
    return {
      problems: [
        {
          setting: subnet === undefined ? "vpcCidr" : "vsphereServerAddresses",
          received: subnet === undefined ? plan.subnet : plan.serverBlock,
          allowed: "an IPv4 CIDR block",
        },
      ],
    };
  const problems: AddressProblem[] = [];
  const { start, size } = span(subnet);
  const reserved = [start, start + size - 1];
  if (
    !cidrContains(subnet, block) ||
    reserved.some((a) => cidrContains(block, { address: a, prefix: 32 }))
  )
    problems.push({
      setting: "vsphereServerAddresses",
      received: plan.serverBlock,
      allowed: `a block inside phoenix:vpcCidr ${plan.subnet} that holds neither its network nor its broadcast address`,
    });
  const singles: [string, string][] = [
    ["vsphereGateway", plan.gateway],
    ...plan.loadBalancers.map((a): [string, string] => ["vsphereLoadBalancerAddresses", a]),
    ...(plan.virtualAddress
      ? [["vsphereVirtualAddress", plan.virtualAddress] as [string, string]]
      : []),
    ...(plan.database ? [["vsphereDatabaseAddress", plan.database] as [string, string]] : []),
  ];
  const seen = new Map<string, string>();
  for (const [setting, text] of singles) {
    const a = host(text);
    if (!cidrContains(subnet, a) || reserved.includes(a.address)) {
      problems.push({
        setting,
        received: text,
        allowed: `an address inside phoenix:vpcCidr ${plan.subnet}, neither its network nor its broadcast address`,
      });
    } else if (cidrContains(block, a)) {
      problems.push({
        setting,
        received: text,
        allowed: `an address outside phoenix:vsphereServerAddresses ${plan.serverBlock}, which is the app servers'`,
      });
    } else if (seen.has(text)) {
      problems.push({
        setting,
        received: text,
        allowed: `an address not already given to phoenix:${seen.get(text)}`,
      });
    }
    seen.set(text, setting);
  }
  return problems.length > 0 ? { problems } : plan;
}

/** How many servers each colour's half of the block holds. */
export function colourCapacity(plan: AddressPlan): number {
  return span(parseIpv4Cidr(plan.serverBlock) as Ipv4Cidr).size / 2;
}

/**
 * The address of a colour's server `index`: blue counts up from the block's first address,
 * green from the first address of its second half. A server keeps its address when it is
 * rebuilt, so the old one is deleted first (only servers of a colour that takes no traffic are
 * ever rebuilt).
 *
 * @throws Error when the index does not fit the colour's half (validation refuses such counts)
 */
export function serverAddress(plan: AddressPlan, colour: Colour, index: number): string {
  const capacity = colourCapacity(plan);
  if (!Number.isInteger(index) || index < 0 || index >= capacity)
    throw new Error(
      `server ${colour}-${index}: received index ${index}; allowed: 0 to ${capacity - 1}, the ${colour} half of ${plan.serverBlock}`,
    );
  const { start } = span(parseIpv4Cidr(plan.serverBlock) as Ipv4Cidr);
  return toText(start + (colour === "green" ? capacity : 0) + index);
}

/** The prefix length of the subnet, for the servers' own address (`10.40.0.21/24`). */
export function subnetPrefix(plan: AddressPlan): number {
  return (parseIpv4Cidr(plan.subnet) as Ipv4Cidr).prefix;
}

/** The address users and the gate reach the load balancers on: the virtual one of a pair. */
export function endpointAddress(plan: AddressPlan): string {
  return plan.virtualAddress ?? (plan.loadBalancers[0] as string);
}
