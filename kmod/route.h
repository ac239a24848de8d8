/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CLINK_ROUTE_H
#define _CLINK_ROUTE_H

#include "device.h"

struct clink_vpc;
struct clink_link;

struct clink_route {
	struct clink_prefix dst;
	u8 type;			/* enum clink_route_type */
	u8 nexthop;			/* enum clink_nexthop */
	bool primary;			/* the local route of the primary CIDR */
};

/*
 * The local and custom routes of a VPC, longest prefix first; replaced as
 * a whole (copy on write) by every change. Classiclink routes are not in
 * it: they are the links of the VPC (see instance.h).
 */
struct clink_route_table {
	struct rcu_head rcu;
	struct clink_prefix primary;	/* the VPC's primary CIDR, for the datapath */
	struct clink_prefix reach;	/* its reach prefix, else the primary CIDR */
	u32 n;
	struct clink_route r[];
};

/*
 * Rebuilds the table of @vpc from its CIDRs and its current custom routes,
 * with @add added (or replacing the custom route to the same prefix) and
 * @del removed; either may be NULL. cd->lock held.
 */
int clink_route_rebuild(struct clink_vpc *vpc, const struct clink_route *add,
			const struct clink_prefix *del);
/*
 * Decides whether a linked classic instance may send to @daddr in @vpc:
 * 0 when @daddr is in the primary CIDR and its reach prefix and no custom
 * route claims it, otherwise the drop reason (CLINK_DROP_SECONDARY_CIDR,
 * CLINK_DROP_NO_TRANSIT or CLINK_DROP_OUTSIDE_REACH). Longest prefix wins. Caller holds
 * rcu_read_lock().
 */
enum clink_drop_reason clink_route_check(struct clink_vpc *vpc, __be32 daddr);
/* The route to exactly @dst in @vpc's table, or NULL. cd->lock held. */
const struct clink_route *clink_route_find(struct clink_vpc *vpc,
					   const struct clink_prefix *dst);
u32 clink_route_count(struct clink_vpc *vpc);
void clink_route_free(struct clink_vpc *vpc);

/* Events for a local route and for the classiclink route of @link. */
void clink_route_notify_local(struct clink_vpc *vpc,
			      const struct clink_prefix *dst, u8 cmd,
			      enum clink_event_reason reason);
void clink_route_notify_link(struct clink_link *link, u8 cmd,
			     enum clink_event_reason reason);

#ifdef DEBUG
bool clink_route_selftest(void);
#endif

#endif /* _CLINK_ROUTE_H */
