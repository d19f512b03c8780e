import * as pulumi from "@pulumi/pulumi";
import { StackOutputs } from "../../../components/core/stack-outputs";
import { MockStackRun, RecordedResource, unwrap } from "../../../tools/mock-stack";
import { runStack } from "../../../tools/run-stack";
import { SECRETS } from "../../helpers/updates";

/** The AWS stacks committed with the project (Pulumi.<stack>.yaml). */
export type AwsStack = "aws-prod" | "aws-dev" | "aws-legacy";

/** A run of the real stack program on a committed AWS stack file; throws what the program threw. */
export async function awsRun(
  stack: AwsStack,
  overrides: Readonly<Record<string, string | undefined>> = {},
): Promise<MockStackRun<StackOutputs>> {
  const run = await runStack(stack, overrides, SECRETS);
  if (run.error) throw run.error;
  return run;
}

/** `type::name`, as parents and dependencies are recorded. */
export const keyOf = (r: RecordedResource): string => `${r.type}::${r.name}`;

/** `type::name` of every child of a component, in registration order. */
export function childrenOf(run: MockStackRun<unknown>, type: string, name: string): string[] {
  return run.resources.filter((r) => r.parent === `${type}::${name}`).map(keyOf);
}

/** The ID the mock cloud gave a custom resource. */
export function idOf(run: MockStackRun<unknown>, type: string, name: string): Promise<string> {
  return unwrap((run.get(type, name).resource as pulumi.CustomResource).id);
}

/** One output property the mock cloud gave a resource (`arn`, `dnsName`, ...). */
export function outputOf(
  run: MockStackRun<unknown>,
  type: string,
  name: string,
  property: string,
): Promise<string> {
  const resource = run.get(type, name).resource as unknown as Record<string, pulumi.Output<string>>;
  return unwrap(resource[property] as pulumi.Output<string>);
}

export { PLAIN_OPTIONS } from "../../helpers/plain-options";

/** Phoenix's AWS tags for a resource: `Name` and the service, environment and managed-by tags. */
export function tagsOf(
  name: string,
  service: string,
  environment: string,
  colour?: string,
): Record<string, string> {
  return {
    Name: name,
    service,
    environment,
    ...(colour ? { colour } : {}),
    "managed-by": "phoenix",
  };
}
