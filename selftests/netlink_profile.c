// SPDX-License-Identifier: GPL-2.0
/*
 * Profiles (CLINK_A_DEV_PROFILE): every sentence about address ranges and
 * quotas in the ClassicLink limits of Tencent, Alibaba and AWS, as a row
 * of a table: the profile, what is tried, and accepted or the errno and
 * the words of the extack that name the rule. The rows are the variants
 * of one test; Documentation/clink.rst lists them against the clouds'
 * sentences. Then the profile attribute itself: what dev show reports,
 * and what makes a device custom again.
 */
#define _GNU_SOURCE
#include "lib_clink_nl.h"
#include "kselftest_harness.h"

enum op {
	ENABLE,		/* VPC @cidr (@route, @reach): ClassicLink on */
	INSTANCE,	/* a classic instance at @addr */
	QUOTA,		/* @quota links to VPC @cidr, then one more */
	ONE_VPC,	/* an instance at @addr linked to @cidr, then @cidr2 */
	REGION,		/* VPC @cidr of another region: ClassicLink on */
};

FIXTURE(rule) {
	struct clink c;
};

FIXTURE_VARIANT(rule) {
	uint8_t profile;
	enum op op;
	const char *cidr, *cidr2, *reach, *route, *addr;
	int quota;
	int err;		/* 0: accepted */
	const char *msg;	/* the extack's key words when refused */
};

FIXTURE_SETUP(rule)
{
	char why[512] = "";

	ASSERT_EQ(0, cl_setup_netns_dev(&self->c, why, sizeof(why)))
		TH_LOG("setup: %s", why);
}

FIXTURE_TEARDOWN(rule)
{
	cl_close(&self->c);
}

#define ROW(name, p, ...) \
	FIXTURE_VARIANT_ADD(rule, name) { .profile = CLINK_PROFILE_##p, __VA_ARGS__ }

/* Tencent, "Use limits" */
ROW(tencent_vpc_10_0_0_0_16, TENCENT, .op = ENABLE, .cidr = "10.0.0.0/16");
ROW(tencent_vpc_10_47_0_0_16, TENCENT, .op = ENABLE, .cidr = "10.47.0.0/16");
ROW(tencent_vpc_subset_10_20_1_0_24, TENCENT, .op = ENABLE, .cidr = "10.20.1.0/24");
ROW(tencent_vpc_10_48_0_0_16, TENCENT, .op = ENABLE, .cidr = "10.48.0.0/16",
    .err = -EINVAL, .msg = "VPC CIDR 10.48.0.0/16,overlaps the classic space 10.48.0.0/12");
ROW(tencent_vpc_172_16_0_0_16, TENCENT, .op = ENABLE, .cidr = "172.16.0.0/16",
    .err = -EINVAL, .msg = "VPC CIDR 172.16.0.0/16,outside the vpc-eligible prefixes");
ROW(tencent_vpc_192_168_0_0_16, TENCENT, .op = ENABLE, .cidr = "192.168.0.0/16",
    .err = -EINVAL, .msg = "outside the vpc-eligible prefixes");
ROW(tencent_instance_10_48_0_5, TENCENT, .op = INSTANCE, .addr = "10.48.0.5");
ROW(tencent_instance_10_1_0_5, TENCENT, .op = INSTANCE, .addr = "10.1.0.5",
    .err = -EINVAL, .msg = "10.1.0.5,outside the classic space");
ROW(tencent_one_vpc_at_a_time, TENCENT, .op = ONE_VPC, .cidr = "10.0.0.0/16",
    .cidr2 = "10.1.0.0/16", .addr = "10.200",
    .err = -EEXIST, .msg = "already linked to VPC vpc-a");
ROW(tencent_100_links_per_vpc, TENCENT, .op = QUOTA, .cidr = "10.0.0.0/16",
    .addr = "10.200", .quota = 100,
    .err = -ENOSPC, .msg = "device's limit of 100 links (max-links-per-vpc)");
ROW(tencent_same_region, TENCENT, .op = REGION, .cidr = "10.0.0.0/16",
    .err = -EXDEV, .msg = "region");

/* Alibaba, "Limits" and "How ClassicLink works" */
ROW(alibaba_1000_links_per_vpc, ALIBABA, .op = QUOTA, .cidr = "172.16.0.0/12",
    .addr = "10.1", .quota = 1000,
    .err = -ENOSPC, .msg = "device's limit of 1000 links (max-links-per-vpc)");
ROW(alibaba_one_vpc_at_a_time, ALIBABA, .op = ONE_VPC, .cidr = "172.16.0.0/16",
    .cidr2 = "192.168.0.0/16", .addr = "10.1",
    .err = -EEXIST, .msg = "already linked to VPC vpc-a");
ROW(alibaba_vpc_172_16_0_0_12, ALIBABA, .op = ENABLE, .cidr = "172.16.0.0/12");
ROW(alibaba_vpc_172_16_0_0_12_route_10_0_0_0_8, ALIBABA, .op = ENABLE,
    .cidr = "172.16.0.0/12", .route = "10.0.0.0/8",
    .err = -EINVAL, .msg = "custom route 10.0.0.0/8,overlaps the classic space");
ROW(alibaba_vpc_10_0_0_0_8, ALIBABA, .op = ENABLE, .cidr = "10.0.0.0/8",
    .err = -EINVAL, .msg = "VPC CIDR 10.0.0.0/8,overlaps the classic space");
ROW(alibaba_vpc_10_0_0_0_8_vswitch_10_111_1_0_24, ALIBABA, .op = ENABLE,
    .cidr = "10.0.0.0/8", .reach = "10.111.1.0/24");
ROW(alibaba_vpc_10_0_0_0_8_vswitch_10_112_1_0_24, ALIBABA, .op = ENABLE,
    .cidr = "10.0.0.0/8", .reach = "10.112.1.0/24",
    .err = -EINVAL, .msg = "reach 10.112.1.0/24,overlaps the classic space 10.112.0.0/12");
ROW(alibaba_vpc_192_168_0_0_16, ALIBABA, .op = ENABLE, .cidr = "192.168.0.0/16");
ROW(alibaba_vpc_192_168_0_0_16_route_10_0_0_0_8, ALIBABA, .op = ENABLE,
    .cidr = "192.168.0.0/16", .route = "10.0.0.0/8",
    .err = -EINVAL, .msg = "custom route 10.0.0.0/8,overlaps the classic space");
ROW(alibaba_vpc_10_111_0_0_16, ALIBABA, .op = ENABLE, .cidr = "10.111.0.0/16");
ROW(alibaba_vpc_100_64_0_0_16, ALIBABA, .op = ENABLE, .cidr = "100.64.0.0/16",
    .err = -EINVAL, .msg = "VPC CIDR 100.64.0.0/16,outside the vpc-eligible prefixes");
ROW(alibaba_instance_10_1_0_5, ALIBABA, .op = INSTANCE, .addr = "10.1.0.5");
ROW(alibaba_instance_10_111_0_5, ALIBABA, .op = INSTANCE, .addr = "10.111.0.5",
    .err = -EINVAL, .msg = "10.111.0.5,outside the classic space");

/* AWS, EnableVpcClassicLink and "ClassicLink limitations" */
ROW(aws_vpc_10_0_0_0_16, AWS, .op = ENABLE, .cidr = "10.0.0.0/16");
ROW(aws_vpc_10_1_0_0_16, AWS, .op = ENABLE, .cidr = "10.1.0.0/16");
ROW(aws_vpc_10_2_0_0_16, AWS, .op = ENABLE, .cidr = "10.2.0.0/16",
    .err = -EINVAL, .msg = "VPC CIDR 10.2.0.0/16,overlaps the classic space 10.2.0.0/15");
ROW(aws_vpc_10_200_0_0_16, AWS, .op = ENABLE, .cidr = "10.200.0.0/16",
    .err = -EINVAL, .msg = "overlaps the classic space 10.128.0.0/9");
ROW(aws_vpc_172_31_0_0_16, AWS, .op = ENABLE, .cidr = "172.31.0.0/16");
ROW(aws_vpc_172_31_0_0_16_route_10_50_0_0_16, AWS, .op = ENABLE,
    .cidr = "172.31.0.0/16", .route = "10.50.0.0/16",
    .err = -EINVAL, .msg = "custom route 10.50.0.0/16,overlaps the classic space");
ROW(aws_one_vpc_at_a_time, AWS, .op = ONE_VPC, .cidr = "172.31.0.0/16",
    .cidr2 = "10.0.0.0/16", .addr = "10.200",
    .err = -EEXIST, .msg = "already linked to VPC vpc-a");
ROW(aws_no_documented_quota, AWS, .op = QUOTA, .cidr = "172.31.0.0/16",
    .quota = CLINK_MAX_LINKS_PER_VPC);

/* The expected outcome of @call: accepted, or the row's errno and words. */
#define EXPECT_ROW(c, v, call) do {						\
	if ((v)->err)								\
		EXPECT_CL_FAIL(c, call, (v)->err, (v)->msg);			\
	else									\
		EXPECT_CL_OK(c, call);						\
} while (0)

static int enable(struct clink *c, const FIXTURE_VARIANT(rule) *v)
{
	if (!v->reach)
		return cl_vpc_classiclink(c, "vpc-a", 1);
	return CLREQ(c, CLINK_CMD_SET_VPC, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
		     AU8(CLINK_A_VPC_CLASSICLINK, 1),
		     APFX(CLINK_A_VPC_REACH, v->reach));
}

TEST_F_TIMEOUT(rule, holds, 300)
{
	struct clink *c = &self->c;
	struct cl_dev_info d;
	struct cl_vpc_info vi;
	struct cl_batch b;
	char id[32];

	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_SET_DEV, 0,
			      AU8(CLINK_A_DEV_PROFILE, variant->profile)));
	ASSERT_CL_OK(c, cl_get_dev(c, &d));
	ASSERT_EQ(variant->profile, d.profile);

	switch (variant->op) {
	case ENABLE:
		ASSERT_CL_OK(c, cl_vpc_new(c, "vpc-a", 100, variant->cidr));
		if (variant->route)
			ASSERT_CL_OK(c, cl_route_new(c, "vpc-a", variant->route,
						     CLINK_NEXTHOP_VPN));
		EXPECT_ROW(c, variant, enable(c, variant));
		ASSERT_CL_OK(c, cl_get_vpc(c, "vpc-a", &vi));
		EXPECT_EQ(!variant->err, vi.classiclink);
		break;
	case INSTANCE:
		EXPECT_ROW(c, variant, cl_inst_new(c, "i-1", variant->addr));
		break;
	case QUOTA:
		ASSERT_EQ(variant->quota, d.max_lpv);
		/* a limit beyond what a test can link is checked as a value */
		if (variant->quota > 1000)
			break;
		ASSERT_CL_OK(c, cl_vpc_cl(c, "vpc-a", 100, variant->cidr));
		ASSERT_EQ(0, cl_make_instances(c, variant->addr, 0,
					       variant->quota + 1, &b))
			TH_LOG("%s", b.first_ext);
		ASSERT_EQ(0, cl_link_instances(c, 0, variant->quota, "vpc-a", &b))
			TH_LOG("%ld failed: %s", b.nfail, b.first_ext);
		snprintf(id, sizeof(id), "i-%d", variant->quota);
		EXPECT_ROW(c, variant, cl_link(c, id, "vpc-a"));
		break;
	case ONE_VPC:
		ASSERT_CL_OK(c, cl_vpc_cl(c, "vpc-a", 100, variant->cidr));
		ASSERT_CL_OK(c, cl_vpc_cl(c, "vpc-b", 101, variant->cidr2));
		ASSERT_EQ(0, cl_make_instances(c, variant->addr, 0, 1, &b))
			TH_LOG("%s", b.first_ext);
		ASSERT_CL_OK(c, cl_link(c, "i-0", "vpc-a"));
		EXPECT_ROW(c, variant, cl_link(c, "i-0", "vpc-b"));
		break;
	case REGION:
		ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_NEW_VPC, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
				      AU32(CLINK_A_VPC_VNI, 100),
				      APFX(CLINK_A_VPC_CIDR, variant->cidr),
				      AS(CLINK_A_VPC_REGION, "elsewhere")));
		EXPECT_ROW(c, variant, enable(c, variant));
		break;
	}
}

/* The attribute itself */

CLINK_FIXTURE(profile);

static int set_profile(struct clink *c, uint8_t p)
{
	return CLREQ(c, CLINK_CMD_SET_DEV, 0, AU8(CLINK_A_DEV_PROFILE, p));
}

TEST_F(profile, reported_and_custom_again_by_hand)
{
	struct clink *c = &self->c;
	struct cl_dev_info d;

	ASSERT_CL_OK(c, cl_get_dev(c, &d));
	EXPECT_EQ(CLINK_PROFILE_CUSTOM, d.profile);

	ASSERT_CL_OK(c, set_profile(c, CLINK_PROFILE_ALIBABA));
	ASSERT_CL_OK(c, cl_get_dev(c, &d));
	EXPECT_EQ(CLINK_PROFILE_ALIBABA, d.profile);
	EXPECT_EQ(1000, d.max_lpv);
	ASSERT_EQ(8, d.n_classic);
	EXPECT_TRUE(cl_pfx_eq(&d.classic[5], "10.110.0.0/16"));
	EXPECT_TRUE(cl_pfx_eq(&d.classic[6], "10.112.0.0/12"));
	ASSERT_EQ(3, d.n_elig);
	EXPECT_TRUE(cl_pfx_eq(&d.elig[0], "10.111.0.0/16"));

	/* a list by hand: the profile is custom, the rest stays */
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_SET_DEV, 0,
			      APFXL(CLINK_A_DEV_VPC_ELIGIBLE, "172.16.0.0/12")));
	ASSERT_CL_OK(c, cl_get_dev(c, &d));
	EXPECT_EQ(CLINK_PROFILE_CUSTOM, d.profile);
	EXPECT_EQ(1000, d.max_lpv);
	EXPECT_EQ(8, d.n_classic);
	EXPECT_EQ(1, d.n_elig);

	/* so does the limit by hand */
	ASSERT_CL_OK(c, set_profile(c, CLINK_PROFILE_TENCENT));
	ASSERT_CL_OK(c, cl_get_dev(c, &d));
	EXPECT_EQ(CLINK_PROFILE_TENCENT, d.profile);
	EXPECT_EQ(100, d.max_lpv);
	EXPECT_EQ(3, d.n_classic);
	EXPECT_EQ(2, d.n_elig);
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_SET_DEV, 0,
			      AU32(CLINK_A_DEV_MAX_LINKS_PER_VPC, 200)));
	ASSERT_CL_OK(c, cl_get_dev(c, &d));
	EXPECT_EQ(CLINK_PROFILE_CUSTOM, d.profile);

	/* custom changes nothing else; AWS has an empty vpc-eligible list */
	ASSERT_CL_OK(c, set_profile(c, CLINK_PROFILE_AWS));
	ASSERT_CL_OK(c, set_profile(c, CLINK_PROFILE_CUSTOM));
	ASSERT_CL_OK(c, cl_get_dev(c, &d));
	EXPECT_EQ(CLINK_PROFILE_CUSTOM, d.profile);
	EXPECT_EQ(CLINK_MAX_LINKS_PER_VPC, d.max_lpv);
	EXPECT_EQ(7, d.n_classic);
	EXPECT_EQ(0, d.n_elig);
}

TEST_F(profile, with_lists_or_limit_fails_with_einval)
{
	struct clink *c = &self->c;
	struct cl_dev_info d;

	EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_SET_DEV, 0,
				AU8(CLINK_A_DEV_PROFILE, CLINK_PROFILE_TENCENT),
				APFXL(CLINK_A_DEV_CLASSIC_SPACE, "10.0.0.0/8")),
		       -EINVAL, "profile tencent sets classic-space");
	EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_SET_DEV, 0,
				AU8(CLINK_A_DEV_PROFILE, CLINK_PROFILE_AWS),
				AU32(CLINK_A_DEV_MAX_LINKS_PER_VPC, 5)),
		       -EINVAL, "profile aws sets,max-links-per-vpc");
	EXPECT_CL_FAIL(c, set_profile(c, CLINK_PROFILE_MAX + 1), -ERANGE, NULL);
	ASSERT_CL_OK(c, cl_get_dev(c, &d));
	EXPECT_EQ(CLINK_PROFILE_CUSTOM, d.profile);
	EXPECT_EQ(100, d.max_lpv);
	ASSERT_EQ(1, d.n_classic);
	EXPECT_TRUE(cl_pfx_eq(&d.classic[0], "10.0.0.0/8"));
}

TEST_F(profile, fails_with_ebusy_while_classiclink_enabled)
{
	struct clink *c = &self->c;
	struct cl_dev_info d;

	ASSERT_CL_OK(c, cl_vpc_cl(c, "vpc-a", 100, "172.16.0.0/16"));
	EXPECT_CL_FAIL(c, set_profile(c, CLINK_PROFILE_ALIBABA), -EBUSY,
		       "VPC vpc-a has ClassicLink enabled");
	ASSERT_CL_OK(c, cl_get_dev(c, &d));
	EXPECT_EQ(CLINK_PROFILE_CUSTOM, d.profile);
	EXPECT_EQ(1, d.n_classic);

	ASSERT_CL_OK(c, cl_vpc_classiclink(c, "vpc-a", 0));
	ASSERT_CL_OK(c, set_profile(c, CLINK_PROFILE_ALIBABA));
	ASSERT_CL_OK(c, cl_vpc_classiclink(c, "vpc-a", 1));
	/* the same profile again changes no list: fine */
	EXPECT_CL_OK(c, set_profile(c, CLINK_PROFILE_ALIBABA));
	EXPECT_CL_FAIL(c, set_profile(c, CLINK_PROFILE_AWS), -EBUSY,
		       "VPC vpc-a has ClassicLink enabled");
}

TEST_HARNESS_MAIN
