// SPDX-License-Identifier: GPL-2.0
/*
 * Network ACLs of a VPC: priority-ordered rules, first match decides,
 * default allow.
 */

#include <linux/in.h>
#include <linux/slab.h>

#include "acl.h"
#include "netlink.h"
#include "vpc.h"

struct acl_msg {
	const struct clink_vpc *vpc;
	const struct clink_acl_rule *rule;
};

static bool acl_match(const struct clink_acl_rule *r,
		      const struct clink_flow *fl)
{
	u16 sport, dport;

	if ((r->proto && r->proto != fl->proto) ||
	    !clink_prefix_contains(&r->src, fl->saddr) ||
	    !clink_prefix_contains(&r->dst, fl->daddr))
		return false;
	if (r->proto != IPPROTO_TCP && r->proto != IPPROTO_UDP)
		return true;
	sport = ntohs(fl->sport);
	dport = ntohs(fl->dport);
	return sport >= r->sport_min && sport <= r->sport_max &&
	       dport >= r->dport_min && dport <= r->dport_max;
}

bool clink_acl_allow(struct clink_vpc *vpc, enum clink_acl_dir dir,
		     const struct clink_flow *fl)
{
	const struct clink_acl_table *t = rcu_dereference(vpc->acls);
	const struct clink_acl_rule *r;
	u32 i;

	for (i = 0; t && i < t->n; i++) {
		r = t->r[i];
		if (r->dir != dir || !acl_match(r, fl))
			continue;
		this_cpu_inc(*r->hits);
		return r->action == CLINK_ACL_ALLOW;
	}
	return true;
}

static u64 hits_of(const struct clink_acl_rule *r)
{
	u64 n = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		n += READ_ONCE(*per_cpu_ptr(r->hits, cpu));
	return n;
}

static int acl_fill(struct sk_buff *skb, struct clink_dev *cd, const void *obj)
{
	const struct acl_msg *m = obj;
	const struct clink_acl_rule *r = m->rule;

	if (nla_put_string(skb, CLINK_A_VPC_ID, m->vpc->id) ||
	    nla_put_u32(skb, CLINK_A_ACL_PRIO, r->prio) ||
	    nla_put_u8(skb, CLINK_A_ACL_DIR, r->dir) ||
	    nla_put_u8(skb, CLINK_A_ACL_ACTION, r->action) ||
	    nla_put_u8(skb, CLINK_A_ACL_PROTO, r->proto) ||
	    clink_prefix_put(skb, CLINK_A_ACL_SRC, &r->src) ||
	    clink_prefix_put(skb, CLINK_A_ACL_DST, &r->dst) ||
	    nla_put_u16(skb, CLINK_A_ACL_SPORT_MIN, r->sport_min) ||
	    nla_put_u16(skb, CLINK_A_ACL_SPORT_MAX, r->sport_max) ||
	    nla_put_u16(skb, CLINK_A_ACL_DPORT_MIN, r->dport_min) ||
	    nla_put_u16(skb, CLINK_A_ACL_DPORT_MAX, r->dport_max) ||
	    nla_put_u64_64bit(skb, CLINK_A_ACL_HITS, hits_of(r), CLINK_A_PAD))
		return -EMSGSIZE;
	return 0;
}

static void rule_free_rcu(struct rcu_head *rcu)
{
	struct clink_acl_rule *r = container_of(rcu, struct clink_acl_rule, rcu);

	free_percpu(r->hits);
	kfree(r);
}

/* Publishes the rules of @vpc with @add added (replacing @old) or @old removed. */
static int acl_rebuild(struct clink_vpc *vpc, struct clink_acl_rule *add,
		       struct clink_acl_rule *old)
{
	struct clink_acl_table *cur = clink_deref(vpc->cd, vpc->acls), *t;
	u32 i, n = 0, max = (cur ? cur->n : 0) + 1;

	t = kmalloc(struct_size(t, r, max), CLINK_GFP);
	if (!t)
		return -ENOMEM;
	for (i = 0; cur && i < cur->n; i++) {
		/* A replacement (same priority) takes the place of @old. */
		if (add && (cur->r[i] == old || add->prio < cur->r[i]->prio)) {
			t->r[n++] = add;
			add = NULL;
		}
		if (cur->r[i] != old)
			t->r[n++] = cur->r[i];
	}
	if (add)
		t->r[n++] = add;
	t->n = n;
	rcu_assign_pointer(vpc->acls, t);
	if (cur)
		kfree_rcu(cur, rcu);
	if (old)
		call_rcu(&old->rcu, rule_free_rcu);
	return 0;
}

static struct clink_acl_rule *acl_find(struct clink_vpc *vpc, u32 prio)
{
	struct clink_acl_table *t = clink_deref(vpc->cd, vpc->acls);
	u32 i;

	for (i = 0; t && i < t->n; i++)
		if (t->r[i]->prio == prio)
			return t->r[i];
	return NULL;
}

static int get_prefix(struct genl_info *info, int attr, struct clink_prefix *p)
{
	if (!info->attrs[attr]) {
		p->addr = 0;
		p->len = 0;
		return 0;
	}
	return clink_prefix_parse(info->attrs[attr], p, info->extack);
}

static int parse_ports(struct genl_info *info, struct clink_acl_rule *r)
{
	static const int attrs[] = { CLINK_A_ACL_SPORT_MIN, CLINK_A_ACL_SPORT_MAX,
				     CLINK_A_ACL_DPORT_MIN, CLINK_A_ACL_DPORT_MAX };
	u16 *port[] = { &r->sport_min, &r->sport_max, &r->dport_min,
			&r->dport_max };
	bool ports = r->proto == IPPROTO_TCP || r->proto == IPPROTO_UDP;
	struct nlattr *a;
	int i;

	for (i = 0; i < ARRAY_SIZE(attrs); i++) {
		a = info->attrs[attrs[i]];
		*port[i] = (i & 1) ? U16_MAX : 0;
		if (!a)
			continue;
		if (!ports) {
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "port ranges need protocol tcp (6) or udp (17)");
			return -EINVAL;
		}
		*port[i] = nla_get_u16(a);
	}
	if (r->sport_min > r->sport_max || r->dport_min > r->dport_max) {
		NL_SET_ERR_MSG(info->extack,
			       "a port range must not end before it starts");
		return -EINVAL;
	}
	return 0;
}

int clink_nl_new_acl(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *prio_attr = info->attrs[CLINK_A_ACL_PRIO];
	struct clink_dev *cd = clink_nl_dev(info);
	struct clink_acl_rule *r, *old;
	struct clink_vpc *vpc;
	struct acl_msg m;
	int ret;

	vpc = clink_vpc_lookup(cd, info->attrs[CLINK_A_VPC_ID], info->extack);
	if (IS_ERR(vpc))
		return PTR_ERR(vpc);
	if (!clink_nl_require(info, CLINK_A_ACL_PRIO) ||
	    !clink_nl_require(info, CLINK_A_ACL_DIR) ||
	    !clink_nl_require(info, CLINK_A_ACL_ACTION))
		return -EINVAL;
	old = acl_find(vpc, nla_get_u32(prio_attr));
	if (old && !clink_nl_replace(info)) {
		clink_err(info->extack, prio_attr,
			  "VPC %s already has an ACL rule of priority %u",
			  vpc->id, old->prio);
		return -EEXIST;
	}
	if (!old && vpc->n_acls >= CLINK_MAX_ACLS) {
		clink_err(info->extack, prio_attr,
			  "VPC %s has reached its limit of %d ACL rules",
			  vpc->id, CLINK_MAX_ACLS);
		return -ENOSPC;
	}

	r = kzalloc(sizeof(*r), CLINK_GFP);
	if (!r)
		return -ENOMEM;
	r->prio = nla_get_u32(prio_attr);
	r->dir = nla_get_u8(info->attrs[CLINK_A_ACL_DIR]);
	r->action = nla_get_u8(info->attrs[CLINK_A_ACL_ACTION]);
	if (info->attrs[CLINK_A_ACL_PROTO])
		r->proto = nla_get_u8(info->attrs[CLINK_A_ACL_PROTO]);
	ret = get_prefix(info, CLINK_A_ACL_SRC, &r->src);
	if (!ret)
		ret = get_prefix(info, CLINK_A_ACL_DST, &r->dst);
	if (!ret)
		ret = parse_ports(info, r);
	if (ret)
		goto err_free;
	ret = -ENOMEM;
	r->hits = alloc_percpu_gfp(u64, CLINK_GFP);
	if (!r->hits)
		goto err_free;
	ret = acl_rebuild(vpc, r, old);
	if (ret)
		goto err_free_hits;
	if (!old)
		vpc->n_acls++;
	clink_dev_changed(cd);
	m = (struct acl_msg){ .vpc = vpc, .rule = r };
	clink_nl_notify(cd, CLINK_CMD_NEW_ACL, acl_fill, &m,
			old ? CLINK_EVENT_CHANGED : CLINK_EVENT_ADDED);
	return 0;

err_free_hits:
	free_percpu(r->hits);
err_free:
	kfree(r);
	return ret;
}

int clink_nl_del_acl(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *prio_attr = info->attrs[CLINK_A_ACL_PRIO];
	struct clink_dev *cd = clink_nl_dev(info);
	struct clink_acl_rule *r;
	struct clink_vpc *vpc;
	struct acl_msg m;
	int ret;

	vpc = clink_vpc_lookup(cd, info->attrs[CLINK_A_VPC_ID], info->extack);
	if (IS_ERR(vpc))
		return PTR_ERR(vpc);
	if (!clink_nl_require(info, CLINK_A_ACL_PRIO))
		return -EINVAL;
	r = acl_find(vpc, nla_get_u32(prio_attr));
	if (!r) {
		clink_err(info->extack, prio_attr,
			  "VPC %s has no ACL rule of priority %u", vpc->id,
			  nla_get_u32(prio_attr));
		return -ENOENT;
	}
	m = (struct acl_msg){ .vpc = vpc, .rule = r };
	clink_nl_notify(cd, CLINK_CMD_DEL_ACL, acl_fill, &m,
			CLINK_EVENT_REMOVED);
	ret = acl_rebuild(vpc, NULL, r);
	if (ret)
		return ret;
	vpc->n_acls--;
	clink_dev_changed(cd);
	return 0;
}

/* Resumes at the next priority (pos->key), the table being sorted by it. */
int clink_nl_dump_acl(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct clink_dump_pos *pos = clink_dump_pos(cb);
	struct clink_acl_table *t;
	struct nlattr **attrs;
	struct clink_dev *cd;
	struct acl_msg m;
	int ret = 0;
	u32 i;

	cd = clink_nl_dump_begin(cb, &attrs);
	if (IS_ERR(cd))
		return PTR_ERR(cd);
	m.vpc = clink_vpc_lookup(cd, attrs[CLINK_A_VPC_ID], cb->extack);
	if (IS_ERR(m.vpc)) {
		ret = PTR_ERR(m.vpc);
		goto out;
	}
	t = clink_deref(cd, m.vpc->acls);
	for (i = 0; t && i < t->n; i++) {
		m.rule = t->r[i];
		if (m.rule->prio < pos->key)
			continue;
		ret = clink_nl_dump_obj(skb, cb, cd, acl_fill, &m);
		if (ret)
			break;
		pos->key = (u64)m.rule->prio + 1;
	}
out:
	clink_nl_dump_end(cd);
	return clink_nl_dump_ret(skb, ret);
}

void clink_acl_free_all(struct clink_vpc *vpc)
{
	struct clink_acl_table *t = clink_deref(vpc->cd, vpc->acls);
	u32 i;

	if (!t)
		return;
	RCU_INIT_POINTER(vpc->acls, NULL);
	for (i = 0; i < t->n; i++)
		call_rcu(&t->r[i]->rcu, rule_free_rcu);
	vpc->n_acls = 0;
	kfree_rcu(t, rcu);
}

#ifdef DEBUG
#include "selftest/acl.c"
#endif
