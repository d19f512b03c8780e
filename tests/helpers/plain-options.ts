/** The options a plain child has: none of the protective ones. */
export const PLAIN_OPTIONS = {
  protect: false,
  retainOnDelete: false,
  deleteBeforeReplace: false,
  replaceOnChanges: [],
  ignoreChanges: [],
  dependsOn: [],
  aliases: [],
};
