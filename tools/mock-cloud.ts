import * as pulumi from "@pulumi/pulumi";
import { stableSeed } from "../components/core/platform/mock-values";
import { factsOf } from "../policies/facts";

/** The outputs other stacks hold, for a run's references to them. */
export interface StackReferences {
  /**
   * The running stack's own full name; undefined answers every reference with the previous
   * outputs (a run that references no other stack).
   */
  readonly self: string | undefined;
  /** Other stacks' outputs by full name (`<organization>/<project>/<stack>`). */
  readonly stacks: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

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
 * @param references what a reference to another stack reads, by its full name
 *   (`<organization>/<project>/<stack>`); the stack's own name (`self`) reads `previousOutputs`,
 *   and any other stack has no outputs
 */
export function createCloudMocks(
  previousOutputs: Readonly<Record<string, unknown>> = {},
  references: StackReferences = { self: undefined, stacks: {} },
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
      // The stack's reference to itself reads what its previous deployment exported; a
      // reference to another stack reads that stack's outputs, when the run was given them.
      if (args.type === "pulumi:pulumi:StackReference") {
        const name = String(args.inputs.name);
        const outputs =
          references.self === undefined || name === references.self
            ? previousOutputs
            : (references.stacks[name] ?? {});
        return { id: name, state: { name, outputs, secretOutputNames: [] } };
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
