import * as pulumi from "@pulumi/pulumi";
import { stableSeed } from "../components/core/platform/mock-values";
import { factsOf } from "../policies/facts";

/**
 * The mock cloud: computed outputs a cloud would return for the resource types Phoenix uses,
 * as each platform declares them in its facts, so that code reading them (addresses, URIs,
 * passwords) sees realistic values under the mock runtime. Values depend on the resource's
 * type and name alone, so every run gives a resource the same ID and addresses.
 */
export function createCloudMocks(): pulumi.runtime.Mocks & {
  calls: pulumi.runtime.MockResourceArgs[];
} {
  const calls: pulumi.runtime.MockResourceArgs[] = [];
  return {
    calls,
    newResource(args: pulumi.runtime.MockResourceArgs): {
      id: string;
      state: Record<string, unknown>;
    } {
      calls.push(args);
      const seed = stableSeed(`${args.type}::${args.name}`);
      const mocked = factsOf(args.type)?.mock?.(args.name, args.inputs, seed);
      return {
        id: mocked?.id ?? `${args.name}-id`,
        state: { ...args.inputs, ...(mocked?.outputs ?? {}) },
      };
    },
    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
      return args.inputs;
    },
  };
}
