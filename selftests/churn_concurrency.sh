#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Several writers, readers and a traffic flood on one gateway at once, then
# the gateway's namespace deleted under the flood.  The topology of
# datapath.sh with one VPC:
#
#   c1 (i-linked 10.1.0.5) --+
#                            +-- br-classic 10.1.0.1 [gw] clink0 ul0 192.168.100.1
#   c2 (i-unlinked 10.1.0.6)-+                                   |
#                                                         (ns ul) br0
#                                                                |
#        vm1 172.16.0.10 --- br0 --- vx100 (VNI 100) [hv1] ul0 192.168.100.2
#
# 1. A ping flood both ways between i-linked and vm1 (busybox ping, an echo
#    request every 10 ms; not -A, see flood()).
# 2. Meanwhile CONC_WRITERS writers, each with its own clinkctl -batch
#    files, CONC_ROUNDS times: create two VPCs of its own (ClassicLink,
#    secondary CIDR, custom routes, ACL rules, endpoints), instances linked
#    to them, endpoints, ACL rules and a route in vpc-a (the flood's VPC),
#    check what it made, delete it all.  IDs, VNIs and addresses are
#    disjoint between writers and from the base configuration.  Two
#    dumpers loop over every show command (JSON, some with -s).
# 3. Every writer and dumper succeeded, every dump was a JSON array; the
#    device's counts and vpc-a are back to the base configuration; the
#    flood stops, and every one of its echo requests was answered (by
#    the kernel's ICMP counters, late replies too; what busybox saw in
#    time is reported; CONC_LOSS_PPM allows some per million) and no ICMP
#    message arrived with a bad checksum; a plain ping after it loses
#    nothing; no drop counter moved.
# 4. ip netns del of the gateway under a new flood: the namespace is
#    dismantled (its veths go) and its cleanup completes (a namespace
#    deleted after it is cleaned up too: a device reference left behind
#    would block the kernel's cleanup work); the kernel log stays clean;
#    a fresh gateway namespace with a new clink0 works end to end.
#
# Sizes (environment): CONC_WRITERS (3), CONC_ROUNDS (8), CONC_LOSS_PPM
# (0).

# Namespaces, ksft_* and CLINK_NS are lib.sh's; the writers, dumpers and
# the flood run through bg_start, wait_for takes awk programs:
# shellcheck disable=SC2154,SC2034,SC2015,SC2016,SC2317

cd "$(dirname "$0")" || exit 1
source ./lib.sh

require_clink
require_cmd jq awk ping

CONC_WRITERS=${CONC_WRITERS:-3}
CONC_ROUNDS=${CONC_ROUNDS:-8}
CONC_DUMPERS=2
# Echo requests of the flood that may go unanswered, per million: none.
# (The 1 to 3 of ~15,000 lost in one run of two with ping -A were ping's
# own: see flood().)
CONC_LOSS_PPM=${CONC_LOSS_PPM:-0}
CONC_LINKS=5				# instances per writer's VPC per round

tmp=$(mktemp -d)
defer rm -rf "$tmp"

# -- helpers -------------------------------------------------------------------

# vpc-a as vpc show prints it, without its traffic counters.
vpc_a()
{
	clinkctl_gw -j vpc show vpc-a | jq -c 'map(del(.stats))'
}

# icmp_mib NS FIELD...: the named Icmp counters of NS's stack, in order.
icmp_mib()
{
	local ns=$1

	shift
	ip netns exec "$ns" awk -v want="$*" '$1 == "Icmp:" {
		if (!n++) { for (i = 2; i <= NF; i++) col[$i] = i; next }
		k = split(want, f, " "); out = ""
		for (i = 1; i <= k; i++) out = out (i > 1 ? " " : "") $col[f[i]]
		print out }' /proc/net/snmp
}

# echoes NS: "REQUESTS-SENT REPLIES-RECEIVED", NS's kernel's ICMP counters
# (all echoes, answered in time or not).
echoes()
{
	icmp_mib "$1" OutEchos InEchoReps
}

__echoes_match()
{
	read -r __echoes_out __echoes_in < <(echoes "$1")
	[ "$__echoes_out" -eq $(($2 + $4)) ] && [ "$__echoes_in" -eq $(($3 + $4)) ]
}

# echoes_lost NS: "SENT LOST", the echo requests NS has sent and those of
# them never answered, once the late replies are in (at most 10 s).
echoes_lost()
{
	local out

	read -r out _ < <(echoes "$1")
	wait_for -t 10 __echoes_match "$1" "$out" "$out" 0
	echo "$__echoes_out $((__echoes_out - __echoes_in))"
}

# ICMP messages NS dropped for a bad checksum.
icmp_csum_errors()
{
	icmp_mib "$1" InCsumErrors
}

# ping_counted NS DST COUNT: COUNT echo requests, each answered (counted
# by the kernel, see echoes).
ping_counted()
{
	local ns=$1 dst=$2 n=$3 out in

	read -r out in < <(echoes "$ns")
	ip netns exec "$ns" ping -q -c "$n" -i 0.2 -W 5 "$dst" >/dev/null 2>&1
	wait_for -t 10 __echoes_match "$ns" "$out" "$in" "$n" && return 0
	detail "ping $dst from $ns: $((__echoes_out - out)) requests sent, $((__echoes_in - in)) replies, expected $n"
	detail "$(datapath_report)"
	return 1
}

# Where a lost packet may have gone, for the detail of a failed check:
# nonzero drop and error counters of every interface and of each
# namespace's stack, neighbour states, softnet and ARP table drops.
datapath_report()
{
	local ns n

	for ns in "$c1" "$gw" "$ul" "$hv1" "$vm1"; do
		n=${ns%-*}
		ip -n "$ns" -j -s link show 2>/dev/null | jq -r --arg n "$n" '.[] |
			select(.stats64.rx.dropped + .stats64.tx.dropped +
			       .stats64.rx.errors + .stats64.tx.errors > 0) |
			"\($n) \(.ifname): rx dropped \(.stats64.rx.dropped) errors \(.stats64.rx.errors), tx dropped \(.stats64.tx.dropped) errors \(.stats64.tx.errors)"'
		ip netns exec "$ns" nstat -as 2>/dev/null |
			awk -v n="$n" '$2 > 0 && $1 ~ /Discard|Err|NoRoute|Drop|Fail|Unres|Overflow/ { print n, $1, $2 }'
		ip -n "$ns" -s neigh show 2>/dev/null | sed "s/^/$n neigh /"
	done
	echo "softnet_stat (dropped is the 2nd column):"
	cat /proc/net/softnet_stat
	echo "arp_cache:"
	cat /proc/net/stat/arp_cache
	clinkctl_gw -s dev show 2>/dev/null | tail -n 2
}

floods_done()
{
	! kill -0 "$FLOOD1" 2>/dev/null && ! kill -0 "$FLOOD2" 2>/dev/null
}

if ! clink_topo_create 1 || ! clink_config 1; then
	log_test 1 "build the topology and configure the gateway"
	exit "$ksft_fail"
fi

ping_counted "$c1" "$VM_IP" 3 && ping_counted "$vm1" "$C1_IP" 3
log_test $? "i-linked <-> vm1: ping both ways" || exit "$(ksft_status)"

# -- 1. the flood ----------------------------------------------------------------

# flood NS DST NAME: chunks of 200 echo requests, one every 10 ms, until
# $tmp/stop exists.  After every chunk, $tmp/NAME holds "CHUNKS SENT
# RECEIVED" so far.
#
# Not ping -A: busybox then sends from its main loop when a reply is in and
# from its SIGALRM handler when the interval runs out first, into one
# static buffer, and a signal between the checksum and sendto() sends an
# echo request whose checksum is wrong: a lost echo and an InCsumErrors at
# the receiver, a few per 10,000 echoes when the writers slow replies down
# to the interval (selftests/debug/ping-race.sh shows it on a plain veth
# pair; Documentation/reliability.rst).  Without -A only the handler sends.
flood()
{
	local ns=$1 dst=$2 name=$3 out tx rx sent=0 received=0 chunks=0

	while [ ! -e "$tmp/stop" ]; do
		out=$(ip netns exec "$ns" ping -q -c 200 -i 0.01 -W 2 "$dst" 2>&1)
		tx=$(sed -n 's/^\([0-9]\+\) packets transmitted.*/\1/p' <<<"$out")
		rx=$(sed -n 's/.* \([0-9]\+\) packets received.*/\1/p' <<<"$out")
		[ -n "$tx" ] || sleep 0.1	# no route any more: do not spin
		sent=$((sent + ${tx:-0}))
		received=$((received + ${rx:-0}))
		chunks=$((chunks + 1))
		echo "$chunks $sent $received" >"$tmp/$name.new"
		mv "$tmp/$name.new" "$tmp/$name"
	done
}

drops_snapshot
base_counts=$(dev_counts)
base_vpc_a=$(vpc_a)
log_info "base configuration: vpcs instances links endpoints $base_counts"

bg_start flood "$c1" "$VM_IP" flood-to-vpc
FLOOD1=$BG_PID
bg_start flood "$vm1" "$C1_IP" flood-to-classic
FLOOD2=$BG_PID

# -- 2. writers and dumpers --------------------------------------------------------

# Writer W, round R: VPCs cW-a (VNI 1000+10W, 172.(20+W).0.0/16, secondary
# 172.(24+W).0.0/16) and cW-b (VNI 1001+10W, 172.(28+W).0.0/16), instances
# i-cW-J at 10.(30+W).R.J, endpoints, ACL rules and custom routes; in vpc-a
# endpoints 172.16.(100+W).J, ACL rules of priority 1000+10W+K and a route
# to 192.168.(70+W).0/24.  The base configuration uses none of these.
writer_create()
{
	local w=$1 r=$2 j o vtep

	o=$((r % 250))
	vtep=192.168.100.$((10 + w))

	cat <<-EOF
		vpc add c$w-a vni $((1000 + 10 * w)) cidr 172.$((20 + w)).0.0/16
		vpc cidr add c$w-a 172.$((24 + w)).0.0/16
		route add vpc c$w-a 192.168.$((60 + w)).0/24 via nat
		route add vpc c$w-a 192.168.$((64 + w)).0/24 via peering
		vpc set c$w-a classiclink on
		vpc add c$w-b vni $((1001 + 10 * w)) cidr 172.$((28 + w)).0.0/16
		vpc replace c$w-b vni $((1001 + 10 * w)) cidr 172.$((28 + w)).0.0/16
		vpc set c$w-b classiclink on
		acl add vpc c$w-a prio 10 dir to-vpc proto tcp dport 22 action deny
		acl add vpc c$w-a prio 20 dir to-classic proto udp sport 1-1024 action deny
		acl add vpc c$w-b prio 10 dir to-vpc proto icmp action deny
		route add vpc vpc-a 192.168.$((70 + w)).0/24 via vpn
		acl add vpc vpc-a prio $((1000 + 10 * w)) dir to-vpc proto tcp dport 9999 action deny
		acl add vpc vpc-a prio $((1001 + 10 * w)) dir to-classic proto udp dport 9999 action deny
	EOF
	for ((j = 1; j <= CONC_LINKS; j++)); do
		cat <<-EOF
			instance add i-c$w-$j ip 10.$((30 + w)).$o.$j
			link add i-c$w-$j vpc c$w-a
			instance add i-c$w-b$j ip 10.$((30 + w)).$o.$((100 + j))
			link add i-c$w-b$j vpc c$w-b
			endpoint add vpc c$w-a 172.$((20 + w)).$o.$j vtep $vtep mac 02:cc:0$w:$(printf %02x "$o"):00:$(printf %02x "$j")
			endpoint add vpc c$w-a 172.$((24 + w)).$o.$j vtep $vtep mac 02:cc:0$w:$(printf %02x "$o"):01:$(printf %02x "$j")
			endpoint add vpc c$w-b 172.$((28 + w)).$o.$j vtep $vtep mac 02:cc:0$w:$(printf %02x "$o"):02:$(printf %02x "$j")
			endpoint add vpc vpc-a 172.16.$((100 + w)).$j vtep $vtep mac 02:cc:0$w:$(printf %02x "$o"):03:$(printf %02x "$j")
		EOF
	done
	# A new address unlinks a linked instance; replace keeps the link.
	cat <<-EOF
		instance set i-c$w-1 ip 10.$((30 + w)).$o.200
		instance replace i-c$w-2 ip 10.$((30 + w)).$o.2
		endpoint replace vpc vpc-a 172.16.$((100 + w)).1 vtep $vtep mac 02:cc:0$w:ff:ff:ff
	EOF
}

# What writer_create leaves: links in cW-a, in cW-b.
writer_expect()
{
	echo "$((CONC_LINKS - 1)) $CONC_LINKS"
}

# Everything goes, explicitly or with what holds it: links one by one, by
# flush and with their instance; cW-b with its ACL rule and endpoints, cW-a
# with a custom route.
writer_delete()
{
	local w=$1 r=$2 j o

	o=$((r % 250))

	cat <<-EOF
		link del i-c$w-2
		link flush vpc c$w-a
		vpc set c$w-a classiclink off
		route del vpc c$w-a 192.168.$((60 + w)).0/24
	EOF
	# A secondary CIDR goes only once its endpoints have gone.
	for ((j = 1; j <= CONC_LINKS; j++)); do
		echo "endpoint del vpc c$w-a 172.$((24 + w)).$o.$j"
	done
	cat <<-EOF
		vpc cidr del c$w-a 172.$((24 + w)).0.0/16
		route del vpc vpc-a 192.168.$((70 + w)).0/24
		acl del vpc vpc-a prio $((1000 + 10 * w))
		acl del vpc vpc-a prio $((1001 + 10 * w))
		acl del vpc c$w-a prio 10
	EOF
	for ((j = 1; j <= CONC_LINKS; j++)); do
		cat <<-EOF
			instance del i-c$w-$j
			instance del i-c$w-b$j
			endpoint del vpc vpc-a 172.16.$((100 + w)).$j
			endpoint del vpc c$w-a 172.$((20 + w)).$o.$j
		EOF
	done
	cat <<-EOF
		vpc del c$w-a
		vpc del c$w-b
	EOF
}

# links_of VPC: how many links the VPC has, as link show lists them.  A
# dump that another writer's change interrupted (clinkctl warns) may be
# inconsistent: run it again, as the warning says.
links_of()
{
	local i n err=$tmp/links_of.$BASHPID

	for i in 1 2 3 4 5; do
		n=$(clinkctl_gw -j link show vpc "$1" 2>"$err" | jq length)
		[ -s "$err" ] || break
	done
	rm -f "$err"
	echo "$n"
}

# writer W: CONC_ROUNDS rounds; the first failure goes to $tmp/writer-W.err.
writer()
{
	local w=$1 r f=$tmp/writer-$1 want got

	want=$(writer_expect)
	for ((r = 0; r < CONC_ROUNDS; r++)); do
		writer_create "$w" "$r" >"$f.create"
		writer_delete "$w" "$r" >"$f.delete"
		if ! clinkctl_gw -batch "$f.create" >"$f.out" 2>&1; then
			{ echo "round $r, creating:"; cat "$f.out"; } >"$f.err"
			return 1
		fi
		got="$(links_of "c$w-a") $(links_of "c$w-b")"
		if [ "$got" != "$want" ]; then
			echo "round $r: links in c$w-a, c$w-b: $got, expected $want" >"$f.err"
			return 1
		fi
		if ! clinkctl_gw -batch "$f.delete" >"$f.out" 2>&1; then
			{ echo "round $r, deleting:"; cat "$f.out"; } >"$f.err"
			return 1
		fi
	done
}

# The dumps each dumper runs, one per line.
DUMPS=("vpc show" "link show" "endpoint show" "instance show"
	"route show vpc vpc-a" "acl show vpc vpc-a" "dev show"
	"-s dev show" "-s vpc show" "-s link show" "endpoint show vpc vpc-a")

# dumper D: every dump in turn until $tmp/dumpers-stop exists; each must
# exit 0 with a JSON array.  $tmp/dumper-D holds "LOOPS DUMPS INTERRUPTED".
dumper()
{
	local d=$1 f=$tmp/dumper-$1 loops=0 n=0 intr=0 cmd rc t ms max=0 slow=

	while [ ! -e "$tmp/dumpers-stop" ]; do
		for cmd in "${DUMPS[@]}"; do
			t=${EPOCHREALTIME/./}
			# shellcheck disable=SC2086
			clinkctl_gw -j $cmd >"$f.json" 2>"$f.stderr"
			rc=$?
			ms=$(((${EPOCHREALTIME/./} - t) / 1000))
			[ "$ms" -le "$max" ] || { max=$ms; slow=$cmd; }
			if [ "$rc" -ne 0 ] ||
			   ! jq -e 'type == "array"' "$f.json" >/dev/null 2>&1; then
				{
					echo "clinkctl -j $cmd: exit status $rc"
					head -c 400 "$f.json"; echo
					head -n 5 "$f.stderr"
				} >"$f.err"
				return 1
			fi
			n=$((n + 1))
			[ ! -s "$f.stderr" ] || intr=$((intr + 1))
		done
		loops=$((loops + 1))
		echo "$loops $n $intr $max $slow" >"$f"
	done
}

# Let the flood get going before the writers start.
wait_for test -s "$tmp/flood-to-vpc"
wait_for test -s "$tmp/flood-to-classic"

t0=$SECONDS
writers=()
for ((w = 1; w <= CONC_WRITERS; w++)); do
	bg_start writer "$w"
	writers+=("$BG_PID")
done
dumpers=()
for ((d = 1; d <= CONC_DUMPERS; d++)); do
	bg_start dumper "$d"
	dumpers+=("$BG_PID")
done

rc=0
for ((w = 1; w <= CONC_WRITERS; w++)); do
	if ! wait "${writers[w - 1]}"; then
		detail "writer $w: $(cat "$tmp/writer-$w.err" 2>/dev/null)"
		rc=1
	fi
done
writers_time=$((SECONDS - t0))
log_test $rc "$CONC_WRITERS writers x $CONC_ROUNDS rounds of clinkctl -batch succeed (${writers_time}s)"

# The writers are done: stop the dumpers; the flood goes on.
touch "$tmp/dumpers-stop"
rc=0
dumps=0
intr=0
for ((d = 1; d <= CONC_DUMPERS; d++)); do
	if ! wait "${dumpers[d - 1]}"; then
		detail "dumper $d: $(cat "$tmp/dumper-$d.err" 2>/dev/null)"
		rc=1
	fi
	if read -r l n i ms slow 2>/dev/null <"$tmp/dumper-$d"; then
		dumps=$((dumps + n))
		intr=$((intr + i))
		log_info "dumper $d: $l loops, slowest dump ${ms} ms (clinkctl -j $slow)"
	else
		detail "dumper $d: did not finish one loop"
		rc=1
	fi
done
log_info "$dumps dumps, $intr with a warning (NLM_F_DUMP_INTR)"
log_test $rc "$CONC_DUMPERS dumpers meanwhile: every dump exits 0 with a JSON array"

# -- 3. all back to the base configuration ------------------------------------------

got=$(dev_counts)
[ "$got" = "$base_counts" ] ||
	detail "vpcs instances links endpoints: $got, expected $base_counts"
[ "$got" = "$base_counts" ]
log_test $? "dev show: the counts are back to the base configuration"

got=$(vpc_a)
[ "$got" = "$base_vpc_a" ] || detail "vpc-a: $got, expected $base_vpc_a"
[ "$got" = "$base_vpc_a" ]
log_test $? "vpc show vpc-a: back to the base configuration"

rc=0
for v in "$(clinkctl_gw -j route show vpc vpc-a)" "$(clinkctl_gw -j acl show vpc vpc-a)"; do
	jq -e 'map(select(.type == "custom" or has("prio"))) | length == 0' \
		<<<"$v" >/dev/null && continue
	detail "vpc-a kept: $v"
	rc=1
done
log_test $rc "vpc-a has no custom route and no ACL rule left"

# The flood stops at the end of its chunk; then every echo request it sent
# must have its reply, by the kernel's ICMP counters: busybox ping waits
# only twice the longest round trip (at least a second) for the last
# replies, and a vCPU of a loaded host may stall for longer.
touch "$tmp/stop"
wait_for floods_done || { bg_stop "$FLOOD1"; bg_stop "$FLOOD2"; }
read -r _ f1_sent f1_recv <"$tmp/flood-to-vpc"
read -r _ f2_sent f2_recv <"$tmp/flood-to-classic"
log_info "flood i-linked -> vm1: $f1_recv of $f1_sent echoes answered in time"
log_info "flood vm1 -> i-linked: $f2_recv of $f2_sent echoes answered in time"

rc=0
for f in "$f1_sent i-linked -> vm1" "$f2_sent vm1 -> i-linked"; do
	[ "${f%% *}" -ge 100 ] && continue
	detail "flood ${f#* }: only ${f%% *} echo requests"
	rc=1
done
for ns in "$c1" "$vm1"; do
	read -r sent lost < <(echoes_lost "$ns")
	log_info "${ns%-*}: $lost of $sent echo requests never answered;" \
		"ICMP checksum errors: c1 $(icmp_csum_errors "$c1"), vm1 $(icmp_csum_errors "$vm1")"
	[ $((lost * 1000000)) -gt $((sent * CONC_LOSS_PPM)) ] || continue
	detail "${ns%-*}: $lost of $sent echo requests never answered"
	rc=1
done
# A damaged echo is a lost one; this names the cause.
for ns in "$c1" "$vm1"; do
	[ "$(icmp_csum_errors "$ns")" -eq 0 ] && continue
	detail "${ns%-*} received $(icmp_csum_errors "$ns") ICMP messages with a bad checksum"
	rc=1
done
[ $rc -eq 0 ] || detail "$(datapath_report)"
if [ "$CONC_LOSS_PPM" -eq 0 ]; then
	log_test $rc "ping flood both ways: no echo lost, no checksum error"
else
	log_test $rc "ping flood both ways: at most $CONC_LOSS_PPM ppm of echoes lost"
fi

ping_counted "$c1" "$VM_IP" 10 && ping_counted "$vm1" "$C1_IP" 10
log_test $? "after the writers: i-linked <-> vm1 ping, nothing lost"

check_drops ""
log_test $? "no drop counter moved"

# -- 4. the gateway's namespace goes under the flood --------------------------------

root_clinks()
{
	ip -o link show type clink 2>/dev/null | wc -l
}

# The namespace was taken apart: the veths into it went with it.
gw_dismantled()
{
	[ ! -e "/run/netns/$gw" ] &&
	! ip -n "$ul" link show gw >/dev/null 2>&1 &&
	! ip -n "$c1" link show eth0 >/dev/null 2>&1
}

probe_gone()
{
	! ip -n "$ul" link show probe0 >/dev/null 2>&1
}

# Again the flood, both ways: the namespace goes under it.
rm -f "$tmp/stop" "$tmp/flood-to-vpc" "$tmp/flood-to-classic"
bg_start flood "$c1" "$VM_IP" flood-to-vpc
FLOOD1=$BG_PID
bg_start flood "$vm1" "$C1_IP" flood-to-classic
FLOOD2=$BG_PID

rc=0
kill -0 "$FLOOD1" && kill -0 "$FLOOD2" || { detail "the flood has stopped"; rc=1; }
# It flows: a chunk of it done each way, most of it answered.
for f in flood-to-vpc flood-to-classic; do
	wait_for -t 60 test -s "$tmp/$f" &&
		awk '$3 * 2 > $2 { ok = 1 } END { exit !ok }' "$tmp/$f" && continue
	detail "$f: $(cat "$tmp/$f" 2>/dev/null || echo "no chunk done in 60 s")"
	rc=1
done
log_test $rc "ping flood both ways again, for the namespace to go under"

clinks_before=$(root_clinks)
timeout 60 ip netns del "$gw"
rc=$?
[ $rc -eq 0 ] || detail "ip netns del: exit status $rc"
log_test $rc "ip netns del of the gateway's namespace under the flood"

rc=0
wait_for -t 60 gw_dismantled || {
	detail "after 60 s: $(ip -n "$ul" -br link show gw 2>&1; ls /run/netns)"
	rc=1
}
[ "$(root_clinks)" = "$clinks_before" ] || {
	detail "clink devices in the initial namespace: $(root_clinks), were $clinks_before"
	rc=1
}
log_test $rc "the namespace is taken apart, clink0 with it"

# The kernel's namespace cleanup is one ordered work: a clink0 that kept a
# reference would hold it in netdev_wait_allrefs, and a namespace deleted
# after it would never be taken apart.
rc=0
if ip netns add "probe-$NS_SUFFIX" &&
   ip -n "probe-$NS_SUFFIX" link add p0 type veth peer name probe0 netns "$ul" &&
   ip netns del "probe-$NS_SUFFIX"; then
	wait_for -t 30 probe_gone || {
		detail "a namespace deleted after the gateway's still exists after 30 s"
		rc=1
	}
else
	detail "could not set up the probe namespace"
	rc=1
fi
log_test $rc "the namespace cleanup completes (no reference left behind)"

# The flood ends within a chunk: at most 200 x 10 ms + 2 s.
touch "$tmp/stop"
wait_for -t 30 floods_done || { bg_stop "$FLOOD1"; bg_stop "$FLOOD2"; }
read -r _ s1 r1 <"$tmp/flood-to-vpc"
read -r _ s2 r2 <"$tmp/flood-to-classic"
log_info "flood in all: i-linked -> vm1 $r1 of $s1, vm1 -> i-linked $r2 of $s2 answered"

dmesg_clean
log_test $? "no kernel warnings"

# A fresh gateway namespace with a new clink0, cabled in place of the old
# one, works end to end.
gw_rebuild()
{
	setup_ns gw2 || return 1
	gw=$gw2
	CLINK_NS=$gw
	ip netns exec "$gw" sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
		>/dev/null || return 1
	ip -n "$gw" link add br-classic type bridge mcast_snooping 0 &&
	ip -n "$gw" addr add "$GW_CLASSIC/24" dev br-classic &&
	ip -n "$gw" link set br-classic up &&
	classic_add "$c1" "$C1_IP" c1 &&
	ip -n "$ul" link add name gw type veth peer name ul0 netns "$gw" &&
	ip -n "$ul" link set gw master br0 up &&
	ip -n "$gw" addr add "$GW_UL/24" dev ul0 &&
	ip -n "$gw" link set ul0 up &&
	clink_gw_up && clink_config 1 || return 1
	# vm1 still knows the old clink0's MAC.
	ip -n "$vm1" neigh flush dev eth0
}

gw_rebuild && [ "$(dev_counts)" = "$base_counts" ] &&
	ping_counted "$c1" "$VM_IP" 3 && ping_counted "$vm1" "$C1_IP" 3
log_test $? "a new namespace with a new clink0: configured, ping both ways"

dmesg_clean
log_test $? "no kernel warnings at the end"

exit "$(ksft_status)"
