/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CLINK_DEVICE_H
#define _CLINK_DEVICE_H

#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/mutex.h>
#include <linux/rtnetlink.h>
#include <linux/rhashtable.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <linux/u64_stats_sync.h>
#include <net/gro_cells.h>
#include <uapi/linux/clink.h>

#include "prefix.h"

#define CLINK_VERSION "0.1.0"

/*
 * What a request allocates (objects, tables, per-CPU counters, xarray
 * nodes) is charged to the caller's memory cgroup: a container root with
 * CAP_NET_ADMIN in its own namespace allocates within its limit. When the
 * memory is not there the request fails with ENOMEM instead of waking the
 * OOM killer on its behalf. rhashtable buckets, grown by a worker, are the
 * only tables not charged.
 */
#define CLINK_GFP	(GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL)

/* UDP + IPv4 + VXLAN + inner Ethernet, as vxlan's VXLAN_HEADROOM */
#define CLINK_HEADROOM (20 + 8 + 8 + 14)

/* Traffic of a device, a VPC or a link; per CPU. */
struct clink_traffic {
	u64_stats_t to_vpc_packets;
	u64_stats_t to_vpc_bytes;
	u64_stats_t to_classic_packets;
	u64_stats_t to_classic_bytes;
	struct u64_stats_sync syncp;
};

struct clink_drops {
	u64_stats_t n[__CLINK_DROP_MAX];
	struct u64_stats_sync syncp;
};

/*
 * The device configuration the datapath reads: never changed once
 * published, a change publishes a new one (RCU), so a packet sees all of
 * one or all of the other.
 */
struct clink_dp_cfg {
	__be32 local;			/* 0: chosen by route */
	__be16 port;			/* network order */
	u8 mac[ETH_ALEN];		/* the gateway's, inner Ethernet */
	bool vtep_check;
	struct rcu_head rcu;
};

/*
 * One gateway. Writers (netlink, rtnetlink) serialise on @lock; the
 * datapath reads every table under RCU and never takes @lock.
 */
struct clink_dev {
	struct net_device *dev;
	struct list_head list;		/* clink_net->devices, under RTNL */
	struct mutex lock;
	bool dead;			/* set in ndo_uninit, under @lock */
	u32 generation;			/* bumped by every change, never 0 */

	/* configuration */
	struct clink_dp_cfg __rcu *dp;	/* what the datapath reads */
	char region[CLINK_ID_MAXLEN];
	u32 max_links_per_vpc;
	u32 max_vpcs, max_instances, max_links, max_endpoints;
	struct clink_prefix_list __rcu *classic_space;
	struct clink_prefix_list __rcu *vpc_eligible;
	u8 profile;			/* enum clink_profile */

	u32 n_vpcs, n_instances, n_links, n_endpoints;

	struct rhashtable vpcs_by_id;	/* struct clink_vpc, key id */
	struct rhashtable vpcs_by_vni;	/* struct clink_vpc, key vni */
	struct xarray vpcs;		/* dump order, index = vpc->index */
	struct rhashtable insts_by_id;
	struct rhashtable insts_by_addr;
	struct xarray insts;		/* dump order */
	struct rhashtable endpoints;	/* key struct clink_ep_key */
	struct xarray eps;		/* dump order, index = ep->index */
	struct rhashtable vteps;	/* struct clink_vtep, key addr */
	u32 vpc_next, inst_next, ep_next;	/* xa_alloc_cyclic() state */

	/* PrivateLink: service.c, session.c */
	struct rhashtable services;	/* struct clink_service, key id */
	struct xarray svcs;		/* dump order */
	struct rhashtable vpces;	/* struct clink_vpce, key id */
	struct xarray vpce_xa;		/* dump order */
	struct rhashtable pl_addrs;	/* struct clink_pl_addr */
	u32 svc_next, vpce_next;
	u32 n_services, n_vpces;
	struct rhashtable sess_fwd;	/* struct clink_session, key fwd */
	struct rhashtable sess_rev;	/* struct clink_session, key rev */
	atomic_t n_sessions;
	struct delayed_work sess_gc;

	/* datapath */
	struct socket __rcu *sock;
	struct gro_cells gro_cells;
	struct clink_drops __percpu *drops;
	struct clink_traffic __percpu *traffic;
};

/*
 * Finds the clink device a netlink request names (see the uapi header)
 * and takes a reference on it; ERR_PTR on failure. The device may be
 * dying: check cd->dead under cd->lock.
 */
struct clink_dev *clink_dev_get(struct net *net, struct nlattr **attrs,
				struct netlink_ext_ack *extack);
void clink_dev_put(struct clink_dev *cd);
/*
 * Calls @fn for each clink device of @net with an ifindex of at least
 * *@ifindex, in ifindex order, until it returns non-zero; *@ifindex is
 * then that device's, else past the last one (a dump's resume key).
 */
int clink_dev_for_each(struct net *net, unsigned long *ifindex,
		       int (*fn)(struct clink_dev *cd, void *arg), void *arg);

/* A pointer published with RCU, read by a writer holding cd->lock. */
#define clink_deref(cd, p) \
	rcu_dereference_protected(p, lockdep_is_held(&(cd)->lock))

/*
 * The datapath configuration outside the datapath: its writers hold both
 * RTNL and cd->lock, so either one will do.
 */
static inline struct clink_dp_cfg *clink_dp_cfg(struct clink_dev *cd)
{
	return rcu_dereference_protected(cd->dp, lockdep_rtnl_is_held() ||
					 lockdep_is_held(&cd->lock));
}

static inline void clink_dev_changed(struct clink_dev *cd)
{
	if (!++cd->generation)
		cd->generation = 1;
}

/* Device configuration, from rtnetlink IFLA_CLINK_* or genl SET_DEV. */
enum clink_cfg_item {
	CLINK_CFG_LOCAL,
	CLINK_CFG_PORT,
	CLINK_CFG_REGION,
	CLINK_CFG_MAC,
	CLINK_CFG_MAX_LINKS_PER_VPC,
	CLINK_CFG_MAX_VPCS,
	CLINK_CFG_MAX_INSTANCES,
	CLINK_CFG_MAX_LINKS,
	CLINK_CFG_MAX_ENDPOINTS,
	CLINK_CFG_CLASSIC_SPACE,
	CLINK_CFG_VPC_ELIGIBLE,
	CLINK_CFG_VTEP_CHECK,
	CLINK_CFG_PROFILE,		/* last: it fills the lists and the limit */
	CLINK_CFG_NR
};

struct clink_dev_cfg {
	const struct nlattr *attr[CLINK_CFG_NR];	/* NULL: unchanged */
	__be32 local;
	u16 port;
	char region[CLINK_ID_MAXLEN];
	u8 mac[ETH_ALEN];
	u32 max[CLINK_CFG_MAX_ENDPOINTS + 1];	/* CLINK_CFG_MAX_* */
	struct clink_prefix_list *classic_space;
	struct clink_prefix_list *vpc_eligible;
	bool vtep_check;
	u8 profile;
};

/* Policy ranges of the limits: 1..2^24 and max-links-per-vpc. */
extern struct netlink_range_validation clink_limit_range;
extern struct netlink_range_validation clink_lpv_range;

int clink_dev_cfg_parse(struct clink_dev_cfg *cfg, struct nlattr **tb,
			bool genl, struct netlink_ext_ack *extack);
void clink_dev_cfg_free(struct clink_dev_cfg *cfg);
/* All or nothing; RTNL and cd->lock held. Consumes the lists of @cfg. */
int clink_dev_configure(struct clink_dev *cd, struct clink_dev_cfg *cfg,
			struct netlink_ext_ack *extack);
/* The CLINK_A_DEV_* attributes of a GET_DEV reply; cd->lock held. */
int clink_dev_fill(struct sk_buff *skb, struct clink_dev *cd, const void *obj);

int clink_device_init(void);
void clink_device_uninit(void);

/* Counts and frees a dropped packet; @rx selects rx_dropped or tx_dropped. */
void clink_drop(struct clink_dev *cd, struct sk_buff *skb,
		enum clink_drop_reason reason, bool rx);
/* The drop counters summed over the CPUs, by enum clink_drop_reason. */
void clink_drops_read(struct clink_dev *cd, u64 n[__CLINK_DROP_MAX]);

extern const struct ethtool_ops clink_ethtool_ops;

enum clink_dir {
	CLINK_DIR_TO_VPC,
	CLINK_DIR_TO_CLASSIC,
};

static inline void clink_traffic_add(struct clink_traffic __percpu *t,
				     enum clink_dir dir, unsigned int len)
{
	struct clink_traffic *s = this_cpu_ptr(t);

	u64_stats_update_begin(&s->syncp);
	if (dir == CLINK_DIR_TO_VPC) {
		u64_stats_inc(&s->to_vpc_packets);
		u64_stats_add(&s->to_vpc_bytes, len);
	} else {
		u64_stats_inc(&s->to_classic_packets);
		u64_stats_add(&s->to_classic_bytes, len);
	}
	u64_stats_update_end(&s->syncp);
}

/* The order of the four counters, as CLINK_STATS_A_* after _PAD. */
#define CLINK_TRAFFIC_N 4

/* @t summed over the CPUs: to-VPC packets, bytes, to-classic packets, bytes. */
void clink_traffic_read(struct clink_traffic __percpu *t, u64 v[CLINK_TRAFFIC_N]);

#endif /* _CLINK_DEVICE_H */
