#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Spoofed VXLAN sources: an underlay host that is not the VTEP of a VPC
# address must not speak for it.  The topology of datapath.sh with one VPC,
# plus an attacker on the underlay running the stock vxlan device:
#
#   c1 (i-linked 10.1.0.5) --+
#                            +-- br-classic 10.1.0.1 [gw] clink0 ul0 192.168.100.1
#   c2 (i-unlinked 10.1.0.6)-+                                   |
#                                                         (ns ul) br0
#                                                           |         |
#        vm1 172.16.0.10 --- br0 --- vx100 [hv1] 192.168.100.2    [atk] 192.168.100.66
#                                                                 vx100 (VNI 100)
#                                                                 172.16.0.10/16
#
# vpc-a's endpoint 172.16.0.10 lives behind hv1.  atk claims the same
# address on its own vxlan device (VNI 100, remote 192.168.100.1): its ARP
# requests and its packets to i-linked must be dropped as vtep-mismatch,
# never reach c1 nor be answered, while vm1 goes on talking to c1.  With
# "vtep-check off" atk gets through, as with any stock vxlan peer.  A
# device with a local address binds its UDP socket to it.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

require_clink
require_cmd tcpdump ss

ATK_UL=192.168.100.66

tmp=$(mktemp -d)
defer rm -rf "$tmp"

if ! clink_topo_create 1 || ! clink_config 1; then
	log_test 1 "build the topology and configure the gateway"
	exit "$ksft_fail"
fi

setup_ns atk || exit "$ksft_fail"
ip -n "$ul" link add name atk type veth peer name ul0 netns "$atk" &&
	ip -n "$ul" link set atk master br0 up &&
	ip -n "$atk" addr add "$ATK_UL/24" dev ul0 &&
	ip -n "$atk" link set ul0 up &&
	ip -n "$atk" link add vx100 type vxlan id 100 dstport "$VXLAN_PORT" \
		local "$ATK_UL" remote "$GW_UL" dev ul0 nolearning &&
	ip -n "$atk" link set vx100 mtu "$VM_MTU" up &&
	ip -n "$atk" addr add "$VM_IP/16" dev vx100 &&
	ip -n "$atk" route add 10.0.0.0/8 dev vx100
log_test $? "attacker on the underlay: stock vxlan, VNI 100, claims $VM_IP"

ping_all "$c1" "$VM_IP" && ping_all "$vm1" "$C1_IP"
log_test $? "i-linked <-> vm1: ping both ways"

GWMAC=$(learned_gw_mac "$vm1" "$C1_IP")
[ -n "$GWMAC" ]
log_test $? "vm1 learned the gateway's MAC ($GWMAC)"
GWMAC=${GWMAC:-02:00:00:00:00:01}

# Only vtep-mismatch moved, by at least one (ARP retries are the kernel's).
only_vtep_mismatch()
{
	__drops_got=$(drops_diff)
	[[ $__drops_got =~ ^vtep-mismatch:\+[0-9]+$ ]]
}

# The attacker's ARP for i-linked: dropped, never answered.
drops_snapshot
ping_none "$atk" "$C1_IP" 2
rc=$?
wait_for -t 10 only_vtep_mismatch || {
	detail "drop counters changed by '$__drops_got', expected vtep-mismatch only"
	rc=1
}
ip -n "$atk" neigh show "$C1_IP" dev vx100 | grep -q lladdr && {
	detail "the gateway answered the attacker's ARP: $(ip -n "$atk" neigh show "$C1_IP")"
	rc=1
}
log_test $rc "attacker's ARP for i-linked: no reply, vtep-mismatch"

# pings_seen FILE: echo requests from the VPC address in a capture.
pings_seen()
{
	tcpdump -r "$1" -n 2>/dev/null | grep -c 'ICMP echo request'
}

# attack WANT_SEEN WANT_DROPS: 3 echo requests from atk to i-linked, with
# the gateway's MAC pinned (no ARP); c1 sees WANT_SEEN of them.
attack()
{
	local rc=0 seen

	ip -n "$atk" neigh replace "$C1_IP" lladdr "$GWMAC" dev vx100 nud permanent
	capture_start "$c1" eth0 "$tmp/c1.pcap" "icmp and src host $VM_IP" || rc=1
	drops_snapshot
	ip netns exec "$atk" ping -c 3 -i 0.2 -W 1 "$C1_IP" >/dev/null 2>&1
	check_drops "$2" || rc=1
	capture_stop
	seen=$(pings_seen "$tmp/c1.pcap")
	[ "$seen" = "$1" ] || {
		detail "i-linked received $seen echo requests from $VM_IP, expected $1"
		rc=1
	}
	ip -n "$atk" neigh del "$C1_IP" dev vx100
	return $rc
}

attack 0 "vtep-mismatch:+3"
log_test $? "attacker's pings to i-linked: none arrive, vtep-mismatch +3"

# An address with no endpoint, from vm1's own VTEP; the gateway's MAC
# pinned, so that exactly the echo requests are counted.
ip -n "$vm1" addr add 172.16.0.11/16 dev eth0
ip -n "$vm1" neigh replace "$C1_IP" lladdr "$GWMAC" dev eth0 nud permanent
drops_snapshot
got=$(ping_recv "$vm1" "$C1_IP" 3 1 -I 172.16.0.11)
[ "$got" = 0 ] || detail "$got echo replies to 172.16.0.11, expected none"
[ "$got" = 0 ] && check_drops "vtep-mismatch:+3"
log_test $? "vm1 from 172.16.0.11 (no endpoint): dropped, vtep-mismatch +3"
ip -n "$vm1" addr del 172.16.0.11/16 dev eth0

drops_snapshot
ping_all "$c1" "$VM_IP" && ping_all "$vm1" "$C1_IP" && check_drops ""
log_test $? "legit traffic still flows: i-linked <-> vm1, no drops"

# Off: stock vxlan semantics, any VTEP speaks for any address.
rc=0
clinkctl_gw dev set "$CLINK_DEV" vtep-check off || rc=1
clinkctl_gw dev show "$CLINK_DEV" | grep -q ' vtep-check off' || rc=1
[ "$(clinkctl_gw -j dev show "$CLINK_DEV" | jq '.[0].vtep_check')" = false ] || rc=1
log_test $rc "dev set vtep-check off: shown as off"

attack 3 ""
log_test $? "vtep-check off: the attacker's pings reach i-linked"

clinkctl_gw dev set "$CLINK_DEV" vtep-check on &&
	[ "$(clinkctl_gw -j dev show "$CLINK_DEV" | jq '.[0].vtep_check')" = true ] &&
	! clinkctl_gw dev show "$CLINK_DEV" | grep -q vtep-check &&
	attack 0 "vtep-mismatch:+3"
log_test $? "vtep-check on again: the attack is dropped again"

out=$(clinkctl_gw dev add clink9 port 4790 vtep-check off 2>&1) &&
	[ "$(clinkctl_gw -j dev show clink9 | jq '.[0].vtep_check')" = false ] &&
	clinkctl_gw dev del clink9
rc=$?
[ $rc -eq 0 ] || detail "$out"
log_test $rc "dev add ... vtep-check off creates a device with the check off"

out=$(clinkctl_gw dev set "$CLINK_DEV" vtep-check maybe 2>&1)
[ $? -ne 0 ] && [[ $out == *'"vtep-check" takes on or off'* ]]
log_test $? "dev set vtep-check maybe: usage error"

# The UDP socket: bound to the local address once the device has one.
sock_addr()
{
	ip netns exec "$gw" ss -Huln "sport = :$VXLAN_PORT" | awk '{ print $4 }'
}

rc=0
[ "$(sock_addr)" = "0.0.0.0:$VXLAN_PORT" ] || {
	detail "without local: socket on $(sock_addr), expected 0.0.0.0:$VXLAN_PORT"
	rc=1
}
ip -n "$gw" link set "$CLINK_DEV" down &&
	clinkctl_gw dev set "$CLINK_DEV" local "$GW_UL" &&
	ip -n "$gw" link set "$CLINK_DEV" up || rc=1
# Bringing the device down removed its routes.
for p in "$VPC_CIDR" 172.17.0.0/16 192.168.50.0/24 198.51.100.0/24; do
	ip -n "$gw" route replace "$p" dev "$CLINK_DEV" || rc=1
done
[ "$(sock_addr)" = "$GW_UL:$VXLAN_PORT" ] || {
	detail "with local $GW_UL: socket on $(sock_addr)"
	rc=1
}
log_test $rc "local $GW_UL: the UDP socket is bound to it"

# A well-formed frame for vm1, sent by c2 to the gateway's classic address:
# nothing listens there any more, so no counter moves.
frame="$(hex_vxlan 100) $(hex_eth "$GWMAC" "$VM1_MAC" "08 00")"
frame+=" $(hex_ipv4 "$VM_IP" "$C1_IP" 01 "$(hex_icmp_echo 0x4242)")"
rc=0
capture_start "$c1" eth0 "$tmp/other.pcap" "icmp and src host $VM_IP" || rc=1
drops_snapshot
vxlan_send "$c2" "$GW_CLASSIC" "$frame" || rc=1
sleep 1
check_drops "" || rc=1
capture_stop
[ "$(pings_seen "$tmp/other.pcap")" = 0 ] || {
	detail "the frame sent to $GW_CLASSIC reached i-linked"
	rc=1
}
log_test $rc "VXLAN to the gateway's other address is not received"

drops_snapshot
ping_all "$c1" "$VM_IP" && ping_all "$vm1" "$C1_IP" && check_drops ""
log_test $? "with local set: i-linked <-> vm1 ping both ways"

# A cluster's anycast VTEP may be configured after clink0 is up (clinkd
# brings the device up before the address exists): the bind must not
# need the address yet.
rc=0
ip -n "$gw" link set "$CLINK_DEV" down &&
	clinkctl_gw dev set "$CLINK_DEV" local 192.0.2.99 &&
	ip -n "$gw" link set "$CLINK_DEV" up || rc=1
[ "$(sock_addr)" = "192.0.2.99:$VXLAN_PORT" ] || {
	detail "with local 192.0.2.99: socket on $(sock_addr)"
	rc=1
}
log_test $rc "local not configured on any interface yet: the device comes up bound to it"

dmesg_clean
log_test $? "no kernel warnings"

exit "$(ksft_status)"
