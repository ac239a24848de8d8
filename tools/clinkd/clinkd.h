/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CLINKD_H
#define _CLINKD_H

#include <stdbool.h>
#include <stdint.h>

#include "sync.h"

#ifndef CLINKD_VERSION
#define CLINKD_VERSION "unknown"
#endif

#define REQ_TIMEOUT_MS	5000
#define BACKOFF_MIN_MS	200
#define BACKOFF_MAX_MS	10000

/* CLOCK_MONOTONIC in ms */
int64_t now_ms(void);

/*
 * etcd failed (@err -EIO: no member answered) or worked; logs the first
 * failure as a warning and the return as a notice.  True on failure.
 */
bool etcd_failed(int err, const char *what, const char *msg);

/* register.c: gateways/<name> on a lease */
void reg_init(const char *name, const char *prefix, long ttl,
	      const struct sync_result *res, const int64_t *revision,
	      const int64_t *applied);
/* Grant or keep the lease alive when due, write the status if changed. */
void reg_tick(void);
/* When reg_tick() has work next (0: it waits for etcd). */
int64_t reg_wake(void);
/* The status changed: write it (now, or when the lease is back). */
void reg_changed(void);
void reg_put_status(void);
bool reg_held(void);
/* Revoke the lease; false when there is none (or it cannot be sent). */
bool reg_revoke(void);

#endif /* _CLINKD_H */
