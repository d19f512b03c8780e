/** One cloud-init `write_files` entry, in the key order cloud-init's docs use. */
export interface WriteFile {
  readonly path: string;
  readonly owner: string;
  readonly permissions: string;
  readonly content: string;
}
