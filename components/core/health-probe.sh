#!/usr/bin/env bash
# Health gate probe, run on the deploy runner (a laptop or a Pulumi Deployments runner) before
# live traffic moves: succeed once every server behind URL has answered 2xx N times in a row,
# fail after a time limit. Only 2xx counts: a redirect is not healthy, and is not followed.
#
#   health-probe.sh --url URL [--successes N] [--timeout S] [--interval S] [--request-timeout S]
#                   [--header 'NAME: VALUE'] [--servers COUNT --affinity-cookie NAME]
#                   [--servers COUNT --target-group ID --target-health SCRIPT [--region REGION]]
#
# URL is one server, or, with --servers above 1, a load balancer in front of COUNT servers that
# pins a client to a server with the cookie NAME. The probe then proves each server on its own:
# it asks without the cookie until it has seen COUNT different cookie values (a load balancer
# sends new clients only to servers it considers healthy, so an unhealthy server is never
# seen), then needs N answers in a row from each server with its cookie. More values than
# servers means the cookie does not identify servers: the gate fails rather than pass blind.
#
# A load balancer whose affinity cookie changes on every answer cannot name servers that way:
# with --target-group the probe instead needs N answers in a row through URL and then COUNT
# targets healthy in that target group, as the load balancer's own health checks see them.
# The platform's SCRIPT (a file named *target-health.sh) asks the load balancer: run as
# `bash SCRIPT --target-group ID [--region REGION]`, it prints each target's state
# (whitespace-separated; "healthy" counts) and fails if it cannot tell.
# --header sends a request header on every probe (e.g. the one a listener rule routes a colour
# by).
#
# Every option may also come from the environment (PHOENIX_PROBE_URL, PHOENIX_PROBE_SUCCESSES,
# PHOENIX_PROBE_TIMEOUT_SECONDS, PHOENIX_PROBE_INTERVAL_SECONDS,
# PHOENIX_PROBE_REQUEST_TIMEOUT_SECONDS, PHOENIX_PROBE_SERVERS, PHOENIX_PROBE_AFFINITY_COOKIE,
# PHOENIX_PROBE_HEADER, PHOENIX_PROBE_TARGET_GROUP, PHOENIX_PROBE_TARGET_HEALTH,
# PHOENIX_PROBE_REGION);
# flags win. Exit 0 healthy, 1 not healthy in time, 2 bad arguments. Response bodies are never
# printed: they may hold secrets.
set -euo pipefail

url="${PHOENIX_PROBE_URL:-}"
successes="${PHOENIX_PROBE_SUCCESSES:-3}"
timeout="${PHOENIX_PROBE_TIMEOUT_SECONDS:-300}"
interval="${PHOENIX_PROBE_INTERVAL_SECONDS:-5}"
request_timeout="${PHOENIX_PROBE_REQUEST_TIMEOUT_SECONDS:-5}"
servers="${PHOENIX_PROBE_SERVERS:-1}"
cookie_name="${PHOENIX_PROBE_AFFINITY_COOKIE:-}"
header="${PHOENIX_PROBE_HEADER:-}"
target_group="${PHOENIX_PROBE_TARGET_GROUP:-}"
target_health="${PHOENIX_PROBE_TARGET_HEALTH:-}"
region="${PHOENIX_PROBE_REGION:-}"

usage_error() {
  echo "health-probe: $1" >&2
  echo "usage: health-probe.sh --url URL [--successes N] [--timeout S] [--interval S] [--request-timeout S] [--header 'NAME: VALUE'] [--servers COUNT (--affinity-cookie NAME | --target-group ID --target-health SCRIPT [--region REGION])]" >&2
  exit 2
}

while [ "$#" -gt 0 ]; do
  case "$1" in
    --url | --successes | --timeout | --interval | --request-timeout | --servers | --affinity-cookie | --header | --target-group | --target-health | --region)
      [ "$#" -ge 2 ] || usage_error "$1 needs a value"
      case "$1" in
        --url) url="$2" ;;
        --successes) successes="$2" ;;
        --timeout) timeout="$2" ;;
        --interval) interval="$2" ;;
        --request-timeout) request_timeout="$2" ;;
        --servers) servers="$2" ;;
        --affinity-cookie) cookie_name="$2" ;;
        --header) header="$2" ;;
        --target-group) target_group="$2" ;;
        --target-health) target_health="$2" ;;
        --region) region="$2" ;;
      esac
      shift 2
      ;;
    *) usage_error "unknown argument \"$1\"" ;;
  esac
done

# check_number OPTION VALUE MIN: VALUE must be a whole number >= MIN.
check_number() {
  if ! [[ "$2" =~ ^[0-9]+$ ]] || [ "$2" -lt "$3" ]; then
    usage_error "$1 received \"$2\"; allowed: a whole number of at least $3"
  fi
}
[[ "$url" =~ ^https?://[^[:space:]]+$ ]] ||
  usage_error "--url received \"$url\"; allowed: an http:// or https:// URL"
check_number --successes "$successes" 1
check_number --timeout "$timeout" 1
check_number --interval "$interval" 0
check_number --request-timeout "$request_timeout" 1
check_number --servers "$servers" 1
if [ -n "$cookie_name" ] && ! [[ "$cookie_name" =~ ^[A-Za-z0-9_-]+$ ]]; then
  usage_error "--affinity-cookie received \"$cookie_name\"; allowed: letters, digits, _ and -"
fi
if [ -n "$header" ] && ! [[ "$header" =~ ^[A-Za-z0-9-]+:\ [[:print:]]+$ ]]; then
  usage_error "--header received \"$header\"; allowed: 'Name: value' (letters, digits and - in the name, printable characters in the value)"
fi
if [ -n "$target_group" ] && ! [[ "$target_group" =~ ^[A-Za-z0-9][A-Za-z0-9:/._-]*$ ]]; then
  usage_error "--target-group received \"$target_group\"; allowed: a target group ID (letters, digits, :, /, ., _ and -)"
fi
if [ -n "$target_group" ] && ! [[ "$target_health" =~ (^|/)[a-z0-9-]*target-health\.sh$ && -f "$target_health" ]]; then
  usage_error "--target-health received \"$target_health\"; allowed: the platform's target-health.sh script (an existing file), required with --target-group"
fi
if [ -n "$region" ] && ! [[ "$region" =~ ^[a-z0-9-]+$ ]]; then
  usage_error "--region received \"$region\"; allowed: a region name (lower-case letters, digits and -)"
fi
if [ -n "$target_group" ] && [ -n "$cookie_name" ]; then
  usage_error "--target-group and --affinity-cookie are two ways to prove each server: give one"
fi
if [ "$servers" -gt 1 ] && [ -z "$cookie_name" ] && [ -z "$target_group" ]; then
  usage_error "--servers $servers needs --affinity-cookie or --target-group: without one the servers behind $url cannot be told apart"
fi
# Whether each server is found and proven through the affinity cookie.
by_cookie=0
if [ "$servers" -gt 1 ] && [ -n "$cookie_name" ]; then by_cookie=1; fi

start=$SECONDS
deadline=$((start + timeout))
attempts=0
last="no answer yet"
headers=$(mktemp)
trap 'rm -f "$headers"' EXIT

# ask [COOKIE_VALUE]: one request; sets code (HTTP status or ""), pinned (the affinity cookie
# the answer set, if any) and last (the answer, for messages). Returns 0 on a 2xx answer.
ask() {
  attempts=$((attempts + 1))
  # Never wait past the deadline for one answer.
  local remaining=$((deadline - SECONDS))
  local limit=$((remaining < request_timeout ? remaining : request_timeout))
  [ "$limit" -ge 1 ] || limit=1
  local status=0
  local -a extra=()
  if [ -n "${1:-}" ]; then extra=(--cookie "$cookie_name=$1"); fi
  if [ -n "$header" ]; then extra+=(--header "$header"); fi
  code=$(curl --silent --output /dev/null --dump-header "$headers" --write-out '%{http_code}' \
    --max-time "$limit" --connect-timeout "$limit" --proto '=http,https' \
    ${extra[@]+"${extra[@]}"} -- "$url" 2>/dev/null) || status=$?
  pinned=""
  if [ -n "$cookie_name" ]; then
    pinned=$(sed -n "s/^[Ss][Ee][Tt]-[Cc][Oo][Oo][Kk][Ii][Ee]: *$cookie_name=\([^;[:space:]]*\).*/\1/p" "$headers" | head -n 1)
  fi
  case "$status" in
    0) last="HTTP $code" ;;
    28) last="timed out after ${limit}s" ;;
    7) last="connection refused" ;;
    6) last="could not resolve host" ;;
    *) last="curl error $status" ;;
  esac
  [ "$status" -eq 0 ] && [[ "$code" =~ ^2[0-9][0-9]$ ]]
}

# give_up MESSAGE: the gate fails.
give_up() {
  echo "health gate failed: $1 ($attempts attempts; last answer: $last)" >&2
  exit 1
}

# Phase 1, with several servers: find each by the affinity cookie the load balancer sets.
found=""
count=0
if [ "$by_cookie" -eq 1 ]; then
  while [ "$count" -lt "$servers" ]; do
    if ask && [ -n "$pinned" ] && ! grep -qxF -- "$pinned" <<<"$found"; then
      found="$found$pinned"$'\n'
      count=$((count + 1))
    fi
    echo "health-probe: attempt $attempts: $last (servers seen $count/$servers)" >&2
    if [ $((SECONDS + 1)) -ge "$deadline" ]; then
      give_up "only $count of $servers servers behind $url answered 2xx within ${timeout}s"
    fi
    sleep 0.2
  done
  # A cookie that does not name a server would show more values than there are servers.
  for _ in $(seq 1 $((2 * servers))); do
    if ask && [ -n "$pinned" ] && ! grep -qxF -- "$pinned" <<<"$found"; then
      give_up "saw more than $servers servers behind $url: its affinity cookie $cookie_name does not identify servers, so the gate cannot prove each one"
    fi
  done
fi

# Phase 2: N answers in a row from each server (pinned by its cookie when there are several);
# with one server, the here-string below is one empty line: one round, without a cookie.
while IFS= read -r backend; do
  [ "$by_cookie" -eq 0 ] || [ -n "$backend" ] || continue
  label="$url"
  [ -z "$backend" ] || label="$url (server $backend)"
  streak=0
  while :; do
    if ask "$backend" && { [ -z "$backend" ] || [ -z "$pinned" ] || [ "$pinned" = "$backend" ]; }; then
      streak=$((streak + 1))
    else
      # Not 2xx, or the load balancer moved this client to another server: start again.
      streak=0
    fi
    echo "health-probe: attempt $attempts: $last (streak $streak/$successes)" >&2
    [ "$streak" -lt "$successes" ] || break
    if [ $((SECONDS + interval)) -ge "$deadline" ]; then
      give_up "$label did not answer 2xx $successes times in a row within ${timeout}s"
    fi
    sleep "$interval"
  done
done <<<"$found"

# Phase 3, with a target group: every server healthy as the load balancer's own checks see it.
if [ -n "$target_group" ]; then
  while :; do
    attempts=$((attempts + 1))
    status=0
    states=$(bash "$target_health" --target-group "$target_group" ${region:+--region "$region"} \
      2>"$headers") || status=$?
    # Exit 2: the script refuses its arguments (e.g. no such kind of ID): waiting cannot help.
    if [ "$status" -eq 2 ]; then
      last=$(head -n 1 "$headers")
      give_up "$target_health refused target group $target_group"
    fi
    [ "$status" -eq 0 ] || states="(target health unknown: $target_health failed)"
    healthy=$(tr -s '[:space:]' '\n' <<<"$states" | grep -cx healthy || true)
    last="target states: ${states:-none}"
    echo "health-probe: attempt $attempts: $healthy/$servers targets healthy in $target_group" >&2
    [ "$healthy" -lt "$servers" ] || break
    if [ $((SECONDS + interval)) -ge "$deadline" ]; then
      give_up "only $healthy of $servers targets of $target_group were healthy within ${timeout}s"
    fi
    sleep "$interval"
  done
  echo "health gate passed: $url answered 2xx $successes times in a row and $servers of $servers targets of $target_group are healthy, after $attempts attempts in $((SECONDS - start))s"
elif [ "$servers" -gt 1 ]; then
  echo "health gate passed: all $servers servers behind $url answered 2xx $successes times in a row after $attempts attempts in $((SECONDS - start))s"
else
  echo "health gate passed: $url answered 2xx $successes times in a row after $attempts attempts in $((SECONDS - start))s"
fi
