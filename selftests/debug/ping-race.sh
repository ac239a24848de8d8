#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Does a pinger send echo requests with a bad ICMP checksum?  No clink
# involved: two namespaces joined by a plain veth pair flood each other
# with echo requests for a while, tcpdump captures each sender's own veth
# (what left the sender, before anything else touched it) and tshark
# checks every ICMP checksum in the captures.
#
#   [pr-a 10.9.0.1] v0 ===== veth ===== v0 [pr-b 10.9.0.2]
#
# Why (Documentation/reliability.rst, churn_concurrency.sh): busybox ping
# -A sends the next echo from its main loop when a reply comes in, and
# from its SIGALRM handler when the -i interval runs out first, both into
# one static buffer.  A signal that lands while the main loop is between
# computing the checksum and sendto() sends a packet whose checksum belongs
# to other bytes.  Without -A only the handler sends: no race.
#
# Usage: ping-race.sh [-t SECONDS] [-j HOGS] [-p PING] [PING-OPTIONS...]
#   -t  how long each direction floods (60)
#   -j  busy loops to run meanwhile, for CPU contention (0)
#   -p  the ping program ("busybox ping")
#   PING-OPTIONS  default: -A -i 0.05, the flood churn_concurrency.sh had
# Runs as root, on the host or in the test VM (make vm; then
# /clink/selftests/debug/ping-race.sh).  Prints per direction the echo
# requests sent, those captured on the sender's veth with a bad checksum,
# the receiver's InCsumErrors and the echoes lost; exits 1 if any echo
# request left its sender with a bad checksum.

set -u

secs=60
hogs=0
ping="busybox ping"
while getopts "t:j:p:" o; do
	case $o in
	t) secs=$OPTARG ;;
	j) hogs=$OPTARG ;;
	p) ping=$OPTARG ;;
	*) sed -n 's/^# \?//; /^Usage/,/^Runs/p' "$0" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || set -- -A -i 0.05

tmp=$(mktemp -d)
sfx=$$
a=pr-a-$sfx
b=pr-b-$sfx
pids=()

cleanup()
{
	local p

	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	ip netns del "$a" 2>/dev/null
	ip netns del "$b" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

ip netns add "$a" && ip netns add "$b" &&
ip -n "$a" link add v0 type veth peer name v0 netns "$b" &&
ip -n "$a" addr add 10.9.0.1/24 dev v0 &&
ip -n "$b" addr add 10.9.0.2/24 dev v0 || exit 2
for ns in "$a" "$b"; do
	ip -n "$ns" link set lo up
	ip -n "$ns" link set v0 up
	ip netns exec "$ns" tcpdump -Z root -U -n -s 128 -i v0 -w "$tmp/$ns.pcap" \
		icmp 2>"$tmp/$ns.err" &
	pids+=($!)
done
for ns in "$a" "$b"; do
	for _ in $(seq 50); do
		grep -q 'listening on' "$tmp/$ns.err" && break
		sleep 0.1
	done
done

# "InCsumErrors OutEchos InEchoReps" of a namespace's stack.
icmp_mib()
{
	ip netns exec "$1" awk '$1 == "Icmp:" {
		if (!n++) { for (i = 2; i <= NF; i++) c[$i] = i; next }
		print $c["InCsumErrors"], $c["OutEchos"], $c["InEchoReps"] }' /proc/net/snmp
}

for ((i = 0; i < hogs; i++)); do
	(while :; do :; done) &
	pids+=($!)
done
# Chunks of 200 echo requests, as churn_concurrency.sh sends them.
flood_to()
{
	local ns=$1 dst=$2

	shift 2
	local end=$((SECONDS + secs))

	while [ "$SECONDS" -lt "$end" ]; do
		# shellcheck disable=SC2086
		ip netns exec "$ns" $ping -q -c 200 -W 2 "$@" "$dst" >/dev/null 2>&1
	done
}
flood_to "$a" 10.9.0.2 "$@" &
f1=$!
flood_to "$b" 10.9.0.1 "$@" &
f2=$!
wait "$f1" "$f2"
sleep 2			# the last replies and captured frames
for p in "${pids[@]}"; do
	kill "$p" 2>/dev/null
done
wait 2>/dev/null
pids=()

echo "$ping $*, ${secs}s each way, $hogs busy loops, kernel $(uname -r)"
bad_total=0
for dir in "$a 10.9.0.1 $b" "$b 10.9.0.2 $a"; do
	read -r ns me peer <<<"$dir"
	read -r _ out in < <(icmp_mib "$ns")
	read -r csum _ < <(icmp_mib "$peer")
	bad=$(tshark -n -r "$tmp/$ns.pcap" -Y "icmp.type == 8 && ip.src == $me && icmp.checksum.status == 0" \
		-T fields -e icmp.seq -e icmp.checksum 2>/dev/null)
	nbad=$(grep -c . <<<"$bad")
	bad_total=$((bad_total + nbad))
	echo "${ns%-*}: $out echo requests sent, $nbad left its veth with a bad ICMP checksum;" \
		"${peer%-*} counted $csum InCsumErrors; $((out - in)) echoes unanswered"
	[ -z "$bad" ] || sed 's/^/    bad: seq /' <<<"$bad"
done
[ "$bad_total" -eq 0 ]
