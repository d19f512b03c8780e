import * as pulumi from "@pulumi/pulumi";
import {
  DEPLOYMENT_RECORD_OUTPUT,
  DeploymentRecord,
  parseDeploymentRecord,
} from "./deployment-record";

/**
 * Reads the record the stack's previous deployment left, through a reference to the stack
 * itself (`<organization>/<project>/<stack>`): the engine resolves it from the last checkpoint,
 * in `pulumi up` and `pulumi preview` alike, and a stack never deployed has no outputs
 * (pulumi/pulumi `readStackReference`; a self-reference is not refused).
 *
 * @returns the record, or undefined on a first deployment (or a record this release cannot read)
 */
export async function readPreviousDeployment(): Promise<DeploymentRecord | undefined> {
  const self = `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`;
  const reference = new pulumi.StackReference("phoenix-previous-deployment", { name: self });
  const details = await reference.getOutputDetails(DEPLOYMENT_RECORD_OUTPUT);
  const value = details.value ?? details.secretValue;
  const record = parseDeploymentRecord(value);
  if (value !== undefined && record === undefined) {
    void pulumi.log.warn(
      `The stack's ${DEPLOYMENT_RECORD_OUTPUT} output is not a record this Phoenix release can read; ` +
        "this update is checked as if it were the stack's first.",
    );
  }
  return record;
}
