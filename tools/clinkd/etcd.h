/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CLINKD_ETCD_H
#define _CLINKD_ETCD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <poll.h>
#include <json-c/json.h>

/*
 * A client of etcd v3's JSON gateway on libcurl's multi interface: every
 * request is asynchronous, has a timeout, and fails over to the next URL
 * of the list when an etcd member cannot be reached.  The caller's event
 * loop is etcd_poll().
 */

/*
 * The reply of one request: @err is 0 (@resp is the JSON reply, valid
 * during the call), -EIO (no member answered) or -EPROTO (an etcd error,
 * its message in @msg, e.g. a compacted revision).
 */
typedef void (*etcd_cb_t)(int err, struct json_object *resp, const char *msg,
			  void *arg);
/* One message of a watch stream; NULL when the stream ended. */
typedef void (*etcd_watch_cb_t)(struct json_object *result, void *arg);

int etcd_init(const char *urls);
void etcd_cleanup(void);

/* POST @body (consumed) to @path, e.g. "/v3/kv/range". */
int etcd_post(const char *path, struct json_object *body, long timeout_ms,
	      etcd_cb_t cb, void *arg);

/* Watch [@key, @end) from @rev; one watch at a time. */
int etcd_watch(const char *key, const char *end, int64_t rev,
	       etcd_watch_cb_t cb, void *arg);
void etcd_watch_cancel(void);

/*
 * Wait for etcd's sockets and @fds up to @timeout_ms, run what is ready
 * and call the callbacks.  @fds get their revents set.
 */
int etcd_poll(struct pollfd *fds, unsigned int nfds, int timeout_ms);
/* Requests in flight (the watch excluded). */
unsigned int etcd_busy(void);
/* The URL used now. */
const char *etcd_url(void);

/* base64 and the int64s etcd sends as strings: libclink's */
#include "../lib/etcd.h"

#endif /* _CLINKD_ETCD_H */
