#!/usr/bin/env bash
# Usage: phoenix-mount-data-volume DEVICE MOUNTPOINT FSTYPE
#
# Prepares Phoenix's persistent data volume on a freshly built server: waits for DEVICE, creates
# an FSTYPE filesystem on it ONLY if it carries no signature at all, records it in fstab by UUID
# and mounts it on MOUNTPOINT. A volume that holds anything else (another filesystem type, a
# partition table, RAID or LVM metadata) is never touched: the script fails instead, because the
# data outlives servers and a wrong reformat cannot be undone. Running it again is harmless.
#
# Environment (for tests and unusual hosts):
#   PHOENIX_DEVICE_WAIT_SECONDS  how long to wait for DEVICE to appear (default 900; the unit
#                                sets it, see systemd-units.ts)
#   PHOENIX_FSTAB                the fstab to edit and mount from (default /etc/fstab)
set -euo pipefail

readonly prog="phoenix-mount-data-volume"
readonly fstab="${PHOENIX_FSTAB:-/etc/fstab}"
readonly wait_seconds="${PHOENIX_DEVICE_WAIT_SECONDS:-900}"
# nofail: a missing volume must not drop the server into emergency mode at boot; the app's unit
# requires the mount, so the app stays down instead of writing onto the root disk.
readonly options="defaults,nofail,x-systemd.device-timeout=30s"

die() {
  printf '%s: error: %s\n' "$prog" "$*" >&2
  exit 1
}

log() {
  printf '%s: %s\n' "$prog" "$*"
}

[[ $# -eq 3 ]] || die "usage: $prog DEVICE MOUNTPOINT FSTYPE (got $# arguments)"
device=$1
mount_point=$2
fs_type=$3

case "$fs_type" in
  ext4 | xfs) ;;
  *) die "unsupported filesystem type '$fs_type' (allowed: ext4, xfs)" ;;
esac
# The mount point goes into fstab and awk unescaped: allow only characters that need no escaping.
[[ $mount_point =~ ^(/[A-Za-z0-9_.+-]+)+$ ]] ||
  die "mount point '$mount_point' must be an absolute path other than / made of [A-Za-z0-9_.+-]"
[[ $wait_seconds =~ ^[0-9]+$ ]] ||
  die "PHOENIX_DEVICE_WAIT_SECONDS must be a whole number of seconds, got '$wait_seconds'"

# A volume attached at boot can show up some time after this runs.
waited=0
until [[ -b $device ]]; do
  if ((waited >= wait_seconds)); then
    die "block device $device did not appear within ${wait_seconds}s"
  fi
  sleep 1
  waited=$((waited + 1))
done

# blkid -p probes the device itself (no cache): exit 0 = some signature found, 2 = none at all,
# 8 = ambivalent (several signatures). With -o export it prints TYPE for a filesystem (or RAID/LVM
# member) and PTTYPE for a partition table.
status=0
signature=$(blkid -p -o export "$device") || status=$?
found_type=$(sed -n 's/^TYPE=//p' <<<"$signature")
found_pttype=$(sed -n 's/^PTTYPE=//p' <<<"$signature")

case "$status" in
  0)
    if [[ -n $found_pttype ]]; then
      die "$device holds a '$found_pttype' partition table, not a bare $fs_type filesystem; refusing to touch it"
    elif [[ $found_type != "$fs_type" ]]; then
      die "$device holds a signature of type '${found_type:-unknown}', not $fs_type; refusing to reformat it (its data is left untouched)"
    fi
    log "$device already holds a filesystem of type $fs_type; keeping it"
    ;;
  2)
    command -v "mkfs.$fs_type" >/dev/null || die "mkfs.$fs_type not found: cannot create a filesystem of type $fs_type on $device"
    log "$device is blank; creating a filesystem of type $fs_type"
    # The probe above is the guard. No force flag all the same: mkfs.xfs then refuses a device
    # that holds a filesystem, and both refuse one that is mounted. (mkfs.ext4 without a terminal
    # does overwrite an existing filesystem, so never call this on an unprobed device.) Stdin from
    # /dev/null: never hang on a prompt.
    "mkfs.$fs_type" -q "$device" </dev/null
    ;;
  8)
    die "$device holds several conflicting signatures; refusing to touch it"
    ;;
  *)
    die "blkid could not probe $device (exit status $status)"
    ;;
esac

uuid=$(blkid -p -o value -s UUID "$device") || die "cannot read the filesystem UUID of $device"
[[ $uuid =~ ^[A-Za-z0-9-]+$ ]] || die "unexpected filesystem UUID '$uuid' on $device"

# One line per mount point: replace any earlier line for it (e.g. from the previous volume)
# rather than appending, and rewrite the file only when something changed.
line="UUID=$uuid $mount_point $fs_type $options 0 2"
current=$fstab
[[ -e $fstab ]] || current=/dev/null
tmp=$(mktemp "$fstab.phoenix.XXXXXX")
trap 'rm -f "$tmp"' EXIT
awk -v mp="$mount_point" -v line="$line" '
  $1 !~ /^#/ && $2 == mp { if (!done) print line; done = 1; next }
  { print }
  END { if (!done) print line }
' "$current" >"$tmp"
if [[ -e $fstab ]] && cmp -s "$tmp" "$fstab"; then
  log "$fstab already has: $line"
else
  chmod 0644 "$tmp"
  mv -f "$tmp" "$fstab"
  log "$fstab now has: $line"
fi

mkdir -p "$mount_point"
if mountpoint -q "$mount_point"; then
  # Something is mounted there already: fine if it is this device, an error otherwise.
  mounted=$(mountpoint -d "$mount_point")
  major_minor=$(stat -L -c '%t %T' "$device")
  read -r major minor <<<"$major_minor"
  wanted=$(printf '%d:%d' "0x$major" "0x$minor")
  [[ $mounted == "$wanted" ]] ||
    die "$mount_point already has another filesystem mounted (device $mounted, expected $wanted)"
  log "$mount_point is already mounted"
else
  mount --fstab "$fstab" "$mount_point"
  log "mounted $device on $mount_point"
fi
