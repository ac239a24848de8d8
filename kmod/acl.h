/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CLINK_ACL_H
#define _CLINK_ACL_H

#include "device.h"
#include "flow.h"

struct clink_vpc;

/* A rule outlives table rebuilds, so its hit counter does too. */
struct clink_acl_rule {
	u32 prio;
	u8 dir;				/* enum clink_acl_dir */
	u8 action;			/* enum clink_acl_action */
	u8 proto;			/* 0: any */
	struct clink_prefix src, dst;
	u16 sport_min, sport_max, dport_min, dport_max;	/* host order */
	u64 __percpu *hits;
	struct rcu_head rcu;
};

/* The rules of a VPC by ascending priority, replaced as a whole. */
struct clink_acl_table {
	struct rcu_head rcu;
	u32 n;
	struct clink_acl_rule *r[];
};

/*
 * True when the first rule of @vpc that matches @fl in direction @dir
 * allows it, or no rule matches. Caller holds rcu_read_lock().
 */
bool clink_acl_allow(struct clink_vpc *vpc, enum clink_acl_dir dir,
		     const struct clink_flow *fl);

/* Control plane, under cd->lock. */
void clink_acl_free_all(struct clink_vpc *vpc);

#ifdef DEBUG
bool clink_acl_selftest(void);
#endif

#endif /* _CLINK_ACL_H */
