#!/usr/bin/env bash
# `npm test`: the type-check and the lint run beside the jest suites (each is one process on one
# core, while jest's workers often wait on real servers and tools), then each reports in turn.
# Exits non-zero if any of the three fails.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

npm run --silent typecheck >"$logs/typecheck" 2>&1 &
typecheck=$!
npm run --silent lint >"$logs/lint" 2>&1 &
lint=$!

npm run --silent test:unit
unit=$?
wait "$typecheck"
typecheck_status=$?
wait "$lint"
lint_status=$?

for step in typecheck lint; do
  echo "── npm run $step"
  cat "$logs/$step"
done
echo "npm test: jest exit $unit, typecheck exit $typecheck_status, lint exit $lint_status"
[ "$unit" -eq 0 ] && [ "$typecheck_status" -eq 0 ] && [ "$lint_status" -eq 0 ]
