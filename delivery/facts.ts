import { PlatformFacts } from "../components/core/platform/resource-facts";
import { DELIVERY_TYPES } from "./types";

/** A stable, UUID-shaped ID for a mock resource. */
function mockUuid(seed: number): string {
  const hex = (n: number, width: number) =>
    (n >>> 0).toString(16).padStart(width, "0").slice(-width);
  return `${hex(seed, 8)}-${hex(seed >>> 16, 4)}-4${hex(seed >>> 4, 3)}-8${hex(seed >>> 8, 3)}-${hex(seed, 8)}${hex(seed >>> 12, 4)}`;
}

/**
 * What the mock cloud and the offline plan need to know about the Pulumi Cloud types the delivery
 * program registers: the computed outputs a create returns (IDs Pulumi Cloud assigns, the agent
 * pool's token), and the inputs shown in the plan's tree. Nothing here is a Phoenix policy fact:
 * the Phoenix policy pack does not apply to this program.
 */
export const DELIVERY_FACTS: PlatformFacts = {
  platform: "delivery",
  databasePorts: [],
  providerConfig: {},
  types: {
    [DELIVERY_TYPES.agentPool]: {
      keyInputs: ["name"],
      mock: (name, _inputs, seed) => ({
        id: mockUuid(seed),
        outputs: { agentPoolId: mockUuid(seed), tokenValue: `pul-agent-${name}-mock-token` },
      }),
    },
    [DELIVERY_TYPES.environment]: {
      keyInputs: ["project", "name"],
      mock: (_name, inputs, seed) => ({
        id: `${String(inputs.organization)}/${String(inputs.project)}/${String(inputs.name)}`,
        outputs: { environmentId: mockUuid(seed), revision: 1 },
      }),
    },
    [DELIVERY_TYPES.deploymentSettings]: {
      keyInputs: ["stack", "agentPoolId"],
      mock: (_name, inputs) => ({
        id: `${String(inputs.organization)}/${String(inputs.project)}/${String(inputs.stack)}`,
        outputs: {},
      }),
    },
    [DELIVERY_TYPES.driftSchedule]: {
      keyInputs: ["stack", "scheduleCron", "autoRemediate"],
      mock: (_name, _inputs, seed) => ({
        id: mockUuid(seed),
        outputs: { scheduleId: mockUuid(seed) },
      }),
    },
  },
};
