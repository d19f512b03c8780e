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

/** Tags as key/value pairs, for platforms with key/value tags (AWS, vSphere categories). */
export function tagMap(context: TagContext): Record<string, string> {
  return {
    service: context.service,
    environment: context.environment,
    ...(context.colour ? { colour: context.colour } : {}),
    "managed-by": MANAGED_BY,
  };
}

/** Tags as flat `key:value` strings, for platforms with flat tags (DigitalOcean). */
export function flatTags(context: TagContext): string[] {
  return Object.entries(tagMap(context)).map(([k, v]) => `${k}:${v}`);
}
