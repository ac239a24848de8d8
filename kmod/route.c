// SPDX-License-Identifier: GPL-2.0
/*
 * VPC route tables: local routes (the VPC's CIDRs), custom routes (to next
 * hops outside the VPC) and, listed from the links, classiclink routes.
 */

#include <linux/slab.h>
#include <linux/sort.h>

#include "instance.h"
#include "link.h"
#include "netlink.h"
#include "route.h"
#include "vpc.h"

struct route_msg {
	const struct clink_vpc *vpc;
	const struct clink_route *r;
	const struct clink_instance *inst;	/* classiclink routes */
};

static int cmp_route(const void *a, const void *b)
{
	const struct clink_route *x = a, *y = b;

	if (x->dst.len != y->dst.len)
		return y->dst.len - x->dst.len;
	return memcmp(&x->dst.addr, &y->dst.addr, sizeof(x->dst.addr));
}

int clink_route_rebuild(struct clink_vpc *vpc, const struct clink_route *add,
			const struct clink_prefix *del)
{
	struct clink_route_table *old = clink_deref(vpc->cd, vpc->routes), *t;
	u32 i, n = 0, max = 2 + vpc->n_secondary + (old ? old->n : 0);
	const struct clink_route *r;

	t = kmalloc(struct_size(t, r, max), CLINK_GFP);
	if (!t)
		return -ENOMEM;
	t->primary = vpc->cidr;
	t->reach = vpc->reach.len ? vpc->reach : vpc->cidr;
	t->r[n++] = (struct clink_route){ .dst = vpc->cidr, .primary = true,
					  .type = CLINK_ROUTE_LOCAL };
	for (i = 0; i < vpc->n_secondary; i++)
		t->r[n++] = (struct clink_route){ .dst = vpc->secondary[i],
						  .type = CLINK_ROUTE_LOCAL };
	for (i = 0; old && i < old->n; i++) {
		r = &old->r[i];
		if (r->type != CLINK_ROUTE_CUSTOM ||
		    (add && clink_prefix_equal(&r->dst, &add->dst)) ||
		    (del && clink_prefix_equal(&r->dst, del)))
			continue;
		t->r[n++] = *r;
	}
	if (add)
		t->r[n++] = *add;
	t->n = n;
	sort(t->r, n, sizeof(t->r[0]), cmp_route, NULL);
	rcu_assign_pointer(vpc->routes, t);
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}

const struct clink_route *clink_route_find(struct clink_vpc *vpc,
					   const struct clink_prefix *dst)
{
	struct clink_route_table *t = clink_deref(vpc->cd, vpc->routes);
	u32 i;

	for (i = 0; t && i < t->n; i++)
		if (clink_prefix_equal(&t->r[i].dst, dst))
			return &t->r[i];
	return NULL;
}

u32 clink_route_count(struct clink_vpc *vpc)
{
	struct clink_route_table *t = clink_deref(vpc->cd, vpc->routes);

	return (t ? t->n : 0) + vpc->n_links;
}

void clink_route_free(struct clink_vpc *vpc)
{
	struct clink_route_table *t = clink_deref(vpc->cd, vpc->routes);

	RCU_INIT_POINTER(vpc->routes, NULL);
	if (t)
		kfree_rcu(t, rcu);
}

enum clink_drop_reason clink_route_check(struct clink_vpc *vpc, __be32 daddr)
{
	const struct clink_route_table *t = rcu_dereference(vpc->routes);
	const struct clink_route *r;
	u32 i;

	for (i = 0; t && i < t->n; i++) {
		r = &t->r[i];
		if (!clink_prefix_contains(&r->dst, daddr))
			continue;
		if (r->type != CLINK_ROUTE_LOCAL)
			return CLINK_DROP_NO_TRANSIT;
		if (!r->primary)
			return CLINK_DROP_SECONDARY_CIDR;
		return clink_prefix_contains(&t->reach, daddr) ? 0 :
		       CLINK_DROP_OUTSIDE_REACH;
	}
	return CLINK_DROP_NO_TRANSIT;
}

static int route_fill(struct sk_buff *skb, struct clink_dev *cd,
		      const void *obj)
{
	const struct route_msg *m = obj;
	const struct clink_route *r = m->r;

	if (nla_put_string(skb, CLINK_A_VPC_ID, m->vpc->id) ||
	    clink_prefix_put(skb, CLINK_A_ROUTE_DST, &r->dst) ||
	    nla_put_u8(skb, CLINK_A_ROUTE_TYPE, r->type) ||
	    (r->type == CLINK_ROUTE_CUSTOM &&
	     nla_put_u8(skb, CLINK_A_ROUTE_NEXTHOP, r->nexthop)) ||
	    (m->inst && nla_put_string(skb, CLINK_A_INST_ID, m->inst->id)))
		return -EMSGSIZE;
	return 0;
}

void clink_route_notify_local(struct clink_vpc *vpc,
			      const struct clink_prefix *dst, u8 cmd,
			      enum clink_event_reason reason)
{
	struct clink_route r = { .dst = *dst, .type = CLINK_ROUTE_LOCAL };
	struct route_msg m = { .vpc = vpc, .r = &r };

	clink_nl_notify(vpc->cd, cmd, route_fill, &m, reason);
}

void clink_route_notify_link(struct clink_link *link, u8 cmd,
			     enum clink_event_reason reason)
{
	struct clink_route r = {
		.dst = { .addr = link->inst->addr, .len = 32 },
		.type = CLINK_ROUTE_CLASSICLINK,
	};
	struct route_msg m = { .vpc = link->vpc, .r = &r, .inst = link->inst };

	clink_nl_notify(link->vpc->cd, cmd, route_fill, &m, reason);
}

/* True when @dst is the classiclink route of an instance linked to @vpc. */
static bool is_classiclink(struct clink_vpc *vpc, const struct clink_prefix *dst)
{
	struct clink_instance *inst;
	struct clink_link *link;

	if (dst->len != 32)
		return false;
	inst = clink_instance_find_addr(vpc->cd, dst->addr);
	link = inst ? clink_deref(vpc->cd, inst->link) : NULL;
	return link && link->vpc == vpc;
}

static int parse_dst(struct genl_info *info, struct clink_vpc **vpc,
		     struct clink_prefix *dst)
{
	struct clink_dev *cd = clink_nl_dev(info);

	*vpc = clink_vpc_lookup(cd, info->attrs[CLINK_A_VPC_ID], info->extack);
	if (IS_ERR(*vpc))
		return PTR_ERR(*vpc);
	if (!clink_nl_require(info, CLINK_A_ROUTE_DST))
		return -EINVAL;
	return clink_prefix_parse(info->attrs[CLINK_A_ROUTE_DST], dst,
				  info->extack);
}

int clink_nl_new_route(struct sk_buff *skb, struct genl_info *info)
{
	struct clink_route r = { .type = CLINK_ROUTE_CUSTOM };
	struct nlattr *dst_attr = info->attrs[CLINK_A_ROUTE_DST];
	struct clink_dev *cd = clink_nl_dev(info);
	const struct clink_prefix *cs;
	const struct clink_route *cur;
	struct clink_vpc *vpc;
	struct route_msg m;
	int ret;

	ret = parse_dst(info, &vpc, &r.dst);
	if (ret)
		return ret;
	if (!clink_nl_require(info, CLINK_A_ROUTE_NEXTHOP))
		return -EINVAL;
	r.nexthop = nla_get_u8(info->attrs[CLINK_A_ROUTE_NEXTHOP]);
	if (info->attrs[CLINK_A_ROUTE_TYPE] &&
	    nla_get_u8(info->attrs[CLINK_A_ROUTE_TYPE]) != CLINK_ROUTE_CUSTOM) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[CLINK_A_ROUTE_TYPE],
				    "route is managed by the kernel: only custom routes can be added");
		return -EINVAL;
	}
	cur = clink_route_find(vpc, &r.dst);
	if ((cur && cur->type != CLINK_ROUTE_CUSTOM) ||
	    is_classiclink(vpc, &r.dst)) {
		clink_err(info->extack, dst_attr,
			  "route %pI4/%u is managed by the kernel",
			  &r.dst.addr, r.dst.len);
		return -EINVAL;
	}
	if (cur && !clink_nl_replace(info)) {
		clink_err(info->extack, dst_attr,
			  "route %pI4/%u already exists in VPC %s",
			  &r.dst.addr, r.dst.len, vpc->id);
		return -EEXIST;
	}
	if (!cur && vpc->n_routes >= CLINK_MAX_ROUTES) {
		clink_err(info->extack, dst_attr,
			  "VPC %s has reached its limit of %d custom routes",
			  vpc->id, CLINK_MAX_ROUTES);
		return -ENOSPC;
	}
	cs = clink_prefix_list_find_overlap(clink_deref(cd, cd->classic_space),
					    &r.dst);
	if (vpc->classiclink && cs) {
		clink_err(info->extack, dst_attr,
			  "route %pI4/%u overlaps the classic space %pI4/%u (ClassicLink)",
			  &r.dst.addr, r.dst.len, &cs->addr, cs->len);
		return -EINVAL;
	}
	ret = clink_route_rebuild(vpc, &r, NULL);
	if (ret)
		return ret;
	if (!cur)
		vpc->n_routes++;
	clink_dev_changed(cd);
	m = (struct route_msg){ .vpc = vpc, .r = &r };
	clink_nl_notify(cd, CLINK_CMD_NEW_ROUTE, route_fill, &m,
			cur ? CLINK_EVENT_CHANGED : CLINK_EVENT_ADDED);
	return 0;
}

int clink_nl_del_route(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *dst_attr = info->attrs[CLINK_A_ROUTE_DST];
	struct clink_dev *cd = clink_nl_dev(info);
	const struct clink_route *cur;
	struct clink_prefix dst;
	struct clink_vpc *vpc;
	struct clink_route r;
	struct route_msg m;
	int ret;

	ret = parse_dst(info, &vpc, &dst);
	if (ret)
		return ret;
	cur = clink_route_find(vpc, &dst);
	if ((cur && cur->type != CLINK_ROUTE_CUSTOM) || is_classiclink(vpc, &dst)) {
		clink_err(info->extack, dst_attr,
			  "route %pI4/%u is managed by the kernel",
			  &dst.addr, dst.len);
		return -EINVAL;
	}
	if (!cur) {
		clink_err(info->extack, dst_attr, "no route %pI4/%u in VPC %s",
			  &dst.addr, dst.len, vpc->id);
		return -ENOENT;
	}
	r = *cur;
	ret = clink_route_rebuild(vpc, NULL, &dst);
	if (ret)
		return ret;
	vpc->n_routes--;
	clink_dev_changed(cd);
	m = (struct route_msg){ .vpc = vpc, .r = &r };
	clink_nl_notify(cd, CLINK_CMD_DEL_ROUTE, route_fill, &m,
			CLINK_EVENT_REMOVED);
	return 0;
}

/* The order of a route table (cmp_route()) as a number: a dump's key. */
static u64 route_key(const struct clink_route *r)
{
	return (u64)(32 - r->dst.len) << 32 | ntohl(r->dst.addr);
}

/*
 * The table's routes by key (pos->key), then the classiclink routes by
 * instance index (pos->index): no deletion between two parts of the dump
 * makes it skip or repeat a route.
 */
int clink_nl_dump_route(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct clink_dump_pos *pos = clink_dump_pos(cb);
	struct clink_route_table *t;
	struct clink_link *link;
	struct clink_route r = {};
	struct clink_vpc *vpc;
	struct nlattr **attrs;
	struct clink_dev *cd;
	struct route_msg m;
	int ret = 0;
	u32 i;

	cd = clink_nl_dump_begin(cb, &attrs);
	if (IS_ERR(cd))
		return PTR_ERR(cd);
	vpc = clink_vpc_lookup(cd, attrs[CLINK_A_VPC_ID], cb->extack);
	if (IS_ERR(vpc)) {
		ret = PTR_ERR(vpc);
		goto out;
	}
	m.vpc = vpc;
	m.inst = NULL;
	t = clink_deref(cd, vpc->routes);
	for (i = 0; !pos->phase && t && i < t->n; i++) {
		m.r = &t->r[i];
		if (route_key(m.r) < pos->key)
			continue;
		ret = clink_nl_dump_obj(skb, cb, cd, route_fill, &m);
		if (ret)
			goto out;
		pos->key = route_key(m.r) + 1;
	}
	pos->phase = 1;
	r.type = CLINK_ROUTE_CLASSICLINK;
	r.dst.len = 32;
	while ((link = clink_link_next(cd, vpc, &pos->index))) {
		r.dst.addr = link->inst->addr;
		m.r = &r;
		m.inst = link->inst;
		ret = clink_nl_dump_obj(skb, cb, cd, route_fill, &m);
		if (ret)
			break;
		pos->index++;
	}
out:
	clink_nl_dump_end(cd);
	return clink_nl_dump_ret(skb, ret);
}

#ifdef DEBUG
#include "selftest/route.c"
#endif
