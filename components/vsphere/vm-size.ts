/** CPUs and memory of a VM, as Phoenix's size settings on vSphere write them. */
export interface VmSize {
  /** Virtual CPUs. */
  readonly cpus: number;
  /** Memory in MiB, as the provider's `memory` input takes it. */
  readonly memoryMiB: number;
}

/** Most CPUs and GiB a size may ask for (a VM of hardware version 13 takes 128 and 6 TB). */
const MAX_CPUS = 128;
const MAX_GIB = 1024;

/**
 * Parses a size written `<n>cpu-<m>gb` (`2cpu-4gb`): vSphere has no instance types, so a size is
 * the CPUs and memory a VM gets.
 *
 * @returns the size, or undefined when the text is not one (or asks for 0 or too much)
 */
export function parseVmSize(text: string): VmSize | undefined {
  const match = /^([1-9]\d{0,2})cpu-([1-9]\d{0,3})gb$/.exec(text);
  if (match === null) return undefined;
  const cpus = Number(match[1]);
  const gib = Number(match[2]);
  if (cpus > MAX_CPUS || gib > MAX_GIB) return undefined;
  return { cpus, memoryMiB: gib * 1024 };
}
