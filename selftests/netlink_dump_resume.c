// SPDX-License-Identifier: GPL-2.0
/*
 * Dumps resume by key: objects deleted between two parts of a dump make it
 * skip or repeat no other object.  Each test fills one kind of dump over
 * many small parts (a 4 KB receive buffer), deletes through a second
 * socket the first objects the dump has shown once it has shown them, and
 * checks that every object is seen exactly once: the survivors, and the
 * deleted ones (shown before they went).
 *
 *   ACL rules (by priority), custom routes (by prefix), classiclink routes
 *   and links of a VPC, and the xarray-ordered dumps (instances,
 *   endpoints, VPCs) alike.
 */
#define _GNU_SOURCE
#include "lib_clink_nl.h"
#include "kselftest_harness.h"

#define KEYSZ		40
#define MAX_KEYS	4096
#define N_DELETE	5

struct resume {
	struct clink c2;		/* deletes while the dump runs */
	int (*del)(struct clink *c, const char *key);
	void (*key)(struct nlattr **tb, char *key);
	char keys[MAX_KEYS][KEYSZ];	/* as seen, in order */
	int n;
	int deleted;			/* 1: done, <0: the deletion failed */
	int del_err;
	char del_ext[600];
};

static int collect(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[CLINK_A_MAX + 1];
	struct resume *r = arg;

	if (cl_parse(msg, tb) || r->n >= MAX_KEYS)
		return NL_OK;
	r->key(tb, r->keys[r->n++]);
	return NL_OK;
}

/*
 * Once N_DELETE + 1 objects are seen, delete N_DELETE of them (@del
 * returns 1 for one it does not delete, such as a local route).
 */
static int delete_seen(struct cl_rx *rx)
{
	struct resume *r = rx->dump_arg;
	int i, err, done = 0;

	if (r->deleted || r->n < N_DELETE + 1)
		return 0;
	r->deleted = 1;
	for (i = 0; i < r->n && done < N_DELETE; i++) {
		err = r->del(&r->c2, r->keys[i]);
		if (err == 1)
			continue;
		if (err) {
			r->deleted = -1;
			r->del_err = err;
			snprintf(r->del_ext, sizeof(r->del_ext), "%s: %s", r->keys[i],
				 r->c2.ext);
			break;
		}
		done++;
	}
	if (done < N_DELETE && r->deleted == 1)
		r->deleted = -2;
	return 0;
}

/*
 * A socket whose receive buffer is 4 KB from the start: the kernel sizes
 * dump parts by the largest buffer a socket has read with, and small
 * parts make many resumptions.
 */
static int open_small(struct clink *c, const struct clink *root)
{
	int one = 1;

	memset(c, 0, sizeof(*c));
	c->sk = nl_socket_alloc();
	if (!c->sk || genl_connect(c->sk) < 0 ||
	    setsockopt(nl_socket_get_fd(c->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		       &one, sizeof(one)))
		return -EIO;
	nl_socket_enable_msg_peek(c->sk);
	nl_socket_disable_seq_check(c->sk);
	nl_socket_set_msg_buf_size(c->sk, 4096);
	c->family = genl_ctrl_resolve(c->sk, CLINK_GENL_NAME);
	if (c->family < 0)
		return -ENOENT;
	c->sel = CL_SEL_IFINDEX;
	c->ifindex = root->ifindex;
	snprintf(c->ifname, sizeof(c->ifname), "%s", root->ifname);
	return 0;
}

static int count_key(const struct resume *r, const char *key)
{
	int i, n = 0;

	for (i = 0; i < r->n; i++)
		n += !strcmp(r->keys[i], key);
	return n;
}

FIXTURE(resume) {
	struct clink c;
	struct resume *r;
};

FIXTURE_SETUP(resume)
{
	char why[512] = "";

	ASSERT_EQ(0, cl_setup_netns_dev(&self->c, why, sizeof(why))) TH_LOG("%s", why);
	self->r = calloc(1, sizeof(*self->r));
	ASSERT_NE(NULL, self->r);
	ASSERT_EQ(0, cl_clone(&self->r->c2, &self->c));
	ASSERT_CL_OK(&self->c, CLREQ(&self->c, CLINK_CMD_SET_DEV, 0,
				     AU32(CLINK_A_DEV_MAX_LINKS_PER_VPC, 2000)));
}

FIXTURE_TEARDOWN(resume)
{
	cl_close(&self->r->c2);
	free(self->r);
	cl_close(&self->c);
}

/*
 * Dumps @cmd (filtered by VPC @vpc when given) deleting the first objects
 * seen, and checks that each of the @n objects named by @name(i) was seen
 * exactly once.
 */
static void dump_deleting(struct __test_metadata *_metadata, struct clink *root,
			  struct resume *r, int cmd, const char *vpc, int n,
			  void (*name)(int i, char *key))
{
	char key[KEYSZ];
	struct nl_msg *m;
	struct clink c;
	int i, bad = 0;

	ASSERT_EQ(0, open_small(&c, root));
	m = cl_msg(&c, cmd, NLM_F_DUMP);
	if (vpc)
		nla_put_string(m, CLINK_A_VPC_ID, vpc);
	EXPECT_CL_OK(&c, cl_exec(&c, m, collect, r, delete_seen, r));
	cl_close(&c);
	ASSERT_EQ(1, r->deleted) TH_LOG("deleting during the dump: %d %s (%s)",
					r->deleted, strerror(-r->del_err), r->del_ext);
	for (i = 0; i < n; i++) {
		name(i, key);
		if (count_key(r, key) == 1)
			continue;
		if (bad++ < 10)
			TH_LOG("%s seen %d times, expected once", key, count_key(r, key));
	}
	EXPECT_EQ(0, bad) TH_LOG("%d of %d objects not seen exactly once (%d messages)",
				 bad, n, r->n);
	EXPECT_EQ(n, r->n);
}

/* ACL rules: priorities 1..256 */

static void acl_name(int i, char *key)
{
	snprintf(key, KEYSZ, "%d", i + 1);
}

static void acl_key(struct nlattr **tb, char *key)
{
	snprintf(key, KEYSZ, "%u", tb[CLINK_A_ACL_PRIO] ?
		 nla_get_u32(tb[CLINK_A_ACL_PRIO]) : 0);
}

static int acl_del(struct clink *c, const char *key)
{
	return CLREQ(c, CLINK_CMD_DEL_ACL, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
		     AU32(CLINK_A_ACL_PRIO, atoi(key)));
}

TEST_F(resume, acl_rules_by_priority)
{
	struct cl_batch *b = malloc(sizeof(*b));
	int i;

	ASSERT_NE(NULL, b);
	ASSERT_CL_OK(&self->c, cl_vpc_new(&self->c, "vpc-a", 100, "172.16.0.0/16"));
	cl_batch_init(b, &self->c);
	for (i = 0; i < CLINK_MAX_ACLS; i++)
		CLBATCH(b, CLINK_CMD_NEW_ACL, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
			AU32(CLINK_A_ACL_PRIO, i + 1),
			AU8(CLINK_A_ACL_DIR, CLINK_ACL_TO_VPC),
			AU8(CLINK_A_ACL_ACTION, CLINK_ACL_DENY));
	ASSERT_BATCH_OK(b);
	free(b);
	self->r->key = acl_key;
	self->r->del = acl_del;
	dump_deleting(_metadata, &self->c, self->r, CLINK_CMD_GET_ACL, "vpc-a",
		      CLINK_MAX_ACLS, acl_name);
}

/* Routes: the local route and custom routes 192.168.i.0/24 */

#define N_CUSTOM	250

static void route_name(int i, char *key)
{
	if (!i)
		snprintf(key, KEYSZ, "172.16.0.0/16");
	else
		snprintf(key, KEYSZ, "192.168.%d.0/24", i - 1);
}

static void route_key(struct nlattr **tb, char *key)
{
	struct cl_pfx p = { 0 };
	struct in_addr a;

	if (tb[CLINK_A_ROUTE_DST])
		cl_get_pfx(tb[CLINK_A_ROUTE_DST], &p);
	a.s_addr = p.addr;
	snprintf(key, KEYSZ, "%s/%u", inet_ntoa(a), p.len);
}

static int route_del(struct clink *c, const char *key)
{
	return CLREQ(c, CLINK_CMD_DEL_ROUTE, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
		     APFX(CLINK_A_ROUTE_DST, key));
}

TEST_F(resume, custom_routes_by_prefix)
{
	struct cl_batch *b = malloc(sizeof(*b));
	char dst[KEYSZ];
	int i;

	ASSERT_NE(NULL, b);
	ASSERT_CL_OK(&self->c, cl_vpc_new(&self->c, "vpc-a", 100, "172.16.0.0/16"));
	cl_batch_init(b, &self->c);
	for (i = 0; i < N_CUSTOM; i++) {
		snprintf(dst, sizeof(dst), "192.168.%d.0/24", i);
		CLBATCH(b, CLINK_CMD_NEW_ROUTE, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
			APFX(CLINK_A_ROUTE_DST, dst),
			AU8(CLINK_A_ROUTE_NEXTHOP, CLINK_NEXTHOP_VPN));
	}
	ASSERT_BATCH_OK(b);
	free(b);
	/* the /16 sorts after the /24s: the first seen are custom routes */
	self->r->key = route_key;
	self->r->del = route_del;
	dump_deleting(_metadata, &self->c, self->r, CLINK_CMD_GET_ROUTE, "vpc-a",
		      N_CUSTOM + 1, route_name);
}

/* Links: 600 instances linked to vpc-a, and as many to vpc-b */

#define N_LINKS		600

static void inst_name(int i, char *key)
{
	snprintf(key, KEYSZ, "i-%04d", i);
}

static void inst_key(struct nlattr **tb, char *key)
{
	cl_str(tb[CLINK_A_INST_ID], key, KEYSZ);
}

static int unlink_inst(struct clink *c, const char *key)
{
	return cl_unlink(c, key);
}

static void add_linked(struct __test_metadata *_metadata, struct clink *c)
{
	struct cl_batch *b = malloc(sizeof(*b));
	char id[KEYSZ], addr[KEYSZ];
	int i;

	ASSERT_NE(NULL, b);
	ASSERT_CL_OK(c, cl_vpc_cl(c, "vpc-a", 100, "172.16.0.0/16"));
	ASSERT_CL_OK(c, cl_vpc_cl(c, "vpc-b", 200, "172.16.0.0/16"));
	cl_batch_init(b, c);
	for (i = 0; i < 2 * N_LINKS; i++) {
		/* vpc-b's come first in index order: the filter skips them */
		inst_name(i < N_LINKS ? N_LINKS + i : i - N_LINKS, id);
		snprintf(addr, sizeof(addr), "10.2.%d.%d", i >> 8, i & 255);
		CLBATCH(b, CLINK_CMD_NEW_INSTANCE, 0, AS(CLINK_A_INST_ID, id),
			AADDR(CLINK_A_INST_ADDR, addr));
		CLBATCH(b, CLINK_CMD_NEW_LINK, 0, AS(CLINK_A_INST_ID, id),
			AS(CLINK_A_VPC_ID, i < N_LINKS ? "vpc-b" : "vpc-a"));
	}
	ASSERT_BATCH_OK(b);
	free(b);
}

TEST_F(resume, links_of_a_vpc)
{
	add_linked(_metadata, &self->c);
	self->r->key = inst_key;
	self->r->del = unlink_inst;
	dump_deleting(_metadata, &self->c, self->r, CLINK_CMD_GET_LINK, "vpc-a",
		      N_LINKS, inst_name);
}

/* The classiclink routes come after the local route: count that one too. */
static void cl_route_name(int i, char *key)
{
	if (!i) {
		snprintf(key, KEYSZ, "172.16.0.0/16");
		return;
	}
	i += N_LINKS - 1;
	snprintf(key, KEYSZ, "10.2.%d.%d/32", i >> 8, i & 255);
}

/* Unlinks the instance whose /32 the dump showed (not the local route). */
static int unlink_route(struct clink *c, const char *key)
{
	unsigned int a, b;

	char id[KEYSZ];

	if (sscanf(key, "10.2.%u.%u/32", &a, &b) != 2)
		return 1;
	inst_name((int)(a << 8 | b) - N_LINKS, id);
	return cl_unlink(c, id);
}

TEST_F(resume, classiclink_routes_of_a_vpc)
{
	add_linked(_metadata, &self->c);
	self->r->key = route_key;
	self->r->del = unlink_route;
	dump_deleting(_metadata, &self->c, self->r, CLINK_CMD_GET_ROUTE, "vpc-a",
		      N_LINKS + 1, cl_route_name);
}

/* Instances, endpoints and VPCs: xarray order */

static int inst_del(struct clink *c, const char *key)
{
	return CLREQ(c, CLINK_CMD_DEL_INSTANCE, 0, AS(CLINK_A_INST_ID, key));
}

TEST_F(resume, instances)
{
	add_linked(_metadata, &self->c);
	self->r->key = inst_key;
	self->r->del = inst_del;
	dump_deleting(_metadata, &self->c, self->r, CLINK_CMD_GET_INSTANCE, NULL,
		      2 * N_LINKS, inst_name);
}

static void ep_name(int i, char *key)
{
	snprintf(key, KEYSZ, "172.16.%d.%d", 1 + (i >> 7), i & 127);
}

static void ep_key(struct nlattr **tb, char *key)
{
	struct in_addr a = { .s_addr = cl_addr(tb[CLINK_A_EP_ADDR]) };

	snprintf(key, KEYSZ, "%s", inet_ntoa(a));
}

static int ep_del(struct clink *c, const char *key)
{
	return CLREQ(c, CLINK_CMD_DEL_ENDPOINT, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
		     AADDR(CLINK_A_EP_ADDR, key));
}

TEST_F(resume, endpoints)
{
	struct cl_batch *b = malloc(sizeof(*b));
	char addr[KEYSZ];
	int i;

	ASSERT_NE(NULL, b);
	ASSERT_CL_OK(&self->c, cl_vpc_new(&self->c, "vpc-a", 100, "172.16.0.0/16"));
	cl_batch_init(b, &self->c);
	for (i = 0; i < N_LINKS; i++) {
		ep_name(i, addr);
		CLBATCH(b, CLINK_CMD_NEW_ENDPOINT, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
			AADDR(CLINK_A_EP_ADDR, addr),
			AADDR(CLINK_A_EP_VTEP, "192.0.2.1"),
			AMAC(CLINK_A_EP_MAC, "02:00:00:00:00:01"));
	}
	ASSERT_BATCH_OK(b);
	free(b);
	self->r->key = ep_key;
	self->r->del = ep_del;
	dump_deleting(_metadata, &self->c, self->r, CLINK_CMD_GET_ENDPOINT, "vpc-a",
		      N_LINKS, ep_name);
}

TEST_HARNESS_MAIN
