// SPDX-License-Identifier: GPL-2.0
/*
 * Dumps of the clink generic netlink family, against
 * include/uapi/linux/clink.h: they resume across many messages and come out
 * exact (every object once, with its attributes), filters select exactly
 * what they name, and a dump that races a change is flagged with
 * NLM_F_DUMP_INTR.
 *
 * The big dump holds 2 VPCs x DUMP_PER_VPC instances, all linked
 * (max-links-per-vpc 65536): 100,000 instances and 100,000 links.
 */
#define _GNU_SOURCE
#include "lib_clink_nl.h"
#include "kselftest_harness.h"

#define DUMP_PER_VPC	50000
#define DUMP_N		(2 * DUMP_PER_VPC)

static void inst_name(int k, char *id, char *addr)
{
	sprintf(id, "i-%06d", k);
	/* 10.100.0.0 upwards: 100,000 addresses fit in 10.100.0.0/15 */
	sprintf(addr, "10.%d.%d.%d", 100 + (k >> 16), (k >> 8) & 255, k & 255);
}

static uint32_t inst_addr(int k)
{
	char id[32], addr[32];

	inst_name(k, id, addr);
	return cl_ip(addr);
}

/* What one dump saw. */
struct seen {
	uint8_t *count;		/* per instance number */
	int n;			/* messages */
	int bad;		/* messages that do not match the model */
	char first_bad[160];
	int linked;		/* instances dump: messages with a VPC id */
};

static void seen_bad(struct seen *s, const char *fmt, const char *id)
{
	if (!s->bad++)
		snprintf(s->first_bad, sizeof(s->first_bad), fmt, id);
}

static int inst_number(const char *id)
{
	char *end;
	long k;

	if (strncmp(id, "i-", 2))
		return -1;
	k = strtol(id + 2, &end, 10);
	return *end || k < 0 || k >= DUMP_N ? -1 : (int)k;
}

/* GET_LINK and GET_INSTANCE replies alike: id, address, VPC. */
static int seen_msg(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[CLINK_A_MAX + 1];
	struct seen *s = arg;
	char id[CL_ID_SZ], vpc[CL_ID_SZ], want[16];
	int k;

	s->n++;
	if (cl_parse(msg, tb)) {
		seen_bad(s, "unparsable message%s", "");
		return NL_OK;
	}
	cl_str(tb[CLINK_A_INST_ID], id, sizeof(id));
	cl_str(tb[CLINK_A_VPC_ID], vpc, sizeof(vpc));
	k = inst_number(id);
	if (k < 0) {
		seen_bad(s, "unknown instance \"%s\"", id);
		return NL_OK;
	}
	s->count[k]++;
	if (cl_addr(tb[CLINK_A_INST_ADDR]) != inst_addr(k))
		seen_bad(s, "%s: wrong address", id);
	if (tb[CLINK_A_VPC_ID]) {
		s->linked++;
		sprintf(want, "vpc-%d", k & 1);
		if (strcmp(vpc, want))
			seen_bad(s, "%s: wrong VPC", id);
	}
	return NL_OK;
}

static void seen_reset(struct seen *s)
{
	memset(s->count, 0, DUMP_N);
	s->n = s->bad = s->linked = 0;
	s->first_bad[0] = '\0';
}

/* Instances k with (k & mask) == want seen exactly once, the others never. */
static int seen_check(struct seen *s, int mask, int want, char *why, size_t whysz)
{
	int k;

	if (s->bad) {
		snprintf(why, whysz, "%d bad messages, first: %s", s->bad, s->first_bad);
		return -1;
	}
	for (k = 0; k < DUMP_N; k++) {
		int exp = (k & mask) == want;

		if (s->count[k] != exp) {
			snprintf(why, whysz, "instance i-%06d seen %d times, want %d",
				 k, s->count[k], exp);
			return -1;
		}
	}
	return 0;
}

CLINK_FIXTURE(dump);

TEST_F_TIMEOUT(dump, hundred_thousand_links_dump_exactly, 580)
{
	struct clink *c = &self->c;
	struct seen s = { .count = calloc(1, DUMP_N) };
	struct cl_vpc_info v;
	struct cl_dev_info d;
	struct cl_batch *b = malloc(sizeof(*b));
	char id[32], addr[32], why[256];
	double t0, t;
	int k;

	ASSERT_NE(NULL, s.count);
	ASSERT_NE(NULL, b);
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_SET_DEV, 0,
			      AU32(CLINK_A_DEV_MAX_LINKS_PER_VPC, CLINK_MAX_LINKS_PER_VPC)));
	ASSERT_CL_OK(c, cl_vpc_cl(c, "vpc-0", 100, "172.16.0.0/16"));
	ASSERT_CL_OK(c, cl_vpc_cl(c, "vpc-1", 101, "172.17.0.0/16"));

	t0 = cl_now();
	cl_batch_init(b, c);
	for (k = 0; k < DUMP_N; k++) {
		inst_name(k, id, addr);
		CLBATCH(b, CLINK_CMD_NEW_INSTANCE, 0, AS(CLINK_A_INST_ID, id),
			AADDR(CLINK_A_INST_ADDR, addr));
	}
	ASSERT_BATCH_OK(b);
	t = cl_now();
	ksft_print_msg("%d instances created in %.1f s\n", DUMP_N, t - t0);
	cl_batch_init(b, c);
	for (k = 0; k < DUMP_N; k++) {
		inst_name(k, id, addr);
		CLBATCH(b, CLINK_CMD_NEW_LINK, 0, AS(CLINK_A_INST_ID, id),
			AS(CLINK_A_VPC_ID, k & 1 ? "vpc-1" : "vpc-0"));
	}
	ASSERT_BATCH_OK(b);
	ksft_print_msg("%d links created in %.1f s\n", DUMP_N, cl_now() - t);

	ASSERT_CL_OK(c, cl_get_dev(c, &d));
	EXPECT_EQ(DUMP_N, d.n_insts);
	EXPECT_EQ(DUMP_N, d.n_links);
	ASSERT_CL_OK(c, cl_get_vpc(c, "vpc-1", &v));
	EXPECT_EQ(DUMP_PER_VPC, v.n_links);

	/* every link, once */
	t = cl_now();
	ASSERT_CL_OK(c, cl_dump(c, CLINK_CMD_GET_LINK, seen_msg, &s, NULL));
	ksft_print_msg("dump of %d links: %d messages in %.2f s\n", DUMP_N, s.n,
		       cl_now() - t);
	EXPECT_EQ(0, c->intr);
	EXPECT_EQ(1, c->ndone);
	EXPECT_EQ(DUMP_N, s.n);
	EXPECT_EQ(DUMP_N, s.linked);
	EXPECT_EQ(0, seen_check(&s, 0, 0, why, sizeof(why))) TH_LOG("links: %s", why);

	/* every instance, once, with its VPC */
	seen_reset(&s);
	t = cl_now();
	ASSERT_CL_OK(c, cl_dump(c, CLINK_CMD_GET_INSTANCE, seen_msg, &s, NULL));
	ksft_print_msg("dump of %d instances: %d messages in %.2f s\n", DUMP_N, s.n,
		       cl_now() - t);
	EXPECT_EQ(0, c->intr);
	EXPECT_EQ(DUMP_N, s.n);
	EXPECT_EQ(DUMP_N, s.linked);
	EXPECT_EQ(0, seen_check(&s, 0, 0, why, sizeof(why))) TH_LOG("instances: %s", why);

	/* the links of one VPC */
	seen_reset(&s);
	t = cl_now();
	ASSERT_CL_OK(c, CLDUMP(c, CLINK_CMD_GET_LINK, seen_msg, &s,
			       AS(CLINK_A_VPC_ID, "vpc-1")));
	ksft_print_msg("dump of the %d links of vpc-1: %.2f s\n", s.n, cl_now() - t);
	EXPECT_EQ(DUMP_PER_VPC, s.n);
	EXPECT_EQ(0, seen_check(&s, 1, 1, why, sizeof(why))) TH_LOG("vpc-1 links: %s", why);

	/* the link of one instance IP, in the middle of the table */
	seen_reset(&s);
	inst_name(77777, id, addr);
	ASSERT_CL_OK(c, CLDUMP(c, CLINK_CMD_GET_LINK, seen_msg, &s,
			       AADDR(CLINK_A_INST_ADDR, addr)));
	EXPECT_EQ(1, s.n);
	EXPECT_EQ(1, s.count[77777]);
	EXPECT_EQ(0, s.bad) TH_LOG("%s", s.first_bad);

	/* the routes of one VPC: its CIDR and one /32 per link */
	{
		struct cl_vec routes = CL_VEC(struct cl_route);
		size_t i, ncl = 0;

		t = cl_now();
		ASSERT_CL_OK(c, cl_routes(c, "vpc-0", &routes));
		ksft_print_msg("dump of %zu routes: %.2f s\n", routes.n, cl_now() - t);
		EXPECT_EQ(DUMP_PER_VPC + 1, routes.n);
		for (i = 0; i < routes.n; i++) {
			struct cl_route *rt = CL_AT(&routes, struct cl_route, i);

			ncl += rt->type == CLINK_ROUTE_CLASSICLINK && rt->dst.len == 32 &&
			       inst_number(rt->inst) >= 0 &&
			       rt->dst.addr == inst_addr(inst_number(rt->inst)) &&
			       !(inst_number(rt->inst) & 1);
		}
		EXPECT_EQ(DUMP_PER_VPC, ncl);
		cl_vec_free(&routes);
	}
	ksft_print_msg("total %.1f s\n", cl_now() - t0);
	free(s.count);
	free(b);
}

/* ------------------------------------------------------------------ */
/* Filters                                                              */

static int count_links(struct clink *c, const char *vpc, const char *addr,
		       struct cl_vec *out)
{
	struct cl_attr f[3] = { AEND, AEND, AEND };
	int n = 0;

	if (vpc)
		f[n++] = (struct cl_attr)AS(CLINK_A_VPC_ID, vpc);
	if (addr)
		f[n++] = (struct cl_attr)AADDR(CLINK_A_INST_ADDR, addr);
	return cl_links(c, f, out) ?: (int)out->n;
}

TEST_F_TIMEOUT(dump, filters_select_exactly_what_they_name, 300)
{
	struct clink *c = &self->c;
	struct cl_vec v = CL_VEC(struct cl_link);
	char id[32], addr[32];
	size_t i;
	int k;

	ASSERT_CL_OK(c, cl_vpc_cl(c, "vpc-0", 100, "172.16.0.0/16"));
	ASSERT_CL_OK(c, cl_vpc_cl(c, "vpc-1", 101, "172.17.0.0/16"));
	ASSERT_CL_OK(c, cl_vpc_cl(c, "vpc-2", 102, "172.18.0.0/16"));
	for (k = 0; k < 12; k++) {
		inst_name(k, id, addr);
		ASSERT_CL_OK(c, cl_inst_new(c, id, addr));
		/* i-0..3 in vpc-0 (even: 0, 2), vpc-1 (odd: 1, 3); the rest unlinked */
		if (k < 4)
			ASSERT_CL_OK(c, cl_link(c, id, k & 1 ? "vpc-1" : "vpc-0"));
	}

	EXPECT_EQ(4, count_links(c, NULL, NULL, &v));
	EXPECT_EQ(2, count_links(c, "vpc-1", NULL, &v));
	for (i = 0; i < v.n; i++) {
		struct cl_link *l = CL_AT(&v, struct cl_link, i);

		EXPECT_STREQ("vpc-1", l->vpc);
		EXPECT_TRUE(!strcmp(l->inst, "i-000001") || !strcmp(l->inst, "i-000003"))
			TH_LOG("vpc-1 dump holds %s", l->inst);
		EXPECT_TRUE(l->has_stats);
	}
	EXPECT_EQ(0, count_links(c, "vpc-2", NULL, &v));
	inst_name(2, id, addr);
	ASSERT_EQ(1, count_links(c, NULL, addr, &v));
	EXPECT_STREQ("i-000002", CL_AT(&v, struct cl_link, 0)->inst);
	EXPECT_STREQ("vpc-0", CL_AT(&v, struct cl_link, 0)->vpc);
	EXPECT_EQ(cl_ip(addr), CL_AT(&v, struct cl_link, 0)->addr);
	EXPECT_EQ(1, count_links(c, "vpc-0", addr, &v));
	EXPECT_EQ(0, count_links(c, "vpc-1", addr, &v));
	/* an instance that exists but is not linked, and an unused IP */
	inst_name(7, id, addr);
	EXPECT_EQ(0, count_links(c, NULL, addr, &v));
	EXPECT_EQ(0, count_links(c, NULL, "10.250.0.1", &v));

	/* endpoints by VPC */
	ASSERT_CL_OK(c, cl_ep_new(c, "vpc-0", "172.16.0.10", "192.0.2.1", "02:00:00:00:00:01"));
	ASSERT_CL_OK(c, cl_ep_new(c, "vpc-0", "172.16.0.11", "192.0.2.1", "02:00:00:00:00:02"));
	ASSERT_CL_OK(c, cl_ep_new(c, "vpc-0", "172.16.0.12", "192.0.2.2", "02:00:00:00:00:03"));
	ASSERT_CL_OK(c, cl_ep_new(c, "vpc-1", "172.17.0.10", "192.0.2.3", "02:00:00:00:00:04"));
	ASSERT_CL_OK(c, cl_ep_new(c, "vpc-1", "172.17.0.11", "192.0.2.3", "02:00:00:00:00:05"));
	ASSERT_CL_OK(c, cl_endpoints(c, NULL, &v));
	EXPECT_EQ(5, v.n);
	ASSERT_CL_OK(c, cl_endpoints(c, (const struct cl_attr[]){
					AS(CLINK_A_VPC_ID, "vpc-1"), AEND }, &v));
	ASSERT_EQ(2, v.n);
	for (i = 0; i < v.n; i++) {
		struct cl_ep *e = CL_AT(&v, struct cl_ep, i);

		EXPECT_STREQ("vpc-1", e->vpc);
		EXPECT_EQ(cl_ip("192.0.2.3"), e->vtep);
		EXPECT_TRUE(e->addr == cl_ip("172.17.0.10") || e->addr == cl_ip("172.17.0.11"));
	}
	ASSERT_CL_OK(c, cl_endpoints(c, (const struct cl_attr[]){
					AS(CLINK_A_VPC_ID, "vpc-2"), AEND }, &v));
	EXPECT_EQ(0, v.n);
	/* one endpoint, by VPC and address */
	{
		struct cl_vec one = CL_VEC(struct cl_ep);

		one.elsz = sizeof(struct cl_ep);
		ASSERT_CL_OK(c, cl_get(c, CLINK_CMD_GET_ENDPOINT,
				       (const struct cl_attr[]){
					AS(CLINK_A_VPC_ID, "vpc-0"),
					AADDR(CLINK_A_EP_ADDR, "172.16.0.12"), AEND },
				       cl_parse_ep, &one));
		ASSERT_EQ(1, one.n);
		EXPECT_EQ(cl_ip("192.0.2.2"), CL_AT(&one, struct cl_ep, 0)->vtep);
		EXPECT_EQ(3, CL_AT(&one, struct cl_ep, 0)->mac[5]);
		cl_vec_free(&one);
		EXPECT_CL_FAIL(c, cl_get(c, CLINK_CMD_GET_ENDPOINT,
					 (const struct cl_attr[]){
						AS(CLINK_A_VPC_ID, "vpc-1"),
						AADDR(CLINK_A_EP_ADDR, "172.16.0.12"), AEND },
					 cl_parse_ep, &one), -ENOENT, NULL);
		cl_vec_free(&one);
	}

	/* routes by VPC (required) */
	ASSERT_CL_OK(c, cl_route_new(c, "vpc-0", "192.168.0.0/16", CLINK_NEXTHOP_VPN));
	ASSERT_CL_OK(c, cl_route_new(c, "vpc-1", "192.169.0.0/16", CLINK_NEXTHOP_NAT));
	{
		struct cl_vec routes = CL_VEC(struct cl_route);

		ASSERT_CL_OK(c, cl_routes(c, "vpc-1", &routes));
		/* local 172.17/16, custom 192.169/16, classiclink i-1 and i-3 */
		EXPECT_EQ(4, routes.n);
		for (i = 0; i < routes.n; i++)
			EXPECT_STREQ("vpc-1", CL_AT(&routes, struct cl_route, i)->vpc);
		EXPECT_EQ(NULL, cl_route_find(&routes, "192.168.0.0/16"));
		EXPECT_NE(NULL, cl_route_find(&routes, "192.169.0.0/16"));
		inst_name(1, id, addr);
		strcat(addr, "/32");
		EXPECT_NE(NULL, cl_route_find(&routes, addr));
		inst_name(0, id, addr);
		strcat(addr, "/32");
		EXPECT_EQ(NULL, cl_route_find(&routes, addr));
		ASSERT_CL_OK(c, cl_routes(c, "vpc-2", &routes));
		EXPECT_EQ(1, routes.n);
		cl_vec_free(&routes);
		EXPECT_CL_FAIL(c, cl_dump(c, CLINK_CMD_GET_ROUTE, NULL, NULL, NULL),
			       -EINVAL, NULL);
		EXPECT_CL_FAIL(c, CLDUMP(c, CLINK_CMD_GET_ROUTE, NULL, NULL,
					 AS(CLINK_A_VPC_ID, "vpc-9")), -ENOENT, NULL);
	}
	cl_vec_free(&v);
}

/* ------------------------------------------------------------------ */
/* Consistency                                                          */

struct racer {
	struct clink c2;	/* a second socket */
	int after;		/* change after this many messages */
	int err;		/* outcome of the change, 1: not made yet */
	const char *what;	/* NEW_INSTANCE of this id */
	const char *addr;
};

static int race(struct cl_rx *rx)
{
	struct racer *r = rx->dump_arg;

	if (r->err != 1 || rx->c->nmsgs < r->after)
		return 0;
	r->err = cl_inst_new(&r->c2, r->what, r->addr);
	return 0;
}

static int count_msg(struct nl_msg *msg, void *arg)
{
	(void)msg;
	++*(int *)arg;
	return NL_OK;
}

TEST_F_TIMEOUT(dump, racing_a_change_is_flagged_dump_intr, 120)
{
	struct clink *c = &self->c;
	struct racer r = { .after = 1, .err = 1 };
	struct cl_batch *b = malloc(sizeof(*b));
	char id[32], addr[32];
	struct nl_msg *m;
	int k, n;

	ASSERT_NE(NULL, b);
	ASSERT_EQ(0, cl_clone(&r.c2, c));
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_SET_DEV, 0,
			      AU32(CLINK_A_DEV_MAX_LINKS_PER_VPC, 10000)));
	ASSERT_CL_OK(c, cl_vpc_cl(c, "vpc-0", 100, "172.16.0.0/16"));
	ASSERT_CL_OK(c, cl_vpc_cl(c, "vpc-1", 101, "172.17.0.0/16"));
	cl_batch_init(b, c);
	for (k = 0; k < 4000; k++) {
		inst_name(k, id, addr);
		CLBATCH(b, CLINK_CMD_NEW_INSTANCE, 0, AS(CLINK_A_INST_ID, id),
			AADDR(CLINK_A_INST_ADDR, addr));
		CLBATCH(b, CLINK_CMD_NEW_LINK, 0, AS(CLINK_A_INST_ID, id),
			AS(CLINK_A_VPC_ID, k & 1 ? "vpc-1" : "vpc-0"));
	}
	ASSERT_BATCH_OK(b);

	/* instances: a new one appears while the dump is under way */
	n = 0;
	r.what = "i-racer1";
	r.addr = "10.200.0.1";
	m = cl_msg(c, CLINK_CMD_GET_INSTANCE, NLM_F_DUMP);
	EXPECT_CL_OK(c, cl_exec(c, m, count_msg, &n, race, &r));
	EXPECT_EQ(0, r.err) TH_LOG("the racing change failed: \"%s\"", r.c2.ext);
	EXPECT_EQ(1, c->intr) TH_LOG("dump of %d instances raced a change unflagged", n);
	/* a retry is consistent and complete */
	n = 0;
	EXPECT_CL_OK(c, cl_dump(c, CLINK_CMD_GET_INSTANCE, count_msg, &n, NULL));
	EXPECT_EQ(0, c->intr);
	EXPECT_EQ(4001, n);

	/* links, filtered by VPC: meanwhile another instance appears */
	ASSERT_CL_OK(c, cl_inst_new(c, "i-racer2", "10.200.0.2"));
	n = 0;
	r.err = 1;
	r.what = "i-racer3";
	r.addr = "10.200.0.3";
	m = cl_msg(c, CLINK_CMD_GET_LINK, NLM_F_DUMP);
	nla_put_string(m, CLINK_A_VPC_ID, "vpc-0");
	EXPECT_CL_OK(c, cl_exec(c, m, count_msg, &n, race, &r));
	EXPECT_EQ(0, r.err);
	EXPECT_EQ(1, c->intr) TH_LOG("dump of %d links raced a change unflagged", n);
	n = 0;
	EXPECT_CL_OK(c, CLDUMP(c, CLINK_CMD_GET_LINK, count_msg, &n,
			       AS(CLINK_A_VPC_ID, "vpc-0")));
	EXPECT_EQ(0, c->intr);
	EXPECT_EQ(2000, n);

	/* with no change, no flag however long the dump */
	n = 0;
	r.err = 2;	/* never race */
	m = cl_msg(c, CLINK_CMD_GET_LINK, NLM_F_DUMP);
	EXPECT_CL_OK(c, cl_exec(c, m, count_msg, &n, race, &r));
	EXPECT_EQ(0, c->intr);
	EXPECT_EQ(4000, n);
	cl_close(&r.c2);
	free(b);
}

TEST_HARNESS_MAIN
