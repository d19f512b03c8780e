#!/bin/sh
# keepalived's check on a Phoenix load balancer (vrrp_script chk_haproxy): the node may hold the
# virtual address only while HAProxy runs AND once a live switch has given it the routing state.
# A rebuilt load balancer starts from a map without it, so it stays in FAULT, never taking the
# address, until Phoenix's switch has run on it; its peer keeps serving meanwhile.
#
#   phoenix-lb-ready [MAP_FILE]
#
# Exit 0 when ready, 1 otherwise (keepalived reads nothing else).
map=${1:-/etc/haproxy/phoenix-routing.map}
pidof haproxy >/dev/null 2>&1 || exit 1
grep -q '^blue_percent [0-9][0-9]*$' "$map" 2>/dev/null || exit 1
exit 0
