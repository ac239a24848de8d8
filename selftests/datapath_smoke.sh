#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Smoke test of the clink datapath against a stock Linux VXLAN hypervisor.
#
#  +-- classic ---------+   +-- gw ------------------------------+
#  | veth0 10.1.0.5/24  |===| vc 10.1.0.1/24                     |
#  |       10.1.0.6/24  |   | clink0  172.16.0.0/16 dev clink0   |   +-- rt --------------+
#  +--------------------+   | vr 192.168.200.1/24                |===| vr 192.168.200.2   |
#                           | vu 192.168.100.1/24                |   | d0 192.168.201.1   |
#                           +---||-------------------------------+   |    mtu 1400        |
#                               || underlay                          +--------------------+
#  +-- hv ----------------------||-------------------------------+
#  | vu 192.168.100.2/24                                         |
#  | vx100 (vxlan id 100, nolearning, fdb 00:.. -> 192.168.100.1)|
#  | vx200 (vxlan id 200, remote 192.168.100.1) 172.31.0.1/24    |
#  | br0 [ vx100, vv ]                                           |
#  +---------------||--------------------------------------------+
#  +-- vm ---------||----------------------+
#  | eth0 172.16.0.10/16 02:00:00:00:00:10 |
#  | 10.0.0.0/8 dev eth0 (on-link: ARPs)   |
#  +---------------------------------------+
#
# classic 10.1.0.5 is instance i-web, linked to vpc-a (VNI 100,
# 172.16.0.0/16); 10.1.0.6 is no instance.  Checks ping both ways (the VM
# resolves 10.1.0.5 through the gateway's ARP proxy), VNI 100 on the wire,
# drops of an unlinked source, an unlinked destination, an unknown VNI, a
# missing endpoint, an expired TTL and ACL rules, each by its counter;
# ICMP frag-needed for a DF packet too big for the underlay, also when the
# underlay's path MTU (rt, towards VTEP 192.168.201.2) is learned from the
# ICMP the gateway's socket receives; a TCP transfer through the tunnel;
# and a clear error when the VXLAN port is taken.

source ./lib.sh

tmp=$(mktemp -d)
sfx=$$
classic=dps-classic-$sfx
gw=dps-gw-$sfx
hv=dps-hv-$sfx
vm=dps-vm-$sfx
CLINK_NS=$gw			# lib.sh's clinkctl_gw, drop_count
VM_MAC=02:00:00:00:00:10

cleanup() {
	local ns

	for ns in "$classic" "$gw" "$hv" "$vm" "${rt:-}"; do
		[ -n "$ns" ] && ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$tmp"
}
defer cleanup

# check_drop WHAT NAME BEFORE: counter NAME grew past BEFORE.
check_drop() {
	local now

	now=$(drop_count "$2")
	if [ "$now" -gt "$3" ] 2>/dev/null; then
		log_test 0 "$1"
	else
		detail "drop counter $2: $3 before, $now after"
		detail "$(clinkctl_gw -s dev show)"
		log_test 1 "$1"
	fi
}

if ! command -v clinkctl >/dev/null; then
	log_test 4 "clinkctl is not available"
	exit 4
fi

for ns in "$classic" "$gw" "$hv" "$vm"; do
	ip netns add "$ns" || exit 1
	ip -n "$ns" link set lo up
done

if ! ip -n "$gw" link add clink0 type clink 2>"$tmp/err"; then
	log_test 4 "ip link add type clink (module not loaded?)"
	cat "$tmp/err"
	exit 4
fi

# classic <-> gw
ip link add veth0 netns "$classic" type veth peer name vc netns "$gw"
ip -n "$classic" addr add 10.1.0.5/24 dev veth0
ip -n "$classic" addr add 10.1.0.6/24 dev veth0
ip -n "$classic" link set veth0 up
ip -n "$classic" route add 172.16.0.0/16 via 10.1.0.1
ip -n "$gw" addr add 10.1.0.1/24 dev vc
ip -n "$gw" link set vc up

# gw <-> hv underlay
ip link add vu netns "$gw" type veth peer name vu netns "$hv"
ip -n "$gw" addr add 192.168.100.1/24 dev vu
ip -n "$gw" link set vu up
ip -n "$hv" addr add 192.168.100.2/24 dev vu
ip -n "$hv" link set vu up

ip netns exec "$gw" sysctl -qw net.ipv4.ip_forward=1
ip -n "$gw" link set clink0 up
ip -n "$gw" route add 172.16.0.0/16 dev clink0

# hv: stock vxlan + bridge; vm behind it
ip -n "$hv" link add vx100 type vxlan id 100 dstport 4789 \
	local 192.168.100.2 nolearning
ip -n "$hv" link add br0 type bridge
ip -n "$hv" link set vx100 master br0
ip link add vv netns "$hv" type veth peer name eth0 netns "$vm"
ip -n "$hv" link set vv master br0
for dev in vx100 vv br0; do
	ip -n "$hv" link set "$dev" up
done
bridge -n "$hv" fdb append 00:00:00:00:00:00 dev vx100 dst 192.168.100.1
ip -n "$hv" link add vx200 type vxlan id 200 dstport 4789 \
	local 192.168.100.2 remote 192.168.100.1 nolearning
ip -n "$hv" addr add 172.31.0.1/24 dev vx200
ip -n "$hv" link set vx200 up

ip -n "$vm" link set eth0 address "$VM_MAC"
ip -n "$vm" addr add 172.16.0.10/16 dev eth0
ip -n "$vm" link set eth0 up
ip -n "$vm" route add 10.0.0.0/8 dev eth0

check "vpc add" clinkctl_gw vpc add vpc-a vni 100 cidr 172.16.0.0/16 || exit 1
check "vpc set classiclink on" clinkctl_gw vpc set vpc-a classiclink on || exit 1
check "endpoint add" clinkctl_gw endpoint add vpc vpc-a 172.16.0.10 \
	vtep 192.168.100.2 mac "$VM_MAC" || exit 1
check "instance add" clinkctl_gw instance add i-web ip 10.1.0.5 || exit 1
check "link add" clinkctl_gw link add i-web vpc vpc-a || exit 1

capture_start "$gw" vu "$tmp/underlay.pcap" udp port 4789

check "ping classic -> vm" \
	ip netns exec "$classic" ping -c 3 -W 2 -I 10.1.0.5 172.16.0.10
check "ping vm -> classic (ARP proxy)" \
	ip netns exec "$vm" ping -c 3 -W 2 10.1.0.5
check "vm resolved 10.1.0.5 to the gateway's MAC" sh -c \
	"ip -n $vm neigh show 10.1.0.5 | grep -q lladdr"
check "ping classic -> vm, 1400 bytes with DF" \
	ip netns exec "$classic" ping -c 2 -W 2 -s 1372 -I 10.1.0.5 172.16.0.10

capture_stop
tshark -n -r "$tmp/underlay.pcap" -Y 'vxlan && ip.src == 192.168.100.1' -T fields -E occurrence=l \
	-e vxlan.vni -e eth.src -e eth.dst -e arp.opcode -e ip.dst \
	>"$tmp/frames" 2>/dev/null
check "gateway sends VXLAN with VNI 100" grep -q "^100[[:space:]]" "$tmp/frames"
check "gateway sends only VNI 100" \
	awk '$1 != 100 { print; bad = 1 } END { exit bad }' "$tmp/frames"
check "gateway sent an ARP reply to $VM_MAC" \
	awk -v m="$VM_MAC" '$3 == m && $4 == 2 { f = 1 } END { exit !f }' \
	"$tmp/frames"
check "gateway sent IPv4 to $VM_MAC" \
	awk -v m="$VM_MAC" '$3 == m && $NF == "172.16.0.10" { f = 1 }
			    END { exit !f }' "$tmp/frames"

before=$(drop_count no-link)
check_fail "unlinked classic source 10.1.0.6 gets no answer" \
	ip netns exec "$classic" ping -c 2 -W 1 -I 10.1.0.6 172.16.0.10
check_drop "unlinked classic source counted as no-link" no-link "$before"

before=$(drop_count not-linked)
check_fail "vm -> unlinked classic 10.1.0.6 gets no answer" \
	ip netns exec "$vm" ping -c 2 -W 1 10.1.0.6
check_drop "unlinked classic destination counted as not-linked" \
	not-linked "$before"

before=$(drop_count unknown-vni)
check_fail "VNI 200 gets no answer" \
	ip netns exec "$hv" ping -c 2 -W 1 172.31.0.2
check_drop "VNI 200 counted as unknown-vni" unknown-vni "$before"

before=$(drop_count no-endpoint)
check_fail "classic -> vpc address without endpoint gets no answer" \
	ip netns exec "$classic" ping -c 1 -W 1 -I 10.1.0.5 172.16.0.11
check_drop "vpc address without endpoint counted as no-endpoint" \
	no-endpoint "$before"

before=$(drop_count ttl)
check_fail "vm -> classic with TTL 1 expires at the gateway" \
	ip netns exec "$vm" ping -c 1 -W 1 -t 1 10.1.0.5
check_drop "expired TTL counted as ttl" ttl "$before"

before=$(drop_count acl-deny)
clinkctl_gw acl add vpc vpc-a prio 10 dir to-vpc proto icmp action deny
check_fail "ACL to-vpc deny icmp: classic -> vm blocked" \
	ip netns exec "$classic" ping -c 1 -W 1 -I 10.1.0.5 172.16.0.10
check_drop "ACL to-vpc deny counted as acl-deny" acl-deny "$before"
clinkctl_gw acl del vpc vpc-a prio 10

before=$(drop_count acl-deny)
clinkctl_gw acl add vpc vpc-a prio 20 dir to-classic proto icmp action deny
check_fail "ACL to-classic deny icmp: vm -> classic blocked" \
	ip netns exec "$vm" ping -c 1 -W 1 10.1.0.5
check_drop "ACL to-classic deny counted as acl-deny" acl-deny "$before"
clinkctl_gw acl del vpc vpc-a prio 20
check "ping classic -> vm again once the ACLs are gone" \
	ip netns exec "$classic" ping -c 1 -W 2 -I 10.1.0.5 172.16.0.10

# Raise clink0's MTU above what the underlay carries, so the gateway (not
# the forwarding path in front of it) has to answer frag-needed.
ip -n "$gw" link set clink0 mtu 1500
before=$(drop_count mtu)
check_fail "1472-byte DF ping does not pass a 1500-byte underlay" \
	ip netns exec "$classic" ping -c 1 -W 1 -s 1472 -I 10.1.0.5 172.16.0.10
check_drop "too big DF packet counted as mtu" mtu "$before"
check "classic learned path MTU 1450 from frag-needed" sh -c \
	"ip -n $classic route get 172.16.0.10 from 10.1.0.5 | grep -q 'mtu 1450'"

# Underlay path MTU: a router towards a second VTEP has a 1400-byte link.
# Its frag-needed reaches the gateway's socket, the route to the VTEP
# learns 1400, and the next DF packet gets frag-needed 1350 from clink.
rt=dps-rt-$sfx
ip netns add "$rt"
ip link add vr netns "$gw" type veth peer name vr netns "$rt"
ip -n "$gw" addr add 192.168.200.1/24 dev vr
ip -n "$gw" link set vr up
ip -n "$gw" route add 192.168.201.0/24 via 192.168.200.2
ip -n "$rt" addr add 192.168.200.2/24 dev vr
ip -n "$rt" link set vr up
ip -n "$rt" link add d0 mtu 1400 type dummy
ip -n "$rt" addr add 192.168.201.1/24 dev d0
ip -n "$rt" link set d0 up
ip netns exec "$rt" sysctl -qw net.ipv4.ip_forward=1
clinkctl_gw endpoint add vpc vpc-a 172.16.0.20 vtep 192.168.201.2 \
	mac 02:00:00:00:00:20
before=$(drop_count mtu)
ip netns exec "$classic" ping -c 2 -W 1 -s 1372 -I 10.1.0.5 172.16.0.20 \
	>/dev/null 2>&1
check "gateway learned underlay path MTU 1400 to the VTEP" sh -c \
	"ip -n $gw route get 192.168.201.2 | grep -q 'mtu 1400'"
check_drop "DF packet over the underlay path MTU counted as mtu" mtu "$before"
check "classic learned path MTU 1350 to the VPC address behind it" sh -c \
	"ip -n $classic route get 172.16.0.20 from 10.1.0.5 | grep -q 'mtu 1350'"

# busybox nc half-closes when its stdin ends, and quits when the network
# side does: the server reads a FIFO nobody writes to.
mkfifo "$tmp/idle"
ip netns exec "$vm" timeout 60 nc -l -p 5000 <>"$tmp/idle" >"$tmp/received" &
server=$!
sleep 0.5
dd if=/dev/urandom of="$tmp/sent" bs=1024 count=4096 2>/dev/null
ip netns exec "$classic" timeout 60 nc 172.16.0.10 5000 <"$tmp/sent" >/dev/null
wait "$server"
check "4 MiB TCP transfer classic -> vm arrives intact" \
	cmp "$tmp/sent" "$tmp/received"

# A second gateway in a namespace whose port 4789 is taken cannot come up.
ip -n "$hv" link add clink1 type clink
check_fail "clink1 does not come up while vxlan holds port 4789" \
	sh -c 'ip -n "$1" link set clink1 up 2>"$2"' _ "$hv" "$tmp/up.err"
check "the error says the address is in use" \
	grep -i "address already in use" "$tmp/up.err"

exit "$(ksft_status)"
