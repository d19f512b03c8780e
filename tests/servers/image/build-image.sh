#!/usr/bin/env bash
# Builds the test server image: a small Debian 12 server made from Debian's packages, like a
# release image (kernel, systemd, cloud-init, curl, the filesystems the volume script supports)
# with a tiny app baked in as <service>.service, installed but not enabled, as Phoenix's README
# asks of real images. Cached by the hash of everything that goes into it: a second run reuses it.
#
#   build-image.sh CACHE_DIR SERVICE PORT HEALTH_PATH DATA_DIR
#
# Prints the image directory (holding root.raw, vmlinuz, initrd.img) on its last line.
set -euo pipefail

[[ $# -eq 5 ]] || { echo "usage: build-image.sh CACHE_DIR SERVICE PORT HEALTH_PATH DATA_DIR" >&2; exit 2; }
cache=$1 service=$2 port=$3 health=$4 data_dir=$5
here=$(cd "$(dirname "$0")" && pwd)
readonly packages="linux-image-cloud-amd64,systemd-sysv,udev,dbus,cloud-init,ifupdown,isc-dhcp-client,iproute2,curl,e2fsprogs,xfsprogs,python3,procps,kmod,openssh-client"

key=$( { cat "$0" "$here/test-app.py" "$here/phoenix-report"; echo "$service $port $health $data_dir $packages"; } | sha256sum | cut -c1-16)
image="$cache/$key"
if [[ -f $image/done ]]; then
  echo "image cached: $image" >&2
  echo "$image"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tree="$work/tree"
mkdir -p "$tree"
start=$SECONDS
mmdebstrap --mode=root --variant=minbase --include="$packages" \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias' \
  bookworm "$tree" http://deb.debian.org/debian >&2

echo "phoenix-test" >"$tree/etc/hostname"
echo "LABEL=phoenix-root / ext4 defaults 0 1" >"$tree/etc/fstab"
mkdir -p "$tree/var/log/journal" # a persistent journal, read back from the disk after shutdown
cat >"$tree/etc/network/interfaces" <<'ENI'
auto lo
iface lo inet loopback
source /etc/network/interfaces.d/*
ENI
cat >"$tree/etc/cloud/cloud.cfg.d/90-phoenix-image.cfg" <<'CFG'
# The test image's own settings (not Phoenix's user data): NoCloud seed, no locale to generate,
# one SSH host key type for cc_ssh (no sshd in the image).
datasource_list: [NoCloud, None]
locale: C.UTF-8
ssh_genkeytypes: [ed25519]
CFG

install -m 0755 "$here/test-app.py" "$tree/usr/local/bin/phoenix-test-app"
install -m 0755 "$here/phoenix-report" "$tree/usr/local/bin/phoenix-report"
cat >"$tree/etc/systemd/system/$service.service" <<UNIT
[Unit]
Description=The test app ($service), baked into the image, started by Phoenix's user data

[Service]
Environment=PORT=$port HEALTH_PATH=$health DATA_DIR=$data_dir
ExecStart=/usr/bin/python3 /usr/local/bin/phoenix-test-app
Restart=on-failure

[Install]
WantedBy=multi-user.target
UNIT
# cloud-final runs after multi-user.target, on every boot: the report follows it.
cat >"$tree/etc/systemd/system/phoenix-report.service" <<UNIT
[Unit]
Description=Report for the Phoenix server tests
After=cloud-final.service $service.service

[Service]
Type=oneshot
ExecStart=/usr/local/bin/phoenix-report $service $data_dir
StandardOutput=journal+console

[Install]
WantedBy=cloud-final.service
UNIT
mkdir -p "$tree/etc/systemd/system/cloud-final.service.wants"
ln -s /etc/systemd/system/phoenix-report.service "$tree/etc/systemd/system/cloud-final.service.wants/phoenix-report.service"
rm -f "$tree/etc/machine-id" && touch "$tree/etc/machine-id"

mkdir -p "$work/out"
cp "$tree"/boot/vmlinuz-* "$work/out/vmlinuz"
cp "$tree"/boot/initrd.img-* "$work/out/initrd.img"
chmod 0644 "$work/out/vmlinuz" "$work/out/initrd.img"
truncate -s 2G "$work/out/root.raw"
mkfs.ext4 -q -L phoenix-root -d "$tree" "$work/out/root.raw"
echo "$((SECONDS - start))" >"$work/out/build-seconds"
mkdir -p "$cache"
rm -rf "$image"
mv "$work/out" "$image"
touch "$image/done"
echo "image built in $((SECONDS - start))s: $image" >&2
echo "$image"
