import * as pulumi from "@pulumi/pulumi";
import { DELIVERY_TYPES } from "../../delivery/types";
import { MockStackRun, RecordedResource, unwrap } from "../../tools/mock-stack";
import { PROGRAMS } from "../../tools/programs";
import { runProgram } from "../../tools/run-program";

/** The secrets the delivery stack is given (set with `pulumi config set --secret` in real life). */
export const DELIVERY_SECRETS = {
  "phoenix-delivery:digitaloceanToken": "dop_v1_0123456789abcdef",
  "phoenix-delivery:vsphere": JSON.stringify({
    "vsphere-dev": { password: "lab-password-1", sshPrivateKey: "LAB-KEY-1" },
    "vsphere-prod": { password: "prod-password-2", sshPrivateKey: "PROD-KEY-2" },
  }),
};

/** One run of the committed delivery stack with {@link DELIVERY_SECRETS}. */
export async function deliveryRun(
  overrides: Readonly<Record<string, string | undefined>> = {},
): Promise<MockStackRun<unknown>> {
  const program = PROGRAMS.find((p) => p.name === "delivery");
  if (!program) throw new Error("no delivery program");
  return runProgram(program, "delivery", { secrets: DELIVERY_SECRETS, overrides });
}

/** The YAML text an `Environment` resource received. */
export async function yamlOf(environment: RecordedResource): Promise<string> {
  const asset = await unwrap(environment.props.yaml as pulumi.Input<pulumi.asset.StringAsset>);
  return asset.text;
}

/** The recorded resources of a delivery type, by name. */
export function byName(run: MockStackRun<unknown>, type: keyof typeof DELIVERY_TYPES): string[] {
  return run.ofType(DELIVERY_TYPES[type]).map((r) => r.name);
}
