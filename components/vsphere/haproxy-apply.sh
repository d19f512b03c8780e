#!/usr/bin/env bash
# Installs a new haproxy.cfg (on stdin) on a Phoenix load balancer and reloads HAProxy without
# dropping a connection, as Phoenix's remote command does when the servers behind it change:
#
#   phoenix-haproxy-apply [CONFIG_PATH] < haproxy.cfg
#
# The new configuration is checked with `haproxy -c` before it replaces the old one (atomically:
# temp file in the same directory, then rename), and HAProxy is reloaded (master-worker with
# `expose-fd listeners`: the new worker takes the listening sockets over, the old one finishes
# its requests). An identical configuration is left alone: no reload. Exits non-zero, saying why,
# when the configuration is empty or invalid or the reload fails; the old configuration then
# stays in place and in service.
set -euo pipefail

config=${1:-/etc/haproxy/haproxy.cfg}
die() {
  echo "phoenix-haproxy-apply: $*" >&2
  exit 1
}

[[ $config == /* ]] || die "CONFIG_PATH must be absolute, got '$config'"
[[ -d $(dirname "$config") ]] || die "the directory of $config does not exist"
tmp=$(mktemp "$config.XXXXXX")
trap 'rm -f "$tmp"' EXIT
cat >"$tmp"
[[ -s $tmp ]] || die "the new configuration on stdin is empty"
if [[ -f $config ]] && cmp -s "$tmp" "$config"; then
  echo "phoenix-haproxy-apply: $config unchanged: no reload"
  exit 0
fi
if ! check=$(haproxy -c -f "$tmp" 2>&1); then
  die "the new configuration is invalid, $config left as it was: $check"
fi
chmod 0644 "$tmp"
sync "$tmp"
mv -f "$tmp" "$config"
trap - EXIT
systemctl reload haproxy.service
echo "phoenix-haproxy-apply: $config installed, HAProxy reloaded"
