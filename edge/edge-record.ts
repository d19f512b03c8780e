import * as pulumi from "@pulumi/pulumi";
import { EnvironmentTarget } from "./target";

/** What a DNS platform's edge records need. */
export interface EdgeRecordArgs {
  /** The domain and the record's name in it. */
  readonly domain: string;
  readonly record: string;
  readonly ttlSeconds: number;
  /** Route53's hosted zone (route53 only). */
  readonly zoneId: string | undefined;
  /** Each environment that gets traffic: its target and percent of users. */
  readonly targets: Readonly<Record<string, { target: EnvironmentTarget; weight: number }>>;
  /** What the records wait for: the gate on every target. */
  readonly gate: pulumi.Resource;
}

/** Creates a DNS platform's edge records (one per environment with traffic, or one record). */
export type EdgeRecordFactory = (args: EdgeRecordArgs) => pulumi.CustomResource[];
