import { TagContext, tagMap } from "../core/tags";

/** Phoenix's tags as an AWS tag map, with `Name` (what the console shows) set to the resource's name. */
export function awsTags(name: string, context: TagContext): Record<string, string> {
  return { Name: name, ...tagMap(context) };
}
