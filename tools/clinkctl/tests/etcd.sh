#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# clinkctl -E URL -C CLUSTER against a real etcd (Debian's etcd-server,
# started here on a temporary data directory and loopback ports; no
# kernel module needed): a batch lands as the keys and JSON records of
# Documentation/cluster.rst, shows read them back, and the transactions
# hold the cluster-wide rules under concurrent writers: one VPC per
# instance, the per-VPC link limit, unique VNIs, unique classic addresses.
#
#   clinkctl -E ... ---+                       +--- clinkctl -E ... (racing)
#                      +--> etcd 127.0.0.1 <---+
#                           /clink/t1/config/..., index/..., gateways/...
#
# Usage: CLINKCTL=path/to/clinkctl tests/etcd.sh	(TAP on stdout)

CLINKCTL=${CLINKCTL:-$(dirname "$0")/../clinkctl}
RACES=${RACES:-10}

# shellcheck source=tests/tap.sh
source "$(dirname "$0")/tap.sh"
tmp=$(mktemp -d)
etcd_pid=
cleanup()
{
	[ -z "$etcd_pid" ] || { kill "$etcd_pid"; wait "$etcd_pid"; } 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT


echo "TAP version 13"
if ! command -v etcd >/dev/null || ! command -v etcdctl >/dev/null; then
	echo "ok 1 - clinkctl -E # SKIP etcd-server and etcd-client are not installed"
	echo "1..1"
	exit 0
fi

# A free pair of loopback ports: etcd says when it cannot bind.
for try in 1 2 3 4 5; do
	port=$((20000 + (RANDOM % 20000) * 2))
	url=http://127.0.0.1:$port
	etcd --name t --data-dir "$tmp/data" \
		--listen-client-urls "$url" --advertise-client-urls "$url" \
		--listen-peer-urls "http://127.0.0.1:$((port + 1))" \
		--initial-advertise-peer-urls "http://127.0.0.1:$((port + 1))" \
		--initial-cluster "t=http://127.0.0.1:$((port + 1))" \
		>"$tmp/etcd.log" 2>&1 &
	etcd_pid=$!
	for _ in $(seq 50); do
		ETCDCTL_API=3 etcdctl --endpoints "$url" endpoint health \
			>/dev/null 2>&1 && break 2
		kill -0 "$etcd_pid" 2>/dev/null || break
		sleep 0.1
	done
	kill "$etcd_pid" 2>/dev/null
	wait "$etcd_pid" 2>/dev/null
	etcd_pid=
	rm -rf "$tmp/data"
done
if [ -z "$etcd_pid" ]; then
	echo "not ok 1 - etcd starts on loopback"
	sed 's/^/#   /' "$tmp/etcd.log" | tail -20
	echo "1..1"
	exit 1
fi

c() { "$CLINKCTL" -E "$url" -C t1 "$@"; }
ectl() { ETCDCTL_API=3 etcdctl --endpoints "$url" "$@"; }

# run CMD...: RC, output in $tmp/out and $tmp/err
run()
{
	"$@" >"$tmp/out" 2>"$tmp/err"
	RC=$?
}

# check_err WHAT MESSAGE CMD...: exit 1, exactly MESSAGE on stderr
check_err()
{
	local what=$1 want=$2

	shift 2
	run "$@"
	[ "$RC" -eq 1 ] && [ "$(cat "$tmp/err")" = "$want" ]
	ok $? "$what"
}

# -- a batch, as keys and records -----------------------------------------

cat > "$tmp/batch" <<'B'
# the same file a gateway takes with clinkctl -batch (save's format)
dev set clink0 region r1 classic-space 10.0.0.0/8 max-links-per-vpc 100
vpc add vpc-a vni 100 cidr 172.16.0.0/16 region r1
vpc cidr add vpc-a 172.17.0.0/16
vpc set vpc-a classiclink on
endpoint add vpc vpc-a 172.16.0.10 vtep 192.168.100.2 mac 02:00:00:00:00:10
route add vpc vpc-a 192.168.9.0/24 via vpn
acl add vpc vpc-a prio 10 dir to-vpc proto tcp dport 80 action allow
instance add i-1 ip 10.1.0.5 region r1
instance add "i/2 %" ip 10.1.0.6 region r1
link add i-1 vpc vpc-a
B
run c -batch "$tmp/batch"
[ "$RC" -eq 0 ] && [ ! -s "$tmp/err" ]
ok $? "-batch applied to etcd, exit 0"

ectl get --prefix --keys-only /clink/t1/ | sed '/^$/d' > "$tmp/keys"
cat > "$tmp/want" <<'K'
/clink/t1/config/acl/vpc-a/0000000010
/clink/t1/config/dev
/clink/t1/config/endpoint/vpc-a/172.16.0.10
/clink/t1/config/instance/i%2F2%20%25
/clink/t1/config/instance/i-1
/clink/t1/config/link/i-1
/clink/t1/config/route/vpc-a/192.168.9.0_24
/clink/t1/config/vpc/vpc-a
/clink/t1/index/addr/10.1.0.5
/clink/t1/index/addr/10.1.0.6
/clink/t1/index/vni/100
/clink/t1/index/vpc-link/vpc-a/i-1
K
diff -u "$tmp/want" "$tmp/keys" > "$tmp/out"
ok $? "the batch is the keys of the layout, IDs percent-encoded"

rec() { ectl get --print-value-only "/clink/t1/$1"; }
jq -e '. == {"vpc-id":"vpc-a","vpc-vni":100,"vpc-cidr":"172.16.0.0/16",
	"vpc-region":"r1","vpc-secondary":["172.17.0.0/16"],"vpc-classiclink":1}' \
	<<<"$(rec config/vpc/vpc-a)" >/dev/null &&
jq -e '. == {"vpc-id":"vpc-a","ep-addr":"172.16.0.10","ep-vtep":"192.168.100.2",
	"ep-mac":"02:00:00:00:00:10"}' <<<"$(rec config/endpoint/vpc-a/172.16.0.10)" >/dev/null &&
jq -e '. == {"vpc-id":"vpc-a","route-dst":"192.168.9.0/24","route-nexthop":"vpn"}' \
	<<<"$(rec config/route/vpc-a/192.168.9.0_24)" >/dev/null &&
jq -e '. == {"vpc-id":"vpc-a","acl-prio":10,"acl-dir":"to-vpc","acl-action":"allow",
	"acl-proto":6,"acl-dport-min":80,"acl-dport-max":80}' \
	<<<"$(rec config/acl/vpc-a/0000000010)" >/dev/null &&
jq -e '. == {"inst-id":"i-1","inst-addr":"10.1.0.5","inst-region":"r1"}' \
	<<<"$(rec config/instance/i-1)" >/dev/null &&
jq -e '. == {"inst-id":"i-1","vpc-id":"vpc-a"}' <<<"$(rec config/link/i-1)" >/dev/null &&
jq -e '. == {"dev-region":"r1","dev-classic-space":["10.0.0.0/8"],
	"dev-max-links-per-vpc":100}' <<<"$(rec config/dev)" >/dev/null &&
[ "$(rec index/vni/100)" = vpc-a ] && [ "$(rec index/addr/10.1.0.6)" = "i/2 %" ]
ok $? "records: the spec's attribute names, enum names, prefixes as text"

run c vpc show
[ "$RC" -eq 0 ] && [ "$(cat "$tmp/out")" = \
	"vpc-a vni 100 cidr 172.16.0.0/16 secondary 172.17.0.0/16 region r1 classiclink on" ]
ok $? "vpc show reads etcd"
run c link show
[ "$RC" -eq 0 ] && [ "$(cat "$tmp/out")" = "i-1 10.1.0.5 vpc vpc-a" ]
ok $? "link show reads etcd, with the instance's address"
run c -j instance show
[ "$RC" -eq 0 ] && jq -e 'length == 2 and (map(.id) | sort) == ["i-1", "i/2 %"]' \
	"$tmp/out" >/dev/null
ok $? "-j instance show reads etcd"
check_err "monitor: not supported with -E" \
	"Error: monitor is not supported with -E" c monitor

# -- the cluster-wide rules -----------------------------------------------

check_err "VNI already used: refused, naming its VPC" \
	"Error: VNI 100 is already used by VPC vpc-a" \
	c vpc add vpc-x vni 100 cidr 172.30.0.0/16
check_err "classic address already used: refused, naming its instance" \
	"Error: address 10.1.0.5 is already used by instance i-1" \
	c instance add i-x ip 10.1.0.5
check_err "a second link of one instance: refused, naming its VPC" \
	"Error: instance i-1 is already linked to VPC vpc-a" \
	c link add i-1 vpc vpc-a
check_err "dev set profile: refused, the records do not carry it" \
	"Error: the profile of a device is not kept in etcd yet; set it on each gateway without -E" \
	c dev set clink0 profile alibaba
check_err "vpc set reach: refused, the records do not carry it" \
	"Error: the reach of a VPC is not kept in etcd yet; set it on each gateway without -E" \
	c vpc set vpc-a reach 172.16.1.0/24
check_err "vpc add with reach: refused likewise" \
	"Error: the reach of a VPC is not kept in etcd yet; set it on each gateway without -E" \
	c vpc add vpc-x vni 999 cidr 172.30.0.0/16 reach 172.30.1.0/24
check_err "vpc set dscp: refused, the records do not carry it" \
	"Error: the DSCP of a VPC or link is not kept in etcd yet; set it on each gateway without -E" \
	c vpc set vpc-a dscp 46
check_err "vpc replace with dscp inherit: refused likewise" \
	"Error: the DSCP of a VPC or link is not kept in etcd yet; set it on each gateway without -E" \
	c vpc replace vpc-a vni 100 cidr 172.16.0.0/16 dscp inherit
check_err "link replace with dscp: refused likewise" \
	"Error: the DSCP of a VPC or link is not kept in etcd yet; set it on each gateway without -E" \
	c link replace i-1 vpc vpc-a dscp 10
run c link replace i-1 vpc vpc-a
[ "$RC" -eq 0 ] && [ ! -s "$tmp/err" ]
ok $? "link replace without dscp of an existing link: nothing to change"
run ectl get --prefix --keys-only /clink/t1/
[ "$(sed '/^$/d' "$tmp/out")" = "$(cat "$tmp/keys")" ]
ok $? "refused commands changed no key"

# RACE N WHAT CMD1 -- CMD2 ...: all start at once; exactly N succeed, the
# others fail with an Error: line matching WHAT.
race()
{
	local want=$1 what=$2 i=0 pids=() wins=0 cmd=()

	shift 2
	: > "$tmp/race"
	while [ $# -gt 0 ]; do
		cmd=()
		while [ $# -gt 0 ] && [ "$1" != -- ]; do
			cmd+=("$1")
			shift
		done
		[ $# -eq 0 ] || shift
		i=$((i + 1))
		( until [ -e "$tmp/go" ]; do sleep 0.01; done
		  c "${cmd[@]}" ) >"$tmp/race.$i" 2>&1 &
		pids+=($!)
	done
	# one file releases every writer at once
	sleep 0.2
	touch "$tmp/go"
	for pid in "${pids[@]}"; do
		wait "$pid" && wins=$((wins + 1))
	done
	if [ "$wins" -ne "$want" ] ||
	   [ "$(cat "$tmp"/race.* | grep -vc "^Error: $what")" -ne 0 ] ||
	   [ "$(cat "$tmp"/race.* | wc -l)" -ne $((i - want)) ]; then
		echo "# $wins of $i succeeded, $want wanted"
		cat "$tmp"/race.* | sed 's/^/#   /'
		rm -f "$tmp"/race.* "$tmp/go"
		return 1
	fi
	rm -f "$tmp"/race.* "$tmp/go"
}

run c -batch - <<'B'
vpc add vpc-b vni 200 cidr 172.20.0.0/16 region r1
vpc set vpc-b classiclink on
vpc add vpc-c vni 300 cidr 172.21.0.0/16 region r1
vpc set vpc-c classiclink on
B
rc=$RC
for i in $(seq "$RACES"); do
	c instance add "i-r$i" ip "10.2.0.$i" region r1 || rc=1
done
for i in $(seq "$RACES"); do
	race 1 "instance i-r$i is already linked to VPC vpc-[bc]\$" \
		link add "i-r$i" vpc vpc-b -- link add "i-r$i" vpc vpc-c || rc=1
done
ok $rc "$RACES races of two writers linking one instance to two VPCs: one wins each"
for i in $(seq "$RACES"); do
	[ "$(rec "index/vpc-link/vpc-b/i-r$i")$(rec "index/vpc-link/vpc-c/i-r$i")" = "" ] &&
		[ "$(ectl get --prefix --keys-only "/clink/t1/index/vpc-link/" |
		     grep -c "/i-r$i\$")" -eq 1 ] || rc=1
done
ok $rc "... and each instance is in exactly one VPC's link index"

rc=0
for i in $(seq 5); do
	race 1 "VNI $((1000 + i)) is already used by VPC vpc-v$i[ab]\$" \
		vpc add "vpc-v${i}a" vni $((1000 + i)) cidr 172.22.0.0/16 -- \
		vpc add "vpc-v${i}b" vni $((1000 + i)) cidr 172.23.0.0/16 || rc=1
done
ok $rc "racing VPCs with one VNI: one wins each time"
rc=0
for i in $(seq 5); do
	race 1 "address 10.3.0.$i is already used by instance i-a$i[xy]\$" \
		instance add "i-a${i}x" ip "10.3.0.$i" -- \
		instance add "i-a${i}y" ip "10.3.0.$i" || rc=1
done
ok $rc "racing instances with one classic address: one wins each time"

# -- the per-VPC link limit -----------------------------------------------

c dev set clink0 max-links-per-vpc 3
c vpc add vpc-l vni 500 cidr 172.24.0.0/16 region r1
c vpc set vpc-l classiclink on
for i in 1 2 3 4 5 6; do c instance add "i-l$i" ip "10.4.0.$i" region r1; done
c link add i-l1 vpc vpc-l
race 2 "VPC vpc-l has reached its limit of 3 linked instances\$" \
	link add i-l2 vpc vpc-l -- link add i-l3 vpc vpc-l -- \
	link add i-l4 vpc vpc-l -- link add i-l5 vpc vpc-l
ok $? "limit 3, one link, four racing: exactly two more get in"
check_err "the limit, named" \
	"Error: VPC vpc-l has reached its limit of 3 linked instances" \
	c link add i-l6 vpc vpc-l
[ "$(ectl get --prefix --keys-only /clink/t1/index/vpc-link/vpc-l/ | sed '/^$/d' | wc -l)" -eq 3 ]
ok $? "... and the VPC holds 3 links"

# A VPC's own quota (0: the device's) is in its record and counts instead.
c vpc set vpc-l max-links 5
[ "$(rec config/vpc/vpc-l | jq '."vpc-max-links"')" = 5 ] &&
	[ "$(rec config/vpc/vpc-l | jq '."vpc-classiclink"')" = 1 ]
ok $? "vpc set max-links 5: kept in the VPC's record, ClassicLink untouched"
for i in 7 8 9; do c instance add "i-l$i" ip "10.4.0.$i" region r1; done
c link add i-l7 vpc vpc-l && c link add i-l8 vpc vpc-l
ok $? "max-links 5: two more than the device's 3"
check_err "max-links 5, named" \
	"Error: VPC vpc-l has reached its limit of 5 linked instances" \
	c link add i-l9 vpc vpc-l
check_err "lowering max-links below the VPC's links is refused" \
	"Error: VPC vpc-l has 5 links, more than max-links 4" \
	c vpc set vpc-l max-links 4
check_err "so is going back to the device's 3" \
	"Error: VPC vpc-l has 5 links, more than the device's max-links-per-vpc 3" \
	c vpc set vpc-l max-links 0
[ "$(rec config/vpc/vpc-l | jq '."vpc-max-links"')" = 5 ]
ok $? "... and the record still says 5"
c vpc replace vpc-l vni 500 cidr 172.24.0.0/16 region r1 &&
	[ "$(rec config/vpc/vpc-l | jq '."vpc-max-links"')" = 5 ]
ok $? "a replaced VPC keeps its max-links"
c link flush vpc vpc-l
[ -z "$(ectl get --prefix --keys-only /clink/t1/index/vpc-link/vpc-l/)" ] &&
	[ -z "$(ectl get --prefix --keys-only /clink/t1/config/link/i-l)" ]
ok $? "link flush removes the links and their index"

# -- batch failures, deletes ------------------------------------------------

printf 'vpc add vpc-d vni 600 cidr 172.25.0.0/16\nvpc add vpc-e vni 600 cidr 172.26.0.0/16\nvpc add vpc-f vni 601 cidr 172.27.0.0/16\n' \
	> "$tmp/bad"
run c -batch "$tmp/bad"
[ "$RC" -eq 1 ] && [ "$(cat "$tmp/err")" = "Error: VNI 600 is already used by VPC vpc-d
Command failed $tmp/bad:2" ] && [ -z "$(rec config/vpc/vpc-f)" ]
ok $? "-batch stops at the first refused command, FILE:LINE"

check_err "vpc del with linked instances: refused" \
	"Error: VPC vpc-a has 1 linked instances" c vpc del vpc-a
c instance del i-1 && c vpc del vpc-a
[ -z "$(ectl get --prefix --keys-only /clink/t1/ | grep -e vpc-a -e "/i-1$" -e "index/vni/100$" -e "10.1.0.5$")" ]
ok $? "instance del unlinks; vpc del takes its endpoints, routes, ACLs and index"

# -- gateways -------------------------------------------------------------

rev=$(ectl get /clink/t1/config/dev -w json | jq -r .header.revision)
ectl put /clink/t1/gateways/gw1 "{\"name\":\"gw1\",\"vtep\":\"192.0.2.1\",
	\"version\":\"0.1.0\",\"kernel\":\"6.12\",\"revision\":$rev,\"applied\":$((rev - 7)),
	\"vpcs\":1,\"instances\":2,\"links\":1,\"endpoints\":1,
	\"errors\":[{\"key\":\"config/link/i-9\",\"error\":\"instance i-9 does not exist\"}],
	\"updated\":\"2026-12-07T02:00:00Z\"}" >/dev/null
now=$(ectl get /clink/t1/gateways/gw1 -w json | jq -r .header.revision)
run c gateway show
[ "$RC" -eq 0 ] && [ "$(cat "$tmp/out")" = "gw1 vtep 192.0.2.1 applied $((rev - 7)) lag $((now - rev + 7)) vpcs 1 instances 2 links 1 endpoints 1 errors 1 version 0.1.0 kernel 6.12 updated 2026-12-07T02:00:00Z
    error config/link/i-9: instance i-9 does not exist" ]
ok $? "gateway show: one line per gateway, its lag, its errors"
run c -j gateway show
[ "$RC" -eq 0 ] && jq -e ".[0].name == \"gw1\" and .[0].lag == $((now - rev + 7)) and
	.[0].revision == $now and .[0].errors[0].key == \"config/link/i-9\"" \
	"$tmp/out" >/dev/null
ok $? "-j gateway show"
check_err "gateway show of an unknown gateway" \
	"Error: no gateway gw2 is registered" c gateway show gw2

# -- etcd unreachable -----------------------------------------------------

run "$CLINKCTL" -E http://127.0.0.1:1 -C t1 vpc show
[ "$RC" -eq 1 ] && grep -q '^Error: etcd at http://127.0.0.1:1/v3/kv/range: ' "$tmp/err"
ok $? "etcd unreachable: Error: naming it, exit 1"

tap_done
