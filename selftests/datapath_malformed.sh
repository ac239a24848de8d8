#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Malformed and hostile VXLAN from the underlay.  The topology of
# datapath.sh with one VPC:
#
#   c1 (i-linked 10.1.0.5) --+
#                            +-- br-classic 10.1.0.1 [gw] clink0 ul0 192.168.100.1
#   c2 (i-unlinked 10.1.0.6)-+                                   |
#                                                         (ns ul) br0
#                                                                |
#        vm1 172.16.0.10 --- br0 --- vx100 (VNI 100) [hv1] ul0 192.168.100.2
#
# hv1 crafts datagrams byte by byte (bash, printf, dd; the VM has no
# python) and sends them over real UDP to 192.168.100.1:4789, from the VTEP
# address of vm1.  A well-formed one must be forwarded (so the crafting is
# right); each broken one must be dropped and counted under exactly one
# reason, once; and the gateway must go on forwarding afterwards.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

require_clink
require_cmd tcpdump dd od

if ! clink_topo_create 1 || ! clink_config 1; then
	log_test 1 "build the topology and configure the gateway"
	exit "$ksft_fail"
fi

ping_all "$c1" "$VM_IP" && ping_all "$vm1" "$C1_IP"
log_test $? "i-linked <-> vm1: ping both ways"

GWMAC=$(learned_gw_mac "$vm1" "$C1_IP")
[ -n "$GWMAC" ]
log_test $? "vm1 learned the gateway's MAC ($GWMAC)"
GWMAC=${GWMAC:-02:00:00:00:00:01}

# Frames as vm1 would send them: to the gateway's MAC, from vm1's.
eth_ip=$(hex_eth "$GWMAC" "$VM1_MAC" "08 00")

# ipv4_frame SRC [VERSION-IHL]: Ethernet + IPv4 + ICMP echo to i-linked.
ipv4_frame()
{
	echo "$eth_ip $(hex_ipv4 "$1" "$C1_IP" 01 "$(hex_icmp_echo 0x4242)" "${2:-45}")"
}
good_frame=$(ipv4_frame "$VM_IP")

# inject WHAT EXPECTED HEXBYTES: send one datagram from hv1; exactly the
# EXPECTED counters move.
inject()
{
	local what=$1 want=$2 bytes=$3

	drops_snapshot
	vxlan_send "$hv1" "$GW_UL" "$bytes" && check_drops "$want"
	log_test $? "$what"
}

tmp=$(mktemp -d)
defer rm -rf "$tmp"

# The control: crafted right, it reaches i-linked (echo id 0x4242).
rc=0
capture_start "$c1" eth0 "$tmp/good.pcap" -c 1 \
	"icmp[0] = 8 and icmp[4:2] = 0x4242 and src host $VM_IP" || rc=1
drops_snapshot
vxlan_send "$hv1" "$GW_UL" "$(hex_vxlan 100) $good_frame" || rc=1
wait_for -t 15 sh -c "! kill -0 $CAPTURE_PID 2>/dev/null" || {
	detail "i-linked did not receive the crafted echo request"
	rc=1
}
check_drops "" || rc=1
capture_stop
log_test $rc "crafted VXLAN frame (VNI 100, vm1 -> i-linked) is forwarded"

inject "VXLAN shorter than its header (4 bytes): malformed +1" \
	"malformed:+1" "08 00 00 00"
inject "VXLAN flags without the I bit: malformed +1" \
	"malformed:+1" "$(hex_vxlan 100 00) $good_frame"
inject "VXLAN reserved flag bit set: malformed +1" \
	"malformed:+1" "$(hex_vxlan 100 0c) $good_frame"
inject "VXLAN reserved bits after the flags set: malformed +1" \
	"malformed:+1" "$(hex_vxlan 100 08 "00 00 01") $good_frame"
inject "VXLAN reserved byte after the VNI set: malformed +1" \
	"malformed:+1" "$(hex_vxlan 100 08 "00 00 00" 01) $good_frame"
inject "inner frame shorter than Ethernet: malformed +1" \
	"malformed:+1" "$(hex_vxlan 100) $(hex_mac "$GWMAC")"
inject "inner IPv4 header truncated: malformed +1" \
	"malformed:+1" "$(hex_vxlan 100) $eth_ip 45 00 00 54 00 01 00 00 40 01"
inject "inner IPv4 header length 16 bytes: malformed +1" \
	"malformed:+1" "$(hex_vxlan 100) $(ipv4_frame "$VM_IP" 44)"
inject "unknown VNI 999: unknown-vni +1" \
	"unknown-vni:+1" "$(hex_vxlan 999) $good_frame"

# IPv6 (0x86dd): a header with no next header, to i-linked's mapped address.
ipv6="60 00 00 00 00 00 3b 40 fe 80 00 00 00 00 00 00 00 00 00 00 00 00 00 10"
ipv6+=" 00 00 00 00 00 00 00 00 00 00 ff ff 0a 01 00 05"
inject "inner IPv6 frame: not-ipv4 +1" \
	"not-ipv4:+1" "$(hex_vxlan 100) $(hex_eth "$GWMAC" "$VM1_MAC" "86 dd") $ipv6"

inject "inner source outside the VPC (192.0.2.1): spoofed-source +1" \
	"spoofed-source:+1" "$(hex_vxlan 100) $(ipv4_frame 192.0.2.1)"
inject "inner source in the classic space (10.1.0.6): spoofed-source +1" \
	"spoofed-source:+1" "$(hex_vxlan 100) $(ipv4_frame "$C2_IP")"
clinkctl_gw vpc cidr add vpc-a 172.17.0.0/16
log_test $? "add secondary CIDR 172.17.0.0/16 to vpc-a"
inject "inner source in a secondary CIDR: spoofed-source +1" \
	"spoofed-source:+1" "$(hex_vxlan 100) $(ipv4_frame 172.17.0.5)"

# Random garbage: every datagram dropped, each counted once.
drops_total()
{
	drops_read | awk '{ n += $2 } END { print n + 0 }'
}

garbage_counted()
{
	[ $(($(drops_total) - before)) -eq "$1" ]
}

before=$(drops_total)
ip netns exec "$hv1" bash -c 'dd if=/dev/urandom bs=7 count=100 2>/dev/null \
	>"/dev/udp/$1/$2"; dd if=/dev/urandom bs=200 count=100 2>/dev/null \
	>"/dev/udp/$1/$2"' _ "$GW_UL" "$VXLAN_PORT"
wait_for -t 20 garbage_counted 200
rc=$?
# None more than once: wait a little for late ones.
sleep 0.5
garbage_counted 200 || rc=1
[ $rc -eq 0 ] || detail "200 random datagrams moved the drop counters by" \
	"$(($(drops_total) - before)): $(drops_read | tr '\n' ' ')"
log_test $rc "200 random datagrams: all dropped and counted"

drops_snapshot
ping_all "$c1" "$VM_IP" && ping_all "$vm1" "$C1_IP" && check_drops ""
log_test $? "still forwarding: i-linked <-> vm1 ping both ways"

dmesg_clean
log_test $? "no kernel warnings"

exit "$(ksft_status)"
