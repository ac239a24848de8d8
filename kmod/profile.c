// SPDX-License-Identifier: GPL-2.0
/*
 * Profiles: the ClassicLink address rules and link quota of a cloud, as
 * its documentation states them (see Documentation/clink.rst).
 */

#include <linux/slab.h>

#include "extack.h"
#include "profile.h"

#define P(a, b, c, d, l) { htonl((u32)(a) << 24 | (b) << 16 | (c) << 8 | (d)), l }

struct profile {
	const char *name;
	const struct clink_prefix *classic, *eligible;
	u32 n_classic, n_eligible;
	u32 max_links_per_vpc;
};

/* Tencent: VPCs within 10.0.0.0/16-10.47.0.0/16, the rest of 10/8 classic */
static const struct clink_prefix tencent_classic[] = {
	P(10, 48, 0, 0, 12), P(10, 64, 0, 0, 10), P(10, 128, 0, 0, 9),
};

static const struct clink_prefix tencent_eligible[] = {
	P(10, 0, 0, 0, 11), P(10, 32, 0, 0, 12),
};

/* Alibaba: the classic network is 10.0.0.0/8 but 10.111.0.0/16 */
static const struct clink_prefix alibaba_classic[] = {
	P(10, 0, 0, 0, 10), P(10, 64, 0, 0, 11), P(10, 96, 0, 0, 13),
	P(10, 104, 0, 0, 14), P(10, 108, 0, 0, 15), P(10, 110, 0, 0, 16),
	P(10, 112, 0, 0, 12), P(10, 128, 0, 0, 9),
};

static const struct clink_prefix alibaba_eligible[] = {
	P(10, 111, 0, 0, 16), P(172, 16, 0, 0, 12), P(192, 168, 0, 0, 16),
};

/* AWS: no VPC in 10.0.0.0/8 but 10.0.0.0/16 and 10.1.0.0/16 */
static const struct clink_prefix aws_classic[] = {
	P(10, 2, 0, 0, 15), P(10, 4, 0, 0, 14), P(10, 8, 0, 0, 13),
	P(10, 16, 0, 0, 12), P(10, 32, 0, 0, 11), P(10, 64, 0, 0, 10),
	P(10, 128, 0, 0, 9),
};

#define LIST(name, what) .what = name##_##what, .n_##what = ARRAY_SIZE(name##_##what)

static const struct profile profiles[__CLINK_PROFILE_MAX] = {
	[CLINK_PROFILE_TENCENT] = { .name = "tencent", LIST(tencent, classic),
				    LIST(tencent, eligible),
				    .max_links_per_vpc = 100 },
	[CLINK_PROFILE_ALIBABA] = { .name = "alibaba", LIST(alibaba, classic),
				    LIST(alibaba, eligible),
				    .max_links_per_vpc = 1000 },
	/* AWS documents no limit of links per VPC */
	[CLINK_PROFILE_AWS] = { .name = "aws", LIST(aws, classic),
				.max_links_per_vpc = CLINK_MAX_LINKS_PER_VPC },
};

static struct clink_prefix_list *list_dup(const struct clink_prefix *p, u32 n)
{
	struct clink_prefix_list *l = clink_prefix_list_alloc(n, CLINK_GFP);

	if (l)
		memcpy(l->p, p, n * sizeof(*p));
	return l;
}

int clink_profile_apply(struct clink_dev_cfg *cfg,
			struct netlink_ext_ack *extack)
{
	const struct nlattr *attr = cfg->attr[CLINK_CFG_PROFILE];
	static const int items[] = {
		CLINK_CFG_CLASSIC_SPACE, CLINK_CFG_VPC_ELIGIBLE,
		CLINK_CFG_MAX_LINKS_PER_VPC,
	};
	const struct profile *pr;
	u32 i;

	cfg->profile = nla_get_u8(attr);
	if (cfg->profile == CLINK_PROFILE_CUSTOM)
		return 0;
	pr = &profiles[cfg->profile];
	for (i = 0; i < ARRAY_SIZE(items); i++) {
		if (cfg->attr[items[i]]) {
			clink_err(extack, attr, "profile %s sets classic-space, vpc-eligible and max-links-per-vpc itself",
				  pr->name);
			return -EINVAL;
		}
		cfg->attr[items[i]] = attr;
	}
	cfg->classic_space = list_dup(pr->classic, pr->n_classic);
	cfg->vpc_eligible = list_dup(pr->eligible, pr->n_eligible);
	if (!cfg->classic_space || !cfg->vpc_eligible)
		return -ENOMEM;
	cfg->max[CLINK_CFG_MAX_LINKS_PER_VPC] = pr->max_links_per_vpc;
	return 0;
}

#ifdef DEBUG
/* Each table is sound: no host bits, no eligible prefix in the classic space. */
bool __init clink_profile_selftest(void)
{
	const struct profile *pr;
	bool ok = true;
	u32 i, j;

	for (i = 1; i < __CLINK_PROFILE_MAX; i++) {
		pr = &profiles[i];
		for (j = 0; j < pr->n_classic + pr->n_eligible; j++) {
			const struct clink_prefix *p = j < pr->n_classic ?
				&pr->classic[j] : &pr->eligible[j - pr->n_classic];
			struct clink_prefix_list *cs;

			if (p->addr & ~clink_prefix_mask(p->len)) {
				pr_err("profile %s: %pI4/%u has host bits\n",
				       pr->name, &p->addr, p->len);
				ok = false;
			}
			if (j < pr->n_classic)
				continue;
			cs = list_dup(pr->classic, pr->n_classic);
			if (!cs || clink_prefix_list_overlaps(cs, p)) {
				pr_err("profile %s: %pI4/%u overlaps the classic space\n",
				       pr->name, &p->addr, p->len);
				ok = false;
			}
			kfree(cs);
		}
	}
	if (ok)
		pr_info("profile self-tests: pass\n");
	return ok;
}
#endif
