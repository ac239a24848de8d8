#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The clink demo: a ClassicLink gateway between a classic network and a
# VPC behind a VXLAN underlay, all in network namespaces of one machine.
# "make demo" boots a VM and runs it there (from /clink/demo); as root on a
# machine with clink built, it runs as it is.
#
#   i-linked   10.1.0.5 --+
#                         +-- 10.1.0.1 [ gateway: clink0 ] 192.168.100.1
#   i-unlinked 10.1.0.6 --+                     |  VXLAN, UDP 4789
#                                               |
#            vm 172.16.0.10 --- [ hypervisor: stock vxlan, VNI 100 ] 192.168.100.2
#
# The gateway is configured from examples/demo.batch (VPC vpc-demo, VNI 100,
# 172.16.0.0/16; i-linked linked to it, i-unlinked not).  Exits 0 when
# everything behaved as narrated.

here=$(cd "$(dirname "$0")" && pwd)
source "$here/../selftests/lib.sh" || exit 1

batch=
for f in "$here/../examples/demo.batch" \
	 "$here/../Documentation/examples/demo.batch"; do
	[ -f "$f" ] && { batch=$f; break; }
done

failed=0
step=0

say()
{
	step=$((step + 1))
	printf '\n=== %d. %s\n' "$step" "$*"
}

# Show a command, then run it.
run()
{
	printf '# %s\n' "$*"
	"$@"
}

# In the gateway's namespace, as an operator on the gateway would type it.
ctl()
{
	printf 'gateway# clinkctl %s\n' "$*"
	clinkctl_gw "$@"
}

# Run a command in a namespace, shown with the namespace's role.
in_ns()
{
	local role=$1 ns=$2

	shift 2
	printf '%s# %s\n' "$role" "$*"
	ip netns exec "$ns" "$@"
}

expect()
{
	if [ "$1" -eq 0 ]; then
		echo "--> as expected: $2"
	else
		echo "--> NOT as expected: $2"
		failed=1
	fi
}

[ "$(id -u)" -eq 0 ] || { echo "demo: run me as root"; exit 1; }
[ -n "$batch" ] || { echo "demo: examples/demo.batch not found"; exit 1; }
for c in ip bridge ping clinkctl jq; do
	command -v "$c" >/dev/null || { echo "demo: $c is missing"; exit 1; }
done

say "Load the clink module"
if grep -q '^clink ' /proc/modules; then
	echo "clink is loaded already"
else
	if [ -f "$CLINK_KO" ]; then
		# insmod resolves no dependencies: load them first.
		deps=$(modinfo -F depends "$CLINK_KO" | tr ',' ' ')
		# shellcheck disable=SC2086
		{ [ -z "$deps" ] || run modprobe -a $deps; } &&
			run insmod "$CLINK_KO" || exit 1
	else
		run modprobe clink || exit 1
	fi
	defer rmmod clink
fi

say "Build the networks: classic instances, the gateway, a hypervisor with a VM"
echo "Each box is a network namespace (suffix -$NS_SUFFIX):"
echo "  c1 = classic instance i-linked (10.1.0.5), c2 = i-unlinked (10.1.0.6),"
echo "  gw = the gateway, ul = the underlay switch, hv1 = a VPC hypervisor"
echo "  running the stock Linux vxlan device (VNI 100), vm1 = a VM of the VPC"
echo "  (172.16.0.10, MAC $VM1_MAC)."
if ! clink_topo_create 1; then
	echo "demo: building the topology failed"
	exit 1
fi
in_ns gateway "$gw" ip -d link show clink0
in_ns gateway "$gw" ip route show dev clink0

say "Configure the gateway from $(basename "$batch")"
echo "Its commands (comments left out):"
grep -v '^[[:space:]]*\(#\|$\)' "$batch" | sed 's/^/    /'
ctl -batch "$batch"
expect $? "the whole batch applied"

say "What the gateway knows now"
ctl vpc show
ctl link show
ctl route show vpc vpc-demo
echo "(10.1.0.5/32 is the classiclink route injected by linking i-linked.)"

say "The linked instance reaches the VM"
drops_snapshot
in_ns i-linked "$c1" ping -c 3 -i 0.3 -W 5 "$VM_IP"
expect $? "i-linked -> vm: replies"

say "The VM reaches the linked instance (the gateway answers its ARP)"
in_ns vm "$vm1" ping -c 3 -i 0.3 -W 5 "$C1_IP"
expect $? "vm -> i-linked: replies"
in_ns vm "$vm1" ip neigh show "$C1_IP"
echo "(the VM sees 10.1.0.5 at the gateway's MAC: $(clinkctl_gw -j dev show clink0 | jq -r '.[0].mac'))"
check_drops ""
expect $? "no packet dropped so far"

say "The unlinked instance cannot reach the VPC"
drops_snapshot
! in_ns i-unlinked "$c2" ping -c 3 -i 0.3 -W 2 "$VM_IP"
expect $? "i-unlinked -> vm: no reply"
check_drops "no-link:+3"
expect $? "the gateway dropped its 3 packets as no-link"

say "A linked instance reaches only the primary CIDR, never beyond the VPC"
drops_snapshot
in_ns i-linked "$c1" ping -c 2 -i 0.3 -W 2 172.17.0.10
in_ns i-linked "$c1" ping -c 2 -i 0.3 -W 2 192.168.50.1
check_drops "secondary-cidr:+2 no-transit:+2"
expect $? "secondary CIDR dropped (secondary-cidr), VPN route dropped (no-transit)"

say "The gateway's counters"
ctl -s dev show clink0
ctl -s link show

say "Unlinking takes effect at once"
ctl link del i-linked
drops_snapshot
! in_ns i-linked "$c1" ping -c 1 -W 2 "$VM_IP"
expect $? "i-linked -> vm: no reply right after the unlink"
check_drops "no-link:+1"
expect $? "dropped as no-link"
ctl route show vpc vpc-demo
echo "(the classiclink route of 10.1.0.5 is gone)"

say "Done: the namespaces go away with the gateway in them"
if [ "$failed" -eq 0 ]; then
	echo "demo: everything behaved as expected"
else
	echo "demo: something did not behave as expected (see NOT above)"
fi
exit "$failed"
