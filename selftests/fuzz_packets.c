// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz clink's VXLAN receive path from the underlay.
 *
 * The topology is lib.sh's (clink_topo_create 1, drawn in datapath.sh,
 * configured as its clink_config 1 does): vm1 (172.16.0.10) behind hypervisor hv1 (VTEP
 * 192.168.100.2), the gateway gw (192.168.100.1:4789, clink0), classic
 * instance c1 (10.1.0.5) linked to vpc-a (VNI 100), c2 (10.1.0.6) not.
 *
 * From hv1's namespace this program sends FUZZ_PACKETS hostile packets to
 * the gateway, over a UDP socket (the VXLAN payload crafted) and, for what
 * a socket cannot send, as whole frames over AF_PACKET on hv1's ul0:
 *
 *   counted by clink (each moves the sum of its drop counters by one):
 *     short datagrams, bad VXLAN flags, reserved bits, unknown VNIs,
 *     non-IPv4 inner frames, ARP garbage, broken inner IPv4 headers
 *     (version, IHL, lengths, checksum), spoofed inner sources, inner
 *     destinations not linked, oversized datagrams (IP fragments that the
 *     gateway reassembles), some of them as raw frames with UDP checksum 0
 *   forwarded by clink (valid for it) and dropped by the gateway's stack:
 *     inner TTL 0 and 1 (Ip InHdrErrors), inner IP fragments (c1 discards)
 *   dropped by the gateway's IP/UDP layer before clink sees them:
 *     bad outer UDP checksums (Udp InCsumErrors), bad outer IP header
 *     checksums (IpExt InCsumErrors), first fragments never completed
 *     (reassembly timeout)
 *   empty UDP datagrams: 6.12 hands them to encap_rcv (clink counts them
 *     malformed), older kernels may queue them on the tunnel socket: both
 *     are accepted
 *
 * while vm1 pings c1 in the background.  The sender waits every 256
 * packets until clink has counted them (no loss to backlog overflow).
 *
 * Pass: the drop counters moved by exactly the number of packets clink
 * must drop (not counting no-link drops of the gateway's own ICMP time
 * exceeded errors, sourced from its classic address, at most one per
 * TTL 0/1 packet), the gateway's IP/UDP counters by the number they must drop,
 * clink forwarded exactly the valid ones plus vm1's pings, the ping lost
 * at most 10% and still works after, and the kernel log has no splat.
 *
 * Environment: FUZZ_PACKETS (default 20000; the debug lane,
 * selftests/debug/check.sh, asks for 1000000), FUZZ_SEED (printed).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/genetlink.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>

#include <linux/clink.h>

#include "kselftest_harness.h"
#include "lib_kmsg.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif

#define GW_UL		"192.168.100.1"
#define HV1_UL		"192.168.100.2"
#define VM_IP		0xac10000a	/* 172.16.0.10 */
#define C1_IP		0x0a010005	/* 10.1.0.5, linked to vpc-a */
#define C2_IP		0x0a010006	/* 10.1.0.6, linked nowhere */
#define VNI		100
#define PORT		4789
#define BURST		256
#ifndef FUZZ_DEFAULT_PACKETS
#define FUZZ_DEFAULT_PACKETS	20000	/* without FUZZ_PACKETS */
#endif

/* ------------------------------------------------------------------ */

static uint64_t rs;

static uint32_t rnd(uint32_t n)
{
	uint64_t z = (rs += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return n ? z % n : (uint32_t)z;
}

static void fill(uint8_t *p, size_t n)
{
	while (n--)
		*p++ = rnd(256);
}

static uint16_t csum(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t s = 0;

	for (; len > 1; len -= 2, p += 2)
		s += p[0] << 8 | p[1];
	if (len)
		s += p[0] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return htons(~s & 0xffff);
}

/* ------------------------------------------------------------------ */
/* Generic netlink: the gateway's counters.                            */

struct gw_counters {
	uint64_t drops[CLINK_DROP_MAX + 1];
	uint64_t to_classic;
	uint8_t mac[6];
};

static int nl_fd = -1, family;
static uint32_t nl_seq;

#define for_attrs(a, start, len)					\
	for (int __l = (len), __n; (a) = (struct nlattr *)(start),	\
	     __l >= NLA_HDRLEN && (a)->nla_len >= NLA_HDRLEN &&		\
	     (a)->nla_len <= __l;					\
	     __n = NLA_ALIGN((a)->nla_len), __l -= __n,			\
	     (start) = (char *)(start) + __n)

struct req {
	struct nlmsghdr nlh;
	struct genlmsghdr g;
	char attrs[512];
};

static void req_init(struct req *r, int type, int cmd)
{
	memset(r, 0, sizeof(*r));
	r->nlh.nlmsg_type = type;
	r->nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	r->nlh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	r->g.cmd = cmd;
	r->g.version = CLINK_GENL_VERSION;
}

static struct nlattr *req_put(struct req *r, int type, const void *data,
			      size_t len)
{
	struct nlattr *a = (struct nlattr *)((char *)r + r->nlh.nlmsg_len);

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
	r->nlh.nlmsg_len += NLA_ALIGN(a->nla_len);
	return a;
}

static void req_str(struct req *r, int type, const char *s)
{
	req_put(r, type, s, strlen(s) + 1);
}

static void req_u32(struct req *r, int type, uint32_t v)
{
	req_put(r, type, &v, 4);
}

/* A prefix nest: CLINK_PREFIX_A_ADDR, CLINK_PREFIX_A_LEN. */
static void req_prefix(struct req *r, int type, uint32_t addr, uint8_t len)
{
	struct nlattr *nest = req_put(r, type | NLA_F_NESTED, NULL, 0);

	addr = htonl(addr);
	req_put(r, CLINK_PREFIX_A_ADDR, &addr, 4);
	req_put(r, CLINK_PREFIX_A_LEN, &len, 1);
	nest->nla_len = (char *)r + r->nlh.nlmsg_len - (char *)nest;
}

/*
 * Sends @r and waits for its answer: the reply (copied to @rx) or the
 * ack; 0 or -errno, with the extended ack message in @rx on error.
 */
static int genl_req(struct req *r, char *rx, size_t rxsz)
{
	ssize_t n;

	r->nlh.nlmsg_seq = ++nl_seq;
	if (send(nl_fd, r, r->nlh.nlmsg_len, 0) < 0)
		return -errno;
	for (;;) {
		struct nlmsghdr *nlh = (struct nlmsghdr *)rx;

		n = recv(nl_fd, rx, rxsz, 0);
		if (n < 0)
			return -errno;
		if (!NLMSG_OK(nlh, n) || nlh->nlmsg_seq != nl_seq)
			continue;
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			struct nlmsgerr *e = NLMSG_DATA(nlh);
			int err = e->error;
			struct nlattr *a;
			void *p = (char *)e + sizeof(*e);

			rx[0] = 0;
			if (!err || !(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
				return err;
			if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
				p = (char *)p + e->msg.nlmsg_len - NLMSG_HDRLEN;
			for_attrs(a, p, (int)((char *)nlh + nlh->nlmsg_len - (char *)p))
				if (a->nla_type == NLMSGERR_ATTR_MSG) {
					memmove(rx, (char *)a + NLA_HDRLEN,
						a->nla_len - NLA_HDRLEN);
					break;
				}
			return err;
		}
		return 0;	/* the reply (requests for one carry no NLM_F_ACK) */
	}
}

static int genl_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = 30 };
	struct req r;
	char rx[4096];
	struct nlattr *a;
	void *p;
	int err;

	nl_fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (nl_fd < 0 || bind(nl_fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    connect(nl_fd, (struct sockaddr *)&sa, sizeof(sa)))
		return -errno;
	setsockopt(nl_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	req_init(&r, GENL_ID_CTRL, CTRL_CMD_GETFAMILY);
	r.nlh.nlmsg_flags = NLM_F_REQUEST;
	req_str(&r, CTRL_ATTR_FAMILY_NAME, CLINK_GENL_NAME);
	err = genl_req(&r, rx, sizeof(rx));
	if (err)
		return err;
	p = (char *)NLMSG_DATA(rx) + GENL_HDRLEN;
	for_attrs(a, p, ((struct nlmsghdr *)rx)->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN))
		if (a->nla_type == CTRL_ATTR_FAMILY_ID)
			family = *(uint16_t *)((char *)a + NLA_HDRLEN);
	return family ? 0 : -ENOENT;
}

static int gw_read(struct gw_counters *c)
{
	static char rx[65536];
	struct nlattr *a, *b;
	struct req r;
	void *p, *q;
	int err;

	memset(c, 0, sizeof(*c));
	req_init(&r, family, CLINK_CMD_GET_DEV);
	r.nlh.nlmsg_flags = NLM_F_REQUEST;
	req_str(&r, CLINK_A_IFNAME, "clink0");
	err = genl_req(&r, rx, sizeof(rx));
	if (err)
		return err;
	p = (char *)NLMSG_DATA(rx) + GENL_HDRLEN;
	for_attrs(a, p, ((struct nlmsghdr *)rx)->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN)) {
		int t = a->nla_type & NLA_TYPE_MASK;

		q = (char *)a + NLA_HDRLEN;
		if (t == CLINK_A_DEV_MAC && a->nla_len >= NLA_HDRLEN + 6)
			memcpy(c->mac, q, 6);
		if (t == CLINK_A_DROPS) {
			for_attrs(b, q, a->nla_len - NLA_HDRLEN) {
				int r = b->nla_type & NLA_TYPE_MASK;

				if (r <= CLINK_DROP_MAX && b->nla_len >= NLA_HDRLEN + 8)
					memcpy(&c->drops[r], (char *)b + NLA_HDRLEN, 8);
			}
		}
		if (t == CLINK_A_STATS) {
			for_attrs(b, q, a->nla_len - NLA_HDRLEN)
				if ((b->nla_type & NLA_TYPE_MASK) ==
				    CLINK_STATS_A_TO_CLASSIC_PACKETS &&
				    b->nla_len >= NLA_HDRLEN + 8)
					memcpy(&c->to_classic, (char *)b + NLA_HDRLEN, 8);
		}
	}
	return 0;
}

/*
 * lib.sh's clink_config 1, straight over generic netlink (so that this
 * test depends on the family, not on clinkctl's syntax):
 *   vpc-a  VNI 100, 172.16.0.0/16, endpoint vm1 at hv1, ClassicLink on
 *   i-linked 10.1.0.5 linked to vpc-a, i-unlinked 10.1.0.6 not linked
 */
static int gw_config(char *why, size_t whysz)
{
	static const uint8_t vm1_mac[6] = { 2, 0, 0, 0, 0, 0x10 };
	static char rx[4096];
	struct req r;
	int err, step;

	for (step = 0; step < 6; step++) {
		static const int cmd[] = { CLINK_CMD_NEW_VPC,
			CLINK_CMD_NEW_ENDPOINT, CLINK_CMD_SET_VPC,
			CLINK_CMD_NEW_INSTANCE, CLINK_CMD_NEW_INSTANCE,
			CLINK_CMD_NEW_LINK };
		uint8_t on = 1;

		req_init(&r, family, cmd[step]);
		req_str(&r, CLINK_A_IFNAME, "clink0");
		switch (step) {
		case 0:
			req_str(&r, CLINK_A_VPC_ID, "vpc-a");
			req_u32(&r, CLINK_A_VPC_VNI, VNI);
			req_prefix(&r, CLINK_A_VPC_CIDR, 0xac100000, 16);
			break;
		case 1:
			req_str(&r, CLINK_A_VPC_ID, "vpc-a");
			req_u32(&r, CLINK_A_EP_ADDR, htonl(VM_IP));
			req_u32(&r, CLINK_A_EP_VTEP, inet_addr(HV1_UL));
			req_put(&r, CLINK_A_EP_MAC, vm1_mac, 6);
			break;
		case 2:
			req_str(&r, CLINK_A_VPC_ID, "vpc-a");
			req_put(&r, CLINK_A_VPC_CLASSICLINK, &on, 1);
			break;
		case 3:
		case 4:
			req_str(&r, CLINK_A_INST_ID, step == 3 ? "i-linked" : "i-unlinked");
			req_u32(&r, CLINK_A_INST_ADDR, htonl(step == 3 ? C1_IP : C2_IP));
			break;
		case 5:
			req_str(&r, CLINK_A_INST_ID, "i-linked");
			req_str(&r, CLINK_A_VPC_ID, "vpc-a");
			break;
		}
		err = genl_req(&r, rx, sizeof(rx));
		if (err) {
			snprintf(why, whysz, "configuration step %d (command %d): %s: %.200s",
				 step, cmd[step], strerror(-err), rx);
			return err;
		}
	}
	return 0;
}

static uint64_t drops_total(const struct gw_counters *c)
{
	uint64_t n = 0;
	int i;

	for (i = 0; i <= CLINK_DROP_MAX; i++)
		n += c->drops[i];
	return n;
}

/*
 * Drops since @b, except for an expired TTL (whether clink drops inner TTL
 * 0/1 itself or leaves it to the gateway's ip_forward is the datapath's
 * choice; the accounting takes either) and no-link drops (the time
 * exceeded errors ip_forward sends back come from the gateway's classic
 * address, which no instance links: none of them may reach the VPC).
 * The fuzzer sends nothing from the classic side.
 */
static uint64_t drops_other(const struct gw_counters *a,
			    const struct gw_counters *b)
{
	return drops_total(a) - drops_total(b) -
	       (a->drops[CLINK_DROP_TTL] - b->drops[CLINK_DROP_TTL]) -
	       (a->drops[CLINK_DROP_NO_LINK] - b->drops[CLINK_DROP_NO_LINK]);
}

/* ------------------------------------------------------------------ */
/* The gateway's IP and UDP counters (/proc/net/snmp of its netns).    */

struct snmp {
	long ip_hdr_errors, ip_csum_errors, udp_csum_errors;
};

static int snmp_fd = -1, netstat_fd = -1;

/* @field of @proto in /proc/net/snmp: a line of names, a line of values. */
static long snmp_field(const char *buf, const char *proto, const char *field)
{
	char names[2048], vals[2048], *sn, *sv, *n, *v;
	size_t plen = strlen(proto);
	const char *l = buf, *e;

	for (; *l; l = e + 1) {
		e = strchr(l, '\n');
		if (!e)
			return -1;
		if (strncmp(l, proto, plen) || l[plen] != ':')
			continue;
		snprintf(names, sizeof(names), "%.*s", (int)(e - l), l);
		l = e + 1;
		snprintf(vals, sizeof(vals), "%.*s", (int)strcspn(l, "\n"), l);
		for (n = strtok_r(names + plen + 1, " ", &sn),
		     v = strtok_r(vals + plen + 1, " ", &sv); n && v;
		     n = strtok_r(NULL, " ", &sn), v = strtok_r(NULL, " ", &sv))
			if (!strcmp(n, field))
				return atol(v);
		return -1;
	}
	return -1;
}

static void snmp_read(struct snmp *s)
{
	char buf[16384];
	ssize_t n = pread(snmp_fd, buf, sizeof(buf) - 1, 0);

	buf[n > 0 ? n : 0] = 0;
	s->ip_hdr_errors = snmp_field(buf, "Ip", "InHdrErrors");
	s->udp_csum_errors = snmp_field(buf, "Udp", "InCsumErrors");
	n = pread(netstat_fd, buf, sizeof(buf) - 1, 0);
	buf[n > 0 ? n : 0] = 0;
	s->ip_csum_errors = snmp_field(buf, "IpExt", "InCsumErrors");
}

/* ------------------------------------------------------------------ */
/* Packets.                                                            */

enum cat {
	/* clink drops these */
	C_SHORT, C_FLAGS, C_RESERVED, C_VNI, C_ETHERTYPE, C_ARP, C_IPHDR,
	C_SPOOF, C_NOTLINKED, C_OVERSIZE,
	/* clink forwards these; the gateway's stack or c1 drops them */
	F_TTL, F_FRAG,
	/* the gateway's IP or UDP layer drops these */
	R_UDPCSUM, R_IPCSUM, R_FRAG_INCOMPLETE, R_EMPTY,
	NCAT
};

static const char *const cat_name[NCAT] = {
	"short datagram", "bad VXLAN flags", "VXLAN reserved bits",
	"unknown VNI", "inner not IPv4", "ARP garbage", "broken inner IPv4",
	"spoofed inner source", "inner dst not linked", "oversized (fragmented)",
	"inner TTL 0/1", "inner IP fragment", "bad outer UDP checksum",
	"bad outer IP checksum", "incomplete outer fragments",
	"empty UDP (counted or not)",
};

/* Relative frequencies, per mille. */
static const int cat_weight[NCAT] = {
	100, 80, 80, 100, 90, 90, 150, 90, 90, 5,
	40, 30, 20, 20, 1, 4,
};

static bool clink_counts(int c)
{
	return c <= C_OVERSIZE;
}

static uint8_t gw_mac[6], hv_mac[6], gw_ul_mac[6];

static size_t put_vxlan(uint8_t *p, uint8_t flags, uint32_t r1, uint32_t vni,
			uint8_t r2)
{
	p[0] = flags;
	p[1] = r1 >> 16;
	p[2] = r1 >> 8;
	p[3] = r1;
	p[4] = vni >> 16;
	p[5] = vni >> 8;
	p[6] = vni;
	p[7] = r2;
	return 8;
}

static size_t put_eth(uint8_t *p, uint16_t type)
{
	static const uint8_t vm_mac[6] = { 2, 0, 0, 0, 0, 0x10 };

	memcpy(p, gw_mac, 6);
	memcpy(p + 6, vm_mac, 6);
	p[12] = type >> 8;
	p[13] = type;
	return 14;
}

/* An IPv4 ICMP echo request of @plen payload bytes; the header's length. */
static size_t put_ipv4(uint8_t *p, uint32_t src, uint32_t dst, uint8_t ttl,
		       uint16_t frag, size_t plen)
{
	uint8_t *icmp = p + 20;

	memset(p, 0, 20);
	p[0] = 0x45;
	*(uint16_t *)(p + 2) = htons(20 + 8 + plen);
	*(uint16_t *)(p + 4) = htons(rnd(65536));
	*(uint16_t *)(p + 6) = htons(frag);
	p[8] = ttl;
	p[9] = IPPROTO_ICMP;
	*(uint32_t *)(p + 12) = htonl(src);
	*(uint32_t *)(p + 16) = htonl(dst);
	*(uint16_t *)(p + 10) = csum(p, 20);
	memset(icmp, 0, 8);
	icmp[0] = 8;
	*(uint16_t *)(icmp + 4) = htons(0xf022);
	fill(icmp + 8, plen);
	*(uint16_t *)(icmp + 2) = csum(icmp, 8 + plen);
	return 20 + 8 + plen;
}

static uint32_t vpc_addr(void)
{
	return 0xac100000 | rnd(65536);		/* 172.16.0.0/16 */
}

/* Outside the VPC's primary CIDR, and never the linked c1. */
static uint32_t outside_addr(void)
{
	uint32_t a;

	do
		a = rnd(0);
	while ((a & 0xffff0000) == 0xac100000 || a == C1_IP);
	return a;
}

/*
 * The UDP payload (VXLAN and inner frame) of a packet of category @c;
 * its length.
 */
static size_t make_payload(int c, uint8_t *p, size_t max)
{
	size_t n = 0, k;
	uint16_t type;

	switch (c) {
	case C_SHORT:
		k = 1 + rnd(29);		/* less than VXLAN + Ethernet */
		n = put_vxlan(p, 0x08, 0, VNI, 0);
		if (k > n)
			n += put_eth(p + n, 0x0800);
		return k;
	case C_FLAGS:
		n = put_vxlan(p, rnd(256), 0, VNI, 0);
		if (p[0] == 0x08)
			p[0] = 0x00;
		break;
	case C_RESERVED:
		switch (rnd(3)) {
		case 0: n = put_vxlan(p, 0x08, 1 + rnd(0xffffff), VNI, 0); break;
		case 1: n = put_vxlan(p, 0x08, 0, VNI, 1 + rnd(255)); break;
		default: n = put_vxlan(p, 0x08 | (1 << rnd(8)), 0, VNI, 0);
			 if (p[0] == 0x08)
				 p[0] = 0x0c;
			 break;
		}
		break;
	case C_VNI:
		k = rnd(0x1000000);
		n = put_vxlan(p, 0x08, 0, k == VNI ? VNI + 1 : k, 0);
		break;
	default:
		n = put_vxlan(p, 0x08, 0, VNI, 0);
		break;
	}

	switch (c) {
	case C_ETHERTYPE:
		do
			type = rnd(65536);
		while (type == 0x0800 || type == 0x0806);
		if (rnd(2))
			type = rnd(2) ? 0x86dd : 0x8100;
		n += put_eth(p + n, type);
		k = rnd(200);
		fill(p + n, k);
		return n + k;
	case C_ARP:
		n += put_eth(p + n, 0x0806);
		k = 28;
		fill(p + n, k);
		switch (rnd(4)) {
		case 0:		/* truncated */
			return n + rnd(28);
		case 1:		/* wrong hardware or protocol */
			p[n + 4] = 7;
			return n + k;
		case 2:		/* not a request */
			memcpy(p + n, "\x00\x01\x08\x00\x06\x04", 6);
			p[n + 7] = 2 + rnd(200);
			return n + k;
		default:	/* a request from outside the VPC, or for c2 */
			memcpy(p + n, "\x00\x01\x08\x00\x06\x04\x00\x01", 8);
			if (rnd(2)) {
				*(uint32_t *)(p + n + 14) = htonl(outside_addr());
			} else {
				*(uint32_t *)(p + n + 14) = htonl(VM_IP);
				*(uint32_t *)(p + n + 24) = htonl(rnd(2) ? C2_IP :
								  outside_addr());
			}
			return n + k;
		}
	case C_IPHDR:
		n += put_eth(p + n, 0x0800);
		k = put_ipv4(p + n, VM_IP, C1_IP, 64, 0, rnd(64));
		switch (rnd(6)) {
		case 0:		/* truncated header */
			return n + rnd(20);
		case 1:		/* version */
			p[n] = (1 + rnd(15)) << 4 | 5;
			if (p[n] >> 4 == 4)
				p[n] = 0x65;
			break;
		case 2:		/* IHL < 5 */
			p[n] = 0x40 | rnd(5);
			break;
		case 3:		/* total length beyond the frame */
			*(uint16_t *)(p + n + 2) = htons(k + 1 + rnd(1000));
			break;
		case 4:		/* total length shorter than the header */
			*(uint16_t *)(p + n + 2) = htons(rnd(20));
			break;
		default:	/* header checksum */
			p[n + 10] ^= 1 + rnd(255);
			return n + k;
		}
		*(uint16_t *)(p + n + 10) = 0;
		*(uint16_t *)(p + n + 10) = csum(p + n, 20);
		return n + k;
	case C_SPOOF:
		n += put_eth(p + n, 0x0800);
		return n + put_ipv4(p + n, outside_addr(), C1_IP, 64, 0, rnd(100));
	case C_NOTLINKED:
		n += put_eth(p + n, 0x0800);
		return n + put_ipv4(p + n, vpc_addr(),
				    rnd(2) ? C2_IP : outside_addr(), 64, 0, rnd(100));
	case C_OVERSIZE:
		/*
		 * One of the above that padding cannot mend (a truncated
		 * header would be whole again), past the MTU: IP fragments.
		 */
		{
			static const int base[] = { C_FLAGS, C_RESERVED, C_VNI,
				C_ETHERTYPE, C_SPOOF, C_NOTLINKED };

			k = make_payload(base[rnd(6)], p, max);
		}
		if (k < 30)
			k = 30;
		n = 1500 + rnd(max - 1500);
		if (k < n)
			fill(p + k, n - k);
		return n;
	case F_TTL:
		n += put_eth(p + n, 0x0800);
		return n + put_ipv4(p + n, VM_IP, C1_IP, rnd(2), 0, rnd(100));
	case F_FRAG:
		n += put_eth(p + n, 0x0800);
		return n + put_ipv4(p + n, VM_IP, C1_IP, 64,
				    rnd(2) ? 0x2000 | rnd(100) : 1 + rnd(0x1fff),
				    rnd(100));
	}
	fill(p + n, 20);
	return n + 20;
}

/*
 * A whole frame for AF_PACKET: Ethernet, IPv4 (hv1 -> gw), UDP to 4789
 * with checksum 0 (none), and @payload.  @c says what to break.
 */
static size_t make_frame(int c, uint8_t *f, const uint8_t *payload, size_t plen)
{
	uint8_t *ip = f + 14, *udp = ip + 20;
	size_t len = 20 + 8 + plen;

	memcpy(f, gw_ul_mac, 6);
	memcpy(f + 6, hv_mac, 6);
	f[12] = 0x08;
	f[13] = 0x00;
	memset(ip, 0, 20);
	ip[0] = 0x45;
	*(uint16_t *)(ip + 2) = htons(len);
	*(uint16_t *)(ip + 4) = htons(rnd(65536));
	ip[8] = 64;
	ip[9] = IPPROTO_UDP;
	inet_pton(AF_INET, HV1_UL, ip + 12);
	inet_pton(AF_INET, GW_UL, ip + 16);
	*(uint16_t *)(udp + 0) = htons(40000 + rnd(20000));
	*(uint16_t *)(udp + 2) = htons(PORT);
	*(uint16_t *)(udp + 4) = htons(8 + plen);
	*(uint16_t *)(udp + 6) = 0;
	memcpy(udp + 8, payload, plen);
	if (c == R_UDPCSUM)		/* any checksum but 0 is wrong here... */
		*(uint16_t *)(udp + 6) = htons(1 + rnd(0xfffe));
	if (c == R_FRAG_INCOMPLETE) {	/* first fragment, MF, never followed */
		*(uint16_t *)(ip + 6) = htons(0x2000);
		len = 20 + ((8 + plen) / 2 & ~7u);
		*(uint16_t *)(ip + 2) = htons(len);
	}
	*(uint16_t *)(ip + 10) = csum(ip, 20);
	if (c == R_IPCSUM)
		ip[10] ^= 1 + rnd(255);
	return 14 + len;
}

/* ...so compute the right one and spoil it for R_UDPCSUM. */
static void udp_csum_spoil(uint8_t *f)
{
	uint8_t *ip = f + 14, *udp = ip + 20;
	uint16_t ulen = ntohs(*(uint16_t *)(udp + 4));
	uint8_t *pseudo = malloc(12 + ulen + 1);
	uint16_t good;

	memcpy(pseudo, ip + 12, 8);
	pseudo[8] = 0;
	pseudo[9] = IPPROTO_UDP;
	*(uint16_t *)(pseudo + 10) = htons(ulen);
	*(uint16_t *)(udp + 6) = 0;
	memcpy(pseudo + 12, udp, ulen);
	good = csum(pseudo, 12 + ulen);
	if (!good)
		good = 0xffff;
	*(uint16_t *)(udp + 6) = good ^ htons(1 + rnd(0xfffe));
	if (!*(uint16_t *)(udp + 6))
		*(uint16_t *)(udp + 6) = good ^ 1;
	free(pseudo);
}

/* ------------------------------------------------------------------ */

static char sfx[16];

static int run(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

static int enter_ns(const char *name)
{
	char path[128];
	int fd, err;

	snprintf(path, sizeof(path), "/run/netns/%s-%s", name, sfx);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	err = setns(fd, CLONE_NEWNET) ? -errno : 0;
	close(fd);
	return err;
}

static int if_mac(const char *ifname, uint8_t *mac)
{
	struct ifreq ifr = {};
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), err;

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	err = ioctl(fd, SIOCGIFHWADDR, &ifr);
	close(fd);
	if (err)
		return -errno;
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	return 0;
}

/* The summaries of busybox or iputils pings: transmitted, received. */
static void ping_result(const char *file, long *tx, long *rxd)
{
	char line[256];
	FILE *fp = fopen(file, "r");

	long t, r;

	*tx = *rxd = -1;
	if (!fp)
		return;
	*tx = *rxd = 0;
	while (fgets(line, sizeof(line), fp))
		if (strstr(line, "transmitted") &&
		    sscanf(line, "%ld packets transmitted, %ld", &t, &r) == 2) {
			*tx += t;
			*rxd += r;
		}
	fclose(fp);
}

static void del_namespaces(void)
{
	run("for n in gw ul c1 c2 hv1 vm1; do ip netns del $n-%s 2>/dev/null; done",
	    sfx);
}

FIXTURE(pkt) {
	int kmsg, orig_ns;
	bool topo;
	char backlog[32];
};

FIXTURE_SETUP(pkt)
{
	char why[256];
	const char *s;
	FILE *fp;

	self->kmsg = -1;
	self->orig_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (geteuid())
		SKIP(return, "needs root");
	if (run("command -v ping >/dev/null"))
		SKIP(return, "needs ping");
	if (run("ip link add fzprobe0 type clink 2>/dev/null && ip link del fzprobe0"))
		SKIP(return, "no clink link type (is clink.ko loaded?)");

	s = getenv("FUZZ_SEED");
	rs = s && *s ? strtoull(s, NULL, 0) : (uint64_t)time(NULL) ^ getpid() << 16;
	snprintf(sfx, sizeof(sfx), "fp%04x", (unsigned int)(rs & 0xffff));
	TH_LOG("seed %llu (FUZZ_SEED=%llu reproduces it); namespaces *-%s",
	       (unsigned long long)rs, (unsigned long long)rs, sfx);

	/* No backlog overflow between the sender and clink. */
	fp = fopen("/proc/sys/net/core/netdev_max_backlog", "r");
	if (fp && fgets(self->backlog, sizeof(self->backlog), fp))
		run("sysctl -qw net.core.netdev_max_backlog=10000");
	if (fp)
		fclose(fp);

	/* lib.sh's cleanup would delete the namespaces: teardown does. */
	self->topo = true;
	if (run("NS_SUFFIX=%s bash -c '. ./lib.sh && trap - EXIT && "
		"clink_topo_create 1'", sfx)) {
		del_namespaces();	/* no teardown after a failed setup */
		self->topo = false;
		ASSERT_TRUE(false) TH_LOG("lib.sh: clink_topo_create 1 failed");
	}
	self->kmsg = kmsg_open(why, sizeof(why));
	ASSERT_NE(-2, self->kmsg) TH_LOG("splat patterns: %s", why);
}

FIXTURE_TEARDOWN(pkt)
{
	if (self->orig_ns >= 0)
		setns(self->orig_ns, CLONE_NEWNET);
	if (self->topo)
		del_namespaces();
	if (self->backlog[0])
		run("sysctl -qw net.core.netdev_max_backlog=%.*s",
		    (int)strcspn(self->backlog, "\n"), self->backlog);
	if (self->kmsg >= 0)
		close(self->kmsg);
}

TEST_F_TIMEOUT(pkt, vxlan, 24 * 3600)
{
	long total = FUZZ_DEFAULT_PACKETS, sent[NCAT] = {}, counted = 0, stack_ip_csum = 0;
	long stack_udp_csum = 0, stack_hdr = 0, forwarded = 0, ttl, i;
	struct gw_counters c0, c1;
	struct snmp s0, s1;
	struct sockaddr_in gw = { .sin_family = AF_INET, .sin_port = htons(PORT) };
	struct sockaddr_ll ll = { .sll_family = AF_PACKET };
	static uint8_t payload[9000], frame[9100];
	int udp, raw, wsum = 0, k, splats;
	long ping_tx, ping_rx;
	struct timespec t0, t1;
	double secs;
	time_t ping_start;
	char why[512];
	pid_t ping;
	const char *s;

	s = getenv("FUZZ_PACKETS");
	if (s && *s)
		total = atol(s);
	for (k = 0; k < NCAT; k++)
		wsum += cat_weight[k];

	/* The gateway side: counters, MACs. */
	ASSERT_EQ(0, enter_ns("gw"));
	ASSERT_EQ(0, genl_open());
	ASSERT_EQ(0, gw_config(why, sizeof(why))) TH_LOG("%s", why);
	snmp_fd = open("/proc/thread-self/net/snmp", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, snmp_fd);
	netstat_fd = open("/proc/thread-self/net/netstat", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, netstat_fd);
	ASSERT_EQ(0, if_mac("ul0", gw_ul_mac));
	ASSERT_EQ(0, gw_read(&c0));
	memcpy(gw_mac, c0.mac, 6);

	/* The hypervisor side: the sockets. */
	ASSERT_EQ(0, enter_ns("hv1"));
	ASSERT_EQ(0, if_mac("ul0", hv_mac));
	udp = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, udp);
	inet_pton(AF_INET, GW_UL, &gw.sin_addr);
	ASSERT_EQ(0, connect(udp, (struct sockaddr *)&gw, sizeof(gw)));
	raw = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, raw);
	ll.sll_ifindex = if_nametoindex("ul0");
	ll.sll_halen = 6;
	memcpy(ll.sll_addr, gw_ul_mac, 6);
	ASSERT_EQ(0, setns(self->orig_ns, CLONE_NEWNET));

	/* The legitimate flow, and proof that it works before the storm. */
	ASSERT_EQ(0, run("ip netns exec vm1-%s ping -c 3 -i 0.2 -W 5 10.1.0.5 >/dev/null", sfx))
		TH_LOG("vm1 cannot ping c1 before fuzzing: the topology is broken");
	ASSERT_EQ(0, gw_read(&c0));
	snmp_read(&s0);
	/*
	 * Rounds of 4 pings until told to stop: each round ends by itself,
	 * so every echo request sent is in some round's summary.
	 */
	unlink("/tmp/fuzz_packets.stop");
	ping_start = time(NULL);
	ping = fork();
	ASSERT_LE(0, ping);
	if (!ping) {
		char ns[64];

		snprintf(ns, sizeof(ns), "vm1-%s", sfx);
		if (!freopen("/tmp/fuzz_packets.ping", "w", stdout))
			_exit(127);
		execlp("ip", "ip", "netns", "exec", ns, "sh", "-c",
		       "while [ ! -e /tmp/fuzz_packets.stop ]; do "
		       "ping -c 4 -i 0.5 -W 2 10.1.0.5; done", NULL);
		_exit(127);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);

	for (i = 0; i < total; i++) {
		int c, r = rnd(wsum);
		size_t plen, flen;
		bool via_raw;

		for (c = 0; r >= cat_weight[c]; c++)
			r -= cat_weight[c];
		sent[c]++;
		plen = c == R_EMPTY ? 0 : make_payload(c >= R_UDPCSUM ?
				(int)rnd(C_NOTLINKED + 1) : c, payload,
				c >= R_UDPCSUM ? 1400 : sizeof(payload));
		if (c == C_OVERSIZE && plen > 1400 && rnd(2))
			plen = 1400 + rnd(plen - 1400);
		via_raw = c == R_UDPCSUM || c == R_IPCSUM || c == R_FRAG_INCOMPLETE ||
			  (clink_counts(c) && c != C_OVERSIZE && rnd(10) == 0);
		if (via_raw) {
			flen = make_frame(c, frame, payload, plen);
			if (c == R_UDPCSUM)
				udp_csum_spoil(frame);
			ASSERT_EQ((ssize_t)flen, sendto(raw, frame, flen, 0,
						     (struct sockaddr *)&ll, sizeof(ll)))
				TH_LOG("AF_PACKET send: %s", strerror(errno));
		} else {
			ASSERT_EQ((ssize_t)plen, send(udp, payload, plen, 0))
				TH_LOG("UDP send of %zu bytes: %s", plen, strerror(errno));
		}
		if (clink_counts(c))
			counted++;
		else if (c == F_TTL || c == F_FRAG)
			forwarded++;
		if (c == F_TTL)
			stack_hdr++;
		else if (c == R_UDPCSUM)
			stack_udp_csum++;
		else if (c == R_IPCSUM)
			stack_ip_csum++;

		/* Let clink catch up: no packet lost on the way to it. */
		if (i % BURST == BURST - 1 || i == total - 1) {
			for (k = 0; k < 200; k++) {
				ASSERT_EQ(0, gw_read(&c1));
				if (drops_other(&c1, &c0) >= (uint64_t)counted)
					break;
				usleep(50000);
			}
			if (drops_other(&c1, &c0) < (uint64_t)counted ||
			    drops_other(&c1, &c0) > (uint64_t)(counted + sent[R_EMPTY])) {
				TH_LOG("after %ld packets: clink counted %llu drops, %ld expected",
				       i + 1, (unsigned long long)drops_other(&c1, &c0),
				       counted);
				break;
			}
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = t1.tv_sec - t0.tv_sec + (t1.tv_nsec - t0.tv_nsec) / 1e9;

	while (time(NULL) < ping_start + 3)	/* a few pings at least */
		sleep(1);
	close(open("/tmp/fuzz_packets.stop", O_CREAT | O_WRONLY | O_CLOEXEC, 0644));
	waitpid(ping, NULL, 0);
	unlink("/tmp/fuzz_packets.stop");
	sleep(1);
	ASSERT_EQ(0, gw_read(&c1));
	snmp_read(&s1);
	ping_result("/tmp/fuzz_packets.ping", &ping_tx, &ping_rx);

	TH_LOG("%ld packets in %.1fs (%.0f/s); ping from vm1: %ld sent, %ld answered",
	       i, secs, i / secs, ping_tx, ping_rx);
	for (k = 0; k < NCAT; k++)
		TH_LOG("  %-28s %8ld%s", cat_name[k], sent[k],
		       clink_counts(k) ? "  (clink drops)" : "");
	for (k = 0; k <= CLINK_DROP_MAX; k++)
		if (c1.drops[k] != c0.drops[k])
			TH_LOG("  drop reason %2d: +%llu", k,
			       (unsigned long long)(c1.drops[k] - c0.drops[k]));

	ttl = c1.drops[CLINK_DROP_TTL] - c0.drops[CLINK_DROP_TTL];
	EXPECT_EQ(total, i);
	EXPECT_LE((uint64_t)counted, drops_other(&c1, &c0))
		TH_LOG("every packet clink must drop is counted");
	EXPECT_GE((uint64_t)(counted + sent[R_EMPTY]), drops_other(&c1, &c0))
		TH_LOG("no packet is counted twice (or dropped that should not be)");
	EXPECT_GE((uint64_t)sent[F_TTL],
		  c1.drops[CLINK_DROP_NO_LINK] - c0.drops[CLINK_DROP_NO_LINK])
		TH_LOG("no-link drops: only the gateway's time exceeded errors");
	EXPECT_GE(stack_hdr, ttl) TH_LOG("more TTL drops than TTL 0/1 packets");
	EXPECT_EQ(0, c1.drops[CLINK_DROP_UNSPEC] - c0.drops[CLINK_DROP_UNSPEC]);
	EXPECT_EQ(stack_udp_csum, s1.udp_csum_errors - s0.udp_csum_errors)
		TH_LOG("bad UDP checksums are the UDP layer's (Udp InCsumErrors)");
	EXPECT_EQ(stack_ip_csum, s1.ip_csum_errors - s0.ip_csum_errors)
		TH_LOG("bad IP checksums are the IP layer's (Ip InCsumErrors)");
	EXPECT_LE(stack_hdr - ttl + stack_ip_csum, s1.ip_hdr_errors - s0.ip_hdr_errors)
		TH_LOG("TTL 0/1 and bad checksums count as Ip InHdrErrors");
	EXPECT_EQ((uint64_t)(forwarded - ttl + ping_tx), c1.to_classic - c0.to_classic)
		TH_LOG("clink forwarded %llu to classic: %ld valid fuzz packets + %ld pings expected",
		       (unsigned long long)(c1.to_classic - c0.to_classic),
		       forwarded, ping_tx);
	EXPECT_LT(0, ping_tx);
	EXPECT_LE(ping_tx - ping_tx / 10 - 2, ping_rx)
		TH_LOG("the legitimate flow lost more than 10%%");
	EXPECT_EQ(0, run("ip netns exec vm1-%s ping -c 3 -i 0.2 -W 5 10.1.0.5 >/dev/null", sfx))
		TH_LOG("vm1 cannot ping c1 after fuzzing");
	splats = kmsg_splats(self->kmsg);
	EXPECT_EQ(0, splats) TH_LOG("the kernel logged %d splat(s)", splats);
	close(udp);
	close(raw);
}

TEST_HARNESS_MAIN
