// SPDX-License-Identifier: GPL-2.0
/*
 * The clink netdevice: rtnl_link_ops, net_device_ops, device configuration
 * and the per-namespace list of devices.
 */

#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/ip.h>
#include <linux/module.h>
#include <linux/rtnetlink.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/rtnetlink.h>

#include "compat.h"
#include "device.h"
#include "endpoint.h"
#include "extack.h"
#include "instance.h"
#include "netlink.h"
#include "profile.h"
#include "service.h"
#include "send.h"
#include "socket.h"
#include "vpc.h"

struct clink_net {
	struct list_head devices;	/* writers hold RTNL, readers RCU */
};

static unsigned int clink_net_id __read_mostly;
static struct rtnl_link_ops link_ops;

static int clink_open(struct net_device *dev)
{
	return clink_socket_open(netdev_priv(dev));
}

static int clink_stop(struct net_device *dev)
{
	clink_socket_close(netdev_priv(dev));
	return 0;
}

static int clink_init(struct net_device *dev)
{
	struct clink_dev *cd = netdev_priv(dev);
	int ret = -ENOMEM;

	if (!CLINK_CORE_TSTATS) {
		dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
		if (!dev->tstats)
			return ret;
	}
	cd->drops = alloc_percpu_gfp(struct clink_drops, CLINK_GFP);
	if (!cd->drops)
		goto err_free_tstats;
	cd->traffic = alloc_percpu_gfp(struct clink_traffic, CLINK_GFP);
	if (!cd->traffic)
		goto err_free_drops;
	ret = gro_cells_init(&cd->gro_cells, dev);
	if (ret)
		goto err_free_traffic;
	return 0;

err_free_traffic:
	free_percpu(cd->traffic);
err_free_drops:
	free_percpu(cd->drops);
err_free_tstats:
	if (!CLINK_CORE_TSTATS)
		free_percpu(dev->tstats);
	return ret;
}

static void free_counters(struct net_device *dev)
{
	struct clink_dev *cd = netdev_priv(dev);

	free_percpu(cd->traffic);
	free_percpu(cd->drops);
	if (!CLINK_CORE_TSTATS)
		free_percpu(dev->tstats);
}

/*
 * Called under RTNL once the device is closed and unlisted and no packet
 * is in flight any more: netlink requests still holding a reference see
 * cd->dead and fail with ENODEV; every object goes (freed after RCU).
 */
static void clink_uninit(struct net_device *dev)
{
	struct clink_dev *cd = netdev_priv(dev);

	list_del_rcu(&cd->list);
	mutex_lock(&cd->lock);
	cd->dead = true;
	clink_instance_free_all(cd);
	clink_pl_free_all(cd);
	clink_endpoint_free_all(cd);
	clink_vpc_free_all(cd);
	mutex_unlock(&cd->lock);

	gro_cells_destroy(&cd->gro_cells);
	/*
	 * Without a destructor (set once registered) registration failed:
	 * nothing else will free the counters.
	 */
	if (!dev->priv_destructor)
		free_counters(dev);
}

static const struct net_device_ops clink_netdev_ops = {
	.ndo_init		= clink_init,
	.ndo_uninit		= clink_uninit,
	.ndo_open		= clink_open,
	.ndo_stop		= clink_stop,
	.ndo_start_xmit		= clink_xmit,
	/* The datapath counts drops in DEV_STATS too. */
	.ndo_get_stats64	= dev_get_tstats64,
};

static const struct device_type device_type = { .name = KBUILD_MODNAME };

static void clink_destruct(struct net_device *dev)
{
	struct clink_dev *cd = netdev_priv(dev);

	/*
	 * Tables are empty since ndo_uninit; objects may still be in RCU.
	 * The counters go only now: the stack may read them until here.
	 */
	clink_pl_uninit(cd);
	clink_instance_uninit(cd);
	clink_endpoint_uninit(cd);
	clink_vpc_uninit(cd);
	kfree(rcu_access_pointer(cd->classic_space));
	kfree(rcu_access_pointer(cd->vpc_eligible));
	kfree(rcu_access_pointer(cd->dp));
	free_counters(dev);
	mutex_destroy(&cd->lock);
}

static void clink_setup(struct net_device *dev)
{
	struct clink_dev *cd = netdev_priv(dev);
	enum { CLINK_FEATURES = NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_RXCSUM |
				NETIF_F_GSO_SOFTWARE | NETIF_F_HIGHDMA };

	dev->netdev_ops = &clink_netdev_ops;
	dev->ethtool_ops = &clink_ethtool_ops;
	dev->type = ARPHRD_NONE;
	dev->flags = IFF_POINTOPOINT | IFF_NOARP;
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->hard_header_len = 0;
	dev->addr_len = 0;
	dev->needed_headroom = LL_MAX_HEADER + CLINK_HEADROOM;
	dev->mtu = ETH_DATA_LEN - CLINK_HEADROOM;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = IP_MAX_MTU - CLINK_HEADROOM;
	dev->features |= CLINK_FEATURES;
	dev->hw_features |= CLINK_FEATURES;
	dev->hw_enc_features |= CLINK_FEATURES;
	clink_compat_setup(dev);
	dev->needs_free_netdev = true;
	SET_NETDEV_DEVTYPE(dev, &device_type);
	/* The datapath answers with ICMP, which needs the route. */
	netif_keep_dst(dev);

	cd->dev = dev;
}

struct netlink_range_validation clink_limit_range = {
	.min = 1,
	.max = 1 << 24,
};

struct netlink_range_validation clink_lpv_range = {
	.min = 1,
	.max = CLINK_MAX_LINKS_PER_VPC,
};

static const struct nla_policy clink_ifla_policy[IFLA_CLINK_MAX + 1] = {
	[IFLA_CLINK_LOCAL]		= NLA_POLICY_EXACT_LEN(sizeof(__be32)),
	[IFLA_CLINK_PORT]		= NLA_POLICY_MIN(NLA_U16, 1),
	[IFLA_CLINK_REGION]		= { .type = NLA_NUL_STRING,
					    .len = CLINK_ID_MAXLEN - 1 },
	[IFLA_CLINK_MAX_LINKS_PER_VPC]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							      &clink_lpv_range),
	[IFLA_CLINK_MAX_VPCS]		= NLA_POLICY_FULL_RANGE(NLA_U32, &clink_limit_range),
	[IFLA_CLINK_MAX_INSTANCES]	= NLA_POLICY_FULL_RANGE(NLA_U32, &clink_limit_range),
	[IFLA_CLINK_MAX_LINKS]		= NLA_POLICY_FULL_RANGE(NLA_U32, &clink_limit_range),
	[IFLA_CLINK_MAX_ENDPOINTS]	= NLA_POLICY_FULL_RANGE(NLA_U32, &clink_limit_range),
	[IFLA_CLINK_CLASSIC_SPACE]	= NLA_POLICY_NESTED(clink_prefix_list_policy),
	[IFLA_CLINK_VPC_ELIGIBLE]	= NLA_POLICY_NESTED(clink_prefix_list_policy),
	[IFLA_CLINK_VTEP_CHECK]		= NLA_POLICY_MAX(NLA_U8, 1),
	[IFLA_CLINK_PROFILE]		= NLA_POLICY_MAX(NLA_U8, CLINK_PROFILE_MAX),
};

static const u16 ifla_attrs[CLINK_CFG_NR] = {
	[CLINK_CFG_LOCAL]		= IFLA_CLINK_LOCAL,
	[CLINK_CFG_PORT]		= IFLA_CLINK_PORT,
	[CLINK_CFG_REGION]		= IFLA_CLINK_REGION,
	[CLINK_CFG_MAC]			= 0,
	[CLINK_CFG_MAX_LINKS_PER_VPC]	= IFLA_CLINK_MAX_LINKS_PER_VPC,
	[CLINK_CFG_MAX_VPCS]		= IFLA_CLINK_MAX_VPCS,
	[CLINK_CFG_MAX_INSTANCES]	= IFLA_CLINK_MAX_INSTANCES,
	[CLINK_CFG_MAX_LINKS]		= IFLA_CLINK_MAX_LINKS,
	[CLINK_CFG_MAX_ENDPOINTS]	= IFLA_CLINK_MAX_ENDPOINTS,
	[CLINK_CFG_CLASSIC_SPACE]	= IFLA_CLINK_CLASSIC_SPACE,
	[CLINK_CFG_VPC_ELIGIBLE]	= IFLA_CLINK_VPC_ELIGIBLE,
	[CLINK_CFG_VTEP_CHECK]		= IFLA_CLINK_VTEP_CHECK,
	[CLINK_CFG_PROFILE]		= IFLA_CLINK_PROFILE,
};

static const u16 genl_attrs[CLINK_CFG_NR] = {
	[CLINK_CFG_LOCAL]		= CLINK_A_DEV_LOCAL,
	[CLINK_CFG_PORT]		= CLINK_A_DEV_PORT,
	[CLINK_CFG_REGION]		= CLINK_A_DEV_REGION,
	[CLINK_CFG_MAC]			= CLINK_A_DEV_MAC,
	[CLINK_CFG_MAX_LINKS_PER_VPC]	= CLINK_A_DEV_MAX_LINKS_PER_VPC,
	[CLINK_CFG_MAX_VPCS]		= CLINK_A_DEV_MAX_VPCS,
	[CLINK_CFG_MAX_INSTANCES]	= CLINK_A_DEV_MAX_INSTANCES,
	[CLINK_CFG_MAX_LINKS]		= CLINK_A_DEV_MAX_LINKS,
	[CLINK_CFG_MAX_ENDPOINTS]	= CLINK_A_DEV_MAX_ENDPOINTS,
	[CLINK_CFG_CLASSIC_SPACE]	= CLINK_A_DEV_CLASSIC_SPACE,
	[CLINK_CFG_VPC_ELIGIBLE]	= CLINK_A_DEV_VPC_ELIGIBLE,
	[CLINK_CFG_VTEP_CHECK]		= CLINK_A_DEV_VTEP_CHECK,
	[CLINK_CFG_PROFILE]		= CLINK_A_DEV_PROFILE,
};

static const char *const limit_names[CLINK_CFG_NR] = {
	[CLINK_CFG_MAX_LINKS_PER_VPC]	= "max-links-per-vpc",
	[CLINK_CFG_MAX_VPCS]		= "max-vpcs",
	[CLINK_CFG_MAX_INSTANCES]	= "max-instances",
	[CLINK_CFG_MAX_LINKS]		= "max-links",
	[CLINK_CFG_MAX_ENDPOINTS]	= "max-endpoints",
};

void clink_dev_cfg_free(struct clink_dev_cfg *cfg)
{
	kfree(cfg->classic_space);
	kfree(cfg->vpc_eligible);
	cfg->classic_space = NULL;
	cfg->vpc_eligible = NULL;
}

int clink_dev_cfg_parse(struct clink_dev_cfg *cfg, struct nlattr **tb,
			bool genl, struct netlink_ext_ack *extack)
{
	const u16 *map = genl ? genl_attrs : ifla_attrs;
	struct clink_prefix_list *l;
	const struct nlattr *a;
	int i, ret;

	memset(cfg, 0, sizeof(*cfg));
	if (!tb)
		return 0;
	for (i = 0; i < CLINK_CFG_NR; i++) {
		a = map[i] ? tb[map[i]] : NULL;
		cfg->attr[i] = a;
		if (!a)
			continue;
		switch (i) {
		case CLINK_CFG_LOCAL:
			cfg->local = nla_get_in_addr(a);
			break;
		case CLINK_CFG_PORT:
			cfg->port = nla_get_u16(a);
			break;
		case CLINK_CFG_REGION:
			nla_strscpy(cfg->region, a, sizeof(cfg->region));
			break;
		case CLINK_CFG_VTEP_CHECK:
			cfg->vtep_check = nla_get_u8(a);
			break;
		case CLINK_CFG_PROFILE:
			ret = clink_profile_apply(cfg, extack);
			if (ret) {
				clink_dev_cfg_free(cfg);
				return ret;
			}
			break;
		case CLINK_CFG_MAC:
			memcpy(cfg->mac, nla_data(a), ETH_ALEN);
			if (!is_valid_ether_addr(cfg->mac)) {
				NL_SET_ERR_MSG_ATTR(extack, a,
						    "the gateway MAC must be a unicast address");
				goto err;
			}
			break;
		case CLINK_CFG_CLASSIC_SPACE:
		case CLINK_CFG_VPC_ELIGIBLE:
			l = clink_prefix_list_parse(a, extack);
			if (IS_ERR(l)) {
				clink_dev_cfg_free(cfg);
				return PTR_ERR(l);
			}
			if (i == CLINK_CFG_CLASSIC_SPACE && !l->n) {
				kfree(l);
				NL_SET_ERR_MSG_ATTR(extack, a,
						    "the classic space cannot be empty");
				goto err;
			}
			if (i == CLINK_CFG_CLASSIC_SPACE)
				cfg->classic_space = l;
			else
				cfg->vpc_eligible = l;
			break;
		default:
			cfg->max[i] = nla_get_u32(a);
			break;
		}
	}
	return 0;

err:
	clink_dev_cfg_free(cfg);
	return -EINVAL;
}

static u32 *limit_of(struct clink_dev *cd, int item)
{
	switch (item) {
	case CLINK_CFG_MAX_LINKS_PER_VPC:
		return &cd->max_links_per_vpc;
	case CLINK_CFG_MAX_VPCS:
		return &cd->max_vpcs;
	case CLINK_CFG_MAX_INSTANCES:
		return &cd->max_instances;
	case CLINK_CFG_MAX_LINKS:
		return &cd->max_links;
	default:
		return &cd->max_endpoints;
	}
}

static u32 count_of(struct clink_dev *cd, int item)
{
	switch (item) {
	case CLINK_CFG_MAX_VPCS:
		return cd->n_vpcs;
	case CLINK_CFG_MAX_INSTANCES:
		return cd->n_instances;
	case CLINK_CFG_MAX_LINKS:
		return cd->n_links;
	default:
		return cd->n_endpoints;
	}
}

static bool list_equal(const struct clink_prefix_list *a,
		       const struct clink_prefix_list *b)
{
	u32 i, n = a ? a->n : 0;

	if (n != (b ? b->n : 0))
		return false;
	for (i = 0; i < n; i++)
		if (!clink_prefix_equal(&a->p[i], &b->p[i]))
			return false;
	return true;
}

static void free_one(struct clink_prefix_list **l)
{
	kfree(*l);
	*l = NULL;
}

static void set_list(struct clink_dev *cd,
		     struct clink_prefix_list __rcu **slot,
		     struct clink_prefix_list **l)
{
	struct clink_prefix_list *old = clink_deref(cd, *slot);

	rcu_assign_pointer(*slot, *l);
	*l = NULL;
	if (old)
		kfree_rcu(old, rcu);
}

static int check_config(struct clink_dev *cd, struct clink_dev_cfg *cfg,
			struct netlink_ext_ack *extack)
{
	const struct clink_dp_cfg *dp = clink_dp_cfg(cd);
	const struct nlattr *const *a = cfg->attr;
	struct clink_vpc *vpc;
	unsigned long index;
	int i;

	if (netif_running(cd->dev) &&
	    ((a[CLINK_CFG_LOCAL] && cfg->local != dp->local) ||
	     (a[CLINK_CFG_PORT] && htons(cfg->port) != dp->port))) {
		NL_SET_ERR_MSG_ATTR(extack, a[CLINK_CFG_LOCAL] ?: a[CLINK_CFG_PORT],
				    "the underlay address and port cannot change while the device is up");
		return -EBUSY;
	}
	for (i = CLINK_CFG_MAX_VPCS; i <= CLINK_CFG_MAX_ENDPOINTS; i++) {
		if (a[i] && cfg->max[i] < count_of(cd, i)) {
			clink_err(extack, a[i], "%s %u is below the current count %u",
				  limit_names[i], cfg->max[i], count_of(cd, i));
			return -EBUSY;
		}
	}
	if (cfg->classic_space &&
	    list_equal(cfg->classic_space, clink_deref(cd, cd->classic_space)))
		free_one(&cfg->classic_space);
	if (cfg->vpc_eligible &&
	    list_equal(cfg->vpc_eligible, clink_deref(cd, cd->vpc_eligible)))
		free_one(&cfg->vpc_eligible);

	xa_for_each(&cd->vpcs, index, vpc) {
		i = CLINK_CFG_MAX_LINKS_PER_VPC;
		if (a[i] && !vpc->max_links && vpc->n_links > cfg->max[i]) {
			clink_err(extack, a[i], "VPC %s has %u linked instances, more than %u",
				  vpc->id, vpc->n_links, cfg->max[i]);
			return -EBUSY;
		}
		if (!vpc->classiclink)
			continue;
		if (cfg->classic_space || cfg->vpc_eligible) {
			clink_err(extack, a[cfg->classic_space ? CLINK_CFG_CLASSIC_SPACE :
					     CLINK_CFG_VPC_ELIGIBLE],
				  "VPC %s has ClassicLink enabled", vpc->id);
			return -EBUSY;
		}
		if (a[CLINK_CFG_REGION] && strcmp(vpc->region, cfg->region)) {
			clink_err(extack, a[CLINK_CFG_REGION],
				  "VPC %s of region %s has ClassicLink enabled",
				  vpc->id, vpc->region);
			return -EBUSY;
		}
	}
	return 0;
}

int clink_dev_configure(struct clink_dev *cd, struct clink_dev_cfg *cfg,
			struct netlink_ext_ack *extack)
{
	const struct nlattr *const *a = cfg->attr;
	struct clink_dp_cfg *old, *dp = NULL;
	int i, ret;

	ASSERT_RTNL();
	lockdep_assert_held(&cd->lock);

	ret = check_config(cd, cfg, extack);
	if (!ret && (a[CLINK_CFG_LOCAL] || a[CLINK_CFG_PORT] ||
		     a[CLINK_CFG_MAC] || a[CLINK_CFG_VTEP_CHECK])) {
		old = clink_dp_cfg(cd);
		dp = kmemdup(old, sizeof(*old), CLINK_GFP);
		if (!dp)
			ret = -ENOMEM;
	}
	if (ret) {
		clink_dev_cfg_free(cfg);
		return ret;
	}
	if (dp) {
		if (a[CLINK_CFG_LOCAL])
			dp->local = cfg->local;
		if (a[CLINK_CFG_PORT])
			dp->port = htons(cfg->port);
		if (a[CLINK_CFG_MAC])
			ether_addr_copy(dp->mac, cfg->mac);
		if (a[CLINK_CFG_VTEP_CHECK])
			dp->vtep_check = cfg->vtep_check;
		rcu_assign_pointer(cd->dp, dp);
		kfree_rcu(old, rcu);
	}
	if (a[CLINK_CFG_REGION])
		strscpy_pad(cd->region, cfg->region, sizeof(cd->region));
	for (i = CLINK_CFG_MAX_LINKS_PER_VPC; i <= CLINK_CFG_MAX_ENDPOINTS; i++)
		if (a[i])
			*limit_of(cd, i) = cfg->max[i];
	if (cfg->classic_space)
		set_list(cd, &cd->classic_space, &cfg->classic_space);
	if (cfg->vpc_eligible)
		set_list(cd, &cd->vpc_eligible, &cfg->vpc_eligible);
	/* the lists and limit by hand are no cloud's any more */
	if (a[CLINK_CFG_PROFILE])
		cd->profile = cfg->profile;
	else if (a[CLINK_CFG_CLASSIC_SPACE] || a[CLINK_CFG_VPC_ELIGIBLE] ||
		 a[CLINK_CFG_MAX_LINKS_PER_VPC])
		cd->profile = CLINK_PROFILE_CUSTOM;
	clink_dev_changed(cd);
	return 0;
}

static int clink_newlink(struct net *src_net, struct net_device *dev,
			 struct nlattr *tb[], struct nlattr *data[],
			 struct netlink_ext_ack *extack)
{
	struct clink_net *cn = net_generic(dev_net(dev), clink_net_id);
	struct clink_dev *cd = netdev_priv(dev);
	struct clink_prefix_list *cs;
	struct clink_dev_cfg cfg;
	struct clink_dp_cfg *dp;
	int ret;

	mutex_init(&cd->lock);
	INIT_LIST_HEAD(&cd->list);
	cd->generation = 1;
	cd->max_links_per_vpc = CLINK_DEFAULT_MAX_LINKS_PER_VPC;
	cd->max_vpcs = CLINK_DEFAULT_MAX_VPCS;
	cd->max_instances = CLINK_DEFAULT_MAX_INSTANCES;
	cd->max_links = CLINK_DEFAULT_MAX_LINKS;
	cd->max_endpoints = CLINK_DEFAULT_MAX_ENDPOINTS;
	dp = kzalloc(sizeof(*dp), CLINK_GFP);
	if (!dp)
		return -ENOMEM;
	dp->port = htons(CLINK_DEFAULT_PORT);
	eth_random_addr(dp->mac);
	dp->vtep_check = true;
	RCU_INIT_POINTER(cd->dp, dp);
	ret = -ENOMEM;
	cs = clink_prefix_list_alloc(1, CLINK_GFP);
	if (!cs)
		goto err_free_lists;
	cs->p[0].addr = htonl(0x0a000000);
	cs->p[0].len = 8;
	RCU_INIT_POINTER(cd->classic_space, cs);

	ret = clink_vpc_init(cd);
	if (ret)
		goto err_free_lists;
	ret = clink_endpoint_init(cd);
	if (ret)
		goto err_uninit_vpc;
	ret = clink_instance_init(cd);
	if (ret)
		goto err_uninit_endpoint;
	ret = clink_pl_init(cd);
	if (ret)
		goto err_uninit_instance;

	ret = clink_dev_cfg_parse(&cfg, data, false, extack);
	if (ret)
		goto err_uninit_pl;
	mutex_lock(&cd->lock);
	ret = clink_dev_configure(cd, &cfg, extack);
	mutex_unlock(&cd->lock);
	if (ret)
		goto err_uninit_pl;

	ret = register_netdevice(dev);
	if (ret)
		goto err_uninit_pl;
	list_add_rcu(&cd->list, &cn->devices);
	/* Set only now so that a failing register_netdevice leaves it to us. */
	dev->priv_destructor = clink_destruct;
	return 0;

err_uninit_pl:
	clink_pl_uninit(cd);
err_uninit_instance:
	clink_instance_uninit(cd);
err_uninit_endpoint:
	clink_endpoint_uninit(cd);
err_uninit_vpc:
	clink_vpc_uninit(cd);
err_free_lists:
	kfree(rcu_access_pointer(cd->classic_space));
	kfree(rcu_access_pointer(cd->vpc_eligible));
	kfree(rcu_access_pointer(cd->dp));
	mutex_destroy(&cd->lock);
	return ret;
}

static int clink_changelink(struct net_device *dev, struct nlattr *tb[],
			    struct nlattr *data[],
			    struct netlink_ext_ack *extack)
{
	struct clink_dev *cd = netdev_priv(dev);
	struct clink_dev_cfg cfg;
	int ret;

	ret = clink_dev_cfg_parse(&cfg, data, false, extack);
	if (ret)
		return ret;
	mutex_lock(&cd->lock);
	ret = clink_dev_configure(cd, &cfg, extack);
	if (!ret)
		clink_nl_notify(cd, CLINK_CMD_SET_DEV, clink_dev_fill, NULL,
				CLINK_EVENT_CHANGED);
	mutex_unlock(&cd->lock);
	return ret;
}

static size_t clink_get_size(const struct net_device *dev)
{
	size_t list = nla_total_size(0) + CLINK_MAX_PREFIXES *
		      (nla_total_size(0) + 2 * nla_total_size(sizeof(u32)));

	return nla_total_size(sizeof(__be32)) +		/* LOCAL */
	       nla_total_size(sizeof(u16)) +		/* PORT */
	       nla_total_size(CLINK_ID_MAXLEN) +	/* REGION */
	       5 * nla_total_size(sizeof(u32)) +	/* MAX_* */
	       2 * list +				/* lists */
	       2 * nla_total_size(sizeof(u8));		/* VTEP_CHECK, PROFILE */
}

static int clink_fill_info(struct sk_buff *skb, const struct net_device *dev)
{
	struct clink_dev *cd = netdev_priv(dev);
	const struct clink_dp_cfg *dp;
	int ret = -EMSGSIZE;

	/* RTNL is held, which serialises with every configuration change. */
	dp = clink_dp_cfg(cd);
	rcu_read_lock();
	if (nla_put_in_addr(skb, IFLA_CLINK_LOCAL, dp->local) ||
	    nla_put_u16(skb, IFLA_CLINK_PORT, ntohs(dp->port)) ||
	    nla_put_string(skb, IFLA_CLINK_REGION, cd->region) ||
	    nla_put_u32(skb, IFLA_CLINK_MAX_LINKS_PER_VPC, cd->max_links_per_vpc) ||
	    nla_put_u32(skb, IFLA_CLINK_MAX_VPCS, cd->max_vpcs) ||
	    nla_put_u32(skb, IFLA_CLINK_MAX_INSTANCES, cd->max_instances) ||
	    nla_put_u32(skb, IFLA_CLINK_MAX_LINKS, cd->max_links) ||
	    nla_put_u32(skb, IFLA_CLINK_MAX_ENDPOINTS, cd->max_endpoints) ||
	    clink_prefix_list_put(skb, IFLA_CLINK_CLASSIC_SPACE,
				  rcu_dereference(cd->classic_space)) ||
	    clink_prefix_list_put(skb, IFLA_CLINK_VPC_ELIGIBLE,
				  rcu_dereference(cd->vpc_eligible)) ||
	    nla_put_u8(skb, IFLA_CLINK_VTEP_CHECK, dp->vtep_check) ||
	    nla_put_u8(skb, IFLA_CLINK_PROFILE, cd->profile))
		goto out;
	ret = 0;
out:
	rcu_read_unlock();
	return ret;
}

static struct rtnl_link_ops link_ops __read_mostly = {
	.kind		= KBUILD_MODNAME,
	.priv_size	= sizeof(struct clink_dev),
	.maxtype	= IFLA_CLINK_MAX,
	.policy		= clink_ifla_policy,
	.setup		= clink_setup,
	.newlink	= clink_newlink,
	.changelink	= clink_changelink,
	.get_size	= clink_get_size,
	.fill_info	= clink_fill_info,
};

/* Only generic reasons that 6.1 has too. */
static const enum skb_drop_reason skb_reasons[__CLINK_DROP_MAX] = {
	[CLINK_DROP_UNSPEC]		= SKB_DROP_REASON_NOT_SPECIFIED,
	[CLINK_DROP_NO_LINK]		= SKB_DROP_REASON_NOT_SPECIFIED,
	[CLINK_DROP_SECONDARY_CIDR]	= SKB_DROP_REASON_IP_OUTNOROUTES,
	[CLINK_DROP_NO_TRANSIT]		= SKB_DROP_REASON_IP_OUTNOROUTES,
	[CLINK_DROP_ACL_DENY]		= SKB_DROP_REASON_NOT_SPECIFIED,
	[CLINK_DROP_NO_ENDPOINT]	= SKB_DROP_REASON_NEIGH_FAILED,
	[CLINK_DROP_UNKNOWN_VNI]	= SKB_DROP_REASON_NOT_SPECIFIED,
	[CLINK_DROP_MALFORMED]		= SKB_DROP_REASON_IP_INHDR,
	[CLINK_DROP_NOT_LINKED]		= SKB_DROP_REASON_NOT_SPECIFIED,
	[CLINK_DROP_SPOOFED_SOURCE]	= SKB_DROP_REASON_IP_RPFILTER,
	[CLINK_DROP_NOT_IPV4]		= SKB_DROP_REASON_UNHANDLED_PROTO,
	[CLINK_DROP_MTU]		= SKB_DROP_REASON_PKT_TOO_BIG,
	[CLINK_DROP_NO_ROUTE]		= SKB_DROP_REASON_IP_OUTNOROUTES,
	[CLINK_DROP_TTL]		= SKB_DROP_REASON_NOT_SPECIFIED,
	[CLINK_DROP_NOMEM]		= SKB_DROP_REASON_NOMEM,
	[CLINK_DROP_VTEP_MISMATCH]	= SKB_DROP_REASON_IP_RPFILTER,
	[CLINK_DROP_OUTSIDE_REACH]	= SKB_DROP_REASON_IP_OUTNOROUTES,
	[CLINK_DROP_PL_NO_SERVICE]	= SKB_DROP_REASON_NOT_SPECIFIED,
	[CLINK_DROP_PL_NOT_ALLOWED]	= SKB_DROP_REASON_NOT_SPECIFIED,
	[CLINK_DROP_PL_NO_SESSION]	= SKB_DROP_REASON_NOT_SPECIFIED,
	[CLINK_DROP_PL_SNAT_EXHAUSTED]	= SKB_DROP_REASON_NOMEM,
	[CLINK_DROP_PL_SESSION_LIMIT]	= SKB_DROP_REASON_NOMEM,
};

void clink_drop(struct clink_dev *cd, struct sk_buff *skb,
		enum clink_drop_reason reason, bool rx)
{
	struct clink_drops *d = this_cpu_ptr(cd->drops);

	if (reason >= __CLINK_DROP_MAX)
		reason = CLINK_DROP_UNSPEC;
	u64_stats_update_begin(&d->syncp);
	u64_stats_inc(&d->n[reason]);
	u64_stats_update_end(&d->syncp);
	if (rx)
		DEV_STATS_INC(cd->dev, rx_dropped);
	else
		DEV_STATS_INC(cd->dev, tx_dropped);
	/* A reason missing above must not pass for "not dropped yet". */
	kfree_skb_reason(skb, skb_reasons[reason] ?:
			      SKB_DROP_REASON_NOT_SPECIFIED);
}

void clink_drops_read(struct clink_dev *cd, u64 n[__CLINK_DROP_MAX])
{
	unsigned int start;
	int cpu, i;

	memset(n, 0, sizeof(u64) * __CLINK_DROP_MAX);
	for_each_possible_cpu(cpu) {
		const struct clink_drops *d = per_cpu_ptr(cd->drops, cpu);
		u64 v[__CLINK_DROP_MAX];

		do {
			start = u64_stats_fetch_begin(&d->syncp);
			for (i = 0; i < __CLINK_DROP_MAX; i++)
				v[i] = u64_stats_read(&d->n[i]);
		} while (u64_stats_fetch_retry(&d->syncp, start));
		for (i = 0; i < __CLINK_DROP_MAX; i++)
			n[i] += v[i];
	}
}

void clink_traffic_read(struct clink_traffic __percpu *t, u64 v[CLINK_TRAFFIC_N])
{
	u64 p[CLINK_TRAFFIC_N];
	unsigned int start;
	int cpu, i;

	memset(v, 0, sizeof(u64) * CLINK_TRAFFIC_N);
	for_each_possible_cpu(cpu) {
		const struct clink_traffic *s = per_cpu_ptr(t, cpu);

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			p[0] = u64_stats_read(&s->to_vpc_packets);
			p[1] = u64_stats_read(&s->to_vpc_bytes);
			p[2] = u64_stats_read(&s->to_classic_packets);
			p[3] = u64_stats_read(&s->to_classic_bytes);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		for (i = 0; i < CLINK_TRAFFIC_N; i++)
			v[i] += p[i];
	}
}

static int drops_put(struct sk_buff *skb, struct clink_dev *cd)
{
	u64 n[__CLINK_DROP_MAX];
	struct nlattr *nest;
	int i;

	clink_drops_read(cd, n);
	nest = nla_nest_start(skb, CLINK_A_DROPS);
	if (!nest)
		return -EMSGSIZE;
	/* Type 0 (CLINK_DROP_UNSPEC) pads the u64s. */
	for (i = CLINK_DROP_UNSPEC + 1; i < __CLINK_DROP_MAX; i++) {
		if (nla_put_u64_64bit(skb, i, n[i], CLINK_DROP_UNSPEC)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

int clink_dev_fill(struct sk_buff *skb, struct clink_dev *cd, const void *obj)
{
	const struct clink_dp_cfg *dp = clink_dp_cfg(cd);

	if (nla_put_string(skb, CLINK_A_DEV_VERSION, CLINK_VERSION) ||
	    nla_put_in_addr(skb, CLINK_A_DEV_LOCAL, dp->local) ||
	    nla_put_u16(skb, CLINK_A_DEV_PORT, ntohs(dp->port)) ||
	    nla_put_string(skb, CLINK_A_DEV_REGION, cd->region) ||
	    nla_put(skb, CLINK_A_DEV_MAC, ETH_ALEN, dp->mac) ||
	    nla_put_u32(skb, CLINK_A_DEV_MAX_LINKS_PER_VPC, cd->max_links_per_vpc) ||
	    nla_put_u32(skb, CLINK_A_DEV_MAX_VPCS, cd->max_vpcs) ||
	    nla_put_u32(skb, CLINK_A_DEV_MAX_INSTANCES, cd->max_instances) ||
	    nla_put_u32(skb, CLINK_A_DEV_MAX_LINKS, cd->max_links) ||
	    nla_put_u32(skb, CLINK_A_DEV_MAX_ENDPOINTS, cd->max_endpoints) ||
	    clink_prefix_list_put(skb, CLINK_A_DEV_CLASSIC_SPACE,
				  clink_deref(cd, cd->classic_space)) ||
	    clink_prefix_list_put(skb, CLINK_A_DEV_VPC_ELIGIBLE,
				  clink_deref(cd, cd->vpc_eligible)) ||
	    nla_put_u8(skb, CLINK_A_DEV_VTEP_CHECK, dp->vtep_check) ||
	    nla_put_u8(skb, CLINK_A_DEV_PROFILE, cd->profile) ||
	    nla_put_u32(skb, CLINK_A_DEV_N_VPCS, cd->n_vpcs) ||
	    nla_put_u32(skb, CLINK_A_DEV_N_INSTANCES, cd->n_instances) ||
	    nla_put_u32(skb, CLINK_A_DEV_N_LINKS, cd->n_links) ||
	    nla_put_u32(skb, CLINK_A_DEV_N_ENDPOINTS, cd->n_endpoints) ||
	    nla_put_u32(skb, CLINK_A_DEV_GENERATION, cd->generation) ||
	    clink_nl_put_traffic(skb, CLINK_A_STATS, cd->traffic) ||
	    drops_put(skb, cd))
		return -EMSGSIZE;
	return 0;
}

struct clink_dev *clink_dev_get(struct net *net, struct nlattr **attrs,
				struct netlink_ext_ack *extack)
{
	struct clink_net *cn = net_generic(net, clink_net_id);
	struct nlattr *ifindex = attrs[CLINK_A_IFINDEX];
	struct nlattr *ifname = attrs[CLINK_A_IFNAME];
	struct net_device *dev = NULL;
	struct clink_dev *cd;
	int n = 0;

	if (ifindex) {
		dev = dev_get_by_index(net, nla_get_u32(ifindex));
		if (!dev) {
			clink_err(extack, ifindex, "no device with ifindex %u",
				  nla_get_u32(ifindex));
			return ERR_PTR(-ENODEV);
		}
		if (ifname && nla_strcmp(ifname, dev->name)) {
			NL_SET_ERR_MSG_ATTR(extack, ifname,
					    "the ifindex and the name are of different devices");
			dev_put(dev);
			return ERR_PTR(-EINVAL);
		}
	} else if (ifname) {
		dev = dev_get_by_name(net, nla_data(ifname));
		if (!dev) {
			clink_err(extack, ifname, "no device %s",
				  (char *)nla_data(ifname));
			return ERR_PTR(-ENODEV);
		}
	} else {
		rcu_read_lock();
		list_for_each_entry_rcu(cd, &cn->devices, list) {
			if (!n++) {
				dev = cd->dev;
				dev_hold(dev);
			}
		}
		rcu_read_unlock();
		if (!n) {
			NL_SET_ERR_MSG(extack, "no clink device in this network namespace");
			return ERR_PTR(-ENODEV);
		}
		if (n > 1) {
			dev_put(dev);
			NL_SET_ERR_MSG(extack, "more than one clink device, say which one");
			return ERR_PTR(-EINVAL);
		}
	}
	if (dev->rtnl_link_ops != &link_ops) {
		clink_err(extack, ifindex ?: ifname, "%s is not a clink device",
			  dev->name);
		dev_put(dev);
		return ERR_PTR(-ENODEV);
	}
	return netdev_priv(dev);
}

void clink_dev_put(struct clink_dev *cd)
{
	dev_put(cd->dev);
}

int clink_dev_for_each(struct net *net, unsigned long *ifindex,
		       int (*fn)(struct clink_dev *cd, void *arg), void *arg)
{
	struct clink_net *cn = net_generic(net, clink_net_id);
	struct clink_dev *cd, *next;
	int ret = 0;

	/*
	 * RTNL keeps the list and every device on it. A namespace has a
	 * device or two: finding the next by ifindex each time is cheap.
	 */
	rtnl_lock();
	for (;;) {
		next = NULL;
		list_for_each_entry(cd, &cn->devices, list)
			if (cd->dev->ifindex >= *ifindex &&
			    (!next || cd->dev->ifindex < next->dev->ifindex))
				next = cd;
		if (!next)
			break;
		*ifindex = next->dev->ifindex;
		ret = fn(next, arg);
		if (ret)
			break;
		*ifindex = next->dev->ifindex + 1UL;
	}
	rtnl_unlock();
	return ret;
}

static int __net_init clink_net_init(struct net *net)
{
	struct clink_net *cn = net_generic(net, clink_net_id);

	INIT_LIST_HEAD(&cn->devices);
	return 0;
}

static void __net_exit clink_net_exit_batch_rtnl(struct list_head *net_list,
						 struct list_head *dev_kill_list)
{
	struct clink_dev *cd, *tmp;
	struct clink_net *cn;
	struct net *net;

	list_for_each_entry(net, net_list, exit_list) {
		cn = net_generic(net, clink_net_id);
		list_for_each_entry_safe(cd, tmp, &cn->devices, list)
			unregister_netdevice_queue(cd->dev, dev_kill_list);
	}
}

static struct pernet_operations clink_net_ops = {
	.init		= clink_net_init,
	.exit_batch_rtnl = clink_net_exit_batch_rtnl,
	.id		= &clink_net_id,
	.size		= sizeof(struct clink_net),
};

int __init clink_device_init(void)
{
	int ret;

	ret = register_pernet_device(&clink_net_ops);
	if (ret)
		return ret;
	ret = rtnl_link_register(&link_ops);
	if (ret)
		goto err_unregister_pernet;
	return 0;

err_unregister_pernet:
	unregister_pernet_device(&clink_net_ops);
	return ret;
}

void clink_device_uninit(void)
{
	rtnl_link_unregister(&link_ops);
	unregister_pernet_device(&clink_net_ops);
}
