import { CORE_TYPES } from "./core-types";
import { PlatformFacts } from "./resource-facts";

/**
 * Facts about Phoenix's cloud-neutral types: the health gate and its probe commands, the stack's
 * reference to itself, and a review stack's scheduled destroy.
 */
export const CORE_FACTS: PlatformFacts = {
  platform: "core",
  databasePorts: [5432],
  providerConfig: {},
  types: {
    // The stack's reference to itself, to read its previous deployment's record.
    [CORE_TYPES.stackReference]: { read: true },
    [CORE_TYPES.healthGate]: { component: "healthGate", keyInputs: ["targets"] },
    [CORE_TYPES.command]: {
      // The provider updates a command in place (running `update`); the SDK itself asks for
      // replacement on `triggers[*]`, which the diff reads from the resource's options.
      replaceOn: [],
      keyInputs: ["triggers"],
      mock: () => ({ outputs: { stdout: "health gate passed", stderr: "" } }),
    },
    [CORE_TYPES.ttlSchedule]: {
      expiresStack: true,
      // pulumi/pulumi-pulumiservice StackScheduleSharedDiffMaps (the schedules' shared diff):
      // organization, project, stack and timestamp replace; deleteAfterDestroy updates in place.
      replaceOn: ["organization", "project", "stack", "timestamp"],
      keyInputs: ["stack", "timestamp", "deleteAfterDestroy"],
      mock: (_name, _inputs, seed) => ({
        id: `ttl-${seed}`,
        outputs: { scheduleId: `ttl-${seed}` },
      }),
    },
  },
};
