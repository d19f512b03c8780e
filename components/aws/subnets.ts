import { parseIpv4Cidr } from "../core/cidr";

/** The subnets of one zone. */
export interface ZoneSubnets {
  /** Public subnet: the load balancer, NAT gateway and single stateful servers. */
  readonly public: string;
  /** Private subnet: the servers of a load-balanced group and the database. */
  readonly private: string;
}

const formatIpv4 = (address: number): string =>
  [24, 16, 8, 0].map((shift) => (address >>> shift) & 255).join(".");

/**
 * Cuts a VPC range into eight equal blocks: zone `i` gets block `i` as its public subnet and
 * block `4 + i` as its private one. Fixed positions keep a zone's subnets where they are when a
 * zone is added. Pure.
 *
 * @throws Error when the range does not parse, is narrower than /25, or more than four zones are asked for
 */
export function zoneSubnets(vpcCidr: string, zones: number): ZoneSubnets[] {
  const vpc = parseIpv4Cidr(vpcCidr);
  if (vpc === undefined || vpc.prefix > 25) {
    throw new Error(`vpcCidr ${vpcCidr}: allowed: an IPv4 range of /25 or wider`);
  }
  if (zones < 1 || zones > 4) throw new Error(`zones ${zones}: allowed: 1 to 4`);
  const prefix = vpc.prefix + 3;
  const size = 2 ** (32 - prefix);
  const block = (i: number): string => `${formatIpv4(vpc.address + i * size)}/${prefix}`;
  return Array.from({ length: zones }, (_, i) => ({ public: block(i), private: block(4 + i) }));
}
