#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Limits and churn of the control plane, in one namespace with one device:
#
#   [gw]  clink0 (max-links-per-vpc $CHURN_LIMIT)
#
# 1. Fill one VPC to its link limit: the next link fails with ENOSPC and a
#    message naming the limit; unlinking one makes room for exactly one.
# 2. $CHURN_ROUNDS times: create $CHURN_VPCS VPCs (ClassicLink on),
#    $CHURN_LINKS instances, each linked, and as many endpoints, through
#    clinkctl -batch; check the device's counters; delete everything;
#    check the counters are 0.  The slab memory after the last round must
#    be within $CHURN_SLACK_KB of what it was after the first (a leak of a
#    few hundred bytes per object shows as megabytes); on a kernel with
#    kmemleak (the debug kernel, whose KASAN quarantine moves Slab by
#    megabytes) kmemleak must find no leak in clink instead.
#
# Sizes (environment): CHURN_VPCS (default 1000), CHURN_LINKS (default
# 10000), CHURN_ROUNDS (3), CHURN_LIMIT (1000).  The full figures,
# 10,000 VPCs and 100,000 links and endpoints, are CHURN_VPCS=10000
# CHURN_LINKS=100000: about ten times as long, too long for a TCG run of
# the whole suite.

# Namespaces, ksft_* and CLINK_NS are lib.sh's:
# shellcheck disable=SC2154,SC2034,SC2015

cd "$(dirname "$0")" || exit 1
source ./lib.sh

CHURN_VPCS=${CHURN_VPCS:-1000}
CHURN_LINKS=${CHURN_LINKS:-10000}
CHURN_ROUNDS=${CHURN_ROUNDS:-3}
CHURN_LIMIT=${CHURN_LIMIT:-1000}
CHURN_SLACK_KB=${CHURN_SLACK_KB:-2048}

require_clink
require_cmd jq awk "$CLINKCTL"

setup_ns gw || exit "$ksft_fail"
# Leaks from before this test are not its business.
[ ! -w /sys/kernel/debug/kmemleak ] || echo clear >/sys/kernel/debug/kmemleak
CLINK_NS=$gw
tmp=$(mktemp -d)
defer rm -rf "$tmp"

clinkctl_gw dev add clink0 max-links-per-vpc "$CHURN_LIMIT"
log_test $? "clink0 with max-links-per-vpc $CHURN_LIMIT" || exit "$ksft_fail"

# batch FILE: clinkctl -batch, timed; the time goes to $elapsed.
batch()
{
	local t0 rc

	t0=$(date +%s.%N)
	clinkctl_gw -batch "$1" >"$tmp/batch.out" 2>&1
	rc=$?
	elapsed=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
	[ $rc -eq 0 ] || detail "$(tail -n 5 "$tmp/batch.out")"
	return $rc
}

# Instance J's classic address: 10.0.0.0/8 from 10.0.0.1 up.
awk_ip='function ip(j) { j++; return sprintf("10.%d.%d.%d", int(j / 65536) % 256, int(j / 256) % 256, j % 256) }'

# -- 1. one VPC up to its limit ----------------------------------------------

awk -v n="$CHURN_LIMIT" "$awk_ip"'
BEGIN {
	print "vpc add full vni 1 cidr 172.16.0.0/16"
	print "vpc set full classiclink on"
	for (j = 0; j <= n; j++)
		printf "instance add f-%d ip %s\n", j, ip(j)
	for (j = 0; j < n; j++)
		printf "link add f-%d vpc full\n", j
}' >"$tmp/fill"
batch "$tmp/fill"
log_test $? "link $CHURN_LIMIT instances to one VPC (${elapsed}s)"

out=$(clinkctl_gw link add "f-$CHURN_LIMIT" vpc full 2>&1)
rc=$?
[ $rc -ne 0 ] && [[ "$out" == *"$CHURN_LIMIT"* ]] ||
	detail "link $((CHURN_LIMIT + 1)): rc $rc, '$out'"
[ $rc -ne 0 ] && [[ "$out" == *"$CHURN_LIMIT"* ]]
log_test $? "link $((CHURN_LIMIT + 1)) refused, the message names the limit"

clinkctl_gw link del f-0 && clinkctl_gw link add "f-$CHURN_LIMIT" vpc full &&
	! clinkctl_gw link add f-0 vpc full 2>/dev/null
log_test $? "unlinking one makes room for exactly one"

clinkctl_gw link flush vpc full && clinkctl_gw vpc del full &&
	[ "$(dev_counts | cut -d' ' -f1,3)" = "0 0" ]
log_test $? "flush the links, delete the VPC: no VPC, no link left"

awk -v n="$CHURN_LIMIT" 'BEGIN { for (j = 0; j <= n; j++) printf "instance del f-%d\n", j }' \
	>"$tmp/unfill"
batch "$tmp/unfill" && [ "$(dev_counts)" = "0 0 0 0" ]
log_test $? "delete the instances: the device is empty"

# -- 2. churn ----------------------------------------------------------------

# VPC i: VNI i+1, 172.16.0.0/16 (overlapping CIDRs are allowed: distinct
# tenants).  Instance j: linked to VPC j % V; endpoint j: in VPC j % V,
# address 172.16.x.y from j / V, behind one of 250 VTEPs.
awk -v v="$CHURN_VPCS" -v n="$CHURN_LINKS" "$awk_ip"'
BEGIN {
	for (i = 0; i < v; i++) {
		printf "vpc add c-%d vni %d cidr 172.16.0.0/16\n", i, i + 1
		printf "vpc set c-%d classiclink on\n", i
	}
	for (j = 0; j < n; j++) {
		k = int(j / v) + 1
		printf "instance add i-%d ip %s\n", j, ip(j)
		printf "link add i-%d vpc c-%d\n", j, j % v
		printf "endpoint add vpc c-%d 172.16.%d.%d vtep 192.168.%d.%d mac 02:00:%02x:%02x:%02x:%02x\n",
			j % v, int(k / 256), k % 256, int(j / 250) % 256, j % 250 + 1,
			int(j / 16777216) % 256, int(j / 65536) % 256,
			int(j / 256) % 256, j % 256
	}
}' >"$tmp/create"
awk -v v="$CHURN_VPCS" -v n="$CHURN_LINKS" '
BEGIN {
	for (j = 0; j < n; j++)
		printf "instance del i-%d\n", j
	for (i = 0; i < v; i++)
		printf "vpc del c-%d\n", i
}' >"$tmp/delete"

slab_kb()
{
	awk '$1 == "Slab:" { print $2 }' /proc/meminfo
}

want="$CHURN_VPCS $CHURN_LINKS $CHURN_LINKS $CHURN_LINKS"
base=
for round in $(seq "$CHURN_ROUNDS"); do
	batch "$tmp/create" && [ "$(dev_counts)" = "$want" ] ||
		detail "counts after creating: $(dev_counts), expected $want"
	log_test $? "round $round: $CHURN_VPCS VPCs, $CHURN_LINKS instances, links, endpoints (${elapsed}s)"
	batch "$tmp/delete" && [ "$(dev_counts)" = "0 0 0 0" ] ||
		detail "counts after deleting: $(dev_counts)"
	log_test $? "round $round: all deleted (${elapsed}s)"
	# RCU frees objects a grace period later: let them go first.
	sleep 2
	[ -n "$base" ] || base=$(slab_kb)
	now=$(slab_kb)
	log_info "round $round: Slab ${now} kB (after round 1: ${base} kB)"
done

if [ -w /sys/kernel/debug/kmemleak ]; then
	# The debug kernel: KASAN's quarantine holds freed objects (up to
	# 1/32 of memory) and moves Slab by megabytes; kmemleak decides.
	log_info "Slab moved by $((now - base)) kB (KASAN quarantine: not a verdict)"
	sleep 6		# kmemleak ignores objects younger than 5 s
	echo scan >/sys/kernel/debug/kmemleak
	leaks=$(grep -c -e '\[clink\]' -e 'clink_' /sys/kernel/debug/kmemleak)
	[ "$leaks" -eq 0 ] ||
		detail "$(grep -B3 -A12 -m 3 'clink' /sys/kernel/debug/kmemleak)"
	[ "$leaks" -eq 0 ]
	log_test $? "kmemleak: no leak in clink after $CHURN_ROUNDS rounds"
else
	[ "$now" -le $((base + CHURN_SLACK_KB)) ] ||
		detail "Slab grew from $base kB to $now kB over $((CHURN_ROUNDS - 1)) rounds"
	[ "$now" -le $((base + CHURN_SLACK_KB)) ]
	log_test $? "slab memory back to its level after round 1 (within $CHURN_SLACK_KB kB)"
fi

dmesg_clean
log_test $? "no kernel warnings"

exit "$(ksft_status)"
