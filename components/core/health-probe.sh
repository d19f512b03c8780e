#!/usr/bin/env bash
# Health gate probe, run on the deploy runner (a laptop or a Pulumi Deployments runner) before
# live traffic moves: succeed once URL has answered 2xx N times in a row, fail after a time limit.
#
#   health-probe.sh --url URL [--successes N] [--timeout S] [--interval S] [--request-timeout S]
#
# Every option may also come from the environment (PHOENIX_PROBE_URL, PHOENIX_PROBE_SUCCESSES,
# PHOENIX_PROBE_TIMEOUT_SECONDS, PHOENIX_PROBE_INTERVAL_SECONDS,
# PHOENIX_PROBE_REQUEST_TIMEOUT_SECONDS); flags win. Exit 0 healthy, 1 not healthy in time,
# 2 bad arguments. Response bodies are never printed: they may hold secrets.
set -euo pipefail

url="${PHOENIX_PROBE_URL:-}"
successes="${PHOENIX_PROBE_SUCCESSES:-3}"
timeout="${PHOENIX_PROBE_TIMEOUT_SECONDS:-300}"
interval="${PHOENIX_PROBE_INTERVAL_SECONDS:-5}"
request_timeout="${PHOENIX_PROBE_REQUEST_TIMEOUT_SECONDS:-5}"

usage_error() {
  echo "health-probe: $1" >&2
  echo "usage: health-probe.sh --url URL [--successes N] [--timeout S] [--interval S] [--request-timeout S]" >&2
  exit 2
}

while [ "$#" -gt 0 ]; do
  case "$1" in
    --url | --successes | --timeout | --interval | --request-timeout)
      [ "$#" -ge 2 ] || usage_error "$1 needs a value"
      case "$1" in
        --url) url="$2" ;;
        --successes) successes="$2" ;;
        --timeout) timeout="$2" ;;
        --interval) interval="$2" ;;
        --request-timeout) request_timeout="$2" ;;
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

start=$SECONDS
deadline=$((start + timeout))
attempts=0
streak=0
last="no answer yet"

while :; do
  attempts=$((attempts + 1))
  # Never wait past the deadline for one answer.
  remaining=$((deadline - SECONDS))
  limit=$((remaining < request_timeout ? remaining : request_timeout))
  [ "$limit" -ge 1 ] || limit=1
  code=""
  if code=$(curl --silent --output /dev/null --write-out '%{http_code}' \
    --max-time "$limit" --connect-timeout "$limit" --proto '=http,https' -- "$url" 2>/dev/null); then
    if [[ "$code" =~ ^2[0-9][0-9]$ ]]; then
      streak=$((streak + 1))
      last="HTTP $code"
    else
      streak=0
      last="HTTP $code"
    fi
  else
    status=$?
    streak=0
    case "$status" in
      28) last="timed out after ${limit}s" ;;
      7) last="connection refused" ;;
      6) last="could not resolve host" ;;
      *) last="curl error $status" ;;
    esac
  fi
  echo "health-probe: attempt $attempts: $last (streak $streak/$successes)" >&2

  if [ "$streak" -ge "$successes" ]; then
    echo "health gate passed: $url answered 2xx $successes times in a row after $attempts attempts in $((SECONDS - start))s"
    exit 0
  fi
  if [ $((SECONDS + interval)) -ge "$deadline" ]; then
    echo "health gate failed: $url did not answer 2xx $successes times in a row within ${timeout}s ($attempts attempts; last answer: $last)" >&2
    exit 1
  fi
  sleep "$interval"
done
