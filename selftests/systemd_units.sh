#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The systemd units (tools/systemd), as make install PREFIX=/usr makes
# them: the VM has no systemd, so this runs their Exec lines as systemd
# would, in order, with %i the device, inside a namespace of its own.
#
#   clink@clink7: saved configuration -> device deleted ("reboot") ->
#       ExecStart: the device again, up, "clinkctl save" prints the same file
#   ExecStopPost: the device gone
#   a file the kernel refuses: the unit fails, ExecStopPost leaves no device
#   no file: a device with the defaults
#   clinkd.service: runs clinkd with /etc/default/clinkd's arguments

cd "$(dirname "$0")" || exit 1
source ./lib.sh

require_clink
require_cmd "$CLINKCTL"

UNITS=/usr/lib/systemd/system
DEV=clink7
CONF=/etc/clink/$DEV.conf

[ -f "$UNITS/clink@.service" ] ||
	skip_all "no $UNITS/clink@.service: the VM payload lacks the units"

setup_ns gw || exit "$ksft_fail"
CLINK_NS=$gw
CLINK_DEV=$DEV

tmp=$(mktemp -d)
defer rm -rf "$tmp"
mkdir -p /etc/clink
defer rm -f "$CONF"

# unit_run UNIT KEY...: the unit's KEY= lines, in order, as systemd runs
# them: %i the device, a "-" prefix lets the line fail.  Stops at the first
# failure, with its status; the output goes to $tmp/unit.out.
unit_run()
{
	local unit=$1 key line cmd rc=0

	shift
	: >"$tmp/unit.out"
	for key; do
		while IFS= read -r line; do
			cmd=${line//%i/$DEV}
			if [ "${cmd:0:1}" = - ]; then
				ip netns exec "$gw" bash -c "${cmd:1}" >>"$tmp/unit.out" 2>&1
			else
				ip netns exec "$gw" bash -c "$cmd" >>"$tmp/unit.out" 2>&1 ||
					return $?
			fi
		done < <(sed -n "s/^$key=//p" "$UNITS/$unit")
	done
	return $rc
}

dev_exists()
{
	ip -n "$gw" link show "$DEV" >/dev/null 2>&1
}

# -- a saved configuration comes back --------------------------------------------

clinkctl_gw dev add "$DEV" region r7 max-links-per-vpc 100 &&
	clinkctl_gw -batch - <<-EOF
	vpc add vpc-a vni 100 cidr 172.16.0.0/16 dev $DEV
	vpc set vpc-a classiclink on dev $DEV
	endpoint add vpc vpc-a 172.16.0.10 vtep 192.168.100.2 mac 02:00:00:00:00:10 dev $DEV
	instance add i-1 ip 10.1.0.5 dev $DEV
	link add i-1 vpc vpc-a dev $DEV
	acl add vpc vpc-a prio 10 dir to-vpc proto tcp dport 22 action deny dev $DEV
	EOF
log_test $? "a configured $DEV"

clinkctl_gw save dev "$DEV" >"$CONF" && clinkctl_gw dev del "$DEV" && ! dev_exists
log_test $? "saved to $CONF, device deleted (a reboot)"

unit_run "clink@.service" ExecStart
rc=$?
[ $rc -eq 0 ] || detail "$(cat "$tmp/unit.out")"
log_test $rc "clink@$DEV ExecStart"

clinkctl_gw save dev "$DEV" >"$tmp/again" && diff -u "$CONF" "$tmp/again" >"$tmp/diff" &&
	grep -q "link add i-1 vpc vpc-a" "$tmp/again"
rc=$?
[ $rc -eq 0 ] || detail "$(cat "$tmp/diff")"
log_test $rc "clink@$DEV: the same configuration, save prints the same file"

ip -n "$gw" link show "$DEV" | grep -q "[<,]UP[,>]"
log_test $? "clink@$DEV: the device is up"

unit_run "clink@.service" ExecStopPost && ! dev_exists
log_test $? "clink@$DEV ExecStopPost: the device is gone"

# -- all or nothing ----------------------------------------------------------------

# the second "vpc add" of one VPC: the kernel refuses it (EEXIST)
printf '%s\n' "dev set $DEV region r7" \
	"vpc add vpc-b vni 200 cidr 172.20.0.0/16 dev $DEV" \
	"vpc add vpc-b vni 200 cidr 172.20.0.0/16 dev $DEV" >"$CONF"
unit_run "clink@.service" ExecStart
start_rc=$?
cp "$tmp/unit.out" "$tmp/start.out"
unit_run "clink@.service" ExecStopPost
[ $start_rc -ne 0 ] && grep -q "^Error: " "$tmp/start.out" && ! dev_exists
rc=$?
[ $rc -eq 0 ] || detail "ExecStart exited $start_rc: $(cat "$tmp/start.out")"
log_test $rc "a file with a bad line: the unit fails, no device is left"

rm -f "$CONF"
unit_run "clink@.service" ExecStart &&
	[ "$(clinkctl_gw -j dev show "$DEV" | jq -r '.[0].vpcs')" = 0 ]
rc=$?
[ $rc -eq 0 ] || detail "$(cat "$tmp/unit.out")"
log_test $rc "no file: the device with the defaults"
unit_run "clink@.service" ExecStopPost

# -- clinkd.service --------------------------------------------------------------------

# Its ExecStart with the environment file's arguments: --help must work
# through the same expansion systemd does ($CLINKD_ARGS split at blanks).
line=$(sed -n 's/^ExecStart=//p' "$UNITS/clinkd.service")
bin=${line%% *}
[ -x "$bin" ] && [ "${line#* }" = '$CLINKD_ARGS' ] &&
	grep -qx "EnvironmentFile=/etc/default/clinkd" "$UNITS/clinkd.service" &&
	CLINKD_ARGS="--help" bash -c "$line" >"$tmp/clinkd.out" 2>&1 &&
	grep -q -- "--etcd" "$tmp/clinkd.out"
rc=$?
[ $rc -eq 0 ] || detail "$line" "$(cat "$tmp/clinkd.out")"
log_test $rc "clinkd.service: $bin with /etc/default/clinkd's CLINKD_ARGS"

dmesg_clean
log_test $? "no kernel warnings"

exit "$(ksft_status)"
