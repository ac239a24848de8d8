/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small, independent libnl-genl-3 client of the clink generic netlink
 * family, for the C selftests. It knows the family only from
 * include/uapi/linux/clink.h, so it doubles as a check of that contract.
 *
 * Every request records the errno (0 or -E...), the extended ack message
 * and the offset of the attribute the kernel blamed, which the tests then
 * compare with what the uapi header promises. The code is in lib_clink_nl.c,
 * which selftests/Makefile links into every selftest program; the comments
 * on each function are there.
 */
#ifndef _LIB_CLINK_NL_H
#define _LIB_CLINK_NL_H

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/if_link.h>

#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include <linux/clink.h>

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif

#define CL_DEVNAME	"clink0"
#define CL_ID_SZ	CLINK_ID_MAXLEN

/* ------------------------------------------------------------------ */
/* Request attributes, described as a table so tests stay readable.    */
enum cl_attr_kind {
	CA_END,
	CA_STR,		/* s */
	CA_U8,		/* v */
	CA_U16,		/* v */
	CA_U32,		/* v */
	CA_U64,		/* v */
	CA_ADDR,	/* s: dotted quad, 4 bytes network order */
	CA_PFX,		/* s: "a.b.c.d/len", put as given (host bits, len) */
	CA_PFXL,	/* s: "p1,p2,..." prefix list, "" = empty nest */
	CA_MAC,		/* s: "aa:bb:cc:dd:ee:ff" */
	CA_RAW,		/* p, len */
	CA_PFX_EXTRA,	/* s: prefix plus one u8 attribute of type v inside */
	CA_PFX_NOLEN,	/* s: prefix nest without CLINK_PREFIX_A_LEN */
	CA_FLAG,	/* v: put (no payload) when non-zero */
};

struct cl_attr {
	int kind;
	int type;
	const char *s;
	uint64_t v;
	const void *p;
	int len;
};

#define AS(t, str)	{ .kind = CA_STR, .type = (t), .s = (str) }
#define AU8(t, x)	{ .kind = CA_U8, .type = (t), .v = (x) }
#define AU16(t, x)	{ .kind = CA_U16, .type = (t), .v = (x) }
#define AU32(t, x)	{ .kind = CA_U32, .type = (t), .v = (x) }
#define AU64(t, x)	{ .kind = CA_U64, .type = (t), .v = (x) }
#define AADDR(t, str)	{ .kind = CA_ADDR, .type = (t), .s = (str) }
#define APFX(t, str)	{ .kind = CA_PFX, .type = (t), .s = (str) }
#define APFXL(t, str)	{ .kind = CA_PFXL, .type = (t), .s = (str) }
#define AMAC(t, str)	{ .kind = CA_MAC, .type = (t), .s = (str) }
#define ARAW(t, ptr, l)	{ .kind = CA_RAW, .type = (t), .p = (ptr), .len = (l) }
#define APFX_EXTRA(t, str, xt) { .kind = CA_PFX_EXTRA, .type = (t), .s = (str), .v = (xt) }
#define APFX_NOLEN(t, str) { .kind = CA_PFX_NOLEN, .type = (t), .s = (str) }
#define AFLAG(t)	{ .kind = CA_FLAG, .type = (t), .v = 1 }
/* NEW_*: replace the object if it exists; AREPLACE_IF(0) puts nothing */
#define AREPLACE_IF(on)	{ .kind = CA_FLAG, .type = CLINK_A_REPLACE, .v = !!(on) }
#define AREPLACE	AREPLACE_IF(1)
#define AEND		{ .kind = CA_END }

/* CLREQ(c, CLINK_CMD_X, NLM_F_..., AS(...), AU32(...)) */
#define CLREQ(c, cmd, flags, ...) \
	cl_req((c), (cmd), (flags), (const struct cl_attr[]){ __VA_ARGS__, AEND })
#define CLDUMP(c, cmd, fn, arg, ...) \
	cl_dump((c), (cmd), (fn), (arg), (const struct cl_attr[]){ __VA_ARGS__, AEND })

/* ------------------------------------------------------------------ */

enum cl_sel { CL_SEL_IFINDEX, CL_SEL_IFNAME, CL_SEL_NONE };

struct clink {
	struct nl_sock *sk;
	int family;
	int ifindex;
	char ifname[IFNAMSIZ];
	enum cl_sel sel;

	/* outcome of the last request */
	int err;			/* 0 or -errno */
	char ext[512];			/* extack message, "" if none */
	int has_off;
	uint32_t off;			/* NLMSGERR_ATTR_OFFS */
	int bad_type;			/* type of the attribute at off, or -1 */
	int miss_type;			/* NLMSGERR_ATTR_MISS_TYPE, or -1 */
	int intr;			/* a reply carried NLM_F_DUMP_INTR */
	int nmsgs;			/* replies seen (dumps) */
	int ndone;			/* NLMSG_DONE seen */

	unsigned char last_req[8192];	/* copy of the last request */
	int last_len;
};

/* Receive state of one request or batch. */
struct cl_rx {
	struct clink *c;
	int (*fn)(struct nl_msg *msg, void *arg);
	void *arg;
	int done;
	int acks_wanted;		/* batch mode when > 0 */
	int acks;
	int nfail;
	int first_err;
	char first_ext[512];
	int (*on_dump_msg)(struct cl_rx *rx);	/* after each reply, dumps */
	void *dump_arg;
};

bool cl_parse_pfx(const char *s, uint32_t *addr, unsigned int *len);
uint32_t cl_ip(const char *s);
int cl_put_attrs(struct nl_msg *m, const struct cl_attr *a);

/* ------------------------------------------------------------------ */
/* Extended acks                                                       */
double cl_now(void);
/* Writes @s to the file @path (sysfs, procfs, cgroupfs): 0, or -errno (-EIO: short). */
int cl_write_file(const char *path, const char *s);
struct nl_msg *cl_msg(struct clink *c, int cmd, int flags);
int cl_exec(struct clink *c, struct nl_msg *m,
	    int (*fn)(struct nl_msg *, void *), void *arg,
	    int (*on_dump_msg)(struct cl_rx *), void *dump_arg);
int cl_req(struct clink *c, int cmd, int flags,
	   const struct cl_attr *attrs);
int cl_get(struct clink *c, int cmd, const struct cl_attr *attrs,
	   int (*fn)(struct nl_msg *, void *), void *arg);
int cl_dump(struct clink *c, int cmd,
	    int (*fn)(struct nl_msg *, void *), void *arg,
	    const struct cl_attr *attrs);
bool cl_ext_match(const char *ext, const char *spec);

/* ------------------------------------------------------------------ */
/* Batches: many requests per sendmsg(), one ack each.                 */
struct cl_batch {
	struct clink *c;
	unsigned char buf[65536];
	size_t len;
	int n;
	long total;
	long nfail;
	int first_err;
	char first_ext[512];
};

void cl_batch_init(struct cl_batch *b, struct clink *c);
int cl_batch_flush(struct cl_batch *b);
void cl_batch_add(struct cl_batch *b, int cmd, int flags,
		  const struct cl_attr *attrs);

#define CLBATCH(b, cmd, flags, ...) \
	cl_batch_add((b), (cmd), (flags), (const struct cl_attr[]){ __VA_ARGS__, AEND })

/* ------------------------------------------------------------------ */
/* Sockets                                                             */
int cl_open(struct clink *c);
void cl_close(struct clink *c);
int cl_clone(struct clink *dst, const struct clink *src);

/* ------------------------------------------------------------------ */
/* rtnetlink: create, delete and bring up clink devices.               */
int cl_rtnl_newlink(struct clink *c, const char *name,
		    const struct cl_attr *info, char *ext, size_t extsz);
int cl_link_del(const char *name);
int cl_link_set_up(const char *name, bool up);
int cl_setup_netns_dev(struct clink *c, char *why, size_t whysz);

/* ------------------------------------------------------------------ */
/* Replies                                                             */
struct cl_pfx {
	uint32_t addr;		/* network order */
	uint8_t len;
};

void cl_get_pfx(struct nlattr *nest, struct cl_pfx *p);
int cl_get_pfx_list(struct nlattr *nest, struct cl_pfx *out, int max);
bool cl_pfx_eq(const struct cl_pfx *p, const char *s);
void cl_str(struct nlattr *a, char *dst, size_t sz);
uint32_t cl_u32(struct nlattr *a, uint32_t dflt);
uint8_t cl_u8(struct nlattr *a, uint8_t dflt);
uint32_t cl_addr(struct nlattr *a);
int cl_parse(struct nl_msg *msg, struct nlattr **tb);

#define CL_NONE ((uint32_t)0xfffffffe)

struct cl_dev_info {
	int got;
	uint32_t ifindex;
	char ifname[IFNAMSIZ];
	char version[64];
	int has_version;
	uint32_t local;
	int has_local;
	uint32_t port;
	char region[CL_ID_SZ];
	int has_region;
	uint8_t mac[6];
	int mac_len;
	uint32_t max_lpv, max_vpcs, max_insts, max_links, max_eps;
	struct cl_pfx classic[CLINK_MAX_PREFIXES];
	int n_classic;
	struct cl_pfx elig[CLINK_MAX_PREFIXES];
	int n_elig;
	uint32_t n_vpcs, n_insts, n_links, n_eps, generation;
	int profile;		/* -1: not reported */
	int has_stats, has_drops;
};

int cl_parse_dev(struct nl_msg *msg, void *arg);
int cl_get_dev(struct clink *c, struct cl_dev_info *d);

struct cl_vpc_info {
	int got;
	char id[CL_ID_SZ];
	uint32_t vni;
	struct cl_pfx cidr;
	struct cl_pfx sec[CLINK_MAX_PREFIXES];
	int n_sec;
	char region[CL_ID_SZ], account[CL_ID_SZ];
	int has_region, has_account;
	int classiclink;
	int64_t max_links;	/* -1: not reported */
	struct cl_pfx reach;	/* len 255: not reported */
	int dscp;		/* -1: not reported */
	uint32_t n_links, n_eps, n_routes, n_acls;
	int has_stats;
};

int cl_parse_vpc(struct nl_msg *msg, void *arg);
int cl_get_vpc(struct clink *c, const char *id, struct cl_vpc_info *v);

struct cl_inst_info {
	int got;
	char id[CL_ID_SZ];
	uint32_t addr;
	char region[CL_ID_SZ], account[CL_ID_SZ];
	char vpc[CL_ID_SZ];
	int linked;
};

int cl_parse_inst(struct nl_msg *msg, void *arg);
int cl_get_inst(struct clink *c, const char *id, struct cl_inst_info *i);

/* Growable arrays for dumps. */
struct cl_vec {
	void *v;
	size_t n, cap, elsz;
};

void *cl_vec_push(struct cl_vec *vec);
void cl_vec_free(struct cl_vec *vec);

#define CL_VEC(type) { .elsz = sizeof(type) }
#define CL_AT(vec, type, i) (&((type *)(vec)->v)[i])

struct cl_route {
	char vpc[CL_ID_SZ];
	struct cl_pfx dst;
	int type;
	int nexthop;
	char inst[CL_ID_SZ];
	int has_inst;
};

int cl_parse_route(struct nl_msg *msg, void *arg);
int cl_routes(struct clink *c, const char *vpc, struct cl_vec *out);
struct cl_route *cl_route_find(struct cl_vec *routes, const char *dst);

struct cl_link {
	char inst[CL_ID_SZ];
	uint32_t addr;
	char vpc[CL_ID_SZ];
	int dscp;		/* -1: not reported */
	int has_stats;
};

int cl_parse_link(struct nl_msg *msg, void *arg);
int cl_links(struct clink *c, const struct cl_attr *filter,
	     struct cl_vec *out);

struct cl_ep {
	char vpc[CL_ID_SZ];
	uint32_t addr, vtep;
	uint8_t mac[6];
	int mac_len;
};

int cl_parse_ep(struct nl_msg *msg, void *arg);
int cl_endpoints(struct clink *c, const struct cl_attr *filter,
		 struct cl_vec *out);

struct cl_acl {
	char vpc[CL_ID_SZ];
	uint32_t prio;
	int dir, action, proto;
	struct cl_pfx src, dst;
	int sport_min, sport_max, dport_min, dport_max;
	uint64_t hits;
	int has_hits;
};

int cl_parse_acl(struct nl_msg *msg, void *arg);
int cl_acls(struct clink *c, const char *vpc, struct cl_vec *out);

/* ------------------------------------------------------------------ */
/* Short forms of the common requests.                                 */
int cl_vpc_new(struct clink *c, const char *id, uint32_t vni,
	       const char *cidr);
int cl_vpc_classiclink(struct clink *c, const char *id, int on);
int cl_vpc_del(struct clink *c, const char *id);
int cl_inst_new(struct clink *c, const char *id, const char *addr);
int cl_link(struct clink *c, const char *inst, const char *vpc);
int cl_unlink(struct clink *c, const char *inst);
int cl_route_new(struct clink *c, const char *vpc, const char *dst,
		 int nexthop);
int cl_ep_new(struct clink *c, const char *vpc, const char *addr,
	      const char *vtep, const char *mac);
int cl_vpc_cl(struct clink *c, const char *id, uint32_t vni,
	      const char *cidr);
/*
 * Instances i-FROM.. i-FROM+N-1 at NET.K/256.K%256 (NET "a.b", K their
 * number), and their links to @vpc, in batches; 0 or the first error (@b
 * says more).
 */
int cl_make_instances(struct clink *c, const char *net, int from, int n,
		      struct cl_batch *b);
int cl_link_instances(struct clink *c, int from, int n, const char *vpc,
		      struct cl_batch *b);

/* ------------------------------------------------------------------ */
/* Events                                                              */
struct cl_event {
	int cmd;
	int reason;		/* -1: absent */
	uint32_t ifindex;
	char ifname[IFNAMSIZ];
	char vpc[CL_ID_SZ];
	char inst[CL_ID_SZ];
	uint32_t inst_addr;
	int route_type;		/* -1: absent */
	struct cl_pfx route_dst;
	int has_route_dst;
};

struct cl_events {
	struct nl_sock *sk;
	int grp;
	struct cl_vec ev;
};

int cl_events_open(struct cl_events *ev);
size_t cl_events_drain(struct cl_events *ev, int wait_ms);
void cl_events_clear(struct cl_events *ev);
void cl_events_close(struct cl_events *ev);
int cl_events_count(struct cl_events *ev, int cmd, int reason,
		    const char *inst, const char *vpc);
struct cl_event *cl_events_find(struct cl_events *ev, int cmd,
				const char *inst, const char *vpc);
void cl_events_print(struct cl_events *ev);

/* ------------------------------------------------------------------ */
/* Assertions shared by the tests; need _metadata (kselftest_harness). */
/*
 * EXPECT_CL_FAIL(c, call, -EINVAL, "classic,overlap|conflict")
 * The call must fail with that errno and an extack matching the spec
 * (NULL spec: any non-empty message).
 */
#define EXPECT_CL_FAIL(c, call, experr, spec) do {				\
	int __r = (call);							\
	const char *__spec = (spec);						\
	EXPECT_EQ(experr, __r)							\
		TH_LOG("%s: got %d (%s), extack \"%s\"", #call, __r,		\
		       strerror(-__r), (c)->ext);				\
	if (__r == (experr)) {							\
		EXPECT_TRUE(__spec ? cl_ext_match((c)->ext, __spec) : !!(c)->ext[0]) \
			TH_LOG("%s: extack \"%s\" does not match \"%s\"",	\
			       #call, (c)->ext, __spec ? __spec : "<any>");	\
	}									\
} while (0)

/* Like EXPECT_CL_FAIL, but either of two errnos is acceptable. */
#define EXPECT_CL_FAIL2(c, call, e1, e2, spec) do {				\
	int __r = (call);							\
	const char *__spec = (spec);						\
	EXPECT_TRUE(__r == (e1) || __r == (e2))					\
		TH_LOG("%s: got %d (%s), want %d or %d, extack \"%s\"", #call,	\
		       __r, strerror(-__r), e1, e2, (c)->ext);			\
	if (__r == (e1) || __r == (e2)) {					\
		EXPECT_TRUE(__spec ? cl_ext_match((c)->ext, __spec) : !!(c)->ext[0]) \
			TH_LOG("%s: extack \"%s\" does not match \"%s\"",	\
			       #call, (c)->ext, __spec ? __spec : "<any>");	\
	}									\
} while (0)

#define EXPECT_CL_OK(c, call) do {						\
	int __r = (call);							\
	EXPECT_EQ(0, __r)							\
		TH_LOG("%s: %d (%s), extack \"%s\"", #call, __r,		\
		       strerror(-__r), (c)->ext);				\
} while (0)

#define ASSERT_CL_OK(c, call) do {						\
	int __r = (call);							\
	ASSERT_EQ(0, __r)							\
		TH_LOG("%s: %d (%s), extack \"%s\"", #call, __r,		\
		       strerror(-__r), (c)->ext);				\
} while (0)

#define ASSERT_BATCH_OK(b) do {							\
	cl_batch_flush(b);							\
	ASSERT_EQ(0, (b)->nfail)						\
		TH_LOG("%ld of %ld batched requests failed, first: %d (%s) \"%s\"", \
		       (b)->nfail, (b)->total, (b)->first_err,			\
		       strerror(-(b)->first_err), (b)->first_ext);		\
} while (0)

/* One fixture per area, all with a fresh netns holding clink0. */
#define CLINK_FIXTURE(name)							\
	FIXTURE(name) {								\
		struct clink c;							\
	};									\
	FIXTURE_SETUP(name)							\
	{									\
		char why[512] = "";						\
		int __r = cl_setup_netns_dev(&self->c, why, sizeof(why));	\
		ASSERT_EQ(0, __r) TH_LOG("setup: %s", why);			\
	}									\
	FIXTURE_TEARDOWN(name)							\
	{									\
		cl_close(&self->c);						\
	}

#endif /* _LIB_CLINK_NL_H */
