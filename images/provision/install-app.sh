#!/bin/sh
# Installs the app into the image from its release archive, the same on every platform:
#   - the archive's files under /opt/<service>, owned by root;
#   - its unit, <service>.service at the archive's top level, as
#     /etc/systemd/system/<service>.service: installed and NOT enabled. Phoenix's cloud-init user
#     data writes the app's environment file (/etc/phoenix/<service>.env) and a drop-in, then
#     enables and starts the unit: an app started before that would run without its config;
#   - /etc/phoenix/image: the service and version the image was built for (no environment, no
#     secret: the same image serves dev and prod).
#
# Environment:
#   PHOENIX_SERVICE   the unit name without .service (phoenix:service), e.g. shop
#   PHOENIX_VERSION   the release version, e.g. 1.4.2
#   PHOENIX_ARTIFACT  path of the release archive (.tar.gz) on this machine
#   PHOENIX_ROOT      install under this directory instead of / (tests); empty on a build machine
set -eu

fail() {
  echo "install-app.sh: $*" >&2
  exit 1
}

service="${PHOENIX_SERVICE:-}"
version="${PHOENIX_VERSION:-}"
artifact="${PHOENIX_ARTIFACT:-}"
root="${PHOENIX_ROOT:-}"

# The same names Phoenix accepts for phoenix:service (components/core/cloud-init/input-checks.ts).
case "$service" in
  "" | [!A-Za-z0-9]* | *[!A-Za-z0-9_.-]* | *.service)
    fail "PHOENIX_SERVICE: received '$service'; allowed: a systemd unit name without .service, made of letters, digits, '_', '.' and '-' (e.g. shop)"
    ;;
esac
case "$version" in
  "" | [!A-Za-z0-9]* | *[!A-Za-z0-9_.-]*)
    fail "PHOENIX_VERSION: received '$version'; allowed: letters, digits, '_', '.' and '-', starting with a letter or digit (e.g. 1.4.2)"
    ;;
esac
[ -f "$artifact" ] || fail "PHOENIX_ARTIFACT: received '$artifact'; allowed: the path of the release archive (.tar.gz)"
if [ -n "$root" ] && [ ! -d "$root" ]; then
  fail "PHOENIX_ROOT: received '$root'; allowed: an existing directory, or empty for /"
fi
if [ -z "$root" ] && [ "$(id -u)" -ne 0 ]; then
  fail "must run as root to install into / (packer's execute_command uses sudo)"
fi

unit="$service.service"
app_dir="$root/opt/$service"
units_dir="$root/etc/systemd/system"

# Refuse an archive with absolute paths or parent-directory entries before unpacking anything.
members=$(tar -tzf "$artifact") || fail "PHOENIX_ARTIFACT: '$artifact' is not a readable .tar.gz"
if printf '%s\n' "$members" | grep -Eq '^/|(^|/)\.\.(/|$)'; then
  fail "PHOENIX_ARTIFACT: '$artifact' has absolute or '..' paths; allowed: paths inside the archive"
fi
if ! printf '%s\n' "$members" | grep -Eqx "(\./)?$(printf '%s' "$unit" | sed 's/[.]/[.]/g')"; then
  fail "PHOENIX_ARTIFACT: '$artifact' has no $unit at its top level; allowed: an archive with the app's unit beside its files"
fi

rm -rf "$app_dir"
mkdir -p "$app_dir" "$units_dir" "$root/etc/phoenix"
tar -xzf "$artifact" -C "$app_dir" --no-same-owner --no-same-permissions
chmod -R go-w "$app_dir"

if [ -L "$app_dir/$unit" ] || [ ! -f "$app_dir/$unit" ]; then
  fail "PHOENIX_ARTIFACT: $unit in '$artifact' is not a regular file; allowed: the unit file itself"
fi
mv "$app_dir/$unit" "$units_dir/$unit"
chmod 0644 "$units_dir/$unit"

printf 'PHOENIX_SERVICE=%s\nPHOENIX_VERSION=%s\n' "$service" "$version" >"$root/etc/phoenix/image"
chmod 0644 "$root/etc/phoenix/image"

# Installed, never enabled: no link to it in any .wants/ or .requires/ directory (a base image
# or the archive could bring one), and systemd agrees.
for link in "$units_dir"/*.wants/"$unit" "$units_dir"/*.requires/"$unit"; do
  if [ -e "$link" ] || [ -L "$link" ]; then
    fail "$unit is enabled in the image (${link#"$root"}); allowed: installed and not enabled, as Phoenix's cloud-init enables and starts it"
  fi
done
state=$(systemctl --root="${root:-/}" is-enabled "$unit" 2>/dev/null || true)
case "$state" in
  disabled | static) ;;
  *) fail "$unit is '$state' in the image; allowed: disabled or static (installed and not enabled)" ;;
esac

if [ -z "$root" ] && [ -d /run/systemd/system ]; then
  systemctl daemon-reload
fi
echo "install-app.sh: $service $version installed at /opt/$service, $unit installed and $state"
