#!/usr/bin/env bash
# Run by Phoenix over SSH just before the database server is deleted (to be rebuilt from a new
# template, or removed): stops Postgres cleanly and unmounts the data disk, so the VMDK leaves
# this VM with a consistent filesystem and cluster. Exits non-zero, saying why, if Postgres does
# not stop or the disk stays mounted: the update then fails before the VM is touched.
#
#   phoenix-postgres-release [MOUNT_PATH]
set -euo pipefail

mount_path=${1:-/var/lib/postgresql}
die() {
  echo "phoenix-postgres-release: $*" >&2
  exit 1
}

[[ $mount_path == /* ]] || die "MOUNT_PATH must be absolute, got '$mount_path'"
# Every cluster unit, then the umbrella unit; a checkpoint is written on a clean stop.
systemctl stop 'postgresql@*.service' postgresql.service || die "Postgres did not stop"
if systemctl is-active --quiet 'postgresql@*.service'; then
  die "Postgres is still running"
fi
systemctl stop phoenix-data-volume.service || true
sync
if mountpoint -q "$mount_path"; then
  umount "$mount_path" || die "could not unmount $mount_path: $(fuser -vm "$mount_path" 2>&1 || true)"
fi
mountpoint -q "$mount_path" && die "$mount_path is still mounted"
echo "phoenix-postgres-release: Postgres stopped, $mount_path unmounted: the data disk may be detached"
