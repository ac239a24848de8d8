/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CLINK_ETCD_H
#define _CLINK_ETCD_H

/*
 * A small synchronous client of etcd v3's JSON gateway (etcd 3.4: the
 * /v3/ paths), over libcurl, for clinkctl -E and clinkd. Keys and values
 * travel base64-encoded, as the gateway wants; every function here takes
 * and returns them plain. Keys are relative to the cluster's prefix
 * "/clink/<cluster>/" (Documentation/cluster.rst). int64 fields come back
 * from the gateway as JSON strings; etcd_int() reads either form.
 *
 * Every call has a timeout (ETCD_TIMEOUT_MS) and tries the endpoints in
 * turn until one answers. Errors: -1, with the reason in etcd_error().
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

#define ETCD_TIMEOUT_MS	5000

struct etcd;

/* @urls: "http://host:port[,http://...]"; @cluster: the cluster's name. */
struct etcd *etcd_open(const char *urls, const char *cluster);
void etcd_close(struct etcd *e);
const char *etcd_error(const struct etcd *e);

/* POSTs @req (not consumed) to @path ("/v3/kv/range"); *reply on 0. */
int etcd_call(struct etcd *e, const char *path, struct json_object *req,
	      struct json_object **reply);

/* "/clink/<cluster>/<rel>", malloc'ed; the end of its prefix range. */
char *etcd_key(const struct etcd *e, const char *rel);
char *etcd_prefix_end(const char *key);

/* One key-value pair of a range reply, key relative, value NUL-ended. */
struct etcd_kv {
	char *key;
	char *value;
	size_t value_len;
	int64_t create_rev, mod_rev;
};

/*
 * The keys at @rel (under it when @prefix) at revision @rev (0: the
 * newest); *rev_out is the store's revision the reply was made at.
 * @count_only: no pairs, *n is the count.
 */
int etcd_range(struct etcd *e, const char *rel, bool prefix, int64_t rev,
	       bool count_only, struct etcd_kv **kvs, size_t *n,
	       int64_t *rev_out);
void etcd_kvs_free(struct etcd_kv *kvs, size_t n);

/*
 * Transaction parts (new JSON objects for a txn's "compare" and "success"
 * arrays). @target: "CREATE", "MOD" or "VERSION"; @result: "EQUAL",
 * "LESS", "GREATER" or "NOT_EQUAL"; @prefix compares every key under @rel.
 */
struct json_object *etcd_cmp(const struct etcd *e, const char *rel,
			     bool prefix, const char *target,
			     const char *result, int64_t rev);
struct json_object *etcd_op_put(const struct etcd *e, const char *rel,
				const char *value);
struct json_object *etcd_op_del(const struct etcd *e, const char *rel,
				bool prefix);

/* Runs the transaction; *ok: whether the compares held; *rev after it. */
int etcd_txn(struct etcd *e, struct json_object *compare,
	     struct json_object *success, bool *ok, int64_t *rev);

/* An int64 of a reply: a JSON number or a string of digits; else 0. */
int64_t etcd_int(struct json_object *obj, const char *field);

/* base64 (standard alphabet, padded). decode: malloc'ed, NUL-ended. */
char *b64_encode(const void *data, size_t len);
char *b64_decode(const char *s, size_t *len);

#endif /* _CLINK_ETCD_H */
