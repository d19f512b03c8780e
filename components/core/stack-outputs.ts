import * as pulumi from "@pulumi/pulumi";
import { Colour } from "./colour";
import { DeploymentRecord } from "./deployment-record";

/** What every Phoenix stack exports, whatever its platform. */
export interface StackOutputs {
  /** URL of the live endpoint. */
  readonly liveUrl: pulumi.Output<string>;
  /** URL of the preview endpoint, when the non-live colour has servers. */
  readonly previewUrl: pulumi.Output<string> | undefined;
  /** The colour the live endpoint serves. */
  readonly liveColour: Colour;
  /** Public IPv4 addresses of each colour's servers (empty for a colour with none). */
  readonly serverAddresses: pulumi.Output<Record<Colour, string[]>>;
  /** Private host of the database, when the stack has one. */
  readonly databaseHost: pulumi.Output<string> | undefined;
  /** Connection URI of the app's database user (secret), when the stack has a database. */
  readonly databaseUri: pulumi.Output<string> | undefined;
  /** What this deployment leaves for the next one to compare with (see `deployment-record.ts`). */
  readonly phoenixDeployment: pulumi.Output<DeploymentRecord>;
}
