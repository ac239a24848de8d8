// SPDX-License-Identifier: GPL-2.0
/*
 * Allocation failure: every memory allocation clink makes while it serves a
 * request may fail, and the request must then fail cleanly or not at all.
 *
 * The kernel's fault injection (CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC,
 * the debug kernel of selftests/debug) can fail the Nth allocation of the
 * calling task: write N to /proc/thread-self/fail-nth, make one request,
 * read the file back (0: the fault was injected).  The stack-trace filter
 * (require-start/-end = clink.ko's memory) counts only allocations made
 * with clink code on the stack, so N walks exactly the allocation points
 * of clink's handler for that request, the way syzkaller's fault
 * injection does.  For each request below, with N = 1, 2, ... until the
 * request makes fewer than N allocations:
 *
 *   - it fails with ENOMEM and the whole configuration (every dump, the
 *     devices, the flags) is exactly what it was, and no event went out;
 *   - or it succeeds (the failed allocation was optional) and the
 *     configuration is exactly what the same request makes without a
 *     fault, and event listeners got its events or an ENOBUFS that tells
 *     them they missed some.
 *
 * The undo request then restores the starting configuration.  kmemleak
 * (checked by the VM harness after rmmod) catches what an error path
 * forgot to free; KASAN what it freed twice.
 *
 * Skipped on kernels without fault injection (Debian's cloud kernels).
 */
#define _GNU_SOURCE
#include <sys/ioctl.h>
#include "lib_clink_nl.h"
#include "kselftest_harness.h"

#define FAIL_NTH	"/proc/thread-self/fail-nth"
#define DEBUGFS		"/sys/kernel/debug"
#define MAX_POINTS	400	/* allocation points one request may have */
#define SNAP_MAX	(256 * 1024)

/* ------------------------------------------------------------------ */
/* Fault injection setup                                               */

/* clink.ko's memory: base and size as /proc/modules gives them. */
static int module_range(unsigned long *start, unsigned long *end)
{
	char line[512], name[64];
	unsigned long size, base;
	FILE *f = fopen("/proc/modules", "r");

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %lu %*s %*s %*s %lx", name, &size, &base) == 3 &&
		    !strcmp(name, "clink") && base) {
			fclose(f);
			*start = base;
			*end = base + size;
			return 0;
		}
	}
	fclose(f);
	return -ENOENT;
}

/*
 * Points failslab and fail_page_alloc at clink's allocations only, for
 * any gfp flags (by default both leave sleeping allocations alone).
 * @on false restores the defaults.
 */
static int fault_setup(bool on, char *why, size_t whysz)
{
	static const char *const attrs[] = { "failslab", "fail_page_alloc" };
	unsigned long start = 0, end = ~0UL;
	char path[128], lo[32], hi[32];
	unsigned int i, k;
	int r;

	if (on) {
		r = module_range(&start, &end);
		if (r) {
			snprintf(why, whysz, "clink.ko not in /proc/modules: %s", strerror(-r));
			return r;
		}
	}
	snprintf(lo, sizeof(lo), "%lu", start);
	snprintf(hi, sizeof(hi), "%lu", end);
	for (i = 0; i < 2; i++) {
		const struct {
			const char *file, *on, *off;
			bool page_alloc_only;
		} set[] = {
			{ "ignore-gfp-wait", "N", "Y", false },
			{ "ignore-gfp-highmem", "N", "Y", true },
			{ "min-order", "0", "1", true },
			{ "verbose", "0", "2", false },
			{ "stacktrace-depth", "32", "32", false },
			{ "require-start", lo, lo, false },	/* 0 when off */
			{ "require-end", hi, hi, false },	/* ULONG_MAX when off */
		};

		for (k = 0; k < sizeof(set) / sizeof(set[0]); k++) {
			snprintf(path, sizeof(path), DEBUGFS "/%s/%s", attrs[i], set[k].file);
			if (set[k].page_alloc_only && access(path, F_OK))
				continue;
			r = cl_write_file(path, on ? set[k].on : set[k].off);
			if (r) {
				snprintf(why, whysz, "%s: %s", path, strerror(-r));
				return r;
			}
		}
	}
	return 0;
}

static int fail_fd = -1;

static void fail_nth_set(unsigned int n)
{
	char v[16];
	int len = snprintf(v, sizeof(v), "%u", n);

	if (pwrite(fail_fd, v, len, 0) != len)
		abort();
}

/* 0 once the fault was injected, else how many allocations were left. */
static unsigned int fail_nth_get(void)
{
	char v[16] = "";

	if (pread(fail_fd, v, sizeof(v) - 1, 0) <= 0)
		abort();
	return strtoul(v, NULL, 10);
}

/* ------------------------------------------------------------------ */
/* The configuration, as one canonical byte string                     */

struct snap {
	char *buf;
	size_t len;
	/* messages of the dump being read, sorted before they are appended */
	char *msg[4096];
	size_t msglen[4096];
	int nmsg;
};

static void snap_put(struct snap *s, const void *p, size_t len)
{
	if (s->len + len > SNAP_MAX)
		abort();
	memcpy(s->buf + s->len, p, len);
	s->len += len;
}

/*
 * Keeps a reply's attributes but the device's change generation and the
 * traffic counters: bringing the device up lets the stack send (and clink
 * drop and count) IPv6 autoconfiguration packets.
 */
static int snap_msg(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct snap *s = arg;
	struct nlattr *a;
	char *copy;
	size_t n = 0;
	int rem;

	if (s->nmsg >= 4096)
		abort();
	copy = malloc(h->nlmsg_len);
	if (!copy)
		abort();
	nla_for_each_attr(a, genlmsg_attrdata(nlmsg_data(h), 0),
			  genlmsg_attrlen(nlmsg_data(h), 0), rem) {
		if (nla_type(a) == CLINK_A_DEV_GENERATION || nla_type(a) == CLINK_A_STATS ||
		    nla_type(a) == CLINK_A_DROPS || nla_type(a) == CLINK_A_ACL_HITS)
			continue;
		memcpy(copy + n, a, NLA_ALIGN(a->nla_len));
		n += NLA_ALIGN(a->nla_len);
	}
	s->msg[s->nmsg] = copy;
	s->msglen[s->nmsg++] = n;
	return NL_OK;
}

static int snap_cmp(const void *a, const void *b, void *arg)
{
	struct snap *s = arg;
	int i = *(const int *)a, j = *(const int *)b;
	size_t n = s->msglen[i] < s->msglen[j] ? s->msglen[i] : s->msglen[j];
	int r = memcmp(s->msg[i], s->msg[j], n);

	return r ? r : (s->msglen[i] > s->msglen[j]) - (s->msglen[i] < s->msglen[j]);
}

/* One dump (or do) into the snapshot, in a canonical order. */
static int snap_cmd(struct snap *s, struct clink *c, int cmd, bool dump,
		    const char *vpc)
{
	const struct cl_attr none[] = { AEND };
	const struct cl_attr byvpc[] = { AS(CLINK_A_VPC_ID, vpc), AEND };
	int order[4096], i, r;
	char tag[80];

	s->nmsg = 0;
	if (dump)
		r = cl_dump(c, cmd, snap_msg, s, vpc ? byvpc : none);
	else
		r = cl_get(c, cmd, none, snap_msg, s);
	if (r)
		return r;
	for (i = 0; i < s->nmsg; i++)
		order[i] = i;
	qsort_r(order, s->nmsg, sizeof(order[0]), snap_cmp, s);
	snprintf(tag, sizeof(tag), "[cmd %d %s: %d]", cmd, vpc ?: "", s->nmsg);
	snap_put(s, tag, strlen(tag));
	for (i = 0; i < s->nmsg; i++) {
		snap_put(s, s->msg[order[i]], s->msglen[order[i]]);
		free(s->msg[order[i]]);
	}
	return 0;
}

struct vpc_ids {
	char id[16][CL_ID_SZ];
	int n;
};

static int vpc_id_of(struct nl_msg *msg, void *arg)
{
	struct vpc_ids *ids = arg;
	struct cl_vpc_info v;

	if (ids->n >= 16 || cl_parse_vpc(msg, &v) != NL_OK)
		abort();
	memcpy(ids->id[ids->n++], v.id, CL_ID_SZ);
	return NL_OK;
}

static int id_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Everything a user can read back: 0 or -errno. */
static int snapshot(struct clink *c, struct snap *s)
{
	const struct cl_attr none[] = { AEND };
	struct if_nameindex *ifs, *i;
	struct vpc_ids ids = { .n = 0 };
	struct ifreq ifr = { 0 };
	int k, r, fd;

	s->len = 0;
	r = snap_cmd(s, c, CLINK_CMD_GET_DEV, false, NULL);
	r = r ?: snap_cmd(s, c, CLINK_CMD_GET_VPC, true, NULL);
	r = r ?: snap_cmd(s, c, CLINK_CMD_GET_INSTANCE, true, NULL);
	r = r ?: snap_cmd(s, c, CLINK_CMD_GET_LINK, true, NULL);
	r = r ?: snap_cmd(s, c, CLINK_CMD_GET_ENDPOINT, true, NULL);
	/* Routes and ACL rules of every VPC there is, by ID. */
	r = r ?: cl_dump(c, CLINK_CMD_GET_VPC, vpc_id_of, &ids, none);
	qsort(ids.id, ids.n, sizeof(ids.id[0]), id_cmp);
	for (k = 0; !r && k < ids.n; k++) {
		r = snap_cmd(s, c, CLINK_CMD_GET_ROUTE, true, ids.id[k]);
		r = r ?: snap_cmd(s, c, CLINK_CMD_GET_ACL, true, ids.id[k]);
	}
	if (r)
		return r;

	/* The network devices and clink0's up/down state. */
	ifs = if_nameindex();
	if (!ifs)
		return -errno;
	for (i = ifs; i->if_index; i++)
		snap_put(s, i->if_name, strlen(i->if_name) + 1);
	if_freenameindex(ifs);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", CL_DEVNAME);
	if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr))
		r = -errno;
	if (fd >= 0)
		close(fd);
	snap_put(s, &ifr.ifr_flags, sizeof(ifr.ifr_flags));
	return r;
}

static bool snap_eq(const struct snap *a, const struct snap *b)
{
	return a->len == b->len && !memcmp(a->buf, b->buf, a->len);
}

/* Where two snapshots part: the section ("[cmd N vpc: messages]") and offset. */
static const char *snap_diff(const struct snap *a, const struct snap *b)
{
	static char where[160];
	size_t i, n = a->len < b->len ? a->len : b->len;
	const char *tag = "(start)";
	int taglen = 7;

	for (i = 0; i < n && a->buf[i] == b->buf[i]; i++) {
		if (a->buf[i] == '[' && i + 4 < n && !memcmp(a->buf + i, "[cmd", 4)) {
			const char *e = memchr(a->buf + i, ']', n - i);

			tag = a->buf + i;
			taglen = e ? (int)(e - tag + 1) : 4;
		}
	}
	snprintf(where, sizeof(where), "%zu vs %zu bytes, first difference at %zu, in %.*s",
		 a->len, b->len, i, taglen, tag);
	return where;
}

/* ------------------------------------------------------------------ */
/* Events: counted raw, so that an ENOBUFS is seen as such             */

struct evsock {
	int fd;
	int grp;
};

static int ev_open(struct evsock *ev, struct clink *c)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int big = 4 << 20;

	ev->grp = genl_ctrl_resolve_grp(c->sk, CLINK_GENL_NAME, CLINK_MCGRP_EVENTS);
	if (ev->grp < 0)
		return -ENOENT;
	ev->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (ev->fd < 0 || bind(ev->fd, (struct sockaddr *)&sa, sizeof(sa)))
		return -errno;
	setsockopt(ev->fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big));
	if (setsockopt(ev->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &ev->grp,
		       sizeof(ev->grp)))
		return -errno;
	return 0;
}

/* Events queued so far; *lost set when the socket reported ENOBUFS. */
static int ev_drain(struct evsock *ev, bool *lost)
{
	static char buf[65536];
	int n = 0;

	*lost = false;
	for (;;) {
		ssize_t len = recv(ev->fd, buf, sizeof(buf), MSG_DONTWAIT);
		struct nlmsghdr *h = (struct nlmsghdr *)buf;

		if (len < 0) {
			if (errno == ENOBUFS) {
				*lost = true;
				continue;
			}
			return n;
		}
		for (; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len))
			n++;
	}
}

/* ------------------------------------------------------------------ */
/* The requests                                                        */

static int dev_up(struct clink *c, bool up)
{
	c->ext[0] = 0;
	return cl_link_set_up(CL_DEVNAME, up);
}

static int acl(struct clink *c, bool replace, uint32_t prio, int action)
{
	return CLREQ(c, CLINK_CMD_NEW_ACL, 0, AREPLACE_IF(replace), AS(CLINK_A_VPC_ID, "vpc-a"),
		     AU32(CLINK_A_ACL_PRIO, prio), AU8(CLINK_A_ACL_DIR, CLINK_ACL_TO_VPC),
		     AU8(CLINK_A_ACL_ACTION, action), AU8(CLINK_A_ACL_PROTO, 6),
		     APFX(CLINK_A_ACL_SRC, "10.1.0.0/24"),
		     AU16(CLINK_A_ACL_DPORT_MIN, 22), AU16(CLINK_A_ACL_DPORT_MAX, 22));
}

static int ep(struct clink *c, bool replace, const char *addr, const char *vtep)
{
	return CLREQ(c, CLINK_CMD_NEW_ENDPOINT, 0, AREPLACE_IF(replace), AS(CLINK_A_VPC_ID, "vpc-a"),
		     AADDR(CLINK_A_EP_ADDR, addr), AADDR(CLINK_A_EP_VTEP, vtep),
		     AMAC(CLINK_A_EP_MAC, "02:00:00:00:00:0a"));
}

static int cidr(struct clink *c, int cmd, const char *pfx)
{
	return CLREQ(c, cmd, 0, AS(CLINK_A_VPC_ID, "vpc-a"), APFX(CLINK_A_VPC_CIDR, pfx));
}

static int route(struct clink *c, int cmd)
{
	return cmd == CLINK_CMD_NEW_ROUTE ?
		cl_route_new(c, "vpc-a", "192.168.1.0/24", CLINK_NEXTHOP_PEERING) :
		CLREQ(c, cmd, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
		      APFX(CLINK_A_ROUTE_DST, "192.168.1.0/24"));
}

static int inst_addr(struct clink *c, const char *addr)
{
	return CLREQ(c, CLINK_CMD_SET_INSTANCE, 0, AS(CLINK_A_INST_ID, "i-1"),
		     AADDR(CLINK_A_INST_ADDR, addr));
}

static int dev_set(struct clink *c, uint32_t lpv, const char *mac)
{
	return CLREQ(c, CLINK_CMD_SET_DEV, 0, AU32(CLINK_A_DEV_MAX_LINKS_PER_VPC, lpv),
		     AMAC(CLINK_A_DEV_MAC, mac));
}

static int vpc_b(struct clink *c, bool replace, const char *cidr_b)
{
	return CLREQ(c, CLINK_CMD_NEW_VPC, 0, AREPLACE_IF(replace), AS(CLINK_A_VPC_ID, "vpc-b"),
		     AU32(CLINK_A_VPC_VNI, 101), APFX(CLINK_A_VPC_CIDR, cidr_b));
}

/* vpc-d, with everything a VPC can hold but links. */
static int vpc_d(struct clink *c)
{
	int r = cl_vpc_new(c, "vpc-d", 103, "172.22.0.0/16");

	r = r ?: CLREQ(c, CLINK_CMD_NEW_CIDR, 0, AS(CLINK_A_VPC_ID, "vpc-d"),
		       APFX(CLINK_A_VPC_CIDR, "172.24.0.0/16"));
	r = r ?: CLREQ(c, CLINK_CMD_NEW_ENDPOINT, 0, AS(CLINK_A_VPC_ID, "vpc-d"),
		       AADDR(CLINK_A_EP_ADDR, "172.22.0.10"),
		       AADDR(CLINK_A_EP_VTEP, "192.0.2.30"),
		       AMAC(CLINK_A_EP_MAC, "02:00:00:00:00:d0"));
	r = r ?: cl_route_new(c, "vpc-d", "192.168.9.0/24", CLINK_NEXTHOP_VPN);
	r = r ?: CLREQ(c, CLINK_CMD_NEW_ACL, 0, AS(CLINK_A_VPC_ID, "vpc-d"),
		       AU32(CLINK_A_ACL_PRIO, 1), AU8(CLINK_A_ACL_DIR, CLINK_ACL_TO_CLASSIC),
		       AU8(CLINK_A_ACL_ACTION, CLINK_ACL_DENY));
	return r;
}

static int relink_a(struct clink *c)
{
	int r = cl_link(c, "i-1", "vpc-a");

	return r ?: cl_link(c, "i-3", "vpc-a");
}

/* A new address unlinks the instance: the undo links it again. */
static int relink_i1(struct clink *c)
{
	int r = inst_addr(c, "10.1.0.1");

	return r ?: cl_link(c, "i-1", "vpc-a");
}

static int readd_i3(struct clink *c)
{
	int r = cl_inst_new(c, "i-3", "10.1.0.3");

	return r ?: cl_link(c, "i-3", "vpc-a");
}

static int new_dev(struct clink *c)
{
	c->ext[0] = 0;
	return cl_rtnl_newlink(NULL, "clink1", NULL, NULL, 0);
}

static int del_dev(struct clink *c)
{
	c->ext[0] = 0;
	return cl_link_del("clink1");
}

/*
 * The starting point (base()): vpc-a (ClassicLink, secondary CIDR
 * 172.20.0.0/16, endpoint .10, a route, an ACL) with i-1 and i-3 linked;
 * vpc-b (ClassicLink, empty); vpc-c (ClassicLink off); i-2 unlinked; and
 * for the variants that delete it, vpc-d (everything but links).
 */
FIXTURE(failslab) {
	struct clink c;
	struct evsock ev;
	struct snap before, after, now;
};

FIXTURE_VARIANT(failslab) {
	int (*do_fn)(struct clink *c);
	int (*undo_fn)(struct clink *c);
	bool base_vpc_d;	/* vpc-d exists at the start */
	bool rtnl;		/* an rtnetlink request: the core picks errnos */
	const char *name;
};

#define VARIANT(v, d, u, ...)						\
	static int v##_do(struct clink *c) { return (d); }		\
	static int v##_undo(struct clink *c) { return (u); }		\
	FIXTURE_VARIANT_ADD(failslab, v) {				\
		.do_fn = v##_do, .undo_fn = v##_undo, .name = #v,	\
		__VA_ARGS__						\
	}

VARIANT(new_vpc, cl_vpc_cl(c, "vpc-x", 110, "172.30.0.0/16"),
	cl_vpc_del(c, "vpc-x"));
VARIANT(replace_vpc, vpc_b(c, true, "172.19.0.0/16"),
	vpc_b(c, true, "172.17.0.0/16"));
VARIANT(enable_classiclink, cl_vpc_classiclink(c, "vpc-c", 1),
	cl_vpc_classiclink(c, "vpc-c", 0));
VARIANT(del_vpc, cl_vpc_del(c, "vpc-d"), vpc_d(c), .base_vpc_d = true);
VARIANT(new_cidr, cidr(c, CLINK_CMD_NEW_CIDR, "172.23.0.0/16"),
	cidr(c, CLINK_CMD_DEL_CIDR, "172.23.0.0/16"));
VARIANT(del_cidr, cidr(c, CLINK_CMD_DEL_CIDR, "172.20.0.0/16"),
	cidr(c, CLINK_CMD_NEW_CIDR, "172.20.0.0/16"));
VARIANT(new_endpoint, ep(c, false, "172.16.0.11", "192.0.2.11"),
	CLREQ(c, CLINK_CMD_DEL_ENDPOINT, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
	      AADDR(CLINK_A_EP_ADDR, "172.16.0.11")));
VARIANT(replace_endpoint, ep(c, true, "172.16.0.10", "192.0.2.12"),
	ep(c, true, "172.16.0.10", "192.0.2.10"));
VARIANT(del_endpoint,
	CLREQ(c, CLINK_CMD_DEL_ENDPOINT, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
	      AADDR(CLINK_A_EP_ADDR, "172.16.0.10")),
	ep(c, false, "172.16.0.10", "192.0.2.10"));
VARIANT(new_route, route(c, CLINK_CMD_NEW_ROUTE), route(c, CLINK_CMD_DEL_ROUTE));
VARIANT(new_instance, cl_inst_new(c, "i-4", "10.1.0.4"),
	CLREQ(c, CLINK_CMD_DEL_INSTANCE, 0, AS(CLINK_A_INST_ID, "i-4")));
VARIANT(set_linked_instance_addr, inst_addr(c, "10.1.0.9"), relink_i1(c));
VARIANT(del_linked_instance,
	CLREQ(c, CLINK_CMD_DEL_INSTANCE, 0, AS(CLINK_A_INST_ID, "i-3")),
	readd_i3(c));
VARIANT(new_link, cl_link(c, "i-2", "vpc-b"), cl_unlink(c, "i-2"));
VARIANT(del_link, cl_unlink(c, "i-1"), cl_link(c, "i-1", "vpc-a"));
VARIANT(flush_links,
	CLREQ(c, CLINK_CMD_FLUSH_LINKS, 0, AS(CLINK_A_VPC_ID, "vpc-a")),
	relink_a(c));
VARIANT(new_acl, acl(c, false, 20, CLINK_ACL_DENY),
	CLREQ(c, CLINK_CMD_DEL_ACL, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
	      AU32(CLINK_A_ACL_PRIO, 20)));
VARIANT(replace_acl, acl(c, true, 10, CLINK_ACL_DENY),
	acl(c, true, 10, CLINK_ACL_ALLOW));
VARIANT(set_dev, dev_set(c, 7, "02:00:00:00:00:77"),
	dev_set(c, CLINK_DEFAULT_MAX_LINKS_PER_VPC, "02:00:00:00:00:01"));
VARIANT(rtnl_newlink, new_dev(c), del_dev(c), .rtnl = true);
VARIANT(rtnl_up, dev_up(c, true), dev_up(c, false), .rtnl = true);

static int base(struct clink *c, bool with_d)
{
	int r;

	r = dev_set(c, CLINK_DEFAULT_MAX_LINKS_PER_VPC, "02:00:00:00:00:01");
	r = r ?: CLREQ(c, CLINK_CMD_SET_DEV, 0, AADDR(CLINK_A_DEV_LOCAL, "192.0.2.1"));
	r = r ?: cl_vpc_cl(c, "vpc-a", 100, "172.16.0.0/16");
	r = r ?: cl_vpc_cl(c, "vpc-b", 101, "172.17.0.0/16");
	r = r ?: cl_vpc_new(c, "vpc-c", 102, "172.18.0.0/16");
	r = r ?: cidr(c, CLINK_CMD_NEW_CIDR, "172.20.0.0/16");
	r = r ?: ep(c, false, "172.16.0.10", "192.0.2.10");
	r = r ?: cl_route_new(c, "vpc-a", "192.168.0.0/24", CLINK_NEXTHOP_VPN);
	r = r ?: acl(c, false, 10, CLINK_ACL_ALLOW);
	r = r ?: cl_inst_new(c, "i-1", "10.1.0.1");
	r = r ?: cl_inst_new(c, "i-2", "10.1.0.2");
	r = r ?: cl_inst_new(c, "i-3", "10.1.0.3");
	r = r ?: relink_a(c);
	if (!r && with_d)
		r = vpc_d(c);
	return r;
}

FIXTURE_SETUP(failslab)
{
	char why[256] = "";
	int r;

	self->before.buf = malloc(SNAP_MAX);
	self->after.buf = malloc(SNAP_MAX);
	self->now.buf = malloc(SNAP_MAX);
	ASSERT_TRUE(self->before.buf && self->after.buf && self->now.buf);
	fail_fd = open(FAIL_NTH, O_RDWR);
	if (fail_fd < 0)
		SKIP(return, "no %s: the kernel has no CONFIG_FAULT_INJECTION", FAIL_NTH);
	if (access(DEBUGFS "/failslab", F_OK))
		SKIP(return, "no %s/failslab: no CONFIG_FAILSLAB with debugfs", DEBUGFS);
	ASSERT_EQ(0, cl_setup_netns_dev(&self->c, why, sizeof(why))) TH_LOG("%s", why);
	ASSERT_EQ(0, ev_open(&self->ev, &self->c));
	r = base(&self->c, variant->base_vpc_d);
	ASSERT_EQ(0, r) TH_LOG("building the starting configuration: %s \"%s\"",
			       strerror(-r), self->c.ext);
	ASSERT_EQ(0, fault_setup(true, why, sizeof(why))) TH_LOG("%s", why);
}

FIXTURE_TEARDOWN(failslab)
{
	char why[256];

	if (fail_fd >= 0) {
		fail_nth_set(0);
		fault_setup(false, why, sizeof(why));
		close(fail_fd);
	}
	cl_close(&self->c);
	free(self->before.buf);
	free(self->after.buf);
	free(self->now.buf);
}

TEST_F_TIMEOUT(failslab, every_allocation_fails_cleanly, 600)
{
	struct clink *c = &self->c;
	int n, r, events, ev_ok, nfailed = 0, ntolerated = 0;
	bool lost;

	ASSERT_EQ(0, snapshot(c, &self->before));

	/* Without a fault: what the request does, and its undo restores. */
	ev_drain(&self->ev, &lost);
	ASSERT_EQ(0, r = variant->do_fn(c)) TH_LOG("%s \"%s\"", strerror(-r), c->ext);
	ev_ok = ev_drain(&self->ev, &lost);
	ASSERT_EQ(0, snapshot(c, &self->after));
	ASSERT_FALSE(snap_eq(&self->before, &self->after))
		TH_LOG("the request changes nothing: the test would prove nothing");
	ASSERT_EQ(0, r = variant->undo_fn(c)) TH_LOG("undo: %s \"%s\"", strerror(-r), c->ext);
	ASSERT_EQ(0, snapshot(c, &self->now));
	ASSERT_TRUE(snap_eq(&self->before, &self->now)) TH_LOG("the undo does not restore: %s", snap_diff(&self->before, &self->now));
	ev_drain(&self->ev, &lost);

	for (n = 1; n <= MAX_POINTS; n++) {
		unsigned int left;

		fail_nth_set(n);
		r = variant->do_fn(c);
		left = fail_nth_get();
		fail_nth_set(0);
		events = ev_drain(&self->ev, &lost);
		ASSERT_EQ(0, snapshot(c, &self->now));
		if (left) {
			/* Fewer than n allocations: it ran through. */
			EXPECT_EQ(0, r) TH_LOG("no fault injected, yet %s \"%s\"",
					       strerror(-r), c->ext);
			EXPECT_TRUE(snap_eq(&self->after, &self->now))
				TH_LOG("%s", snap_diff(&self->after, &self->now));
			break;
		}
		if (r) {
			nfailed++;
			if (!variant->rtnl)
				EXPECT_EQ(-ENOMEM, r)
					TH_LOG("allocation %d failed: %s \"%s\", not ENOMEM",
					       n, strerror(-r), c->ext);
			EXPECT_TRUE(snap_eq(&self->before, &self->now))
				TH_LOG("allocation %d failed: the request failed (%s) but changed the configuration: %s",
				       n, strerror(-r), snap_diff(&self->before, &self->now));
			EXPECT_EQ(0, events)
				TH_LOG("allocation %d failed: the request failed but sent %d events",
				       n, events);
			if (snap_eq(&self->before, &self->now))
				continue;
		} else {
			ntolerated++;
			EXPECT_TRUE(snap_eq(&self->after, &self->now))
				TH_LOG("allocation %d failed: the request succeeded but did not do what it does without a fault: %s",
				       n, snap_diff(&self->after, &self->now));
			EXPECT_TRUE(events == ev_ok || lost)
				TH_LOG("allocation %d failed: %d events instead of %d, and no ENOBUFS to tell the listener",
				       n, events, ev_ok);
		}
		/* Back to the start for the next n. */
		ASSERT_EQ(0, r = variant->undo_fn(c))
			TH_LOG("undo after allocation %d: %s \"%s\"", n, strerror(-r), c->ext);
		ev_drain(&self->ev, &lost);
		ASSERT_EQ(0, snapshot(c, &self->now));
		ASSERT_TRUE(snap_eq(&self->before, &self->now))
			TH_LOG("undo after allocation %d does not restore: %s", n,
			       snap_diff(&self->before, &self->now));
	}
	ASSERT_GT(MAX_POINTS, n) TH_LOG("more than %d allocation points?", MAX_POINTS);
	ksft_print_msg("%s: %d allocation points: %d failed the request with ENOMEM, %d were optional\n",
		       variant->name, n - 1, nfailed, ntolerated);
	ASSERT_LT(0, n - 1) TH_LOG("no allocation was seen: is the stack filter wrong?");
}

TEST_HARNESS_MAIN
