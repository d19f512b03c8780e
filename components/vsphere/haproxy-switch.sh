#!/usr/bin/env bash
# Switches the routing of a running HAProxy without a reload, as Phoenix's remote command does on
# the load balancer VM:
#
#   haproxy-switch.sh MAP_FILE ADMIN_SOCKET COMMAND... < new-map-content
#
# 1. The new map file (stdin) replaces MAP_FILE atomically (temp file in the same directory,
#    fsync, rename): a restart or reload of HAProxy comes up in the new state.
# 2. Each COMMAND (rendered by haproxy-config.ts, e.g. `set map MAP_FILE blue_percent 0`) goes to
#    the Runtime API on ADMIN_SOCKET, one connection per command, in order. HAProxy answers an
#    empty line when a command succeeds and a message when it fails.
# Exits non-zero at the first failure, saying which command and what HAProxy answered.
# Needs socat (Debian: `apt-get install socat`; haproxy does not pull it in).
set -euo pipefail

die() {
  echo "haproxy-switch: $*" >&2
  exit 1
}

[[ $# -ge 3 ]] || die "usage: haproxy-switch.sh MAP_FILE ADMIN_SOCKET COMMAND... (map content on stdin)"
map_file=$1
socket=$2
shift 2

command -v socat >/dev/null || die "socat is not installed (apt-get install socat)"
[[ $map_file == /* ]] || die "MAP_FILE must be an absolute path, got '$map_file'"
[[ -d $(dirname "$map_file") ]] || die "the directory of $map_file does not exist"
[[ -S $socket ]] || die "$socket is not a socket: is HAProxy running with this admin socket?"
for cmd in "$@"; do
  # A newline or ';' would let one argument carry several Runtime API commands.
  [[ $cmd != *$'\n'* && $cmd != *';'* ]] || die "refusing a command with a newline or ';': '$cmd'"
  [[ -n $cmd ]] || die "refusing an empty command"
done

tmp=$(mktemp "$map_file.XXXXXX")
trap 'rm -f "$tmp"' EXIT
cat >"$tmp"
[[ -s $tmp ]] || die "the new map content on stdin is empty"
chmod 0644 "$tmp"
sync "$tmp"
mv -f "$tmp" "$map_file"
trap - EXIT

for cmd in "$@"; do
  if ! answer=$(printf '%s\n' "$cmd" | socat -t 5 - "UNIX-CONNECT:$socket" 2>&1); then
    die "could not send '$cmd' to $socket: $answer"
  fi
  if [[ -n ${answer//[[:space:]]/} ]]; then
    die "HAProxy refused '$cmd': $answer"
  fi
  echo "haproxy-switch: ok: $cmd"
done
