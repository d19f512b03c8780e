/** Type tokens of Phoenix's cloud-neutral resources (a contract: renaming one replaces). */
export const CORE_TYPES = {
  healthGate: "phoenix:core:HealthGate",
  command: "command:local:Command",
  stackReference: "pulumi:pulumi:StackReference",
} as const;
