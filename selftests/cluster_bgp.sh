#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A cluster of two clink gateways behind a core router, fed from one etcd:
# clinkd on each gateway applies the cluster's records and installs the
# VPC route (proto clink), BIRD announces it and the shared anycast VTEP
# over BGP with BFD, the core installs both as ECMP routes.  Then the
# agents restart, etcd goes away for 30 s and a gateway dies, each under a
# steady probe stream.
#
#  classic         core (BIRD, ECMP)           fabric            gateways
#
#  c1 ------- c1 10.1.0.1/24                              +-- gw1 fab 192.168.10.11
#  10.1.0.5      |                                        |   clink0, clinkd, BIRD
#  i-classic     | fab 192.168.10.1/24 ---- ul: br0 ------+   vtep0 192.168.255.1/32
#                |   BGP AS 65000, BFD                    |
#                |   172.16.0.0/16    -> gw1, gw2         +-- gw2 fab 192.168.10.12
#                |   192.168.255.1/32 -> gw1, gw2         |   clink0, clinkd, BIRD
#                |                                        |   vtep0 192.168.255.1/32
#                | hv 192.168.100.1/24                    |
#                |                                        +-- ctl 192.168.10.100
#  hv ------------+                                            etcd (cluster "bgp")
#  ul0 192.168.100.2, vx100 (stock vxlan, VNI 100)
#    fdb 00:00:00:00:00:00 dst 192.168.255.1 (the cluster, one entry)
#    br0 -- vm1 172.16.0.10/16 02:00:00:00:00:10 (vpc-a)
#
# Every box is a netns.  The records in etcd: vpc-a (VNI 100,
# 172.16.0.0/16, ClassicLink on), vm1 as its endpoint, i-classic linked
# to it, the anycast VTEP as every gateway's VXLAN source.  The gateways
# reach everything else through a default route to the core.  Each runs
# Documentation/examples/bird.conf (AS 65001), the core
# Documentation/examples/bird-core.conf; only addresses and BFD timers
# are changed.
#
# Checks: both gateways hold the records and the route; the core learns
# the VPC CIDR and the anycast VTEP with both gateways as next hops; ping
# and 2 MB TCP both ways classic <-> VPC.  Under a probe stream classic ->
# VPC (200 packets/s, counted where it arrives): both agents restarted,
# no probe lost and no kernel object changed; etcd killed for 30 s, no
# probe lost, and a record written after it returns applied; the gateway
# carrying the stream killed (clinkd and BIRD killed, interfaces down):
# the loss window measured and bounded, then it comes back, rejoins ECMP
# and no probe is lost.  That the dead agent's registration expires is
# cluster_agent.sh's.

# Namespace names are setup_ns's; functions run through wait_for:
# shellcheck disable=SC2154,SC2317

cd "$(dirname "$0")" || exit 1
source ./lib.sh

CLINKD=${CLINKD:-clinkd}

require_clink
require_cmd bird birdc etcd curl "$CLINKD" tcpdump tshark socat md5sum

# BFD in the VM: 200 ms x 3, where the example says 100 ms x 3.  QEMU TCG
# on a shared host stalls the whole VM now and then (300 ms and more, many
# times a minute on a loaded machine: the "clocksource: Long readout
# interval" warnings); BFD then declares sessions dead that are not, and
# the 300 ms of the example flap too often to measure anything.  Set
# CLUSTER_BFD=100x3 to run the example's figures.
CLUSTER_BFD=${CLUSTER_BFD:-200x3}
BFD_INTERVAL=${CLUSTER_BFD%x*}
BFD_MULTIPLIER=${CLUSTER_BFD#*x}
BFD_MS=$((BFD_INTERVAL * BFD_MULTIPLIER))
# The failover bound: BFD's detection time, then BIRD withdraws the dead
# gateway's paths and rewrites the core's ECMP routes, which takes
# milliseconds on hardware but up to several hundred under QEMU TCG with
# two vCPUs shared by three BIRDs, tcpdump and the prober.  The issue's
# target is 1 s; 600 ms + 900 ms of TCG slack = 1.5 s.
FAILOVER_MAX_MS=${FAILOVER_MAX_MS:-$((BFD_MS + 900))}
PROBE_INTERVAL=0.005		# 200 probes/s asked, 100/s needed

CORE_FAB=192.168.10.1
GW1_FAB=192.168.10.11
GW2_FAB=192.168.10.12
CTL_FAB=192.168.10.100
CORE_CL=10.1.0.1
C1_IP=10.1.0.5
CORE_HV=192.168.100.1
HV_IP=192.168.100.2
VTEP=192.168.255.1
VPC_CIDR=172.16.0.0/16
VM_IP=172.16.0.10
VM_MAC=02:00:00:00:00:10
VM_MTU=1450
EXAMPLES=/clink/examples
CLUSTER=bgp
ETCD=http://$CTL_FAB:2379
[ -d "$EXAMPLES" ] || EXAMPLES=../Documentation/examples

tmp=$(mktemp -d)
defer rm -rf "$tmp"
mkdir -p /run/bird

# -- topology ------------------------------------------------------------------

# cable NS1 DEV1 NS2 DEV2: a veth pair, both ends up.
cable()
{
	ip -n "$1" link add "$2" type veth peer name "$4" netns "$3" &&
	ip -n "$1" link set "$2" up &&
	ip -n "$3" link set "$4" up
}

# router NS: forwards, no reverse path filter (VXLAN from the anycast
# address, decapsulated VM traffic).
router()
{
	ip netns exec "$1" sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
		>/dev/null
}

# gateway_add NS FAB_IP PORT: a gateway cabled to the fabric, with clink0
# and the anycast VTEP on vtep0.
gateway_add()
{
	local ns=$1 ip=$2 port=$3

	router "$ns" &&
	ip -n "$ul" link add "$port" type veth peer name fab netns "$ns" &&
	ip -n "$ul" link set "$port" master br0 up &&
	ip -n "$ns" addr add "$ip/24" dev fab &&
	ip -n "$ns" link set fab up &&
	ip -n "$ns" route add default via "$CORE_FAB" &&
	ip -n "$ns" link add vtep0 type dummy &&
	ip -n "$ns" addr add "$VTEP/32" dev vtep0 &&
	ip -n "$ns" link set vtep0 up &&
	"$CLINKCTL" -n "$ns" dev add clink0 local "$VTEP" region r1 &&
	ip -n "$ns" link set clink0 up
}

topo_create()
{
	setup_ns c1 core ul gw1 gw2 ctl hv vm1 || return 1

	router "$core" || return 1
	# VXLAN from one hypervisor to one anycast address: only the UDP
	# source port tells the flows apart.
	ip netns exec "$core" sysctl -qw net.ipv4.fib_multipath_hash_policy=1 ||
		return 1

	ip -n "$ul" link add br0 type bridge mcast_snooping 0 || return 1
	ip -n "$ul" link set br0 up
	ip -n "$ul" link add core type veth peer name fab netns "$core" || return 1
	ip -n "$ul" link set core master br0 up
	ip -n "$core" addr add "$CORE_FAB/24" dev fab
	ip -n "$core" link set fab up
	gateway_add "$gw1" "$GW1_FAB" gw1 || return 1
	gateway_add "$gw2" "$GW2_FAB" gw2 || return 1
	ip -n "$ul" link add ctl type veth peer name fab netns "$ctl" || return 1
	ip -n "$ul" link set ctl master br0 up
	ip -n "$ctl" addr add "$CTL_FAB/24" dev fab
	ip -n "$ctl" link set fab up

	cable "$core" c1 "$c1" eth0 || return 1
	ip -n "$core" addr add "$CORE_CL/24" dev c1
	ip -n "$c1" addr add "$C1_IP/24" dev eth0
	ip -n "$c1" route add default via "$CORE_CL" || return 1

	# The hypervisor: the stock vxlan device, flooding to the cluster's
	# one anycast VTEP.
	cable "$core" hv "$hv" ul0 || return 1
	ip -n "$core" addr add "$CORE_HV/24" dev hv
	ip -n "$hv" addr add "$HV_IP/24" dev ul0
	ip -n "$hv" route add default via "$CORE_HV" || return 1
	ip -n "$hv" link add vx100 type vxlan id 100 dstport 4789 \
		local "$HV_IP" dev ul0 nolearning || return 1
	ip -n "$hv" link add br0 type bridge mcast_snooping 0 || return 1
	ip -n "$hv" link set vx100 master br0 up
	ip -n "$hv" link add name vm type veth peer name eth0 netns "$vm1" ||
		return 1
	ip -n "$hv" link set vm master br0 up
	ip -n "$hv" link set br0 up
	bridge -n "$hv" fdb append 00:00:00:00:00:00 dev vx100 dst "$VTEP" ||
		return 1
	ip -n "$vm1" link set eth0 address "$VM_MAC" mtu "$VM_MTU" up
	ip -n "$vm1" addr add "$VM_IP/16" dev eth0
	# On-link: the VM ARPs for classic addresses, a gateway answers.
	ip -n "$vm1" route add 10.0.0.0/8 dev eth0
}

# -- etcd and clinkd --------------------------------------------------------------

etcd_start()
{
	bg_start ip netns exec "$ctl" etcd --name ctl --data-dir "$tmp/etcd/data" \
		--logger zap --log-level error \
		--listen-client-urls "$ETCD" --advertise-client-urls "$ETCD" \
		--listen-peer-urls http://127.0.0.1:2380 \
		--initial-advertise-peer-urls http://127.0.0.1:2380 \
		--initial-cluster ctl=http://127.0.0.1:2380 2>>"$tmp/etcd.log"
	ETCD_PID=$BG_PID
	wait_for -t 60 etcd_call /v3/kv/range '{"key":"AA=="}' >/dev/null
}

etcd_call()
{
	ip netns exec "$ctl" curl -sf --max-time 10 "$ETCD$1" -d "$2"
}

# "KEY<tab>VALUE" lines on stdin, KEY below /clink/bgp/, in one
# transaction.
put_all()
{
	local body

	body=$(jq -Rnc --arg pfx "/clink/$CLUSTER/" '{success: [inputs |
		split("\t") | {requestPut: {key: ($pfx + .[0] | @base64),
		value: (.[1:] | join("\t") | @base64)}}]}') &&
		etcd_call /v3/kv/txn "$body" >/dev/null
}

# The cluster's records, as clinkctl -E would write them.
cluster_records()
{
	put_all <<-EOF
	config/dev	{"dev-region":"r1","dev-local":"$VTEP","dev-classic-space":["10.0.0.0/8"]}
	config/vpc/vpc-a	{"vpc-id":"vpc-a","vpc-vni":100,"vpc-cidr":"$VPC_CIDR","vpc-region":"r1","vpc-account":"","vpc-classiclink":1}
	config/endpoint/vpc-a/$VM_IP	{"vpc-id":"vpc-a","ep-addr":"$VM_IP","ep-vtep":"$HV_IP","ep-mac":"$VM_MAC"}
	config/instance/i-classic	{"inst-id":"i-classic","inst-addr":"$C1_IP","inst-region":"r1","inst-account":""}
	config/link/i-classic	{"inst-id":"i-classic","vpc-id":"vpc-a"}
	EOF
}

declare -A CLINKD_PID=()

# clinkd_start NAME NS
clinkd_start()
{
	bg_start ip netns exec "$2" "$CLINKD" --etcd "$ETCD" --cluster "$CLUSTER" \
		--dev clink0 --name "$1" 2>>"$tmp/clinkd-$1.log"
	CLINKD_PID[$1]=$BG_PID
}

# has_config NS: what clinkd must have made of the records: vpc-a with
# ClassicLink, i-classic linked to it, vm1's endpoint, the route.
has_config()
{
	local v i l e

	read -r v i l e < <(CLINK_NS=$1 dev_counts)
	[ "$v $i $l" = "1 1 1" ] && [ "${e:-0}" -ge 1 ] &&
	[ "$("$CLINKCTL" -n "$1" -j instance show |
		jq -r '.[] | select(.id == "i-classic") | .vpc')" = vpc-a ] &&
	ip -n "$1" route show proto clink dev clink0 | grep -q "^$VPC_CIDR "
}

# has_counts NS "VPCS INSTANCES LINKS ENDPOINTS"
has_counts()
{
	[ "$(CLINK_NS=$1 dev_counts)" = "$2" ]
}

generation()
{
	"$CLINKCTL" -n "$1" -j dev show clink0 |
		jq -r '(if type == "array" then .[0] else . end).generation'
}

# -- BIRD ----------------------------------------------------------------------

# bird_conf NAME SRC ROUTER_ID: the example config, logging to a file.
bird_conf()
{
	sed -e "s/^router id .*/router id $3;/" \
	    -e "s/^define BFD_INTERVAL = [0-9]*;/define BFD_INTERVAL = $BFD_INTERVAL;/" \
	    -e "s/^define BFD_MULTIPLIER = [0-9]*;/define BFD_MULTIPLIER = $BFD_MULTIPLIER;/" \
	    -e "s|^log syslog all;|log \"$tmp/bird-$1.log\" all;|" "$2" \
		>"$tmp/bird-$1.conf"
}

declare -A BIRD_PID=()

# bird_start NAME NS: BIRD in NS, its socket /run/bird/NS.ctl.
bird_start()
{
	local name=$1 ns=$2

	bg_start ip netns exec "$ns" bird -f -c "$tmp/bird-$name.conf" \
		-s "/run/bird/$ns.ctl" 2>>"$tmp/bird-$name.err"
	BIRD_PID[$name]=$BG_PID
	defer rm -f "/run/bird/$ns.ctl"
	wait_for -t 10 test -S "/run/bird/$ns.ctl"
}

bird_cmd()
{
	birdc -s "/run/bird/$1.ctl" "${@:2}"
}

# nexthops NS PREFIX: the next hops of PREFIX in NS's main table, sorted.
nexthops()
{
	ip -n "$1" -j route show "$2" | jq -r '
		.[0] | if .nexthops then .nexthops[].gateway else .gateway // empty end' |
		sort | tr '\n' ' '
}

# core_has PREFIX HOPS...: the core routes PREFIX via exactly HOPS.
core_has()
{
	local prefix=$1 want

	shift
	want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
	__got=$(nexthops "$core" "$prefix")
	[ "$__got" = "$want" ]
}

check_core_route()
{
	local prefix=$1 t=$2

	shift 2
	wait_for -t "$t" core_has "$prefix" "$@" && return 0
	detail "core routes $prefix via '${__got}', expected '$*'"
	detail "$(ip -n "$core" route show)"
	bird_debug
	return 1
}

# What BIRD says, for a failing check: the core's sessions and what each
# BIRD logged (without BFD's chatter about packets of old sessions).
bird_debug()
{
	local f

	detail "$(bird_cmd "$core" show protocols)"
	detail "$(bird_cmd "$core" show bfd sessions)"
	for f in "$tmp"/bird-*.log; do
		[ -f "$f" ] || continue
		detail "${f##*/}:"
		detail "$(grep -v 'Bad packet' "$f" | tail -n 15)"
	done
}

bfd_up()
{
	[ "$(bird_cmd "$core" show bfd sessions | grep -c ' Up ')" -eq "$1" ]
}

# session NAME: "STATE SINCE" of the core's BGP session with NAME.
session()
{
	bird_cmd "$core" show protocols "$1" |
		awk -v n="$1" '$1 == n { print $6, $5 }'
}

steady()
{
	[[ "$(session gw1)" == Established* ]] &&
	[[ "$(session gw2)" == Established* ]] &&
	core_has "$VPC_CIDR" "$GW1_FAB" "$GW2_FAB" &&
	core_has "$VTEP" "$GW1_FAB" "$GW2_FAB"
}

# since_ms "STATE HH:MM:SS.mmm": the time in milliseconds of the day.
since_ms()
{
	local t=${1#* } h m sec

	IFS=: read -r h m sec <<<"$t"
	echo $(((10#$h * 3600 + 10#$m * 60 + 10#${sec%.*}) * 1000 + 10#${sec#*.}))
}

# same NAME WAS: the session with NAME is still the one that was up.
# BIRD prints "since" from its monotonic clock converted to the time of
# day when asked: the same session moves by a few milliseconds.
same()
{
	local now d

	now=$(session "$1")
	if [ "${now%% *}" = "${2%% *}" ]; then
		d=$(($(since_ms "$now") - $(since_ms "$2")))
		[ "${d#-}" -lt 500 ] && return 0
	fi
	disturbed="$1's session went from '$2' to '$now' (a BFD flap: the VM stalled for more than $BFD_MS ms)"
	return 1
}

# unflapped CMD...: CMD, run again once if it failed while a BGP session
# flapped on its own (see "failover" below): that measured the stall of
# the VM, not the cluster.
unflapped()
{
	local s1 s2

	s1=$(session gw1)
	s2=$(session gw2)
	"$@" && return 0
	same gw1 "$s1" && same gw2 "$s2" && return 1
	log_info "$disturbed while checking: once more"
	wait_for -t 60 steady && "$@"
}

# -- traffic -------------------------------------------------------------------

# tcp_2mb FROM TO DST PORT: 2 MB from FROM to a socat listener in TO.
tcp_2mb()
{
	local from=$1 to=$2 dst=$3 port=$4 pid a b

	dd if=/dev/urandom of="$tmp/tx" bs=65536 count=32 2>/dev/null
	rm -f "$tmp/rx"
	ip netns exec "$to" timeout 60 socat -u "TCP-LISTEN:$port,reuseaddr" \
		"CREATE:$tmp/rx" &
	pid=$!
	wait_for tcp_listening "$to" "$port" || { kill "$pid"; return 1; }
	ip netns exec "$from" timeout 60 socat -u "OPEN:$tmp/tx" "TCP:$dst:$port"
	wait "$pid"
	a=$(md5sum <"$tmp/tx")
	b=$(md5sum <"$tmp/rx" 2>/dev/null)
	[ "$a" = "$b" ] && return 0
	detail "TCP $from -> $dst:$port: received $(stat -c %s "$tmp/rx" 2>/dev/null) of 2097152 bytes, or different ones"
	return 1
}

# -- the probe stream --------------------------------------------------------------
#
# Echo requests c1 -> vm1 every PROBE_INTERVAL, captured on vm1's eth0,
# where the kernel stamps each arrival.  Busybox ping sends from its timer
# only (no -A: see issue 12 item 8).  Losses are counted by phase: the
# holes in the sequence numbers that reached vm1, each given to the phase
# in which the probe before it arrived, and those after the last one.
#
# A loss window is the probes lost divided by the probe rate measured
# before the first phase.  When the host deschedules the whole VM (QEMU
# TCG on a loaded machine), ping sends nothing either, so lost probes
# count the time the cluster took while the VM ran; the gap between the
# arrivals around a hole, also printed, adds the stalls.
#
# Such a stall longer than BFD's detection time also makes a session flap
# on its own, and its gateway's traffic moves.  A measurement during which
# a BGP session the test did not touch went down measured that, not what
# it meant to: it says so and is made again or skipped.

probe_start()
{
	capture_start "$vm1" eth0 "$tmp/probe.pcap" icmp and src "$C1_IP"
	bg_start ip netns exec "$c1" ping -q -i "$PROBE_INTERVAL" "$VM_IP" \
		>"$tmp/ping.out" 2>&1
	PROBE_PID=$BG_PID
	sleep 0.5
}

probe_stop()
{
	kill -INT "$PROBE_PID" 2>/dev/null
	wait "$PROBE_PID" 2>/dev/null
	capture_stop
	tshark -r "$tmp/probe.pcap" -Y 'icmp.type == 8' -T fields \
		-e frame.time_epoch -e icmp.seq 2>/dev/null |
		sort -k2,2n -u >"$tmp/probes"
}

# probe_phases T1 [T2...]: "RATE LOST0 GAP0 LOST1 GAP1 ..." where phase 0
# is before T1 (RATE is measured there), phase 1 from T1 to T2, ...; GAP
# is the longest time (ms) between two arrivals; the probes sent after the
# last one that arrived count in the last phase.
probe_phases()
{
	local sent

	sent=$(sed -n 's/^\([0-9]\+\) packets transmitted.*/\1/p' "$tmp/ping.out")
	awk -v b="$*" -v sent="${sent:-0}" '
	function phase(t,   i) {
		for (i = nb; i >= 1; i--)
			if (t >= B[i])
				return i
		return 0
	}
	BEGIN { nb = split(b, B, " ") }
	NR == 1 { first = $1 }
	$1 < B[1] { n0++ }
	NR > 1 {
		p = phase(t)
		if ($2 > seq + 1)
			lost[p] += $2 - seq - 1
		if (($1 - t) * 1000 > gap[p])
			gap[p] = ($1 - t) * 1000
	}
	{ t = $1; seq = $2 }
	END {
		if (sent > seq + 1)
			lost[nb] += sent - seq - 1
		printf "%d", (n0 > 1 && B[1] > first) ? (n0 - 1) / (B[1] - first) : 0
		for (i = 0; i <= nb; i++)
			printf " %d %d", lost[i], gap[i]
		printf "\n"
	}' "$tmp/probes"
}

# sessions_now, sessions_same: no BGP session went down in between.
sessions_now()
{
	S1=$(session gw1)
	S2=$(session gw2)
}

sessions_same()
{
	same gw1 "$S1" && same gw2 "$S2"
}

# -- the tests -----------------------------------------------------------------

if ! topo_create; then
	log_test 1 "build the topology"
	exit "$ksft_fail"
fi

# etcd's data on a tmpfs of its own: bbolt mmaps and fsyncs it.
mkdir -p "$tmp/etcd"
mount -t tmpfs -o size=256m tmpfs "$tmp/etcd" && defer umount -l "$tmp/etcd"
etcd_start && cluster_records
rc=$?
[ $rc -eq 0 ] || detail "$(tail -n 20 "$tmp/etcd.log")"
log_test $rc "etcd in the VM holds the cluster's records"
[ $rc -eq 0 ] || exit "$ksft_fail"

clinkd_start gw1 "$gw1"
clinkd_start gw2 "$gw2"
for g in gw1 gw2; do
	wait_for has_config "${!g}"
	rc=$?
	[ $rc -eq 0 ] || detail "$(cat "$tmp/clinkd-$g.log")"
	log_test $rc "clinkd on $g: the records in clink0, the route proto clink"
done

bird_conf gw1 "$EXAMPLES/bird.conf" "$GW1_FAB"
bird_conf gw2 "$EXAMPLES/bird.conf" "$GW2_FAB"
bird_conf core "$EXAMPLES/bird-core.conf" "$CORE_FAB"
if ! bird_start core "$core" || ! bird_start gw1 "$gw1" ||
   ! bird_start gw2 "$gw2"; then
	detail "$(cat "$tmp"/bird-*.err)"
	log_test 1 "BIRD starts on the core and both gateways"
	exit "$ksft_fail"
fi
log_test 0 "BIRD starts on the core and both gateways"

# Sessions that keep flapping on their own (VM stalls longer than BFD's
# detection time) never let the core see both gateways at once: nothing
# of what follows can be measured then.
if ! wait_for -t 120 steady &&
   [ "$(grep -c 'Cease' "$tmp/bird-core.log" "$tmp/bird-gw1.log" "$tmp/bird-gw2.log" |
	awk -F: '{ n += $2 } END { print n }')" -gt 2 ]; then
	bird_debug
	log_test "$ksft_skip" "BGP sessions keep flapping on their own (the VM stalls for more than $BFD_MS ms)"
	exit "$(ksft_status)"
fi
check_core_route "$VPC_CIDR" 10 "$GW1_FAB" "$GW2_FAB"
log_test $? "core: $VPC_CIDR by BGP via both gateways (ECMP)"
check_core_route "$VTEP" 10 "$GW1_FAB" "$GW2_FAB"
log_test $? "core: anycast VTEP $VTEP via both gateways (ECMP)"
rc=0
wait_for -t 20 bfd_up 2 || rc=1
[ $rc = 0 ] || detail "$(bird_cmd "$core" show bfd sessions)"
log_test $rc "core: BFD sessions up with both gateways"

wait_for -t 60 steady
unflapped ping_all "$c1" "$VM_IP" 5
log_test $? "classic c1 -> VPC vm1: ping through the cluster"
unflapped ping_all "$vm1" "$C1_IP" 5
log_test $? "VPC vm1 -> classic c1: ping through the cluster"
unflapped tcp_2mb "$c1" "$vm1" "$VM_IP" 5001
log_test $? "classic c1 -> VPC vm1: 2 MB over TCP"
unflapped tcp_2mb "$vm1" "$c1" "$C1_IP" 5002
log_test $? "VPC vm1 -> classic c1: 2 MB over TCP"

# probe_check WHAT LOST: the verdict on a stream that lost LOST probes, or
# a skip when a session flapped meanwhile.
probe_check()
{
	local what=$1 lost=$2

	if ! sessions_same; then
		log_test "$ksft_skip" "$what: a BGP session flapped on its own ($disturbed)"
		return
	fi
	[ "$lost" -eq 0 ] || detail "$lost probes lost"
	[ "$lost" -eq 0 ]
	log_test $? "$what"
}

# -- the agents restart ------------------------------------------------------------

# Both agents, one after the other: SIGTERM (the agent revokes its
# registration), start, wait until it has registered again, which it does
# once it has read and applied the records.  A restart with the same
# records changes no kernel object (the generation stays) and so never
# withdraws the route BIRD announces.
registered()
{
	[ -n "$(etcd_call /v3/kv/range "$(jq -nc --arg k "/clink/$CLUSTER/gateways/$1" \
		'{key: ($k | @base64)}')" | jq -r '.kvs[0].value // empty')" ]
}

restart_agents()
{
	local g rc=0

	for g in gw1 gw2; do
		bg_stop "${CLINKD_PID[$g]}"
		clinkd_start "$g" "${!g}"
		wait_for -t 60 registered "$g" || {
			rc=1
			detail "clinkd on $g did not register again: $(tail -n 5 "$tmp/clinkd-$g.log")"
		}
	done
	return $rc
}

test_restart()
{
	local gen1 gen2 t1 rc rate lost0 lost1

	if ! wait_for -t 30 steady; then
		log_test "$ksft_skip" "agents restarted: BGP sessions flapping on their own (VM stalls)"
		return
	fi
	gen1=$(generation "$gw1")
	gen2=$(generation "$gw2")
	sessions_now
	probe_start
	t1=$EPOCHREALTIME
	restart_agents
	log_test $? "both agents restarted under the probe stream"
	sleep 1
	probe_stop
	read -r rate lost0 _ lost1 _ < <(probe_phases "$t1")
	probe_check "agents restarted: no probe lost ($lost0 before, $lost1 during, $rate/s)" \
		$((lost0 + lost1))
	rc=0
	[ "$(generation "$gw1") $(generation "$gw2")" = "$gen1 $gen2" ] || {
		rc=1
		detail "generations $gen1 $gen2 -> $(generation "$gw1") $(generation "$gw2")"
	}
	log_test $rc "agents restarted: no kernel object changed (generations $gen1 $gen2)"
}

# -- etcd down for 30 s --------------------------------------------------------

# The data plane runs on the last good configuration: kill etcd, keep the
# stream going 30 s, start it again, then a new record (vm1 gets a second
# address) reaches both gateways.
test_etcd_down()
{
	local g t1 t2 rc rate lost0 lost1 lost2

	if ! wait_for -t 30 steady; then
		log_test "$ksft_skip" "etcd down 30 s: BGP sessions flapping on their own (VM stalls)"
		return
	fi
	sessions_now
	probe_start
	t1=$EPOCHREALTIME
	kill -9 "$ETCD_PID"
	wait "$ETCD_PID" 2>/dev/null
	sleep 30
	etcd_start
	t2=$EPOCHREALTIME
	put_all <<-EOF
	config/endpoint/vpc-a/172.16.0.11	{"vpc-id":"vpc-a","ep-addr":"172.16.0.11","ep-vtep":"$HV_IP","ep-mac":"$VM_MAC"}
	EOF
	rc=$?
	for g in gw1 gw2; do
		wait_for -t 60 has_counts "${!g}" "1 1 1 2" || {
			rc=1
			detail "$g: $(CLINK_NS=${!g} dev_counts) (vpcs instances links endpoints), $(tail -n 5 "$tmp/clinkd-$g.log")"
		}
	done
	log_test $rc "etcd back after 30 s: a new endpoint reaches both gateways"
	probe_stop
	read -r rate lost0 _ lost1 _ lost2 _ < <(probe_phases "$t1" "$t2")
	probe_check "etcd down 30 s: no probe lost ($lost1 while down, $lost2 after, $rate/s)" \
		$((lost0 + lost1 + lost2))
}

# -- failover ------------------------------------------------------------------

# to_vpc_packets NS: packets gateway NS has sent towards the VPC for
# i-classic.
to_vpc_packets()
{
	CLINK_NS=$1 link_traffic i-classic | awk '{ print $1 + 0 }'
}

# failover_attempt: 0 when measured, 2 when disturbed (see "the probe
# stream").  Sets vname, the fo_* and rj_* check results, and the probe
# figures.
failover_attempt()
{
	local a1 a2 b1 b2 sv victim other oname ofab t_kill t_back

	disturbed=
	wait_for -t 30 steady || { disturbed="no steady state in 30 s"; return 2; }
	sessions_now
	probe_start
	a1=$(to_vpc_packets "$gw1")
	a2=$(to_vpc_packets "$gw2")
	sleep 1
	b1=$(to_vpc_packets "$gw1")
	b2=$(to_vpc_packets "$gw2")
	if [ "$b1" -eq "$a1" ] && [ "$b2" -eq "$a2" ]; then
		disturbed="the probe stream went through neither gateway"
		probe_stop
		return 2
	fi
	if [ $((b1 - a1)) -gt $((b2 - a2)) ]; then
		vname=gw1 victim=$gw1 oname=gw2 other=$gw2 ofab=$GW2_FAB
	else
		vname=gw2 victim=$gw2 oname=gw1 other=$gw1 ofab=$GW1_FAB
	fi
	log_info "the probe stream goes through $vname (+$((b1 - a1)) / +$((b2 - a2)) packets on gw1 / gw2): killing it"

	# The gateway dies as a box does: its interfaces go down first, then
	# clinkd and BIRD die without a word.  In the other order the kernel
	# closes BIRD's BGP socket on the kill and its FIN reaches the core,
	# whose BIRD withdraws the routes at once: no probe is lost and BFD
	# is never tested (CI measured exactly that).  The fabric bridge
	# keeps the core's port up, so only BFD can tell.
	t_kill=$EPOCHREALTIME
	if ! sessions_same; then
		probe_stop
		return 2
	fi
	for dev in fab clink0 vtep0; do
		ip -n "$victim" link set "$dev" down
	done
	kill -9 "${BIRD_PID[$vname]}" "${CLINKD_PID[$vname]}"
	wait "${BIRD_PID[$vname]}" "${CLINKD_PID[$vname]}" 2>/dev/null
	check_core_route "$VPC_CIDR" 10 "$ofab"
	fo_route=$?
	check_core_route "$VTEP" 10 "$ofab"
	fo_vtep=$?
	sleep 1
	a1=$(to_vpc_packets "$other")
	sleep 0.5
	b1=$(to_vpc_packets "$other")
	fo_path=0
	[ "$b1" -gt "$a1" ] || {
		fo_path=1
		detail "$oname sent $a1 -> $b1 packets to the VPC"
	}

	# Back: interfaces up, the default route, clinkd (it installs the
	# route again: the device going down took it), then BIRD.
	t_back=$EPOCHREALTIME
	for dev in fab clink0 vtep0; do
		ip -n "$victim" link set "$dev" up
	done
	ip -n "$victim" route replace default via "$CORE_FAB"
	clinkd_start "$vname" "$victim"
	wait_for has_config "$victim"
	rj_config=$?
	bird_start "$vname" "$victim"
	check_core_route "$VPC_CIDR" 30 "$GW1_FAB" "$GW2_FAB"
	rj_route=$?
	check_core_route "$VTEP" 10 "$GW1_FAB" "$GW2_FAB"
	rj_vtep=$?
	sv=$(session "$vname")
	sleep 2
	probe_stop
	if [ "$oname" = gw1 ]; then
		same gw1 "$S1" || return 2
	else
		same gw2 "$S2" || return 2
	fi
	same "$vname" "$sv" || return 2

	read -r rate base_lost _ fo_lost gap_ms rj_lost _ < <(
		probe_phases "$t_kill" "$t_back")
	fo_ms=$(( ${rate:-0} > 0 ? ${fo_lost:-0} * 1000 / rate : 0 ))
	# A stream slower than asked measures nothing precise; a VM stalled
	# across the kill sends no probe until the core has rerouted:
	# nothing lost, nothing measured.
	if [ "${rate:-0}" -lt 100 ]; then
		disturbed="the VM sent only ${rate:-0} probes/s, fewer than 100"
		return 2
	fi
	if [ "${fo_lost:-0}" -eq 0 ] && [ "${gap_ms:-0}" -ge "$BFD_MS" ]; then
		disturbed="no probe lost but none arrived for $gap_ms ms: the VM stalled"
		return 2
	fi
	return 0
}

# failover_measure: one measured failover, three attempts at most, none
# started after 90 s; its checks.
failover_measure()
{
	local attempt deadline=$((SECONDS + 90)) rc

	for attempt in 1 2 3; do
		failover_attempt
		rc=$?
		[ $rc -eq 2 ] || break
		log_info "failover attempt $attempt disturbed: $disturbed"
		[ "$SECONDS" -lt "$deadline" ] || break
	done
	if [ $rc -eq 2 ]; then
		log_test "$ksft_skip" "failover: every attempt disturbed (VM stalls, see INFO)"
		return
	fi

	log_test "$fo_route" "failover: core routes $VPC_CIDR via the survivor only"
	log_test "$fo_vtep" "failover: core routes the anycast VTEP via the survivor only"
	log_test "$fo_path" "failover: the probe stream goes through the survivor"
	log_test "$rj_config" "rejoin: $vname's clinkd reinstalls the route"
	log_test "$rj_route" "rejoin: $vname back in ECMP for $VPC_CIDR"
	log_test "$rj_vtep" "rejoin: $vname back in ECMP for the anycast VTEP"

	: "${rate:=0}" "${base_lost:=0}" "${fo_lost:=0}"
	: "${gap_ms:=0}" "${rj_lost:=0}"
	# bench/run reads this line.
	log_info "probes: $rate/s before the kill, $base_lost lost before" \
		"it; failover: $fo_lost lost = $fo_ms ms" \
		"at that rate (arrival gap $gap_ms ms, BFD $BFD_MS ms);" \
		"rejoin: $rj_lost lost"

	rc=0
	[ "$base_lost" -eq 0 ] || { rc=1; detail "$base_lost probes lost before the kill"; }
	log_test $rc "no probe lost before the kill"
	rc=0
	if [ "$fo_lost" -eq 0 ]; then
		rc=1
		detail "no probe lost: the dead gateway did not carry the stream, or the core knew before BFD could"
	elif [ "$fo_ms" -gt "$FAILOVER_MAX_MS" ]; then
		rc=1
		detail "$fo_lost probes lost = $fo_ms ms, more than $FAILOVER_MAX_MS ms"
	fi
	log_test $rc "failover loss window $fo_ms ms <= $FAILOVER_MAX_MS ms (BFD $BFD_MS ms + TCG slack)"
	rc=0
	[ "$rj_lost" -eq 0 ] || { rc=1; detail "$rj_lost probes lost while $vname rejoined"; }
	log_test $rc "rejoin: no probe lost"
}

# CLUSTER_FAILOVERS=N: N failovers and nothing else (bench/run's
# "cluster" section).  The test keeps within its time: on a host so
# loaded that getting to the failover took more than 5 minutes, there is
# no time for a measurement either.
if [ -z "${CLUSTER_FAILOVERS:-}" ]; then
	test_restart
	test_etcd_down
fi
for ((i = 0; i < ${CLUSTER_FAILOVERS:-1}; i++)); do
	if [ "$SECONDS" -gt 300 ] && [ -z "${CLUSTER_FAILOVERS:-}" ]; then
		log_test "$ksft_skip" "failover: the VM is too slow (${SECONDS}s so far)"
		break
	fi
	failover_measure
done

dmesg_clean
log_test $? "no kernel warning"

exit "$(ksft_status)"
