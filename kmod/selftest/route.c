// SPDX-License-Identifier: GPL-2.0
/*
 * DEBUG self-tests of prefixes and VPC route tables, included by route.c
 * and run at module load.
 */

#define IP4(a, b, c, d) htonl((u32)(a) << 24 | (b) << 16 | (c) << 8 | (d))
#define PFX(a, b, c, d, l) ((struct clink_prefix){ IP4(a, b, c, d), l })

static bool __init prefix_selftest(void)
{
	struct clink_prefix p8 = PFX(10, 0, 0, 0, 8), p0 = PFX(0, 0, 0, 0, 0);
	struct clink_prefix p16 = PFX(10, 1, 0, 0, 16);
	struct clink_prefix h = PFX(10, 1, 2, 3, 32);
	struct clink_prefix o = PFX(172, 16, 0, 0, 12);
	struct clink_prefix p24 = PFX(192, 168, 7, 0, 24);
	struct clink_prefix_list *two = clink_prefix_list_alloc(2, GFP_KERNEL);
	bool ok = true;

	if (!two)
		return false;
	two->p[0] = p8;
	two->p[1] = PFX(192, 168, 0, 0, 16);

#define CHECK(x) do {						\
	if (!(x)) {							\
		pr_err("prefix self-test failed: %s\n", #x);		\
		ok = false;						\
	}								\
} while (0)
	CHECK(clink_prefix_mask(0) == 0);
	CHECK(clink_prefix_mask(32) == htonl(~0U));
	CHECK(clink_prefix_mask(8) == htonl(0xff000000));
	CHECK(clink_prefix_contains(&p8, h.addr));
	CHECK(clink_prefix_contains(&p0, o.addr));
	CHECK(!clink_prefix_contains(&p16, IP4(10, 2, 0, 1)));
	CHECK(clink_prefix_overlaps(&p8, &p16) && clink_prefix_overlaps(&p16, &p8));
	CHECK(!clink_prefix_overlaps(&p8, &o));
	CHECK(clink_prefix_overlaps(&p0, &o));
	CHECK(clink_prefix_within(&p16, &p8) && !clink_prefix_within(&p8, &p16));
	CHECK(clink_prefix_within(&h, &h));
	CHECK(clink_prefix_list_contains(two, IP4(192, 168, 3, 4)));
	CHECK(!clink_prefix_list_contains(two, IP4(172, 16, 0, 1)));
	CHECK(!clink_prefix_list_contains(NULL, IP4(10, 0, 0, 1)));
	CHECK(clink_prefix_list_covers(two, &p24));
	CHECK(!clink_prefix_list_covers(two, &p0));
	CHECK(clink_prefix_list_find_overlap(two, &p0) == &two->p[0]);
	CHECK(!clink_prefix_list_overlaps(two, &o));
#undef CHECK
	kfree(two);
	return ok;
}

bool __init clink_route_selftest(void)
{
	static const struct {
		u8 a, b, c, d;
		enum clink_drop_reason want;
	} cases[] = {
		{ 172, 16, 0, 10, 0 },
		{ 172, 16, 255, 255, 0 },
		{ 172, 16, 5, 1, CLINK_DROP_NO_TRANSIT },	/* custom /24 inside */
		{ 172, 17, 0, 1, CLINK_DROP_SECONDARY_CIDR },
		{ 192, 168, 1, 1, CLINK_DROP_NO_TRANSIT },
		{ 8, 8, 8, 8, CLINK_DROP_NO_TRANSIT },		/* default route */
		{ 10, 1, 0, 5, CLINK_DROP_NO_TRANSIT },
	};
	struct clink_route r = { .type = CLINK_ROUTE_CUSTOM };
	const struct clink_route_table *t;
	const struct clink_route *found;
	struct clink_prefix del;
	struct clink_vpc *vpc;
	struct clink_dev *cd;
	bool ok = prefix_selftest();
	u32 i;

	cd = kzalloc(sizeof(*cd), GFP_KERNEL);
	vpc = kzalloc(sizeof(*vpc), GFP_KERNEL);
	if (!cd || !vpc) {
		ok = false;
		goto out;
	}
	mutex_init(&cd->lock);
	vpc->cd = cd;
	vpc->cidr = PFX(172, 16, 0, 0, 16);
	vpc->secondary[0] = PFX(172, 17, 0, 0, 16);
	vpc->n_secondary = 1;

	mutex_lock(&cd->lock);
	ok &= !clink_route_rebuild(vpc, NULL, NULL);
	r.dst = PFX(192, 168, 0, 0, 16);
	r.nexthop = CLINK_NEXTHOP_PEERING;
	ok &= !clink_route_rebuild(vpc, &r, NULL);
	r.dst = PFX(0, 0, 0, 0, 0);
	r.nexthop = CLINK_NEXTHOP_VPN;
	ok &= !clink_route_rebuild(vpc, &r, NULL);
	r.dst = PFX(172, 16, 5, 0, 24);
	r.nexthop = CLINK_NEXTHOP_NAT;
	ok &= !clink_route_rebuild(vpc, &r, NULL);
	/* Replacing keeps one route per prefix. */
	r.dst = PFX(192, 168, 0, 0, 16);
	r.nexthop = CLINK_NEXTHOP_DC;
	ok &= !clink_route_rebuild(vpc, &r, NULL);

	t = clink_deref(cd, vpc->routes);
	if (!t || t->n != 5) {
		pr_err("route self-test: %u routes, want 5\n", t ? t->n : 0);
		ok = false;
	}
	for (i = 1; t && i < t->n; i++) {
		if (t->r[i - 1].dst.len < t->r[i].dst.len) {
			pr_err("route self-test: table not longest prefix first\n");
			ok = false;
		}
	}
	found = clink_route_find(vpc, &r.dst);
	if (!found || found->nexthop != CLINK_NEXTHOP_DC) {
		pr_err("route self-test: replace lost the new next hop\n");
		ok = false;
	}

	rcu_read_lock();
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		__be32 a = IP4(cases[i].a, cases[i].b, cases[i].c, cases[i].d);
		enum clink_drop_reason got = clink_route_check(vpc, a);

		if (got != cases[i].want) {
			pr_err("route self-test: %pI4 gave %d, want %d\n", &a,
			       got, cases[i].want);
			ok = false;
		}
	}
	rcu_read_unlock();

	del = PFX(172, 16, 5, 0, 24);
	ok &= !clink_route_rebuild(vpc, NULL, &del);
	rcu_read_lock();
	if (clink_route_check(vpc, IP4(172, 16, 5, 1))) {
		pr_err("route self-test: deleted custom route still wins\n");
		ok = false;
	}
	rcu_read_unlock();

	/* A reach prefix narrows the primary CIDR, nothing else. */
	vpc->reach = PFX(172, 16, 0, 0, 24);
	ok &= !clink_route_rebuild(vpc, NULL, NULL);
	rcu_read_lock();
	if (clink_route_check(vpc, IP4(172, 16, 0, 10)) ||
	    clink_route_check(vpc, IP4(172, 16, 1, 1)) != CLINK_DROP_OUTSIDE_REACH ||
	    clink_route_check(vpc, IP4(172, 17, 0, 1)) != CLINK_DROP_SECONDARY_CIDR ||
	    clink_vpc_check_source(vpc, IP4(172, 16, 0, 10)) ||
	    clink_vpc_check_source(vpc, IP4(172, 16, 9, 9)) != CLINK_DROP_OUTSIDE_REACH ||
	    clink_vpc_check_source(vpc, IP4(10, 0, 0, 1)) != CLINK_DROP_SPOOFED_SOURCE) {
		pr_err("route self-test: reach 172.16.0.0/24 not applied\n");
		ok = false;
	}
	rcu_read_unlock();
	clink_route_free(vpc);
	mutex_unlock(&cd->lock);
	rcu_barrier();
out:
	kfree(vpc);
	kfree(cd);
	if (ok)
		pr_info("route self-tests: pass\n");
	return ok;
}
