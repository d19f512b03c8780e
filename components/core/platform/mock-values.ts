/**
 * Helpers for the computed values platforms return under the mock runtime: stable per
 * resource, so that the same resource has the same ID and address in every run.
 */

/** A 32-bit FNV-1a hash of a text: the same number for the same text, in every run. */
export function stableSeed(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * An IPv4 address in `<prefix>.x.y` (a /16) picked by the seed, never .0 or .255 in the last
 * octet. Mocks use 198.18.0.0/15, set aside for benchmarks (RFC 2544), for public addresses.
 */
export function mockAddress(prefix16: string, seed: number): string {
  return `${prefix16}.${(seed >>> 8) & 255}.${(seed % 254) + 1}`;
}
