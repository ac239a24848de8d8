// SPDX-License-Identifier: GPL-2.0
/*
 * Classic instances (their links to VPCs are in link.c).
 */

#include <linux/slab.h>

#include "instance.h"
#include "link.h"
#include "netlink.h"
#include "vpc.h"

static const struct rhashtable_params id_params = {
	.head_offset		= offsetof(struct clink_instance, id_node),
	.key_offset		= offsetof(struct clink_instance, id),
	.key_len		= CLINK_ID_MAXLEN,
	.automatic_shrinking	= true,
};

static const struct rhashtable_params addr_params = {
	.head_offset		= offsetof(struct clink_instance, addr_node),
	.key_offset		= offsetof(struct clink_instance, addr),
	.key_len		= sizeof(__be32),
	.automatic_shrinking	= true,
};

struct clink_instance *clink_instance_find_addr(struct clink_dev *cd,
						__be32 addr)
{
	return rhashtable_lookup_fast(&cd->insts_by_addr, &addr, addr_params);
}

static struct clink_instance *inst_find_id(struct clink_dev *cd, const char *id)
{
	char key[CLINK_ID_MAXLEN] = {};

	strscpy(key, id, sizeof(key));
	return rhashtable_lookup_fast(&cd->insts_by_id, key, id_params);
}

struct clink_instance *clink_instance_lookup(struct genl_info *info)
{
	struct nlattr *attr = info->attrs[CLINK_A_INST_ID];
	struct clink_instance *inst;

	if (!clink_nl_require(info, CLINK_A_INST_ID))
		return ERR_PTR(-EINVAL);
	inst = inst_find_id(clink_nl_dev(info), nla_data(attr));
	if (!inst) {
		clink_err(info->extack, attr, "instance %s does not exist",
			  (char *)nla_data(attr));
		return ERR_PTR(-ENOENT);
	}
	return inst;
}

static int inst_fill(struct sk_buff *skb, struct clink_dev *cd,
		     const void *obj)
{
	const struct clink_instance *inst = obj;
	struct clink_link *link = clink_deref(cd, inst->link);

	if (nla_put_string(skb, CLINK_A_INST_ID, inst->id) ||
	    nla_put_in_addr(skb, CLINK_A_INST_ADDR, inst->addr) ||
	    nla_put_string(skb, CLINK_A_INST_REGION, inst->region) ||
	    nla_put_string(skb, CLINK_A_INST_ACCOUNT, inst->account) ||
	    (link && nla_put_string(skb, CLINK_A_VPC_ID, link->vpc->id)))
		return -EMSGSIZE;
	return 0;
}

static int check_addr(struct clink_dev *cd, struct clink_instance *inst,
		      __be32 addr, const struct nlattr *attr,
		      struct netlink_ext_ack *extack)
{
	struct clink_instance *other;

	if (!clink_prefix_list_contains(clink_deref(cd, cd->classic_space),
					addr)) {
		clink_err(extack, attr, "address %pI4 lies outside the classic space",
			  &addr);
		return -EINVAL;
	}
	other = clink_instance_find_addr(cd, addr);
	if (other && other != inst) {
		clink_err(extack, attr, "address %pI4 is already used by instance %s",
			  &addr, other->id);
		return -EADDRINUSE;
	}
	return 0;
}

/* Rule 5: a new address (region, account) invalidates the link. */
static int update_instance(struct clink_dev *cd, struct clink_instance *inst,
			   __be32 addr, const char *region, const char *account,
			   u8 cmd)
{
	bool new_addr = addr != inst->addr;
	__be32 old = inst->addr;
	int ret;

	if (rcu_access_pointer(inst->link) &&
	    (new_addr || strcmp(region, inst->region) ||
	     strcmp(account, inst->account)))
		clink_link_del(cd, inst, new_addr ? CLINK_EVENT_IP_CHANGED :
						     CLINK_EVENT_CHANGED);
	if (new_addr) {
		rhashtable_remove_fast(&cd->insts_by_addr, &inst->addr_node,
				       addr_params);
		WRITE_ONCE(inst->addr, addr);
		ret = rhashtable_insert_fast(&cd->insts_by_addr,
					     &inst->addr_node, addr_params);
		if (ret) {
			WRITE_ONCE(inst->addr, old);
			WARN_ON(rhashtable_insert_fast(&cd->insts_by_addr,
						       &inst->addr_node,
						       addr_params));
			return ret;
		}
	}
	if (region != inst->region)
		strscpy_pad(inst->region, region, sizeof(inst->region));
	if (account != inst->account)
		strscpy_pad(inst->account, account, sizeof(inst->account));
	clink_dev_changed(cd);
	clink_nl_notify(cd, cmd, inst_fill, inst, CLINK_EVENT_CHANGED);
	return 0;
}

int clink_nl_new_instance(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *addr_attr = info->attrs[CLINK_A_INST_ADDR];
	char id[CLINK_ID_MAXLEN], region[CLINK_ID_MAXLEN];
	struct clink_dev *cd = clink_nl_dev(info);
	struct clink_instance *inst;
	char account[CLINK_ID_MAXLEN];
	__be32 addr;
	int ret;

	ret = clink_nl_get_id(info, CLINK_A_INST_ID, id);
	if (ret)
		return ret;
	if (!clink_nl_require(info, CLINK_A_INST_ADDR))
		return -EINVAL;
	addr = nla_get_in_addr(addr_attr);
	clink_nl_get_str(info->attrs[CLINK_A_INST_REGION], region, cd->region);
	clink_nl_get_str(info->attrs[CLINK_A_INST_ACCOUNT], account, "");

	inst = inst_find_id(cd, id);
	if (inst && !clink_nl_replace(info)) {
		clink_err(info->extack, info->attrs[CLINK_A_INST_ID],
			  "instance %s already exists", id);
		return -EEXIST;
	}
	ret = check_addr(cd, inst, addr, addr_attr, info->extack);
	if (ret)
		return ret;
	if (inst)
		return update_instance(cd, inst, addr, region, account,
				       CLINK_CMD_NEW_INSTANCE);
	if (cd->n_instances >= cd->max_instances) {
		clink_err(info->extack, info->attrs[CLINK_A_INST_ID],
			  "the gateway has reached its limit of %u instances (max-instances)",
			  cd->max_instances);
		return -ENOSPC;
	}

	inst = kzalloc(sizeof(*inst), CLINK_GFP);
	if (!inst)
		return -ENOMEM;
	memcpy(inst->id, id, sizeof(inst->id));
	inst->addr = addr;
	memcpy(inst->region, region, sizeof(inst->region));
	memcpy(inst->account, account, sizeof(inst->account));
	ret = xa_alloc_cyclic(&cd->insts, &inst->index, inst, xa_limit_32b,
			      &cd->inst_next, CLINK_GFP);
	if (ret < 0)
		goto err_free;
	ret = rhashtable_insert_fast(&cd->insts_by_id, &inst->id_node,
				     id_params);
	if (ret)
		goto err_erase;
	ret = rhashtable_insert_fast(&cd->insts_by_addr, &inst->addr_node,
				     addr_params);
	if (ret)
		goto err_remove_id;
	cd->n_instances++;
	clink_dev_changed(cd);
	clink_nl_notify(cd, CLINK_CMD_NEW_INSTANCE, inst_fill, inst,
			CLINK_EVENT_ADDED);
	return 0;

err_remove_id:
	rhashtable_remove_fast(&cd->insts_by_id, &inst->id_node, id_params);
err_erase:
	xa_erase(&cd->insts, inst->index);
err_free:
	kfree(inst);
	return ret;
}

int clink_nl_set_instance(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *addr_attr = info->attrs[CLINK_A_INST_ADDR];
	struct clink_dev *cd = clink_nl_dev(info);
	struct clink_instance *inst;
	__be32 addr;
	int ret;

	inst = clink_instance_lookup(info);
	if (IS_ERR(inst))
		return PTR_ERR(inst);
	if (!clink_nl_require(info, CLINK_A_INST_ADDR))
		return -EINVAL;
	addr = nla_get_in_addr(addr_attr);
	if (addr == inst->addr)
		return 0;
	ret = check_addr(cd, inst, addr, addr_attr, info->extack);
	if (ret)
		return ret;
	return update_instance(cd, inst, addr, inst->region, inst->account,
			       CLINK_CMD_SET_INSTANCE);
}

static void destroy_instance(struct clink_dev *cd, struct clink_instance *inst,
			     enum clink_event_reason reason)
{
	if (rcu_access_pointer(inst->link))
		clink_link_del(cd, inst, reason);
	rhashtable_remove_fast(&cd->insts_by_id, &inst->id_node, id_params);
	rhashtable_remove_fast(&cd->insts_by_addr, &inst->addr_node,
			       addr_params);
	xa_erase(&cd->insts, inst->index);
	cd->n_instances--;
	kfree_rcu(inst, rcu);
}

int clink_nl_del_instance(struct sk_buff *skb, struct genl_info *info)
{
	struct clink_dev *cd = clink_nl_dev(info);
	struct clink_instance *inst;

	inst = clink_instance_lookup(info);
	if (IS_ERR(inst))
		return PTR_ERR(inst);
	if (rcu_access_pointer(inst->link))
		clink_link_del(cd, inst, CLINK_EVENT_INSTANCE_DELETED);
	clink_nl_notify(cd, CLINK_CMD_DEL_INSTANCE, inst_fill, inst,
			CLINK_EVENT_REMOVED);
	destroy_instance(cd, inst, CLINK_EVENT_INSTANCE_DELETED);
	clink_dev_changed(cd);
	return 0;
}

int clink_nl_get_instance(struct sk_buff *skb, struct genl_info *info)
{
	struct clink_instance *inst = clink_instance_lookup(info);

	if (IS_ERR(inst))
		return PTR_ERR(inst);
	return clink_nl_reply(info, inst_fill, inst);
}

int clink_nl_dump_instance(struct sk_buff *skb, struct netlink_callback *cb)
{
	return clink_nl_dump_xa(skb, cb, offsetof(struct clink_dev, insts),
				inst_fill);
}

void clink_instance_free_all(struct clink_dev *cd)
{
	struct clink_instance *inst;
	unsigned long index;

	xa_for_each(&cd->insts, index, inst)
		destroy_instance(cd, inst, CLINK_EVENT_DEV_DELETED);
}

int clink_instance_init(struct clink_dev *cd)
{
	int ret;

	ret = rhashtable_init(&cd->insts_by_id, &id_params);
	if (ret)
		return ret;
	ret = rhashtable_init(&cd->insts_by_addr, &addr_params);
	if (ret) {
		rhashtable_destroy(&cd->insts_by_id);
		return ret;
	}
	xa_init_flags(&cd->insts, XA_FLAGS_ALLOC | XA_FLAGS_ACCOUNT);
	return 0;
}

void clink_instance_uninit(struct clink_dev *cd)
{
	rhashtable_destroy(&cd->insts_by_addr);
	rhashtable_destroy(&cd->insts_by_id);
	xa_destroy(&cd->insts);
}
