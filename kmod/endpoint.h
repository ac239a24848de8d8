/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CLINK_ENDPOINT_H
#define _CLINK_ENDPOINT_H

#include <net/dst_cache.h>
#include "device.h"

struct clink_vpc;

/* A hypervisor; shared by all endpoints it hosts, so is its route cache. */
struct clink_vtep {
	struct rhash_head node;		/* cd->vteps */
	__be32 addr;
	refcount_t refcnt;		/* endpoints using it, under cd->lock */
	struct dst_cache dst_cache;
	struct rcu_head rcu;
};

struct clink_ep_key {
	u32 vpc_index;			/* clink_vpc.index: stable for the VPC's life */
	__be32 addr;
};

/* A VPC VM or load balancer: VPC IP -> hypervisor and MAC. */
struct clink_endpoint {
	struct rhash_head node;		/* cd->endpoints */
	struct clink_ep_key key;
	struct clink_vpc *vpc;
	struct list_head vpc_node;	/* vpc->endpoints, under cd->lock */
	struct clink_vtep __rcu *vtep;
	u32 index;			/* in cd->eps */
	u8 mac[ETH_ALEN];
	struct rcu_head rcu;
};

/* Caller holds rcu_read_lock(). */
struct clink_endpoint *clink_endpoint_find(struct clink_dev *cd,
					   struct clink_vpc *vpc, __be32 addr);

/* Control plane, under cd->lock. */
void clink_endpoint_flush_vpc(struct clink_vpc *vpc);
/* Number of endpoints of @vpc inside @p. */
u32 clink_endpoint_count_in(struct clink_vpc *vpc, const struct clink_prefix *p);
int clink_endpoint_init(struct clink_dev *cd);
void clink_endpoint_uninit(struct clink_dev *cd);
void clink_endpoint_free_all(struct clink_dev *cd);

#endif /* _CLINK_ENDPOINT_H */
