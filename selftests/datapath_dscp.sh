#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The outer DSCP of what the gateway encapsulates into a VPC: the inner
# packet's by default, the VPC's (vpc set V dscp N), a link's own (link
# replace I vpc V dscp N), and back to the inner one's (dscp inherit).
# The topology of datapath.sh with one VPC:
#
#   c1 (i-linked 10.1.0.5) --+
#                            +-- br-classic 10.1.0.1 [gw] clink0 ul0 192.168.100.1
#   c2 (i-unlinked 10.1.0.6)-+                                   |
#                                                         (ns ul) br0
#                                                                |
#        vm1 172.16.0.10 --- br0 --- vx100 (VNI 100) [hv1] ul0 192.168.100.2
#
# c1 sends UDP datagrams to vm1 with a chosen TOS byte (socat ip-tos);
# tshark decodes the gateway's VXLAN on ul0: the outer DSCP must be the one
# configured, the inner one untouched, and ECN copied from the inner header
# in every case.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

require_clink
require_cmd tcpdump tshark socat

tmp=$(mktemp -d)
defer rm -rf "$tmp"

if ! clink_topo_create 1 || ! clink_config 1; then
	log_test 1 "build the topology and configure the gateway"
	exit "$ksft_fail"
fi

ping_all "$c1" "$VM_IP"
log_test $? "i-linked -> vm1: ping"

# wire_ds TOS: one UDP datagram from c1 to vm1 with that TOS byte; prints
# "OUTER/INNER DSCP OUTER/INNER ECN VNI" as the underlay carries it.
wire_ds()
{
	capture_start "$gw" ul0 "$tmp/ds.pcap" \
		udp dst port "$VXLAN_PORT" and dst host "$HV1_UL" || return 1
	echo clink | ip netns exec "$c1" socat -u - \
		"UDP4-SENDTO:$VM_IP:9,ip-tos=$1" 2>/dev/null
	capture_stop
	tshark -n -r "$tmp/ds.pcap" -d "udp.port==$VXLAN_PORT,vxlan" \
		-Y 'udp.dstport == 9' -T fields -e ip.dsfield.dscp \
		-e ip.dsfield.ecn -e vxlan.vni 2>/dev/null | head -n 1 |
		tr '\t,' ' /'
}

# check_ds WHAT TOS WANT: the datagram with TOS leaves as WANT, no drop.
check_ds()
{
	local what=$1 tos=$2 want=$3 got rc=0

	drops_snapshot
	got=$(wire_ds "$tos")
	[ "$got" = "$want" ] || {
		detail "on the wire: '$got', expected '$want' (outer/inner DSCP, ECN, VNI)"
		rc=1
	}
	check_drops "" || rc=1
	log_test $rc "$what"
}

# DSCP 46 (EF) with ECT(1): 0xb9; DSCP 18 (AF21) with ECT(0): 0x4a.
check_ds "default: the outer DSCP is the inner one (46), ECN copied" \
	0xb9 "46/46 1/1 100"
check_ds "default: ... and for another packet (18)" 0x4a "18/18 2/2 100"

check "vpc set vpc-a dscp 10" clinkctl_gw vpc set vpc-a dscp 10
check_ds "vpc dscp 10: outer 10, inner 46 untouched, ECN copied" \
	0xb9 "10/46 1/1 100"
check_ds "vpc dscp 10: ... whatever the inner DSCP (0)" 0x00 "10/0 0/0 100"

check "link replace i-linked vpc vpc-a dscp 34" \
	clinkctl_gw link replace i-linked vpc vpc-a dscp 34
check_ds "link dscp 34 overrides the VPC's 10" 0xb9 "34/46 1/1 100"
check_ds "link dscp 34: ... whatever the inner DSCP (18)" 0x4a "34/18 2/2 100"

check "link replace i-linked vpc vpc-a dscp inherit" \
	clinkctl_gw link replace i-linked vpc vpc-a dscp inherit
check_ds "link dscp inherit: the inner DSCP, whatever the VPC says" \
	0xb9 "46/46 1/1 100"

check "link replace i-linked vpc vpc-a (no dscp)" \
	clinkctl_gw link replace i-linked vpc vpc-a
check_ds "link without its own dscp: the VPC's 10 again" 0xb9 "10/46 1/1 100"

check "vpc set vpc-a dscp inherit" clinkctl_gw vpc set vpc-a dscp inherit
check_ds "vpc dscp inherit: the inner DSCP again" 0xb9 "46/46 1/1 100"

# The gateway's own packets into the VPC follow the VPC's DSCP: an ARP
# reply is not IP, so the outer DS field is the DSCP alone (ECN 0).
check "vpc set vpc-a dscp 12" clinkctl_gw vpc set vpc-a dscp 12
ip -n "$vm1" neigh flush dev eth0
capture_start "$gw" ul0 "$tmp/arp.pcap" udp dst port "$VXLAN_PORT" || true
ping_all "$vm1" "$C1_IP"
rc=$?
capture_stop
got=$(tshark -n -r "$tmp/arp.pcap" -d "udp.port==$VXLAN_PORT,vxlan" \
	-Y 'arp.opcode == 2' -T fields -e ip.dsfield.dscp 2>/dev/null | head -n 1)
[ "$got" = 12 ] || { detail "ARP reply's outer DSCP: '$got'"; rc=1; }
log_test $rc "vpc dscp 12: the gateway's ARP reply carries it too"
check "vpc set vpc-a dscp inherit" clinkctl_gw vpc set vpc-a dscp inherit

# Bad input changes nothing: refused by clinkctl before the kernel, whose
# own check (and message) selftests/netlink.c covers.
run_err()
{
	{ clinkctl_gw "$@" >/dev/null; } 2>&1
	[ $? -eq 255 ]
}
out=$(run_err vpc set vpc-a dscp 64) &&
	[ "$(head -n 1 <<<"$out")" = 'Error: "dscp" takes 0..63 or inherit, not "64"' ] &&
	[ "$(wire_ds 0xb9)" = "46/46 1/1 100" ]
log_test $? "vpc set dscp 64: refused, Error: names the range, nothing changed"

dmesg_clean
log_test $? "no kernel warnings"

exit "$(ksft_status)"
