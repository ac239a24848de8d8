// SPDX-License-Identifier: GPL-2.0
/*
 * Links: a classic instance joined to one VPC, with its classiclink route
 * and its traffic counters.
 */

#include <linux/slab.h>

#include "instance.h"
#include "link.h"
#include "netlink.h"
#include "route.h"
#include "vpc.h"

struct clink_link *clink_link_find_addr(struct clink_dev *cd, __be32 addr)
{
	struct clink_instance *inst = clink_instance_find_addr(cd, addr);

	return inst ? rcu_dereference(inst->link) : NULL;
}

static int link_fill(struct sk_buff *skb, struct clink_dev *cd,
		     const void *obj)
{
	const struct clink_link *link = obj;

	if (nla_put_string(skb, CLINK_A_INST_ID, link->inst->id) ||
	    nla_put_in_addr(skb, CLINK_A_INST_ADDR, link->inst->addr) ||
	    nla_put_string(skb, CLINK_A_VPC_ID, link->vpc->id) ||
	    (link->dscp != CLINK_DSCP_VPC &&
	     nla_put_u8(skb, CLINK_A_LINK_DSCP, link->dscp)) ||
	    clink_nl_put_traffic(skb, CLINK_A_STATS, link->traffic))
		return -EMSGSIZE;
	return 0;
}

static void link_free_rcu(struct rcu_head *rcu)
{
	struct clink_link *link = container_of(rcu, struct clink_link, rcu);

	free_percpu(link->traffic);
	kfree(link);
}

/* Rule 4: unlinking withdraws the classiclink route. */
void clink_link_del(struct clink_dev *cd, struct clink_instance *inst,
		    enum clink_event_reason reason)
{
	struct clink_link *link = clink_deref(cd, inst->link);

	clink_nl_notify(cd, CLINK_CMD_DEL_LINK, link_fill, link, reason);
	clink_route_notify_link(link, CLINK_CMD_DEL_ROUTE, reason);
	RCU_INIT_POINTER(inst->link, NULL);
	list_del(&link->vpc_node);
	link->vpc->n_links--;
	cd->n_links--;
	call_rcu(&link->rcu, link_free_rcu);
	clink_dev_changed(cd);
}

/* Rule 3 decides, in this order, whether @inst may link to @vpc. */
static int check_link(struct clink_dev *cd, struct clink_instance *inst,
		      struct clink_vpc *vpc, struct genl_info *info)
{
	struct nlattr *vpc_attr = info->attrs[CLINK_A_VPC_ID];
	struct nlattr *inst_attr = info->attrs[CLINK_A_INST_ID];
	struct netlink_ext_ack *extack = info->extack;
	struct clink_link *link;

	if (!vpc->classiclink) {
		clink_err(extack, vpc_attr, "ClassicLink is disabled on VPC %s",
			  vpc->id);
		return -EINVAL;
	}
	if (!clink_prefix_list_contains(clink_deref(cd, cd->classic_space),
					inst->addr)) {
		clink_err(extack, inst_attr,
			  "address %pI4 of instance %s lies outside the classic space",
			  &inst->addr, inst->id);
		return -EINVAL;
	}
	if (strcmp(inst->region, vpc->region)) {
		clink_err(extack, inst_attr, "instance region %s differs from VPC region %s",
			  inst->region, vpc->region);
		return -EXDEV;
	}
	if (strcmp(inst->account, vpc->account)) {
		clink_err(extack, inst_attr, "instance account %s differs from VPC account %s",
			  inst->account, vpc->account);
		return -EXDEV;
	}
	link = clink_deref(cd, inst->link);
	if (link) {
		clink_err(extack, inst_attr, "instance %s is already linked to VPC %s",
			  inst->id, link->vpc->id);
		return -EEXIST;
	}
	if (vpc->max_links && vpc->n_links >= vpc->max_links) {
		clink_err(extack, vpc_attr, "VPC %s has reached its own limit of %u links (max-links)",
			  vpc->id, vpc->max_links);
		return -ENOSPC;
	}
	if (!vpc->max_links && vpc->n_links >= cd->max_links_per_vpc) {
		clink_err(extack, vpc_attr, "VPC %s has reached the device's limit of %u links (max-links-per-vpc)",
			  vpc->id, cd->max_links_per_vpc);
		return -ENOSPC;
	}
	if (cd->n_links >= cd->max_links) {
		clink_err(extack, vpc_attr, "the gateway has reached its limit of %u links (max-links)",
			  cd->max_links);
		return -ENOSPC;
	}
	return 0;
}

/* A replace of a link that exists: only its own attributes change. */
static int replace_link(struct clink_dev *cd, struct clink_link *link, u8 dscp)
{
	if (link->dscp == dscp)
		return 0;
	WRITE_ONCE(link->dscp, dscp);
	clink_dev_changed(cd);
	clink_nl_notify(cd, CLINK_CMD_NEW_LINK, link_fill, link,
			CLINK_EVENT_CHANGED);
	return 0;
}

int clink_nl_new_link(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *dscp_attr = info->attrs[CLINK_A_LINK_DSCP];
	struct clink_dev *cd = clink_nl_dev(info);
	struct clink_instance *inst;
	struct clink_link *link;
	struct clink_vpc *vpc;
	u8 dscp;
	int ret;

	inst = clink_instance_lookup(info);
	if (IS_ERR(inst))
		return PTR_ERR(inst);
	vpc = clink_vpc_lookup(cd, info->attrs[CLINK_A_VPC_ID], info->extack);
	if (IS_ERR(vpc))
		return PTR_ERR(vpc);
	ret = clink_nl_get_dscp(dscp_attr, CLINK_DSCP_VPC, &dscp, info->extack);
	if (ret)
		return ret;
	link = clink_deref(cd, inst->link);
	if (link && link->vpc == vpc && clink_nl_replace(info))
		return replace_link(cd, link, dscp);
	ret = check_link(cd, inst, vpc, info);
	if (ret)
		return ret;

	link = kzalloc(sizeof(*link), CLINK_GFP);
	if (!link)
		return -ENOMEM;
	link->traffic = alloc_percpu_gfp(struct clink_traffic, CLINK_GFP);
	if (!link->traffic) {
		kfree(link);
		return -ENOMEM;
	}
	link->inst = inst;
	link->vpc = vpc;
	link->dscp = dscp;
	list_add_tail(&link->vpc_node, &vpc->links);
	vpc->n_links++;
	cd->n_links++;
	rcu_assign_pointer(inst->link, link);
	clink_dev_changed(cd);
	clink_nl_notify(cd, CLINK_CMD_NEW_LINK, link_fill, link,
			CLINK_EVENT_ADDED);
	clink_route_notify_link(link, CLINK_CMD_NEW_ROUTE, CLINK_EVENT_ADDED);
	return 0;
}

int clink_nl_del_link(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *vpc_attr = info->attrs[CLINK_A_VPC_ID];
	struct clink_dev *cd = clink_nl_dev(info);
	struct clink_instance *inst;
	struct clink_link *link;
	struct clink_vpc *vpc;

	inst = clink_instance_lookup(info);
	if (IS_ERR(inst))
		return PTR_ERR(inst);
	link = clink_deref(cd, inst->link);
	if (!link) {
		clink_err(info->extack, info->attrs[CLINK_A_INST_ID],
			  "instance %s is not linked", inst->id);
		return -ENOENT;
	}
	if (vpc_attr) {
		vpc = clink_vpc_lookup(cd, vpc_attr, info->extack);
		if (IS_ERR(vpc))
			return PTR_ERR(vpc);
		if (link->vpc != vpc) {
			clink_err(info->extack, vpc_attr,
				  "instance %s is linked to VPC %s, not %s",
				  inst->id, link->vpc->id, vpc->id);
			return -ENOENT;
		}
	}
	clink_link_del(cd, inst, CLINK_EVENT_REMOVED);
	return 0;
}

/* Rule 6: every link of a VPC in one request. */
int clink_nl_flush_links(struct sk_buff *skb, struct genl_info *info)
{
	struct clink_dev *cd = clink_nl_dev(info);
	struct clink_link *link, *tmp;
	struct clink_vpc *vpc;

	vpc = clink_vpc_lookup(cd, info->attrs[CLINK_A_VPC_ID], info->extack);
	if (IS_ERR(vpc))
		return PTR_ERR(vpc);
	list_for_each_entry_safe(link, tmp, &vpc->links, vpc_node)
		clink_link_del(cd, link->inst, CLINK_EVENT_FLUSHED);
	return 0;
}

struct clink_link *clink_link_next(struct clink_dev *cd, struct clink_vpc *vpc,
				   unsigned long *index)
{
	struct clink_instance *inst;
	struct clink_link *link;
	unsigned long i;

	xa_for_each_start(&cd->insts, i, inst, *index) {
		link = clink_deref(cd, inst->link);
		if (link && (!vpc || link->vpc == vpc)) {
			*index = i;
			return link;
		}
	}
	return NULL;
}

/*
 * Filters: CLINK_A_INST_ADDR (one link at most), CLINK_A_VPC_ID. Resumes
 * by instance index (pos->index), a key no deletion shifts.
 */
int clink_nl_dump_link(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct clink_dump_pos *pos = clink_dump_pos(cb);
	struct clink_instance *inst;
	struct clink_vpc *vpc = NULL;
	struct clink_link *link;
	struct nlattr **attrs;
	struct clink_dev *cd;
	__be32 addr;
	int ret = 0;

	cd = clink_nl_dump_begin(cb, &attrs);
	if (IS_ERR(cd))
		return PTR_ERR(cd);
	if (attrs[CLINK_A_VPC_ID]) {
		vpc = clink_vpc_lookup(cd, attrs[CLINK_A_VPC_ID], cb->extack);
		if (IS_ERR(vpc)) {
			ret = PTR_ERR(vpc);
			goto out;
		}
	}
	if (attrs[CLINK_A_INST_ADDR]) {
		addr = nla_get_in_addr(attrs[CLINK_A_INST_ADDR]);
		inst = clink_instance_find_addr(cd, addr);
		link = inst ? clink_deref(cd, inst->link) : NULL;
		if (!pos->phase && link && (!vpc || link->vpc == vpc)) {
			ret = clink_nl_dump_obj(skb, cb, cd, link_fill, link);
			if (!ret)
				pos->phase = 1;
		}
		goto out;
	}
	while ((link = clink_link_next(cd, vpc, &pos->index))) {
		ret = clink_nl_dump_obj(skb, cb, cd, link_fill, link);
		if (ret)
			break;
		pos->index++;
	}
out:
	clink_nl_dump_end(cd);
	return clink_nl_dump_ret(skb, ret);
}
