#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ICMP injection through the gateway's own errors.  The topology of
# datapath.sh with one VPC:
#
#   c1 (i-linked 10.1.0.5) --+
#                            +-- br-classic 10.1.0.1 [gw] clink0 ul0 192.168.100.1
#   c2 (i-unlinked 10.1.0.6)-+                                   |
#      + 172.16.0.10/32                                   (ns ul) br0
#                                                                |
#        vm1 172.16.0.10 --- br0 --- vx100 (VNI 100) [hv1] ul0 192.168.100.2
#
# c2, an unlinked classic host, sends i-linked pings with vm1's address as
# source and TTL 1 through the gateway.  The gateway answers each with a
# Time Exceeded to 172.16.0.10, routed into clink0, quoting c2's bytes:
# clink must not carry it into the VPC (only fragmentation-needed, what
# path MTU discovery needs, may go), so hv1 never sees it on the underlay.
# With rp_filter=1 on the classic interface, as Documentation/clink.rst
# advises, the gateway does not even answer.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

require_clink
require_cmd tcpdump nstat

SPOOF=$VM_IP

tmp=$(mktemp -d)
defer rm -rf "$tmp"

if ! clink_topo_create 1 || ! clink_config 1; then
	log_test 1 "build the topology and configure the gateway"
	exit "$ksft_fail"
fi

ping_all "$c1" "$VM_IP" && ping_all "$vm1" "$C1_IP"
log_test $? "i-linked <-> vm1: ping both ways"

# c2 owns the spoofed address and reaches i-linked through the gateway.
ip -n "$c2" addr add "$SPOOF/32" dev eth0 &&
	ip -n "$c2" route add "$C1_IP/32" via "$GW_CLASSIC" src "$SPOOF"
log_test $? "c2 sends to i-linked from $SPOOF through the gateway"

time_excds()
{
	ip netns exec "$gw" nstat -asz IcmpOutTimeExcds |
		awk '$1 == "IcmpOutTimeExcds" { print $2 }'
}

# ICMP time exceeded inside VXLAN to the hypervisor: UDP header (8), VXLAN
# (8), inner Ethernet type at 28, inner IPv4 at 30 (protocol at 39), ICMP
# type at 50.
TE_FILTER="udp dst port $VXLAN_PORT and udp[28:2] = 0x0800 and udp[39] = 1 and udp[50] = 11"

# ttl1_attack WANT_DROPS: 3 pings from c2 with TTL 1; the gateway sends
# Time Exceeded for each unless rp_filter drops them first.  Sets SENT (how
# many the gateway sent) and SEEN (how many hv1 received in VXLAN).
ttl1_attack()
{
	local before rc=0

	before=$(time_excds)
	capture_start "$hv1" ul0 "$tmp/hv1.pcap" "$TE_FILTER" || rc=1
	drops_snapshot
	ip netns exec "$c2" ping -c 3 -i 0.2 -W 1 -t 1 -I "$SPOOF" "$C1_IP" \
		>/dev/null 2>&1
	check_drops "$1" || rc=1
	capture_stop
	SENT=$(($(time_excds) - before))
	SEEN=$(tcpdump -r "$tmp/hv1.pcap" -n 2>/dev/null | wc -l)
	return $rc
}

rc=0
ttl1_attack "no-link:+3" || rc=1
[ "$SENT" = 3 ] || {
	detail "the gateway sent $SENT Time Exceeded, expected 3"
	rc=1
}
[ "$SEEN" = 0 ] || {
	detail "hv1 received $SEEN Time Exceeded in VXLAN, expected none"
	rc=1
}
log_test $rc "TTL 1 from c2 as $SPOOF: Time Exceeded not sent into the VPC, no-link +3"

# The mitigation Documentation/clink.rst describes: rp_filter=1 on the
# classic interface drops the spoofed source before the gateway answers.
ip netns exec "$gw" sysctl -qw net.ipv4.conf.br-classic.rp_filter=1 >/dev/null
rc=0
ttl1_attack "" || rc=1
[ "$SENT" = 0 ] || {
	detail "with rp_filter=1 the gateway still sent $SENT Time Exceeded"
	rc=1
}
[ "$SEEN" = 0 ] || rc=1
log_test $rc "rp_filter=1: the spoofed packets never reach the gateway's ICMP"

drops_snapshot
ping_all "$c1" "$VM_IP" && ping_all "$vm1" "$C1_IP" && check_drops ""
log_test $? "rp_filter=1: i-linked <-> vm1 ping both ways"
ip netns exec "$gw" sysctl -qw net.ipv4.conf.br-classic.rp_filter=0 >/dev/null

# What path MTU discovery needs still goes: the gateway's frag-needed to
# vm1 for a packet too big for a smaller classic MTU.
frag_needed_to_vpc "the gateway's frag-needed still reaches vm1 (PMTU 1200), no drop"

dmesg_clean
log_test $? "no kernel warnings"

exit "$(ksft_status)"
