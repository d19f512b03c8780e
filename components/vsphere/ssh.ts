import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";

/** How the deploy runner logs in to Phoenix's load balancers and database server. */
export interface SshAccess {
  /** The user (`phoenix:vsphereSshUser`), which may sudo only Phoenix's own scripts there. */
  readonly user: string;
  /** Its public key, installed by cloud-init. */
  readonly publicKey: string;
  /**
   * Its private key (`phoenix:vsphereSshPrivateKey`, a secret); undefined to use the runner's
   * SSH agent (`SSH_AUTH_SOCK`), as `@pulumi/command` does without a key.
   */
  readonly privateKey: pulumi.Output<string> | undefined;
}

/** Reads the private key, a secret, from the stack's config (undefined: the SSH agent). */
export function readSshPrivateKey(): pulumi.Output<string> | undefined {
  return new pulumi.Config("phoenix").getSecret("vsphereSshPrivateKey");
}

/** The connection of a remote command to one of Phoenix's servers. */
export function sshConnection(
  access: SshAccess,
  host: pulumi.Input<string>,
): command.types.input.remote.ConnectionArgs {
  return {
    host,
    user: access.user,
    ...(access.privateKey ? { privateKey: access.privateKey } : {}),
    // A server that is still booting (cloud-init installing the user) is retried for ~5 minutes.
    dialErrorLimit: 30,
    perDialTimeout: 10,
  };
}
