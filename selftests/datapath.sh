#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# clink's datapath end to end: classic instances, the gateway with clink0,
# and VPC hypervisors running the stock Linux vxlan device.
#
#   classic (10.1.0.0/24)       gateway (ns gw)               underlay    VPC hypervisors
#
#   c1 i-linked  --------+    +-------------------------+                  hv1 192.168.100.2
#   10.1.0.5 (vpc-a)     |    | br-classic 10.1.0.1/24  |               +- vx100 (VNI 100)
#                        +----|                         |   ul (br0)    |    br0 -- vm1
#   c2 i-unlinked -------+    | ip_forward, routes:     |   |           |    172.16.0.10/16
#   10.1.0.6             |    |  172.16.0.0/16   clink0 |   |           |    02:00:00:00:00:10
#                        |    |  172.17.0.0/16   clink0 |---+-----------+
#   c3 i-linked-b -------+    |  192.168.50.0/24 clink0 |ul0            |  hv2 192.168.100.3
#   10.1.0.7 (vpc-b)          |  198.51.100.0/24 clink0 |192.168.100.1  +- vx200 (VNI 200)
#                             | clink0: VXLAN port 4789 |                    br0 -- vm2
#                             +-------------------------+                    172.16.0.10/16
#                                                                            02:00:00:00:00:20
#
# Every box is a netns; c1..c3 and vm1, vm2 each have one eth0.  Classic
# instances route by default via 10.1.0.1; VMs route 10.0.0.0/8 on-link
# (MTU 1450), so they ARP for classic addresses.  The hypervisors run the
# stock vxlan device bridged to their VM.
#
# vpc-a (VNI 100) and vpc-b (VNI 200) both have the primary CIDR
# 172.16.0.0/16; vm1 and vm2 both are 172.16.0.10.  Each hypervisor floods
# unknown destinations to the gateway (fdb 00:00:00:00:00:00 dst
# 192.168.100.1); the gateway answers the VMs' ARP for linked instances.
#
# Checks: ping and 2 MB TCP both ways; the bytes on the underlay (tshark);
# overlapping CIDRs; every drop, by its exact counter delta; a reach
# prefix of vpc-a, both ways; unlink, IP change and instance deletion
# taking effect at once.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

require_clink
require_cmd tcpdump tshark nc md5sum dd ss

tmp=$(mktemp -d)
defer rm -rf "$tmp"

if ! clink_topo_create 2 || ! clink_config 2; then
	log_test 1 "build the topology and configure the gateway"
	exit "$ksft_fail"
fi

# The gateway's MAC, as clinkctl reports it.
gw_mac()
{
	clinkctl_gw -j dev show "$CLINK_DEV" |
		jq -r '(if type == "array" then .[0] else . end) | .mac // .address // empty'
}

# Pin a VM's neighbour entry for a classic address to the gateway's MAC, so
# the drop tests send exactly the packets they count (no ARP in between).
pin_neigh()
{
	ip -n "$1" neigh replace "$2" lladdr "$GWMAC" dev eth0 nud permanent
}

# A one-shot TCP server in NS on PORT that answers with TEXT.
banner_start()
{
	printf '%s\n' "$3" >"$tmp/banner-$3"
	tcp_source_start "$1" "$2" "$tmp/banner-$3"
}

# What the server at DST:PORT says to a client in NS.  The client must not
# close its side first: busybox nc, the server, would quit without a word.
banner_get()
{
	ip netns exec "$1" timeout 20 bash -c \
		'exec 3<>"/dev/tcp/$1/$2" && cat <&3' _ "$2" "$3" 2>/dev/null
}

# check_banner NS DST PORT EXPECTED
check_banner()
{
	local got

	got=$(banner_get "$1" "$2" "$3")
	[ "$got" = "$4" ] && return 0
	detail "TCP $2:$3 from $1 said '$got', expected '$4'"
	return 1
}

# -- connectivity --------------------------------------------------------------

test_ping()
{
	local rc mac a b c d e f g h

	local t0 t1

	t0=$(link_traffic i-linked)
	drops_snapshot
	ping_all "$c1" "$VM_IP" && check_drops ""
	log_test $? "i-linked -> vm1 (vpc-a): ping"

	# 3 echo requests to the VPC, 3 replies back, each 84 bytes of IPv4.
	t1=$(link_traffic i-linked)
	rc=1
	if [ -n "$t0" ] && [ -n "$t1" ]; then
		read -r a b c d <<<"$t0"
		read -r e f g h <<<"$t1"
		[ $((e - a)) -eq 3 ] && [ $((g - c)) -eq 3 ] &&
			[ $((f - b)) -ge 252 ] && [ $((h - d)) -ge 252 ] && rc=0
	fi
	[ $rc -eq 0 ] || detail "link stats of i-linked: '$t0' -> '$t1'," \
		"expected +3 packets (>= 252 bytes) each way"
	log_test $rc "link counters of i-linked: +3 packets each way"

	drops_snapshot
	ping_all "$vm1" "$C1_IP" && check_drops ""
	log_test $? "vm1 -> i-linked: ping (gateway answers ARP)"

	GWMAC=$(gw_mac)
	mac=$(learned_gw_mac "$vm1" "$C1_IP")
	rc=0
	if [ -z "$mac" ] || [ "$mac" != "$GWMAC" ]; then
		detail "vm1 has '$mac' for $C1_IP, clinkctl says the gateway is '$GWMAC'"
		rc=1
	fi
	log_test $rc "vm1's ARP entry for i-linked is the gateway's MAC"
	# Later checks need a MAC even if clinkctl does not report one.
	GWMAC=${GWMAC:-$mac}

	pin_neigh "$vm1" "$C1_IP"
	pin_neigh "$vm1" "$C2_IP"
}

# tcp_transfer FROM TO DST PORT: 2 MB from FROM to a listener in TO.
tcp_transfer()
{
	local from=$1 to=$2 dst=$3 port=$4 a b

	dd if=/dev/urandom of="$tmp/tx" bs=65536 count=32 2>/dev/null
	rm -f "$tmp/rx"
	tcp_sink_start "$to" "$port" "$tmp/rx" || { detail "no listener"; return 1; }
	if ! ip netns exec "$from" timeout 120 nc -w 10 "$dst" "$port" <"$tmp/tx"; then
		detail "nc to $dst:$port failed"
		bg_stop "$SINK_PID"
		return 1
	fi
	WAIT_TIMEOUT=60 wait_exit "$SINK_PID"
	bg_stop "$SINK_PID"
	a=$(md5sum <"$tmp/tx")
	b=$(md5sum <"$tmp/rx")
	[ "$a" = "$b" ] && return 0
	detail "sent 2097152 bytes ($a), received $(wc -c <"$tmp/rx") ($b)"
	return 1
}

test_tcp()
{
	drops_snapshot
	tcp_transfer "$c1" "$vm1" "$VM_IP" 5001 && check_drops ""
	log_test $? "i-linked -> vm1: 2 MB over TCP, checksum matches"

	drops_snapshot
	tcp_transfer "$vm1" "$c1" "$C1_IP" 5002 && check_drops ""
	log_test $? "vm1 -> i-linked: 2 MB over TCP, checksum matches"
}

# -- the bytes on the wire -------------------------------------------------------

# wire_count EXPECTED: how many ICMP packets of the capture decode to
# "VNI UDP-DPORT OUTER-SRC,INNER-SRC OUTER-DST,INNER-DST INNER-DMAC ICMP-TYPE".
wire_count()
{
	grep -cxF "$1" "$tmp/wire.txt"
}

check_wire()
{
	local what=$1 line=$2 n

	n=$(wire_count "$line")
	if [ "$n" -ne 3 ]; then
		detail "expected 3 packets '$line', found $n; the capture:"
		detail "$(cat "$tmp/wire.txt")"
	fi
	[ "$n" -eq 3 ]
	log_test $? "$what"
}

test_wire()
{
	local rc=0

	capture_start "$gw" ul0 "$tmp/wire.pcap" udp port "$VXLAN_PORT" || rc=1
	ping_all "$c1" "$VM_IP" || rc=1
	ping_all "$c3" "$VM_IP" || rc=1
	capture_stop
	log_test $rc "capture pings on the underlay"

	# Outer fields first, inner second; the inner Ethernet destination
	# is the second eth.dst.
	tshark -n -r "$tmp/wire.pcap" -d "udp.port==$VXLAN_PORT,vxlan" -Y icmp \
		-T fields -e vxlan.vni -e udp.dstport -e ip.src -e ip.dst \
		-e eth.dst -e icmp.type 2>/dev/null |
		awk -F'\t' '{ split($5, m, ","); print $1, $2, $3, $4, m[2], $6 }' \
		>"$tmp/wire.txt"

	check_wire "wire: i-linked -> vm1 is VNI 100 to $HV1_UL:4789, VM MAC" \
		"100 $VXLAN_PORT $GW_UL,$C1_IP $HV1_UL,$VM_IP $VM1_MAC 8"
	check_wire "wire: vm1 -> i-linked is VNI 100 to $GW_UL:4789, gw MAC" \
		"100 $VXLAN_PORT $HV1_UL,$VM_IP $GW_UL,$C1_IP $GWMAC 0"
	check_wire "wire: i-linked-b -> vm2 is VNI 200 to $HV2_UL:4789, VM MAC" \
		"200 $VXLAN_PORT $GW_UL,$C3_IP $HV2_UL,$VM_IP $VM2_MAC 8"
	check_wire "wire: vm2 -> i-linked-b is VNI 200 to $GW_UL:4789, gw MAC" \
		"200 $VXLAN_PORT $HV2_UL,$VM_IP $GW_UL,$C3_IP $GWMAC 0"
}

# -- overlapping CIDRs -----------------------------------------------------------

test_overlap()
{
	banner_start "$vm1" 7000 vm1
	check_banner "$c1" "$VM_IP" 7000 vm1
	log_test $? "overlapping CIDRs: i-linked reaches 172.16.0.10 of vpc-a"
	bg_stop "$SOURCE_PID"

	banner_start "$vm2" 7000 vm2
	check_banner "$c3" "$VM_IP" 7000 vm2
	log_test $? "overlapping CIDRs: i-linked-b reaches 172.16.0.10 of vpc-b"
	bg_stop "$SOURCE_PID"

	ping_all "$vm2" "$C3_IP"
	log_test $? "vm2 -> i-linked-b: ping"

	pin_neigh "$vm2" "$C1_IP"
	drops_snapshot
	ping_none "$vm2" "$C1_IP" && check_drops "not-linked:+3"
	log_test $? "vm2 -> i-linked (linked to vpc-a): dropped, not-linked +3"
}

# -- drops, one reason at a time ---------------------------------------------------

# drop_test WHAT EXPECTED NS DST: ping (3 requests) must get no reply and
# move exactly the EXPECTED counters.
drop_test()
{
	local what=$1 want=$2 ns=$3 dst=$4

	drops_snapshot
	ping_none "$ns" "$dst" && check_drops "$want"
	log_test $? "$what"
}

test_drops()
{
	local rc

	drop_test "unlinked instance -> vm1: dropped, no-link +3" \
		"no-link:+3" "$c2" "$VM_IP"

	clinkctl_gw vpc cidr add vpc-a 172.17.0.0/16 &&
	clinkctl_gw endpoint add vpc vpc-a 172.17.0.10 vtep "$HV1_UL" mac "$VM1_MAC"
	log_test $? "add secondary CIDR 172.17.0.0/16 with an endpoint"
	drop_test "i-linked -> secondary CIDR: dropped, secondary-cidr +3" \
		"secondary-cidr:+3" "$c1" 172.17.0.10

	clinkctl_gw route add vpc vpc-a 192.168.50.0/24 via vpn
	log_test $? "add custom route 192.168.50.0/24 via vpn"
	drop_test "i-linked -> custom route: dropped, no-transit +3" \
		"no-transit:+3" "$c1" 192.168.50.1
	drop_test "i-linked -> outside the VPC: dropped, no-transit +3" \
		"no-transit:+3" "$c1" 198.51.100.1

	# No endpoint: dropped, and the sender hears "host unreachable".
	rc=0
	capture_start "$c1" eth0 "$tmp/unreach.pcap" icmp || rc=1
	drops_snapshot
	{ ping_none "$c1" 172.16.0.99 && check_drops "no-endpoint:+3"; } || rc=1
	capture_stop
	log_test $rc "i-linked -> address without endpoint: dropped, no-endpoint +3"
	tshark -n -r "$tmp/unreach.pcap" -Y 'icmp.type == 3' -T fields \
		-E separator=/s -e icmp.type -e icmp.code -e ip.dst 2>/dev/null \
		>"$tmp/unreach.txt"
	rc=0
	# type,code of the error, then of the echo request it quotes; the
	# outer destination, then the quoted one.
	if ! grep -qxE "3(,8)? 1(,0)? ${C1_IP//./\\.},172\\.16\\.0\\.99" \
		"$tmp/unreach.txt"; then
		detail "ICMP errors seen by i-linked: $(cat "$tmp/unreach.txt")"
		rc=1
	fi
	log_test $rc "i-linked gets ICMP host unreachable for it"

	clinkctl_gw endpoint add vpc vpc-a 172.16.0.20 vtep 192.0.2.99 \
		mac 02:00:00:00:00:99
	log_test $? "add endpoint behind VTEP 192.0.2.99 (no underlay route)"
	drop_test "i-linked -> endpoint without underlay route: no-route +3" \
		"no-route:+3" "$c1" 172.16.0.20

	drop_test "vm1 -> unlinked instance: dropped, not-linked +3" \
		"not-linked:+3" "$vm1" "$C2_IP"
	drop_test "vm1 -> classic address of no instance: not-linked +3" \
		"not-linked:+3" "$vm1" 10.1.0.200

	# The gateway is a hop: a packet arriving from the VPC with TTL 1
	# cannot be forwarded.
	rc=1
	drops_snapshot
	[ "$(ping_recv "$vm1" "$C1_IP" 3 1 -t 1)" = 0 ] && check_drops "ttl:+3" && rc=0
	log_test $rc "vm1 -> i-linked with TTL 1: dropped, ttl +3"

	# Path MTU: with an underlay MTU of 1300, an inner packet with DF
	# set must fit in 1300 - 20 (IP) - 8 (UDP) - 8 (VXLAN) - 14 (inner
	# Ethernet) = 1250 bytes.  1428 bytes of UDP (DF, as Linux sends
	# UDP by default) are dropped and answered with frag-needed, which
	# the sender caches.
	rc=0
	ip -n "$gw" link set ul0 mtu 1300 || rc=1
	drops_snapshot
	ip netns exec "$c1" bash -c 'dd if=/dev/zero bs=1400 count=1 2>/dev/null \
		>"/dev/udp/$1/9"' _ "$VM_IP" || rc=1
	check_drops "mtu:+1" || rc=1
	log_test $rc "i-linked -> vm1, 1428 bytes with DF over a 1300 underlay: mtu +1"
	wait_for -t 10 sh -c "ip -n $c1 route get $VM_IP | grep -q 'mtu 1250'"
	rc=$?
	[ $rc -eq 0 ] || detail "i-linked's route: $(ip -n "$c1" route get "$VM_IP")"
	log_test $rc "i-linked learns path MTU 1250 from the gateway's frag-needed"
	ip -n "$gw" link set ul0 mtu 1500
	ip -n "$c1" route flush cache
	ping_all "$c1" "$VM_IP"
	log_test $? "underlay MTU restored: i-linked -> vm1 ping"

	# The other way: a classic network with a smaller MTU than the VPC.
	# The gateway cannot forward vm1's 1328 bytes (DF) into it and sends
	# vm1 a frag-needed from its own address, which is no linked
	# instance: clink must carry it all the same, or path MTU discovery
	# from the VPC black-holes.
	frag_needed_to_vpc "vm1 learns classic path MTU 1200 from the gateway's frag-needed, no drop"
	ip -n "$vm1" route flush cache
	ping_all "$vm1" "$C1_IP"
	log_test $? "classic MTU restored: vm1 -> i-linked ping"

	# But an ICMP error that a classic host sends (here c2, an unlinked
	# instance acting as a router with no route onwards) quoting a packet
	# of vm1 to a linked instance is the classic host's own traffic: it
	# must not reach the VPC.
	rc=0
	clinkctl_gw instance add i-far ip 10.9.9.9 &&
		clinkctl_gw link add i-far vpc vpc-a || rc=1
	ip -n "$gw" route add 10.9.9.9/32 via "$C2_IP" || rc=1
	ip netns exec "$c2" sysctl -qw net.ipv4.ip_forward=1 >/dev/null || rc=1
	ip -n "$c2" route add unreachable 10.9.9.9/32 || rc=1
	drops_snapshot
	ip netns exec "$vm1" ping -c 1 -W 2 10.9.9.9 >/dev/null 2>&1 && rc=1
	check_drops "no-link:+1" || rc=1
	log_test $rc "c2's host-unreachable for vm1 -> i-far (linked): dropped, no-link +1"
	ip -n "$c2" route del unreachable 10.9.9.9/32
	ip netns exec "$c2" sysctl -qw net.ipv4.ip_forward=0 >/dev/null
	ip -n "$gw" route del 10.9.9.9/32
	clinkctl_gw instance del i-far

	# Network ACLs, each way.  The rules are narrow: other traffic passes.
	clinkctl_gw acl add vpc vpc-a prio 10 dir to-vpc proto icmp action deny
	log_test $? "add ACL: vpc-a prio 10 to-vpc icmp deny"
	drop_test "i-linked -> vm1 ICMP: dropped by ACL, acl-deny +3" \
		"acl-deny:+3" "$c1" "$VM_IP"
	banner_start "$vm1" 7001 vm1
	check_banner "$c1" "$VM_IP" 7001 vm1
	log_test $? "i-linked -> vm1 TCP: still allowed"
	bg_stop "$SOURCE_PID"
	clinkctl_gw acl del vpc vpc-a prio 10 && ping_all "$c1" "$VM_IP"
	log_test $? "ACL rule deleted: i-linked -> vm1 ping passes again"

	clinkctl_gw acl add vpc vpc-a prio 20 dir to-classic proto icmp \
		src "$VM_IP/32" dst "$C1_IP/32" action deny
	log_test $? "add ACL: vpc-a prio 20 to-classic icmp vm1 -> i-linked deny"
	drop_test "vm1 -> i-linked ICMP: dropped by ACL, acl-deny +3" \
		"acl-deny:+3" "$vm1" "$C1_IP"
	clinkctl_gw acl del vpc vpc-a prio 20 && ping_all "$vm1" "$C1_IP"
	log_test $? "ACL rule deleted: vm1 -> i-linked ping passes again"
}

# -- ethtool -------------------------------------------------------------------

# ethtool -i names the driver, ethtool -S has the numbers clinkctl -s shows:
# the same drop counters by reason (as drop_REASON, "_" for "-") and the
# same traffic.  After test_drops, so that several are not 0.

# ethtool -S and clinkctl -s read one after the other: equal unless a
# packet came between them (wait_for tries again then).
__ethtool_matches()
{
	ip netns exec "$CLINK_NS" ethtool -S "$CLINK_DEV" >"$tmp/ethtool-S" || return 1
	awk '$1 ~ /^drop_/ { r = substr($1, 6); sub(/:$/, "", r); gsub("_", "-", r);
			      print r, $2 }' "$tmp/ethtool-S" | sort >"$tmp/ethtool-drops"
	awk '$1 ~ /^to_/ { print $1, $2 }' "$tmp/ethtool-S" >"$tmp/ethtool-traffic"
	drops_read | sort >"$tmp/clinkctl-drops"
	clinkctl_gw -j -s dev show "$CLINK_DEV" | jq -r '.[0].stats |
		"to_vpc_packets: \(.to_vpc_packets)", "to_vpc_bytes: \(.to_vpc_bytes)",
		"to_classic_packets: \(.to_classic_packets)",
		"to_classic_bytes: \(.to_classic_bytes)"' >"$tmp/clinkctl-traffic"
	cmp -s "$tmp/clinkctl-drops" "$tmp/ethtool-drops" &&
		cmp -s "$tmp/clinkctl-traffic" "$tmp/ethtool-traffic"
}

test_ethtool()
{
	local out version rc

	version=$(clinkctl_gw -j dev show "$CLINK_DEV" | jq -r '.[0].version')
	out=$(ip netns exec "$CLINK_NS" ethtool -i "$CLINK_DEV")
	grep -qx "driver: clink" <<<"$out" && grep -qx "version: $version" <<<"$out"
	rc=$?
	[ $rc -eq 0 ] || detail "$out"
	log_test $rc "ethtool -i: driver clink, version $version as dev show says"

	wait_for -t 10 __ethtool_matches &&
		[ "$(wc -l <"$tmp/ethtool-drops")" -eq "${#DROP_REASONS[@]}" ] &&
		[ "$(awk '$2 > 0' "$tmp/ethtool-drops" | wc -l)" -ge 3 ] &&
		! grep -q "packets: 0$" "$tmp/ethtool-traffic"
	rc=$?
	[ $rc -eq 0 ] || detail "$(diff -u "$tmp/clinkctl-drops" "$tmp/ethtool-drops"
		diff -u "$tmp/clinkctl-traffic" "$tmp/ethtool-traffic"; cat "$tmp/ethtool-S")"
	log_test $rc "ethtool -S: the traffic and every drop counter of clinkctl -s dev show"
}

# -- the reach prefix: what linked instances reach of vpc-a ---------------------

test_reach()
{
	clinkctl_gw vpc set vpc-a reach 172.16.0.0/24
	log_test $? "vpc-a reach 172.16.0.0/24 (vm1 inside)"
	drops_snapshot
	ping_all "$c1" "$VM_IP" && ping_all "$vm1" "$C1_IP" && check_drops ""
	log_test $? "inside the reach: i-linked <-> vm1 ping both ways, no drop"

	clinkctl_gw vpc set vpc-a reach 172.16.1.0/24
	log_test $? "vpc-a reach 172.16.1.0/24 (vm1 outside)"
	drop_test "i-linked -> vm1 outside the reach: dropped, outside-reach +3" \
		"outside-reach:+3" "$c1" "$VM_IP"
	pin_neigh "$vm1" "$C1_IP"
	drop_test "vm1 outside the reach -> i-linked: dropped, outside-reach +3" \
		"outside-reach:+3" "$vm1" "$C1_IP"

	clinkctl_gw vpc set vpc-a reach none && ping_all "$c1" "$VM_IP"
	log_test $? "reach none: i-linked -> vm1 ping again"
}

# -- changes take effect at once ---------------------------------------------------

# gone_test WHAT: right after a change, i-linked <-> vm1 is dropped both ways.
gone_test()
{
	local what=$1

	drops_snapshot
	ping_none "$c1" "$VM_IP" 1 && check_drops "no-link:+1"
	log_test $? "$what: i-linked -> vm1 dropped at once (no-link)"
	drops_snapshot
	ping_none "$vm1" "$C1_IP" 1 && check_drops "not-linked:+1"
	log_test $? "$what: vm1 -> i-linked dropped at once (not-linked)"
}

test_changes()
{
	clinkctl_gw link del i-linked
	log_test $? "unlink i-linked"
	gone_test "unlink"

	clinkctl_gw link add i-linked vpc vpc-a && ping_all "$c1" "$VM_IP" &&
		ping_all "$vm1" "$C1_IP"
	log_test $? "link i-linked again: ping both ways"

	clinkctl_gw instance set i-linked ip 10.1.0.8
	log_test $? "change the IP of i-linked to 10.1.0.8"
	gone_test "IP change"
	clinkctl_gw -j link show >"$tmp/links.json" &&
		jq -e 'map(select(.instance == "i-linked")) | length == 0' \
			"$tmp/links.json" >/dev/null &&
		jq -e 'map(select(.instance == "i-linked-b")) | length == 1' \
			"$tmp/links.json" >/dev/null
	log_test $? "IP change: link show lists i-linked-b but no more i-linked"

	clinkctl_gw instance set i-linked ip "$C1_IP" &&
		clinkctl_gw link add i-linked vpc vpc-a &&
		ping_all "$c1" "$VM_IP"
	log_test $? "restore the IP of i-linked and link it again"

	clinkctl_gw instance del i-linked
	log_test $? "delete instance i-linked"
	gone_test "instance delete"
}

test_ping
test_tcp
test_wire
test_overlap
test_drops
test_ethtool
test_reach
test_changes

dmesg_clean
log_test $? "no kernel warnings"

exit "$(ksft_status)"
