#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The datapath while the configuration changes under it, and while the
# device and the module go away under traffic.  The topology of datapath.sh
# with one VPC:
#
#   c1 (i-linked 10.1.0.5) --+
#                            +-- br-classic 10.1.0.1 [gw] clink0 ul0 192.168.100.1
#   c2 (i-unlinked 10.1.0.6)-+                                   |
#                                                         (ns ul) br0
#                                                                |
#        vm1 172.16.0.10 --- br0 --- vx100 (VNI 100) [hv1] ul0 192.168.100.2
#
# 1. ~200 rounds of adding and removing unrelated instances, links,
#    endpoints, ACL rules, custom routes and a whole VPC, while i-linked
#    and vm1 ping each other without a pause: not one echo may be lost.
# 2. ip link del clink0 while pings and VXLAN from the hypervisor flow;
#    a new clink0 then works.
# 3. rmmod clink under the same traffic, insmod again; it works again.
# The kernel log must stay clean throughout.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

require_clink
require_cmd dd

CHURN_ROUNDS=${CHURN_ROUNDS:-200}

tmp=$(mktemp -d)
defer rm -rf "$tmp"

if ! clink_topo_create 1 || ! clink_config 1; then
	log_test 1 "build the topology and configure the gateway"
	exit "$ksft_fail"
fi

ping_all "$c1" "$VM_IP" && ping_all "$vm1" "$C1_IP"
log_test $? "i-linked <-> vm1: ping both ways"

# -- 1. configuration churn --------------------------------------------------------

# One round: everything it adds, it removes.  None of it concerns the
# i-linked <-> vm1 flow, but the flow's VPC gets new ACL rules, routes and
# endpoints every time.
churn_round()
{
	local i=$1 a b

	a=$((i / 200))
	b=$((i % 200 + 1))
	cat <<-EOF
		instance add i-churn-$i ip 10.2.$a.$b
		link add i-churn-$i vpc vpc-a
		endpoint add vpc vpc-a 172.16.1$a.$b vtep $HV1_UL mac 02:00:00:01:$(printf %02x "$a"):$(printf %02x "$b")
		endpoint add vpc vpc-a 172.16.2$a.$b vtep 192.168.100.9 mac 02:00:00:02:$(printf %02x "$a"):$(printf %02x "$b")
		acl add vpc vpc-a prio 100 dir to-vpc proto tcp dport 9999 action deny
		acl add vpc vpc-a prio 101 dir to-classic proto udp sport 1-1024 action deny
		route add vpc vpc-a 192.168.60.0/24 via nat
		vpc add vpc-churn vni 300 cidr 172.20.0.0/16
		vpc set vpc-churn classiclink on
		instance add i-churn-b-$i ip 10.3.$a.$b
		link add i-churn-b-$i vpc vpc-churn
		link del i-churn-$i
		instance del i-churn-$i
		instance del i-churn-b-$i
		endpoint del vpc vpc-a 172.16.1$a.$b
		endpoint del vpc vpc-a 172.16.2$a.$b
		acl del vpc vpc-a prio 100
		acl del vpc vpc-a prio 101
		route del vpc vpc-a 192.168.60.0/24
		vpc set vpc-churn classiclink off
		vpc del vpc-churn
	EOF
}

churn()
{
	local i

	for ((i = 0; i < CHURN_ROUNDS; i++)); do
		if ! churn_round "$i" | clinkctl_gw -batch - >"$tmp/churn.out" 2>&1; then
			echo "round $i failed:" >"$tmp/churn.err"
			cat "$tmp/churn.out" >>"$tmp/churn.err"
			return 1
		fi
	done
}

# ping_chunk NS DST: 50 echo requests 20 ms apart; adds to sent/received.
ping_chunk()
{
	local out tx rx

	out=$(ip netns exec "$1" ping -q -c 50 -i 0.02 -W 5 "$2" 2>&1)
	tx=$(sed -n 's/^\([0-9]\+\) packets transmitted.*/\1/p' <<<"$out")
	rx=$(sed -n 's/.* \([0-9]\+\) packets received.*/\1/p' <<<"$out")
	sent=$((sent + ${tx:-0}))
	received=$((received + ${rx:-0}))
}

drops_snapshot
churn &
churn_pid=$!
defer kill "$churn_pid"
sent=0
received=0
chunks=0
while kill -0 "$churn_pid" 2>/dev/null; do
	ping_chunk "$c1" "$VM_IP"
	ping_chunk "$vm1" "$C1_IP"
	chunks=$((chunks + 1))
done
wait "$churn_pid"
rc=$?
[ $rc -eq 0 ] || detail "$(cat "$tmp/churn.err")"
log_test $rc "config churn: $CHURN_ROUNDS rounds of 21 changes succeed"

rc=0
if [ "$sent" -eq 0 ] || [ "$received" -ne "$sent" ]; then
	detail "$received of $sent echo requests answered ($chunks rounds of pings)"
	rc=1
fi
check_drops "" || rc=1
log_test $rc "config churn: i-linked <-> vm1 lost no ping ($sent sent)"

if clinkctl_gw -j dev show "$CLINK_DEV" >"$tmp/dev.json" &&
	jq -e '(if type == "array" then .[0] else . end) |
		[.. | objects | to_entries[] |
		 select(.key | test("^(n_)?(vpcs|instances|links|endpoints)$")) |
		 .value] | length > 0' "$tmp/dev.json" >/dev/null; then
	# What is left: vpc-a, i-linked, i-unlinked, one link, one endpoint.
	got=$(jq -r '(if type == "array" then .[0] else . end) |
		[(.n_vpcs // .vpcs), (.n_instances // .instances),
		 (.n_links // .links), (.n_endpoints // .endpoints)] |
		map(tostring) | join(" ")' "$tmp/dev.json")
	[ "$got" = "1 2 1 1" ]
	rc=$?
	[ $rc -eq 0 ] || detail "vpcs instances links endpoints: $got, expected 1 2 1 1"
	log_test $rc "config churn: the device's object counts are back to start"
fi

# -- 2./3. the device and the module go away under traffic --------------------------

# Background traffic both ways, and VXLAN frames from the hypervisor.
traffic_start()
{
	local f=$tmp/frame.bin mac

	mac=$(learned_gw_mac "$vm1" "$C1_IP")
	hex_write "$f" "$(hex_vxlan 100) \
		$(hex_eth "${mac:-ff:ff:ff:ff:ff:ff}" "$VM1_MAC" "08 00") \
		$(hex_ipv4 "$VM_IP" "$C1_IP" 01 "$(hex_icmp_echo 0x4343)")"

	bg_start ip netns exec "$c1" ping -q -i 0.01 "$VM_IP" >/dev/null 2>&1
	PING1=$BG_PID
	bg_start ip netns exec "$vm1" ping -q -i 0.01 "$C1_IP" >/dev/null 2>&1
	PING2=$BG_PID
	bg_start ip netns exec "$hv1" bash -c 'while :; do
		dd if="$1" bs=65536 2>/dev/null >"/dev/udp/$2/$3"; sleep 0.01; done' \
		_ "$f" "$GW_UL" "$VXLAN_PORT"
	UDPLOOP=$BG_PID
	# Let it flow before pulling the rug.
	sleep 1
}

traffic_stop()
{
	bg_stop "$PING1"
	bg_stop "$PING2"
	bg_stop "$UDPLOOP"
}

dev_gone()
{
	! ip -n "$gw" link show "$CLINK_DEV" >/dev/null 2>&1
}

traffic_start
timeout 60 ip -n "$gw" link del "$CLINK_DEV"
rc=$?
[ $rc -eq 0 ] || detail "ip link del: exit status $rc"
log_test $rc "ip link del clink0 under traffic"
dev_gone
log_test $? "clink0 is gone"

clink_gw_up && clink_config 1 && ping_all "$c1" "$VM_IP" && ping_all "$vm1" "$C1_IP"
log_test $? "a new clink0, configured again: ping both ways"

timeout 60 rmmod clink
rc=$?
[ $rc -eq 0 ] || detail "rmmod: exit status $rc; $(lsmod | grep clink)"
log_test $rc "rmmod clink under traffic"
! grep -q '^clink ' /proc/modules && dev_gone
log_test $? "the module and clink0 are gone"

timeout 60 insmod "$CLINK_KO"
log_test $? "insmod clink again under traffic"
clink_gw_up && clink_config 1 && ping_all "$c1" "$VM_IP" && ping_all "$vm1" "$C1_IP"
log_test $? "after reload: clink0 configured again, ping both ways"
traffic_stop

dmesg_clean
log_test $? "no kernel warnings"

exit "$(ksft_status)"
