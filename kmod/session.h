/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CLINK_SESSION_H
#define _CLINK_SESSION_H

#include "device.h"

struct clink_vpce;

/*
 * A packet as the session table sees it. ICMP echo: the request's id is
 * sport, the reply's dport, so that a reply's key is the reverse of its
 * request's.
 */
struct clink_sess_key {
	u32 vni;
	__be32 saddr, daddr;
	__be16 sport, dport;
	u8 proto;
	u8 pad[3];			/* zero: part of the hash key */
};

enum clink_sess_state {
	CLINK_SESS_NEW,			/* no answer yet */
	CLINK_SESS_ESTABLISHED,
	CLINK_SESS_CLOSING,		/* TCP FIN or RST seen */
};

/*
 * A fullnat session: @fwd is the consumer's packet as it arrives, @rev
 * the backend's answer as it arrives (source backend, destination SNAT).
 */
struct clink_session {
	struct rhash_head fwd_node;	/* cd->sess_fwd */
	struct rhash_head rev_node;	/* cd->sess_rev */
	struct clink_sess_key fwd, rev;
	struct clink_vpce *vpce;
	unsigned long expires;		/* jiffies, READ_ONCE */
	unsigned long dead;		/* bit 0: out of the tables */
	u8 state;			/* enum clink_sess_state */
	struct rcu_head rcu;
};

/* Datapath; caller holds rcu_read_lock(). */
struct clink_session *clink_session_find(struct clink_dev *cd,
					 const struct clink_sess_key *key,
					 bool rev);
/*
 * A new session for @fwd towards @backend:@bport through @snat, or the
 * session another CPU made for it meanwhile; ERR_PTR(-ENOSPC) at the
 * device's limit, ERR_PTR(-EADDRINUSE) with no free SNAT port.
 */
struct clink_session *clink_session_create(struct clink_dev *cd,
					   struct clink_vpce *vpce,
					   const struct clink_sess_key *fwd,
					   __be32 backend, __be16 bport,
					   __be32 snat);
/* Bumps the state and the expiry on a packet; @tcp_flags as in tcphdr. */
void clink_session_touch(struct clink_session *s, bool rev, u8 tcp_flags);

/* Control plane, cd->lock held: ends the sessions of @vpce (NULL: all). */
void clink_session_flush(struct clink_dev *cd, struct clink_vpce *vpce);
int clink_session_init(struct clink_dev *cd);
/* Stops the garbage collector; the tables must be empty after. */
void clink_session_stop(struct clink_dev *cd);
void clink_session_uninit(struct clink_dev *cd);

#endif /* _CLINK_SESSION_H */
