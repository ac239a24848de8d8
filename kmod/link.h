/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CLINK_LINK_H
#define _CLINK_LINK_H

#include "device.h"

struct clink_instance;
struct clink_vpc;

/* A classic instance linked to a VPC: inst->link, on vpc->links. */
struct clink_link {
	struct clink_instance *inst;
	struct clink_vpc *vpc;
	struct list_head vpc_node;	/* vpc->links, under cd->lock */
	struct clink_traffic __percpu *traffic;
	u8 dscp;			/* outer DSCP, CLINK_DSCP_INHERIT, or: */
#define CLINK_DSCP_VPC	254		/* the VPC's */
	struct rcu_head rcu;
};

/*
 * The link of the classic instance with address @addr, or NULL when there
 * is no such instance or it is not linked. Caller holds rcu_read_lock();
 * link->vpc stays valid for as long.
 */
struct clink_link *clink_link_find_addr(struct clink_dev *cd, __be32 addr);

/*
 * Unlinks @inst (which must be linked), withdrawing its classiclink route
 * with events of @reason. cd->lock held.
 */
void clink_link_del(struct clink_dev *cd, struct clink_instance *inst,
		    enum clink_event_reason reason);

/*
 * The first link of @vpc (of any VPC when NULL) whose instance's index in
 * cd->insts is at least *@index, which is set to it; NULL when none is
 * left. Dumps resume by that index. cd->lock held.
 */
struct clink_link *clink_link_next(struct clink_dev *cd, struct clink_vpc *vpc,
				   unsigned long *index);

#endif /* _CLINK_LINK_H */
