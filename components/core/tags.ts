import { Colour } from "./colour";

/** The value of the `managed-by` tag on everything Phoenix creates. */
export const MANAGED_BY = "phoenix";

/** What a resource's tags describe. */
export interface TagContext {
  /** The service (app) name. */
  readonly service: string;
  /** The environment (dev, prod, ...). */
  readonly environment: string;
  /** The colour, for resources that belong to one. */
  readonly colour?: Colour;
}

/** Tags as key/value pairs; platforms write them in their own form. */
export function tagMap(context: TagContext): Record<string, string> {
  return {
    service: context.service,
    environment: context.environment,
    ...(context.colour ? { colour: context.colour } : {}),
    "managed-by": MANAGED_BY,
  };
}
