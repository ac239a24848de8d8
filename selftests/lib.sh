#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers for clink's shell selftests and demo/demo.sh.  Sourced, never run.
#
#   setup_ns VAR...		namespaces with unique names, deleted on exit
#   defer CMD...		run CMD at exit (last registered runs first)
#   log_test RC WHAT		"TEST: WHAT  [ OK ]" / [FAIL] / [SKIP]
#   detail TEXT		shown under the next TEST line if it fails
#   check WHAT CMD...		log_test of CMD's exit status, its output as detail
#   check_fail WHAT CMD...	CMD must fail
#   wait_for [-t S] CMD...	retry CMD until it succeeds (QEMU TCG is slow)
#   drop_count REASON		one drop counter of the gateway's clink0
#   drops_snapshot, drops_diff, check_drops	counter deltas, see below
#   check_counter R DELTA BEFORE	one counter moved by exactly DELTA
#   link_traffic INSTANCE	traffic counters of one link
#   dmesg_clean			no kernel splat since the test started
#   ping_recv NS DST [N] [W]	echo replies received out of N
#   ping_all, ping_none		all of them answered, none answered
#   capture_start/stop		tcpdump in a namespace, ready when it returns
#   tcp_sink_start, tcp_source_start	one-shot busybox nc servers
#   clink_topo_create [2]	the gateway topology, see datapath.sh
#   clink_gw_up, clink_config	clink0 with its routes, its configuration
#   hex_*, vxlan_send		craft packets byte by byte, send them over UDP
#
# Everything waits with timeouts and retries, never with long fixed sleeps:
# the same test runs on a laptop and under QEMU TCG.
#
# Namespace variables (gw, c1, ...) are assigned through setup_ns, and
# some variables are for the tests that source this file:
# shellcheck disable=SC2034,SC2154

ksft_pass=0
ksft_fail=1
ksft_skip=4

CLINKCTL=${CLINKCTL:-clinkctl}
CLINK_KO=${CLINK_KO:-/clink/clink.ko}
WAIT_TIMEOUT=${WAIT_TIMEOUT:-30}
VERBOSE=${VERBOSE:-0}

# One suffix per test run: all its namespaces end with it, so two runs (or
# a leftover of an aborted one) never collide.
NS_SUFFIX=${NS_SUFFIX:-$(printf '%04x%04x' $RANDOM $RANDOM)}

n_pass=0
n_fail=0
n_skip=0
__detail=

# -- cleanup -----------------------------------------------------------------

__defer=()

defer()
{
	local cmd

	printf -v cmd '%q ' "$@"
	__defer+=("$cmd")
}

defer_run()
{
	local i

	for ((i = ${#__defer[@]} - 1; i >= 0; i--)); do
		eval "${__defer[i]}" >/dev/null 2>&1
	done
	__defer=()
}
trap defer_run EXIT

# Start "$@" in the background, kill it at exit; its pid is in BG_PID.
# Its stdin is the caller's: bash gives background jobs /dev/null otherwise.
bg_start()
{
	"$@" <&0 &
	BG_PID=$!
	defer kill "$BG_PID"
}

# Stop a background process and reap it (SIGTERM, then SIGKILL).
bg_stop()
{
	local pid=$1 i

	kill "$pid" 2>/dev/null || return 0
	for i in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

# -- results -----------------------------------------------------------------

detail()
{
	__detail+="$*"$'\n'
}

log_test()
{
	local rc=$1 what=$2 res

	case "$rc" in
	0) res=" OK "; n_pass=$((n_pass + 1)) ;;
	"$ksft_skip") res="SKIP"; n_skip=$((n_skip + 1)) ;;
	*) res="FAIL"; n_fail=$((n_fail + 1)) ;;
	esac
	printf 'TEST: %-60s  [%s]\n' "$what" "$res"
	if [ -n "$__detail" ] && { [ "$res" = FAIL ] || [ "$VERBOSE" = 1 ]; }; then
		printf '%s' "$__detail" | sed 's/^/    /'
	fi
	__detail=
	return "$rc"
}

# check WHAT CMD...: CMD's exit status is the result of WHAT (0 OK, 4
# SKIP, anything else FAIL), its output the detail shown if it fails.
check()
{
	local what=$1 out rc

	shift
	out=$("$@" 2>&1)
	rc=$?
	[ -z "$out" ] || detail "$out"
	log_test "$rc" "$what"
}

# check_fail WHAT CMD...: WHAT passes if CMD fails.
check_fail()
{
	local what=$1 out

	shift
	if out=$("$@" 2>&1); then
		[ -z "$out" ] || detail "$out"
		detail "succeeded, expected to fail: $*"
		log_test 1 "$what"
		return 1
	fi
	log_test 0 "$what"
}

log_info()
{
	echo "INFO: $*"
}

# The kselftest exit status of the whole script.
ksft_status()
{
	if [ "$n_fail" -gt 0 ]; then
		echo "$ksft_fail"
	elif [ "$n_pass" -eq 0 ] && [ "$n_skip" -gt 0 ]; then
		echo "$ksft_skip"
	else
		echo "$ksft_pass"
	fi
}

skip_all()
{
	echo "SKIP: $*"
	exit "$ksft_skip"
}

require_cmd()
{
	local c

	for c; do
		command -v "$c" >/dev/null || skip_all "$c is not installed"
	done
}

# The module must be loaded (the runner insmods it) or loadable.
require_clink()
{
	require_cmd ip jq "$CLINKCTL"
	grep -q '^clink ' /proc/modules && return 0
	modprobe clink 2>/dev/null || insmod "$CLINK_KO" 2>/dev/null ||
		skip_all "clink module not available"
}

# -- waiting -----------------------------------------------------------------

# wait_for [-t SECONDS] CMD...: run CMD every 0.2 s until it succeeds.
wait_for()
{
	local timeout=$WAIT_TIMEOUT deadline

	if [ "$1" = -t ]; then
		timeout=$2
		shift 2
	fi
	deadline=$((SECONDS + timeout))
	until "$@"; do
		[ "$SECONDS" -lt "$deadline" ] || return 1
		sleep 0.2
	done
}

# -- namespaces --------------------------------------------------------------

# setup_ns VAR...: a netns named VAR-<suffix> for each VAR, whose name is
# stored in VAR.  IPv6 is off in all of them: router solicitations and MLD
# reports would reach the gateway and move its drop counters.
setup_ns()
{
	local var ns

	for var; do
		ns=$var-$NS_SUFFIX
		ip netns add "$ns" || return 1
		defer ip netns del "$ns"
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1 >/dev/null
		ip -n "$ns" link set lo up
		printf -v "$var" '%s' "$ns"
	done
}

# -- traffic -----------------------------------------------------------------

# ping_recv NS DST [COUNT] [WAIT] [ping options...]: prints how many of
# COUNT echo requests (0.2 s apart) were answered; WAIT is how long to wait
# for replies after the last one.
ping_recv()
{
	local ns=$1 dst=$2 count=${3:-3} wait=${4:-5}

	shift 4 2>/dev/null || shift $#
	ip netns exec "$ns" ping -c "$count" -i 0.2 -W "$wait" "$@" "$dst" 2>&1 |
		sed -n 's/.* \([0-9]\+\) \(packets \)\?received.*/\1/p' | grep . || echo 0
}

# ping_all NS DST [COUNT]: every echo request answered.
ping_all()
{
	local count=${3:-3} got

	got=$(ping_recv "$1" "$2" "$count" 10)
	[ "$got" = "$count" ] && return 0
	detail "ping $2 from $1: $got of $count replies"
	return 1
}

# ping_none NS DST [COUNT]: no echo request answered.
ping_none()
{
	local count=${3:-3} got

	got=$(ping_recv "$1" "$2" "$count" 1)
	[ "$got" = 0 ] && return 0
	detail "ping $2 from $1: $got of $count replies, expected none"
	return 1
}

# capture_start NS DEV FILE [FILTER...]: tcpdump into FILE, returns once it
# is capturing; the pid is in CAPTURE_PID.  -Z root: the capture directory
# is root's.
capture_start()
{
	local ns=$1 dev=$2 file=$3

	shift 3
	: >"$file.err"
	bg_start ip netns exec "$ns" tcpdump --immediate-mode -Z root -U -n -i "$dev" \
		-w "$file" "$@" 2>"$file.err"
	CAPTURE_PID=$BG_PID
	wait_for grep -q 'listening on' "$file.err"
}

capture_stop()
{
	sleep 0.3	# let the last packets reach the capture (-U flushes each)
	kill -INT "$CAPTURE_PID" 2>/dev/null
	wait "$CAPTURE_PID" 2>/dev/null
	return 0
}

# A TCP listener in NS on PORT that writes what it receives to OUT.  Its
# stdin is a FIFO that never ends: busybox nc shuts its sending side down
# at EOF on stdin, and the client would then stop sending early.
tcp_sink_start()
{
	local ns=$1 port=$2 out=$3 fifo=$3.fifo

	rm -f "$fifo"
	mkfifo "$fifo"
	bg_start ip netns exec "$ns" nc -l -p "$port" >"$out" <>"$fifo"
	SINK_PID=$BG_PID
	wait_for tcp_listening "$ns" "$port"
}

# A TCP listener that sends the contents of FILE to one client.
tcp_source_start()
{
	local ns=$1 port=$2 file=$3

	bg_start ip netns exec "$ns" nc -l -p "$port" <"$file"
	SOURCE_PID=$BG_PID
	wait_for tcp_listening "$ns" "$port"
}

tcp_listening()
{
	ip netns exec "$1" ss -Hltn "sport = :$2" 2>/dev/null | grep -q .
}

# Wait (at most WAIT_TIMEOUT) for a background process to exit.
wait_exit()
{
	wait_for sh -c "! kill -0 $1 2>/dev/null"
}

# -- the gateway's counters ----------------------------------------------------

# The drop reasons in the order of enum clink_drop_reason, named as
# clinkctl -s prints them.
DROP_REASONS=(no-link secondary-cidr no-transit acl-deny no-endpoint
	unknown-vni not-linked spoofed-source malformed not-ipv4 mtu no-route
	ttl nomem vtep-mismatch outside-reach pl-no-service pl-not-allowed
	pl-no-session pl-snat-exhausted pl-session-limit)

# The gateway's netns and device; set by clink_topo_create.
CLINK_NS=
CLINK_DEV=clink0

clinkctl_gw()
{
	"$CLINKCTL" -n "$CLINK_NS" "$@"
}

# "VPCS INSTANCES LINKS ENDPOINTS" of the device.
dev_counts()
{
	clinkctl_gw -j dev show "$CLINK_DEV" | jq -r '
		(if type == "array" then .[0] else . end)
		| "\(.vpcs) \(.instances) \(.links) \(.endpoints)"'
}

# Every drop counter of the device as "reason value" lines.  The one place
# that knows the layout of `clinkctl -j -s dev show`.
drops_read()
{
	clinkctl_gw -j -s dev show "$CLINK_DEV" | jq -r '
		(if type == "array" then .[0] else . end)
		| (.drops // .stats.drops // .drop_reasons // {})
		| to_entries[] | "\(.key | gsub("_"; "-")) \(.value)"'
}

drop_count()
{
	drops_read | awk -v r="$1" '$1 == r { print $2; found = 1 }
		END { if (!found) print "none" }'
}

declare -A DROPS0

# Remember every drop counter, for drops_diff.
drops_snapshot()
{
	local r v

	DROPS0=()
	while read -r r v; do
		DROPS0[$r]=$v
	done < <(drops_read)
	[ "${#DROPS0[@]}" -gt 0 ]
}

# The counters that changed since drops_snapshot, as "reason:+N ..." in the
# order of DROP_REASONS (and unknown ones after them).
drops_diff()
{
	local -A now=()
	local r v out=

	while read -r r v; do
		now[$r]=$v
	done < <(drops_read)
	for r in "${DROP_REASONS[@]}"; do
		[ -n "${now[$r]+x}" ] || { out+="$r:missing "; continue; }
		v=$((now[$r] - ${DROPS0[$r]:-0}))
		[ "$v" -eq 0 ] || out+="$r:+$v "
	done
	for r in "${!now[@]}"; do
		[[ " ${DROP_REASONS[*]} " == *" $r "* ]] && continue
		v=$((now[$r] - ${DROPS0[$r]:-0}))
		[ "$v" -eq 0 ] || out+="$r:+$v "
	done
	echo "${out% }"
}

__drops_match()
{
	__drops_got=$(drops_diff)
	[ "$__drops_got" = "$1" ]
}

# check_drops EXPECTED: the drop counters moved by exactly EXPECTED since
# drops_snapshot ("no-link:+3", "" for nothing), nothing else moved.  Waits
# for received packets still on their way.
check_drops()
{
	local want=$1

	wait_for -t 10 __drops_match "$want" && return 0
	detail "drop counters changed by '${__drops_got}', expected '${want}'"
	return 1
}

# frag_needed_to_vpc MESSAGE: with the classic side's MTU at 1200, vm1 sends
# 1300 bytes to c1; the gateway's own fragmentation-needed must reach vm1
# through clink (its route to c1 learns mtu 1200) and nothing be dropped.
# Path MTU discovery from a VPC black-holes otherwise.
frag_needed_to_vpc()
{
	local rc=0

	ip -n "$gw" link set br-classic mtu 1200 || rc=1
	drops_snapshot
	ip netns exec "$vm1" bash -c 'dd if=/dev/zero bs=1300 count=1 2>/dev/null \
		>"/dev/udp/$1/9"' _ "$C1_IP" || rc=1
	wait_for -t 10 sh -c "ip -n $vm1 route get $C1_IP | grep -q 'mtu 1200'" || rc=1
	[ $rc -eq 0 ] || detail "vm1's route: $(ip -n "$vm1" route get "$C1_IP")"
	check_drops "" || rc=1
	log_test $rc "$1"
	ip -n "$gw" link set br-classic mtu 1500
}

# check_counter REASON EXPECTED_DELTA BEFORE: one counter, by its value.
check_counter()
{
	local reason=$1 delta=$2 before=$3 now

	now=$(drop_count "$reason")
	[ "$now" != none ] && [ $((now - before)) -eq "$delta" ] && return 0
	detail "drop counter $reason: $before -> $now, expected +$delta"
	return 1
}

# link_traffic INSTANCE: "to-vpc-packets to-vpc-bytes to-classic-packets
# to-classic-bytes" of the instance's link.
link_traffic()
{
	clinkctl_gw -j -s link show | jq -r --arg i "$1" '
		.[] | select(.instance == $i) | .stats |
		"\(.to_vpc_packets) \(.to_vpc_bytes) \(.to_classic_packets) \(.to_classic_bytes)"'
}

# The kernel log since the test started has no splat: no line matching
# splat-patterns, the list vm/summarize and the C fuzzers use too.
DMESG_MARK=$(dmesg 2>/dev/null | wc -l)
SPLAT_PATTERNS=${SPLAT_PATTERNS:-$(dirname "${BASH_SOURCE[0]}")/splat-patterns}

dmesg_clean()
{
	local bad

	if [ ! -r "$SPLAT_PATTERNS" ]; then
		detail "cannot read the splat patterns $SPLAT_PATTERNS"
		return 1
	fi
	bad=$(dmesg | tail -n +$((DMESG_MARK + 1)) |
		grep -E -f <(grep -Ev '^[[:space:]]*(#|$)' "$SPLAT_PATTERNS"))
	[ -z "$bad" ] && return 0
	detail "$bad"
	return 1
}

# -- the topology ------------------------------------------------------------

# Addresses of the topology drawn in datapath.sh.
GW_CLASSIC=10.1.0.1
C1_IP=10.1.0.5			# i-linked, linked to the first VPC
C2_IP=10.1.0.6			# i-unlinked
C3_IP=10.1.0.7			# i-linked-b, linked to the second VPC
GW_UL=192.168.100.1
HV1_UL=192.168.100.2
HV2_UL=192.168.100.3
VPC_CIDR=172.16.0.0/16		# the primary CIDR of both VPCs
VM_IP=172.16.0.10		# vm1 and vm2 alike
VM1_MAC=02:00:00:00:00:10
VM2_MAC=02:00:00:00:00:20
VXLAN_PORT=4789
VM_MTU=1450			# 1500 - VXLAN overhead: the hypervisor's bridge
				# holds the 1450-byte vxlan device

# classic_add NS IP PORT: a classic instance in NS, cabled to the gateway's
# classic bridge by a veth (PORT on the gateway side).
classic_add()
{
	local ns=$1 ip=$2 port=$3

	ip -n "$gw" link add name "$port" type veth peer name eth0 netns "$ns" &&
	ip -n "$gw" link set "$port" master br-classic up &&
	ip -n "$ns" addr add "$ip/24" dev eth0 &&
	ip -n "$ns" link set eth0 up &&
	ip -n "$ns" route add default via "$GW_CLASSIC"
}

# hypervisor_add HV VM UL_IP PORT VNI VM_MAC: a VPC hypervisor with the stock
# vxlan device bridged to one VM.  The hypervisor floods unknown and
# broadcast frames to the gateway, as a VPC's controller would program it.
hypervisor_add()
{
	local hv=$1 vm=$2 ul_ip=$3 port=$4 vni=$5 mac=$6

	ip -n "$ul" link add name "$port" type veth peer name ul0 netns "$hv" &&
	ip -n "$ul" link set "$port" master br0 up &&
	ip -n "$hv" addr add "$ul_ip/24" dev ul0 &&
	ip -n "$hv" link set ul0 up &&
	ip -n "$hv" link add "vx$vni" type vxlan id "$vni" dstport "$VXLAN_PORT" \
		local "$ul_ip" dev ul0 nolearning &&
	ip -n "$hv" link add br0 type bridge mcast_snooping 0 &&
	ip -n "$hv" link set "vx$vni" master br0 up &&
	ip -n "$hv" link add name vm type veth peer name eth0 netns "$vm" &&
	ip -n "$hv" link set vm master br0 up &&
	ip -n "$hv" link set br0 up &&
	bridge -n "$hv" fdb append 00:00:00:00:00:00 dev "vx$vni" dst "$GW_UL" &&
	ip -n "$vm" link set eth0 address "$mac" mtu "$VM_MTU" up &&
	ip -n "$vm" addr add "$VM_IP/16" dev eth0 &&
	# On-link: the VM ARPs for classic addresses, the gateway answers.
	ip -n "$vm" route add 10.0.0.0/8 dev eth0
}

# clink_gw_up: clink0 in the gateway, up, with the routes that bring
# classic traffic to it: the VPC CIDR, and (so that policy, not routing,
# drops them) the secondary CIDR, a prefix behind a custom route and one
# outside any VPC.
clink_gw_up()
{
	local p

	ip -n "$gw" link add "$CLINK_DEV" type clink || return 1
	ip -n "$gw" link set "$CLINK_DEV" up || return 1
	for p in "$VPC_CIDR" 172.17.0.0/16 192.168.50.0/24 198.51.100.0/24; do
		ip -n "$gw" route add "$p" dev "$CLINK_DEV" || return 1
	done
}

# clink_topo_create [NVPC]: build the namespaces and cables drawn in
# datapath.sh, with clink0 up but not configured.  NVPC=2 adds the second
# VPC (hv2, vm2) and the classic instance linked to it (c3).
#
# Sets: c1 c2 gw ul hv1 vm1, and with NVPC=2 c3 hv2 vm2 (namespace names).
clink_topo_create()
{
	local nvpc=${1:-1}

	setup_ns gw ul c1 c2 hv1 vm1 || return 1
	if [ "$nvpc" -ge 2 ]; then
		setup_ns c3 hv2 vm2 || return 1
	fi
	CLINK_NS=$gw

	# The gateway: a router between the classic bridge and the underlay.
	ip netns exec "$gw" sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
		>/dev/null || return 1
	# No multicast snooping on any bridge: a snooping bridge joins
	# 224.0.0.106 and its IGMP reports would reach the gateway.
	ip -n "$gw" link add br-classic type bridge mcast_snooping 0 || return 1
	ip -n "$gw" addr add "$GW_CLASSIC/24" dev br-classic
	ip -n "$gw" link set br-classic up

	classic_add "$c1" "$C1_IP" c1 || return 1
	classic_add "$c2" "$C2_IP" c2 || return 1
	if [ "$nvpc" -ge 2 ]; then
		classic_add "$c3" "$C3_IP" c3 || return 1
	fi

	# The underlay: one L2 segment for the gateway and the hypervisors.
	ip -n "$ul" link add br0 type bridge mcast_snooping 0 || return 1
	ip -n "$ul" link set br0 up
	ip -n "$ul" link add name gw type veth peer name ul0 netns "$gw" || return 1
	ip -n "$ul" link set gw master br0 up
	ip -n "$gw" addr add "$GW_UL/24" dev ul0
	ip -n "$gw" link set ul0 up

	hypervisor_add "$hv1" "$vm1" "$HV1_UL" hv1 100 "$VM1_MAC" || return 1
	if [ "$nvpc" -ge 2 ]; then
		hypervisor_add "$hv2" "$vm2" "$HV2_UL" hv2 200 "$VM2_MAC" || return 1
	fi

	clink_gw_up
}

# clink_config [NVPC]: the gateway's configuration for the tests.
#   vpc-a  vni 100, 172.16.0.0/16, endpoint vm1, i-linked (10.1.0.5) linked
#   vpc-b  vni 200, 172.16.0.0/16, endpoint vm2, i-linked-b (10.1.0.7) linked
#   i-unlinked (10.1.0.6) exists, linked nowhere.
clink_config()
{
	local nvpc=${1:-1}

	clinkctl_gw vpc add vpc-a vni 100 cidr "$VPC_CIDR" &&
	clinkctl_gw endpoint add vpc vpc-a "$VM_IP" vtep "$HV1_UL" mac "$VM1_MAC" &&
	clinkctl_gw vpc set vpc-a classiclink on &&
	clinkctl_gw instance add i-linked ip "$C1_IP" &&
	clinkctl_gw instance add i-unlinked ip "$C2_IP" &&
	clinkctl_gw link add i-linked vpc vpc-a || return 1
	[ "$nvpc" -ge 2 ] || return 0
	clinkctl_gw vpc add vpc-b vni 200 cidr "$VPC_CIDR" &&
	clinkctl_gw endpoint add vpc vpc-b "$VM_IP" vtep "$HV2_UL" mac "$VM2_MAC" &&
	clinkctl_gw vpc set vpc-b classiclink on &&
	clinkctl_gw instance add i-linked-b ip "$C3_IP" &&
	clinkctl_gw link add i-linked-b vpc vpc-b
}

# The gateway's MAC as a VPC VM learns it from ARP, after talking to a
# linked instance; empty if it has no entry.
learned_gw_mac()
{
	ip -n "$1" neigh show "$2" dev eth0 |
		sed -n 's/.* lladdr \([0-9a-f:]\+\).*/\1/p'
}

# -- crafting VXLAN packets (no scapy in the VM) -------------------------------
#
# Packets are strings of hex bytes ("08 00 ..."); vxlan_send writes one as a
# single UDP datagram.  Not printf straight to /dev/udp: bash flushes its
# output at every 0x0a byte, which would split the datagram.

hex_ip()
{
	local IFS=.

	# shellcheck disable=SC2086
	set -- $1
	printf '%02x %02x %02x %02x' "$1" "$2" "$3" "$4"
}

hex_mac()
{
	echo "${1//:/ }"
}

hex_u16()
{
	printf '%02x %02x' $(($1 >> 8 & 0xff)) $(($1 & 0xff))
}

hex_str()
{
	printf '%s' "$1" | od -An -tx1 -v | tr -s ' \n' '  ' | sed 's/^ //; s/ $//'
}

# The Internet checksum of hex bytes, as two hex bytes.
hex_csum()
{
	local -a b
	local sum=0 i

	read -ra b <<<"$*"
	[ $((${#b[@]} % 2)) -eq 0 ] || b+=(00)
	for ((i = 0; i < ${#b[@]}; i += 2)); do
		sum=$((sum + 0x${b[i]}${b[i + 1]}))
	done
	while ((sum >> 16)); do
		sum=$(((sum & 0xffff) + (sum >> 16)))
	done
	hex_u16 $((~sum & 0xffff))
}

# An ICMP echo request with identifier ID.
hex_icmp_echo()
{
	local id=$1 body

	body="$(hex_u16 "$id") 00 01 $(hex_str "clink selftest")"
	echo "08 00 $(hex_csum "08 00 00 00 $body") $body"
}

# hex_ipv4 SRC DST PROTO PAYLOAD [VERSION-IHL]: an IPv4 packet, right
# checksum, TTL 64.
hex_ipv4()
{
	local src=$1 dst=$2 proto=$3 payload=$4 vihl=${5:-45}
	local -a p
	local a b

	read -ra p <<<"$payload"
	a="$vihl 00 $(hex_u16 $((20 + ${#p[@]}))) 00 01 00 00 40 $proto"
	b="$(hex_ip "$src") $(hex_ip "$dst")"
	echo "$a $(hex_csum "$a 00 00 $b") $b $payload"
}

# hex_eth DST SRC TYPE
hex_eth()
{
	echo "$(hex_mac "$1") $(hex_mac "$2") $3"
}

# hex_vxlan VNI [FLAGS] [RESERVED1 (3 bytes)] [RESERVED2 (1 byte)]
hex_vxlan()
{
	local vni=$1

	printf '%s %s %02x %02x %02x %s' "${2:-08}" "${3:-00 00 00}" \
		$((vni >> 16 & 0xff)) $((vni >> 8 & 0xff)) $((vni & 0xff)) "${4:-00}"
}

# hex_write FILE HEXBYTES: the bytes themselves into FILE.
hex_write()
{
	# shellcheck disable=SC2059,SC2001
	printf "$(sed 's/\([0-9a-f][0-9a-f]\) */\\x\1/g' <<<"$2")" >"$1"
}

# vxlan_send NS DST HEXBYTES: one UDP datagram from NS to DST:4789.
vxlan_send()
{
	local ns=$1 dst=$2 f rc

	f=$(mktemp)
	hex_write "$f" "$3"
	ip netns exec "$ns" bash -c 'dd if="$1" bs=65536 2>/dev/null >"/dev/udp/$2/$3"' \
		_ "$f" "$dst" "$VXLAN_PORT"
	rc=$?
	rm -f "$f"
	return $rc
}
