/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CLINK_INSTANCE_H
#define _CLINK_INSTANCE_H

#include "device.h"

struct clink_link;
struct genl_info;

/* A classic instance; linked to at most one VPC through @link. */
struct clink_instance {
	struct rhash_head id_node;	/* cd->insts_by_id */
	struct rhash_head addr_node;	/* cd->insts_by_addr */
	u32 index;			/* in cd->insts */
	char id[CLINK_ID_MAXLEN];	/* zero padded: the hash key */
	__be32 addr;
	char region[CLINK_ID_MAXLEN];
	char account[CLINK_ID_MAXLEN];
	struct clink_link __rcu *link;
	struct rcu_head rcu;
};

/*
 * The instance with address @addr, or NULL. Under cd->lock, or in the
 * datapath under rcu_read_lock().
 */
struct clink_instance *clink_instance_find_addr(struct clink_dev *cd,
						__be32 addr);

/*
 * Control plane, under cd->lock. clink_instance_lookup() finds the instance
 * a request names (CLINK_A_INST_ID), or fails with an extack message.
 */
struct clink_instance *clink_instance_lookup(struct genl_info *info);
int clink_instance_init(struct clink_dev *cd);
void clink_instance_uninit(struct clink_dev *cd);
void clink_instance_free_all(struct clink_dev *cd);

#endif /* _CLINK_INSTANCE_H */
