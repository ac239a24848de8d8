#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Smoke test of the clink control plane: the netdevice, its lifetime and
# the module's, a few generic netlink requests.
#
#  +-- init netns --------------+   +-- a ---------------+
#  | clink0 (objects, then del) |   | clink1 (objects)   |  ip netns del a
#  | clink2 (objects)           |   +--------------------+
#  +----------------------------+   +-- b ---------------+
#                                   | clink3 (objects)   |  rmmod with
#                                   +--------------------+  clink2, clink3
#
# Every device is filled with a VPC, an instance, a link, a route, an
# endpoint and an ACL rule before it goes, so that freeing them is
# exercised; the kernel log must stay free of splats.

cd "$(dirname "$0")" || exit 1
source lib.sh

require_clink
dmesg_start=$(dmesg | wc -l)

# fill DEV [NETNS]: one object of each kind on DEV.
fill()
{
	local dev=$1 ns=${2:+-n $2}

	# shellcheck disable=SC2086
	$CLINKCTL $ns vpc add vpc-a vni 100 cidr 172.16.0.0/16 dev "$dev" &&
	$CLINKCTL $ns vpc set vpc-a classiclink on dev "$dev" &&
	$CLINKCTL $ns instance add i-1 ip 10.1.0.5 dev "$dev" &&
	$CLINKCTL $ns link add i-1 vpc vpc-a dev "$dev" &&
	$CLINKCTL $ns route add vpc vpc-a 192.168.0.0/16 via vpn dev "$dev" &&
	$CLINKCTL $ns endpoint add vpc vpc-a 172.16.0.10 vtep 192.168.100.2 \
		mac 02:00:00:00:00:10 dev "$dev" &&
	$CLINKCTL $ns acl add vpc vpc-a prio 10 dir to-vpc proto tcp \
		dport 22 action deny dev "$dev"
}

# expect_err WHAT PATTERN CMD...: CMD fails and prints PATTERN.
expect_err()
{
	local what=$1 pattern=$2 out rc=0

	shift 2
	if out=$("$@" 2>&1); then
		detail "succeeded: $*"
		rc=1
	elif ! grep -q -- "$pattern" <<<"$out"; then
		detail "expected '$pattern', got: $out"
		rc=1
	fi
	log_test $rc "$what"
}

setup_ns a b

ip link add clink0 type clink
log_test $? "ip link add clink0 type clink"
defer ip link del clink0

out=$(ip -d link show clink0)
rc=0
grep -q "clink" <<<"$out" || rc=1
grep -q "mtu 1450" <<<"$out" || rc=1
grep -q "link/none" <<<"$out" || rc=1
detail "$out"
log_test $rc "ip -d link show: kind clink, mtu 1450, link/none"

ip link set clink0 mtu 9000 && ip link set clink0 mtu 1450
log_test $? "MTU can change"

ip link set clink0 up && ip link set clink0 down
log_test $? "up and down"

ip link set clink0 netns "$a" 2>/dev/null
[ $? -ne 0 ] && ip link show clink0 >/dev/null
log_test $? "clink0 cannot move to another namespace"

out=$($CLINKCTL -j dev show clink0)
rc=0
[ "$(jq -r '.[0].port // .port' <<<"$out")" = 4789 ] || rc=1
grep -q '10.0.0.0/8' <<<"$out" || rc=1
detail "$out"
log_test $rc "defaults: port 4789, classic space 10.0.0.0/8"

fill clink0
log_test $? "one object of each kind"

out=$($CLINKCTL route show vpc vpc-a 2>&1)
detail "$out"
grep -q "10.1.0.5" <<<"$out"
log_test $? "linking injected the /32 of the instance"

$CLINKCTL instance add i-2 ip 10.1.0.6
expect_err "a second link of an instance names its VPC" \
	"already linked to VPC vpc-a" $CLINKCTL link add i-1 vpc vpc-a
expect_err "two instances with one IP: EADDRINUSE" \
	"already used by instance i-1" $CLINKCTL instance add i-3 ip 10.1.0.5
expect_err "VPC CIDR inside the classic space cannot ClassicLink" \
	"overlaps the classic space" \
	sh -c "$CLINKCTL vpc add vpc-b vni 200 cidr 10.2.0.0/16 &&
	       $CLINKCTL vpc set vpc-b classiclink on"
expect_err "disabling ClassicLink with links: busy" \
	"linked instances" $CLINKCTL vpc set vpc-a classiclink off
expect_err "deleting a VPC with links: busy" \
	"linked instances" $CLINKCTL vpc del vpc-a
expect_err "duplicate VPC" "already exists" \
	$CLINKCTL vpc add vpc-a vni 100 cidr 172.16.0.0/16

$CLINKCTL instance set i-1 ip 10.1.0.7
out=$($CLINKCTL link show 2>&1)
detail "$out"
! grep -q "i-1" <<<"$out"
log_test $? "changing the IP unlinks"

ip link add clink9 type clink
expect_err "two devices: a request must name one" \
	"more than one clink device" $CLINKCTL vpc show
ip link del clink9

ip link del clink0
log_test $? "ip link del with objects"

ip -n "$a" link add clink1 type clink && fill clink1 "$a"
log_test $? "clink1 in netns a, with objects"
ip netns del "$a"
log_test $? "netns a deleted with its device"

ip link add clink2 type clink && fill clink2 &&
	ip -n "$b" link add clink3 type clink && fill clink3 "$b" &&
	ip link set clink2 up
log_test $? "clink2 (up) and clink3 (netns b), with objects"

# Wait for the netns cleanup work of a to be done, then unload.
for i in $(seq 50); do
	rmmod clink 2>/dev/null && break
	sleep 0.2
done
! grep -q '^clink ' /proc/modules
log_test $? "rmmod with devices present"
! ip link show clink2 >/dev/null 2>&1 && ! ip -n "$b" link show clink3 >/dev/null 2>&1
log_test $? "rmmod deleted the devices"

insmod "$CLINK_KO"
log_test $? "insmod again"
ip link add clink0 type clink && ip link del clink0
log_test $? "add and delete after reload"

out=$(dmesg | tail -n +"$((dmesg_start + 1))" |
	grep -E 'BUG|WARNING|Oops|leak|refcount|use-after-free|lockdep|circular')
detail "$out"
[ -z "$out" ]
log_test $? "no kernel splat"

exit "$(ksft_status)"
