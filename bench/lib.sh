# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers for bench/run: namespaces, pktgen, counters, statistics and the
# result table.  Sourced, not run.

# ---- small things ---------------------------------------------------------

log() { echo "bench: $*"; }

now() { echo "$EPOCHREALTIME"; }

# Dotted quad <-> integer.
ip2int() {
	local IFS=.
	# shellcheck disable=SC2086
	set -- $1
	echo $((($1 << 24) | ($2 << 16) | ($3 << 8) | $4))
}

int2ip() {
	echo "$(($1 >> 24 & 255)).$(($1 >> 16 & 255)).$(($1 >> 8 & 255)).$(($1 & 255))"
}

# Floating point with awk: calc 'EXPR'.
calc() { awk "BEGIN { printf \"%.6g\n\", $1 }"; }

# median/min/max of the numbers given as arguments: "MEDIAN MIN MAX".
stats() {
	[ $# -gt 0 ] || { echo "nan nan nan"; return; }
	printf '%s\n' "$@" | sort -g | awk '
		{ v[NR] = $1 }
		END {
			if (NR == 0) { print "nan nan nan"; exit }
			m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%.6g %.6g %.6g\n", m, v[1], v[NR]
		}'
}

# ---- namespaces -----------------------------------------------------------

# Every namespace gets a sleeping holder process: /proc/PID/net/dev then
# reads that namespace's counters without forking "ip netns exec".
declare -A ns_holder=()

ns_add() {
	local ns=$1

	ip netns add "$ns"
	ip -n "$ns" link set lo up
	# No IPv6: its neighbour discovery would cross the gateways as
	# traffic nobody asked for (clink counts it as not-ipv4 drops).
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 net.ipv4.ip_forward=1 \
		net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
		net.ipv4.conf.all.accept_redirects=0 \
		net.ipv4.conf.all.send_redirects=0 \
		net.ipv4.conf.default.send_redirects=0
	ip netns exec "$ns" sleep 1000000 &
	ns_holder[$ns]=$!
}

ns_cleanup() {
	local ns

	for ns in "${!ns_holder[@]}"; do
		[ ! -e "/proc/${ns_holder[$ns]}/net/pktgen/pgctrl" ] ||
			pg_ctrl "$ns" stop 2>/dev/null
		kill "${ns_holder[$ns]}" 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	ns_holder=()
}

# veth pair NS1:DEV1 <-> NS2:DEV2, up, with tx checksums left alone.
veth_pair() {
	ip link add "$2" netns "$1" type veth peer name "$4" netns "$3"
	ip -n "$1" link set "$2" up
	ip -n "$3" link set "$4" up
}

# MAC addresses, looked up once: mac_fill NS DEV... in the main shell
# (not in $(...), whose assignments are lost), then mac_of NS DEV.
declare -A mac_cache=()
mac_fill() {
	local ns=$1 dev

	shift
	for dev in "$@"; do
		mac_cache[$ns/$dev]=$(ip -n "$ns" -br link show dev "$dev" | awk '{ print $3 }')
	done
}

mac_of() {
	if [ -n "${mac_cache[$1/$2]:-}" ]; then
		echo "${mac_cache[$1/$2]}"
	else
		ip -n "$1" -br link show dev "$2" | awk '{ print $3 }'
	fi
}

# A sink: everything arriving on NS:DEV is counted (rx_packets) and
# dropped at tc ingress, before the stack spends anything on it.
sink() {
	tc -n "$1" qdisc add dev "$2" clsact
	tc -n "$1" filter add dev "$2" ingress pref 1 matchall action drop
}

# rx_packets of NS:DEV, from /proc/net/dev of the namespace's holder.
rx_packets() {
	local name packets rest

	while read -r name _ packets rest; do
		if [ "$name" = "$2:" ]; then
			echo "$packets"
			return
		fi
	done <"/proc/${ns_holder[$1]}/net/dev"
	echo 0
}

# ---- pktgen ---------------------------------------------------------------

# pgw NS FILE LINE...: writes each LINE to pktgen's FILE of namespace NS
# and checks pktgen took it.  The files of threads and devices act on
# their own namespace whoever writes them, so this goes through the
# namespace holder's /proc/PID/net, with shell builtins only: forks are
# slow under TCG.  (pgctrl acts on the writer's namespace: see pg_ctrl.)
pgw() {
	local f=/proc/${ns_holder[$1]}/net/pktgen/$2 l r

	shift 2
	for l in "$@"; do
		echo "$l" >"$f" || { echo "pktgen: $f: $l: write failed" >&2; return 1; }
		while read -r r; do
			case "$r" in
			"Result: OK"*) continue 2 ;;
			Result:*) echo "pktgen: $f: $l: $r" >&2; return 1 ;;
			esac
		done <"$f"
	done
}

# pg_ctrl NS start|stop: all pktgen threads of NS.  "start" returns only
# once they stop.
pg_ctrl() {
	nsenter --net=/run/netns/"$1" sh -c "echo $2 >/proc/net/pktgen/pgctrl"
}

# pg_setup NS DEV SIZE DMAC SRC_MIN SRC_MAX DST_MIN DST_MAX
# One pktgen device on kpktgend_0 of NS, sending UDP (port 9 -> 9) of
# SIZE bytes per frame until stopped.  Addresses are drawn at random in
# their ranges, always, so that a range of one costs what a range of a
# million costs except for the lookups.
pg_setup() {
	local ns=$1 dev=$2

	pgw "$ns" kpktgend_0 "rem_device_all" "add_device $dev" || return 1
	pgw "$ns" "$dev" "count 0" "clone_skb 0" "burst 1" "delay 0" \
		"pkt_size $3" "dst_mac $4" \
		"src_min $5" "src_max $6" "dst_min $7" "dst_max $8" \
		"udp_src_min 9" "udp_src_max 9" "udp_dst_min 9" "udp_dst_max 9" \
		"flag IPSRC_RND" "flag IPDST_RND" "flag NO_TIMESTAMP"
}

# pg_measure NS SINK_NS SINK_DEV: runs the pktgen setup of NS, waits
# BENCH_WARMUP seconds, then counts what SINK_NS:SINK_DEV receives during
# BENCH_SECS seconds.  Prints packets per second.
pg_measure() {
	local ns=$1 sns=$2 sdev=$3 pid c0 c1 t0 t1

	pg_ctrl "$ns" start &
	pid=$!
	sleep "$BENCH_WARMUP"
	t0=$(now)
	c0=$(rx_packets "$sns" "$sdev")
	sleep "$BENCH_SECS"
	c1=$(rx_packets "$sns" "$sdev")
	t1=$(now)
	pg_ctrl "$ns" stop
	wait "$pid" 2>/dev/null
	calc "($c1 - $c0) / ($t1 - $t0)"
}

# ---- memory ---------------------------------------------------------------

# mem_snap FILE: what the kernel holds, for mem_delta.
#   slab NAME ACTIVE_OBJS OBJSIZE SLAB_BYTES     one line per cache
#   meminfo KEY BYTES                            Slab, Percpu, VmallocUsed...
mem_snap() {
	sync
	sleep 1		# let RCU callbacks and rhashtable rehashing settle
	{
		# slabinfo's objsize is the size with slub_debug's metadata;
		# sysfs has the object's own size.
		local name active slab_bytes osize

		while read -r name active slab_bytes; do
			read -r osize 2>/dev/null <"/sys/kernel/slab/$name/object_size" || continue
			echo "slab $name $active $osize $slab_bytes"
		done < <(awk 'NR > 2 { print $1, $2, $15 * $6 * 4096 }' /proc/slabinfo)
		awk '{ sub(":", "", $1); printf "meminfo %s %d\n", $1, $2 * 1024 }' \
			/proc/meminfo
	} >"$1"
}

# mem_delta BEFORE AFTER: bytes the kernel gained in between, counted as
#   objects (active objects x object size, over all slab caches: immune to
#   slub_debug's red zones and tracking, which the test VM turns on)
#   + large kmallocs (meminfo Slab growth not explained by slab pages)
#   + Percpu + VmallocUsed growth.
# Prints "TOTAL OBJECTS LARGE PERCPU VMALLOC TOP" where TOP names the
# three caches that grew most.
mem_delta() {
	awk '
		FNR == 1 { f++ }
		$1 == "slab" { obj[f, $2] = $3 * $4; pages[f] += $5; names[$2] = 1 }
		$1 == "meminfo" { mi[f, $2] = $3 }
		END {
			for (n in names) {
				d = obj[2, n] - obj[1, n]
				objs += d
				grow[n] = d
			}
			large = (mi[2, "Slab"] - mi[1, "Slab"]) - (pages[2] - pages[1])
			if (large < 0) large = 0
			pcpu = mi[2, "Percpu"] - mi[1, "Percpu"]
			vm = mi[2, "VmallocUsed"] - mi[1, "VmallocUsed"]
			top = ""
			for (k = 0; k < 3; k++) {
				best = ""; bv = 0
				for (n in grow) if (grow[n] > bv) { bv = grow[n]; best = n }
				if (best == "") break
				top = top (top == "" ? "" : ",") best ":" bv
				delete grow[best]
			}
			printf "%d %d %d %d %d %s\n", objs + large + pcpu + vm, objs, large, pcpu, vm, (top == "" ? "-" : top)
		}' "$1" "$2"
}

# ---- results --------------------------------------------------------------

# One result per line in $RESULTS, fields separated by \x1f (not a tab:
# read would fold empty fields):
#   name unit clink_med clink_min clink_max ref_name ref_med ref_min ref_max
#   ratio target met runs note
RESULTS=${RESULTS:-/tmp/bench.results}

# result NAME UNIT "CLINK VALUES" REF_NAME "REF VALUES" RATIO_KIND TARGET NOTE
#   RATIO_KIND: higher (clink/ref, target ">= x"), lower (value <= target,
#   no reference), scale (clink/ref), none.
result() {
	local name=$1 unit=$2 cv=$3 rname=$4 rv=$5 kind=$6 target=$7 note=${8:-}
	local c r ratio=nan met=null runs

	# shellcheck disable=SC2086
	c=$(stats $cv)
	# shellcheck disable=SC2086
	r=$(if [ -n "$rv" ]; then stats $rv; else echo "nan nan nan"; fi)
	# shellcheck disable=SC2086
	runs=$(set -- $cv; echo $#)
	# shellcheck disable=SC2086
	set -- $c $r
	case "$kind" in
	higher | scale)
		if [ "$4" != nan ] && [ "$1" != nan ] && awk "BEGIN { exit !($4 > 0) }"; then
			ratio=$(calc "$1 / $4")
			met=$(awk "BEGIN { print ($ratio >= $target) ? \"true\" : \"false\" }")
		fi
		;;
	lower)
		if [ "$1" != nan ]; then
			met=$(awk "BEGIN { print ($1 <= $target) ? \"true\" : \"false\" }")
		fi
		;;
	esac
	printf '%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\n' \
		"$name" "$unit" "$1" "$2" "$3" "$rname" "$4" "$5" "$6" \
		"$ratio" "$kind" "$target" "$met" "$runs" "$note" >>"$RESULTS"
	if [ -n "$rname" ]; then
		log "$name: clink $1 [$2..$3] $unit; $rname $4 [$5..$6]; ratio $ratio (target $target)"
	else
		log "$name: clink $1 [$2..$3] $unit${note:+ ($note)}"
	fi
}

# Human numbers: 12345.6 -> 12.3k
human() {
	awk -v v="$1" 'BEGIN {
		if (v == "nan" || v == "") { print "-"; exit }
		a = v < 0 ? -v : v
		if (a >= 1e6) printf "%.2fM\n", v / 1e6
		else if (a >= 1e4) printf "%.1fk\n", v / 1e3
		else if (a >= 100) printf "%.0f\n", v
		else printf "%.3g\n", v
	}'
}

print_table() {
	local name unit cm cmin cmax rname rm rmin rmax ratio kind target met runs note
	local tgt mark

	printf '\n%-28s %-10s %-22s %-26s %-7s %-8s %s\n' \
		MEASUREMENT UNIT "CLINK [min..max]" "REFERENCE [min..max]" RATIO TARGET MET
	while IFS=$'\x1f' read -r name unit cm cmin cmax rname rm rmin rmax ratio kind target met runs note; do
		case "$kind" in
		higher | scale) tgt=">=$target" ;;
		lower) tgt="<=$target" ;;
		*) tgt=- ;;
		esac
		case "$met" in
		true) mark=yes ;;
		false) mark=NO ;;
		*) mark=- ;;
		esac
		printf '%-28s %-10s %-22s %-26s %-7s %-8s %s\n' "$name" "$unit" \
			"$(human "$cm") [$(human "$cmin")..$(human "$cmax")]" \
			"$([ "$rm" = nan ] && echo - || echo "$rname $(human "$rm") [$(human "$rmin")..$(human "$rmax")]")" \
			"$([ "$ratio" = nan ] && echo - || printf '%.3f' "$ratio")" "$tgt" "$mark"
	done <"$RESULTS"
	echo
}

json_num() {
	if [[ "$1" =~ ^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$ ]]; then
		echo "$1"
	else
		echo null
	fi
}

json_str() {
	local s=${1//\\/\\\\}
	s=${s//\"/\\\"}
	printf '"%s"' "$s"
}

print_json() {
	local name unit cm cmin cmax rname rm rmin rmax ratio kind target met runs note
	local first=1

	printf '{"kernel":%s,"machine":%s,"clock":%s,"cpus":%d,"date":%s,"runs":%s,"secs_per_run":%s,"results":[' \
		"$(json_str "$(uname -r)")" "$(json_str "$BENCH_MACHINE")" \
		"$(json_str "${clock:-wall}")" "$(nproc)" \
		"$(json_str "$(date -u +%Y-%m-%dT%H:%M:%SZ)")" "$BENCH_RUNS" "$BENCH_SECS"
	while IFS=$'\x1f' read -r name unit cm cmin cmax rname rm rmin rmax ratio kind target met runs note; do
		[ $first = 1 ] || printf ','
		first=0
		printf '\n{"name":%s,"unit":%s,"clink":{"median":%s,"min":%s,"max":%s,"runs":%s},' \
			"$(json_str "$name")" "$(json_str "$unit")" "$(json_num "$cm")" \
			"$(json_num "$cmin")" "$(json_num "$cmax")" "$runs"
		if [ "$rm" = nan ]; then
			printf '"reference":null,'
		else
			printf '"reference":{"name":%s,"median":%s,"min":%s,"max":%s},' \
				"$(json_str "$rname")" "$(json_num "$rm")" "$(json_num "$rmin")" "$(json_num "$rmax")"
		fi
		printf '"ratio":%s,"target":{"kind":%s,"value":%s},"met":%s,"note":%s}' \
			"$(json_num "$ratio")" "$(json_str "$kind")" "$(json_num "$target")" \
			"$met" "$(json_str "$note")"
	done <"$RESULTS"
	printf '\n]}\n'
}
