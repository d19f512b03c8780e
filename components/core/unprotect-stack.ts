import * as pulumi from "@pulumi/pulumi";

/**
 * Lifts `protect` from every resource the program registers after this call (a stack
 * transformation), so that a destroy can remove them; with `keepRetained: false`, lifts
 * `retainOnDelete` too, so that the destroy deletes them rather than leaving them in the account.
 *
 * @param keepRetained whether resources that are retained on delete stay so
 */
export function unprotectStack({ keepRetained }: { readonly keepRetained: boolean }): void {
  pulumi.runtime.registerStackTransformation((args) => ({
    props: args.props,
    opts: { ...args.opts, protect: false, ...(keepRetained ? {} : { retainOnDelete: false }) },
  }));
}
