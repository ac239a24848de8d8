// SPDX-License-Identifier: GPL-2.0
/*
 * The clink generic netlink family against its contract,
 * include/uapi/linux/clink.h: ClassicLink eligibility, links and their
 * limits, classiclink routes, link invalidation events, flushing and
 * CLINK_A_REPLACE.  Every test gets a fresh network namespace holding one
 * clink device, clink0 (the harness forks per test).
 *
 * Rejections are checked for their errno class and for key words of the
 * extended ack: the names of the objects and limits the header promises.
 * Other files: netlink_policy.c (strict attribute policy, GET_DEV),
 * netlink_ns.c (namespaces, privileges), netlink_dump.c (dumps),
 * netlink_leak.c (teardown frees everything).
 */
#define _GNU_SOURCE
#include "lib_clink_nl.h"
#include "kselftest_harness.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

static int vpc_n_links(struct clink *c, const char *vpc)
{
	struct cl_vpc_info v;

	if (cl_get_vpc(c, vpc, &v))
		return -1;
	return v.n_links;
}

static int vpc_classiclink(struct clink *c, const char *vpc)
{
	struct cl_vpc_info v;

	if (cl_get_vpc(c, vpc, &v))
		return -1;
	return v.classiclink;
}

/* The classiclink route to @addr/32 in @vpc: 1 present, 0 absent, <0 error. */
static int route_present(struct clink *c, const char *vpc, const char *addr,
			 const char *inst)
{
	struct cl_vec routes = CL_VEC(struct cl_route);
	struct cl_route *rt;
	char dst[32];
	int r;

	snprintf(dst, sizeof(dst), "%s/32", addr);
	r = cl_routes(c, vpc, &routes);
	if (r) {
		cl_vec_free(&routes);
		return r;
	}
	rt = cl_route_find(&routes, dst);
	r = rt && rt->type == CLINK_ROUTE_CLASSICLINK &&
	    (!inst || (rt->has_inst && !strcmp(rt->inst, inst)));
	cl_vec_free(&routes);
	return r;
}

static int n_links(struct clink *c, const struct cl_attr *filter)
{
	struct cl_vec links = CL_VEC(struct cl_link);
	int r = cl_links(c, filter, &links);

	if (!r)
		r = links.n;
	cl_vec_free(&links);
	return r;
}

static int dev_set_u32(struct clink *c, int attr, uint32_t v)
{
	return CLREQ(c, CLINK_CMD_SET_DEV, 0, AU32(attr, v));
}

static int vpc_set_max_links(struct clink *c, const char *vpc, uint32_t n)
{
	return CLREQ(c, CLINK_CMD_SET_VPC, 0, AS(CLINK_A_VPC_ID, vpc),
		     AU32(CLINK_A_VPC_MAX_LINKS, n));
}

/* The VPC's own limit of links as GET_VPC reports it; -1 absent, -2 error. */
static int64_t vpc_max_links(struct clink *c, const char *vpc)
{
	struct cl_vpc_info v;

	if (cl_get_vpc(c, vpc, &v))
		return -2;
	return v.max_links;
}

static int vpc_set_reach(struct clink *c, const char *vpc, const char *reach)
{
	return CLREQ(c, CLINK_CMD_SET_VPC, 0, AS(CLINK_A_VPC_ID, vpc),
		     APFX(CLINK_A_VPC_REACH, reach));
}

static int vpc_cl_reach(struct clink *c, const char *vpc, const char *reach)
{
	return CLREQ(c, CLINK_CMD_SET_VPC, 0, AS(CLINK_A_VPC_ID, vpc),
		     AU8(CLINK_A_VPC_CLASSICLINK, 1),
		     APFX(CLINK_A_VPC_REACH, reach));
}

/* The VPC's reach prefix as GET_VPC reports it: "none" when absent. */
static const char *vpc_reach(struct clink *c, const char *vpc)
{
	static char buf[32];
	struct cl_vpc_info v;
	uint8_t *a;

	if (cl_get_vpc(c, vpc, &v))
		return "error";
	if (v.reach.len == 255)
		return "none";
	a = (uint8_t *)&v.reach.addr;
	snprintf(buf, sizeof(buf), "%u.%u.%u.%u/%u", a[0], a[1], a[2], a[3],
		 v.reach.len);
	return buf;
}

/* ------------------------------------------------------------------ */
/* 1. Enabling ClassicLink                                              */

CLINK_FIXTURE(vpc);

TEST_F(vpc, enable_fails_when_cidr_overlaps_classic_space)
{
	struct clink *c = &self->c;

	ASSERT_CL_OK(c, cl_vpc_new(c, "vpc-in", 100, "10.1.0.0/16"));
	ASSERT_CL_OK(c, cl_vpc_new(c, "vpc-super", 101, "8.0.0.0/6"));

	EXPECT_CL_FAIL(c, cl_vpc_classiclink(c, "vpc-in", 1), -EINVAL,
		       "classic");
	EXPECT_CL_FAIL(c, cl_vpc_classiclink(c, "vpc-super", 1), -EINVAL,
		       "classic");
	EXPECT_EQ(0, vpc_classiclink(c, "vpc-in"));
	EXPECT_EQ(0, vpc_classiclink(c, "vpc-super"));
}

TEST_F(vpc, enable_fails_when_cidr_outside_vpc_eligible)
{
	struct clink *c = &self->c;
	struct cl_dev_info d;

	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_SET_DEV, 0,
			      APFXL(CLINK_A_DEV_VPC_ELIGIBLE, "172.16.0.0/12")));
	ASSERT_CL_OK(c, cl_get_dev(c, &d));
	ASSERT_EQ(1, d.n_elig);
	EXPECT_TRUE(cl_pfx_eq(&d.elig[0], "172.16.0.0/12"));

	ASSERT_CL_OK(c, cl_vpc_new(c, "vpc-out", 100, "192.168.0.0/16"));
	/* contains the eligible range but does not lie inside it */
	ASSERT_CL_OK(c, cl_vpc_new(c, "vpc-wide", 101, "172.0.0.0/8"));
	ASSERT_CL_OK(c, cl_vpc_new(c, "vpc-in", 102, "172.20.0.0/16"));

	EXPECT_CL_FAIL(c, cl_vpc_classiclink(c, "vpc-out", 1), -EINVAL,
		       "eligible");
	EXPECT_CL_FAIL(c, cl_vpc_classiclink(c, "vpc-wide", 1), -EINVAL,
		       "eligible");
	EXPECT_CL_OK(c, cl_vpc_classiclink(c, "vpc-in", 1));
	EXPECT_EQ(0, vpc_classiclink(c, "vpc-out"));
	EXPECT_EQ(0, vpc_classiclink(c, "vpc-wide"));
	EXPECT_EQ(1, vpc_classiclink(c, "vpc-in"));
}

TEST_F(vpc, enable_fails_when_custom_route_overlaps_classic_space)
{
	struct clink *c = &self->c;

	ASSERT_CL_OK(c, cl_vpc_new(c, "vpc-a", 100, "172.16.0.0/16"));
	ASSERT_CL_OK(c, cl_route_new(c, "vpc-a", "10.5.0.0/16", CLINK_NEXTHOP_VPN));
	EXPECT_CL_FAIL(c, cl_vpc_classiclink(c, "vpc-a", 1), -EINVAL,
		       "route,classic");
	EXPECT_EQ(0, vpc_classiclink(c, "vpc-a"));

	/* without the route it may be enabled */
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_DEL_ROUTE, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
			      APFX(CLINK_A_ROUTE_DST, "10.5.0.0/16")));
	EXPECT_CL_OK(c, cl_vpc_classiclink(c, "vpc-a", 1));
}

TEST_F(vpc, custom_route_into_classic_space_fails_while_enabled)
{
	struct clink *c = &self->c;
	struct cl_vec routes = CL_VEC(struct cl_route);
	struct cl_route *rt;

	ASSERT_CL_OK(c, cl_vpc_cl(c, "vpc-a", 100, "172.16.0.0/16"));
	EXPECT_CL_FAIL(c, cl_route_new(c, "vpc-a", "10.5.0.0/16", CLINK_NEXTHOP_NAT),
		       -EINVAL, "classic");
	EXPECT_CL_FAIL(c, cl_route_new(c, "vpc-a", "10.0.0.0/7", CLINK_NEXTHOP_PEERING),
		       -EINVAL, "classic");
	/* outside the classic space is fine */
	EXPECT_CL_OK(c, cl_route_new(c, "vpc-a", "192.168.0.0/16", CLINK_NEXTHOP_VPN));

	ASSERT_CL_OK(c, cl_routes(c, "vpc-a", &routes));
	EXPECT_EQ(NULL, cl_route_find(&routes, "10.5.0.0/16"));
	EXPECT_EQ(NULL, cl_route_find(&routes, "10.0.0.0/7"));
	rt = cl_route_find(&routes, "192.168.0.0/16");
	ASSERT_NE(NULL, rt);
	EXPECT_EQ(CLINK_ROUTE_CUSTOM, rt->type);
	EXPECT_EQ(CLINK_NEXTHOP_VPN, rt->nexthop);
	rt = cl_route_find(&routes, "172.16.0.0/16");
	ASSERT_NE(NULL, rt) TH_LOG("no local route for the primary CIDR");
	EXPECT_EQ(CLINK_ROUTE_LOCAL, rt->type);
	cl_vec_free(&routes);
}

TEST_F(vpc, enable_succeeds_for_eligible_cidrs)
{
	struct clink *c = &self->c;
	struct cl_dev_info d;

	EXPECT_CL_OK(c, cl_vpc_cl(c, "vpc-172", 100, "172.16.0.0/12"));
	EXPECT_CL_OK(c, cl_vpc_cl(c, "vpc-192", 101, "192.168.0.0/16"));

	/* 10.111.0.0/16 is fine once the classic space leaves it out */
	ASSERT_CL_OK(c, cl_vpc_new(c, "vpc-10", 102, "10.111.0.0/16"));
	EXPECT_CL_FAIL(c, cl_vpc_classiclink(c, "vpc-10", 1), -EINVAL, "classic");
	/* the classic space may not change while ClassicLink is on anywhere */
	EXPECT_CL_FAIL2(c, CLREQ(c, CLINK_CMD_SET_DEV, 0,
				 APFXL(CLINK_A_DEV_CLASSIC_SPACE,
				       "10.0.0.0/10,10.128.0.0/9")),
			-EBUSY, -EINVAL, "classic");
	EXPECT_CL_FAIL2(c, CLREQ(c, CLINK_CMD_SET_DEV, 0,
				 APFXL(CLINK_A_DEV_VPC_ELIGIBLE, "172.16.0.0/12")),
			-EBUSY, -EINVAL, "classic");
	ASSERT_CL_OK(c, cl_vpc_classiclink(c, "vpc-172", 0));
	ASSERT_CL_OK(c, cl_vpc_classiclink(c, "vpc-192", 0));
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_SET_DEV, 0,
			      APFXL(CLINK_A_DEV_CLASSIC_SPACE,
				    "10.0.0.0/10,10.128.0.0/9")));
	ASSERT_CL_OK(c, cl_get_dev(c, &d));
	ASSERT_EQ(2, d.n_classic);
	EXPECT_TRUE(cl_pfx_eq(&d.classic[0], "10.0.0.0/10") ||
		    cl_pfx_eq(&d.classic[1], "10.0.0.0/10"));
	EXPECT_CL_OK(c, cl_vpc_classiclink(c, "vpc-10", 1));
	EXPECT_CL_OK(c, cl_vpc_classiclink(c, "vpc-172", 1));
	EXPECT_CL_OK(c, cl_vpc_classiclink(c, "vpc-192", 1));
	EXPECT_EQ(1, vpc_classiclink(c, "vpc-10"));
	EXPECT_EQ(1, vpc_classiclink(c, "vpc-172"));
	EXPECT_EQ(1, vpc_classiclink(c, "vpc-192"));

	/* an instance in the new classic space links to the 10.x VPC */
	ASSERT_CL_OK(c, cl_inst_new(c, "i-1", "10.200.0.1"));
	EXPECT_CL_OK(c, cl_link(c, "i-1", "vpc-10"));
	/* and one outside it cannot even be created */
	EXPECT_CL_FAIL(c, cl_inst_new(c, "i-2", "10.111.0.5"), -EINVAL, "classic");
}

/* The reach prefix (CLINK_A_VPC_REACH): Alibaba's vSwitch rule */

TEST_F(vpc, reach_set_and_cleared)
{
	struct clink *c = &self->c;

	ASSERT_CL_OK(c, cl_vpc_new(c, "vpc-a", 100, "172.16.0.0/16"));
	EXPECT_STREQ("none", vpc_reach(c, "vpc-a"));
	ASSERT_CL_OK(c, vpc_set_reach(c, "vpc-a", "172.16.1.0/24"));
	EXPECT_STREQ("172.16.1.0/24", vpc_reach(c, "vpc-a"));
	/* the other settings are left as they were */
	EXPECT_EQ(0, vpc_classiclink(c, "vpc-a"));
	EXPECT_EQ(0, vpc_max_links(c, "vpc-a"));
	/* the primary CIDR itself is a valid reach */
	EXPECT_CL_OK(c, vpc_set_reach(c, "vpc-a", "172.16.0.0/16"));
	EXPECT_STREQ("172.16.0.0/16", vpc_reach(c, "vpc-a"));
	/* 0.0.0.0/0 clears it */
	ASSERT_CL_OK(c, vpc_set_reach(c, "vpc-a", "0.0.0.0/0"));
	EXPECT_STREQ("none", vpc_reach(c, "vpc-a"));

	/* NEW_VPC takes it; a replace without it clears it */
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_NEW_VPC, 0,
			      AS(CLINK_A_VPC_ID, "vpc-b"), AU32(CLINK_A_VPC_VNI, 101),
			      APFX(CLINK_A_VPC_CIDR, "172.17.0.0/16"),
			      APFX(CLINK_A_VPC_REACH, "172.17.2.0/23")));
	EXPECT_STREQ("172.17.2.0/23", vpc_reach(c, "vpc-b"));
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_NEW_VPC, 0, AFLAG(CLINK_A_REPLACE),
			      AS(CLINK_A_VPC_ID, "vpc-b"), AU32(CLINK_A_VPC_VNI, 101),
			      APFX(CLINK_A_VPC_CIDR, "172.17.0.0/16")));
	EXPECT_STREQ("none", vpc_reach(c, "vpc-b"));
	/* a replace that moves the CIDR checks the reach against the new one */
	EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_NEW_VPC, 0, AFLAG(CLINK_A_REPLACE),
				AS(CLINK_A_VPC_ID, "vpc-b"), AU32(CLINK_A_VPC_VNI, 101),
				APFX(CLINK_A_VPC_CIDR, "172.18.0.0/16"),
				APFX(CLINK_A_VPC_REACH, "172.17.2.0/23")),
		       -EINVAL, "reach 172.17.2.0/23,outside the primary CIDR 172.18.0.0/16");
	EXPECT_CL_OK(c, CLREQ(c, CLINK_CMD_NEW_VPC, 0, AFLAG(CLINK_A_REPLACE),
			      AS(CLINK_A_VPC_ID, "vpc-b"), AU32(CLINK_A_VPC_VNI, 101),
			      APFX(CLINK_A_VPC_CIDR, "172.18.0.0/16"),
			      APFX(CLINK_A_VPC_REACH, "172.18.0.0/24")));
	EXPECT_STREQ("172.18.0.0/24", vpc_reach(c, "vpc-b"));
}

TEST_F(vpc, reach_outside_primary_fails_with_einval)
{
	struct clink *c = &self->c;

	ASSERT_CL_OK(c, cl_vpc_new(c, "vpc-a", 100, "172.16.0.0/16"));
	ASSERT_CL_OK(c, vpc_set_reach(c, "vpc-a", "172.16.1.0/24"));

	EXPECT_CL_FAIL(c, vpc_set_reach(c, "vpc-a", "172.17.0.0/24"), -EINVAL,
		       "reach 172.17.0.0/24,outside the primary CIDR 172.16.0.0/16");
	/* wider than the primary CIDR, though it holds it */
	EXPECT_CL_FAIL(c, vpc_set_reach(c, "vpc-a", "172.0.0.0/8"), -EINVAL,
		       "reach 172.0.0.0/8,outside the primary CIDR");
	EXPECT_CL_FAIL(c, vpc_set_reach(c, "vpc-a", "172.16.1.1/24"), -EINVAL,
		       "host bits");
	/* bad input changes nothing, ClassicLink included */
	EXPECT_CL_FAIL(c, vpc_cl_reach(c, "vpc-a", "172.17.0.0/24"), -EINVAL,
		       "outside the primary CIDR");
	EXPECT_STREQ("172.16.1.0/24", vpc_reach(c, "vpc-a"));
	EXPECT_EQ(0, vpc_classiclink(c, "vpc-a"));
	/* nor is a VPC created with one */
	EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_NEW_VPC, 0,
				AS(CLINK_A_VPC_ID, "vpc-b"), AU32(CLINK_A_VPC_VNI, 101),
				APFX(CLINK_A_VPC_CIDR, "172.17.0.0/16"),
				APFX(CLINK_A_VPC_REACH, "172.16.0.0/24")),
		       -EINVAL, "reach 172.16.0.0/24,outside the primary CIDR 172.17.0.0/16");
	EXPECT_STREQ("error", vpc_reach(c, "vpc-b"));
}

/* The outer DSCP (CLINK_A_VPC_DSCP, CLINK_A_LINK_DSCP): 0..63 or inherit */

static int vpc_set_dscp(struct clink *c, const char *vpc, unsigned int dscp)
{
	return CLREQ(c, CLINK_CMD_SET_VPC, 0, AS(CLINK_A_VPC_ID, vpc),
		     AU8(CLINK_A_VPC_DSCP, dscp));
}

/* GET_VPC's DSCP: -1 when not reported (inherit), -2 on error. */
static int vpc_dscp(struct clink *c, const char *vpc)
{
	struct cl_vpc_info v;

	return cl_get_vpc(c, vpc, &v) ? -2 : v.dscp;
}

/* GET_LINK's DSCP of @inst: -1 when not reported (the VPC's), -2 unlinked. */
static int link_dscp(struct clink *c, const char *inst)
{
	struct cl_vec links = CL_VEC(struct cl_link);
	int i, r = -2;

	if (cl_links(c, NULL, &links))
		return -2;
	for (i = 0; i < (int)links.n; i++)
		if (!strcmp(CL_AT(&links, struct cl_link, i)->inst, inst))
			r = CL_AT(&links, struct cl_link, i)->dscp;
	cl_vec_free(&links);
	return r;
}

TEST_F(vpc, dscp_set_inherited_and_refused_out_of_range)
{
	struct clink *c = &self->c;
	unsigned int bad[] = { 64, 100, 254 };
	unsigned int i;

	ASSERT_CL_OK(c, cl_vpc_new(c, "vpc-a", 100, "172.16.0.0/16"));
	EXPECT_EQ(-1, vpc_dscp(c, "vpc-a"));
	ASSERT_CL_OK(c, vpc_set_dscp(c, "vpc-a", 46));
	EXPECT_EQ(46, vpc_dscp(c, "vpc-a"));
	EXPECT_CL_OK(c, vpc_set_dscp(c, "vpc-a", 0));
	EXPECT_EQ(0, vpc_dscp(c, "vpc-a"));
	EXPECT_CL_OK(c, vpc_set_dscp(c, "vpc-a", CLINK_DSCP_MAX));
	EXPECT_EQ(CLINK_DSCP_MAX, vpc_dscp(c, "vpc-a"));
	/* bad input changes nothing, ClassicLink included */
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_SET_VPC, 0,
					AS(CLINK_A_VPC_ID, "vpc-a"),
					AU8(CLINK_A_VPC_CLASSICLINK, 1),
					AU8(CLINK_A_VPC_DSCP, bad[i])),
			       -ERANGE, "DSCP must be 0..63,255");
		EXPECT_TRUE(c->has_off && c->bad_type == CLINK_A_VPC_DSCP);
	}
	EXPECT_EQ(CLINK_DSCP_MAX, vpc_dscp(c, "vpc-a"));
	EXPECT_EQ(0, vpc_classiclink(c, "vpc-a"));
	/* the other settings are left as they were */
	EXPECT_STREQ("none", vpc_reach(c, "vpc-a"));
	EXPECT_EQ(0, vpc_max_links(c, "vpc-a"));
	/* inherit: back to the default, reported as absent */
	ASSERT_CL_OK(c, vpc_set_dscp(c, "vpc-a", CLINK_DSCP_INHERIT));
	EXPECT_EQ(-1, vpc_dscp(c, "vpc-a"));

	/* NEW_VPC takes it; a replace without it goes back to inherit */
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_NEW_VPC, 0,
			      AS(CLINK_A_VPC_ID, "vpc-b"), AU32(CLINK_A_VPC_VNI, 101),
			      APFX(CLINK_A_VPC_CIDR, "172.17.0.0/16"),
			      AU8(CLINK_A_VPC_DSCP, 10)));
	EXPECT_EQ(10, vpc_dscp(c, "vpc-b"));
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_NEW_VPC, 0, AFLAG(CLINK_A_REPLACE),
			      AS(CLINK_A_VPC_ID, "vpc-b"), AU32(CLINK_A_VPC_VNI, 101),
			      APFX(CLINK_A_VPC_CIDR, "172.17.0.0/16")));
	EXPECT_EQ(-1, vpc_dscp(c, "vpc-b"));
	EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_NEW_VPC, 0,
				AS(CLINK_A_VPC_ID, "vpc-c"), AU32(CLINK_A_VPC_VNI, 102),
				APFX(CLINK_A_VPC_CIDR, "172.18.0.0/16"),
				AU8(CLINK_A_VPC_DSCP, 64)),
		       -ERANGE, "DSCP must be 0..63");
	EXPECT_EQ(-2, vpc_dscp(c, "vpc-c"));
}

TEST_F(vpc, link_dscp_overrides_and_replace_keeps_the_link)
{
	struct clink *c = &self->c;

	ASSERT_CL_OK(c, cl_vpc_cl(c, "vpc-a", 100, "172.16.0.0/16"));
	ASSERT_CL_OK(c, cl_vpc_cl(c, "vpc-b", 101, "172.17.0.0/16"));
	ASSERT_CL_OK(c, cl_inst_new(c, "i-1", "10.1.2.3"));
	ASSERT_CL_OK(c, cl_inst_new(c, "i-2", "10.1.2.4"));

	EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_NEW_LINK, 0, AS(CLINK_A_INST_ID, "i-1"),
				AS(CLINK_A_VPC_ID, "vpc-a"),
				AU8(CLINK_A_LINK_DSCP, 64)),
		       -ERANGE, "DSCP must be 0..63");
	EXPECT_EQ(0, n_links(c, NULL));
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_NEW_LINK, 0, AS(CLINK_A_INST_ID, "i-1"),
			      AS(CLINK_A_VPC_ID, "vpc-a"), AU8(CLINK_A_LINK_DSCP, 34)));
	EXPECT_EQ(34, link_dscp(c, "i-1"));
	ASSERT_CL_OK(c, cl_link(c, "i-2", "vpc-a"));
	EXPECT_EQ(-1, link_dscp(c, "i-2"));

	/* without replace, linking again is EEXIST and changes nothing */
	EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_NEW_LINK, 0, AS(CLINK_A_INST_ID, "i-1"),
				AS(CLINK_A_VPC_ID, "vpc-a"),
				AU8(CLINK_A_LINK_DSCP, 10)),
		       -EEXIST, "already linked");
	EXPECT_EQ(34, link_dscp(c, "i-1"));
	/* replace: the DSCP only, the link (and its route) stays */
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_NEW_LINK, 0, AREPLACE,
			      AS(CLINK_A_INST_ID, "i-1"), AS(CLINK_A_VPC_ID, "vpc-a"),
			      AU8(CLINK_A_LINK_DSCP, CLINK_DSCP_INHERIT)));
	EXPECT_EQ(CLINK_DSCP_INHERIT, link_dscp(c, "i-1"));
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_NEW_LINK, 0, AREPLACE,
			      AS(CLINK_A_INST_ID, "i-1"), AS(CLINK_A_VPC_ID, "vpc-a")));
	EXPECT_EQ(-1, link_dscp(c, "i-1"));
	EXPECT_EQ(2, n_links(c, NULL));
	/* a bad value in a replace changes nothing either */
	EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_NEW_LINK, 0, AREPLACE,
				AS(CLINK_A_INST_ID, "i-2"), AS(CLINK_A_VPC_ID, "vpc-a"),
				AU8(CLINK_A_LINK_DSCP, 200)),
		       -ERANGE, "DSCP must be 0..63");
	EXPECT_EQ(-1, link_dscp(c, "i-2"));
	/* a replace to another VPC does not move the link */
	EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_NEW_LINK, 0, AREPLACE,
				AS(CLINK_A_INST_ID, "i-2"), AS(CLINK_A_VPC_ID, "vpc-b"),
				AU8(CLINK_A_LINK_DSCP, 10)),
		       -EEXIST, "already linked to VPC vpc-a");
	EXPECT_EQ(-1, link_dscp(c, "i-2"));
	/* a replace of an instance not linked links it */
	ASSERT_CL_OK(c, cl_unlink(c, "i-2"));
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_NEW_LINK, 0, AREPLACE,
			      AS(CLINK_A_INST_ID, "i-2"), AS(CLINK_A_VPC_ID, "vpc-b"),
			      AU8(CLINK_A_LINK_DSCP, 8)));
	EXPECT_EQ(8, link_dscp(c, "i-2"));
}

/*
 * Alibaba: the classic network is 10.0.0.0/8 but 10.111.0.0/16; VPCs of
 * 10.111.0.0/16, 172.16.0.0/12 and 192.168.0.0/16 may use ClassicLink, and
 * one of 10.0.0.0/8 when its vSwitch for classic instances lies within
 * 10.111.0.0/16.
 */
#define ALIBABA_CLASSIC "10.0.0.0/10,10.64.0.0/11,10.96.0.0/13,10.104.0.0/14," \
			"10.108.0.0/15,10.110.0.0/16,10.112.0.0/12,10.128.0.0/9"
#define ALIBABA_ELIGIBLE "10.111.0.0/16,172.16.0.0/12,192.168.0.0/16"

TEST_F(vpc, reach_makes_a_10_8_vpc_eligible)
{
	struct clink *c = &self->c;

	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_SET_DEV, 0,
			      APFXL(CLINK_A_DEV_CLASSIC_SPACE, ALIBABA_CLASSIC),
			      APFXL(CLINK_A_DEV_VPC_ELIGIBLE, ALIBABA_ELIGIBLE)));
	ASSERT_CL_OK(c, cl_vpc_new(c, "vpc-10", 100, "10.0.0.0/8"));
	ASSERT_CL_OK(c, cl_vpc_new(c, "vpc-172", 101, "172.0.0.0/8"));

	/* without a reach prefix, the whole primary CIDR is checked */
	EXPECT_CL_FAIL(c, cl_vpc_classiclink(c, "vpc-10", 1), -EINVAL,
		       "VPC CIDR 10.0.0.0/8,overlaps the classic space");
	EXPECT_CL_FAIL(c, cl_vpc_classiclink(c, "vpc-172", 1), -EINVAL,
		       "VPC CIDR 172.0.0.0/8,outside the vpc-eligible prefixes");
	/* a reach in the classic space, or outside vpc-eligible, is no better */
	EXPECT_CL_FAIL(c, vpc_cl_reach(c, "vpc-10", "10.112.0.0/16"), -EINVAL,
		       "reach 10.112.0.0/16,overlaps the classic space 10.112.0.0/12");
	EXPECT_CL_FAIL(c, vpc_cl_reach(c, "vpc-172", "172.32.0.0/16"), -EINVAL,
		       "reach 172.32.0.0/16,outside the vpc-eligible prefixes");
	EXPECT_EQ(0, vpc_classiclink(c, "vpc-10"));
	EXPECT_STREQ("none", vpc_reach(c, "vpc-10"));

	/* the vSwitch rule */
	EXPECT_CL_OK(c, vpc_cl_reach(c, "vpc-10", "10.111.0.0/16"));
	EXPECT_EQ(1, vpc_classiclink(c, "vpc-10"));
	EXPECT_STREQ("10.111.0.0/16", vpc_reach(c, "vpc-10"));
	EXPECT_CL_OK(c, vpc_cl_reach(c, "vpc-172", "172.16.0.0/16"));
	EXPECT_EQ(1, vpc_classiclink(c, "vpc-172"));

	/* changing the reach while enabled runs the checks again */
	EXPECT_CL_FAIL(c, vpc_set_reach(c, "vpc-10", "10.110.0.0/16"), -EINVAL,
		       "reach 10.110.0.0/16,overlaps the classic space 10.110.0.0/16");
	EXPECT_CL_FAIL(c, vpc_set_reach(c, "vpc-10", "0.0.0.0/0"), -EINVAL,
		       "VPC CIDR 10.0.0.0/8,overlaps the classic space");
	EXPECT_STREQ("10.111.0.0/16", vpc_reach(c, "vpc-10"));
	EXPECT_CL_OK(c, vpc_set_reach(c, "vpc-10", "10.111.1.0/24"));
	EXPECT_STREQ("10.111.1.0/24", vpc_reach(c, "vpc-10"));
	/* and so does a replace, which without the attribute clears it */
	EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_NEW_VPC, 0, AFLAG(CLINK_A_REPLACE),
				AS(CLINK_A_VPC_ID, "vpc-10"), AU32(CLINK_A_VPC_VNI, 100),
				APFX(CLINK_A_VPC_CIDR, "10.0.0.0/8")),
		       -EINVAL, "VPC CIDR 10.0.0.0/8,overlaps the classic space");
	EXPECT_STREQ("10.111.1.0/24", vpc_reach(c, "vpc-10"));
	EXPECT_EQ(1, vpc_classiclink(c, "vpc-10"));

	/* classic instances link to it */
	ASSERT_CL_OK(c, cl_inst_new(c, "i-1", "10.1.0.5"));
	EXPECT_CL_OK(c, cl_link(c, "i-1", "vpc-10"));
	/* with links, the reach may still change, within the rules */
	EXPECT_CL_OK(c, vpc_set_reach(c, "vpc-10", "10.111.0.0/16"));
	EXPECT_EQ(1, vpc_n_links(c, "vpc-10"));
}

TEST_F(vpc, enable_fails_when_region_differs_from_device)
{
	struct clink *c = &self->c;

	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_SET_DEV, 0,
			      AS(CLINK_A_DEV_REGION, "us-east-1")));
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_NEW_VPC, 0, AS(CLINK_A_VPC_ID, "vpc-eu"),
			      AU32(CLINK_A_VPC_VNI, 100),
			      APFX(CLINK_A_VPC_CIDR, "172.16.0.0/16"),
			      AS(CLINK_A_VPC_REGION, "eu-west-1")));
	EXPECT_CL_FAIL(c, cl_vpc_classiclink(c, "vpc-eu", 1), -EXDEV, "region");
	EXPECT_EQ(0, vpc_classiclink(c, "vpc-eu"));
}

/* ------------------------------------------------------------------ */
/* 2. What linked instances keep busy                                   */

TEST_F(vpc, disable_and_delete_fail_with_ebusy_while_linked)
{
	struct clink *c = &self->c;

	ASSERT_CL_OK(c, cl_vpc_cl(c, "vpc-a", 100, "172.16.0.0/16"));
	ASSERT_CL_OK(c, cl_inst_new(c, "i-1", "10.1.2.3"));
	ASSERT_CL_OK(c, cl_link(c, "i-1", "vpc-a"));

	EXPECT_CL_FAIL(c, cl_vpc_classiclink(c, "vpc-a", 0), -EBUSY, NULL);
	EXPECT_CL_FAIL(c, cl_vpc_del(c, "vpc-a"), -EBUSY, NULL);
	EXPECT_EQ(1, vpc_classiclink(c, "vpc-a"));
	EXPECT_EQ(1, vpc_n_links(c, "vpc-a"));

	ASSERT_CL_OK(c, cl_unlink(c, "i-1"));
	EXPECT_CL_OK(c, cl_vpc_classiclink(c, "vpc-a", 0));
	EXPECT_CL_OK(c, cl_vpc_del(c, "vpc-a"));
	EXPECT_CL_FAIL(c, cl_vpc_del(c, "vpc-a"), -ENOENT, "vpc-a");
}

TEST_F(vpc, duplicate_vni_fails_with_eaddrinuse)
{
	struct clink *c = &self->c;
	struct cl_dev_info d;

	ASSERT_CL_OK(c, cl_vpc_new(c, "vpc-a", 4242, "172.16.0.0/16"));
	EXPECT_CL_FAIL(c, cl_vpc_new(c, "vpc-b", 4242, "172.17.0.0/16"),
		       -EADDRINUSE, "vni");
	EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_GET_VPC, 0, AS(CLINK_A_VPC_ID, "vpc-b")),
		       -ENOENT, NULL);
	ASSERT_CL_OK(c, cl_get_dev(c, &d));
	EXPECT_EQ(1, d.n_vpcs);
	/* replacing vpc-a with its own VNI is no conflict */
	EXPECT_CL_OK(c, CLREQ(c, CLINK_CMD_NEW_VPC, 0, AREPLACE,
			      AS(CLINK_A_VPC_ID, "vpc-a"), AU32(CLINK_A_VPC_VNI, 4242),
			      APFX(CLINK_A_VPC_CIDR, "172.16.0.0/16")));
	/* taking another VPC's VNI by replacing is one */
	ASSERT_CL_OK(c, cl_vpc_new(c, "vpc-c", 4343, "172.18.0.0/16"));
	EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_NEW_VPC, 0, AREPLACE,
				AS(CLINK_A_VPC_ID, "vpc-c"), AU32(CLINK_A_VPC_VNI, 4242),
				APFX(CLINK_A_VPC_CIDR, "172.18.0.0/16")),
		       -EADDRINUSE, "vni");
}

/* ------------------------------------------------------------------ */
/* 3. Linking                                                           */

CLINK_FIXTURE(link);

TEST_F(link, fails_with_enoent_unless_both_exist)
{
	struct clink *c = &self->c;

	ASSERT_CL_OK(c, cl_vpc_cl(c, "vpc-a", 100, "172.16.0.0/16"));
	ASSERT_CL_OK(c, cl_inst_new(c, "i-1", "10.1.2.3"));

	EXPECT_CL_FAIL(c, cl_link(c, "i-none", "vpc-a"), -ENOENT, "instance|i-none");
	EXPECT_CL_FAIL(c, cl_link(c, "i-1", "vpc-none"), -ENOENT, "vpc");
	EXPECT_EQ(0, n_links(c, NULL));
	EXPECT_CL_FAIL(c, cl_unlink(c, "i-1"), -ENOENT, NULL);
	EXPECT_CL_FAIL(c, cl_unlink(c, "i-none"), -ENOENT, NULL);
}

TEST_F(link, fails_when_classiclink_disabled)
{
	struct clink *c = &self->c;

	ASSERT_CL_OK(c, cl_vpc_new(c, "vpc-a", 100, "172.16.0.0/16"));
	ASSERT_CL_OK(c, cl_inst_new(c, "i-1", "10.1.2.3"));
	EXPECT_CL_FAIL(c, cl_link(c, "i-1", "vpc-a"), -EINVAL, "classiclink|classic link");
	EXPECT_EQ(0, n_links(c, NULL));
}

TEST_F(link, fails_when_instance_ip_outside_classic_space)
{
	struct clink *c = &self->c;

	/* i-1 was created in the classic space, which then shrank */
	ASSERT_CL_OK(c, cl_inst_new(c, "i-1", "10.1.2.3"));
	ASSERT_CL_OK(c, cl_inst_new(c, "i-2", "10.0.0.9"));
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_SET_DEV, 0,
			      APFXL(CLINK_A_DEV_CLASSIC_SPACE, "10.0.0.0/16")));
	ASSERT_CL_OK(c, cl_vpc_cl(c, "vpc-a", 100, "172.16.0.0/16"));
	EXPECT_CL_FAIL(c, cl_link(c, "i-1", "vpc-a"), -EINVAL, "classic");
	EXPECT_CL_OK(c, cl_link(c, "i-2", "vpc-a"));
	EXPECT_EQ(1, n_links(c, NULL));
}

TEST_F(link, fails_with_exdev_when_regions_differ)
{
	struct clink *c = &self->c;

	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_SET_DEV, 0,
			      AS(CLINK_A_DEV_REGION, "us-east-1")));
	ASSERT_CL_OK(c, cl_vpc_cl(c, "vpc-a", 100, "172.16.0.0/16"));
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_NEW_INSTANCE, 0, AS(CLINK_A_INST_ID, "i-eu"),
			      AADDR(CLINK_A_INST_ADDR, "10.1.2.3"),
			      AS(CLINK_A_INST_REGION, "eu-west-1")));
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_NEW_INSTANCE, 0, AS(CLINK_A_INST_ID, "i-us"),
			      AADDR(CLINK_A_INST_ADDR, "10.1.2.4"),
			      AS(CLINK_A_INST_REGION, "us-east-1")));
	EXPECT_CL_FAIL(c, cl_link(c, "i-eu", "vpc-a"), -EXDEV, "region");
	EXPECT_CL_OK(c, cl_link(c, "i-us", "vpc-a"));
	EXPECT_EQ(1, n_links(c, NULL));
}

TEST_F(link, fails_with_exdev_when_accounts_differ)
{
	struct clink *c = &self->c;
	struct cl_vpc_info v;

	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_NEW_VPC, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
			      AU32(CLINK_A_VPC_VNI, 100),
			      APFX(CLINK_A_VPC_CIDR, "172.16.0.0/16"),
			      AS(CLINK_A_VPC_ACCOUNT, "111111111111")));
	ASSERT_CL_OK(c, cl_vpc_classiclink(c, "vpc-a", 1));
	ASSERT_CL_OK(c, cl_get_vpc(c, "vpc-a", &v));
	EXPECT_STREQ("111111111111", v.account);
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_NEW_INSTANCE, 0, AS(CLINK_A_INST_ID, "i-other"),
			      AADDR(CLINK_A_INST_ADDR, "10.1.2.3"),
			      AS(CLINK_A_INST_ACCOUNT, "222222222222")));
	/* no account (the default, empty) is another account too */
	ASSERT_CL_OK(c, cl_inst_new(c, "i-none", "10.1.2.4"));
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_NEW_INSTANCE, 0, AS(CLINK_A_INST_ID, "i-same"),
			      AADDR(CLINK_A_INST_ADDR, "10.1.2.5"),
			      AS(CLINK_A_INST_ACCOUNT, "111111111111")));
	EXPECT_CL_FAIL(c, cl_link(c, "i-other", "vpc-a"), -EXDEV, "account");
	EXPECT_CL_FAIL(c, cl_link(c, "i-none", "vpc-a"), -EXDEV, "account");
	EXPECT_CL_OK(c, cl_link(c, "i-same", "vpc-a"));
	EXPECT_EQ(1, n_links(c, NULL));
}

/*
 * With IDs and regions of the longest allowed length a message exceeds
 * what the kernel keeps of one (80 bytes with the NUL): clink cuts it
 * itself, keeping the start and ending in "...".
 */
TEST_F(link, long_message_is_cut_with_an_ellipsis)
{
	struct clink *c = &self->c;
	char rv[CL_ID_SZ], ri[CL_ID_SZ];
	size_t len;

	memset(rv, 'v', sizeof(rv) - 1);
	rv[sizeof(rv) - 1] = 0;
	memset(ri, 'i', sizeof(ri) - 1);
	ri[sizeof(ri) - 1] = 0;
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_SET_DEV, 0, AS(CLINK_A_DEV_REGION, rv)));
	ASSERT_CL_OK(c, cl_vpc_cl(c, "vpc-a", 100, "172.16.0.0/16"));
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_NEW_INSTANCE, 0, AS(CLINK_A_INST_ID, "i-1"),
			      AADDR(CLINK_A_INST_ADDR, "10.1.2.3"),
			      AS(CLINK_A_INST_REGION, ri)));
	EXPECT_CL_FAIL(c, cl_link(c, "i-1", "vpc-a"), -EXDEV, "region");
	len = strlen(c->ext);
	EXPECT_EQ(79, len) TH_LOG("extack \"%s\"", c->ext);
	EXPECT_TRUE(len >= 3 && !strcmp(c->ext + len - 3, "..."))
		TH_LOG("extack \"%s\"", c->ext);
	EXPECT_EQ(0, strncmp(c->ext, "instance region iii", 19)) TH_LOG("extack \"%s\"", c->ext);
}

TEST_F(link, fails_with_eexist_naming_the_vpc_when_already_linked)
{
	struct clink *c = &self->c;
	struct cl_inst_info i;

	ASSERT_CL_OK(c, cl_vpc_cl(c, "vpc-first", 100, "172.16.0.0/16"));
	ASSERT_CL_OK(c, cl_vpc_cl(c, "vpc-second", 101, "172.17.0.0/16"));
	ASSERT_CL_OK(c, cl_inst_new(c, "i-1", "10.1.2.3"));
	ASSERT_CL_OK(c, cl_link(c, "i-1", "vpc-first"));

	EXPECT_CL_FAIL(c, cl_link(c, "i-1", "vpc-second"), -EEXIST, "vpc-first");
	EXPECT_CL_FAIL(c, cl_link(c, "i-1", "vpc-first"), -EEXIST, "vpc-first");
	ASSERT_CL_OK(c, cl_get_inst(c, "i-1", &i));
	EXPECT_TRUE(i.linked);
	EXPECT_STREQ("vpc-first", i.vpc);
	EXPECT_EQ(1, vpc_n_links(c, "vpc-first"));
	EXPECT_EQ(0, vpc_n_links(c, "vpc-second"));
	EXPECT_EQ(0, route_present(c, "vpc-second", "10.1.2.3", NULL));
}

/* Creates @n instances 10.1.x.y named i-<k> for k in [from, from + n). */
TEST_F(link, fails_with_enospc_above_default_100_links_per_vpc)
{
	struct clink *c = &self->c;
	struct cl_dev_info d;
	struct cl_batch b;

	ASSERT_CL_OK(c, cl_get_dev(c, &d));
	ASSERT_EQ(CLINK_DEFAULT_MAX_LINKS_PER_VPC, d.max_lpv);
	ASSERT_CL_OK(c, cl_vpc_cl(c, "vpc-a", 100, "172.16.0.0/16"));
	ASSERT_CL_OK(c, cl_vpc_cl(c, "vpc-b", 101, "172.17.0.0/16"));
	ASSERT_EQ(0, cl_make_instances(c, "10.1", 0, 101, &b)) TH_LOG("%s", b.first_ext);
	ASSERT_EQ(0, cl_link_instances(c, 0, 100, "vpc-a", &b)) TH_LOG("%s", b.first_ext);
	EXPECT_EQ(100, vpc_n_links(c, "vpc-a"));

	EXPECT_CL_FAIL(c, cl_link(c, "i-100", "vpc-a"), -ENOSPC, "link,100");
	EXPECT_EQ(100, vpc_n_links(c, "vpc-a"));
	EXPECT_EQ(0, route_present(c, "vpc-a", "10.1.0.100", NULL));
	/* the limit is per VPC */
	EXPECT_CL_OK(c, cl_link(c, "i-100", "vpc-b"));
	/* and a freed slot can be taken again */
	ASSERT_CL_OK(c, cl_unlink(c, "i-0"));
	EXPECT_CL_OK(c, cl_link(c, "i-0", "vpc-b"));
	ASSERT_CL_OK(c, cl_unlink(c, "i-100"));
	EXPECT_CL_OK(c, cl_link(c, "i-100", "vpc-a"));
	EXPECT_EQ(100, vpc_n_links(c, "vpc-a"));
	EXPECT_EQ(1, vpc_n_links(c, "vpc-b"));
}

TEST_F_TIMEOUT(link, fails_with_enospc_above_1000_links_per_vpc_when_set, 300)
{
	struct clink *c = &self->c;
	struct cl_dev_info d;
	struct cl_batch b;
	double t0 = cl_now();

	ASSERT_CL_OK(c, dev_set_u32(c, CLINK_A_DEV_MAX_LINKS_PER_VPC, 1000));
	ASSERT_CL_OK(c, cl_get_dev(c, &d));
	EXPECT_EQ(1000, d.max_lpv);
	ASSERT_CL_OK(c, cl_vpc_cl(c, "vpc-a", 100, "172.16.0.0/16"));
	ASSERT_EQ(0, cl_make_instances(c, "10.1", 0, 1001, &b)) TH_LOG("%s", b.first_ext);
	ASSERT_EQ(0, cl_link_instances(c, 0, 1000, "vpc-a", &b))
		TH_LOG("%ld failed: %s", b.nfail, b.first_ext);
	EXPECT_EQ(1000, vpc_n_links(c, "vpc-a"));
	EXPECT_EQ(1000, n_links(c, NULL));

	EXPECT_CL_FAIL(c, cl_link(c, "i-1000", "vpc-a"), -ENOSPC, "link,1000");
	EXPECT_EQ(1000, vpc_n_links(c, "vpc-a"));
	ASSERT_CL_OK(c, cl_get_dev(c, &d));
	EXPECT_EQ(1000, d.n_links);

	/* the limit cannot drop below what a VPC already has */
	EXPECT_NE(0, dev_set_u32(c, CLINK_A_DEV_MAX_LINKS_PER_VPC, 999));
	EXPECT_NE(0, c->ext[0]) TH_LOG("no extack for max-links-per-vpc below use");
	ASSERT_CL_OK(c, cl_get_dev(c, &d));
	EXPECT_EQ(1000, d.max_lpv);
	ksft_print_msg("1001 instances, 1000 links in %.1f s\n", cl_now() - t0);
}

TEST_F(link, fails_with_enospc_above_device_max_links)
{
	struct clink *c = &self->c;
	struct cl_batch b;

	ASSERT_CL_OK(c, cl_vpc_cl(c, "vpc-a", 100, "172.16.0.0/16"));
	ASSERT_CL_OK(c, cl_vpc_cl(c, "vpc-b", 101, "172.17.0.0/16"));
	ASSERT_EQ(0, cl_make_instances(c, "10.1", 0, 4, &b));
	ASSERT_CL_OK(c, dev_set_u32(c, CLINK_A_DEV_MAX_LINKS, 3));
	ASSERT_CL_OK(c, cl_link(c, "i-0", "vpc-a"));
	ASSERT_CL_OK(c, cl_link(c, "i-1", "vpc-a"));
	ASSERT_CL_OK(c, cl_link(c, "i-2", "vpc-b"));
	EXPECT_CL_FAIL(c, cl_link(c, "i-3", "vpc-b"), -ENOSPC, "link,3");
	EXPECT_EQ(3, n_links(c, NULL));
	/* not below the current count */
	EXPECT_NE(0, dev_set_u32(c, CLINK_A_DEV_MAX_LINKS, 2));
}

/* Per-VPC quotas (CLINK_A_VPC_MAX_LINKS): Tencent's 100, Alibaba's 1,000 */

TEST_F(link, vpc_max_links_below_device_limit_fails_with_enospc)
{
	struct clink *c = &self->c;
	struct cl_batch b;

	ASSERT_CL_OK(c, cl_vpc_cl(c, "vpc-a", 100, "172.16.0.0/16"));
	ASSERT_CL_OK(c, cl_vpc_cl(c, "vpc-b", 101, "172.17.0.0/16"));
	ASSERT_EQ(0, cl_make_instances(c, "10.1", 0, 5, &b)) TH_LOG("%s", b.first_ext);
	EXPECT_EQ(0, vpc_max_links(c, "vpc-a"));
	ASSERT_CL_OK(c, vpc_set_max_links(c, "vpc-a", 3));
	EXPECT_EQ(3, vpc_max_links(c, "vpc-a"));
	EXPECT_EQ(0, vpc_max_links(c, "vpc-b"));
	/* the ClassicLink setting is left as it was */
	EXPECT_EQ(1, vpc_classiclink(c, "vpc-a"));

	ASSERT_CL_OK(c, cl_link(c, "i-0", "vpc-a"));
	ASSERT_CL_OK(c, cl_link(c, "i-1", "vpc-a"));
	ASSERT_CL_OK(c, cl_link(c, "i-2", "vpc-a"));
	EXPECT_CL_FAIL(c, cl_link(c, "i-3", "vpc-a"), -ENOSPC,
		       "VPC vpc-a,its own limit of 3 links (max-links)");
	EXPECT_EQ(3, vpc_n_links(c, "vpc-a"));
	EXPECT_EQ(0, route_present(c, "vpc-a", "10.1.0.3", NULL));
	/* the quota is vpc-a's alone */
	EXPECT_CL_OK(c, cl_link(c, "i-3", "vpc-b"));
	EXPECT_CL_OK(c, cl_link(c, "i-4", "vpc-b"));
	EXPECT_EQ(2, vpc_n_links(c, "vpc-b"));
}

TEST_F(link, vpc_max_links_0_falls_back_to_device_limit)
{
	struct clink *c = &self->c;
	struct cl_batch b;

	ASSERT_CL_OK(c, dev_set_u32(c, CLINK_A_DEV_MAX_LINKS_PER_VPC, 2));
	ASSERT_CL_OK(c, cl_vpc_cl(c, "vpc-a", 100, "172.16.0.0/16"));
	ASSERT_EQ(0, cl_make_instances(c, "10.1", 0, 4, &b)) TH_LOG("%s", b.first_ext);
	ASSERT_CL_OK(c, vpc_set_max_links(c, "vpc-a", 3));
	ASSERT_CL_OK(c, vpc_set_max_links(c, "vpc-a", 0));
	EXPECT_EQ(0, vpc_max_links(c, "vpc-a"));

	ASSERT_CL_OK(c, cl_link(c, "i-0", "vpc-a"));
	ASSERT_CL_OK(c, cl_link(c, "i-1", "vpc-a"));
	EXPECT_CL_FAIL(c, cl_link(c, "i-2", "vpc-a"), -ENOSPC,
		       "VPC vpc-a,the device's limit of 2 links (max-links-per-vpc)");
	EXPECT_EQ(2, vpc_n_links(c, "vpc-a"));

	/* a replace without the attribute resets the quota to 0 */
	ASSERT_CL_OK(c, vpc_set_max_links(c, "vpc-a", 3));
	EXPECT_CL_OK(c, cl_link(c, "i-2", "vpc-a"));
	ASSERT_CL_OK(c, cl_unlink(c, "i-2"));
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_NEW_VPC, 0, AFLAG(CLINK_A_REPLACE),
			      AS(CLINK_A_VPC_ID, "vpc-a"), AU32(CLINK_A_VPC_VNI, 100),
			      APFX(CLINK_A_VPC_CIDR, "172.16.0.0/16")));
	EXPECT_EQ(0, vpc_max_links(c, "vpc-a"));
	EXPECT_CL_FAIL(c, cl_link(c, "i-2", "vpc-a"), -ENOSPC,
		       "vpc-a,device's limit of 2 links (max-links-per-vpc)");
	/* and NEW_VPC takes it */
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_NEW_VPC, 0, AFLAG(CLINK_A_REPLACE),
			      AS(CLINK_A_VPC_ID, "vpc-a"), AU32(CLINK_A_VPC_VNI, 100),
			      APFX(CLINK_A_VPC_CIDR, "172.16.0.0/16"),
			      AU32(CLINK_A_VPC_MAX_LINKS, 4)));
	EXPECT_EQ(4, vpc_max_links(c, "vpc-a"));
	EXPECT_EQ(1, vpc_classiclink(c, "vpc-a"));
	EXPECT_CL_OK(c, cl_link(c, "i-2", "vpc-a"));
	EXPECT_CL_OK(c, cl_link(c, "i-3", "vpc-a"));
	EXPECT_EQ(4, vpc_n_links(c, "vpc-a"));
}

TEST_F(link, vpc_max_links_above_device_default)
{
	struct clink *c = &self->c;
	uint32_t n = CLINK_DEFAULT_MAX_LINKS_PER_VPC + 1;
	struct cl_dev_info d;
	struct cl_batch b;
	char id[16];

	ASSERT_CL_OK(c, cl_get_dev(c, &d));
	ASSERT_EQ(CLINK_DEFAULT_MAX_LINKS_PER_VPC, d.max_lpv);
	ASSERT_CL_OK(c, cl_vpc_cl(c, "vpc-a", 100, "172.16.0.0/16"));
	ASSERT_CL_OK(c, vpc_set_max_links(c, "vpc-a", n));
	ASSERT_EQ(0, cl_make_instances(c, "10.1", 0, n + 1, &b)) TH_LOG("%s", b.first_ext);
	ASSERT_EQ(0, cl_link_instances(c, 0, n, "vpc-a", &b))
		TH_LOG("%ld failed: %s", b.nfail, b.first_ext);
	EXPECT_EQ(n, vpc_n_links(c, "vpc-a"));
	snprintf(id, sizeof(id), "i-%u", n);
	EXPECT_CL_FAIL(c, cl_link(c, id, "vpc-a"), -ENOSPC,
		       "vpc-a,own limit of 101 links (max-links)");
	/* the device's limit no longer binds this VPC: it may go lower */
	EXPECT_CL_OK(c, dev_set_u32(c, CLINK_A_DEV_MAX_LINKS_PER_VPC, 50));
	ASSERT_CL_OK(c, cl_get_dev(c, &d));
	EXPECT_EQ(50, d.max_lpv);
	EXPECT_EQ(n, vpc_n_links(c, "vpc-a"));
}

TEST_F(link, vpc_max_links_below_current_links_fails_with_ebusy)
{
	struct clink *c = &self->c;
	struct cl_batch b;

	ASSERT_CL_OK(c, cl_vpc_cl(c, "vpc-a", 100, "172.16.0.0/16"));
	ASSERT_EQ(0, cl_make_instances(c, "10.1", 0, 3, &b)) TH_LOG("%s", b.first_ext);
	ASSERT_CL_OK(c, vpc_set_max_links(c, "vpc-a", 5));
	ASSERT_CL_OK(c, cl_link(c, "i-0", "vpc-a"));
	ASSERT_CL_OK(c, cl_link(c, "i-1", "vpc-a"));
	ASSERT_CL_OK(c, cl_link(c, "i-2", "vpc-a"));

	EXPECT_CL_FAIL(c, vpc_set_max_links(c, "vpc-a", 2), -EBUSY,
		       "VPC vpc-a,has 3 links,more than max-links 2");
	EXPECT_EQ(5, vpc_max_links(c, "vpc-a"));
	EXPECT_EQ(3, vpc_n_links(c, "vpc-a"));
	/* all or nothing: ClassicLink stays on with the refused quota */
	EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_SET_VPC, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
				AU8(CLINK_A_VPC_CLASSICLINK, 1),
				AU32(CLINK_A_VPC_MAX_LINKS, 1)),
		       -EBUSY, "vpc-a,max-links 1");
	/* and the quota stays with a refused ClassicLink off */
	EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_SET_VPC, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
				AU8(CLINK_A_VPC_CLASSICLINK, 0),
				AU32(CLINK_A_VPC_MAX_LINKS, 10)),
		       -EBUSY, "vpc-a,3 linked instances");
	EXPECT_EQ(5, vpc_max_links(c, "vpc-a"));
	EXPECT_EQ(1, vpc_classiclink(c, "vpc-a"));
	/* out of range is the policy's ERANGE, and changes nothing */
	EXPECT_EQ(-ERANGE, vpc_set_max_links(c, "vpc-a", CLINK_MAX_LINKS_PER_VPC + 1));
	EXPECT_EQ(5, vpc_max_links(c, "vpc-a"));
	/* the current count itself is fine */
	EXPECT_CL_OK(c, vpc_set_max_links(c, "vpc-a", 3));
	EXPECT_EQ(3, vpc_max_links(c, "vpc-a"));

	/* 0 hands over to the device's limit: refused while that is below */
	ASSERT_CL_OK(c, dev_set_u32(c, CLINK_A_DEV_MAX_LINKS_PER_VPC, 2));
	EXPECT_CL_FAIL(c, vpc_set_max_links(c, "vpc-a", 0), -EBUSY,
		       "vpc-a,3 links,device's max-links-per-vpc 2");
	EXPECT_EQ(3, vpc_max_links(c, "vpc-a"));
	/* and so is a replace that would reset it to 0 */
	EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_NEW_VPC, 0, AFLAG(CLINK_A_REPLACE),
				AS(CLINK_A_VPC_ID, "vpc-a"), AU32(CLINK_A_VPC_VNI, 100),
				APFX(CLINK_A_VPC_CIDR, "172.16.0.0/16")),
		       -EBUSY, "vpc-a,3 links,device's max-links-per-vpc 2");
	EXPECT_EQ(3, vpc_max_links(c, "vpc-a"));
	/* after an unlink, lowering works */
	ASSERT_CL_OK(c, cl_unlink(c, "i-2"));
	EXPECT_CL_OK(c, vpc_set_max_links(c, "vpc-a", 2));
	EXPECT_CL_OK(c, vpc_set_max_links(c, "vpc-a", 0));
	EXPECT_EQ(0, vpc_max_links(c, "vpc-a"));
	EXPECT_EQ(2, vpc_n_links(c, "vpc-a"));
}

TEST_F(link, duplicate_instance_ip_fails_with_eaddrinuse)
{
	struct clink *c = &self->c;
	struct cl_inst_info i;

	ASSERT_CL_OK(c, cl_inst_new(c, "i-1", "10.1.2.3"));
	ASSERT_CL_OK(c, cl_inst_new(c, "i-2", "10.1.2.4"));
	EXPECT_CL_FAIL(c, cl_inst_new(c, "i-3", "10.1.2.3"), -EADDRINUSE,
		       "10.1.2.3|address|ip");
	EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_GET_INSTANCE, 0, AS(CLINK_A_INST_ID, "i-3")),
		       -ENOENT, NULL);
	/* moving an instance onto a taken address is the same conflict */
	EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_SET_INSTANCE, 0, AS(CLINK_A_INST_ID, "i-2"),
				AADDR(CLINK_A_INST_ADDR, "10.1.2.3")),
		       -EADDRINUSE, "10.1.2.3|address|ip");
	ASSERT_CL_OK(c, cl_get_inst(c, "i-2", &i));
	EXPECT_EQ(cl_ip("10.1.2.4"), i.addr);
	/* a freed address can be reused */
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_DEL_INSTANCE, 0, AS(CLINK_A_INST_ID, "i-1")));
	EXPECT_CL_OK(c, cl_inst_new(c, "i-3", "10.1.2.3"));
}

/* ------------------------------------------------------------------ */
/* 4. Classiclink routes                                                */

TEST_F(link, injects_classiclink_route_and_withdraws_it_on_unlink)
{
	struct clink *c = &self->c;
	struct cl_vec routes = CL_VEC(struct cl_route);
	struct cl_events ev;
	struct cl_route *rt;

	ASSERT_CL_OK(c, cl_vpc_cl(c, "vpc-a", 100, "172.16.0.0/16"));
	ASSERT_CL_OK(c, cl_inst_new(c, "i-1", "10.1.2.3"));
	ASSERT_EQ(0, cl_events_open(&ev));
	ASSERT_CL_OK(c, cl_link(c, "i-1", "vpc-a"));

	ASSERT_CL_OK(c, cl_routes(c, "vpc-a", &routes));
	rt = cl_route_find(&routes, "10.1.2.3/32");
	ASSERT_NE(NULL, rt) TH_LOG("no /32 for the linked instance");
	EXPECT_EQ(CLINK_ROUTE_CLASSICLINK, rt->type);
	EXPECT_TRUE(rt->has_inst);
	EXPECT_STREQ("i-1", rt->inst);
	EXPECT_STREQ("vpc-a", rt->vpc);
	EXPECT_NE(NULL, cl_route_find(&routes, "172.16.0.0/16"));
	EXPECT_EQ(2, routes.n);

	/* a BGP speaker learns it from the events */
	cl_events_drain(&ev, 200);
	EXPECT_EQ(1, cl_events_count(&ev, CLINK_CMD_NEW_LINK, -1, "i-1", "vpc-a"));
	{
		struct cl_event *e = cl_events_find(&ev, CLINK_CMD_NEW_ROUTE, NULL, "vpc-a");

		ASSERT_NE(NULL, e) TH_LOG("no NEW_ROUTE event for the /32");
		EXPECT_EQ(CLINK_ROUTE_CLASSICLINK, e->route_type);
		EXPECT_TRUE(e->has_route_dst && cl_pfx_eq(&e->route_dst, "10.1.2.3/32"));
		EXPECT_EQ(self->c.ifindex, e->ifindex);
	}
	cl_events_clear(&ev);

	/* the kernel owns it */
	EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_DEL_ROUTE, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
				APFX(CLINK_A_ROUTE_DST, "10.1.2.3/32")),
		       -EINVAL, "kernel");
	EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_DEL_ROUTE, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
				APFX(CLINK_A_ROUTE_DST, "172.16.0.0/16")),
		       -EINVAL, "kernel");
	EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_NEW_ROUTE, 0, AREPLACE,
				AS(CLINK_A_VPC_ID, "vpc-a"),
				APFX(CLINK_A_ROUTE_DST, "10.1.2.3/32"),
				AU8(CLINK_A_ROUTE_NEXTHOP, CLINK_NEXTHOP_VPN)),
		       -EINVAL, "kernel");
	EXPECT_EQ(1, route_present(c, "vpc-a", "10.1.2.3", "i-1"));

	ASSERT_CL_OK(c, cl_unlink(c, "i-1"));
	EXPECT_EQ(0, route_present(c, "vpc-a", "10.1.2.3", NULL));
	ASSERT_CL_OK(c, cl_routes(c, "vpc-a", &routes));
	EXPECT_EQ(1, routes.n);
	EXPECT_EQ(0, n_links(c, NULL));
	cl_events_drain(&ev, 200);
	EXPECT_EQ(1, cl_events_count(&ev, CLINK_CMD_DEL_LINK, -1, "i-1", "vpc-a"));
	{
		struct cl_event *e = cl_events_find(&ev, CLINK_CMD_DEL_ROUTE, NULL, "vpc-a");

		ASSERT_NE(NULL, e) TH_LOG("no DEL_ROUTE event for the /32");
		EXPECT_EQ(CLINK_ROUTE_CLASSICLINK, e->route_type);
		EXPECT_TRUE(e->has_route_dst && cl_pfx_eq(&e->route_dst, "10.1.2.3/32"));
	}
	cl_vec_free(&routes);
	cl_events_close(&ev);
}

/* ------------------------------------------------------------------ */
/* 5. What invalidates a link                                           */

CLINK_FIXTURE(event);

TEST_F(event, ip_change_unlinks_and_emits_del_link_ip_changed)
{
	struct clink *c = &self->c;
	struct cl_inst_info i;
	struct cl_events ev;
	struct cl_event *e;

	ASSERT_CL_OK(c, cl_vpc_cl(c, "vpc-a", 100, "172.16.0.0/16"));
	ASSERT_CL_OK(c, cl_inst_new(c, "i-1", "10.1.2.3"));
	ASSERT_CL_OK(c, cl_link(c, "i-1", "vpc-a"));
	ASSERT_EQ(0, cl_events_open(&ev));

	/* the same address changes nothing */
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_SET_INSTANCE, 0, AS(CLINK_A_INST_ID, "i-1"),
			      AADDR(CLINK_A_INST_ADDR, "10.1.2.3")));
	EXPECT_EQ(1, n_links(c, NULL));
	cl_events_drain(&ev, 100);
	EXPECT_EQ(0, cl_events_count(&ev, CLINK_CMD_DEL_LINK, -1, NULL, NULL));
	cl_events_clear(&ev);

	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_SET_INSTANCE, 0, AS(CLINK_A_INST_ID, "i-1"),
			      AADDR(CLINK_A_INST_ADDR, "10.9.9.9")));
	EXPECT_EQ(0, n_links(c, NULL));
	EXPECT_EQ(0, route_present(c, "vpc-a", "10.1.2.3", NULL));
	EXPECT_EQ(0, route_present(c, "vpc-a", "10.9.9.9", NULL));
	EXPECT_EQ(0, vpc_n_links(c, "vpc-a"));
	ASSERT_CL_OK(c, cl_get_inst(c, "i-1", &i));
	EXPECT_EQ(cl_ip("10.9.9.9"), i.addr);
	EXPECT_FALSE(i.linked);

	cl_events_drain(&ev, 200);
	EXPECT_EQ(1, cl_events_count(&ev, CLINK_CMD_DEL_LINK, CLINK_EVENT_IP_CHANGED,
				     "i-1", "vpc-a"))
		cl_events_print(&ev);
	e = cl_events_find(&ev, CLINK_CMD_DEL_ROUTE, NULL, "vpc-a");
	EXPECT_TRUE(e && e->route_type == CLINK_ROUTE_CLASSICLINK &&
		    cl_pfx_eq(&e->route_dst, "10.1.2.3/32"))
		cl_events_print(&ev);
	cl_events_clear(&ev);

	/* the old address is free, and the instance can link again */
	EXPECT_CL_OK(c, cl_inst_new(c, "i-2", "10.1.2.3"));
	EXPECT_CL_OK(c, cl_link(c, "i-1", "vpc-a"));
	EXPECT_EQ(1, route_present(c, "vpc-a", "10.9.9.9", "i-1"));

	/* NEW_INSTANCE replacing the address invalidates the link the same way */
	cl_events_drain(&ev, 50);
	cl_events_clear(&ev);
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_NEW_INSTANCE, 0, AREPLACE,
			      AS(CLINK_A_INST_ID, "i-1"),
			      AADDR(CLINK_A_INST_ADDR, "10.8.8.8")));
	EXPECT_EQ(0, n_links(c, NULL));
	EXPECT_EQ(0, route_present(c, "vpc-a", "10.9.9.9", NULL));
	cl_events_drain(&ev, 200);
	EXPECT_EQ(1, cl_events_count(&ev, CLINK_CMD_DEL_LINK, CLINK_EVENT_IP_CHANGED,
				     "i-1", "vpc-a"))
		cl_events_print(&ev);
	cl_events_close(&ev);

	/* and so does replacing it with another account */
	ASSERT_CL_OK(c, cl_link(c, "i-1", "vpc-a"));
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_NEW_INSTANCE, 0, AREPLACE,
			      AS(CLINK_A_INST_ID, "i-1"),
			      AADDR(CLINK_A_INST_ADDR, "10.8.8.8"),
			      AS(CLINK_A_INST_ACCOUNT, "123456789012")));
	EXPECT_EQ(0, n_links(c, NULL));
	EXPECT_EQ(0, route_present(c, "vpc-a", "10.8.8.8", NULL));
}

TEST_F(event, instance_deletion_unlinks_and_emits_del_link_instance_deleted)
{
	struct clink *c = &self->c;
	struct cl_events ev;
	struct cl_dev_info d;

	ASSERT_CL_OK(c, cl_vpc_cl(c, "vpc-a", 100, "172.16.0.0/16"));
	ASSERT_CL_OK(c, cl_inst_new(c, "i-1", "10.1.2.3"));
	ASSERT_CL_OK(c, cl_inst_new(c, "i-2", "10.1.2.4"));
	ASSERT_CL_OK(c, cl_link(c, "i-1", "vpc-a"));
	ASSERT_CL_OK(c, cl_link(c, "i-2", "vpc-a"));
	ASSERT_EQ(0, cl_events_open(&ev));

	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_DEL_INSTANCE, 0, AS(CLINK_A_INST_ID, "i-1")));
	EXPECT_EQ(0, route_present(c, "vpc-a", "10.1.2.3", NULL));
	EXPECT_EQ(1, route_present(c, "vpc-a", "10.1.2.4", "i-2"));
	EXPECT_EQ(1, vpc_n_links(c, "vpc-a"));
	EXPECT_EQ(1, n_links(c, NULL));
	ASSERT_CL_OK(c, cl_get_dev(c, &d));
	EXPECT_EQ(1, d.n_insts);
	EXPECT_EQ(1, d.n_links);

	cl_events_drain(&ev, 200);
	EXPECT_EQ(1, cl_events_count(&ev, CLINK_CMD_DEL_LINK,
				     CLINK_EVENT_INSTANCE_DELETED, "i-1", "vpc-a"))
		cl_events_print(&ev);
	EXPECT_EQ(1, cl_events_count(&ev, CLINK_CMD_DEL_INSTANCE, -1, "i-1", NULL))
		cl_events_print(&ev);
	EXPECT_EQ(0, cl_events_count(&ev, CLINK_CMD_DEL_LINK, -1, "i-2", NULL));
	cl_events_close(&ev);

	/* the VPC is free once the last link goes */
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_DEL_INSTANCE, 0, AS(CLINK_A_INST_ID, "i-2")));
	EXPECT_CL_OK(c, cl_vpc_del(c, "vpc-a"));
}

TEST_F(event, every_change_is_announced_with_device_and_reason)
{
	struct clink *c = &self->c;
	struct cl_events ev;
	struct cl_event *e;
	size_t i;

	ASSERT_EQ(0, cl_events_open(&ev));
	ASSERT_CL_OK(c, cl_vpc_new(c, "vpc-a", 100, "172.16.0.0/16"));
	ASSERT_CL_OK(c, cl_vpc_classiclink(c, "vpc-a", 1));
	ASSERT_CL_OK(c, cl_inst_new(c, "i-1", "10.1.2.3"));
	ASSERT_CL_OK(c, cl_ep_new(c, "vpc-a", "172.16.0.10", "192.0.2.1",
				  "02:00:00:00:00:01"));
	ASSERT_CL_OK(c, cl_route_new(c, "vpc-a", "192.168.0.0/16", CLINK_NEXTHOP_VPN));
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_SET_DEV, 0, AU32(CLINK_A_DEV_MAX_VPCS, 1000)));
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_DEL_ENDPOINT, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
			      AADDR(CLINK_A_EP_ADDR, "172.16.0.10")));
	ASSERT_CL_OK(c, cl_vpc_classiclink(c, "vpc-a", 0));
	ASSERT_CL_OK(c, cl_vpc_del(c, "vpc-a"));
	cl_events_drain(&ev, 300);

	EXPECT_EQ(1, cl_events_count(&ev, CLINK_CMD_NEW_VPC, -1, NULL, "vpc-a"));
	EXPECT_EQ(2, cl_events_count(&ev, CLINK_CMD_SET_VPC, -1, NULL, "vpc-a"));
	EXPECT_EQ(1, cl_events_count(&ev, CLINK_CMD_NEW_INSTANCE, -1, "i-1", NULL));
	EXPECT_EQ(1, cl_events_count(&ev, CLINK_CMD_NEW_ENDPOINT, -1, NULL, "vpc-a"));
	EXPECT_EQ(1, cl_events_count(&ev, CLINK_CMD_DEL_ENDPOINT, -1, NULL, "vpc-a"));
	EXPECT_EQ(1, cl_events_count(&ev, CLINK_CMD_NEW_ROUTE, -1, NULL, "vpc-a"));
	EXPECT_EQ(1, cl_events_count(&ev, CLINK_CMD_SET_DEV, -1, NULL, NULL));
	EXPECT_EQ(1, cl_events_count(&ev, CLINK_CMD_DEL_VPC, -1, NULL, "vpc-a"));
	e = cl_events_find(&ev, CLINK_CMD_NEW_ROUTE, NULL, "vpc-a");
	EXPECT_TRUE(e && e->route_type == CLINK_ROUTE_CUSTOM);
	for (i = 0; i < ev.ev.n; i++) {
		e = CL_AT(&ev.ev, struct cl_event, i);
		EXPECT_EQ(c->ifindex, e->ifindex) TH_LOG("event %d without ifindex", e->cmd);
		EXPECT_STREQ(CL_DEVNAME, e->ifname);
		EXPECT_TRUE(e->reason >= 0 && e->reason <= CLINK_EVENT_MAX)
			TH_LOG("event %d: reason %d", e->cmd, e->reason);
	}
	/* a rejected request is not announced */
	cl_events_clear(&ev);
	EXPECT_NE(0, cl_vpc_del(c, "vpc-a"));
	EXPECT_NE(0, cl_inst_new(c, "i-2", "10.1.2.3"));
	cl_events_drain(&ev, 200);
	EXPECT_EQ(0, ev.ev.n) cl_events_print(&ev);
	cl_events_close(&ev);
}

/* ------------------------------------------------------------------ */
/* 6. FLUSH_LINKS                                                       */

TEST_F(link, flush_unlinks_every_instance_of_the_vpc)
{
	struct clink *c = &self->c;
	struct cl_events ev;
	struct cl_batch b;
	char addr[32];
	int k;

	ASSERT_CL_OK(c, cl_vpc_cl(c, "vpc-a", 100, "172.16.0.0/16"));
	ASSERT_CL_OK(c, cl_vpc_cl(c, "vpc-b", 101, "172.17.0.0/16"));
	ASSERT_EQ(0, cl_make_instances(c, "10.1", 0, 7, &b));
	ASSERT_EQ(0, cl_link_instances(c, 0, 5, "vpc-a", &b));
	ASSERT_EQ(0, cl_link_instances(c, 5, 2, "vpc-b", &b));
	ASSERT_EQ(0, cl_events_open(&ev));

	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_FLUSH_LINKS, 0, AS(CLINK_A_VPC_ID, "vpc-a")));
	EXPECT_EQ(0, vpc_n_links(c, "vpc-a"));
	EXPECT_EQ(2, vpc_n_links(c, "vpc-b"));
	EXPECT_EQ(2, n_links(c, NULL));
	for (k = 0; k < 7; k++) {
		snprintf(addr, sizeof(addr), "10.1.0.%d", k);
		EXPECT_EQ(k >= 5, route_present(c, k < 5 ? "vpc-a" : "vpc-b", addr, NULL))
			TH_LOG("route to %s", addr);
	}
	cl_events_drain(&ev, 300);
	EXPECT_EQ(5, cl_events_count(&ev, CLINK_CMD_DEL_LINK, CLINK_EVENT_FLUSHED,
				     NULL, "vpc-a"))
		cl_events_print(&ev);
	EXPECT_EQ(0, cl_events_count(&ev, CLINK_CMD_DEL_LINK, -1, NULL, "vpc-b"));
	cl_events_close(&ev);

	/* flushing nothing is no error; an unknown VPC is */
	EXPECT_CL_OK(c, CLREQ(c, CLINK_CMD_FLUSH_LINKS, 0, AS(CLINK_A_VPC_ID, "vpc-a")));
	EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_FLUSH_LINKS, 0, AS(CLINK_A_VPC_ID, "vpc-x")),
		       -ENOENT, NULL);
	/* now the VPC can go */
	EXPECT_CL_OK(c, cl_vpc_classiclink(c, "vpc-a", 0));
	EXPECT_CL_OK(c, cl_vpc_del(c, "vpc-a"));
}

/* ------------------------------------------------------------------ */
/* Other limits: ENOSPC, the message names the limit                    */

CLINK_FIXTURE(limit);

TEST_F(limit, custom_routes_and_acls_per_vpc)
{
	struct clink *c = &self->c;
	struct cl_batch b;
	char dst[32];
	int k;

	ASSERT_CL_OK(c, cl_vpc_new(c, "vpc-a", 100, "172.16.0.0/16"));
	cl_batch_init(&b, c);
	for (k = 0; k < CLINK_MAX_ROUTES; k++) {
		snprintf(dst, sizeof(dst), "192.168.%d.0/24", k);
		CLBATCH(&b, CLINK_CMD_NEW_ROUTE, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
			APFX(CLINK_A_ROUTE_DST, dst),
			AU8(CLINK_A_ROUTE_NEXTHOP, CLINK_NEXTHOP_VPN));
	}
	for (k = 0; k < CLINK_MAX_ACLS; k++)
		CLBATCH(&b, CLINK_CMD_NEW_ACL, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
			AU32(CLINK_A_ACL_PRIO, k), AU8(CLINK_A_ACL_DIR, CLINK_ACL_TO_VPC),
			AU8(CLINK_A_ACL_ACTION, CLINK_ACL_ALLOW));
	ASSERT_BATCH_OK(&b);
	EXPECT_CL_FAIL(c, cl_route_new(c, "vpc-a", "192.169.0.0/16", CLINK_NEXTHOP_VPN),
		       -ENOSPC, "route,256");
	EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_NEW_ACL, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
				AU32(CLINK_A_ACL_PRIO, 9999),
				AU8(CLINK_A_ACL_DIR, CLINK_ACL_TO_VPC),
				AU8(CLINK_A_ACL_ACTION, CLINK_ACL_DENY)),
		       -ENOSPC, "256");
	/* replacing within the limit still works */
	EXPECT_CL_OK(c, CLREQ(c, CLINK_CMD_NEW_ROUTE, 0, AREPLACE, AS(CLINK_A_VPC_ID, "vpc-a"),
			      APFX(CLINK_A_ROUTE_DST, "192.168.0.0/24"),
			      AU8(CLINK_A_ROUTE_NEXTHOP, CLINK_NEXTHOP_NAT)));
}

TEST_F(limit, device_bounds_on_vpcs_instances_endpoints)
{
	struct clink *c = &self->c;
	struct cl_dev_info d;

	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_SET_DEV, 0, AU32(CLINK_A_DEV_MAX_VPCS, 2),
			      AU32(CLINK_A_DEV_MAX_INSTANCES, 3),
			      AU32(CLINK_A_DEV_MAX_ENDPOINTS, 2)));
	ASSERT_CL_OK(c, cl_vpc_new(c, "vpc-a", 100, "172.16.0.0/16"));
	ASSERT_CL_OK(c, cl_vpc_new(c, "vpc-b", 101, "172.17.0.0/16"));
	EXPECT_CL_FAIL(c, cl_vpc_new(c, "vpc-c", 102, "172.18.0.0/16"), -ENOSPC, "vpc,2");
	ASSERT_CL_OK(c, cl_inst_new(c, "i-1", "10.1.2.1"));
	ASSERT_CL_OK(c, cl_inst_new(c, "i-2", "10.1.2.2"));
	ASSERT_CL_OK(c, cl_inst_new(c, "i-3", "10.1.2.3"));
	EXPECT_CL_FAIL(c, cl_inst_new(c, "i-4", "10.1.2.4"), -ENOSPC, "instance,3");
	ASSERT_CL_OK(c, cl_ep_new(c, "vpc-a", "172.16.0.10", "192.0.2.1", "02:00:00:00:00:01"));
	ASSERT_CL_OK(c, cl_ep_new(c, "vpc-b", "172.17.0.10", "192.0.2.1", "02:00:00:00:00:02"));
	EXPECT_CL_FAIL(c, cl_ep_new(c, "vpc-b", "172.17.0.11", "192.0.2.1",
				    "02:00:00:00:00:03"), -ENOSPC, "endpoint,2");
	/* bounds cannot drop below the counts */
	EXPECT_NE(0, CLREQ(c, CLINK_CMD_SET_DEV, 0, AU32(CLINK_A_DEV_MAX_VPCS, 1)));
	EXPECT_NE(0, CLREQ(c, CLINK_CMD_SET_DEV, 0, AU32(CLINK_A_DEV_MAX_INSTANCES, 2)));
	/* deleting a VPC frees its endpoints */
	ASSERT_CL_OK(c, cl_vpc_del(c, "vpc-b"));
	ASSERT_CL_OK(c, cl_get_dev(c, &d));
	EXPECT_EQ(1, d.n_vpcs);
	EXPECT_EQ(1, d.n_eps);
	EXPECT_EQ(2, d.max_vpcs);
	EXPECT_CL_OK(c, cl_vpc_new(c, "vpc-c", 102, "172.18.0.0/16"));
	EXPECT_CL_OK(c, cl_ep_new(c, "vpc-c", "172.18.0.10", "192.0.2.1",
				  "02:00:00:00:00:04"));
	EXPECT_CL_FAIL(c, cl_vpc_classiclink(c, "vpc-x", 1), -ENOENT, NULL);
}

/* ------------------------------------------------------------------ */
/* 7. EEXIST, and CLINK_A_REPLACE updating in place                     */

CLINK_FIXTURE(replace);

TEST_F(replace, vpc)
{
	struct clink *c = &self->c;
	struct cl_vpc_info v;
	struct cl_dev_info d;

	ASSERT_CL_OK(c, cl_vpc_new(c, "vpc-a", 100, "172.16.0.0/16"));
	EXPECT_CL_FAIL(c, cl_vpc_new(c, "vpc-a", 100, "172.16.0.0/16"), -EEXIST, "vpc-a");
	/* NLM_F_REPLACE itself is refused: netlink_policy.c */

	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_NEW_VPC, 0, AREPLACE,
			      AS(CLINK_A_VPC_ID, "vpc-a"), AU32(CLINK_A_VPC_VNI, 200),
			      APFX(CLINK_A_VPC_CIDR, "172.20.0.0/16"),
			      AS(CLINK_A_VPC_ACCOUNT, "123456789012")));
	ASSERT_CL_OK(c, cl_get_vpc(c, "vpc-a", &v));
	EXPECT_EQ(200, v.vni);
	EXPECT_TRUE(cl_pfx_eq(&v.cidr, "172.20.0.0/16"));
	EXPECT_STREQ("123456789012", v.account);
	ASSERT_CL_OK(c, cl_get_dev(c, &d));
	EXPECT_EQ(1, d.n_vpcs);
	/* the old VNI is free again */
	EXPECT_CL_OK(c, cl_vpc_new(c, "vpc-b", 100, "172.16.0.0/16"));

	/* with links, VNI, CIDR, region and account are frozen */
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_NEW_VPC, 0, AREPLACE,
			      AS(CLINK_A_VPC_ID, "vpc-a"), AU32(CLINK_A_VPC_VNI, 200),
			      APFX(CLINK_A_VPC_CIDR, "172.20.0.0/16")));
	ASSERT_CL_OK(c, cl_vpc_classiclink(c, "vpc-a", 1));
	ASSERT_CL_OK(c, cl_inst_new(c, "i-1", "10.1.2.3"));
	ASSERT_CL_OK(c, cl_link(c, "i-1", "vpc-a"));
	EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_NEW_VPC, 0, AREPLACE,
				AS(CLINK_A_VPC_ID, "vpc-a"), AU32(CLINK_A_VPC_VNI, 300),
				APFX(CLINK_A_VPC_CIDR, "172.20.0.0/16")),
		       -EBUSY, NULL);
	EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_NEW_VPC, 0, AREPLACE,
				AS(CLINK_A_VPC_ID, "vpc-a"), AU32(CLINK_A_VPC_VNI, 200),
				APFX(CLINK_A_VPC_CIDR, "172.21.0.0/16")),
		       -EBUSY, NULL);
	ASSERT_CL_OK(c, cl_get_vpc(c, "vpc-a", &v));
	EXPECT_EQ(200, v.vni);
	EXPECT_TRUE(cl_pfx_eq(&v.cidr, "172.20.0.0/16"));
	EXPECT_EQ(1, v.n_links);
	EXPECT_EQ(1, v.classiclink);
	/* re-applying the same configuration is idempotent, link kept */
	EXPECT_CL_OK(c, CLREQ(c, CLINK_CMD_NEW_VPC, 0, AREPLACE,
			      AS(CLINK_A_VPC_ID, "vpc-a"), AU32(CLINK_A_VPC_VNI, 200),
			      APFX(CLINK_A_VPC_CIDR, "172.20.0.0/16")));
	EXPECT_EQ(1, vpc_n_links(c, "vpc-a"));
	EXPECT_EQ(1, route_present(c, "vpc-a", "10.1.2.3", "i-1"));
}

TEST_F(replace, instance)
{
	struct clink *c = &self->c;
	struct cl_inst_info i;

	ASSERT_CL_OK(c, cl_inst_new(c, "i-1", "10.1.2.3"));
	EXPECT_CL_FAIL(c, cl_inst_new(c, "i-1", "10.1.2.4"), -EEXIST, "i-1");
	ASSERT_CL_OK(c, cl_get_inst(c, "i-1", &i));
	EXPECT_EQ(cl_ip("10.1.2.3"), i.addr);

	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_NEW_INSTANCE, 0, AREPLACE,
			      AS(CLINK_A_INST_ID, "i-1"),
			      AADDR(CLINK_A_INST_ADDR, "10.1.2.4"),
			      AS(CLINK_A_INST_ACCOUNT, "123456789012")));
	ASSERT_CL_OK(c, cl_get_inst(c, "i-1", &i));
	EXPECT_EQ(cl_ip("10.1.2.4"), i.addr);
	EXPECT_STREQ("123456789012", i.account);
	/* the old address was released, the new one is taken */
	EXPECT_CL_OK(c, cl_inst_new(c, "i-2", "10.1.2.3"));
	EXPECT_CL_FAIL(c, cl_inst_new(c, "i-3", "10.1.2.4"), -EADDRINUSE, NULL);
}

TEST_F(replace, endpoint)
{
	struct clink *c = &self->c;
	struct cl_vec eps = CL_VEC(struct cl_ep);
	struct cl_ep *e;

	ASSERT_CL_OK(c, cl_vpc_new(c, "vpc-a", 100, "172.16.0.0/16"));
	ASSERT_CL_OK(c, cl_ep_new(c, "vpc-a", "172.16.0.10", "192.0.2.1",
				  "02:00:00:00:00:01"));
	EXPECT_CL_FAIL(c, cl_ep_new(c, "vpc-a", "172.16.0.10", "192.0.2.2",
				    "02:00:00:00:00:02"), -EEXIST, NULL);
	EXPECT_CL_FAIL(c, cl_ep_new(c, "vpc-a", "172.17.0.10", "192.0.2.2",
				    "02:00:00:00:00:02"), -EINVAL, "cidr|172.17.0.10");
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_NEW_ENDPOINT, 0, AREPLACE,
			      AS(CLINK_A_VPC_ID, "vpc-a"),
			      AADDR(CLINK_A_EP_ADDR, "172.16.0.10"),
			      AADDR(CLINK_A_EP_VTEP, "192.0.2.2"),
			      AMAC(CLINK_A_EP_MAC, "02:00:00:00:00:02")));
	ASSERT_CL_OK(c, cl_endpoints(c, NULL, &eps));
	ASSERT_EQ(1, eps.n);
	e = CL_AT(&eps, struct cl_ep, 0);
	EXPECT_EQ(cl_ip("172.16.0.10"), e->addr);
	EXPECT_EQ(cl_ip("192.0.2.2"), e->vtep);
	EXPECT_EQ(6, e->mac_len);
	EXPECT_EQ(2, e->mac[5]);
	EXPECT_STREQ("vpc-a", e->vpc);
	cl_vec_free(&eps);
}

TEST_F(replace, route)
{
	struct clink *c = &self->c;
	struct cl_vec routes = CL_VEC(struct cl_route);
	struct cl_route *rt;

	ASSERT_CL_OK(c, cl_vpc_new(c, "vpc-a", 100, "172.16.0.0/16"));
	ASSERT_CL_OK(c, cl_route_new(c, "vpc-a", "192.168.0.0/16", CLINK_NEXTHOP_VPN));
	EXPECT_CL_FAIL(c, cl_route_new(c, "vpc-a", "192.168.0.0/16", CLINK_NEXTHOP_NAT),
		       -EEXIST, NULL);
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_NEW_ROUTE, 0, AREPLACE,
			      AS(CLINK_A_VPC_ID, "vpc-a"),
			      APFX(CLINK_A_ROUTE_DST, "192.168.0.0/16"),
			      AU8(CLINK_A_ROUTE_NEXTHOP, CLINK_NEXTHOP_PEERING)));
	ASSERT_CL_OK(c, cl_routes(c, "vpc-a", &routes));
	rt = cl_route_find(&routes, "192.168.0.0/16");
	ASSERT_NE(NULL, rt);
	EXPECT_EQ(CLINK_ROUTE_CUSTOM, rt->type);
	EXPECT_EQ(CLINK_NEXTHOP_PEERING, rt->nexthop);
	EXPECT_EQ(2, routes.n);
	cl_vec_free(&routes);
}

TEST_F(replace, acl)
{
	struct clink *c = &self->c;
	struct cl_vec acls = CL_VEC(struct cl_acl);
	struct cl_acl *a;

	ASSERT_CL_OK(c, cl_vpc_new(c, "vpc-a", 100, "172.16.0.0/16"));
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_NEW_ACL, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
			      AU32(CLINK_A_ACL_PRIO, 10),
			      AU8(CLINK_A_ACL_DIR, CLINK_ACL_TO_VPC),
			      AU8(CLINK_A_ACL_ACTION, CLINK_ACL_ALLOW),
			      AU8(CLINK_A_ACL_PROTO, 6),
			      AU16(CLINK_A_ACL_DPORT_MIN, 22),
			      AU16(CLINK_A_ACL_DPORT_MAX, 22)));
	EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_NEW_ACL, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
				AU32(CLINK_A_ACL_PRIO, 10),
				AU8(CLINK_A_ACL_DIR, CLINK_ACL_TO_VPC),
				AU8(CLINK_A_ACL_ACTION, CLINK_ACL_DENY)),
		       -EEXIST, NULL);
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_NEW_ACL, 0, AREPLACE,
			      AS(CLINK_A_VPC_ID, "vpc-a"),
			      AU32(CLINK_A_ACL_PRIO, 10),
			      AU8(CLINK_A_ACL_DIR, CLINK_ACL_TO_CLASSIC),
			      AU8(CLINK_A_ACL_ACTION, CLINK_ACL_DENY),
			      APFX(CLINK_A_ACL_SRC, "172.16.1.0/24")));
	ASSERT_CL_OK(c, cl_acls(c, "vpc-a", &acls));
	ASSERT_EQ(1, acls.n);
	a = CL_AT(&acls, struct cl_acl, 0);
	EXPECT_EQ(10, a->prio);
	EXPECT_EQ(CLINK_ACL_TO_CLASSIC, a->dir);
	EXPECT_EQ(CLINK_ACL_DENY, a->action);
	/* replaced as a whole: the omitted fields are back to their defaults */
	EXPECT_EQ(0, a->proto);
	EXPECT_TRUE(cl_pfx_eq(&a->src, "172.16.1.0/24"));
	EXPECT_TRUE(cl_pfx_eq(&a->dst, "0.0.0.0/0"));
	EXPECT_EQ(0, a->dport_min);
	EXPECT_EQ(65535, a->dport_max);
	EXPECT_TRUE(a->has_hits);
	cl_vec_free(&acls);
}

TEST_HARNESS_MAIN
