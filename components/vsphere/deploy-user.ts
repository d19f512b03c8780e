/**
 * The cloud-config `users` of a VM the deploy runner logs in to: the template's default user and
 * the runner's own, by key only (no password), allowed to sudo exactly `commands` and nothing else.
 *
 * @param sshUser the runner's user name
 * @param sshPublicKey its public key
 * @param commands absolute paths of the scripts it may run as root
 */
export function deployUsers(
  sshUser: string,
  sshPublicKey: string,
  commands: readonly string[],
): unknown[] {
  return [
    "default",
    {
      name: sshUser,
      shell: "/bin/bash",
      lock_passwd: true,
      ssh_authorized_keys: [sshPublicKey],
      sudo: `ALL=(root) NOPASSWD: ${commands.join(", ")}`,
    },
  ];
}
