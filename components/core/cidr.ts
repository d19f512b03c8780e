/** A parsed IPv4 CIDR block. */
export interface Ipv4Cidr {
  /** The address as a 32-bit unsigned number. */
  readonly address: number;
  /** Prefix length, 0 to 32. */
  readonly prefix: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`; returns undefined when the text is not an IPv4 CIDR. */
export function parseIpv4Cidr(text: string): Ipv4Cidr | undefined {
  const match = CIDR_PATTERN.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  return { address, prefix };
}

/** Whether the block's address has no bits set beyond its prefix (10.0.0.0/8, not 10.0.0.1/8). */
export function isNetworkAddress(cidr: Ipv4Cidr): boolean {
  const hostBits = 32 - cidr.prefix;
  return cidr.address % 2 ** hostBits === 0;
}

const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map(
  (r) => parseIpv4Cidr(r) as Ipv4Cidr,
);

/** Whether `inner` lies wholly inside `outer`. */
export function cidrContains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  if (inner.prefix < outer.prefix) return false;
  const size = 2 ** (32 - outer.prefix);
  return Math.floor(inner.address / size) === Math.floor(outer.address / size);
}

/** Whether the block lies inside an RFC 1918 private range. */
export function isPrivateCidr(cidr: Ipv4Cidr): boolean {
  return PRIVATE_RANGES.some((range) => cidrContains(range, cidr));
}

/** How many IPv4 addresses the blocks cover together (overlaps counted once). */
export function ipv4Coverage(blocks: readonly Ipv4Cidr[]): number {
  const spans = blocks
    .map((b) => {
      const size = 2 ** (32 - b.prefix);
      const start = Math.floor(b.address / size) * size;
      return [start, start + size] as const;
    })
    .sort((a, b) => a[0] - b[0]);
  let covered = 0;
  let end = 0;
  for (const [start, stop] of spans) {
    if (stop <= end) continue;
    covered += stop - Math.max(start, end);
    end = stop;
  }
  return covered;
}
