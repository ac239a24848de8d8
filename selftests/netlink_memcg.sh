#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Kernel memory a request allocates is charged to the caller's memory
# cgroup.  One namespace with clink0, and a cgroup v2 with a small
# memory.max:
#
#   /sys/fs/cgroup/clink-memcg-<suffix>   memory.max 16M
#       clinkctl -batch: 20000 VPCs (each a VPC, a route table and per-CPU
#       counters, some 1.5 KB)  ->  "Error: Cannot allocate memory" part way
#   the root cgroup: the same gateway goes on taking VPCs
#
# Before the objects were charged, the batch ran to its end inside the
# limit it should have hit.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

require_clink
require_cmd "$CLINKCTL"

CG_ROOT=/sys/fs/cgroup
NVPC=20000
LIMIT=16M

grep -qw memory "$CG_ROOT/cgroup.controllers" 2>/dev/null ||
	skip_all "no cgroup v2 memory controller at $CG_ROOT"
grep -qw memory "$CG_ROOT/cgroup.subtree_control" ||
	echo +memory >"$CG_ROOT/cgroup.subtree_control" ||
	skip_all "cannot enable the memory controller for child cgroups"

setup_ns gw || exit "$ksft_fail"
CLINK_NS=$gw
ip -n "$gw" link add "$CLINK_DEV" type clink
log_test $? "clink0 in its namespace"
defer ip -n "$gw" link del "$CLINK_DEV"

# The first command fails on purpose, while there is memory: printing an
# error grows clinkctl's stack, and a page fault at the limit would wake
# the OOM killer (for clinkctl's own memory) instead of showing ENOMEM.
# -force goes on after it, and after every refused VPC.
tmp=$(mktemp -d)
defer rm -rf "$tmp"
{
	echo "vpc del no-such-vpc"
	for ((i = 1; i <= NVPC; i++)); do
		echo "vpc add v$i vni $i cidr 172.16.0.0/16"
	done
} >"$tmp/vpcs.batch"

cg=$CG_ROOT/clink-memcg-$NS_SUFFIX
mkdir "$cg" && echo "$LIMIT" >"$cg/memory.max"
log_test $? "cgroup $(basename "$cg") with memory.max $LIMIT"
defer rmdir "$cg"

# The batch from inside the cgroup: the shell moves itself, then becomes
# clinkctl (-n, not ip netns exec: that hides /sys/fs/cgroup).
# Its stderr is a file written in advance, from outside the cgroup: a page
# that file gained at the limit would be charged to the cgroup too.
dd if=/dev/zero of="$tmp/err.raw" bs=1M count=4 2>/dev/null
sh -c 'echo $$ >"$1/cgroup.procs" && exec "$2" -force -n "$3" -batch "$4"' \
	_ "$cg" "$CLINKCTL" "$gw" "$tmp/vpcs.batch" >/dev/null 2<>"$tmp/err.raw"
rc=$?
tr -d '\0' <"$tmp/err.raw" >"$tmp/err"
n_in=$(clinkctl_gw -j dev show "$CLINK_DEV" | jq '.[0].vpcs')
n_nomem=$(grep -cx 'Error: Cannot allocate memory' "$tmp/err")
n_errors=$(grep -c '^Error: ' "$tmp/err")
# Every VPC was either made or refused with ENOMEM, and a refused one
# changed nothing; the only other error is the first command's.
[ "$rc" -ne 0 ] && [ "$n_nomem" -gt 0 ] && [ "$n_errors" = $((n_nomem + 1)) ] &&
	[ $((n_in + n_nomem)) = "$NVPC" ]
ok=$?
[ "$ok" -eq 0 ] || detail "clinkctl exited $rc, $n_in VPCs created of $NVPC," \
	"$n_nomem ENOMEM, $n_errors errors: $(grep -v 'Cannot allocate' "$tmp/err" | head -c 300)"
log_test $ok "inside memory.max $LIMIT: ENOMEM after $n_in of $NVPC VPCs"

events=$(awk '$1 == "max" { print $2 }' "$cg/memory.events")
[ "${events:-0}" -gt 0 ]
log_test $? "the cgroup hit its limit (memory.events max $events), not the host"

# The host is not limited: the same gateway takes more from outside.
for ((i = NVPC + 1; i <= NVPC + 1000; i++)); do
	echo "vpc add v$i vni $i cidr 172.16.0.0/16"
done >"$tmp/more.batch"
clinkctl_gw -batch "$tmp/more.batch" &&
	[ "$(clinkctl_gw -j dev show "$CLINK_DEV" | jq '.[0].vpcs')" = $((n_in + 1000)) ]
log_test $? "from the root cgroup: 1000 more VPCs on the same gateway"

clinkctl_gw vpc show "v$((NVPC + 1000))" | grep -q "vni $((NVPC + 1000))"
log_test $? "the gateway answers: vpc show v$((NVPC + 1000))"

dmesg_clean
log_test $? "no kernel warnings (no OOM report either)"

exit "$(ksft_status)"
