// SPDX-License-Identifier: GPL-2.0
/*
 * The gateway's registration: gateways/<name> on a lease, kept alive every
 * third of its TTL, rewritten whenever the status changes, revoked on a
 * clean stop.  A lease etcd forgot (it expired while etcd or the agent
 * was away) is granted again.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/utsname.h>

#include "clinkd.h"
#include "etcd.h"
#include "log.h"

#define STATUS_ERRORS	32	/* errors listed in the status key */

static struct {
	const char *name, *prefix;
	long ttl;
	const struct sync_result *res;
	const int64_t *revision, *applied;
} reg;

static int64_t lease_id;
static bool lease_busy, status_dirty, status_busy;
static int64_t keepalive_at;
static unsigned int lease_backoff_ms;

void reg_init(const char *name, const char *prefix, long ttl,
	      const struct sync_result *res, const int64_t *revision,
	      const int64_t *applied)
{
	reg.name = name;
	reg.prefix = prefix;
	reg.ttl = ttl;
	reg.res = res;
	reg.revision = revision;
	reg.applied = applied;
}

void reg_changed(void)
{
	status_dirty = true;
	reg_put_status();
}

bool reg_held(void)
{
	return lease_id != 0;
}

static void status_cb(int err, struct json_object *resp, const char *msg,
		      void *arg)
{
	(void)resp;
	(void)arg;
	status_busy = false;
	if (etcd_failed(err, "writing the status key", msg))
		status_dirty = true;
}

static struct json_object *status_record(void)
{
	struct json_object *st = json_object_new_object();
	struct json_object *errs = json_object_new_array();
	struct utsname u;
	char ts[32];
	time_t t = time(NULL);
	int n = 0;

	uname(&u);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	json_object_object_add(st, "name", json_object_new_string(reg.name));
	json_object_object_add(st, "vtep", json_object_new_string(reg.res->vtep));
	json_object_object_add(st, "version", json_object_new_string(CLINKD_VERSION));
	json_object_object_add(st, "kernel", json_object_new_string(u.release));
	json_object_object_add(st, "revision", json_object_new_int64(*reg.revision));
	json_object_object_add(st, "applied", json_object_new_int64(*reg.applied));
	json_object_object_add(st, "vpcs", json_object_new_int64(reg.res->n_vpcs));
	json_object_object_add(st, "instances", json_object_new_int64(reg.res->n_instances));
	json_object_object_add(st, "links", json_object_new_int64(reg.res->n_links));
	json_object_object_add(st, "endpoints", json_object_new_int64(reg.res->n_endpoints));
	if (reg.res->errlist) {
		json_object_object_foreach(reg.res->errlist, key, msg) {
			struct json_object *e;

			if (n++ == STATUS_ERRORS)
				break;
			e = json_object_new_object();
			json_object_object_add(e, "key", json_object_new_string(key));
			json_object_object_add(e, "error", json_object_get(msg));
			json_object_array_add(errs, e);
		}
	}
	json_object_object_add(st, "errors", errs);
	json_object_object_add(st, "updated", json_object_new_string(ts));
	return st;
}

void reg_put_status(void)
{
	struct json_object *body, *st;
	char key[512];
	const char *val;
	char *k, *v;

	if (!lease_id || status_busy || !status_dirty)
		return;
	snprintf(key, sizeof(key), "%sgateways/%s", reg.prefix, reg.name);
	st = status_record();
	val = json_object_to_json_string_ext(st, JSON_C_TO_STRING_PLAIN);
	k = b64_encode(key, strlen(key));
	v = b64_encode(val, strlen(val));
	body = json_object_new_object();
	json_object_object_add(body, "key", json_object_new_string(k));
	json_object_object_add(body, "value", json_object_new_string(v));
	json_object_object_add(body, "lease", json_object_new_int64(lease_id));
	free(k);
	free(v);
	json_object_put(st);
	status_dirty = false;
	if (!etcd_post("/v3/kv/put", body, REQ_TIMEOUT_MS, status_cb, NULL))
		status_busy = true;
}

static void lease_retry(void)
{
	lease_backoff_ms = lease_backoff_ms ? lease_backoff_ms * 2 : BACKOFF_MIN_MS;
	if (lease_backoff_ms > BACKOFF_MAX_MS / 2)
		lease_backoff_ms = BACKOFF_MAX_MS / 2;
	keepalive_at = now_ms() + lease_backoff_ms;
}

static void grant_cb(int err, struct json_object *resp, const char *msg,
		     void *arg)
{
	(void)arg;
	lease_busy = false;
	if (etcd_failed(err, "lease grant", msg)) {
		lease_retry();
		return;
	}
	lease_backoff_ms = 0;
	lease_id = etcd_int(resp, "ID");
	log_info("registered as %s on lease %llx (TTL %ld s)", reg.name,
		 (unsigned long long)lease_id, reg.ttl);
	keepalive_at = now_ms() + reg.ttl * 1000 / 3;
	status_dirty = true;
	reg_put_status();
}

static void keepalive_cb(int err, struct json_object *resp, const char *msg,
			 void *arg)
{
	struct json_object *r = resp ? json_object_object_get(resp, "result") : NULL;

	(void)arg;
	lease_busy = false;
	if (err == -EIO) {
		etcd_failed(err, "lease keepalive", msg);
		lease_retry();
		return;
	}
	etcd_failed(0, NULL, NULL);
	lease_backoff_ms = 0;
	if (err || etcd_int(r, "TTL") <= 0) {
		log_warn("etcd: lease %llx expired; registering again",
			 (unsigned long long)lease_id);
		lease_id = 0;
		keepalive_at = now_ms();
		return;
	}
	keepalive_at = now_ms() + reg.ttl * 1000 / 3;
}

static void lease_tick(void)
{
	struct json_object *body = json_object_new_object();
	int ret;

	if (lease_id) {
		json_object_object_add(body, "ID", json_object_new_int64(lease_id));
		ret = etcd_post("/v3/lease/keepalive", body, REQ_TIMEOUT_MS,
				keepalive_cb, NULL);
	} else {
		json_object_object_add(body, "TTL", json_object_new_int64(reg.ttl));
		ret = etcd_post("/v3/lease/grant", body, REQ_TIMEOUT_MS,
				grant_cb, NULL);
	}
	if (!ret)
		lease_busy = true;
	else
		keepalive_at = now_ms() + 1000;
}

static void revoke_cb(int err, struct json_object *resp, const char *msg,
		      void *arg)
{
	(void)resp;
	(void)arg;
	if (err)
		log_warn("etcd: lease revoke failed: %s", msg);
	else
		log_info("unregistered %s", reg.name);
	lease_id = 0;
}

void reg_tick(void)
{
	if (!lease_busy && now_ms() >= keepalive_at)
		lease_tick();
	reg_put_status();
}

int64_t reg_wake(void)
{
	return lease_busy ? 0 : keepalive_at;
}

bool reg_revoke(void)
{
	struct json_object *body;

	if (!lease_id)
		return false;
	body = json_object_new_object();
	json_object_object_add(body, "ID", json_object_new_int64(lease_id));
	return etcd_post("/v3/lease/revoke", body, REQ_TIMEOUT_MS, revoke_cb,
			 NULL) == 0;
}
