#!/bin/sh
# The operating system part of every Phoenix image, the same on every platform: the base image's
# packages brought up to date (a new OS patch is a new image), and cloud-init, which applies
# Phoenix's user data on each server's first boot. On vSphere, open-vm-tools too: vCenter reads
# the VM's address and shuts it down through it, and cloud-init's VMware datasource needs it.
# Runs as root on the build machine (images/build.pkr.hcl).
set -eu

if [ "$(id -u)" -ne 0 ]; then
  echo "base.sh: must run as root (packer's execute_command uses sudo)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# Wait for the base image's own first-boot cloud-init (it may still be running apt).
if command -v cloud-init >/dev/null 2>&1; then
  cloud-init status --wait >/dev/null || true
fi

apt-get update -q
apt-get -y -q -o Dpkg::Options::=--force-confold upgrade
packages="cloud-init ca-certificates"
if [ "$(systemd-detect-virt || true)" = "vmware" ]; then
  packages="$packages open-vm-tools"
fi
# shellcheck disable=SC2086 # a list of package names
apt-get install -y -q --no-install-recommends $packages

cloud-init --version
