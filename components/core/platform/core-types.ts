/** Type tokens of Phoenix's cloud-neutral resources (a contract: renaming one replaces). */
export const CORE_TYPES = {
  healthGate: "phoenix:core:HealthGate",
  command: "command:local:Command",
  stackReference: "pulumi:pulumi:StackReference",
  /** Pulumi Cloud's scheduled destroy of a stack (`@pulumi/pulumiservice`). */
  ttlSchedule: "pulumiservice:index:TtlSchedule",
} as const;
