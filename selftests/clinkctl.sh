#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# clinkctl against the real module: every object, command and option, the
# text and JSON output, the kernel's error messages as the user sees them
# ("Error: ..."), exit codes, abbreviations, -batch (-force, FILE:LINE,
# quoting, a large generated batch, timed), monitor while another process
# makes changes, save -> -batch round trip, -n NETNS, permissions.
#
#  +-- netns a --------------------------------+   +-- netns b ------------+
#  | clink0 region r1, max-links-per-vpc 2     |   | clink0, fresh:        |
#  |   classic-space 10/8,100.64/10            |   | replays a's "save"    |
#  |   vpc-a (ClassicLink) <- i-1, i-2 linked  |   +-----------------------+
#  |   vpc-b, vpc-c, vpc-d, vpc-r, instances,  |   +-- netns big ----------+
#  |   routes, endpoints, ACLs                 |   | clink0: the large     |
#  | clinkctl monitor (x3, in the background)  |   | generated batch       |
#  +-------------------------------------------+   +-----------------------+
#
# Exit codes under test: 0 success, 1 the kernel refused (or a batch line
# failed), 255 the command line was wrong.

# setup_ns assigns a, b and big; wait_for and check_* call functions:
# shellcheck disable=SC2154,SC2317

cd "$(dirname "$0")" || exit 1
source ./lib.sh

require_clink
require_cmd jq awk seq setpriv

# Lines of the large batch: 100000 takes ~10 s on hardware; set lower when
# under emulation makes it too slow (see the INFO line with its time).
BIG=${CLINKCTL_BIG:-100000}

tmp=$(mktemp -d)
defer rm -rf "$tmp"

setup_ns a b big

c() { "$CLINKCTL" -n "$a" "$@"; }

# run CMD...: sets OUT, ERR (stdout and stderr, no trailing newline) and RC.
run()
{
	OUT=$("$@" 2>"$tmp/stderr")
	RC=$?
	ERR=$(cat "$tmp/stderr")
}

fail_detail()
{
	detail "command: $*"
	detail "exit status $RC"
	[ -z "$OUT" ] || detail "stdout: $OUT"
	[ -z "$ERR" ] || detail "stderr: $ERR"
}

# check_ok WHAT CMD...: exit 0, nothing on stderr.
check_ok()
{
	local what=$1 rc=0

	shift
	run "$@"
	if [ "$RC" -ne 0 ] || [ -n "$ERR" ]; then
		fail_detail "$@"
		rc=1
	fi
	log_test $rc "$what"
}

# check_out WHAT EXPECTED CMD...: exit 0 and exactly EXPECTED on stdout.
check_out()
{
	local what=$1 want=$2 rc=0

	shift 2
	run "$@"
	if [ "$RC" -ne 0 ] || [ -n "$ERR" ] || [ "$OUT" != "$want" ]; then
		fail_detail "$@"
		detail "expected stdout: $want"
		rc=1
	fi
	log_test $rc "$what"
}

# check_sorted WHAT EXPECTED CMD...: the same, in any order of lines.
check_sorted()
{
	local what=$1 want=$2 rc=0

	shift 2
	run "$@"
	OUT=$(sort <<<"$OUT")
	want=$(sort <<<"$want")
	if [ "$RC" -ne 0 ] || [ -n "$ERR" ] || [ "$OUT" != "$want" ]; then
		fail_detail "$@"
		detail "expected (any order): $want"
		rc=1
	fi
	log_test $rc "$what"
}

# check_err WHAT STATUS MESSAGE CMD...: exit STATUS, stderr's first line is
# exactly MESSAGE, nothing on stdout.
check_err()
{
	local what=$1 status=$2 want=$3 rc=0

	shift 3
	run "$@"
	if [ "$RC" -ne "$status" ] || [ -n "$OUT" ] ||
	   [ "$(head -n 1 <<<"$ERR")" != "$want" ]; then
		fail_detail "$@"
		detail "expected exit $status and: $want"
		rc=1
	fi
	log_test $rc "$what"
}

# check_jq WHAT FILTER CMD...: exit 0, and jq -e FILTER holds on stdout.
check_jq()
{
	local what=$1 filter=$2 rc=0

	shift 2
	run "$@"
	if [ "$RC" -ne 0 ] || [ -n "$ERR" ] ||
	   ! jq -e "$filter" <<<"$OUT" >/dev/null 2>&1; then
		fail_detail "$@"
		detail "jq filter failed: $filter"
		rc=1
	fi
	log_test $rc "$what"
}

# -- options, usage, no device ----------------------------------------------

run "$CLINKCTL" -V
[ "$RC" -eq 0 ] && [[ "$OUT" =~ ^clinkctl\ [^\ ]+$ ]]
log_test $? "-V prints 'clinkctl VERSION'"

run "$CLINKCTL" help
[ "$RC" -eq 0 ] && grep -q '^Usage: clinkctl' <<<"$OUT"
log_test $? "help: usage on stdout, exit 0"

for obj in dev vpc endpoint route instance link acl monitor save service vpce; do
	run "$CLINKCTL" "$obj" help
	if [ "$RC" -ne 0 ] || ! grep -q "^Usage: clinkctl $obj" <<<"$OUT"; then
		detail "$obj help: exit $RC, $OUT"
		false
		break
	fi
done
log_test $? "OBJECT help for every object"

# "help" where a name may stand is no name (tests/cli.sh has every level)
run "$CLINKCTL" -n "$a" dev add help
[ "$RC" -eq 0 ] && grep -q '^Usage: clinkctl dev' <<<"$OUT" &&
	! ip -n "$a" link show help >/dev/null 2>&1
log_test $? "dev add help: the usage, and no device named help"

check_err "no arguments: usage, exit 255" 255 "Error: no object given" \
	"$CLINKCTL"
check_err "unknown object: exit 255" 255 'Error: unknown object "frob"' \
	"$CLINKCTL" frob
check_err "unknown option: exit 255" 255 'Error: unknown option "-q"' \
	"$CLINKCTL" -q vpc show
check_err "unknown command: exit 255" 255 'Error: unknown command "frob"' \
	"$CLINKCTL" vpc frob
check_err "missing vni: exit 255" 255 'Error: "vni" is required' \
	"$CLINKCTL" vpc add x cidr 172.16.0.0/16
check_err "bad prefix: exit 255" 255 'Error: invalid prefix "172.16.0/16"' \
	"$CLINKCTL" vpc add x vni 1 cidr 172.16.0/16
check_err "bad MAC: exit 255" 255 'Error: invalid MAC address "02:00:00:00:10"' \
	"$CLINKCTL" endpoint add vpc x 172.16.0.1 vtep 1.2.3.4 mac 02:00:00:00:10
check_err "bad port range: exit 255" 255 'Error: invalid port range "90-80"' \
	"$CLINKCTL" acl add vpc x prio 1 dir to-vpc proto tcp dport 90-80 action allow
check_err "keyword without value: exit 255" 255 'Error: "cidr" needs an argument' \
	"$CLINKCTL" vpc add x vni 1 cidr
check_err "-n of a missing namespace: exit 1" 1 \
	'Error: cannot open network namespace "nosuch-ns": No such file or directory' \
	"$CLINKCTL" -n nosuch-ns vpc show
check_err "no clink device: the kernel's message, exit 1" 1 \
	"Error: no clink device in this network namespace" c vpc show

# -- dev ---------------------------------------------------------------------

check_err "dev add with a bad classic-space creates nothing" 1 \
	"Error: prefix 10.0.0.1/8 has host bits set" \
	c dev add clink0 region r1 classic-space 10.0.0.1/8
! ip -n "$a" link show clink0 >/dev/null 2>&1
log_test $? "... and no clink0 exists"

check_err "dev add with a limit out of range: the policy's message" 1 \
	"Error: integer out of range" c dev add clink0 max-links-per-vpc 0
! ip -n "$a" link show clink0 >/dev/null 2>&1
log_test $? "... and no clink0 exists"

check_ok "dev add clink0 with region, limit and prefix lists" \
	c dev add clink0 region r1 max-links-per-vpc 2 \
	classic-space 10.0.0.0/8,100.64.0.0/10 vpc-eligible 172.16.0.0/12
ip -n "$a" link set clink0 up

run c dev show
OUT=$(sed -E 's/ifindex [0-9]+/ifindex N/; s/version [^ ]+/version V/;
	s/ mac [^ ]+/ mac M/; s/generation [0-9]+/generation G/' <<<"$OUT")
[ "$RC" -eq 0 ] && [ "$OUT" = "clink0 ifindex N version V local 0.0.0.0 port 4789 region r1 mac M profile custom max-links-per-vpc 2 max-vpcs 65536 max-instances 1048576 max-links 1048576 max-endpoints 1048576 classic-space 10.0.0.0/8,100.64.0.0/10 vpc-eligible 172.16.0.0/12 vpcs 0 instances 0 links 0 endpoints 0 generation G" ]
rc=$?
detail "$OUT"
log_test $rc "dev show: one line with every attribute"

check_jq "-j dev show: snake_case keys, prefix lists as arrays" \
	'length == 1 and .[0].ifname == "clink0" and .[0].region == "r1" and
	 .[0].port == 4789 and .[0].max_links_per_vpc == 2 and .[0].profile == "custom" and
	 .[0].classic_space == ["10.0.0.0/8", "100.64.0.0/10"] and
	 .[0].vpc_eligible == ["172.16.0.0/12"] and .[0].vpcs == 0 and
	 (.[0].mac | test("^([0-9a-f]{2}:){5}[0-9a-f]{2}$"))' \
	c -j dev show clink0

run c -s dev show
drops_line=$(sed -n 3p <<<"$OUT")
[ "$RC" -eq 0 ] &&
	[ "$(sed -n 2p <<<"$OUT")" = "    to-vpc 0 packets 0 bytes  to-classic 0 packets 0 bytes" ] &&
	[ "$drops_line" = "    drops no-link 0 secondary-cidr 0 no-transit 0 acl-deny 0 no-endpoint 0 unknown-vni 0 not-linked 0 spoofed-source 0 malformed 0 not-ipv4 0 mtu 0 no-route 0 ttl 0 nomem 0 vtep-mismatch 0 outside-reach 0 pl-no-service 0 pl-not-allowed 0 pl-no-session 0 pl-snat-exhausted 0 pl-session-limit 0" ]
rc=$?
detail "$OUT"
log_test $rc "-s dev show: traffic line and every drop counter by name"

check_jq "-j -s dev show: stats and drops objects" \
	'.[0].stats.to_vpc_packets == 0 and (.[0].drops | keys | length) == 21 and
	 .[0].drops.spoofed_source == 0 and .[0].drops.no_link == 0 and
	 .[0].drops.outside_reach == 0 and .[0].drops.pl_session_limit == 0' \
	c -j -s dev show

check_err "dev set port while up: the kernel's message" 1 \
	"Error: the underlay address and port cannot change while the device is up" \
	c dev set clink0 port 4790
gen0=$(c -j dev show | jq '.[0].generation')
check_ok "dev set region r2" c dev set clink0 region r2
check_jq "... region is r2, generation bumped" \
	".[0].region == \"r2\" and .[0].generation != $gen0" c -j dev show
c dev set clink0 region r1
check_err "dev set classic-space none: refused" 1 \
	"Error: the classic space cannot be empty" \
	c dev set clink0 classic-space none

# profiles: a cloud's classic space, vpc-eligible list and links per VPC
check_ok "dev set profile alibaba" c dev set clink0 profile alibaba
check_jq "... Alibaba's lists and limit, profile alibaba" \
	'.[0].profile == "alibaba" and .[0].max_links_per_vpc == 1000 and
	 .[0].classic_space == ["10.0.0.0/10", "10.64.0.0/11", "10.96.0.0/13",
		"10.104.0.0/14", "10.108.0.0/15", "10.110.0.0/16", "10.112.0.0/12",
		"10.128.0.0/9"] and
	 .[0].vpc_eligible == ["10.111.0.0/16", "172.16.0.0/12", "192.168.0.0/16"]' \
	c -j dev show
run c save
[ "$RC" -eq 0 ] && [ "$(sed -n 3p <<<"$OUT")" = "dev set clink0 region r1 profile alibaba" ]
rc=$?
[ $rc -eq 0 ] || detail "$OUT"
log_test $rc "save: the profile stands for its lists and limit"
check_err "profile with a list of its own: refused" 1 \
	"Error: profile aws sets classic-space, vpc-eligible and max-links-per-vpc itself" \
	c dev set clink0 profile aws classic-space 10.0.0.0/8
check_err "profile takes a cloud: exit 255" 255 \
	'Error: "profile" takes tencent, alibaba, aws or custom, not "gcp"' \
	c dev set clink0 profile gcp
check_ok "lists and limit by hand again" \
	c dev set clink0 max-links-per-vpc 2 classic-space 10.0.0.0/8,100.64.0.0/10 \
	vpc-eligible 172.16.0.0/12
check_jq "... the profile is custom again" \
	'.[0].profile == "custom" and .[0].max_links_per_vpc == 2' c -j dev show

check_err "dev del of a device that is not clink" 1 \
	"Error: lo is not a clink device" c dev del lo

# -- vpc ---------------------------------------------------------------------

check_ok "vpc add vpc-a" c vpc add vpc-a vni 100 cidr 172.16.0.0/16 account a1
check_ok "vpc cidr add (secondary)" c vpc cidr add vpc-a 172.17.0.0/16
check_ok "vpc add vpc-b, vpc-c, vpc-d, vpc-r" \
	c -batch - <<-EOF
	vpc add vpc-b vni 200 cidr 172.20.0.0/16 account a1
	vpc add vpc-c vni 300 cidr 10.5.0.0/16
	vpc add vpc-d vni 400 cidr 192.168.0.0/16
	vpc add vpc-r vni 500 cidr 172.30.0.0/16 region r2 account a1
	EOF

check_err "duplicate VPC" 1 "Error: VPC vpc-a already exists" \
	c vpc add vpc-a vni 101 cidr 172.21.0.0/16
check_err "duplicate VNI" 1 "Error: VNI 100 is already used by VPC vpc-a" \
	c vpc add vpc-x vni 100 cidr 172.21.0.0/16
check_err "VNI 0: the policy's range check" 1 "Error: integer out of range" \
	c vpc add vpc-x vni 0 cidr 172.21.0.0/16
check_err "VNI 2^24: the policy's range check" 1 "Error: integer out of range" \
	c vpc add vpc-x vni 16777216 cidr 172.21.0.0/16
# the kernel's own length check is netlink_policy's; clinkctl stops first
check_err "region of 64 characters: refused before the kernel" 255 \
	"Error: region \"rrrrrrrrrrrrrrrr...\" is too long (at most 63 bytes)" \
	c vpc add vpc-x vni 101 cidr 172.21.0.0/16 region "$(printf 'r%.0s' {1..64})"
check_err "CIDR with host bits" 1 "Error: prefix 172.21.0.1/16 has host bits set" \
	c vpc add vpc-x vni 101 cidr 172.21.0.1/16
check_err "overlapping secondary CIDR" 1 \
	"Error: CIDR 172.16.128.0/17 overlaps 172.16.0.0/16 of VPC vpc-a" \
	c vpc cidr add vpc-a 172.16.128.0/17
check_err "primary CIDR cannot be removed" 1 \
	"Error: the primary CIDR of a VPC cannot be removed" \
	c vpc cidr del vpc-a 172.16.0.0/16
check_err "ClassicLink: CIDR in the classic space" 1 \
	"Error: VPC CIDR 10.5.0.0/16 overlaps the classic space 10.0.0.0/8" \
	c vpc set vpc-c classiclink on
check_err "ClassicLink: CIDR outside vpc-eligible" 1 \
	"Error: VPC CIDR 192.168.0.0/16 lies outside the vpc-eligible prefixes" \
	c vpc set vpc-d classiclink on
check_err "ClassicLink: region mismatch" 1 \
	"Error: VPC region r2 differs from the gateway's region r1" \
	c vpc set vpc-r classiclink on
check_err "classiclink takes on|off: exit 255" 255 \
	'Error: "classiclink" takes on or off, not "yes"' c vpc set vpc-a classiclink yes
check_ok "vpc set vpc-a classiclink on" c vpc set vpc-a classiclink on
check_ok "vpc replace (same attributes) is accepted" \
	c vpc replace vpc-a vni 100 cidr 172.16.0.0/16 account a1
check_err "vpc show of a missing VPC" 1 "Error: VPC nosuch does not exist" \
	c vpc show nosuch
check_out "vpc show ID: one line" \
	"vpc-a vni 100 cidr 172.16.0.0/16 secondary 172.17.0.0/16 region r1 account a1 classiclink on links 0 endpoints 0 routes 2 acls 0" \
	c vpc show vpc-a

# -- instance, link ------------------------------------------------------------

check_ok "instance add i-1, i-2, i-3, i-acct, i-q" c -batch - <<-'EOF'
	instance add i-1 ip 10.1.0.5 account a1
	instance add i-2 ip 10.1.0.6 account a1
	instance add i-3 ip 10.1.0.7 account a1
	instance add i-acct ip 10.1.0.9 account other
	instance add i-q ip 10.1.0.40 account "a \"b\""
	EOF
check_err "instance outside the classic space" 1 \
	"Error: address 192.168.1.1 lies outside the classic space" \
	c instance add i-x ip 192.168.1.1
check_err "instance address in use" 1 \
	"Error: address 10.1.0.5 is already used by instance i-1" \
	c instance add i-x ip 10.1.0.5
check_err "duplicate instance" 1 "Error: instance i-1 already exists" \
	c instance add i-1 ip 10.1.0.50
check_out "instance show ID" "i-1 ip 10.1.0.5 region r1 account a1" \
	c instance show i-1
check_out "instance show: a quoted batch word with blanks and quotes" \
	'i-q ip 10.1.0.40 region r1 account a "b"' c instance show i-q

check_ok "link add i-1 vpc vpc-a" c link add i-1 vpc vpc-a
check_ok "link add i-2 vpc vpc-a" c link add i-2 vpc vpc-a
check_err "link: already linked" 1 "Error: instance i-1 is already linked to VPC vpc-a" \
	c link add i-1 vpc vpc-a
check_err "link: max-links-per-vpc" 1 \
	"Error: VPC vpc-a has reached the device's limit of 2 links (max-links-per-vpc)" \
	c link add i-3 vpc vpc-a
check_err "vpc set max-links below the VPC's links" 1 \
	"Error: VPC vpc-a has 2 links, more than max-links 1" \
	c vpc set vpc-a max-links 1
check_err "max-links takes a number: exit 255" 255 \
	"Error: \"max-links\" takes 0 (the device's max-links-per-vpc) to 65536, not \"many\"" \
	c vpc set vpc-a max-links many
check_err "max-links above 65536: exit 255" 255 \
	"Error: \"max-links\" takes 0 (the device's max-links-per-vpc) to 65536, not \"65537\"" \
	c vpc set vpc-a max-links 65537
check_ok "vpc set vpc-a max-links 2" c vpc set vpc-a max-links 2
check_err "link: the VPC's own max-links" 1 \
	"Error: VPC vpc-a has reached its own limit of 2 links (max-links)" \
	c link add i-3 vpc vpc-a
check_ok "vpc set vpc-b max-links 1000 (above the device's 2)" \
	c vpc set vpc-b max-links 1000
check_out "vpc show: max-links when set" \
	"vpc-b vni 200 cidr 172.20.0.0/16 region r1 account a1 classiclink off max-links 1000 links 0 endpoints 0 routes 1 acls 0" \
	c vpc show vpc-b
check_ok "vpc set vpc-c max-links 7" c vpc set vpc-c max-links 7
check_ok "vpc set vpc-c max-links 0 (back to the device's)" c vpc set vpc-c max-links 0
check_out "vpc show: no max-links at 0 (the device's)" \
	"vpc-c vni 300 cidr 10.5.0.0/16 region r1 classiclink off links 0 endpoints 0 routes 1 acls 0" \
	c vpc show vpc-c

# reach: the part of the primary CIDR linked instances reach
check_err "reach outside the primary CIDR" 1 \
	"Error: reach 172.21.0.0/24 lies outside the primary CIDR 172.20.0.0/16" \
	c vpc set vpc-b reach 172.21.0.0/24
check_err "reach takes a prefix or none: exit 255" 255 \
	'Error: "reach" takes a prefix or none, not "all"' c vpc set vpc-b reach all
check_err "ClassicLink: a reach prefix in the classic space" 1 \
	"Error: reach 10.5.1.0/24 overlaps the classic space 10.0.0.0/8" \
	c vpc set vpc-c classiclink on reach 10.5.1.0/24
check_err "ClassicLink: a reach prefix outside vpc-eligible" 1 \
	"Error: reach 192.168.1.0/24 lies outside the vpc-eligible prefixes" \
	c vpc set vpc-d classiclink on reach 192.168.1.0/24
check_out "... neither changed anything" \
	"vpc-c vni 300 cidr 10.5.0.0/16 region r1 classiclink off links 0 endpoints 0 routes 1 acls 0
vpc-d vni 400 cidr 192.168.0.0/16 region r1 classiclink off links 0 endpoints 0 routes 1 acls 0" \
	c -batch - <<<$'vpc show vpc-c\nvpc show vpc-d'
check_ok "vpc set vpc-b reach 172.20.1.0/24" c vpc set vpc-b reach 172.20.1.0/24
check_out "vpc show: reach when set" \
	"vpc-b vni 200 cidr 172.20.0.0/16 region r1 account a1 classiclink off max-links 1000 reach 172.20.1.0/24 links 0 endpoints 0 routes 1 acls 0" \
	c vpc show vpc-b
check_ok "vpc set vpc-c reach 10.5.1.0/24 (ClassicLink off: no check)" \
	c vpc set vpc-c reach 10.5.1.0/24
check_ok "vpc set vpc-c reach none" c vpc set vpc-c reach none
check_out "vpc show: no reach after none" \
	"vpc-c vni 300 cidr 10.5.0.0/16 region r1 classiclink off links 0 endpoints 0 routes 1 acls 0" \
	c vpc show vpc-c
check_err "link: ClassicLink disabled" 1 "Error: ClassicLink is disabled on VPC vpc-b" \
	c link add i-3 vpc vpc-b
check_err "link: account mismatch" 1 \
	"Error: instance account other differs from VPC account a1" \
	c link add i-acct vpc vpc-a
check_err "link: missing instance" 1 "Error: instance nosuch does not exist" \
	c link add nosuch vpc vpc-a
check_err "link del of an unlinked instance" 1 "Error: instance i-3 is not linked" \
	c link del i-3
check_err "ClassicLink off with links" 1 "Error: VPC vpc-a has 2 linked instances" \
	c vpc set vpc-a classiclink off
check_err "vpc del with links" 1 "Error: VPC vpc-a has 2 linked instances" \
	c vpc del vpc-a

check_sorted "link show" "i-1 10.1.0.5 vpc vpc-a
i-2 10.1.0.6 vpc vpc-a" c link show
check_out "link show ip ADDR" "i-1 10.1.0.5 vpc vpc-a" c link show ip 10.1.0.5
check_out "link show vpc VPC (none)" "" c link show vpc vpc-b
check_sorted "-s link show: counters line" "i-1 10.1.0.5 vpc vpc-a
    to-vpc 0 packets 0 bytes  to-classic 0 packets 0 bytes
i-2 10.1.0.6 vpc vpc-a
    to-vpc 0 packets 0 bytes  to-classic 0 packets 0 bytes" c -s link show
check_out "instance show ID of a linked instance" \
	"i-1 ip 10.1.0.5 region r1 account a1 vpc vpc-a" c instance show i-1
check_jq "-j link show" \
	'length == 2 and (map(.instance) | sort) == ["i-1", "i-2"] and
	 (map(.vpc) | unique) == ["vpc-a"] and (map(.ip) | sort) == ["10.1.0.5", "10.1.0.6"]' \
	c -j link show

# dscp: the outer DSCP of a VPC (default inherit: the inner one's) and of a link
check_err "dscp above 63: exit 255" 255 \
	'Error: "dscp" takes 0..63 or inherit, not "64"' c vpc set vpc-b dscp 64
check_err "dscp takes a number or inherit: exit 255" 255 \
	'Error: "dscp" takes 0..63 or inherit, not "ef"' c link add i-3 vpc vpc-b dscp ef
check_ok "vpc set vpc-b dscp 46" c vpc set vpc-b dscp 46
check_out "vpc show: dscp when set" \
	"vpc-b vni 200 cidr 172.20.0.0/16 region r1 account a1 classiclink off max-links 1000 reach 172.20.1.0/24 dscp 46 links 0 endpoints 0 routes 1 acls 0" \
	c vpc show vpc-b
check_jq "-j vpc show: dscp is a number" '.[0].dscp == 46' c -j vpc show vpc-b
check_ok "vpc set vpc-c dscp 0" c vpc set vpc-c dscp 0
check_ok "vpc set vpc-c dscp inherit" c vpc set vpc-c dscp inherit
check_out "vpc show: no dscp after inherit" \
	"vpc-c vni 300 cidr 10.5.0.0/16 region r1 classiclink off links 0 endpoints 0 routes 1 acls 0" \
	c vpc show vpc-c
check_ok "link replace i-1 vpc vpc-a dscp 34" c link replace i-1 vpc vpc-a dscp 34
check_ok "link replace i-2 vpc vpc-a dscp inherit" c link replace i-2 vpc vpc-a dscp inherit
check_sorted "link show: a link's own dscp" "i-1 10.1.0.5 vpc vpc-a dscp 34
i-2 10.1.0.6 vpc vpc-a dscp inherit" c link show
check_jq "-j link show: dscp a number, or \"inherit\"" \
	'(map({(.instance): .dscp}) | add) == {"i-1": 34, "i-2": "inherit"}' \
	c -j link show
check_err "link replace into another VPC: checked as a new link" 1 \
	"Error: ClassicLink is disabled on VPC vpc-b" \
	c link replace i-2 vpc vpc-b dscp 10
check_err "link add of a linked instance, without replace" 1 \
	"Error: instance i-1 is already linked to VPC vpc-a" c link add i-1 vpc vpc-a dscp 1
check_ok "link replace i-2 vpc vpc-a: the VPC's dscp again" c link replace i-2 vpc vpc-a
check_sorted "... the links stayed, only their dscp changed" "i-1 10.1.0.5 vpc vpc-a dscp 34
i-2 10.1.0.6 vpc vpc-a" c link show
check_sorted "... their routes too" "10.1.0.5/32 classiclink instance i-1
10.1.0.6/32 classiclink instance i-2" sh -c "$CLINKCTL -n $a route show vpc vpc-a | grep classiclink"
check_ok "link replace i-1 vpc vpc-a" c link replace i-1 vpc vpc-a

# route-hint: the route each linked instance needs towards its VPC
check_err "route-hint without a route to the instance" 1 \
	'Error: the gateway has no route to instance i-1 (10.1.0.5); say "via ADDR"' \
	c link show route-hint
ip -n "$a" link add classic0 type dummy &&
	ip -n "$a" addr add 10.1.0.1/24 dev classic0 &&
	ip -n "$a" link set classic0 up
check_sorted "route-hint: via the gateway's address towards each instance" \
	"i-1 10.1.0.5 vpc vpc-a: ip route add 172.16.0.0/16 via 10.1.0.1
i-2 10.1.0.6 vpc vpc-a: ip route add 172.16.0.0/16 via 10.1.0.1" \
	c link show route-hint
check_out "route-hint via ADDR, one instance" \
	"i-2 10.1.0.6 vpc vpc-a: ip route add 172.16.0.0/16 via 10.1.0.254" \
	c link show ip 10.1.0.6 route-hint via 10.1.0.254
check_jq "-j route-hint: instance, ip, vpc, dst, via" \
	'length == 2 and (map(select(.instance == "i-1")) | .[0] ==
	 {"instance": "i-1", "ip": "10.1.0.5", "vpc": "vpc-a",
	  "dst": "172.16.0.0/16", "via": "10.1.0.1"})' \
	c -j link show route-hint
check_ok "vpc set vpc-a reach 172.16.0.0/24" c vpc set vpc-a reach 172.16.0.0/24
check_out "route-hint: the reach prefix when the VPC has one" \
	"i-1 10.1.0.5 vpc vpc-a: ip route add 172.16.0.0/24 via 10.1.0.1" \
	c link show ip 10.1.0.5 route-hint
check_ok "vpc set vpc-a reach none" c vpc set vpc-a reach none
check_out "route-hint of a VPC without links: nothing" "" \
	c link show vpc vpc-b route-hint
check_err "route-hint: via needs an address: exit 255" 255 \
	'Error: invalid address "gw"' c link show route-hint via gw
ip -n "$a" link del classic0

# -- route ---------------------------------------------------------------------

check_ok "route add custom via vpn" c route add vpc vpc-a 192.168.9.0/24 via vpn
check_sorted "route show: local, classiclink and custom routes" \
	"172.16.0.0/16 local
172.17.0.0/16 local
10.1.0.5/32 classiclink instance i-1
10.1.0.6/32 classiclink instance i-2
192.168.9.0/24 custom via vpn" c route show vpc vpc-a
check_jq "-j route show" \
	'length == 5 and (map(select(.type == "custom")) | .[0].via == "vpn") and
	 (map(select(.type == "classiclink")) | map(.instance) | sort) == ["i-1", "i-2"]' \
	c -j route show vpc vpc-a
check_err "custom route into the classic space (ClassicLink on)" 1 \
	"Error: route 10.9.0.0/16 overlaps the classic space 10.0.0.0/8 (ClassicLink)" \
	c route add vpc vpc-a 10.9.0.0/16 via nat
check_err "kernel routes cannot be deleted" 1 \
	"Error: route 10.1.0.5/32 is managed by the kernel" \
	c route del vpc vpc-a 10.1.0.5/32
check_err "duplicate route" 1 "Error: route 192.168.9.0/24 already exists in VPC vpc-a" \
	c route add vpc vpc-a 192.168.9.0/24 via dc
check_ok "route replace changes the next hop" \
	c route replace vpc vpc-a 192.168.9.0/24 via dc
check_err "route del of a missing route" 1 \
	"Error: no route 192.168.77.0/24 in VPC vpc-a" \
	c route del vpc vpc-a 192.168.77.0/24
check_err "route show needs vpc: exit 255" 255 "Error: vpc ID is required" \
	c route show
check_err "route show of a missing VPC: the dump's error" 1 \
	"Error: VPC nosuch does not exist" c route show vpc nosuch
check_err "acl show of a missing VPC: the dump's error" 1 \
	"Error: VPC nosuch does not exist" c acl show vpc nosuch

# -- endpoint ------------------------------------------------------------------

check_ok "endpoint add" \
	c endpoint add vpc vpc-a 172.16.0.10 vtep 192.168.100.2 mac 02:00:00:00:00:10
check_out "endpoint show" \
	"172.16.0.10 vpc vpc-a vtep 192.168.100.2 mac 02:00:00:00:00:10" \
	c endpoint show vpc vpc-a
check_err "endpoint outside the VPC" 1 \
	"Error: address 172.20.0.1 lies outside the CIDRs of VPC vpc-a" \
	c endpoint add vpc vpc-a 172.20.0.1 vtep 192.168.100.2 mac 02:00:00:00:00:11
check_err "endpoint with a multicast MAC" 1 \
	"Error: the endpoint MAC must be a unicast address" \
	c endpoint add vpc vpc-a 172.16.0.11 vtep 192.168.100.2 mac 01:00:00:00:00:11
check_err "duplicate endpoint" 1 "Error: endpoint 172.16.0.10 already exists in VPC vpc-a" \
	c endpoint add vpc vpc-a 172.16.0.10 vtep 192.168.100.3 mac 02:00:00:00:00:10
check_ok "endpoint replace" \
	c endpoint replace vpc vpc-a 172.16.0.10 vtep 192.168.100.3 mac 02:00:00:00:00:10
check_out "endpoint show vpc ID ADDR" \
	"172.16.0.10 vpc vpc-a vtep 192.168.100.3 mac 02:00:00:00:00:10" \
	c endpoint show vpc vpc-a 172.16.0.10
check_ok "endpoint in a secondary CIDR" \
	c endpoint add vpc vpc-a 172.17.0.10 vtep 192.168.100.2 mac 02:00:00:00:00:12
check_ok "endpoint del" c endpoint del vpc vpc-a 172.17.0.10
check_err "endpoint del of a missing endpoint" 1 \
	"Error: no endpoint 172.17.0.10 in VPC vpc-a" c endpoint del vpc vpc-a 172.17.0.10
check_jq "-j endpoint show" \
	'. == [{"dev": "clink0", "addr": "172.16.0.10", "vpc": "vpc-a", "vtep": "192.168.100.3", "mac": "02:00:00:00:00:10"}]' \
	c -j endpoint show

# -- acl -----------------------------------------------------------------------

check_ok "acl add tcp dport 22 deny" \
	c acl add vpc vpc-a prio 10 dir to-vpc proto tcp dport 22 action deny
check_ok "acl add to-classic allow with prefixes and port ranges" \
	c acl add vpc vpc-a prio 20 dir to-classic proto udp src 172.16.0.0/16 \
	dst 10.1.0.0/24 sport 1000-2000 dport 53 action allow
check_ok "acl add allow all" c acl add vpc vpc-a prio 100 dir to-vpc action allow
check_out "acl show" \
	"prio 10 dir to-vpc proto tcp src 0.0.0.0/0 dst 0.0.0.0/0 sport 0-65535 dport 22 action deny hits 0
prio 20 dir to-classic proto udp src 172.16.0.0/16 dst 10.1.0.0/24 sport 1000-2000 dport 53 action allow hits 0
prio 100 dir to-vpc proto any src 0.0.0.0/0 dst 0.0.0.0/0 action allow hits 0" \
	c acl show vpc vpc-a
check_err "duplicate ACL priority" 1 "Error: VPC vpc-a already has an ACL rule of priority 10" \
	c acl add vpc vpc-a prio 10 dir to-vpc action allow
check_err "ports without tcp/udp" 1 "Error: port ranges need protocol tcp (6) or udp (17)" \
	c acl add vpc vpc-a prio 30 dir to-vpc dport 80 action allow
check_err "acl del of a missing rule" 1 "Error: VPC vpc-a has no ACL rule of priority 99" \
	c acl del vpc vpc-a prio 99
check_jq "-j acl show" \
	'length == 3 and .[0].prio == 10 and .[0].proto == "tcp" and
	 .[0].dport_min == 22 and .[0].dport_max == 22 and .[0].action == "deny" and
	 .[1].sport_min == 1000 and .[1].sport_max == 2000 and .[2].hits == 0' \
	c -j acl show vpc vpc-a

# -- vpc show, JSON, abbreviations -------------------------------------------

check_out "vpc show ID after links, routes, endpoints, ACLs" \
	"vpc-a vni 100 cidr 172.16.0.0/16 secondary 172.17.0.0/16 region r1 account a1 classiclink on max-links 2 links 2 endpoints 1 routes 5 acls 3" \
	c vpc show vpc-a
check_out "-s vpc show ID: counters line" \
	"vpc-a vni 100 cidr 172.16.0.0/16 secondary 172.17.0.0/16 region r1 account a1 classiclink on max-links 2 links 2 endpoints 1 routes 5 acls 3
    to-vpc 0 packets 0 bytes  to-classic 0 packets 0 bytes" \
	c -s vpc show vpc-a
check_jq "-j vpc show" \
	'length == 5 and (.[] | select(.id == "vpc-a") |
	 .vni == 100 and .cidr == "172.16.0.0/16" and .secondary == ["172.17.0.0/16"] and
	 .classiclink == true and .links == 2 and .account == "a1" and .max_links == 2) and
	 (.[] | select(.id == "vpc-b") | .classiclink == false and .secondary == [] and
	  .max_links == 1000 and .reach == "172.20.1.0/24") and
	 (.[] | select(.id == "vpc-c") | has("max_links") or has("reach") | not)' \
	c -j vpc show
run c -j -p vpc show
pretty=$OUT
run c -j vpc show
[ "$(jq -S . <<<"$pretty")" = "$(jq -S . <<<"$OUT")" ] &&
	[ "$(wc -l <<<"$pretty")" -gt 10 ] && [ "$(wc -l <<<"$OUT")" -eq 1 ] &&
	grep -q '^        "id": "vpc-a",$' <<<"$pretty"
log_test $? "-j -p: the same JSON, indented; -j: one line"
check_jq "-j show of nothing is []" '. == []' c -j link show vpc vpc-b
check_err "-j show that fails prints no JSON at all" 1 \
	"Error: VPC nosuch does not exist" c -j vpc show nosuch

abbrev_ok=0
for pair in "l s|link show" "v s|vpc show" "i sh|instance show" \
	    "e s|endpoint show" "r s vpc vpc-a|route show vpc vpc-a" \
	    "a s v vpc-a|acl show vpc vpc-a" "d s|dev show" "v ls|vpc list" \
	    "link sh v vpc-a|link show vpc vpc-a"; do
	short=${pair%|*}
	long=${pair#*|}
	# shellcheck disable=SC2086
	if [ "$(c $short 2>&1)" != "$(c $long 2>&1)" ] || [ -z "$(c $long)" ]; then
		detail "'$short' differs from '$long'"
		abbrev_ok=1
	fi
done
log_test $abbrev_ok "abbreviations: l s, v s, i sh, e s, r s, a s v, d s, v ls"

check_ok "abbreviated keywords: vpc add v-abbr v 700 c 172.22.0.0/16" \
	c v a v-abbr v 700 c 172.22.0.0/16
check_ok "vpc del" c vpc del v-abbr
check_err "vpc del of a missing VPC" 1 "Error: VPC v-abbr does not exist" \
	c vpc del v-abbr

# -- several devices, permissions ------------------------------------------------

c dev add clink1
check_err "two devices, no dev NAME: the kernel asks which" 1 \
	"Error: more than one clink device, say which one" c vpc show
check_ok "two devices, dev NAME picks one" c vpc show dev clink0
check_out "dev NAME on an object command" "" c vpc show dev clink1
c vpc add vpc-a vni 100 cidr 172.16.0.0/16 dev clink1
check_jq "-j: objects of two devices say which device they are on" \
	'length == 1 and .[0].id == "vpc-a" and .[0].dev == "clink1"' \
	c -j vpc show dev clink1
check_jq "-j: the same ID on the other device" \
	'length == 1 and .[0].id == "vpc-a" and .[0].dev == "clink0"' \
	c -j vpc show vpc-a dev clink0

# IDs are bytes to the kernel: JSON must stay UTF-8 whatever they hold.
ff=$'\xff' e_acute=$'\xc3\xa9'
c -batch - <<-EOF
	vpc add vpc-$ff vni 101 cidr 172.17.0.0/16 dev clink1
	vpc add vpc-$e_acute vni 102 cidr 172.18.0.0/16 dev clink1
	EOF
run c -j vpc show dev clink1
[ "$RC" -eq 0 ] && ! LC_ALL=C grep -q "$ff" <<<"$OUT" &&
	grep -qF '"id":"vpc-\ufffd"' <<<"$OUT" &&
	grep -qF "\"id\":\"vpc-$e_acute\"" <<<"$OUT" &&
	jq -e 'length == 3' <<<"$OUT" >/dev/null
rc=$?
detail "$OUT"
log_test $rc "-j: a byte that is not UTF-8 in an ID comes out as \\ufffd, UTF-8 as it is"
check_ok "dev del clink1" c dev del clink1

unpriv() { ip netns exec "$a" setpriv --reuid=65534 --regid=65534 --clear-groups \
	--inh-caps=-all --bounding-set=-all "$CLINKCTL" "$@"; }
check_err "unprivileged change: EPERM" 1 "Error: Operation not permitted" \
	unpriv vpc add vpc-p vni 999 cidr 172.29.0.0/16
check_err "unprivileged read: EPERM" 1 "Error: Operation not permitted" \
	unpriv vpc show vpc-a

# -- monitor -------------------------------------------------------------------

c -batch - <<-EOF
	vpc add vpc-mon vni 900 cidr 172.18.0.0/16 account a1
	vpc set vpc-mon classiclink on
	instance add i-canary ip 10.250.0.1 account a1
	EOF
"$CLINKCTL" -n "$a" -t monitor >"$tmp/mon.txt" 2>&1 &
mon1=$!
"$CLINKCTL" -n "$a" -j -t monitor >"$tmp/mon.json" 2>&1 &
mon2=$!
"$CLINKCTL" -n "$a" -ts monitor link >"$tmp/mon.link" 2>&1 &
mon3=$!
defer kill $mon1 $mon2 $mon3

# Until all three listen: link and unlink a canary.
monitors_ready()
{
	c link add i-canary vpc vpc-mon && c link del i-canary
	grep -q i-canary "$tmp/mon.txt" && grep -q i-canary "$tmp/mon.json" &&
		grep -q i-canary "$tmp/mon.link"
}
wait_for -t 60 monitors_ready
log_test $? "three monitors subscribed"

c -batch - <<-EOF
	instance set i-2 ip 10.1.0.16
	link add i-2 vpc vpc-a
	route add vpc vpc-a 192.168.10.0/24 via peering
	link flush vpc vpc-a
	link add i-1 vpc vpc-a
	link add i-2 vpc vpc-a
	instance add i-tmp ip 10.1.0.30 account a1
	link add i-tmp vpc vpc-mon
	instance del i-tmp
	endpoint add vpc vpc-a 172.16.0.20 vtep 192.168.100.2 mac 02:00:00:00:00:20
	endpoint del vpc vpc-a 172.16.0.20
	acl add vpc vpc-a prio 50 dir to-classic proto icmp action deny
	acl del vpc vpc-a prio 50
	vpc add vpc-ev vni 901 cidr 172.19.0.0/16
	vpc del vpc-ev
	dev set clink0 max-links-per-vpc 3
	dev set clink0 max-links-per-vpc 2
	instance add i-last ip 10.1.0.99
	EOF
log_test $? "changes made while monitoring"

wait_for -t 60 grep -q "^instance add i-last" "$tmp/mon.txt"
mon_ok=$?
for want in \
	"link del i-2 vpc vpc-a reason ip-changed" \
	"route del vpc-a 10.1.0.6/32 classiclink" \
	"instance set i-2 ip 10.1.0.16" \
	"link add i-2 vpc vpc-a" \
	"route add vpc-a 10.1.0.16/32 classiclink instance i-2" \
	"route add vpc-a 192.168.10.0/24 custom via peering" \
	"link del i-1 vpc vpc-a reason flushed" \
	"link del i-2 vpc vpc-a reason flushed" \
	"link del i-tmp vpc vpc-mon reason instance-deleted" \
	"instance del i-tmp" \
	"endpoint add 172.16.0.20 vpc vpc-a vtep 192.168.100.2 mac 02:00:00:00:00:20" \
	"endpoint del 172.16.0.20 vpc vpc-a" \
	"acl add vpc vpc-a prio 50 dir to-classic proto icmp" \
	"acl del vpc vpc-a prio 50" \
	"vpc add vpc-ev vni 901 cidr 172.19.0.0/16 region r1 classiclink off" \
	"vpc del vpc-ev" \
	"dev set clink0" \
	"instance add i-last ip 10.1.0.99 region r1"; do
	if ! grep -q -F -- "$want" "$tmp/mon.txt"; then
		detail "monitor printed no line with: $want"
		mon_ok=1
	fi
done
[ $mon_ok -eq 0 ] || detail "$(cat "$tmp/mon.txt")"
log_test $mon_ok "monitor: one line per event (link, route, instance, endpoint, acl, vpc, dev)"

# -t: a line "Timestamp: Mon Dec  7 09:59:01 2026 123456 usec" before each event
awk 'NR % 2 == 1 && !/^Timestamp: [A-Z][a-z][a-z] [A-Z][a-z][a-z] [ 1-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-6][0-9] 2[0-9][0-9][0-9] [0-9]+ usec$/ { bad = 1 }
     NR % 2 == 0 && /^Timestamp/ { bad = 1 } END { exit bad || NR < 40 }' "$tmp/mon.txt"
rc=$?
[ $rc -eq 0 ] || detail "$(head -20 "$tmp/mon.txt")"
log_test $rc "monitor -t: a Timestamp line before each event"

# -ts: "[2026-12-07T09:59:01.123456] " before each event
ts_re='^\[2[0-9]{3}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]\.[0-9]{6}\] '
! grep -Ev "${ts_re}link " "$tmp/mon.link" | grep -q . &&
	grep -Eq "${ts_re}link del i-2 vpc vpc-a reason flushed" "$tmp/mon.link"
rc=$?
[ $rc -eq 0 ] || detail "$(cat "$tmp/mon.link")"
log_test $rc "monitor -ts link: link events only, each after a short timestamp"

wait_for -t 30 grep -q '"i-last"' "$tmp/mon.json"
jq -e -s 'all(.[]; type == "object" and .dev == "clink0" and
		(.time | test("^2[0-9]{3}-[01][0-9]-[0-3][0-9]T[0-9:]{8}\\.[0-9]{6}Z$"))) and
	(map(select(.object == "link" and .event == "del" and .reason == "ip-changed"))
	 | .[0].instance == "i-2" and .[0].vpc == "vpc-a") and
	(map(select(.object == "route" and .event == "add" and .type == "classiclink"
		    and .instance == "i-2")) | .[0].dst == "10.1.0.16/32" and .[0].vpc == "vpc-a")' \
	"$tmp/mon.json" >/dev/null
rc=$?
[ $rc -eq 0 ] || detail "$(cat "$tmp/mon.json")"
log_test $rc "monitor -j -t: one JSON object per line, same events, with dev and time"
kill $mon1 $mon2 $mon3 2>/dev/null
wait $mon1 $mon2 $mon3 2>/dev/null

c -batch - <<-EOF
	instance del i-last
	instance del i-canary
	vpc set vpc-mon classiclink off
	vpc del vpc-mon
	EOF

# -- batch ---------------------------------------------------------------------

cat >"$tmp/stop.batch" <<-'EOF'
	# a comment, then a blank line

	vpc add vpc-q1 vni 601 \
	    cidr 172.23.0.0/16 account "a 1"
	vpc add vpc-q1 vni 602 cidr 172.24.0.0/16
	vpc add 'vpc-q3' vni 603 cidr 172.25.0.0/16
	EOF
check_err "-batch: stops at the first failure" 1 "Error: VPC vpc-q1 already exists" \
	c -batch "$tmp/stop.batch"
[ "$(sed -n 2p <<<"$ERR")" = "Command failed $tmp/stop.batch:5" ]
log_test $? "-batch: 'Command failed FILE:LINE' names the failed line"
check_out "-batch: continuation and quotes reached the kernel" \
	"vpc-q1 vni 601 cidr 172.23.0.0/16 region r1 account a 1 classiclink off links 0 endpoints 0 routes 1 acls 0" \
	c vpc show vpc-q1
check_err "-batch: nothing after the failure ran" 1 "Error: VPC vpc-q3 does not exist" \
	c vpc show vpc-q3

run c -force -batch "$tmp/stop.batch"
[ "$RC" -eq 1 ] && [ "$ERR" = "Error: VPC vpc-q1 already exists
Command failed $tmp/stop.batch:3
Error: VPC vpc-q1 already exists
Command failed $tmp/stop.batch:5" ] && c vpc show vpc-q3 >/dev/null
rc=$?
fail_detail -force -batch
log_test $rc "-force -batch: every failure reported, the rest ran, exit 1"

printf 'vpc del vpc-q1\nvpc frob\nvpc del vpc-q3\n' >"$tmp/usage.batch"
run c -batch "$tmp/usage.batch"
[ "$RC" -eq 1 ] && [ "$(head -n 1 <<<"$ERR")" = 'Error: unknown command "frob"' ] &&
	[ "$(tail -n 1 <<<"$ERR")" = "Command failed $tmp/usage.batch:2" ]
rc=$?
fail_detail -batch usage
log_test $rc "-batch: a usage error fails its line too, exit 1"
c vpc del vpc-q3

run c -batch - <<<'vpc show vpc-a'
[ "$RC" -eq 0 ] && [[ "$OUT" == "vpc-a vni 100 "* ]]
log_test $? "-batch - reads stdin"

check_err "-batch with a command: exit 255" 255 \
	'Error: -batch takes no command (got "vpc")' c -batch - vpc show

# -- save -> -batch round trip -------------------------------------------------

c link replace i-1 vpc vpc-a dscp 34
run c save
save1=$OUT
[ "$RC" -eq 0 ] && [ "$save1" = "# clink configuration of clink0, written by clinkctl save.
# Replay with: clinkctl -batch FILE
dev set clink0 region r1 max-links-per-vpc 2 classic-space 10.0.0.0/8,100.64.0.0/10 vpc-eligible 172.16.0.0/12

# VPCs
vpc add vpc-a vni 100 cidr 172.16.0.0/16 region r1 account a1
vpc add vpc-b vni 200 cidr 172.20.0.0/16 region r1 account a1 reach 172.20.1.0/24 dscp 46
vpc add vpc-c vni 300 cidr 10.5.0.0/16 region r1
vpc add vpc-d vni 400 cidr 192.168.0.0/16 region r1
vpc add vpc-r vni 500 cidr 172.30.0.0/16 region r2 account a1

# secondary CIDRs
vpc cidr add vpc-a 172.17.0.0/16

# custom routes
route add vpc vpc-a 192.168.10.0/24 via peering
route add vpc vpc-a 192.168.9.0/24 via dc

# ClassicLink
vpc set vpc-a classiclink on
vpc set vpc-a max-links 2
vpc set vpc-b max-links 1000

# endpoints
endpoint add vpc vpc-a 172.16.0.10 vtep 192.168.100.3 mac 02:00:00:00:00:10

# network ACLs
acl add vpc vpc-a prio 10 dir to-vpc proto tcp dport 22 action deny
acl add vpc vpc-a prio 100 dir to-vpc action allow
acl add vpc vpc-a prio 20 dir to-classic proto udp src 172.16.0.0/16 dst 10.1.0.0/24 sport 1000-2000 dport 53 action allow

# classic instances
instance add i-1 ip 10.1.0.5 region r1 account a1
instance add i-2 ip 10.1.0.16 region r1 account a1
instance add i-3 ip 10.1.0.7 region r1 account a1
instance add i-acct ip 10.1.0.9 region r1 account other
instance add i-q ip 10.1.0.40 region r1 account \"a \\\"b\\\"\"

# links
link add i-1 vpc vpc-a dscp 34
link add i-2 vpc vpc-a" ]
rc=$?
[ $rc -eq 0 ] || detail "$save1"
log_test $rc "save: a batch file of the whole configuration"

printf '%s\n' "$save1" >"$tmp/save1.batch"
"$CLINKCTL" -n "$b" dev add clink0
check_ok "save output replays with -batch on a fresh device" \
	"$CLINKCTL" -n "$b" -batch "$tmp/save1.batch"
run "$CLINKCTL" -n "$b" save
[ "$RC" -eq 0 ] && [ "$OUT" = "$save1" ]
rc=$?
[ $rc -eq 0 ] || detail "$(diff <(echo "$save1") <(echo "$OUT"))"
log_test $rc "save of the replayed configuration is identical"
check_out "save dev NAME: every line names the device" \
	"$(sed -E '/^(#|$|dev set)/!s/$/ dev clink0/' <<<"$save1")" c save dev clink0
c dev set clink0 vtep-check off
run c save
grep -qx 'dev set clink0 region r1 .* vtep-check off' <<<"$OUT"
log_test $? "save: vtep-check off is saved (on, the default, is not)"
c dev set clink0 vtep-check on

# -- a large batch ---------------------------------------------------------------

"$CLINKCTL" -n "$big" dev add clink0
# Line 50000 (or the middle) repeats the id of line 1: with -force, exactly
# that line fails and every other one runs.
bad=$((BIG / 2))
seq 1 "$BIG" | awk -v bad="$bad" '{
	n = ($1 == bad) ? 1 : $1
	printf "instance add i-%d ip 10.%d.%d.%d\n", n, 128 + int($1 / 65536),
		int($1 / 256) % 256, $1 % 256 }' >"$tmp/big.batch"
t0=$EPOCHREALTIME
run "$CLINKCTL" -n "$big" -force -batch "$tmp/big.batch"
t1=$EPOCHREALTIME
secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
log_info "$BIG-line batch: $secs s ($(awk -v s="$secs" -v n="$BIG" 'BEGIN { printf "%d", (s > 0) ? n / s : 0 }') commands/s)"
[ "$RC" -eq 1 ] && [ "$ERR" = "Error: instance i-1 already exists
Command failed $tmp/big.batch:$bad" ]
rc=$?
[ $rc -eq 0 ] || detail "exit $RC, stderr: $(head -c 500 <<<"$ERR")"
log_test $rc "$BIG-line batch, -force: only line $bad fails, and is named"
check_jq "... the other $((BIG - 1)) instances exist" ".[0].instances == $((BIG - 1))" \
	"$CLINKCTL" -n "$big" -j dev show
n=$("$CLINKCTL" -n "$big" instance show | wc -l)
[ "$n" -eq $((BIG - 1)) ]
log_test $? "instance show streams all $((BIG - 1)) ($n lines)"

# Dumps racing changes: another process adds and deletes instances while
# the $((BIG - 1)) are dumped. A dump flagged NLM_F_DUMP_INTR warns (show)
# or fails without printing anything (save).
seq 1 20000 | awk '{ print ($1 % 2) ? "instance add i-race ip 10.250.0.1" :
	"instance del i-race" }' >"$tmp/race.batch"
race_show()
{
	"$CLINKCTL" -n "$big" -force -batch "$tmp/race.batch" >/dev/null 2>&1 &
	local writer=$!

	sleep 0.2
	run "$CLINKCTL" -n "$big" instance show
	bg_stop "$writer"
	[ "$RC" -eq 0 ] && grep -q "^Warning: the dump was interrupted by a concurrent change" <<<"$ERR"
}
wait_for -t 60 race_show
rc=$?
[ $rc -eq 0 ] || detail "exit $RC, stderr: $ERR"
log_test $rc "a dump racing changes: warning on stderr, exit 0"

race_save()
{
	"$CLINKCTL" -n "$big" -force -batch "$tmp/race.batch" >/dev/null 2>&1 &
	local writer=$!

	sleep 0.2
	run "$CLINKCTL" -n "$big" save
	bg_stop "$writer"
	[ "$RC" -eq 1 ] && [ -z "$OUT" ] &&
		[ "$ERR" = "Error: the configuration changed while it was saved; run save again" ]
}
wait_for -t 60 race_save
rc=$?
[ $rc -eq 0 ] || detail "exit $RC, stderr: $ERR, $(wc -l <<<"$OUT") lines out"
log_test $rc "save racing changes: prints nothing, fails"

dmesg_clean
log_test $? "kernel log clean"

exit "$(ksft_status)"
