import * as pulumi from "@pulumi/pulumi";
import { stableSeed } from "../components/core/platform/mock-values";
import { factsOf } from "../policies/facts";

/** A lookup the program made, and what the mock cloud answered. */
export interface Invoke {
  readonly token: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly outputs: Readonly<Record<string, unknown>>;
}

/**
 * The mock cloud: computed outputs a cloud would return for the resource types Phoenix uses,
 * as each platform declares them in its facts, so that code reading them (addresses, URIs,
 * passwords) sees realistic values under the mock runtime. Values depend on the resource's
 * type and name alone, so every run gives a resource the same ID and addresses.
 *
 * @param previousOutputs the outputs of the stack's previous deployment, which the program
 *   reads through a reference to its own stack (none: a first deployment)
 */
export function createCloudMocks(
  previousOutputs: Readonly<Record<string, unknown>> = {},
): pulumi.runtime.Mocks & {
  calls: pulumi.runtime.MockResourceArgs[];
  invokes: Invoke[];
} {
  const calls: pulumi.runtime.MockResourceArgs[] = [];
  const invokes: Invoke[] = [];
  return {
    calls,
    invokes,
    newResource(args: pulumi.runtime.MockResourceArgs): {
      id: string;
      state: Record<string, unknown>;
    } {
      calls.push(args);
      // The stack's reference to itself reads what its previous deployment exported.
      if (args.type === "pulumi:pulumi:StackReference") {
        const name = String(args.inputs.name);
        return { id: name, state: { name, outputs: previousOutputs, secretOutputNames: [] } };
      }
      const seed = stableSeed(`${args.type}::${args.name}`);
      const mocked = factsOf(args.type)?.mock?.(args.name, args.inputs, seed);
      return {
        id: mocked?.id ?? `${args.name}-id`,
        state: { ...args.inputs, ...(mocked?.outputs ?? {}) },
      };
    },
    // A lookup answers as its platform's facts say (the same answer for the same arguments).
    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
      const seed = stableSeed(`${args.token}::${JSON.stringify(args.inputs)}`);
      const name = typeof args.inputs.name === "string" ? args.inputs.name : "";
      const mocked = factsOf(args.token)?.mock?.(name, args.inputs, seed);
      const outputs = mocked === undefined ? args.inputs : { ...args.inputs, ...mocked.outputs };
      invokes.push({ token: args.token, inputs: args.inputs, outputs });
      return outputs;
    },
  };
}
