// SPDX-License-Identifier: GPL-2.0
/*
 * The fullnat session table: one session in two hash tables, by the
 * consumer's packet and by the backend's answer. The datapath looks up
 * and inserts under RCU only (rhashtable's per-bucket locks); a delayed
 * work ends idle sessions.
 */

#include <linux/jhash.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <net/tcp.h>

#include "service.h"
#include "session.h"
#include "vpc.h"

#define GC_INTERVAL	HZ
/* Random probes for a free SNAT port before giving up. */
#define SNAT_TRIES	128
#define SNAT_PORT_MIN	1024

static const struct rhashtable_params fwd_params = {
	.head_offset		= offsetof(struct clink_session, fwd_node),
	.key_offset		= offsetof(struct clink_session, fwd),
	.key_len		= sizeof(struct clink_sess_key),
	.automatic_shrinking	= true,
};

static const struct rhashtable_params rev_params = {
	.head_offset		= offsetof(struct clink_session, rev_node),
	.key_offset		= offsetof(struct clink_session, rev),
	.key_len		= sizeof(struct clink_sess_key),
	.automatic_shrinking	= true,
};

static unsigned long timeout(const struct clink_session *s)
{
	if (s->fwd.proto == IPPROTO_TCP) {
		switch (s->state) {
		case CLINK_SESS_NEW:
			return 30 * HZ;
		case CLINK_SESS_ESTABLISHED:
			return 300 * HZ;
		default:
			return 10 * HZ;
		}
	}
	return s->fwd.proto == IPPROTO_UDP ? 30 * HZ : 10 * HZ;
}

struct clink_session *clink_session_find(struct clink_dev *cd,
					 const struct clink_sess_key *key,
					 bool rev)
{
	if (rev)
		return rhashtable_lookup(&cd->sess_rev, key, rev_params);
	return rhashtable_lookup(&cd->sess_fwd, key, fwd_params);
}

void clink_session_touch(struct clink_session *s, bool rev, u8 tcp_flags)
{
	u8 state = READ_ONCE(s->state);

	if (s->fwd.proto == IPPROTO_TCP &&
	    (tcp_flags & (TCPHDR_FIN | TCPHDR_RST)))
		state = CLINK_SESS_CLOSING;
	else if (rev && state == CLINK_SESS_NEW)
		state = CLINK_SESS_ESTABLISHED;
	if (state != s->state)
		WRITE_ONCE(s->state, state);
	WRITE_ONCE(s->expires, jiffies + timeout(s));
}

/* Once only, whoever gets here first: GC, a flush, or a lost race. */
static void kill(struct clink_dev *cd, struct clink_session *s)
{
	if (test_and_set_bit(0, &s->dead))
		return;
	rhashtable_remove_fast(&cd->sess_fwd, &s->fwd_node, fwd_params);
	rhashtable_remove_fast(&cd->sess_rev, &s->rev_node, rev_params);
	atomic_dec(&s->vpce->n_sessions);
	atomic_dec(&cd->n_sessions);
	kfree_rcu(s, rcu);
}

/* Claims a free (SNAT address, port) by inserting @s into the reverse table. */
static int snat_insert(struct clink_dev *cd, struct clink_session *s)
{
	u32 start = get_random_u32();
	u32 range = s->fwd.proto == IPPROTO_ICMP ? 65536 :
		    65536 - SNAT_PORT_MIN;
	u32 base = s->fwd.proto == IPPROTO_ICMP ? 0 : SNAT_PORT_MIN;
	int i, ret;

	for (i = 0; i < SNAT_TRIES; i++) {
		s->rev.dport = htons(base + (start + i) % range);
		ret = rhashtable_lookup_insert_fast(&cd->sess_rev, &s->rev_node,
						    rev_params);
		if (ret != -EEXIST)
			return ret;
	}
	return -EADDRINUSE;
}

struct clink_session *clink_session_create(struct clink_dev *cd,
					   struct clink_vpce *vpce,
					   const struct clink_sess_key *fwd,
					   __be32 backend, __be16 bport,
					   __be32 snat)
{
	struct clink_session *s, *old;
	int ret;

	if (atomic_inc_return(&cd->n_sessions) > CLINK_MAX_SESSIONS) {
		ret = -ENOSPC;
		goto err_dec;
	}
	s = kzalloc(sizeof(*s), GFP_ATOMIC);
	if (!s) {
		ret = -ENOMEM;
		goto err_dec;
	}
	s->fwd = *fwd;
	s->rev.vni = vpce->svc->vpc->vni;
	s->rev.saddr = backend;
	s->rev.daddr = snat;
	s->rev.proto = fwd->proto;
	/* An echo reply carries the id in dport, as SNAT chooses it. */
	s->rev.sport = fwd->proto == IPPROTO_ICMP ? 0 : bport;
	s->vpce = vpce;
	s->state = CLINK_SESS_NEW;
	s->expires = jiffies + timeout(s);

	ret = snat_insert(cd, s);
	if (ret)
		goto err_free;
	old = rhashtable_lookup_get_insert_fast(&cd->sess_fwd, &s->fwd_node,
						fwd_params);
	if (old) {
		/* Another CPU made it first, or the table refused. */
		rhashtable_remove_fast(&cd->sess_rev, &s->rev_node, rev_params);
		atomic_dec(&cd->n_sessions);
		kfree_rcu(s, rcu);
		return old;
	}
	atomic_inc(&vpce->n_sessions);
	/*
	 * A flush sets vpce->dead, waits for RCU and walks the table: either
	 * it sees this session or this sees dead.
	 */
	smp_mb();
	if (READ_ONCE(vpce->dead)) {
		kill(cd, s);
		return ERR_PTR(-ENOENT);
	}
	if (!delayed_work_pending(&cd->sess_gc))
		queue_delayed_work(system_power_efficient_wq, &cd->sess_gc,
				   GC_INTERVAL);
	return s;

err_free:
	kfree(s);
err_dec:
	atomic_dec(&cd->n_sessions);
	return ERR_PTR(ret);
}

typedef bool (*sess_match_t)(struct clink_session *s, const void *arg);

/* Kills the sessions @match accepts; process context, no lock needed. */
static void walk(struct clink_dev *cd, sess_match_t match, const void *arg)
{
	struct rhashtable_iter iter;
	struct clink_session *s;

	rhashtable_walk_enter(&cd->sess_fwd, &iter);
	rhashtable_walk_start(&iter);
	while ((s = rhashtable_walk_next(&iter))) {
		if (IS_ERR(s)) {
			if (PTR_ERR(s) == -EAGAIN)
				continue;
			break;
		}
		if (match(s, arg))
			kill(cd, s);
	}
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
}

static bool expired(struct clink_session *s, const void *arg)
{
	return time_after(jiffies, READ_ONCE(s->expires)) ||
	       !READ_ONCE(s->vpce->allowed);
}

static bool of_vpce(struct clink_session *s, const void *arg)
{
	return !arg || s->vpce == arg;
}

static void gc_work(struct work_struct *work)
{
	struct clink_dev *cd = container_of(to_delayed_work(work),
					    struct clink_dev, sess_gc);

	walk(cd, expired, NULL);
	if (atomic_read(&cd->n_sessions))
		queue_delayed_work(system_power_efficient_wq, &cd->sess_gc,
				   GC_INTERVAL);
}

void clink_session_flush(struct clink_dev *cd, struct clink_vpce *vpce)
{
	walk(cd, of_vpce, vpce);
}

int clink_session_init(struct clink_dev *cd)
{
	int ret;

	ret = rhashtable_init(&cd->sess_fwd, &fwd_params);
	if (ret)
		return ret;
	ret = rhashtable_init(&cd->sess_rev, &rev_params);
	if (ret) {
		rhashtable_destroy(&cd->sess_fwd);
		return ret;
	}
	atomic_set(&cd->n_sessions, 0);
	INIT_DELAYED_WORK(&cd->sess_gc, gc_work);
	return 0;
}

void clink_session_stop(struct clink_dev *cd)
{
	cancel_delayed_work_sync(&cd->sess_gc);
}

void clink_session_uninit(struct clink_dev *cd)
{
	rhashtable_destroy(&cd->sess_rev);
	rhashtable_destroy(&cd->sess_fwd);
}
