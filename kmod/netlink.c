// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family: policy, operations, device selection and
 * locking, message building, dumps and events. The handlers of each
 * object live next to the object.
 */

#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "compat.h"
#include "device.h"
#include "netlink.h"
#include "prefix.h"
#include "service.h"

/* genl_ops.internal_flags: the op takes RTNL before the device lock. */
#define CLINK_NL_RTNL	BIT(0)

#define ID_POLICY	{ .type = NLA_NUL_STRING, .len = CLINK_ID_MAXLEN - 1 }
#define ADDR_POLICY	NLA_POLICY_EXACT_LEN(sizeof(__be32))
#define LIMIT_POLICY	NLA_POLICY_FULL_RANGE(NLA_U32, &clink_limit_range)

static struct netlink_range_validation vni_range = {
	.min = 1,
	.max = 0xffffff,
};

/* 0 = the device's max-links-per-vpc */
static struct netlink_range_validation vpc_max_links_range = {
	.max = CLINK_MAX_LINKS_PER_VPC,
};

static const struct nla_policy clink_policy[CLINK_A_MAX + 1] = {
	[CLINK_A_IFINDEX]		= { .type = NLA_U32 },
	[CLINK_A_IFNAME]		= { .type = NLA_NUL_STRING,
					    .len = IFNAMSIZ - 1 },
	[CLINK_A_DEV_LOCAL]		= ADDR_POLICY,
	[CLINK_A_DEV_PORT]		= NLA_POLICY_MIN(NLA_U16, 1),
	[CLINK_A_DEV_REGION]		= ID_POLICY,
	[CLINK_A_DEV_MAC]		= NLA_POLICY_ETH_ADDR,
	[CLINK_A_DEV_MAX_LINKS_PER_VPC]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							      &clink_lpv_range),
	[CLINK_A_DEV_MAX_VPCS]		= LIMIT_POLICY,
	[CLINK_A_DEV_MAX_INSTANCES]	= LIMIT_POLICY,
	[CLINK_A_DEV_MAX_LINKS]		= LIMIT_POLICY,
	[CLINK_A_DEV_MAX_ENDPOINTS]	= LIMIT_POLICY,
	[CLINK_A_DEV_CLASSIC_SPACE]	= NLA_POLICY_NESTED(clink_prefix_list_policy),
	[CLINK_A_DEV_VPC_ELIGIBLE]	= NLA_POLICY_NESTED(clink_prefix_list_policy),
	[CLINK_A_DEV_VTEP_CHECK]	= NLA_POLICY_MAX(NLA_U8, 1),
	[CLINK_A_DEV_PROFILE]		= NLA_POLICY_MAX(NLA_U8, CLINK_PROFILE_MAX),
	[CLINK_A_VPC_ID]		= ID_POLICY,
	[CLINK_A_VPC_VNI]		= NLA_POLICY_FULL_RANGE(NLA_U32, &vni_range),
	[CLINK_A_VPC_CIDR]		= NLA_POLICY_NESTED(clink_prefix_policy),
	[CLINK_A_VPC_REGION]		= ID_POLICY,
	[CLINK_A_VPC_ACCOUNT]		= ID_POLICY,
	[CLINK_A_VPC_CLASSICLINK]	= NLA_POLICY_MAX(NLA_U8, 1),
	[CLINK_A_VPC_MAX_LINKS]		= NLA_POLICY_FULL_RANGE(NLA_U32,
						&vpc_max_links_range),
	[CLINK_A_VPC_REACH]		= NLA_POLICY_NESTED(clink_prefix_policy),
	/* 0..63 or CLINK_DSCP_INHERIT: see clink_nl_get_dscp() */
	[CLINK_A_VPC_DSCP]		= { .type = NLA_U8 },
	[CLINK_A_LINK_DSCP]		= { .type = NLA_U8 },
	[CLINK_A_EP_ADDR]		= ADDR_POLICY,
	[CLINK_A_EP_VTEP]		= ADDR_POLICY,
	[CLINK_A_EP_MAC]		= NLA_POLICY_ETH_ADDR,
	[CLINK_A_ROUTE_DST]		= NLA_POLICY_NESTED(clink_prefix_policy),
	[CLINK_A_ROUTE_TYPE]		= NLA_POLICY_MAX(NLA_U8,
						__CLINK_ROUTE_TYPE_MAX - 1),
	[CLINK_A_ROUTE_NEXTHOP]		= NLA_POLICY_RANGE(NLA_U8,
						CLINK_NEXTHOP_VPN,
						CLINK_NEXTHOP_MAX),
	[CLINK_A_INST_ID]		= ID_POLICY,
	[CLINK_A_INST_ADDR]		= ADDR_POLICY,
	[CLINK_A_INST_REGION]		= ID_POLICY,
	[CLINK_A_INST_ACCOUNT]		= ID_POLICY,
	[CLINK_A_ACL_PRIO]		= { .type = NLA_U32 },
	[CLINK_A_ACL_DIR]		= NLA_POLICY_MAX(NLA_U8, CLINK_ACL_DIR_MAX),
	[CLINK_A_ACL_ACTION]		= NLA_POLICY_MAX(NLA_U8,
						CLINK_ACL_ACTION_MAX),
	[CLINK_A_ACL_PROTO]		= { .type = NLA_U8 },
	[CLINK_A_ACL_SRC]		= NLA_POLICY_NESTED(clink_prefix_policy),
	[CLINK_A_ACL_DST]		= NLA_POLICY_NESTED(clink_prefix_policy),
	[CLINK_A_ACL_SPORT_MIN]		= { .type = NLA_U16 },
	[CLINK_A_ACL_SPORT_MAX]		= { .type = NLA_U16 },
	[CLINK_A_ACL_DPORT_MIN]		= { .type = NLA_U16 },
	[CLINK_A_ACL_DPORT_MAX]		= { .type = NLA_U16 },
	[CLINK_A_REPLACE]		= { .type = NLA_FLAG },
	[CLINK_A_SVC_ID]		= ID_POLICY,
	[CLINK_A_SVC_PROTO]		= { .type = NLA_U8 },
	[CLINK_A_SVC_PORT]		= NLA_POLICY_MIN(NLA_U16, 1),
	[CLINK_A_SVC_BACKENDS]		= NLA_POLICY_NESTED(clink_backend_list_policy),
	[CLINK_A_SVC_SNAT]		= NLA_POLICY_NESTED(clink_snat_list_policy),
	[CLINK_A_SVC_ALLOW_ACCOUNTS]	= NLA_POLICY_NESTED(clink_principal_list_policy),
	[CLINK_A_SVC_ALLOW_VPCS]	= NLA_POLICY_NESTED(clink_principal_list_policy),
	[CLINK_A_SVC_ACCEPTING]		= NLA_POLICY_MAX(NLA_U8, 1),
	[CLINK_A_VPCE_ID]		= ID_POLICY,
	[CLINK_A_VPCE_ADDR]		= ADDR_POLICY,
};

/* What clink_nl_require() calls a missing attribute. */
static const char *const attr_names[CLINK_A_MAX + 1] = {
	[CLINK_A_VPC_ID]		= "VPC id",
	[CLINK_A_VPC_VNI]		= "VPC VNI",
	[CLINK_A_VPC_CIDR]		= "VPC CIDR",
	[CLINK_A_VPC_CLASSICLINK]	= "ClassicLink setting",
	[CLINK_A_EP_ADDR]		= "endpoint address",
	[CLINK_A_EP_VTEP]		= "endpoint VTEP",
	[CLINK_A_EP_MAC]		= "endpoint MAC",
	[CLINK_A_ROUTE_DST]		= "route destination",
	[CLINK_A_ROUTE_NEXTHOP]		= "route next hop",
	[CLINK_A_INST_ID]		= "instance id",
	[CLINK_A_INST_ADDR]		= "instance address",
	[CLINK_A_ACL_PRIO]		= "ACL rule priority",
	[CLINK_A_ACL_DIR]		= "ACL rule direction",
	[CLINK_A_ACL_ACTION]		= "ACL rule action",
	[CLINK_A_SVC_ID]		= "service id",
	[CLINK_A_SVC_PROTO]		= "service protocol",
	[CLINK_A_SVC_PORT]		= "service port",
	[CLINK_A_SVC_BACKENDS]		= "service backends",
	[CLINK_A_SVC_SNAT]		= "service SNAT addresses",
	[CLINK_A_VPCE_ID]		= "VPC endpoint id",
	[CLINK_A_VPCE_ADDR]		= "VPC endpoint address",
};

static struct genl_family genl_family;

bool clink_nl_require(struct genl_info *info, int attr)
{
	if (info->attrs[attr])
		return true;
	NL_SET_ERR_ATTR_MISS(info->extack, NULL, attr);
	clink_err(info->extack, NULL, "missing %s",
		  attr_names[attr] ?: "attribute");
	return false;
}

/*
 * No range says "0..63 or 255", and a validation function on an integer
 * attribute would trip the core's policy dump (nla_get_range_unsigned()
 * warns), in the extack of a malformed request and in CTRL_CMD_GETPOLICY:
 * the handlers check the value, before they change anything.
 */
int clink_nl_get_dscp(const struct nlattr *attr, u8 dflt, u8 *dscp,
		      struct netlink_ext_ack *extack)
{
	if (!attr) {
		*dscp = dflt;
		return 0;
	}
	*dscp = nla_get_u8(attr);
	if (*dscp <= CLINK_DSCP_MAX || *dscp == CLINK_DSCP_INHERIT)
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr,
			    "DSCP must be 0..63, or 255 to copy the inner packet's");
	return -ERANGE;
}

int clink_nl_get_id(struct genl_info *info, int attr,
		    char id[CLINK_ID_MAXLEN])
{
	struct nlattr *a = info->attrs[attr];

	if (!clink_nl_require(info, attr))
		return -EINVAL;
	if (!*(char *)nla_data(a)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a, "an id cannot be empty");
		return -EINVAL;
	}
	memset(id, 0, CLINK_ID_MAXLEN);
	nla_strscpy(id, a, CLINK_ID_MAXLEN);
	return 0;
}

void clink_nl_get_str(struct nlattr *nla, char dst[CLINK_ID_MAXLEN],
		      const char *def)
{
	memset(dst, 0, CLINK_ID_MAXLEN);
	if (nla)
		nla_strscpy(dst, nla, CLINK_ID_MAXLEN);
	else
		strscpy(dst, def, CLINK_ID_MAXLEN);
}

int clink_nl_put_traffic(struct sk_buff *skb, int attrtype,
			 struct clink_traffic __percpu *t)
{
	u64 v[CLINK_TRAFFIC_N];
	struct nlattr *nest;
	int i;

	clink_traffic_read(t, v);
	nest = nla_nest_start(skb, attrtype);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < CLINK_TRAFFIC_N; i++) {
		if (nla_put_u64_64bit(skb, CLINK_STATS_A_TO_VPC_PACKETS + i,
				      v[i], CLINK_STATS_A_PAD)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* One message: header, device, the object, and for events the reason. */
static int nl_build_msg(struct sk_buff *skb, struct clink_dev *cd, u32 portid,
			u32 seq, int flags, u8 cmd, clink_fill_t fill,
			const void *obj, int reason, struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (nla_put_u32(skb, CLINK_A_IFINDEX, cd->dev->ifindex) ||
	    nla_put_string(skb, CLINK_A_IFNAME, cd->dev->name) ||
	    fill(skb, cd, obj) ||
	    (reason >= 0 && nla_put_u8(skb, CLINK_A_EVENT_REASON, reason))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

int clink_nl_reply(struct genl_info *info, clink_fill_t fill, const void *obj)
{
	struct sk_buff *skb;
	int ret;

	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	ret = nl_build_msg(skb, clink_nl_dev(info), info->snd_portid,
			   info->snd_seq, 0, info->genlhdr->cmd, fill, obj, -1,
			   NULL);
	if (ret) {
		nlmsg_free(skb);
		return ret;
	}
	return genlmsg_reply(skb, info);
}

static bool nl_listening(struct clink_dev *cd)
{
	return genl_has_listeners(&genl_family, dev_net(cd->dev), 0);
}

void clink_nl_notify(struct clink_dev *cd, u8 cmd, clink_fill_t fill,
		     const void *obj, enum clink_event_reason reason)
{
	struct sk_buff *skb;

	if (!nl_listening(cd))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		goto lost;
	if (nl_build_msg(skb, cd, 0, 0, 0, cmd, fill, obj, reason, NULL)) {
		nlmsg_free(skb);
		goto lost;
	}
	genlmsg_multicast_netns(&genl_family, dev_net(cd->dev), skb, 0, 0,
				GFP_KERNEL);
	return;
lost:
	/*
	 * The change is made: tell listeners (a BGP speaker) that they
	 * missed an event, as rtnetlink does, so that they dump again
	 * instead of announcing a stale table.
	 */
	genl_set_err(&genl_family, dev_net(cd->dev), 0, 0, -ENOBUFS);
}

static struct clink_dev *lock_dev(struct clink_dev *cd,
				  struct netlink_ext_ack *extack)
{
	mutex_lock(&cd->lock);
	if (likely(!cd->dead))
		return cd;
	mutex_unlock(&cd->lock);
	clink_dev_put(cd);
	NL_SET_ERR_MSG(extack, "the clink device is being deleted");
	return ERR_PTR(-ENODEV);
}

struct clink_dev *clink_nl_dump_begin(struct netlink_callback *cb,
				      struct nlattr ***attrs)
{
	struct clink_dev *cd;

	*attrs = genl_info_dump(cb)->attrs;
	cd = clink_dev_get(sock_net(cb->skb->sk), *attrs, cb->extack);
	if (IS_ERR(cd))
		return cd;
	cd = lock_dev(cd, cb->extack);
	if (!IS_ERR(cd))
		cb->seq = cd->generation;
	return cd;
}

void clink_nl_dump_end(struct clink_dev *cd)
{
	mutex_unlock(&cd->lock);
	clink_dev_put(cd);
}

int clink_nl_dump_obj(struct sk_buff *skb, struct netlink_callback *cb,
		      struct clink_dev *cd, clink_fill_t fill, const void *obj)
{
	const struct genlmsghdr *ghdr = nlmsg_data(cb->nlh);

	return nl_build_msg(skb, cd, NETLINK_CB(cb->skb).portid,
			    cb->nlh->nlmsg_seq, NLM_F_MULTI, ghdr->cmd, fill, obj,
			    -1, cb);
}

int clink_nl_dump_xa(struct sk_buff *skb, struct netlink_callback *cb,
		     size_t xa_offset, clink_fill_t fill)
{
	struct clink_dump_pos *pos = clink_dump_pos(cb);
	struct nlattr **attrs;
	struct clink_dev *cd;
	unsigned long index;
	struct xarray *xa;
	void *obj;
	int ret = 0;

	cd = clink_nl_dump_begin(cb, &attrs);
	if (IS_ERR(cd))
		return PTR_ERR(cd);
	xa = (void *)cd + xa_offset;
	xa_for_each_start(xa, index, obj, pos->index) {
		ret = clink_nl_dump_obj(skb, cb, cd, fill, obj);
		if (ret)
			break;
		pos->index = index + 1;
	}
	clink_nl_dump_end(cd);
	return clink_nl_dump_ret(skb, ret);
}

static int pre_doit(const struct genl_split_ops *ops, struct sk_buff *skb,
		    struct genl_info *info)
{
	struct clink_dev *cd;

	cd = clink_dev_get(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(cd))
		return PTR_ERR(cd);
	if (ops->internal_flags & CLINK_NL_RTNL)
		rtnl_lock();
	cd = lock_dev(cd, info->extack);
	if (IS_ERR(cd)) {
		if (ops->internal_flags & CLINK_NL_RTNL)
			rtnl_unlock();
		return PTR_ERR(cd);
	}
	info->user_ptr[0] = cd;
	return 0;
}

static void post_doit(const struct genl_split_ops *ops, struct sk_buff *skb,
		      struct genl_info *info)
{
	struct clink_dev *cd = clink_nl_dev(info);

	mutex_unlock(&cd->lock);
	if (ops->internal_flags & CLINK_NL_RTNL)
		rtnl_unlock();
	clink_dev_put(cd);
}

static int get_dev(struct sk_buff *skb, struct genl_info *info)
{
	return clink_nl_reply(info, clink_dev_fill, NULL);
}

struct dev_dump {
	struct sk_buff *skb;
	struct netlink_callback *cb;
};

static int dump_dev_one(struct clink_dev *cd, void *arg)
{
	struct dev_dump *d = arg;
	int ret = 0;

	mutex_lock(&cd->lock);
	if (!cd->dead)
		ret = clink_nl_dump_obj(d->skb, d->cb, cd, clink_dev_fill, NULL);
	mutex_unlock(&cd->lock);
	return ret;
}

/* All clink devices of the namespace, by ifindex. */
static int dump_dev(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct dev_dump d = { .skb = skb, .cb = cb };
	int ret;

	ret = clink_dev_for_each(sock_net(skb->sk),
				 &clink_dump_pos(cb)->index, dump_dev_one, &d);
	return clink_nl_dump_ret(skb, ret);
}

static int set_dev(struct sk_buff *skb, struct genl_info *info)
{
	struct clink_dev *cd = clink_nl_dev(info);
	struct clink_dev_cfg cfg;
	int ret;

	ret = clink_dev_cfg_parse(&cfg, info->attrs, true, info->extack);
	if (ret)
		return ret;
	ret = clink_dev_configure(cd, &cfg, info->extack);
	if (!ret)
		clink_nl_notify(cd, CLINK_CMD_SET_DEV, clink_dev_fill, NULL,
				CLINK_EVENT_CHANGED);
	return ret;
}

/*
 * Every command, reads included, needs CAP_NET_ADMIN in the user namespace
 * that owns the network namespace: a GET shows accounts, instances, ACLs
 * and counters of every tenant (WireGuard's GET is admin-only too).
 */
#define DO(c, fn)	{ .cmd = c, .doit = fn, .flags = GENL_UNS_ADMIN_PERM }
#define GET(c, d, du)	{ .cmd = c, .doit = d, .dumpit = du, \
			  .flags = GENL_UNS_ADMIN_PERM }

static const struct genl_ops genl_ops[] = {
	GET(CLINK_CMD_GET_DEV, get_dev, dump_dev),
	{ .cmd = CLINK_CMD_SET_DEV, .doit = set_dev,
	  .flags = GENL_UNS_ADMIN_PERM, .internal_flags = CLINK_NL_RTNL },
	DO(CLINK_CMD_NEW_VPC, clink_nl_new_vpc),
	DO(CLINK_CMD_SET_VPC, clink_nl_set_vpc),
	DO(CLINK_CMD_DEL_VPC, clink_nl_del_vpc),
	GET(CLINK_CMD_GET_VPC, clink_nl_get_vpc, clink_nl_dump_vpc),
	DO(CLINK_CMD_NEW_CIDR, clink_nl_new_cidr),
	DO(CLINK_CMD_DEL_CIDR, clink_nl_del_cidr),
	DO(CLINK_CMD_NEW_ENDPOINT, clink_nl_new_endpoint),
	DO(CLINK_CMD_DEL_ENDPOINT, clink_nl_del_endpoint),
	GET(CLINK_CMD_GET_ENDPOINT, clink_nl_get_endpoint,
	    clink_nl_dump_endpoint),
	DO(CLINK_CMD_NEW_ROUTE, clink_nl_new_route),
	DO(CLINK_CMD_DEL_ROUTE, clink_nl_del_route),
	GET(CLINK_CMD_GET_ROUTE, NULL, clink_nl_dump_route),
	DO(CLINK_CMD_NEW_INSTANCE, clink_nl_new_instance),
	DO(CLINK_CMD_SET_INSTANCE, clink_nl_set_instance),
	DO(CLINK_CMD_DEL_INSTANCE, clink_nl_del_instance),
	GET(CLINK_CMD_GET_INSTANCE, clink_nl_get_instance,
	    clink_nl_dump_instance),
	DO(CLINK_CMD_NEW_LINK, clink_nl_new_link),
	DO(CLINK_CMD_DEL_LINK, clink_nl_del_link),
	GET(CLINK_CMD_GET_LINK, NULL, clink_nl_dump_link),
	DO(CLINK_CMD_FLUSH_LINKS, clink_nl_flush_links),
	DO(CLINK_CMD_NEW_ACL, clink_nl_new_acl),
	DO(CLINK_CMD_DEL_ACL, clink_nl_del_acl),
	GET(CLINK_CMD_GET_ACL, NULL, clink_nl_dump_acl),
	DO(CLINK_CMD_NEW_SERVICE, clink_nl_new_service),
	DO(CLINK_CMD_SET_SERVICE, clink_nl_set_service),
	DO(CLINK_CMD_DEL_SERVICE, clink_nl_del_service),
	GET(CLINK_CMD_GET_SERVICE, clink_nl_get_service, clink_nl_dump_service),
	DO(CLINK_CMD_NEW_VPCE, clink_nl_new_vpce),
	DO(CLINK_CMD_DEL_VPCE, clink_nl_del_vpce),
	GET(CLINK_CMD_GET_VPCE, clink_nl_get_vpce, clink_nl_dump_vpce),
};

/* Events carry what GET shows: the same privilege to subscribe. */
static const struct genl_multicast_group genl_mcgrps[] = {
	{ .name = CLINK_MCGRP_EVENTS, .flags = GENL_MCAST_CAP_NET_ADMIN },
};

static struct genl_family genl_family __ro_after_init = {
	.name		= CLINK_GENL_NAME,
	.version	= CLINK_GENL_VERSION,
	.maxattr	= CLINK_A_MAX,
	.policy		= clink_policy,
	.netnsok	= true,
	.pre_doit	= pre_doit,
	.post_doit	= post_doit,
	.ops		= genl_ops,
	.n_ops		= ARRAY_SIZE(genl_ops),
	.mcgrps		= genl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(genl_mcgrps),
	.module		= THIS_MODULE,
};

int __init clink_genl_init(void)
{
	return genl_register_family(&genl_family);
}

void clink_genl_uninit(void)
{
	genl_unregister_family(&genl_family);
}
