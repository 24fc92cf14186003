#!/usr/bin/env bash
# `npm test` (and so `.ci/run`): every check, keeping both cores busy.
#
#   1. the functions' bundles, which the integration and e2e tiers run (about 10 s);
#   2. every jest tier in one run over two workers (unit, infra, integration, e2e: no core waits
#      at a tier's end for its slowest file), beside the static checks (typecheck, lint, the
#      OpenAPI lint) and the CLI synths with cfn-lint, which fill the time jest's files spend
#      waiting on timers and emulators. Any failure fails `npm test`.
#
# Each side job's output is printed whole when it ends, never interleaved with jest's.
set -uo pipefail
cd "$(dirname "$0")/.."

logs=$(mktemp -d)
bundles=$(mktemp -d)
trap 'rm -rf "$logs" "$bundles"' EXIT

# CPU seconds (user + system) of this shell's finished children so far, the second line of `times`,
# written to $1 (`times` in a pipe or $(...) would report a subshell's children instead).
cpu_of_children() {
  times >"$1.times"
  sed -n 2p "$1.times" | awk '{ split($1, u, /[ms]/); split($2, k, /[ms]/); printf "%d", u[1] * 60 + u[2] + k[1] * 60 + k[2] }' >"$1"
}

start() {
  local name=$1
  shift
  (
    local began=$SECONDS
    "$@" >"$logs/$name.log" 2>&1
    echo $? >"$logs/$name.rc"
    echo $((SECONDS - began)) >"$logs/$name.s"
  ) &
  started=$!
}

finish() {
  local failed=0 name rc
  for name in "$@"; do
    rc=$(cat "$logs/$name.rc" 2>/dev/null || echo 1)
    echo "── $name (exit $rc, $(cat "$logs/$name.s" 2>/dev/null || echo '?') s)"
    cat "$logs/$name.log"
    [ "$rc" -eq 0 ] || failed=1
  done
  return $failed
}

start typecheck npm run -s typecheck
# The functions' bundles for the integration and e2e tiers (test/helpers/shared-dynamo.ts).
start bundles npx tsx test/helpers/build-bundles.ts "$bundles"
wait "$started"
finish bundles || { echo "FAIL: the functions' bundles" >&2; exit 1; }
export CASEWORK_TEST_FUNCTION_BUNDLES="$bundles/out"

start lint npm run -s lint
start lint-openapi npm run -s lint:openapi
start synth npm run -s test:synth
# Beside its wall time, what jest and everything it started cost in CPU (its own subshell, so the
# checks beside it are not counted), and how much of that DynamoDB Local's JVMs took.
export CASEWORK_TEST_JVM_CPU_FILE="$logs/jvm-cpu"
began=$SECONDS
(
  npx jest --maxWorkers=2
  rc=$?
  cpu_of_children "$logs/jest-cpu"
  exit $rc
)
jest_rc=$?
echo "── jest (exit $jest_rc, $((SECONDS - began)) s; CPU $(cat "$logs/jest-cpu") s, DynamoDB Local's JVMs $(cat "$logs/jvm-cpu" 2>/dev/null || echo '?') s of it)"
wait
side=0
finish typecheck lint lint-openapi synth || side=1
[ "$jest_rc" -eq 0 ] || echo "FAIL: jest" >&2
[ "$side" -eq 0 ] || echo "FAIL: the checks beside jest (above)" >&2
[ "$jest_rc" -eq 0 ] && [ "$side" -eq 0 ] || exit 1
echo "ok   every check passed in $SECONDS s"
