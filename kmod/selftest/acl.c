// SPDX-License-Identifier: GPL-2.0
/*
 * DEBUG self-tests of VPC network ACLs, included by acl.c and run at
 * module load.
 */

#define IP4(a, b, c, d) htonl((u32)(a) << 24 | (b) << 16 | (c) << 8 | (d))

static struct clink_acl_rule * __init
test_rule(u32 prio, u8 dir, u8 action, u8 proto, __be32 src, u8 src_len,
	  u16 dport)
{
	struct clink_acl_rule *r = kzalloc(sizeof(*r), GFP_KERNEL);

	if (!r)
		return NULL;
	r->hits = alloc_percpu(u64);
	if (!r->hits) {
		kfree(r);
		return NULL;
	}
	r->prio = prio;
	r->dir = dir;
	r->action = action;
	r->proto = proto;
	r->src.addr = src;
	r->src.len = src_len;
	r->sport_max = U16_MAX;
	r->dport_min = dport;
	r->dport_max = dport ? dport : U16_MAX;
	return r;
}

bool __init clink_acl_selftest(void)
{
	static const struct {
		u8 dir, proto;
		u8 src_b;		/* 10.<src_b>.0.5 */
		u16 dport;
		bool allow;
	} cases[] = {
		{ CLINK_ACL_TO_VPC, IPPROTO_TCP, 1, 22, false },	/* prio 10 */
		{ CLINK_ACL_TO_VPC, IPPROTO_TCP, 1, 80, true },		/* prio 20 */
		{ CLINK_ACL_TO_VPC, IPPROTO_UDP, 2, 53, false },	/* prio 30 */
		{ CLINK_ACL_TO_CLASSIC, IPPROTO_UDP, 1, 53, false },	/* prio 5 */
		{ CLINK_ACL_TO_CLASSIC, IPPROTO_TCP, 1, 80, true },	/* none */
	};
	struct clink_acl_rule *r[4], *repl;
	const struct clink_acl_table *t;
	struct clink_vpc *vpc;
	struct clink_dev *cd;
	bool ok = true;
	u32 i;

	cd = kzalloc(sizeof(*cd), GFP_KERNEL);
	vpc = kzalloc(sizeof(*vpc), GFP_KERNEL);
	if (!cd || !vpc) {
		ok = false;
		goto out;
	}
	mutex_init(&cd->lock);
	vpc->cd = cd;
	/* Added out of order: the table sorts them. */
	r[0] = test_rule(30, CLINK_ACL_TO_VPC, CLINK_ACL_DENY, 0, 0, 0, 0);
	r[1] = test_rule(10, CLINK_ACL_TO_VPC, CLINK_ACL_DENY, IPPROTO_TCP, 0, 0, 22);
	r[2] = test_rule(20, CLINK_ACL_TO_VPC, CLINK_ACL_ALLOW, 0,
			 IP4(10, 1, 0, 0), 16, 0);
	r[3] = test_rule(5, CLINK_ACL_TO_CLASSIC, CLINK_ACL_DENY, IPPROTO_UDP,
			 0, 0, 0);
	mutex_lock(&cd->lock);
	for (i = 0; i < ARRAY_SIZE(r); i++) {
		if (!r[i] || acl_rebuild(vpc, r[i], NULL)) {
			ok = false;
			goto unlock;
		}
	}
	t = clink_deref(cd, vpc->acls);
	for (i = 1; i < t->n; i++) {
		if (t->r[i - 1]->prio >= t->r[i]->prio) {
			pr_err("ACL self-test: rules out of order\n");
			ok = false;
		}
	}

	rcu_read_lock();
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct clink_flow fl = {
			.saddr = IP4(10, cases[i].src_b, 0, 5),
			.daddr = IP4(172, 16, 0, 10),
			.sport = htons(40000),
			.dport = htons(cases[i].dport),
			.proto = cases[i].proto,
		};

		if (clink_acl_allow(vpc, cases[i].dir, &fl) != cases[i].allow) {
			pr_err("ACL self-test: case %u decided wrongly\n", i);
			ok = false;
		}
	}
	rcu_read_unlock();
	if (hits_of(r[1]) != 1 || hits_of(r[2]) != 1 || hits_of(r[0]) != 1) {
		pr_err("ACL self-test: wrong hit counts\n");
		ok = false;
	}

	/* A replacement takes the place of the rule of its priority. */
	repl = test_rule(20, CLINK_ACL_TO_VPC, CLINK_ACL_DENY, 0, 0, 0, 0);
	if (!repl || acl_rebuild(vpc, repl, r[2])) {
		kfree(repl);
		ok = false;
		goto unlock;
	}
	t = clink_deref(cd, vpc->acls);
	if (t->n != 4 || t->r[2] != repl) {
		pr_err("ACL self-test: replace misplaced the rule\n");
		ok = false;
	}
unlock:
	vpc->n_acls = 0;
	clink_acl_free_all(vpc);
	mutex_unlock(&cd->lock);
	rcu_barrier();
out:
	kfree(vpc);
	kfree(cd);
	if (ok)
		pr_info("ACL self-tests: pass\n");
	return ok;
}
