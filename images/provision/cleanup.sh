#!/bin/sh
# Leaves the build machine's identity out of the image, so that every server built from it is
# new to cloud-init (which then applies Phoenix's user data), gets its own machine ID (DHCP
# client IDs, journald) and its own SSH host keys, and carries no key packer logged in with.
# Runs as root on the build machine, last (images/build.pkr.hcl).
set -eu

if [ "$(id -u)" -ne 0 ]; then
  echo "cleanup.sh: must run as root (packer's execute_command uses sudo)" >&2
  exit 1
fi

apt-get clean
rm -rf /var/lib/apt/lists/*

# Instance state, logs and seed of the build machine's own boot.
cloud-init clean --logs --seed

# An empty machine-id (not a missing one) makes systemd generate a new one on first boot.
truncate -s 0 /etc/machine-id
rm -f /var/lib/dbus/machine-id
rm -f /etc/ssh/ssh_host_*_key /etc/ssh/ssh_host_*_key.pub

# Keys injected for the build; cloud-init installs each server's own.
for home in /root /home/*; do
  rm -f "$home/.ssh/authorized_keys"
done
rm -f /tmp/phoenix-artifact.tar.gz
