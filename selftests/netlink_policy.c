// SPDX-License-Identifier: GPL-2.0
/*
 * The clink generic netlink family's strict attribute policy and device
 * attributes, against include/uapi/linux/clink.h: malformed requests are
 * rejected with EINVAL or ERANGE (see EOUTOFRANGE) and an extended ack, whose offset
 * names the attribute at fault, and leave the state (and the generation
 * counter) unchanged; so are requests whose genetlink header has reserved
 * bits set or nlmsg_flags beyond REQUEST, ACK, ECHO and DUMP (replacing is
 * the CLINK_A_REPLACE attribute, not NLM_F_REPLACE);
 * GET_DEV reports the documented defaults and counts that follow changes;
 * the device is selected by index, by name or as the only one.
 */
#define _GNU_SOURCE
#include "lib_clink_nl.h"
#include "kselftest_harness.h"

static uint32_t generation(struct clink *c)
{
	struct cl_dev_info d;

	return cl_get_dev(c, &d) ? CL_NONE : d.generation;
}

static int dev_set_max_lpv(struct clink *c, uint32_t v)
{
	return CLREQ(c, CLINK_CMD_SET_DEV, 0, AU32(CLINK_A_DEV_MAX_LINKS_PER_VPC, v));
}

/*
 * clink.h ("Errors"): the netlink policy core answers ERANGE for a value or
 * a length outside the policy's range, EINVAL for the other malformations.
 */
#define EOUTOFRANGE ERANGE

/*
 * A rejection by the policy: @err, an extack message, and the offset
 * pointing at @attr (a top-level attribute type, or -1 not to check).
 */
#define EXPECT_REJECTED_WITH(c, call, what, attr, err) do {			\
	int __r = (call);							\
	int __attr = (attr);							\
	EXPECT_EQ(-(err), __r)							\
		TH_LOG("%s: got %d (%s), extack \"%s\"", what, __r,		\
		       strerror(-__r), (c)->ext);				\
	EXPECT_NE(0, (c)->ext[0])						\
		TH_LOG("%s: no extack message", what);				\
	if (__attr >= 0 && __r < 0) {						\
		EXPECT_TRUE((c)->has_off && (c)->bad_type == __attr)		\
			TH_LOG("%s: extack offset names attribute %d, want %d", \
			       what, (c)->has_off ? (c)->bad_type : -1, __attr); \
	}									\
} while (0)

#define EXPECT_REJECTED(c, call, attr) \
	EXPECT_REJECTED_WITH(c, call, #call, attr, EINVAL)
#define EXPECT_OUT_OF_RANGE(c, call, attr) \
	EXPECT_REJECTED_WITH(c, call, #call, attr, EOUTOFRANGE)

CLINK_FIXTURE(policy);

TEST_F(policy, rejects_unknown_attribute)
{
	struct clink *c = &self->c;
	uint32_t gen = generation(c);

	EXPECT_REJECTED(c, CLREQ(c, CLINK_CMD_NEW_VPC, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
				 AU32(CLINK_A_VPC_VNI, 100),
				 APFX(CLINK_A_VPC_CIDR, "172.16.0.0/16"),
				 AU32(CLINK_A_MAX + 1, 1)), CLINK_A_MAX + 1);
	/* inside a nest too */
	EXPECT_REJECTED(c, CLREQ(c, CLINK_CMD_NEW_VPC, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
				 AU32(CLINK_A_VPC_VNI, 100),
				 APFX_EXTRA(CLINK_A_VPC_CIDR, "172.16.0.0/16",
					    CLINK_PREFIX_A_MAX + 1)), -1);
	EXPECT_REJECTED(c, CLREQ(c, CLINK_CMD_SET_DEV, 0,
				 APFXL(CLINK_A_DEV_CLASSIC_SPACE, "10.0.0.0/8"),
				 AU8(CLINK_A_MAX + 7, 1)), CLINK_A_MAX + 7);
	EXPECT_EQ(gen, generation(c));
	EXPECT_EQ(-ENOENT, cl_get_vpc(c, "vpc-a", &(struct cl_vpc_info){ 0 }));
}

TEST_F(policy, rejects_wrong_length_addresses)
{
	struct clink *c = &self->c;
	uint32_t gen = generation(c);
	const uint8_t five[5] = { 10, 1, 2, 3, 0 };
	const uint8_t mac5[5] = { 2, 0, 0, 0, 1 };
	/* a prefix nest whose address has 3 bytes */
	const uint8_t pfx3[] = { 7, 0, CLINK_PREFIX_A_ADDR, 0, 172, 16, 0, 0,
				 5, 0, CLINK_PREFIX_A_LEN, 0, 16, 0, 0, 0 };

	EXPECT_OUT_OF_RANGE(c, CLREQ(c, CLINK_CMD_NEW_INSTANCE, 0, AS(CLINK_A_INST_ID, "i-1"),
				 ARAW(CLINK_A_INST_ADDR, five, 3)), CLINK_A_INST_ADDR);
	EXPECT_OUT_OF_RANGE(c, CLREQ(c, CLINK_CMD_NEW_INSTANCE, 0, AS(CLINK_A_INST_ID, "i-1"),
				 ARAW(CLINK_A_INST_ADDR, five, 5)), CLINK_A_INST_ADDR);
	EXPECT_OUT_OF_RANGE(c, CLREQ(c, CLINK_CMD_NEW_VPC, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
				 AU32(CLINK_A_VPC_VNI, 100),
				 ARAW(CLINK_A_VPC_CIDR | NLA_F_NESTED, pfx3, sizeof(pfx3))),
			-1);
	ASSERT_CL_OK(c, cl_vpc_new(c, "vpc-a", 100, "172.16.0.0/16"));
	gen = generation(c);
	EXPECT_OUT_OF_RANGE(c, CLREQ(c, CLINK_CMD_NEW_ENDPOINT, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
				 AADDR(CLINK_A_EP_ADDR, "172.16.0.10"),
				 ARAW(CLINK_A_EP_VTEP, five, 2),
				 AMAC(CLINK_A_EP_MAC, "02:00:00:00:00:01")), CLINK_A_EP_VTEP);
	EXPECT_OUT_OF_RANGE(c, CLREQ(c, CLINK_CMD_NEW_ENDPOINT, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
				 AADDR(CLINK_A_EP_ADDR, "172.16.0.10"),
				 AADDR(CLINK_A_EP_VTEP, "192.0.2.1"),
				 ARAW(CLINK_A_EP_MAC, mac5, 5)), CLINK_A_EP_MAC);
	EXPECT_OUT_OF_RANGE(c, CLREQ(c, CLINK_CMD_SET_DEV, 0, ARAW(CLINK_A_DEV_LOCAL, five, 5)),
			CLINK_A_DEV_LOCAL);
	EXPECT_EQ(gen, generation(c));
}

TEST_F(policy, rejects_vni_0_and_above_24_bits)
{
	struct clink *c = &self->c;
	uint32_t gen = generation(c);

	EXPECT_OUT_OF_RANGE(c, cl_vpc_new(c, "vpc-a", 0, "172.16.0.0/16"), CLINK_A_VPC_VNI);
	EXPECT_OUT_OF_RANGE(c, cl_vpc_new(c, "vpc-a", 1 << 24, "172.16.0.0/16"),
			CLINK_A_VPC_VNI);
	EXPECT_OUT_OF_RANGE(c, cl_vpc_new(c, "vpc-a", 0xffffffff, "172.16.0.0/16"),
			CLINK_A_VPC_VNI);
	EXPECT_EQ(gen, generation(c));
	EXPECT_CL_OK(c, cl_vpc_new(c, "vpc-a", (1 << 24) - 1, "172.16.0.0/16"));
	EXPECT_CL_OK(c, cl_vpc_new(c, "vpc-b", 1, "172.17.0.0/16"));
}

TEST_F(policy, rejects_prefix_length_33)
{
	struct clink *c = &self->c;
	uint32_t gen;

	gen = generation(c);
	EXPECT_OUT_OF_RANGE(c, cl_vpc_new(c, "vpc-a", 100, "172.16.0.0/33"), -1);
	ASSERT_CL_OK(c, cl_vpc_new(c, "vpc-a", 100, "172.16.0.0/16"));
	gen = generation(c);
	EXPECT_OUT_OF_RANGE(c, cl_route_new(c, "vpc-a", "192.168.0.0/33", CLINK_NEXTHOP_VPN), -1);
	EXPECT_OUT_OF_RANGE(c, CLREQ(c, CLINK_CMD_SET_DEV, 0,
				 APFXL(CLINK_A_DEV_VPC_ELIGIBLE, "172.16.0.0/33")), -1);
	EXPECT_REJECTED(c, CLREQ(c, CLINK_CMD_NEW_VPC, 0, AS(CLINK_A_VPC_ID, "vpc-b"),
				 AU32(CLINK_A_VPC_VNI, 101),
				 APFX_NOLEN(CLINK_A_VPC_CIDR, "172.17.0.0/16")), -1);
	EXPECT_EQ(gen, generation(c));
}

TEST_F(policy, rejects_prefix_with_host_bits_set)
{
	struct clink *c = &self->c;
	uint32_t gen = generation(c);

	EXPECT_CL_FAIL(c, cl_vpc_new(c, "vpc-a", 100, "172.16.0.1/16"), -EINVAL, "host");
	ASSERT_CL_OK(c, cl_vpc_new(c, "vpc-a", 100, "172.16.0.0/16"));
	gen = generation(c);
	EXPECT_CL_FAIL(c, cl_route_new(c, "vpc-a", "192.168.1.0/16", CLINK_NEXTHOP_VPN),
		       -EINVAL, "host");
	EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_SET_DEV, 0,
				APFXL(CLINK_A_DEV_CLASSIC_SPACE, "10.0.0.1/8")),
		       -EINVAL, "host");
	EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_NEW_CIDR, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
				APFX(CLINK_A_VPC_CIDR, "172.20.0.1/24")),
		       -EINVAL, "host");
	EXPECT_EQ(gen, generation(c));
}

TEST_F(policy, rejects_over_long_and_empty_ids)
{
	struct clink *c = &self->c;
	char id64[65], id63[64];
	uint32_t gen = generation(c);

	memset(id64, 'v', 64);
	id64[64] = '\0';
	memset(id63, 'v', 63);
	id63[63] = '\0';
	EXPECT_REJECTED(c, cl_vpc_new(c, id64, 100, "172.16.0.0/16"), CLINK_A_VPC_ID);
	EXPECT_REJECTED(c, cl_vpc_new(c, "", 100, "172.16.0.0/16"), CLINK_A_VPC_ID);
	EXPECT_REJECTED(c, cl_inst_new(c, id64, "10.1.2.3"), CLINK_A_INST_ID);
	EXPECT_REJECTED(c, cl_inst_new(c, "", "10.1.2.3"), CLINK_A_INST_ID);
	EXPECT_EQ(gen, generation(c));

	/* 63 characters is the longest id */
	ASSERT_CL_OK(c, cl_vpc_new(c, id63, 100, "172.16.0.0/16"));
	ASSERT_CL_OK(c, cl_inst_new(c, id63, "10.1.2.3"));
	{
		struct cl_vpc_info v;
		struct cl_inst_info i;

		ASSERT_CL_OK(c, cl_get_vpc(c, id63, &v));
		EXPECT_STREQ(id63, v.id);
		ASSERT_CL_OK(c, cl_get_inst(c, id63, &i));
		EXPECT_STREQ(id63, i.id);
	}
}

TEST_F(policy, rejects_missing_required_attributes)
{
	struct clink *c = &self->c;
	uint32_t gen;

	gen = generation(c);
	EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_NEW_VPC, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
				APFX(CLINK_A_VPC_CIDR, "172.16.0.0/16")), -EINVAL, NULL);
	EXPECT_TRUE(c->miss_type == CLINK_A_VPC_VNI || cl_ext_match(c->ext, "vni"))
		TH_LOG("missing VNI not named: \"%s\", miss_type %d", c->ext, c->miss_type);
	EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_NEW_VPC, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
				AU32(CLINK_A_VPC_VNI, 100)), -EINVAL, NULL);
	EXPECT_TRUE(c->miss_type == CLINK_A_VPC_CIDR || cl_ext_match(c->ext, "cidr"))
		TH_LOG("missing CIDR not named: \"%s\", miss_type %d", c->ext, c->miss_type);
	EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_NEW_INSTANCE, 0, AS(CLINK_A_INST_ID, "i-1")),
		       -EINVAL, NULL);
	EXPECT_TRUE(c->miss_type == CLINK_A_INST_ADDR || cl_ext_match(c->ext, "addr"))
		TH_LOG("missing address not named: \"%s\", miss_type %d", c->ext,
		       c->miss_type);
	EXPECT_EQ(gen, generation(c));

	ASSERT_CL_OK(c, cl_vpc_new(c, "vpc-a", 100, "172.16.0.0/16"));
	gen = generation(c);
	EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_NEW_ENDPOINT, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
				AADDR(CLINK_A_EP_ADDR, "172.16.0.10"),
				AADDR(CLINK_A_EP_VTEP, "192.0.2.1")), -EINVAL, NULL);
	EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_NEW_ROUTE, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
				APFX(CLINK_A_ROUTE_DST, "192.168.0.0/16")), -EINVAL, NULL);
	EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_NEW_ACL, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
				AU32(CLINK_A_ACL_PRIO, 1),
				AU8(CLINK_A_ACL_ACTION, CLINK_ACL_DENY)), -EINVAL, NULL);
	EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_SET_VPC, 0,
				AU8(CLINK_A_VPC_CLASSICLINK, 1)), -EINVAL, NULL);
	EXPECT_EQ(gen, generation(c));
}

TEST_F(policy, rejects_out_of_range_enums)
{
	struct clink *c = &self->c;
	uint32_t gen;

	ASSERT_CL_OK(c, cl_vpc_new(c, "vpc-a", 100, "172.16.0.0/16"));
	gen = generation(c);
	EXPECT_OUT_OF_RANGE(c, cl_vpc_classiclink(c, "vpc-a", 2), CLINK_A_VPC_CLASSICLINK);
	EXPECT_OUT_OF_RANGE(c, cl_route_new(c, "vpc-a", "192.168.0.0/16",
					CLINK_NEXTHOP_MAX + 1), CLINK_A_ROUTE_NEXTHOP);
	EXPECT_OUT_OF_RANGE(c, CLREQ(c, CLINK_CMD_NEW_ACL, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
				 AU32(CLINK_A_ACL_PRIO, 1),
				 AU8(CLINK_A_ACL_DIR, CLINK_ACL_DIR_MAX + 1),
				 AU8(CLINK_A_ACL_ACTION, CLINK_ACL_DENY)), CLINK_A_ACL_DIR);
	EXPECT_OUT_OF_RANGE(c, CLREQ(c, CLINK_CMD_NEW_ACL, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
				 AU32(CLINK_A_ACL_PRIO, 1),
				 AU8(CLINK_A_ACL_DIR, CLINK_ACL_TO_VPC),
				 AU8(CLINK_A_ACL_ACTION, CLINK_ACL_ACTION_MAX + 1)),
			CLINK_A_ACL_ACTION);
	EXPECT_OUT_OF_RANGE(c, dev_set_max_lpv(c, 0), CLINK_A_DEV_MAX_LINKS_PER_VPC);
	EXPECT_OUT_OF_RANGE(c, dev_set_max_lpv(c, CLINK_MAX_LINKS_PER_VPC + 1),
			CLINK_A_DEV_MAX_LINKS_PER_VPC);
	EXPECT_OUT_OF_RANGE(c, CLREQ(c, CLINK_CMD_SET_DEV, 0,
				 AU32(CLINK_A_DEV_MAX_VPCS, 16777217)), CLINK_A_DEV_MAX_VPCS);
	EXPECT_OUT_OF_RANGE(c, CLREQ(c, CLINK_CMD_SET_DEV, 0,
				 AU32(CLINK_A_DEV_MAX_INSTANCES, 0)), CLINK_A_DEV_MAX_INSTANCES);
	EXPECT_EQ(gen, generation(c));
	EXPECT_CL_OK(c, dev_set_max_lpv(c, CLINK_MAX_LINKS_PER_VPC));
}

TEST_F(policy, rejects_ports_unless_tcp_or_udp)
{
	struct clink *c = &self->c;
	uint32_t gen;

	ASSERT_CL_OK(c, cl_vpc_new(c, "vpc-a", 100, "172.16.0.0/16"));
	gen = generation(c);
	EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_NEW_ACL, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
				AU32(CLINK_A_ACL_PRIO, 1),
				AU8(CLINK_A_ACL_DIR, CLINK_ACL_TO_VPC),
				AU8(CLINK_A_ACL_ACTION, CLINK_ACL_DENY),
				AU8(CLINK_A_ACL_PROTO, 1),
				AU16(CLINK_A_ACL_DPORT_MIN, 22)), -EINVAL, "port");
	EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_NEW_ACL, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
				AU32(CLINK_A_ACL_PRIO, 1),
				AU8(CLINK_A_ACL_DIR, CLINK_ACL_TO_VPC),
				AU8(CLINK_A_ACL_ACTION, CLINK_ACL_DENY),
				AU16(CLINK_A_ACL_SPORT_MAX, 1024)), -EINVAL, "port");
	/* min above max */
	EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_NEW_ACL, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
				AU32(CLINK_A_ACL_PRIO, 1),
				AU8(CLINK_A_ACL_DIR, CLINK_ACL_TO_VPC),
				AU8(CLINK_A_ACL_ACTION, CLINK_ACL_DENY),
				AU8(CLINK_A_ACL_PROTO, 17),
				AU16(CLINK_A_ACL_DPORT_MIN, 100),
				AU16(CLINK_A_ACL_DPORT_MAX, 99)), -EINVAL, "port");
	EXPECT_EQ(gen, generation(c));
	EXPECT_CL_OK(c, CLREQ(c, CLINK_CMD_NEW_ACL, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
			      AU32(CLINK_A_ACL_PRIO, 1),
			      AU8(CLINK_A_ACL_DIR, CLINK_ACL_TO_VPC),
			      AU8(CLINK_A_ACL_ACTION, CLINK_ACL_DENY),
			      AU8(CLINK_A_ACL_PROTO, 17),
			      AU16(CLINK_A_ACL_DPORT_MIN, 53),
			      AU16(CLINK_A_ACL_DPORT_MAX, 53)));
}

TEST_F(policy, rejects_more_than_max_prefixes_per_list)
{
	struct clink *c = &self->c;
	char list[1024] = "";
	struct cl_dev_info d;
	uint32_t gen = generation(c);
	int k, r;

	for (k = 0; k <= CLINK_MAX_PREFIXES; k++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s10.%d.0.0/16",
			 k ? "," : "", k);
	r = CLREQ(c, CLINK_CMD_SET_DEV, 0, APFXL(CLINK_A_DEV_CLASSIC_SPACE, list));
	EXPECT_TRUE(r == -EINVAL || r == -ENOSPC)
		TH_LOG("%d prefixes: %d (%s) \"%s\"", CLINK_MAX_PREFIXES + 1, r,
		       strerror(-r), c->ext);
	EXPECT_NE(0, c->ext[0]);
	EXPECT_EQ(gen, generation(c));
	/* exactly CLINK_MAX_PREFIXES is fine */
	*strrchr(list, ',') = '\0';
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_SET_DEV, 0, APFXL(CLINK_A_DEV_CLASSIC_SPACE, list)));
	ASSERT_CL_OK(c, cl_get_dev(c, &d));
	EXPECT_EQ(CLINK_MAX_PREFIXES, d.n_classic);
	/* an empty nest clears the eligible list */
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_SET_DEV, 0,
			      APFXL(CLINK_A_DEV_VPC_ELIGIBLE, "172.16.0.0/12")));
	ASSERT_CL_OK(c, cl_get_dev(c, &d));
	EXPECT_EQ(1, d.n_elig);
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_SET_DEV, 0, APFXL(CLINK_A_DEV_VPC_ELIGIBLE, "")));
	ASSERT_CL_OK(c, cl_get_dev(c, &d));
	EXPECT_TRUE(d.n_elig <= 0) TH_LOG("%d eligible prefixes left", d.n_elig);
}

TEST_F(policy, secondary_cidrs_are_limited_and_may_not_overlap)
{
	struct clink *c = &self->c;
	struct cl_vpc_info v;
	char cidr[32];
	int k;

	ASSERT_CL_OK(c, cl_vpc_new(c, "vpc-a", 100, "172.16.0.0/16"));
	for (k = 0; k < CLINK_MAX_SECONDARY; k++) {
		snprintf(cidr, sizeof(cidr), "172.%d.0.0/16", 20 + k);
		ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_NEW_CIDR, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
				      APFX(CLINK_A_VPC_CIDR, cidr)));
	}
	EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_NEW_CIDR, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
				APFX(CLINK_A_VPC_CIDR, "172.30.0.0/16")), -ENOSPC, "4");
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_DEL_CIDR, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
			      APFX(CLINK_A_VPC_CIDR, "172.23.0.0/16")));
	EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_NEW_CIDR, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
				APFX(CLINK_A_VPC_CIDR, "172.16.128.0/17")), -EINVAL, NULL);
	EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_NEW_CIDR, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
				APFX(CLINK_A_VPC_CIDR, "172.20.0.0/24")), -EINVAL, NULL);
	ASSERT_CL_OK(c, cl_get_vpc(c, "vpc-a", &v));
	EXPECT_EQ(CLINK_MAX_SECONDARY - 1, v.n_sec);
}

TEST_F(policy, port_changes_only_while_device_down)
{
	struct clink *c = &self->c;
	struct cl_dev_info d;

	ASSERT_EQ(0, cl_link_set_up(c->ifname, true));
	EXPECT_CL_FAIL(c, CLREQ(c, CLINK_CMD_SET_DEV, 0, AU16(CLINK_A_DEV_PORT, 4790)),
		       -EBUSY, NULL);
	ASSERT_CL_OK(c, cl_get_dev(c, &d));
	EXPECT_EQ(CLINK_DEFAULT_PORT, d.port);
	ASSERT_EQ(0, cl_link_set_up(c->ifname, false));
	EXPECT_CL_OK(c, CLREQ(c, CLINK_CMD_SET_DEV, 0, AU16(CLINK_A_DEV_PORT, 4790)));
	ASSERT_CL_OK(c, cl_get_dev(c, &d));
	EXPECT_EQ(4790, d.port);
}

TEST_F(policy, set_dev_is_all_or_nothing)
{
	struct clink *c = &self->c;
	struct cl_dev_info d;

	EXPECT_NE(0, CLREQ(c, CLINK_CMD_SET_DEV, 0, AS(CLINK_A_DEV_REGION, "us-west-2"),
			   AU32(CLINK_A_DEV_MAX_LINKS_PER_VPC, 500),
			   APFXL(CLINK_A_DEV_CLASSIC_SPACE, "10.0.0.1/8")));
	ASSERT_CL_OK(c, cl_get_dev(c, &d));
	EXPECT_STRNE("us-west-2", d.region);
	EXPECT_EQ(CLINK_DEFAULT_MAX_LINKS_PER_VPC, d.max_lpv);
	EXPECT_EQ(1, d.n_classic);
}

/* NEW_VPC vpc-a, VNI @vni, 172.16.0.0/16, with @flags and genlmsghdr.reserved. */
static int new_vpc_hdr(struct clink *c, int flags, uint16_t reserved,
		       uint32_t vni, bool replace)
{
	struct nl_msg *m = cl_msg(c, CLINK_CMD_NEW_VPC, flags);
	struct genlmsghdr *g = nlmsg_data(nlmsg_hdr(m));
	const struct cl_attr attrs[] = {
		AREPLACE_IF(replace), AS(CLINK_A_VPC_ID, "vpc-a"),
		AU32(CLINK_A_VPC_VNI, vni), APFX(CLINK_A_VPC_CIDR, "172.16.0.0/16"),
		AEND
	};

	g->reserved = reserved;
	if (cl_put_attrs(m, attrs))
		abort();
	return cl_exec(c, m, NULL, NULL, NULL, NULL);
}

/*
 * The family checks every command's header (resv_start_op 0): the
 * generic netlink core refuses a reserved field that is not 0, for reads
 * and changes alike, before any command runs.
 */
TEST_F(policy, rejects_reserved_genl_header_field)
{
	struct clink *c = &self->c;
	struct nl_msg *m;
	uint32_t gen = generation(c);

	EXPECT_EQ(-EINVAL, new_vpc_hdr(c, 0, 1, 100, false));
	EXPECT_STREQ("genlmsghdr.reserved field is not 0", c->ext);
	EXPECT_EQ(-EINVAL, new_vpc_hdr(c, 0, 0x8000, 100, true));
	EXPECT_STREQ("genlmsghdr.reserved field is not 0", c->ext);
	m = cl_msg(c, CLINK_CMD_GET_DEV, 0);
	((struct genlmsghdr *)nlmsg_data(nlmsg_hdr(m)))->reserved = 1;
	EXPECT_EQ(-EINVAL, cl_exec(c, m, NULL, NULL, NULL, NULL));
	EXPECT_STREQ("genlmsghdr.reserved field is not 0", c->ext);
	EXPECT_EQ(gen, generation(c));
	EXPECT_EQ(-ENOENT, cl_get_vpc(c, "vpc-a", &(struct cl_vpc_info){ 0 }));
	/* the same request with the field 0 goes through */
	EXPECT_CL_OK(c, new_vpc_hdr(c, 0, 0, 100, false));
}

/*
 * NLM_F_REPLACE, _EXCL, _CREATE and _APPEND mean nothing to a generic
 * netlink family: the core refuses them. An existing object is replaced
 * only on CLINK_A_REPLACE; without it, EEXIST.
 */
TEST_F(policy, replace_is_an_attribute_not_a_header_flag)
{
	static const int refused[] = { NLM_F_REPLACE, NLM_F_EXCL, NLM_F_CREATE,
				       NLM_F_APPEND, NLM_F_CREATE | NLM_F_REPLACE };
	struct clink *c = &self->c;
	struct cl_vpc_info v;
	uint32_t gen;
	size_t i;

	/* no VPC yet: the attribute creates one, as a plain NEW would */
	ASSERT_CL_OK(c, new_vpc_hdr(c, 0, 0, 100, true));
	gen = generation(c);
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		EXPECT_EQ(-EINVAL, new_vpc_hdr(c, refused[i], 0, 200, false))
			TH_LOG("nlmsg_flags 0x%x", refused[i]);
		EXPECT_STREQ("ambiguous or reserved bits set in nlmsg_flags", c->ext);
		EXPECT_EQ(-EINVAL, new_vpc_hdr(c, refused[i], 0, 200, true))
			TH_LOG("nlmsg_flags 0x%x with CLINK_A_REPLACE", refused[i]);
		EXPECT_STREQ("ambiguous or reserved bits set in nlmsg_flags", c->ext);
	}
	EXPECT_EQ(gen, generation(c));

	EXPECT_CL_FAIL(c, new_vpc_hdr(c, 0, 0, 200, false), -EEXIST, "vpc-a,exists");
	ASSERT_CL_OK(c, cl_get_vpc(c, "vpc-a", &v));
	EXPECT_EQ(100, v.vni);
	EXPECT_EQ(gen, generation(c));

	EXPECT_CL_OK(c, new_vpc_hdr(c, 0, 0, 200, true));
	ASSERT_CL_OK(c, cl_get_vpc(c, "vpc-a", &v));
	EXPECT_EQ(200, v.vni);
	EXPECT_TRUE(cl_pfx_eq(&v.cidr, "172.16.0.0/16"));
	EXPECT_NE(gen, generation(c));
	/* with NLM_F_ECHO, one of the flags the core allows, all the same */
	EXPECT_CL_OK(c, new_vpc_hdr(c, NLM_F_ECHO, 0, 300, true));
	ASSERT_CL_OK(c, cl_get_vpc(c, "vpc-a", &v));
	EXPECT_EQ(300, v.vni);
}

/* ------------------------------------------------------------------ */
/* GET_DEV, and which device a request acts on                          */

CLINK_FIXTURE(dev);

TEST_F(dev, get_reports_version_and_defaults)
{
	struct clink *c = &self->c;
	struct cl_dev_info d;

	ASSERT_CL_OK(c, cl_get_dev(c, &d));
	EXPECT_EQ(c->ifindex, d.ifindex);
	EXPECT_STREQ(CL_DEVNAME, d.ifname);
	EXPECT_TRUE(d.has_version && d.version[0]) TH_LOG("no module version");
	ksft_print_msg("clink version \"%s\"\n", d.version);
	EXPECT_TRUE(d.has_local);
	EXPECT_EQ(0, d.local);
	EXPECT_EQ(CLINK_DEFAULT_PORT, d.port);
	EXPECT_EQ(6, d.mac_len);
	EXPECT_EQ(CLINK_DEFAULT_MAX_LINKS_PER_VPC, d.max_lpv);
	EXPECT_EQ(CLINK_DEFAULT_MAX_VPCS, d.max_vpcs);
	EXPECT_EQ(CLINK_DEFAULT_MAX_INSTANCES, d.max_insts);
	EXPECT_EQ(CLINK_DEFAULT_MAX_LINKS, d.max_links);
	EXPECT_EQ(CLINK_DEFAULT_MAX_ENDPOINTS, d.max_eps);
	ASSERT_EQ(1, d.n_classic);
	EXPECT_TRUE(cl_pfx_eq(&d.classic[0], "10.0.0.0/8"));
	EXPECT_TRUE(d.n_elig <= 0) TH_LOG("%d eligible prefixes by default", d.n_elig);
	EXPECT_EQ(0, d.n_vpcs);
	EXPECT_EQ(0, d.n_insts);
	EXPECT_EQ(0, d.n_links);
	EXPECT_EQ(0, d.n_eps);
	EXPECT_NE(CL_NONE, d.generation);
	EXPECT_TRUE(d.has_stats);
	EXPECT_TRUE(d.has_drops);
}

TEST_F(dev, counts_and_generation_follow_changes)
{
	struct clink *c = &self->c;
	struct cl_dev_info d;
	uint32_t gen;

	ASSERT_CL_OK(c, cl_get_dev(c, &d));
	gen = d.generation;
	ASSERT_CL_OK(c, cl_get_dev(c, &d));
	EXPECT_EQ(gen, d.generation) TH_LOG("a read bumped the generation");

	ASSERT_CL_OK(c, cl_vpc_cl(c, "vpc-a", 100, "172.16.0.0/16"));
	ASSERT_CL_OK(c, cl_vpc_new(c, "vpc-b", 101, "172.17.0.0/16"));
	ASSERT_CL_OK(c, cl_inst_new(c, "i-1", "10.1.2.3"));
	ASSERT_CL_OK(c, cl_inst_new(c, "i-2", "10.1.2.4"));
	ASSERT_CL_OK(c, cl_inst_new(c, "i-3", "10.1.2.5"));
	ASSERT_CL_OK(c, cl_link(c, "i-1", "vpc-a"));
	ASSERT_CL_OK(c, cl_link(c, "i-2", "vpc-a"));
	ASSERT_CL_OK(c, cl_ep_new(c, "vpc-a", "172.16.0.10", "192.0.2.1",
				  "02:00:00:00:00:01"));
	ASSERT_CL_OK(c, cl_get_dev(c, &d));
	EXPECT_EQ(2, d.n_vpcs);
	EXPECT_EQ(3, d.n_insts);
	EXPECT_EQ(2, d.n_links);
	EXPECT_EQ(1, d.n_eps);
	EXPECT_TRUE(d.generation - gen >= 9)
		TH_LOG("generation %u -> %u over 9 changes", gen, d.generation);
	gen = d.generation;

	ASSERT_CL_OK(c, cl_unlink(c, "i-2"));
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_DEL_INSTANCE, 0, AS(CLINK_A_INST_ID, "i-3")));
	ASSERT_CL_OK(c, cl_vpc_del(c, "vpc-b"));
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_DEL_ENDPOINT, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
			      AADDR(CLINK_A_EP_ADDR, "172.16.0.10")));
	ASSERT_CL_OK(c, cl_get_dev(c, &d));
	EXPECT_EQ(1, d.n_vpcs);
	EXPECT_EQ(2, d.n_insts);
	EXPECT_EQ(1, d.n_links);
	EXPECT_EQ(0, d.n_eps);
	EXPECT_TRUE(d.generation - gen >= 4);
	gen = d.generation;

	/* a failed change does not count */
	EXPECT_NE(0, cl_link(c, "i-1", "vpc-a"));
	ASSERT_CL_OK(c, cl_get_dev(c, &d));
	EXPECT_EQ(gen, d.generation);
	/* VPC n_endpoints too */
	{
		struct cl_vpc_info v;

		ASSERT_CL_OK(c, cl_get_vpc(c, "vpc-a", &v));
		EXPECT_EQ(1, v.n_links);
		EXPECT_EQ(0, v.n_eps);
		EXPECT_EQ(1, v.classiclink);
		EXPECT_TRUE(v.has_stats);
	}
}

TEST_F(dev, request_selects_device_by_index_name_or_as_the_only_one)
{
	struct clink *c = &self->c;
	struct cl_dev_info d;
	char ext[256];

	c->sel = CL_SEL_NONE;
	ASSERT_CL_OK(c, cl_get_dev(c, &d));
	EXPECT_EQ(c->ifindex, d.ifindex);
	ASSERT_CL_OK(c, cl_vpc_new(c, "vpc-a", 100, "172.16.0.0/16"));

	ASSERT_EQ(0, cl_rtnl_newlink(NULL, "clink1", NULL, ext, sizeof(ext)))
		TH_LOG("second device: %s", ext);
	EXPECT_CL_FAIL(c, cl_get_dev(c, &d), -EINVAL, "more than one");
	EXPECT_CL_FAIL(c, cl_vpc_new(c, "vpc-b", 101, "172.17.0.0/16"), -EINVAL,
		       "more than one");

	/* each device has its own objects */
	c->sel = CL_SEL_IFNAME;
	snprintf(c->ifname, sizeof(c->ifname), "clink1");
	ASSERT_CL_OK(c, cl_get_dev(c, &d));
	EXPECT_EQ(if_nametoindex("clink1"), d.ifindex);
	EXPECT_EQ(0, d.n_vpcs);
	EXPECT_CL_OK(c, cl_vpc_new(c, "vpc-a", 100, "172.16.0.0/16"));
	c->sel = CL_SEL_IFINDEX;
	ASSERT_CL_OK(c, cl_get_dev(c, &d));
	EXPECT_STREQ(CL_DEVNAME, d.ifname);
	EXPECT_EQ(1, d.n_vpcs);

	/* not a clink device, or none at all */
	c->ifindex = if_nametoindex("lo");
	EXPECT_CL_FAIL2(c, cl_get_dev(c, &d), -ENODEV, -EINVAL, NULL);
	c->ifindex = 99999;
	EXPECT_CL_FAIL(c, cl_get_dev(c, &d), -ENODEV, NULL);
	c->sel = CL_SEL_IFNAME;
	snprintf(c->ifname, sizeof(c->ifname), "nosuchdev");
	EXPECT_CL_FAIL(c, cl_get_dev(c, &d), -ENODEV, NULL);
	ASSERT_EQ(0, cl_link_del("clink1"));
	ASSERT_EQ(0, cl_link_del(CL_DEVNAME));
	c->sel = CL_SEL_NONE;
	EXPECT_CL_FAIL(c, cl_get_dev(c, &d), -ENODEV, NULL);
}

static int count_dev(struct nl_msg *msg, void *arg)
{
	struct cl_dev_info d;

	if (cl_parse_dev(msg, &d) == NL_OK && d.got)
		++*(int *)arg;
	return NL_OK;
}

TEST_F(dev, dump_lists_every_device_of_the_namespace)
{
	struct clink *c = &self->c;
	char ext[256];
	int n = 0;

	ASSERT_EQ(0, cl_rtnl_newlink(NULL, "clink1", NULL, ext, sizeof(ext)))
		TH_LOG("second device: %s", ext);
	c->sel = CL_SEL_NONE;
	ASSERT_CL_OK(c, cl_dump(c, CLINK_CMD_GET_DEV, count_dev, &n, NULL));
	EXPECT_EQ(2, n);
}

TEST_F(dev, rtnetlink_attributes_set_the_device_up_front)
{
	struct clink *c = &self->c;
	struct cl_dev_info d;
	char ext[256];

	ASSERT_EQ(0, cl_rtnl_newlink(NULL, "clink9",
				     (const struct cl_attr[]){
					AADDR(IFLA_CLINK_LOCAL, "192.0.2.7"),
					AU16(IFLA_CLINK_PORT, 4790),
					AS(IFLA_CLINK_REGION, "eu-central-1"),
					AU32(IFLA_CLINK_MAX_LINKS_PER_VPC, 1000),
					AU32(IFLA_CLINK_MAX_VPCS, 10),
					APFXL(IFLA_CLINK_CLASSIC_SPACE, "10.0.0.0/9"),
					APFXL(IFLA_CLINK_VPC_ELIGIBLE, "172.16.0.0/12"),
					AEND }, ext, sizeof(ext)))
		TH_LOG("ip link add clink9 type clink ...: %s", ext);
	c->sel = CL_SEL_IFNAME;
	snprintf(c->ifname, sizeof(c->ifname), "clink9");
	ASSERT_CL_OK(c, cl_get_dev(c, &d));
	EXPECT_EQ(cl_ip("192.0.2.7"), d.local);
	EXPECT_EQ(4790, d.port);
	EXPECT_STREQ("eu-central-1", d.region);
	EXPECT_EQ(1000, d.max_lpv);
	EXPECT_EQ(10, d.max_vpcs);
	ASSERT_EQ(1, d.n_classic);
	EXPECT_TRUE(cl_pfx_eq(&d.classic[0], "10.0.0.0/9"));
	ASSERT_EQ(1, d.n_elig);
	EXPECT_TRUE(cl_pfx_eq(&d.elig[0], "172.16.0.0/12"));

	/* and the same policy applies there */
	EXPECT_EQ(-EOUTOFRANGE, cl_rtnl_newlink(NULL, "clink8",
					   (const struct cl_attr[]){
						AU32(IFLA_CLINK_MAX_LINKS_PER_VPC, 0),
						AEND }, ext, sizeof(ext)))
		TH_LOG("IFLA_CLINK_MAX_LINKS_PER_VPC 0: extack \"%s\"", ext);
	EXPECT_EQ(-EINVAL, cl_rtnl_newlink(NULL, "clink8",
					   (const struct cl_attr[]){
						APFXL(IFLA_CLINK_CLASSIC_SPACE, "10.0.0.1/8"),
						AEND }, ext, sizeof(ext)))
		TH_LOG("IFLA_CLINK_CLASSIC_SPACE 10.0.0.1/8: extack \"%s\"", ext);
	EXPECT_EQ(0, if_nametoindex("clink8"));
}

TEST_HARNESS_MAIN
