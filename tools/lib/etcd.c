// SPDX-License-Identifier: GPL-2.0
/*
 * etcd v3 through its JSON gateway: one curl easy handle, one blocking
 * POST per call, the endpoints tried in turn when one does not answer.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curl/curl.h>

#include "etcd.h"
#include "record.h"

#define MAX_URLS	8

struct etcd {
	CURL *curl;
	char *urls[MAX_URLS];
	int n_urls, cur;	/* the endpoint that answered last */
	char *prefix;		/* "/clink/<cluster>/" */
	char error[256];
};

struct buf {
	char *p;
	size_t len;
};

__attribute__((format(printf, 2, 3)))
static int fail(struct etcd *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->error, sizeof(e->error), fmt, ap);
	va_end(ap);
	return -1;
}

const char *etcd_error(const struct etcd *e)
{
	return e->error;
}

struct etcd *etcd_open(const char *urls, const char *cluster)
{
	char name[KEY_ID_MAX];
	struct etcd *e;
	char *list, *tok, *save = NULL;

	if (key_escape(cluster, name, sizeof(name)) || !*cluster)
		return NULL;
	if (curl_global_init(CURL_GLOBAL_DEFAULT))
		return NULL;
	e = calloc(1, sizeof(*e));
	list = strdup(urls);
	if (!e || !list)
		goto err;
	for (tok = strtok_r(list, ",", &save); tok && e->n_urls < MAX_URLS;
	     tok = strtok_r(NULL, ",", &save)) {
		/* the gateway's paths start with a slash */
		size_t len = strlen(tok);

		while (len && tok[len - 1] == '/')
			tok[--len] = '\0';
		e->urls[e->n_urls] = strdup(tok);
		if (!e->urls[e->n_urls++])
			goto err;
	}
	e->curl = curl_easy_init();
	if (!e->n_urls || !e->curl ||
	    asprintf(&e->prefix, "/clink/%s/", name) < 0)
		goto err;
	free(list);
	return e;
err:
	free(list);
	etcd_close(e);
	return NULL;
}

void etcd_close(struct etcd *e)
{
	int i;

	if (!e)
		return;
	if (e->curl)
		curl_easy_cleanup(e->curl);
	for (i = 0; i < e->n_urls; i++)
		free(e->urls[i]);
	free(e->prefix);
	free(e);
}

static size_t write_cb(char *data, size_t size, size_t n, void *arg)
{
	struct buf *b = arg;
	char *p = realloc(b->p, b->len + size * n + 1);

	if (!p)
		return 0;
	memcpy(p + b->len, data, size * n);
	b->p = p;
	b->len += size * n;
	b->p[b->len] = '\0';
	return size * n;
}

/* One POST to one endpoint: the HTTP status, or -1 when none came. */
static long post(struct etcd *e, const char *url, const char *body,
		 struct buf *out)
{
	struct curl_slist *hdr = curl_slist_append(NULL,
				"Content-Type: application/json");
	CURLcode rc;
	long status = -1;

	curl_easy_reset(e->curl);
	curl_easy_setopt(e->curl, CURLOPT_URL, url);
	curl_easy_setopt(e->curl, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(e->curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(e->curl, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(e->curl, CURLOPT_WRITEDATA, out);
	curl_easy_setopt(e->curl, CURLOPT_TIMEOUT_MS, (long)ETCD_TIMEOUT_MS);
	curl_easy_setopt(e->curl, CURLOPT_CONNECTTIMEOUT_MS, 2000L);
	curl_easy_setopt(e->curl, CURLOPT_NOSIGNAL, 1L);
	rc = curl_easy_perform(e->curl);
	if (rc == CURLE_OK)
		curl_easy_getinfo(e->curl, CURLINFO_RESPONSE_CODE, &status);
	else
		fail(e, "etcd at %s: %s", url, curl_easy_strerror(rc));
	curl_slist_free_all(hdr);
	return status;
}

int etcd_call(struct etcd *e, const char *path, struct json_object *req,
	      struct json_object **reply)
{
	const char *body = json_object_to_json_string_ext(req,
						JSON_C_TO_STRING_PLAIN);
	struct json_object *msg;
	struct buf out = { 0 };
	char url[512];
	long status = -1;
	int i;

	for (i = 0; i < e->n_urls && status < 0; i++) {
		int u = (e->cur + i) % e->n_urls;

		snprintf(url, sizeof(url), "%s%s", e->urls[u], path);
		free(out.p);
		out = (struct buf){ 0 };
		status = post(e, url, body, &out);
		if (status >= 0)
			e->cur = u;
	}
	if (status < 0) {
		free(out.p);
		return -1;
	}
	*reply = out.p ? json_tokener_parse(out.p) : NULL;
	if (status != 200 || !*reply) {
		/* the gateway's errors: {"error": ..., "message": ...} */
		if (*reply && json_object_object_get_ex(*reply, "message", &msg))
			fail(e, "etcd: %s", json_object_get_string(msg));
		else
			fail(e, "etcd: HTTP status %ld from %s", status, url);
		json_object_put(*reply);
		*reply = NULL;
		free(out.p);
		return -1;
	}
	free(out.p);
	return 0;
}

char *etcd_key(const struct etcd *e, const char *rel)
{
	char *key;

	return asprintf(&key, "%s%s", e->prefix, rel) < 0 ? NULL : key;
}

char *etcd_prefix_end(const char *key)
{
	char *end = strdup(key);
	size_t i;

	if (!end)
		return NULL;
	/* the first key after every key that starts with @key */
	for (i = strlen(end); i > 0; i--) {
		if ((unsigned char)end[i - 1] < 0xff) {
			end[i - 1]++;
			end[i] = '\0';
			return end;
		}
	}
	end[0] = '\0';	/* all 0xff: to the end of the keyspace */
	return end;
}

int64_t etcd_int(struct json_object *obj, const char *field)
{
	struct json_object *v;

	if (!json_object_object_get_ex(obj, field, &v))
		return 0;
	if (json_object_is_type(v, json_type_string))
		return strtoll(json_object_get_string(v), NULL, 10);
	return json_object_get_int64(v);
}

static const char b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *b64_encode(const void *data, size_t len)
{
	const unsigned char *p = data;
	char *out = malloc((len + 2) / 3 * 4 + 1), *o = out;
	size_t i;

	if (!out)
		return NULL;
	for (i = 0; i + 2 < len; i += 3) {
		*o++ = b64[p[i] >> 2];
		*o++ = b64[(p[i] & 3) << 4 | p[i + 1] >> 4];
		*o++ = b64[(p[i + 1] & 15) << 2 | p[i + 2] >> 6];
		*o++ = b64[p[i + 2] & 63];
	}
	if (i < len) {
		*o++ = b64[p[i] >> 2];
		if (i + 1 < len) {
			*o++ = b64[(p[i] & 3) << 4 | p[i + 1] >> 4];
			*o++ = b64[(p[i + 1] & 15) << 2];
		} else {
			*o++ = b64[(p[i] & 3) << 4];
			*o++ = '=';
		}
		*o++ = '=';
	}
	*o = '\0';
	return out;
}

char *b64_decode(const char *s, size_t *len)
{
	size_t n = strlen(s), i;
	char *out = malloc(n / 4 * 3 + 3);
	unsigned int acc = 0, bits = 0;

	if (!out)
		return NULL;
	*len = 0;
	for (i = 0; i < n && s[i] != '='; i++) {
		const char *c = strchr(b64, s[i]);

		if (!c) {
			free(out);
			return NULL;
		}
		acc = acc << 6 | (unsigned int)(c - b64);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[(*len)++] = (char)(acc >> bits & 0xff);
		}
	}
	out[*len] = '\0';
	return out;
}

static struct json_object *b64_json(const char *s)
{
	char *enc = b64_encode(s, strlen(s));
	struct json_object *j = enc ? json_object_new_string(enc) : NULL;

	free(enc);
	return j;
}

/* "key" and, for a prefix, "range_end" of @rel into @obj. */
static int add_key(const struct etcd *e, struct json_object *obj,
		   const char *rel, bool prefix)
{
	char *key = etcd_key(e, rel), *end = NULL;
	int ret = -1;

	if (!key)
		return -1;
	if (prefix) {
		end = etcd_prefix_end(key);
		if (!end)
			goto out;
		json_object_object_add(obj, "range_end", b64_json(end));
	}
	json_object_object_add(obj, "key", b64_json(key));
	ret = 0;
out:
	free(key);
	free(end);
	return ret;
}

static int parse_kv(const struct etcd *e, struct json_object *j,
		    struct etcd_kv *kv)
{
	struct json_object *k, *v;
	size_t len, plen = strlen(e->prefix);
	char *key;

	memset(kv, 0, sizeof(*kv));
	if (!json_object_object_get_ex(j, "key", &k))
		return -1;
	key = b64_decode(json_object_get_string(k), &len);
	if (!key)
		return -1;
	kv->key = strdup(strncmp(key, e->prefix, plen) ? key : key + plen);
	free(key);
	if (json_object_object_get_ex(j, "value", &v))
		kv->value = b64_decode(json_object_get_string(v),
				       &kv->value_len);
	else
		kv->value = strdup("");
	kv->create_rev = etcd_int(j, "create_revision");
	kv->mod_rev = etcd_int(j, "mod_revision");
	return kv->key && kv->value ? 0 : -1;
}

int etcd_range(struct etcd *e, const char *rel, bool prefix, int64_t rev,
	       bool count_only, struct etcd_kv **kvs, size_t *n,
	       int64_t *rev_out)
{
	struct json_object *req = json_object_new_object(), *reply = NULL;
	struct json_object *arr, *hdr;
	size_t i, len;
	int ret = -1;

	*n = 0;
	if (kvs)
		*kvs = NULL;
	if (!req || add_key(e, req, rel, prefix))
		goto out;
	if (rev)
		json_object_object_add(req, "revision", json_object_new_int64(rev));
	if (count_only)
		json_object_object_add(req, "count_only", json_object_new_boolean(1));
	if (etcd_call(e, "/v3/kv/range", req, &reply))
		goto out;
	if (rev_out && json_object_object_get_ex(reply, "header", &hdr))
		*rev_out = etcd_int(hdr, "revision");
	if (count_only || !kvs) {
		*n = (size_t)etcd_int(reply, "count");
		ret = 0;
		goto out;
	}
	/* proto3 JSON leaves an empty list out */
	if (!json_object_object_get_ex(reply, "kvs", &arr)) {
		ret = 0;
		goto out;
	}
	len = json_object_array_length(arr);
	*kvs = calloc(len ? len : 1, sizeof(**kvs));
	if (!*kvs)
		goto out;
	for (i = 0; i < len; i++) {
		if (parse_kv(e, json_object_array_get_idx(arr, i), &(*kvs)[i])) {
			etcd_kvs_free(*kvs, i + 1);
			*kvs = NULL;
			fail(e, "etcd: a malformed key-value pair in a reply");
			goto out;
		}
	}
	*n = len;
	ret = 0;
out:
	json_object_put(req);
	json_object_put(reply);
	return ret;
}

void etcd_kvs_free(struct etcd_kv *kvs, size_t n)
{
	size_t i;

	for (i = 0; kvs && i < n; i++) {
		free(kvs[i].key);
		free(kvs[i].value);
	}
	free(kvs);
}

struct json_object *etcd_cmp(const struct etcd *e, const char *rel,
			     bool prefix, const char *target,
			     const char *result, int64_t rev)
{
	struct json_object *c = json_object_new_object();
	const char *field = !strcmp(target, "CREATE") ? "create_revision" :
			    !strcmp(target, "MOD") ? "mod_revision" : "version";

	if (!c || add_key(e, c, rel, prefix)) {
		json_object_put(c);
		return NULL;
	}
	json_object_object_add(c, "target", json_object_new_string(target));
	json_object_object_add(c, "result", json_object_new_string(result));
	json_object_object_add(c, field, json_object_new_int64(rev));
	return c;
}

struct json_object *etcd_op_put(const struct etcd *e, const char *rel,
				const char *value)
{
	struct json_object *op = json_object_new_object();
	struct json_object *put = json_object_new_object();

	if (!op || !put || add_key(e, put, rel, false)) {
		json_object_put(op);
		json_object_put(put);
		return NULL;
	}
	json_object_object_add(put, "value", b64_json(value));
	json_object_object_add(op, "request_put", put);
	return op;
}

struct json_object *etcd_op_del(const struct etcd *e, const char *rel,
				bool prefix)
{
	struct json_object *op = json_object_new_object();
	struct json_object *del = json_object_new_object();

	if (!op || !del || add_key(e, del, rel, prefix)) {
		json_object_put(op);
		json_object_put(del);
		return NULL;
	}
	json_object_object_add(op, "request_delete_range", del);
	return op;
}

int etcd_txn(struct etcd *e, struct json_object *compare,
	     struct json_object *success, bool *ok, int64_t *rev)
{
	struct json_object *req = json_object_new_object(), *reply = NULL;
	struct json_object *v, *hdr;
	int ret = -1;

	if (!req)
		return fail(e, "out of memory");
	json_object_object_add(req, "compare", json_object_get(compare));
	json_object_object_add(req, "success", json_object_get(success));
	if (etcd_call(e, "/v3/kv/txn", req, &reply) == 0) {
		/* proto3 JSON leaves "succeeded": false out */
		*ok = json_object_object_get_ex(reply, "succeeded", &v) &&
		      json_object_get_boolean(v);
		if (rev && json_object_object_get_ex(reply, "header", &hdr))
			*rev = etcd_int(hdr, "revision");
		ret = 0;
	}
	json_object_put(req);
	json_object_put(reply);
	return ret;
}
