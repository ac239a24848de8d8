/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CLINK_VPC_H
#define _CLINK_VPC_H

#include "device.h"

struct clink_route_table;
struct clink_acl_table;

struct clink_vpc {
	struct rhash_head id_node;	/* cd->vpcs_by_id */
	struct rhash_head vni_node;	/* cd->vpcs_by_vni */
	u32 index;			/* in cd->vpcs */
	struct clink_dev *cd;
	char id[CLINK_ID_MAXLEN];	/* zero padded: the hash key */
	u32 vni;
	struct clink_prefix cidr;	/* primary; the datapath reads routes->primary */
	struct clink_prefix secondary[CLINK_MAX_SECONDARY];
	u8 n_secondary;
	char region[CLINK_ID_MAXLEN];
	char account[CLINK_ID_MAXLEN];
	bool classiclink;
	u32 max_links;			/* 0: cd->max_links_per_vpc */
	struct clink_prefix reach;	/* len 0: the whole primary CIDR */
	u8 dscp;			/* outer DSCP, or CLINK_DSCP_INHERIT */
	struct list_head links;		/* struct clink_link, under cd->lock */
	u32 n_links, n_endpoints;
	u32 n_routes;			/* custom routes */
	u32 n_acls;
	u32 n_services, n_vpces;	/* PrivateLink, provider and consumer */
	struct list_head endpoints;	/* struct clink_endpoint, under cd->lock */
	struct clink_route_table __rcu *routes;	/* local + custom */
	struct clink_acl_table __rcu *acls;
	struct clink_traffic __percpu *traffic;
	struct rcu_head rcu;
};

/* Datapath lookups; the caller holds rcu_read_lock(). */
struct clink_vpc *clink_vpc_find_vni(struct clink_dev *cd, u32 vni);

/*
 * May @saddr of @vpc send to a linked instance? 0, or the drop reason:
 * CLINK_DROP_SPOOFED_SOURCE outside the primary CIDR,
 * CLINK_DROP_OUTSIDE_REACH outside the reach prefix.
 */
enum clink_drop_reason clink_vpc_check_source(struct clink_vpc *vpc,
					      __be32 saddr);

/* Control plane, under cd->lock. */
struct clink_vpc *clink_vpc_find(struct clink_dev *cd, const char *id);
/* As clink_vpc_find(), or ENOENT with an extack message naming @attr. */
struct clink_vpc *clink_vpc_lookup(struct clink_dev *cd, struct nlattr *attr,
				   struct netlink_ext_ack *extack);
/* True when @addr lies in one of @vpc's CIDRs (primary or secondary). */
bool clink_vpc_has_addr(const struct clink_vpc *vpc, __be32 addr);
int clink_vpc_init(struct clink_dev *cd);
void clink_vpc_uninit(struct clink_dev *cd);
void clink_vpc_free_all(struct clink_dev *cd);

#endif /* _CLINK_VPC_H */
