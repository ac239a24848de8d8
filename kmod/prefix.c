// SPDX-License-Identifier: GPL-2.0
/*
 * IPv4 prefixes and prefix lists, and their netlink encoding.
 */

#include <linux/slab.h>

#include "device.h"
#include "extack.h"
#include "prefix.h"

const struct nla_policy clink_prefix_policy[CLINK_PREFIX_A_MAX + 1] = {
	[CLINK_PREFIX_A_ADDR]	= NLA_POLICY_EXACT_LEN(sizeof(__be32)),
	[CLINK_PREFIX_A_LEN]	= NLA_POLICY_MAX(NLA_U8, 32),
};

const struct nla_policy clink_prefix_list_policy[CLINK_A_PREFIX_ENTRY + 1] = {
	[CLINK_A_PREFIX_ENTRY]	= NLA_POLICY_NESTED(clink_prefix_policy),
};

bool clink_prefix_list_contains(const struct clink_prefix_list *l,
				__be32 addr)
{
	u32 i;

	for (i = 0; l && i < l->n; i++)
		if (clink_prefix_contains(&l->p[i], addr))
			return true;
	return false;
}

const struct clink_prefix *
clink_prefix_list_find_overlap(const struct clink_prefix_list *l,
			       const struct clink_prefix *p)
{
	u32 i;

	for (i = 0; l && i < l->n; i++)
		if (clink_prefix_overlaps(&l->p[i], p))
			return &l->p[i];
	return NULL;
}

bool clink_prefix_list_overlaps(const struct clink_prefix_list *l,
				const struct clink_prefix *p)
{
	return clink_prefix_list_find_overlap(l, p);
}

bool clink_prefix_list_covers(const struct clink_prefix_list *l,
			      const struct clink_prefix *p)
{
	u32 i;

	for (i = 0; l && i < l->n; i++)
		if (clink_prefix_within(p, &l->p[i]))
			return true;
	return false;
}

struct clink_prefix_list *clink_prefix_list_alloc(u32 n, gfp_t gfp)
{
	struct clink_prefix_list *l;

	l = kzalloc(struct_size(l, p, n), gfp);
	if (l)
		l->n = n;
	return l;
}

int clink_prefix_parse(const struct nlattr *nla, struct clink_prefix *p,
		       struct netlink_ext_ack *extack)
{
	struct nlattr *tb[CLINK_PREFIX_A_MAX + 1];
	int ret;

	ret = nla_parse_nested(tb, CLINK_PREFIX_A_MAX, nla, clink_prefix_policy,
			       extack);
	if (ret)
		return ret;
	if (!tb[CLINK_PREFIX_A_ADDR] || !tb[CLINK_PREFIX_A_LEN]) {
		NL_SET_ERR_MSG_ATTR(extack, nla,
				    "a prefix needs an address and a length");
		return -EINVAL;
	}
	p->addr = nla_get_in_addr(tb[CLINK_PREFIX_A_ADDR]);
	p->len = nla_get_u8(tb[CLINK_PREFIX_A_LEN]);
	if (p->addr & ~clink_prefix_mask(p->len)) {
		clink_err(extack, nla, "prefix %pI4/%u has host bits set",
			  &p->addr, p->len);
		return -EINVAL;
	}
	return 0;
}

struct clink_prefix_list *clink_prefix_list_parse(const struct nlattr *nla,
						  struct netlink_ext_ack *extack)
{
	struct clink_prefix_list *l;
	struct nlattr *entry;
	int rem, n = 0, ret;

	nla_for_each_nested(entry, nla, rem) {
		if (nla_type(entry) != CLINK_A_PREFIX_ENTRY) {
			NL_SET_ERR_MSG_ATTR(extack, entry,
					    "a prefix list holds only prefix entries");
			return ERR_PTR(-EINVAL);
		}
		if (++n > CLINK_MAX_PREFIXES) {
			clink_err(extack, entry,
				  "a prefix list holds at most %d prefixes",
				  CLINK_MAX_PREFIXES);
			return ERR_PTR(-EINVAL);
		}
	}
	l = clink_prefix_list_alloc(n, CLINK_GFP);
	if (!l)
		return ERR_PTR(-ENOMEM);
	n = 0;
	nla_for_each_nested(entry, nla, rem) {
		ret = clink_prefix_parse(entry, &l->p[n++], extack);
		if (ret) {
			kfree(l);
			return ERR_PTR(ret);
		}
	}
	return l;
}

int clink_prefix_put(struct sk_buff *skb, int attrtype,
		     const struct clink_prefix *p)
{
	struct nlattr *nest = nla_nest_start(skb, attrtype);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_in_addr(skb, CLINK_PREFIX_A_ADDR, p->addr) ||
	    nla_put_u8(skb, CLINK_PREFIX_A_LEN, p->len)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

int clink_prefix_array_put(struct sk_buff *skb, int attrtype,
			   const struct clink_prefix *p, u32 n)
{
	struct nlattr *nest = nla_nest_start(skb, attrtype);
	u32 i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < n; i++) {
		if (clink_prefix_put(skb, CLINK_A_PREFIX_ENTRY, &p[i])) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

int clink_prefix_list_put(struct sk_buff *skb, int attrtype,
			  const struct clink_prefix_list *l)
{
	return clink_prefix_array_put(skb, attrtype, l ? l->p : NULL,
				      l ? l->n : 0);
}
