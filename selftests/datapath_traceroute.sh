#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Traceroute from a VPC shows the gateway: a packet from a VPC to a linked
# instance whose TTL expires at the gateway is dropped (counted as ttl)
# and answered with ICMP time exceeded, in VXLAN with the VPC's VNI back to
# the sender's hypervisor, from the gateway's address towards the instance
# (10.1.0.1), within the kernel's ICMP rate limit.  The topology of
# datapath.sh with one VPC:
#
#   c1 (i-linked 10.1.0.5) --+
#                            +-- br-classic 10.1.0.1 [gw] clink0 ul0 192.168.100.1
#   c2 (i-unlinked 10.1.0.6)-+                                   |
#                                                         (ns ul) br0
#                                                                |
#        vm1 172.16.0.10 --- br0 --- vx100 (VNI 100) [hv1] ul0 192.168.100.2
#
# The gateway's namespace allows one ICMP message a second, in bursts of
# one (net.ipv4.icmp_msgs_per_sec, icmp_msgs_burst): each check that wants
# an answer waits a second first; a burst of 50 expired packets gets few.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

require_clink
require_cmd tcpdump tshark nstat

tmp=$(mktemp -d)
defer rm -rf "$tmp"

if ! clink_topo_create 1 || ! clink_config 1; then
	log_test 1 "build the topology and configure the gateway"
	exit "$ksft_fail"
fi

check "the gateway's ICMP budget: 1 message a second, bursts of 1" \
	ip netns exec "$gw" sysctl -qw net.ipv4.icmp_msgs_per_sec=1 \
	net.ipv4.icmp_msgs_burst=1

ping_all "$c1" "$VM_IP" && ping_all "$vm1" "$C1_IP"
log_test $? "i-linked <-> vm1: ping both ways"

# ICMP time exceeded inside VXLAN: UDP header (8), VXLAN (8), inner
# Ethernet type at 28, inner IPv4 at 30 (protocol at 39), ICMP type at 50.
TE_FILTER="udp dst port $VXLAN_PORT and udp[28:2] = 0x0800 and udp[39] = 1 and udp[50] = 11"

time_excds()
{
	ip netns exec "$gw" nstat -asz IcmpOutTimeExcds |
		awk '$1 == "IcmpOutTimeExcds" { print $2 }'
}

# -- one expired packet --------------------------------------------------------

sleep 1
before=$(time_excds)
capture_start "$hv1" ul0 "$tmp/hv1.pcap" udp dst port "$VXLAN_PORT" &&
	hv1_capture=$CAPTURE_PID &&
	capture_start "$vm1" eth0 "$tmp/vm1.pcap" icmp
log_test $? "capture on hv1's underlay and in vm1"
drops_snapshot
ip netns exec "$vm1" ping -c 1 -t 1 -W 2 "$C1_IP" >/dev/null 2>&1
check_drops "ttl:+1"
log_test $? "vm1 -> i-linked with TTL 1: dropped, counted as ttl +1"
capture_stop
CAPTURE_PID=$hv1_capture capture_stop

# Outer, inner and quoted headers, comma-separated in that order.
tshark -n -r "$tmp/hv1.pcap" -o ip.check_checksum:TRUE \
	-d "udp.port==$VXLAN_PORT,vxlan" -Y 'icmp.type == 11' -T fields \
	-e vxlan.vni -e eth.dst -e ip.src -e ip.dst -e ip.ttl -e icmp.type \
	-e icmp.code -e ip.checksum.status -e icmp.checksum.status \
	2>/dev/null >"$tmp/te.txt"
IFS=$'\t' read -r vni edst src dst ttl type code ipsum icmpsum <"$tmp/te.txt"
[ "$(wc -l <"$tmp/te.txt")" = 1 ]
log_test $? "hv1 received one ICMP time exceeded in VXLAN"
[ "$vni" = 100 ] && [ "${edst#*,}" = "$VM1_MAC" ]
log_test $? "... with vpc-a's VNI 100, to vm1's MAC (got $vni, $edst)"
[ "$src" = "$GW_UL,$GW_CLASSIC,$VM_IP" ] && [ "$dst" = "$HV1_UL,$VM_IP,$C1_IP" ]
log_test $? "... from $GW_CLASSIC (the gateway towards i-linked) to vm1, quoting vm1 -> i-linked (got $src -> $dst)"
[ "$type" = "11,8" ] && [ "$code" = "0,0" ] && [ "${ttl##*,}" = 1 ]
log_test $? "... type 11 code 0, the quoted header and echo request as sent, TTL 1 (got $type $code $ttl)"
[ "$ipsum" = "1,1,1" ] && [ "${icmpsum%%,*}" = 1 ]
log_test $? "... valid IPv4 and ICMP checksums (got ip $ipsum icmp $icmpsum)"
[ "$(tcpdump -r "$tmp/vm1.pcap" -n 'icmp[0] = 11' 2>/dev/null | wc -l)" = 1 ]
log_test $? "vm1 received it through its hypervisor's stock vxlan"
[ $(($(time_excds) - before)) = 1 ]
log_test $? "the gateway's IcmpOutTimeExcds counts it"

# -- traceroute ----------------------------------------------------------------

if ip netns exec "$vm1" traceroute --help 2>&1 | grep -q -- '-q'; then
	sleep 1
	out=$(ip netns exec "$vm1" traceroute -n -q 1 -w 2 -m 3 "$C1_IP" 2>&1)
	awk '$1 == 1 { h1 = $2 } $1 == 2 { h2 = $2 }
	     END { exit !(h1 == g && h2 == c) }' g="$GW_CLASSIC" c="$C1_IP" <<<"$out"
	rc=$?
	[ $rc -eq 0 ] || detail "$out"
	log_test $rc "traceroute from vm1: hop 1 $GW_CLASSIC (the gateway), hop 2 $C1_IP"
else
	log_test "$ksft_skip" "traceroute from vm1 (no traceroute in the VM)"
fi

# -- the rate limit ------------------------------------------------------------

sleep 1
before=$(time_excds)
capture_start "$hv1" ul0 "$tmp/burst.pcap" "$TE_FILTER"
drops_snapshot
t0=${EPOCHREALTIME/./}
ip netns exec "$vm1" ping -c 50 -i 0.02 -t 1 -W 1 "$C1_IP" >/dev/null 2>&1
t1=${EPOCHREALTIME/./}
check_drops "ttl:+50"
log_test $? "a burst of 50 expired packets: all dropped, ttl +50"
capture_stop
seen=$(tshark -n -r "$tmp/burst.pcap" -T fields -e frame.number 2>/dev/null | wc -l)
sent=$(($(time_excds) - before))
# One a second, and a third of the messages cost nothing (the kernel's
# icmp_global_consume() takes 0, 1 or 2 credits): three a second at most.
secs=$(((t1 - t0 + 999999) / 1000000))
max=$((3 * (secs + 1) + 3))
[ "$seen" -ge 1 ] && [ "$seen" -le "$max" ] && [ "$seen" -lt 50 ] &&
	[ "$sent" = "$seen" ]
log_test $? "... answered within the ICMP budget: $seen in ${secs}s (1..$max), as many as IcmpOutTimeExcds ($sent)"

ping_all "$vm1" "$C1_IP"
log_test $? "vm1 -> i-linked: ping still works"

dmesg_clean
log_test $? "no kernel warnings"

exit "$(ksft_status)"
