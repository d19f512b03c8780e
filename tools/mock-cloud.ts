import * as pulumi from "@pulumi/pulumi";
import { factsOf } from "../policies/facts";

/**
 * The mock cloud: computed outputs a cloud would return for the resource types Phoenix uses,
 * as each platform declares them in its facts, so that code reading them (addresses, URIs,
 * passwords) sees realistic values under the mock runtime. Values are deterministic per run:
 * the n-th resource always gets the same address.
 */
export function createCloudMocks(): pulumi.runtime.Mocks & {
  calls: pulumi.runtime.MockResourceArgs[];
} {
  let counter = 0;
  const calls: pulumi.runtime.MockResourceArgs[] = [];
  return {
    calls,
    newResource(args: pulumi.runtime.MockResourceArgs): {
      id: string;
      state: Record<string, unknown>;
    } {
      calls.push(args);
      counter += 1;
      const mocked = factsOf(args.type)?.mock?.(args.name, args.inputs, counter);
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
