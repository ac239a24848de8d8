#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# clinkctl's command line on the host, no kernel module needed: arguments
# too long for the kernel are refused with "Error: ..." before any request
# is built (under AddressSanitizer, so an overflow of the request buffer
# aborts the test), and "help" prints the usage at every level instead of
# being taken for a name. Runs in a network namespace of its own when it
# can, so a regression that does reach the kernel changes nothing here.
#
# Usage: CLINKCTL=path/to/clinkctl tests/cli.sh	(TAP on stdout)

CLINKCTL=${CLINKCTL:-$(dirname "$0")/../clinkctl}

if [ -z "$CLINKCTL_CLI_NETNS" ] && unshare -n true 2>/dev/null; then
	CLINKCTL_CLI_NETNS=1 exec unshare -n "$0" "$@"
fi

# shellcheck source=tests/tap.sh
source "$(dirname "$0")/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT


# run CMD...: RC, and the output in $tmp/out and $tmp/err
run()
{
	"$CLINKCTL" "$@" >"$tmp/out" 2>"$tmp/err"
	RC=$?
}

echo "TAP version 13"

long=$(head -c 9000 /dev/zero | tr '\0' a)
id64=$(head -c 64 /dev/zero | tr '\0' v)

# WHAT|ARGS (the word LONG is replaced by the long argument)
while IFS='|' read -r what args; do
	[ -n "$what" ] || continue
	for arg in "$long" "$id64"; do
		# shellcheck disable=SC2086
		set -- ${args//LONG/$arg}
		run "$@"
		grep -q "^Error: $what \"[a-z]\{16\}\.\.\.\" is too long (at most [0-9]* bytes)$" "$tmp/err" &&
			[ "$RC" -eq 255 ] && [ ! -s "$tmp/out" ] &&
			! grep -q Sanitizer "$tmp/err"
		ok $? "${#arg}-byte $what refused: $1 $2 ..."
	done
done <<'CMDS'
region|dev add x0 region LONG
device name|dev add LONG
device name|dev set LONG
device name|dev del LONG
device name|dev show LONG
region|vpc add vpc-a vni 1 cidr 172.16.0.0/16 region LONG
account|vpc replace vpc-a vni 1 cidr 172.16.0.0/16 account LONG
VPC ID|vpc add LONG vni 1 cidr 172.16.0.0/16
VPC ID|vpc del LONG
VPC ID|vpc set LONG classiclink on
VPC ID|vpc cidr add LONG 172.17.0.0/16
device name|vpc show dev LONG
instance ID|instance add LONG ip 10.1.0.5
region|instance add i-1 ip 10.1.0.5 region LONG
account|instance replace i-1 ip 10.1.0.5 account LONG
instance ID|link add LONG vpc vpc-a
VPC ID|link add i-1 vpc LONG
VPC ID|link flush vpc LONG
VPC ID|endpoint add vpc LONG 172.16.0.10 vtep 192.0.2.2 mac 02:00:00:00:00:10
device name|endpoint show dev LONG
VPC ID|route add vpc LONG 10.9.0.0/16 via vpn
VPC ID|acl add vpc LONG prio 1 dir to-vpc action allow
VPC ID|acl show vpc LONG
device name|save dev LONG
CMDS

# a 63-byte ID is the longest the kernel keeps: not refused here
run vpc add "${id64:1}" vni 1 cidr 172.16.0.0/16 dev "$long"
grep -q '^Error: device name' "$tmp/err"
ok $? "a 63-byte VPC ID passes the length check (the next argument fails)"

# "help" where a keyword or a name may stand: the usage, exit 0
while read -r obj args; do
	[ -n "$obj" ] || continue
	# shellcheck disable=SC2086
	run $obj $args
	[ "$RC" -eq 0 ] && [ ! -s "$tmp/err" ] &&
		grep -q "^Usage: clinkctl $obj " "$tmp/out"
	ok $? "'clinkctl $obj $args' prints the usage, exit 0"
done <<'CMDS'
dev help
dev add help
dev add x0 help
dev add x0 region r1 help
dev set help
dev del help
dev show help
vpc add help
vpc add vpc-a vni 1 help
vpc set help
vpc set vpc-a help
vpc del help
vpc show help
vpc cidr help
vpc cidr add help
instance add help
instance add i-1 help
instance set help
instance del help
instance show help
link add help
link add i-1 help
link del help
link flush help
link show help
endpoint add help
endpoint del vpc vpc-a help
endpoint show help
route add help
route add vpc vpc-a help
route show help
acl add help
acl del help
acl show help
monitor help
save help
CMDS

# after a keyword, "help" is that keyword's value (as in ip)
run link add i-1 vpc help dev "$long"
grep -q '^Error: device name' "$tmp/err" && ! grep -q Usage "$tmp/out"
ok $? "'link add i-1 vpc help': help is the VPC ID there"

# in a batch, a help line prints the usage and the batch goes on
printf 'dev add help\nvpc add help\n' > "$tmp/batch"
run -batch "$tmp/batch"
[ "$RC" -eq 0 ] && [ "$(grep -c '^Usage:' "$tmp/out")" -eq 2 ]
ok $? "-batch: help lines print the usage, the batch goes on, exit 0"

tap_done
