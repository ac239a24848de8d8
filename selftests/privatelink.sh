#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PrivateLink end to end: a consumer VM reaches a service of another VPC
# with the same CIDR through a VPC endpoint's IP; the gateway translates
# both addresses and ports (fullnat).
#
#   consumer                 gateway (ns gw)                provider
#   vpc-c VNI 100            clink0, VXLAN 4789             vpc-p VNI 200
#   account acct-c           192.168.100.1                  account acct-p
#
#   vm1 172.16.0.10 -- hv1 ---- ul (br0) ------------ hv2 -- vm2 172.16.0.10
#   (192.168.100.2)                                   (192.168.100.3)
#
#   vpce-tcp 172.16.2.1 -> svc-tcp tcp 8080 -> vm2:80   SNAT 172.16.1.1
#   vpce-udp 172.16.2.2 -> svc-udp udp 53   -> vm2:5353 SNAT 172.16.1.2
#
# vm1 talks to 172.16.2.x; vm2 sees 172.16.1.x as the source and answers
# it. The gateway answers both VMs' ARP for those addresses. (The classic
# side of clink_topo_create is there, unused.)
#
# Checks: ping, TCP with md5, UDP request/response through the endpoints;
# the VNIs, addresses and checksums on the underlay (tshark); a consumer no
# longer allowed is refused and counted packet for packet; deleting an
# endpoint ends its sessions; the netlink errors, by their text; save and
# replay.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

require_clink
require_cmd tcpdump tshark socat nc md5sum dd ss ethtool

tmp=$(mktemp -d)
defer rm -rf "$tmp"

EP_TCP=172.16.2.1
EP_UDP=172.16.2.2
SNAT_TCP=172.16.1.1
SNAT_UDP=172.16.1.2

pl_config()
{
	clinkctl_gw vpc add vpc-c vni 100 cidr "$VPC_CIDR" account acct-c &&
	clinkctl_gw vpc add vpc-p vni 200 cidr "$VPC_CIDR" account acct-p &&
	clinkctl_gw endpoint add vpc vpc-c "$VM_IP" vtep "$HV1_UL" mac "$VM1_MAC" &&
	clinkctl_gw endpoint add vpc vpc-p "$VM_IP" vtep "$HV2_UL" mac "$VM2_MAC" &&
	clinkctl_gw service add svc-tcp vpc vpc-p proto tcp port 8080 \
		backend "$VM_IP:80" snat "$SNAT_TCP" allow account acct-c &&
	clinkctl_gw service add svc-udp vpc vpc-p proto udp port 53 \
		backend "$VM_IP:5353" snat "$SNAT_UDP" allow vpc vpc-c &&
	clinkctl_gw vpce add vpce-tcp vpc vpc-c ip "$EP_TCP" service svc-tcp &&
	clinkctl_gw vpce add vpce-udp vpc vpc-c ip "$EP_UDP" service svc-udp
}

if ! clink_topo_create 2 || ! pl_config; then
	log_test 1 "build the topology and configure the gateway"
	exit "$ksft_fail"
fi

# -- netlink -----------------------------------------------------------------

# check_error WHAT EXPECTED CMD...: CMD fails with exactly "Error: EXPECTED".
check_error()
{
	local what=$1 want=$2 out

	shift 2
	if out=$("$@" 2>&1); then
		detail "succeeded: $out"
		log_test 1 "$what"
		return
	fi
	[ "$out" = "Error: $want" ]
	local rc=$?
	[ $rc -eq 0 ] || detail "got '$out'"
	log_test $rc "$what"
}

test_netlink()
{
	local rc

	clinkctl_gw vpc add vpc-x vni 300 cidr "$VPC_CIDR" account acct-x

	check_error "vpce outside the consumer CIDRs: refused" \
		"address 10.9.9.9 lies outside the CIDRs of VPC vpc-c" \
		clinkctl_gw vpce add e1 vpc vpc-c ip 10.9.9.9 service svc-tcp
	check_error "vpce of an unknown service: refused" \
		"service nope does not exist" \
		clinkctl_gw vpce add e1 vpc vpc-c ip 172.16.2.9 service nope
	check_error "vpce of another account, not allowed: refused" \
		"service svc-tcp does not allow account acct-x (VPC vpc-x)" \
		clinkctl_gw vpce add e1 vpc vpc-x ip 172.16.2.9 service svc-tcp
	check_error "vpce with an empty id: refused" \
		"an id cannot be empty" \
		clinkctl_gw vpce add "" vpc vpc-c ip 172.16.2.9 service svc-tcp
	check_error "vpce id taken: refused" \
		"VPC endpoint vpce-tcp already exists" \
		clinkctl_gw vpce add vpce-tcp vpc vpc-c ip 172.16.2.9 service svc-tcp
	check_error "vpce on a VM's address: refused" \
		"address $VM_IP of VPC vpc-c is already an endpoint" \
		clinkctl_gw vpce add e1 vpc vpc-c ip "$VM_IP" service svc-tcp
	check_error "vpce on another vpce's address: refused" \
		"address $EP_TCP of VPC vpc-c is already a VPC endpoint or SNAT address" \
		clinkctl_gw vpce add e1 vpc vpc-c ip "$EP_TCP" service svc-udp
	check_error "endpoint on a vpce's address: refused" \
		"address $EP_TCP of VPC vpc-c is a VPC endpoint or SNAT address" \
		clinkctl_gw endpoint add vpc vpc-c "$EP_TCP" vtep "$HV1_UL" \
		mac 02:00:00:00:00:99
	check_error "unknown vpce: del refused" \
		"VPC endpoint nope does not exist" \
		clinkctl_gw vpce del nope
	check_error "service with a backend outside the provider VPC: refused" \
		"backend 10.9.9.9 lies outside the CIDRs of VPC vpc-p" \
		clinkctl_gw service add s1 vpc vpc-p proto tcp port 1 \
		backend 10.9.9.9 snat 172.16.1.9
	check_error "service with a SNAT address taken: refused" \
		"address $SNAT_UDP of VPC vpc-p is already a VPC endpoint or SNAT address" \
		clinkctl_gw service add s1 vpc vpc-p proto tcp port 1 \
		backend "$VM_IP" snat "$SNAT_UDP"
	check_error "service of an unknown VPC: refused" \
		"VPC nope does not exist" \
		clinkctl_gw service add s1 vpc nope proto tcp port 1 \
		backend "$VM_IP" snat 172.16.1.9
	check_error "service in use: del refused" \
		"service svc-tcp has 1 VPC endpoints" \
		clinkctl_gw service del svc-tcp
	check_error "consumer VPC in use: del refused" \
		"VPC vpc-c has 0 services and 2 VPC endpoints" \
		clinkctl_gw vpc del vpc-c

	bg_start "$CLINKCTL" -n "$gw" monitor service vpce >"$tmp/monitor"
	MON_PID=$BG_PID
	sleep 1
	clinkctl_gw service add s1 vpc vpc-p proto udp port 7 backend "$VM_IP" \
		snat 172.16.1.9 allow vpc vpc-x &&
		clinkctl_gw vpce add e1 vpc vpc-x ip 172.16.2.9 service s1 &&
		clinkctl_gw vpce del e1 && clinkctl_gw service del s1
	log_test $? "a service allowing a VPC of another account by id: vpce added"
	clinkctl_gw vpc del vpc-x

	wait_for -t 10 grep -q "^service del s1 " "$tmp/monitor"
	bg_stop "$MON_PID"
	printf '%s\n' \
		"service add s1 vpc vpc-p proto udp port 7 backend $VM_IP:7 snat 172.16.1.9 allow vpc vpc-x accepting on vpces 0" \
		"vpce add e1 vpc vpc-x ip 172.16.2.9 service s1 state allowed sessions 0" \
		"vpce del e1 vpc vpc-x ip 172.16.2.9 service s1 state allowed sessions 0" \
		"service del s1 vpc vpc-p proto udp port 7 backend $VM_IP:7 snat 172.16.1.9 allow vpc vpc-x accepting on vpces 0" \
		>"$tmp/monitor.want"
	diff -u "$tmp/monitor.want" "$tmp/monitor" >"$tmp/monitor.diff"
	rc=$?
	[ $rc -eq 0 ] || detail "$(cat "$tmp/monitor.diff")"
	log_test $rc "monitor service vpce: one line per event"

	clinkctl_gw -j service show svc-tcp >"$tmp/svc.json" &&
		jq -e --arg b "$VM_IP:80" --arg s "$SNAT_TCP" '.[0] |
			.vpc == "vpc-p" and .proto == "tcp" and .port == 8080 and
			.backends == [$b] and .snat == [$s] and
			.allow_accounts == ["acct-c"] and .allow_vpcs == [] and
			.accepting == true and .vpces == 1' "$tmp/svc.json" >/dev/null
	rc=$?
	[ $rc -eq 0 ] || detail "$(cat "$tmp/svc.json")"
	log_test $rc "service show -j: every field of svc-tcp"

	clinkctl_gw vpce show vpce-udp >"$tmp/vpce.txt" &&
		grep -qx "vpce-udp vpc vpc-c ip $EP_UDP service svc-udp state allowed sessions 0" \
			"$tmp/vpce.txt"
	rc=$?
	[ $rc -eq 0 ] || detail "$(cat "$tmp/vpce.txt")"
	log_test $rc "vpce show: one line per VPC endpoint"
}

# -- traffic -----------------------------------------------------------------

# tcp_through SIZE_KB: SIZE_KB from vm1 to vm2:80 through vpce-tcp.
tcp_through()
{
	local a b

	dd if=/dev/urandom of="$tmp/tx" bs=1024 count="$1" 2>/dev/null
	rm -f "$tmp/rx"
	tcp_sink_start "$vm2" 80 "$tmp/rx" || { detail "no listener"; return 1; }
	if ! ip netns exec "$vm1" timeout 120 nc -w 10 "$EP_TCP" 8080 <"$tmp/tx"; then
		detail "nc to $EP_TCP:8080 failed"
		bg_stop "$SINK_PID"
		return 1
	fi
	WAIT_TIMEOUT=60 wait_exit "$SINK_PID"
	bg_stop "$SINK_PID"
	a=$(md5sum <"$tmp/tx")
	b=$(md5sum <"$tmp/rx")
	[ "$a" = "$b" ] && return 0
	detail "sent $(wc -c <"$tmp/tx") bytes ($a), received $(wc -c <"$tmp/rx") ($b)"
	return 1
}

# udp_ask TEXT: vm1 asks vm2's echo server through vpce-udp, from port 40000.
udp_ask()
{
	# shellcheck disable=SC2016
	bg_start ip netns exec "$vm2" socat -T 10 UDP4-LISTEN:5353,reuseaddr \
		SYSTEM:'read l; echo "pong $l"'
	UDP_PID=$BG_PID
	wait_for sh -c "ip netns exec $vm2 ss -Hlun 'sport = :5353' | grep -q ."
	ip netns exec "$vm1" timeout 10 socat -t 3 - \
		"UDP4:$EP_UDP:53,sourceport=40000" <<<"$1"
	bg_stop "$UDP_PID"
}

test_traffic()
{
	local got

	drops_snapshot
	ping_all "$vm1" "$EP_TCP" && check_drops ""
	log_test $? "vm1 -> vpce-tcp $EP_TCP: ping answered by vm2 of vpc-p"

	drops_snapshot
	tcp_through 256 && check_drops ""
	log_test $? "vm1 -> vpce-tcp: 256 KB over TCP to vm2:80, md5 matches"

	drops_snapshot
	got=$(udp_ask ping1)
	[ "$got" = "pong ping1" ] && check_drops ""
	local rc=$?
	[ $rc -eq 0 ] || detail "the answer was '$got'"
	log_test $rc "vm1 -> vpce-udp: UDP request to port 53, vm2:5353 answers"

	clinkctl_gw -j vpce show vpce-udp | jq -e '.[0].sessions == 1' >/dev/null
	log_test $? "vpce show: vpce-udp has one session"
}

# -- the bytes on the wire -----------------------------------------------------

test_wire()
{
	local rc=0 n f

	# Whole checksums on the wire: no offload left to do by the VMs.
	ip netns exec "$vm1" ethtool -K eth0 tx off >/dev/null 2>&1
	ip netns exec "$vm2" ethtool -K eth0 tx off >/dev/null 2>&1

	capture_start "$gw" ul0 "$tmp/wire.pcap" udp port "$VXLAN_PORT" || rc=1
	ping_all "$vm1" "$EP_TCP" || rc=1
	[ "$(udp_ask ping2)" = "pong ping2" ] || rc=1
	tcp_through 8 || rc=1
	capture_stop
	log_test $rc "capture ping, UDP and TCP through the endpoints on the underlay"

	f=(-n -r "$tmp/wire.pcap" -d "udp.port==$VXLAN_PORT,vxlan"
	   -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE
	   -o udp.check_checksum:TRUE)
	tshark "${f[@]}" -Y icmp -T fields -e vxlan.vni -e ip.src -e ip.dst \
		-e icmp.type 2>/dev/null | tr '\t' ' ' >"$tmp/icmp.txt"
	tshark "${f[@]}" -Y 'vxlan && (udp.port == 53 || udp.port == 5353)' \
		-T fields -e vxlan.vni -e ip.src -e ip.dst -e udp.srcport \
		-e udp.dstport 2>/dev/null | tr '\t' ' ' >"$tmp/udp.txt"

	for n in "100 $HV1_UL,$VM_IP $GW_UL,$EP_TCP 8" \
		 "200 $GW_UL,$SNAT_TCP $HV2_UL,$VM_IP 8" \
		 "200 $HV2_UL,$VM_IP $GW_UL,$SNAT_TCP 0" \
		 "100 $GW_UL,$EP_TCP $HV1_UL,$VM_IP 0"; do
		[ "$(grep -cxF "$n" "$tmp/icmp.txt")" -eq 3 ] && continue
		detail "expected 3 packets '$n'"
		rc=1
	done
	[ $rc -eq 0 ] || detail "$(cat "$tmp/icmp.txt")"
	log_test $rc "wire: ping is VNI 100 to $EP_TCP, VNI 200 from $SNAT_TCP, and back"

	rc=0
	grep -qx "100 $HV1_UL,$VM_IP $GW_UL,$EP_UDP [0-9]*,40000 $VXLAN_PORT,53" \
		"$tmp/udp.txt" &&
		grep -qx "200 $GW_UL,$SNAT_UDP $HV2_UL,$VM_IP [0-9]*,[0-9]* $VXLAN_PORT,5353" \
			"$tmp/udp.txt" &&
		grep -qx "200 $HV2_UL,$VM_IP $GW_UL,$SNAT_UDP [0-9]*,5353 $VXLAN_PORT,[0-9]*" \
			"$tmp/udp.txt" &&
		grep -qx "100 $GW_UL,$EP_UDP $HV1_UL,$VM_IP [0-9]*,53 $VXLAN_PORT,40000" \
			"$tmp/udp.txt" || rc=1
	[ $rc -eq 0 ] || detail "$(cat "$tmp/udp.txt")"
	log_test $rc "wire: UDP 40000 -> $EP_UDP:53 is $SNAT_UDP -> vm2:5353 on VNI 200, and back"

	n=$(tshark "${f[@]}" -Y 'vxlan.vni == 200 && tcp.dstport == 80 &&
		ip.src == '"$SNAT_TCP"' && tcp.checksum.status == 1' 2>/dev/null | wc -l)
	[ "$n" -gt 0 ]
	rc=$?
	[ $rc -eq 0 ] || detail "no TCP segment $SNAT_TCP -> vm2:80 with a good checksum"
	log_test $rc "wire: TCP to vm2:80 comes from $SNAT_TCP on VNI 200"

	# The inner layer's status is the last one of a field; the outer
	# UDP checksum of the hypervisors' vxlan is left to offload, so it
	# is not judged. 1 is good.  ARP inside VXLAN (a neighbour entry
	# revalidated during the capture, as on the slow debug kernel) has
	# no checksum to judge.
	tshark "${f[@]}" -Y 'vxlan && !arp' -T fields -e frame.number \
		-e ip.checksum.status -e tcp.checksum.status \
		-e udp.checksum.status -e icmp.checksum.status 2>/dev/null |
		awk -F'\t' -v out="$tmp/good.txt" '{
			n = split($2, ip, ","); split($4, udp, ",")
			l4 = $3 != "" ? $3 : $5 != "" ? $5 : udp[2]
			if (ip[n] == 1 && l4 == 1) good++; else print
		} END { print good + 0 >out }' >"$tmp/bad.txt"
	n=$(cat "$tmp/good.txt")
	[ ! -s "$tmp/bad.txt" ] && [ "$n" -gt 20 ]
	rc=$?
	[ $rc -eq 0 ] || detail "$n good; bad (frame ip tcp udp icmp): $(cat "$tmp/bad.txt")"
	log_test $rc "wire: every translated IP, TCP, UDP and ICMP checksum is valid"
}

# -- policy --------------------------------------------------------------------

test_not_allowed()
{
	local mac rc

	mac=$(learned_gw_mac "$vm1" "$EP_TCP")
	[ -n "$mac" ] && ip -n "$vm1" neigh replace "$EP_TCP" lladdr "$mac" \
		dev eth0 nud permanent

	clinkctl_gw service set svc-tcp allow none &&
		clinkctl_gw -j vpce show vpce-tcp |
		jq -e '.[0].state == "refused" and .[0].sessions == 0' >/dev/null
	log_test $? "service set svc-tcp allow none: vpce-tcp refused, its sessions end"

	drops_snapshot
	ping_none "$vm1" "$EP_TCP" 5 && check_drops "pl-not-allowed:+5"
	log_test $? "vm1 -> vpce-tcp no longer allowed: dropped, pl-not-allowed +5"

	clinkctl_gw service set svc-tcp allow account acct-c &&
		ping_all "$vm1" "$EP_TCP"
	log_test $? "allowed again: ping through vpce-tcp"

	clinkctl_gw service set svc-tcp accepting off &&
		drops_snapshot && ping_none "$vm1" "$EP_TCP" 2 &&
		check_drops "pl-not-allowed:+2"
	rc=$?
	clinkctl_gw service set svc-tcp accepting on
	log_test $rc "accepting off: new sessions refused, pl-not-allowed +2"

	drops_snapshot
	# shellcheck disable=SC2016
	ip netns exec "$vm1" bash -c 'echo x >"/dev/udp/$1/54"' _ "$EP_UDP"
	check_drops "pl-no-service:+1"
	log_test $? "vm1 -> vpce-udp on another port: dropped, pl-no-service +1"
}

test_delete()
{
	local port got rc

	capture_start "$gw" ul0 "$tmp/del.pcap" udp port "$VXLAN_PORT"
	got=$(udp_ask ping3)
	capture_stop
	# The SNAT port of vm1's session: where vm2 answered to.
	port=$(tshark -n -r "$tmp/del.pcap" -d "udp.port==$VXLAN_PORT,vxlan" \
		-Y 'vxlan.vni == 200 && udp.srcport == 5353' -T fields \
		-e udp.dstport 2>/dev/null | head -1 | cut -d, -f2)
	[ "$got" = "pong ping3" ] && [ -n "$port" ]
	log_test $? "UDP session of vm1 through vpce-udp (SNAT port $port)"

	clinkctl_gw vpce del vpce-udp &&
		! clinkctl_gw vpce show | grep -q vpce-udp
	log_test $? "delete vpce-udp"

	drops_snapshot
	ip netns exec "$vm2" timeout 5 socat -u - \
		"UDP4:$SNAT_UDP:${port:-1},sourceport=5353" <<<late
	check_drops "pl-no-session:+1"
	log_test $? "vm2's answer on the deleted endpoint's session: pl-no-session +1"
}

test_save()
{
	local rc

	clinkctl_gw save >"$tmp/save" &&
		grep -qx "service add svc-tcp vpc vpc-p proto tcp port 8080 backend $VM_IP:80 snat $SNAT_TCP allow account acct-c" \
			"$tmp/save" &&
		grep -qx "service add svc-udp vpc vpc-p proto udp port 53 backend $VM_IP:5353 snat $SNAT_UDP allow vpc vpc-c" \
			"$tmp/save" &&
		grep -qx "vpce add vpce-tcp vpc vpc-c ip $EP_TCP service svc-tcp" \
			"$tmp/save"
	rc=$?
	[ $rc -eq 0 ] || detail "$(cat "$tmp/save")"
	log_test $rc "save: service and vpce lines"

	# Deleting the device with its services, endpoints and sessions.
	ip -n "$gw" link del "$CLINK_DEV" &&
		ip -n "$gw" link add "$CLINK_DEV" type clink &&
		ip -n "$gw" link set "$CLINK_DEV" up &&
		clinkctl_gw -batch "$tmp/save" &&
		clinkctl_gw save | diff -u "$tmp/save" - >"$tmp/diff" &&
		ping_all "$vm1" "$EP_TCP"
	rc=$?
	[ $rc -eq 0 ] || detail "$(cat "$tmp/diff")"
	log_test $rc "delete clink0, replay the saved file: same configuration, ping works"
}

test_netlink
test_traffic
test_wire
test_not_allowed
test_delete
test_save

dmesg_clean
log_test $? "no kernel warnings"

exit "$(ksft_status)"
