import { TagContext, tagMap } from "../core/tags";

/**
 * Phoenix's tags on vSphere: `key=value` lines in a VM's notes (its `annotation`). vSphere tags
 * need a tag category and a tag object per value, which a service account often may not create;
 * the notes are on every VM, shown in the vSphere client and searchable, and need no rights
 * beyond the VM's own.
 */
export function annotationTags(context: TagContext, role: string, note: string): string {
  const lines = Object.entries({ ...tagMap(context), role }).map(([k, v]) => `${k}=${v}`);
  return [note, "", ...lines].join("\n");
}

/** The `key=value` lines of a VM's notes, as tags. */
export function readAnnotationTags(annotation: unknown): Record<string, string> {
  if (typeof annotation !== "string") return {};
  const tags: Record<string, string> = {};
  for (const match of annotation.matchAll(/^([a-z][a-z-]*)=([^\s=]+)$/gm))
    tags[match[1] as string] = match[2] as string;
  return tags;
}
