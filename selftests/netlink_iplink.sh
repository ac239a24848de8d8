#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "ip link" knows the clink type through tools/ip/link_clink.so, installed
# where Debian's ip looks for plugins (as make install puts it):
#
#   ip link add clink5 type clink local ... classic-space ... vtep-check off
#       -> clinkctl dev show has that configuration
#   ip -d link show / ip -j -d link show
#       -> the same attributes back, as text and as info_data
#   ip link set clink5 type clink ...   -> changed; bad input changes nothing
#
# ip is the independent client here: iproute2's own netlink code carries
# the attributes, the plugin only parses and prints them.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

require_clink
require_cmd "$CLINKCTL"
require_cmd jq

setup_ns gw || exit "$ksft_fail"
CLINK_NS=$gw
CLINK_DEV=clink5

out=$(ip -n "$gw" link add clink5 type clink local 192.0.2.1 port 4790 region r5 \
	max-links-per-vpc 100 classic-space 10.0.0.0/8,100.64.0.0/10 \
	vpc-eligible 172.16.0.0/12 vtep-check off 2>&1)
rc=$?
[ $rc -eq 0 ] || detail "$out"
log_test $rc "ip link add clink5 type clink with ip's grammar and clink's keywords"

dev_json=$(clinkctl_gw -j dev show clink5)
[ -n "$dev_json" ] && jq -e '.[0] | .local == "192.0.2.1" and .port == 4790 and .region == "r5" and
	.max_links_per_vpc == 100 and
	.classic_space == ["10.0.0.0/8", "100.64.0.0/10"] and
	.vpc_eligible == ["172.16.0.0/12"] and .vtep_check == false' \
	<<<"$dev_json" >/dev/null
rc=$?
[ $rc -eq 0 ] || detail "$dev_json"
log_test $rc "clinkctl dev show: the configuration ip gave"

out=$(ip -n "$gw" -d link show clink5)
grep -qF "clink local 192.0.2.1 port 4790 region r5 max-links-per-vpc 100 " <<<"$out" &&
	grep -qF " classic-space 10.0.0.0/8,100.64.0.0/10 vpc-eligible 172.16.0.0/12 vtep-check off" \
		<<<"$out"
rc=$?
[ $rc -eq 0 ] || detail "$out"
log_test $rc "ip -d link show: clink's attributes after the kind"

# info_data has the keys and values of clinkctl -j dev show.
out=$(ip -n "$gw" -j -d link show clink5)
jq -e --argjson dev "$(jq '.[0]' <<<"$dev_json")" '.[0].linkinfo |
	.info_kind == "clink" and
	(.info_data | to_entries | length == 12 and
	 all(.value == $dev[.key]))' <<<"$out" >/dev/null
rc=$?
[ $rc -eq 0 ] || detail "$out"
log_test $rc "ip -j -d link show: info_data equals clinkctl -j dev show, key by key"

ip -n "$gw" link set clink5 type clink max-links-per-vpc 1000 vtep-check on &&
	clinkctl_gw -j dev show clink5 |
	jq -e '.[0] | .max_links_per_vpc == 1000 and .vtep_check == true and
		.region == "r5"' >/dev/null
log_test $? "ip link set clink5 type clink: changed, the rest kept"

# Refused by the plugin, then by the kernel (its extack): nothing changes.
before=$(clinkctl_gw -j dev show clink5 | jq -c '.[0] | del(.generation)')
[ -n "$before" ] || detail "no clink5 to change"
out=$(ip -n "$gw" link set clink5 type clink max-vpcs 10 port 0 2>&1)
[ $? -ne 0 ] && [ "$out" = 'Error: invalid port "0"' ]
rc=$?
[ $rc -eq 0 ] || detail "$out"
log_test $rc "ip link set ... port 0: Error: invalid port"

out=$(ip -n "$gw" link set clink5 type clink max-vpcs 10 max-links-per-vpc 0 2>&1)
[ $? -ne 0 ] && grep -q "^Error: " <<<"$out"
rc=$?
[ $rc -eq 0 ] || detail "$out"
log_test $rc "ip link set ... max-links-per-vpc 0: the kernel's Error: ($out)"

after=$(clinkctl_gw -j dev show clink5 | jq -c '.[0] | del(.generation)')
[ -n "$before" ] && [ "$before" = "$after" ]
rc=$?
[ $rc -eq 0 ] || detail "before $before" "after  $after"
log_test $rc "refused changes changed nothing"

out=$(ip -n "$gw" link add clink6 type clink bogus 1 2>&1)
[ $? -ne 0 ] && grep -q 'Error: unknown clink argument "bogus"' <<<"$out" &&
	! ip -n "$gw" link show clink6 >/dev/null 2>&1
rc=$?
[ $rc -eq 0 ] || detail "$out"
log_test $rc "ip link add ... bogus 1: refused, no device"

ip -n "$gw" link set clink5 type clink profile alibaba &&
	clinkctl_gw -j dev show clink5 |
	jq -e '.[0] | .profile == "alibaba" and .max_links_per_vpc == 1000' >/dev/null &&
	ip -n "$gw" -d link show clink5 | grep -q " profile alibaba"
log_test $? "ip link set clink5 type clink profile alibaba: the cloud's rules, shown by both"

ip -n "$gw" link add clink6 type clink && ip -n "$gw" link del clink6
log_test $? "ip link add without clink arguments: the defaults, as before"

dmesg_clean
log_test $? "no kernel warnings"

exit "$(ksft_status)"
