// SPDX-License-Identifier: GPL-2.0
/*
 * VPC endpoints (VPC IP -> VTEP + MAC) and the VTEPs they share.
 */

#include <linux/etherdevice.h>
#include <linux/slab.h>

#include "endpoint.h"
#include "netlink.h"
#include "service.h"
#include "vpc.h"

static const struct rhashtable_params ep_params = {
	.head_offset		= offsetof(struct clink_endpoint, node),
	.key_offset		= offsetof(struct clink_endpoint, key),
	.key_len		= sizeof(struct clink_ep_key),
	.automatic_shrinking	= true,
};

static const struct rhashtable_params vtep_params = {
	.head_offset		= offsetof(struct clink_vtep, node),
	.key_offset		= offsetof(struct clink_vtep, addr),
	.key_len		= sizeof(__be32),
	.automatic_shrinking	= true,
};

struct clink_endpoint *clink_endpoint_find(struct clink_dev *cd,
					   struct clink_vpc *vpc, __be32 addr)
{
	struct clink_ep_key key = { .vpc_index = vpc->index, .addr = addr };

	return rhashtable_lookup(&cd->endpoints, &key, ep_params);
}

static struct clink_vtep *vtep_get(struct clink_dev *cd, __be32 addr)
{
	struct clink_vtep *vtep;
	int ret;

	vtep = rhashtable_lookup_fast(&cd->vteps, &addr, vtep_params);
	if (vtep) {
		refcount_inc(&vtep->refcnt);
		return vtep;
	}
	vtep = kzalloc(sizeof(*vtep), CLINK_GFP);
	if (!vtep)
		return ERR_PTR(-ENOMEM);
	vtep->addr = addr;
	refcount_set(&vtep->refcnt, 1);
	ret = dst_cache_init(&vtep->dst_cache, CLINK_GFP);
	if (ret)
		goto err_free;
	ret = rhashtable_insert_fast(&cd->vteps, &vtep->node, vtep_params);
	if (ret)
		goto err_destroy;
	return vtep;

err_destroy:
	dst_cache_destroy(&vtep->dst_cache);
err_free:
	kfree(vtep);
	return ERR_PTR(ret);
}

static void vtep_free_rcu(struct rcu_head *rcu)
{
	struct clink_vtep *vtep = container_of(rcu, struct clink_vtep, rcu);

	dst_cache_destroy(&vtep->dst_cache);
	kfree(vtep);
}

static void vtep_put(struct clink_dev *cd, struct clink_vtep *vtep)
{
	if (!refcount_dec_and_test(&vtep->refcnt))
		return;
	rhashtable_remove_fast(&cd->vteps, &vtep->node, vtep_params);
	call_rcu(&vtep->rcu, vtep_free_rcu);
}

static int ep_fill(struct sk_buff *skb, struct clink_dev *cd, const void *obj)
{
	const struct clink_endpoint *ep = obj;
	struct clink_vtep *vtep = clink_deref(cd, ep->vtep);

	if (nla_put_string(skb, CLINK_A_VPC_ID, ep->vpc->id) ||
	    nla_put_in_addr(skb, CLINK_A_EP_ADDR, ep->key.addr) ||
	    nla_put_in_addr(skb, CLINK_A_EP_VTEP, vtep->addr) ||
	    nla_put(skb, CLINK_A_EP_MAC, ETH_ALEN, ep->mac))
		return -EMSGSIZE;
	return 0;
}

static struct clink_endpoint *ep_lookup(struct genl_info *info,
					struct clink_vpc **vpcp, __be32 *addr)
{
	struct clink_dev *cd = clink_nl_dev(info);
	struct clink_vpc *vpc;

	vpc = clink_vpc_lookup(cd, info->attrs[CLINK_A_VPC_ID], info->extack);
	if (IS_ERR(vpc))
		return ERR_CAST(vpc);
	if (!clink_nl_require(info, CLINK_A_EP_ADDR))
		return ERR_PTR(-EINVAL);
	*vpcp = vpc;
	*addr = nla_get_in_addr(info->attrs[CLINK_A_EP_ADDR]);
	return rhashtable_lookup_fast(&cd->endpoints,
				      &(struct clink_ep_key){ vpc->index, *addr },
				      ep_params);
}

static void ep_free_rcu(struct rcu_head *rcu)
{
	kfree(container_of(rcu, struct clink_endpoint, rcu));
}

/* Replacing: a new object, so that the datapath never sees a torn MAC. */
static int replace_endpoint(struct clink_dev *cd, struct clink_endpoint *old,
			    struct clink_vtep *vtep, const u8 *mac)
{
	struct clink_endpoint *ep;
	int ret;

	ep = kmemdup(old, sizeof(*old), CLINK_GFP);
	if (!ep)
		return -ENOMEM;
	RCU_INIT_POINTER(ep->vtep, vtep);
	memcpy(ep->mac, mac, ETH_ALEN);
	ret = rhashtable_replace_fast(&cd->endpoints, &old->node, &ep->node,
				      ep_params);
	if (ret) {
		kfree(ep);
		return ret;
	}
	xa_store(&cd->eps, ep->index, ep, CLINK_GFP);
	list_replace(&old->vpc_node, &ep->vpc_node);
	vtep_put(cd, clink_deref(cd, old->vtep));
	call_rcu(&old->rcu, ep_free_rcu);
	clink_dev_changed(cd);
	clink_nl_notify(cd, CLINK_CMD_NEW_ENDPOINT, ep_fill, ep,
			CLINK_EVENT_CHANGED);
	return 0;
}

int clink_nl_new_endpoint(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *addr_attr = info->attrs[CLINK_A_EP_ADDR];
	struct clink_dev *cd = clink_nl_dev(info);
	struct clink_endpoint *ep;
	struct clink_vtep *vtep;
	struct clink_vpc *vpc;
	bool pl;
	const u8 *mac;
	__be32 addr;
	int ret;

	ep = ep_lookup(info, &vpc, &addr);
	if (IS_ERR(ep))
		return PTR_ERR(ep);
	if (!clink_nl_require(info, CLINK_A_EP_VTEP) ||
	    !clink_nl_require(info, CLINK_A_EP_MAC))
		return -EINVAL;
	mac = nla_data(info->attrs[CLINK_A_EP_MAC]);
	if (!is_valid_ether_addr(mac)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[CLINK_A_EP_MAC],
				    "the endpoint MAC must be a unicast address");
		return -EINVAL;
	}
	if (!clink_vpc_has_addr(vpc, addr)) {
		clink_err(info->extack, addr_attr,
			  "address %pI4 lies outside the CIDRs of VPC %s",
			  &addr, vpc->id);
		return -EINVAL;
	}
	rcu_read_lock();
	pl = clink_pl_addr_find(cd, vpc->index, addr);
	rcu_read_unlock();
	if (pl) {
		clink_err(info->extack, addr_attr,
			  "address %pI4 of VPC %s is a VPC endpoint or SNAT address",
			  &addr, vpc->id);
		return -EADDRINUSE;
	}
	if (ep && !clink_nl_replace(info)) {
		clink_err(info->extack, addr_attr,
			  "endpoint %pI4 already exists in VPC %s", &addr,
			  vpc->id);
		return -EEXIST;
	}
	if (!ep && cd->n_endpoints >= cd->max_endpoints) {
		clink_err(info->extack, addr_attr,
			  "the gateway has reached its limit of %u endpoints (max-endpoints)",
			  cd->max_endpoints);
		return -ENOSPC;
	}
	vtep = vtep_get(cd, nla_get_in_addr(info->attrs[CLINK_A_EP_VTEP]));
	if (IS_ERR(vtep))
		return PTR_ERR(vtep);
	if (ep) {
		ret = replace_endpoint(cd, ep, vtep, mac);
		if (ret)
			vtep_put(cd, vtep);
		return ret;
	}

	ret = -ENOMEM;
	ep = kzalloc(sizeof(*ep), CLINK_GFP);
	if (!ep)
		goto err_put_vtep;
	ep->key.vpc_index = vpc->index;
	ep->key.addr = addr;
	ep->vpc = vpc;
	RCU_INIT_POINTER(ep->vtep, vtep);
	memcpy(ep->mac, mac, ETH_ALEN);
	ret = xa_alloc_cyclic(&cd->eps, &ep->index, ep, xa_limit_32b,
			      &cd->ep_next, CLINK_GFP);
	if (ret < 0)
		goto err_free;
	ret = rhashtable_insert_fast(&cd->endpoints, &ep->node, ep_params);
	if (ret)
		goto err_erase;
	list_add_tail(&ep->vpc_node, &vpc->endpoints);
	vpc->n_endpoints++;
	cd->n_endpoints++;
	clink_dev_changed(cd);
	clink_nl_notify(cd, CLINK_CMD_NEW_ENDPOINT, ep_fill, ep,
			CLINK_EVENT_ADDED);
	return 0;

err_erase:
	xa_erase(&cd->eps, ep->index);
err_free:
	kfree(ep);
err_put_vtep:
	vtep_put(cd, vtep);
	return ret;
}

static void destroy_endpoint(struct clink_dev *cd, struct clink_endpoint *ep)
{
	rhashtable_remove_fast(&cd->endpoints, &ep->node, ep_params);
	xa_erase(&cd->eps, ep->index);
	list_del(&ep->vpc_node);
	ep->vpc->n_endpoints--;
	cd->n_endpoints--;
	vtep_put(cd, clink_deref(cd, ep->vtep));
	call_rcu(&ep->rcu, ep_free_rcu);
}

int clink_nl_del_endpoint(struct sk_buff *skb, struct genl_info *info)
{
	struct clink_dev *cd = clink_nl_dev(info);
	struct clink_endpoint *ep;
	struct clink_vpc *vpc;
	__be32 addr;

	ep = ep_lookup(info, &vpc, &addr);
	if (IS_ERR(ep))
		return PTR_ERR(ep);
	if (!ep) {
		clink_err(info->extack, info->attrs[CLINK_A_EP_ADDR],
			  "no endpoint %pI4 in VPC %s", &addr, vpc->id);
		return -ENOENT;
	}
	clink_nl_notify(cd, CLINK_CMD_DEL_ENDPOINT, ep_fill, ep,
			CLINK_EVENT_REMOVED);
	destroy_endpoint(cd, ep);
	clink_dev_changed(cd);
	return 0;
}

int clink_nl_get_endpoint(struct sk_buff *skb, struct genl_info *info)
{
	struct clink_endpoint *ep;
	struct clink_vpc *vpc;
	__be32 addr;

	ep = ep_lookup(info, &vpc, &addr);
	if (IS_ERR(ep))
		return PTR_ERR(ep);
	if (!ep) {
		clink_err(info->extack, info->attrs[CLINK_A_EP_ADDR],
			  "no endpoint %pI4 in VPC %s", &addr, vpc->id);
		return -ENOENT;
	}
	return clink_nl_reply(info, ep_fill, ep);
}

/* By index in cd->eps (a replaced endpoint keeps it), filtered by VPC. */
int clink_nl_dump_endpoint(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct clink_dump_pos *pos = clink_dump_pos(cb);
	struct clink_endpoint *ep;
	struct clink_vpc *vpc = NULL;
	struct nlattr **attrs;
	struct clink_dev *cd;
	unsigned long index;
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
	xa_for_each_start(&cd->eps, index, ep, pos->index) {
		if (!vpc || ep->vpc == vpc) {
			ret = clink_nl_dump_obj(skb, cb, cd, ep_fill, ep);
			if (ret)
				break;
		}
		pos->index = index + 1;
	}
out:
	clink_nl_dump_end(cd);
	return clink_nl_dump_ret(skb, ret);
}

u32 clink_endpoint_count_in(struct clink_vpc *vpc, const struct clink_prefix *p)
{
	struct clink_endpoint *ep;
	u32 n = 0;

	list_for_each_entry(ep, &vpc->endpoints, vpc_node)
		n += clink_prefix_contains(p, ep->key.addr);
	return n;
}

void clink_endpoint_flush_vpc(struct clink_vpc *vpc)
{
	struct clink_endpoint *ep, *tmp;

	list_for_each_entry_safe(ep, tmp, &vpc->endpoints, vpc_node)
		destroy_endpoint(vpc->cd, ep);
}

void clink_endpoint_free_all(struct clink_dev *cd)
{
	struct clink_endpoint *ep;
	unsigned long index;

	xa_for_each(&cd->eps, index, ep)
		destroy_endpoint(cd, ep);
}

int clink_endpoint_init(struct clink_dev *cd)
{
	int ret;

	ret = rhashtable_init(&cd->endpoints, &ep_params);
	if (ret)
		return ret;
	ret = rhashtable_init(&cd->vteps, &vtep_params);
	if (ret) {
		rhashtable_destroy(&cd->endpoints);
		return ret;
	}
	xa_init_flags(&cd->eps, XA_FLAGS_ALLOC | XA_FLAGS_ACCOUNT);
	return 0;
}

void clink_endpoint_uninit(struct clink_dev *cd)
{
	rhashtable_destroy(&cd->vteps);
	rhashtable_destroy(&cd->endpoints);
	xa_destroy(&cd->eps);
}
