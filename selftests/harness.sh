#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Checks the test VM itself: that what the other tests take for granted
# works there.  It does not touch clink.
#
#   +----------- ns A -----------+          +----------- ns B -----------+
#   | vx0 198.51.100.1/24 (VNI 1)|          | vx0 198.51.100.2/24 (VNI 1)|
#   |  |                         |          |  |                         |
#   | veth0 192.0.2.1/24 ========|== veth ==|= veth0 192.0.2.2/24        |
#   +----------------------------+          +----------------------------+
#
# ping over the VXLAN overlay, tcpdump captures the underlay on A's veth0,
# tshark decodes the capture as VXLAN with VNI 1.

source ./lib.sh

tmp=$(mktemp -d)
nsa=harness-a-$$
nsb=harness-b-$$

cleanup() {
	ip netns del "$nsa" 2>/dev/null
	ip netns del "$nsb" 2>/dev/null
	rm -rf "$tmp"
}
defer cleanup

for prog in ip tc bridge tcpdump tshark unshare nsenter setpriv timeout ping nc modprobe; do
	check "$prog is in PATH" command -v "$prog"
done
if command -v clinkctl >/dev/null; then
	log_test 0 "clinkctl is in PATH"
else
	log_test 4 "clinkctl is in PATH (not built yet)"
fi
check "ip is iproute2's, not busybox's" sh -c 'ip -V | grep -q iproute2'
check "/etc/passwd has nobody (65534)" sh -c 'id -u nobody | grep -qx 65534'
check "loopback is up" sh -c 'ip -o link show lo | grep -q "UP"'
check "modprobe loads the guest kernel's pktgen" modprobe pktgen &&
	modprobe -r pktgen

check "ip netns add" ip netns add "$nsa" || exit 1
ip netns add "$nsb"
check "veth pair across namespaces" \
	ip link add veth0 netns "$nsa" type veth peer name veth0 netns "$nsb" || exit 1

for ns in "$nsa" "$nsb"; do
	n=${ns:8:1}
	[ "$n" = a ] && me=1 peer=2 || { me=2; peer=1; }
	ip -n "$ns" addr add "192.0.2.$me/24" dev veth0
	ip -n "$ns" link set veth0 up
	check "vxlan device in ns $n" \
		ip -n "$ns" link add vx0 type vxlan id 1 dstport 4789 \
			local "192.0.2.$me" remote "192.0.2.$peer" dev veth0 || exit 1
	ip -n "$ns" addr add "198.51.100.$me/24" dev vx0
	ip -n "$ns" link set vx0 up
done

capture_start "$nsa" veth0 "$tmp/vxlan.pcap" udp port 4789
log_test $? "tcpdump starts capturing"

check "ping over vxlan" ip netns exec "$nsa" ping -c 2 -W 2 198.51.100.2
capture_stop

check "tshark -v" tshark -v
check "tcpdump wrote the capture" test -s "$tmp/vxlan.pcap"
check "tshark decodes VXLAN VNI 1 from the capture" sh -c \
	"tshark -n -r '$tmp/vxlan.pcap' -Y vxlan -T fields -e vxlan.vni | grep -qx 1"

check "unprivileged user sees itself as nobody" \
	sh -c 'setpriv --reuid=65534 --regid=65534 --clear-groups id -u | grep -qx 65534'
check "unprivileged user namespace with its own netns" \
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		unshare --user --map-root-user --net ip link show lo
check "nsenter into a netns" sh -c \
	"nsenter --net=/run/netns/$nsa ip -o link show vx0 | grep -q vx0"

exit "$(ksft_status)"
