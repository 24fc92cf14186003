#!/usr/bin/env bash
# `npm run test:synth`: the CDK CLI synthesizes both stages as deployers run it, environment-
# agnostic and with concrete accounts and regions, scripts/check-assets.ts checks the bundled
# functions' assets, and cfn-lint checks every template.
#
# The first run bundles every function (what `npx cdk synth` does for a user). The others build
# and validate the whole app, cdk-nag included, with `--exclusively <data stack>`, which is how the
# CLI itself limits bundling to selected stacks: every template is still written, only the app
# stack's assets are not bundled again.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cfn-lint >/dev/null 2>&1; then
  echo "cfn-lint not found: install the AWS CloudFormation linter with 'pip install cfn-lint' (README, Deploy)." >&2
  exit 1
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
prod=(-c stage=prod -c portalOrigin=https://support.casework.example -c mailDomain=mail.casework.example)
# No credentials: the CLI then resolves no account, as on a fresh clone.
unset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN

lint_args=()
pids=()
names=()
# Each synth runs in the background into its own directory: the bundling one (one esbuild build of
# every function, lib/constructs/bundling.ts) takes longest, so the others overlap it on the second
# core.
# `checks`: `builtin+cfn-lint` runs aws-cdk-lib's built-in CloudFormation validation (a WebAssembly
# engine) as a user's `npx cdk synth` does; `cfn-lint` leaves the templates to cfn-lint below, which
# checks every template anyway (without it on the two others, this script took 43 s of CPU, not 54).
synth() {
  local name=$1 account=$2 region=$3 checks=$4; shift 4
  local dir="$out/$name"
  echo "synth $name (account ${account:-unset}, region ${region:-CLI default}, checked by ${checks})"
  (
    if ! env ${account:+CDK_DEFAULT_ACCOUNT=$account} ${region:+CDK_DEFAULT_REGION=$region AWS_REGION=$region} \
      $([ "$checks" = cfn-lint ] && echo CDK_VALIDATION=false) \
      npx cdk synth -q -o "$dir" "$@" >"$dir.log" 2>&1; then
      cat "$dir.log" >&2
      echo "FAIL: npx cdk synth $*" >&2
      exit 1
    fi
    if [ -n "$account" ] && ! grep -q "$account" "$dir"/*-App.template.json; then
      echo "FAIL: $name: the template does not carry account $account; the environment was not applied" >&2
      exit 1
    fi
    if [ -n "$region" ] && ! grep -q "inbound-smtp.$region.amazonaws.com" "$dir"/*-App.template.json; then
      echo "FAIL: $name: the template does not carry region $region; the environment was not applied" >&2
      exit 1
    fi
  ) &
  pids+=($!)
  names+=("$name")
  lint_args+=("$dir" "${region:-us-east-1}")
}

# What a user runs on a fresh clone: dev, environment-agnostic, every function bundled.
synth dev-cli-defaults "" "" builtin+cfn-lint -c stage=dev
# Prod as a deployer runs it, with a concrete account and region.
synth prod-eu-west-1 123456789012 eu-west-1 cfn-lint "${prod[@]}" --exclusively Casework-Prod-Data
# docs/localstack.md: the part of the app LocalStack's free edition deploys.
synth localstack-dev "" "" cfn-lint -c stage=dev -c target=localstack --exclusively Casework-Dev-Data
# More accounts, regions and environment-agnostic prod are synthesized in-process, cdk-nag included
# (test/infra/app.spec.ts, localstack.spec.ts): the CLI adds nothing there but its start-up time.

failed=0
for i in "${!pids[@]}"; do
  if wait "${pids[$i]}"; then
    echo "ok   ${names[$i]}: synthesized, cdk-nag clean"
  else
    failed=1
  fi
done
[ "$failed" -eq 0 ] || exit 1

# The bundling synth's function assets as CDK staged them: bundle and source map only, the SDK
# inside, the push client exactly where the push binding is (NOTE-1).
npx tsx scripts/check-assets.ts "$out/dev-cli-defaults"

# One cfn-lint run over every template, against every region synthesized (its start-up is most
# of its time).
regions=()
templates=()
while [ ${#lint_args[@]} -gt 0 ]; do
  templates+=("${lint_args[0]}"/*.template.json)
  [[ " ${regions[*]} " == *" ${lint_args[1]} "* ]] || regions+=("${lint_args[1]}")
  lint_args=("${lint_args[@]:2}")
done
cfn-lint --config-file .cfnlintrc.yaml --regions "${regions[@]}" -- "${templates[@]}"
echo "ok   cfn-lint clean: ${#templates[@]} templates, regions ${regions[*]}"
