#!/usr/bin/env bash
# The states of an ALB target group's targets, as the load balancer's own health checks see
# them, for the health gate (components/core/health-probe.sh --target-health):
#
#   target-health.sh --target-group ARN [--region REGION]
#
# Prints the states whitespace-separated (healthy, initial, unhealthy, draining, ...) and exits
# 0; exits non-zero if AWS cannot be asked (no CLI, no credentials, no such group). Uses the
# runner's AWS credentials, as the provider does.
set -euo pipefail

target_group=""
region=""
while [ "$#" -gt 0 ]; do
  case "$1" in
    --target-group | --region)
      [ "$#" -ge 2 ] || { echo "target-health: $1 needs a value" >&2; exit 2; }
      case "$1" in
        --target-group) target_group="$2" ;;
        --region) region="$2" ;;
      esac
      shift 2
      ;;
    *) echo "target-health: unknown argument \"$1\"" >&2; exit 2 ;;
  esac
done
if ! [[ "$target_group" =~ ^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:[0-9]{12}:targetgroup/[A-Za-z0-9-]+/[0-9a-f]+$ ]]; then
  echo "target-health: --target-group received \"$target_group\"; allowed: an ELBv2 target group ARN" >&2
  exit 2
fi
exec aws elbv2 describe-target-health --target-group-arn "$target_group" \
  ${region:+--region "$region"} \
  --query 'TargetHealthDescriptions[].TargetHealth.State' --output text
