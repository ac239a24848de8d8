// SPDX-License-Identifier: GPL-2.0
/*
 * etcd v3 through its JSON gateway (grpc-gateway): POST a JSON request to
 * /v3/<service>/<method>, get a JSON reply; keys and values are base64.
 * A watch is one long POST whose reply is a stream of JSON objects, one
 * per batch of events, parsed as the bytes arrive.
 *
 * Failover: a request that cannot connect, times out, or gets a 5xx (no
 * leader) is sent again to the next URL of the list, once per URL, and
 * the URL that worked stays the current one for later requests.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curl/curl.h>

#include "etcd.h"
#include "log.h"

#define CONNECT_TIMEOUT_MS	2000

struct buf {
	char *data;
	size_t len, size;
};

struct req {
	CURL *easy;
	char path[64];
	char *body;
	long timeout_ms;
	unsigned int tries;
	unsigned int url;	/* the index it was sent to */
	struct curl_slist *hdrs;
	struct buf resp;
	etcd_cb_t cb;
	void *arg;
	/* a watch */
	bool watch, cancelled;
	struct json_tokener *tok;
	etcd_watch_cb_t wcb;
};

static CURLM *multi;
static char **urls;
static unsigned int n_urls, cur_url, busy;
static struct req *watch_req;
static struct req *in_watch_cb;	/* a watch delivering: free it later */

int etcd_init(const char *list)
{
	char *copy, *s, *save = NULL;

	if (curl_global_init(CURL_GLOBAL_DEFAULT))
		return -1;
	multi = curl_multi_init();
	if (!multi)
		return -1;
	copy = strdup(list);
	for (s = strtok_r(copy, ",", &save); s; s = strtok_r(NULL, ",", &save)) {
		size_t len = strlen(s);

		while (len && s[len - 1] == '/')
			s[--len] = '\0';
		if (!len)
			continue;
		urls = realloc(urls, (n_urls + 1) * sizeof(*urls));
		urls[n_urls++] = strdup(s);
	}
	free(copy);
	return n_urls ? 0 : -1;
}

const char *etcd_url(void)
{
	return urls[cur_url];
}

unsigned int etcd_busy(void)
{
	return busy;
}

static size_t write_cb(char *ptr, size_t size, size_t n, void *data)
{
	struct req *r = data;
	size_t len = size * n;

	if (r->resp.len + len + 1 > r->resp.size) {
		size_t sz = (r->resp.len + len + 1) * 2;
		char *p = realloc(r->resp.data, sz);

		if (!p)
			return 0;
		r->resp.data = p;
		r->resp.size = sz;
	}
	memcpy(r->resp.data + r->resp.len, ptr, len);
	r->resp.len += len;
	r->resp.data[r->resp.len] = '\0';
	return len;
}

/* Watch replies are a stream of objects: hand each over when complete. */
static size_t watch_write_cb(char *ptr, size_t size, size_t n, void *data)
{
	struct req *r = data;
	size_t len = size * n, off = 0;

	while (off < len) {
		struct json_object *obj;
		enum json_tokener_error jerr;

		obj = json_tokener_parse_ex(r->tok, ptr + off, (int)(len - off));
		jerr = json_tokener_get_error(r->tok);
		if (jerr == json_tokener_continue)
			break;
		if (jerr != json_tokener_success) {
			log_err("etcd watch: bad JSON in the stream: %s",
				json_tokener_error_desc(jerr));
			return 0;	/* aborts the transfer */
		}
		off += json_tokener_get_parse_end(r->tok);
		json_tokener_reset(r->tok);
		if (!json_object_object_get(obj, "result")) {
			log_err("etcd watch: %s", json_object_to_json_string(obj));
			json_object_put(obj);
			return 0;
		}
		in_watch_cb = r;
		r->wcb(json_object_object_get(obj, "result"), r->arg);
		in_watch_cb = NULL;
		json_object_put(obj);
		if (r->cancelled)
			return 0;
	}
	return len;
}

static int start(struct req *r)
{
	char url[512];

	r->url = cur_url;
	snprintf(url, sizeof(url), "%s%s", urls[r->url], r->path);
	if (!r->easy) {
		r->easy = curl_easy_init();
		if (!r->easy)
			return -ENOMEM;
		r->hdrs = curl_slist_append(NULL, "Content-Type: application/json");
	} else {
		curl_multi_remove_handle(multi, r->easy);
	}
	r->resp.len = 0;
	curl_easy_setopt(r->easy, CURLOPT_URL, url);
	curl_easy_setopt(r->easy, CURLOPT_HTTPHEADER, r->hdrs);
	curl_easy_setopt(r->easy, CURLOPT_POSTFIELDS, r->body);
	curl_easy_setopt(r->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(r->easy, CURLOPT_CONNECTTIMEOUT_MS,
			 (long)CONNECT_TIMEOUT_MS);
	curl_easy_setopt(r->easy, CURLOPT_TIMEOUT_MS, r->timeout_ms);
	curl_easy_setopt(r->easy, CURLOPT_PRIVATE, r);
	curl_easy_setopt(r->easy, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(r->easy, CURLOPT_WRITEFUNCTION,
			 r->watch ? watch_write_cb : write_cb);
	/* a member that vanished without a word is noticed in ~20 s */
	curl_easy_setopt(r->easy, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(r->easy, CURLOPT_TCP_KEEPIDLE, 10L);
	curl_easy_setopt(r->easy, CURLOPT_TCP_KEEPINTVL, 5L);
	if (curl_multi_add_handle(multi, r->easy) != CURLM_OK)
		return -EIO;
	return 0;
}

static void free_req(struct req *r)
{
	if (r->easy) {
		curl_multi_remove_handle(multi, r->easy);
		curl_easy_cleanup(r->easy);
	}
	curl_slist_free_all(r->hdrs);
	if (r->tok)
		json_tokener_free(r->tok);
	free(r->resp.data);
	free(r->body);
	free(r);
}

int etcd_post(const char *path, struct json_object *body, long timeout_ms,
	      etcd_cb_t cb, void *arg)
{
	struct req *r = calloc(1, sizeof(*r));
	int ret;

	snprintf(r->path, sizeof(r->path), "%s", path);
	r->body = strdup(json_object_to_json_string_ext(body,
							JSON_C_TO_STRING_PLAIN));
	json_object_put(body);
	r->timeout_ms = timeout_ms;
	r->cb = cb;
	r->arg = arg;
	ret = start(r);
	if (ret) {
		free_req(r);
		return ret;
	}
	busy++;
	return 0;
}

int etcd_watch(const char *key, const char *end, int64_t rev,
	       etcd_watch_cb_t cb, void *arg)
{
	struct json_object *body = json_object_new_object();
	struct json_object *create = json_object_new_object();
	struct req *r = calloc(1, sizeof(*r));
	char *k = b64_encode(key, strlen(key));
	char *e = b64_encode(end, strlen(end));
	int ret;

	etcd_watch_cancel();
	json_object_object_add(create, "key", json_object_new_string(k));
	json_object_object_add(create, "range_end", json_object_new_string(e));
	json_object_object_add(create, "start_revision", json_object_new_int64(rev));
	json_object_object_add(body, "create_request", create);
	free(k);
	free(e);
	snprintf(r->path, sizeof(r->path), "/v3/watch");
	r->body = strdup(json_object_to_json_string_ext(body,
							JSON_C_TO_STRING_PLAIN));
	json_object_put(body);
	r->watch = true;
	r->tok = json_tokener_new();
	r->wcb = cb;
	r->arg = arg;
	r->timeout_ms = 0;	/* a stream: no end */
	ret = start(r);
	if (ret) {
		free_req(r);
		return ret;
	}
	watch_req = r;
	return 0;
}

void etcd_watch_cancel(void)
{
	if (!watch_req)
		return;
	/* from its own callback: curl still holds it; done() frees it */
	if (watch_req == in_watch_cb)
		watch_req->cancelled = true;
	else
		free_req(watch_req);
	watch_req = NULL;
}

/* The message of an etcd error reply ({"error": ..., "message": ...}). */
static void error_msg(struct req *r, long status, char *msg, size_t len)
{
	struct json_object *obj = json_tokener_parse(r->resp.data ? r->resp.data : "");
	struct json_object *m = obj ? json_object_object_get(obj, "message") : NULL;

	if (!m && obj)
		m = json_object_object_get(obj, "error");
	snprintf(msg, len, "HTTP %ld: %s", status,
		 m ? json_object_get_string(m) : r->resp.data ? r->resp.data : "");
	json_object_put(obj);
}

static void done(struct req *r, CURLcode code)
{
	struct json_object *obj;
	long status = 0;
	char msg[512];

	curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
	if (r->watch && r->cancelled) {
		free_req(r);
		return;
	}
	if (r->watch) {
		if (code != CURLE_OK)
			log_warn("etcd %s: watch ended: %s", urls[r->url],
				 curl_easy_strerror(code));
		else
			log_warn("etcd %s: watch ended (HTTP %ld)", urls[r->url],
				 status);
		watch_req = NULL;
		r->wcb(NULL, r->arg);
		free_req(r);
		return;
	}
	if (code != CURLE_OK || status >= 500 || status == 0) {
		if (code != CURLE_OK)
			snprintf(msg, sizeof(msg), "%s", curl_easy_strerror(code));
		else
			error_msg(r, status, msg, sizeof(msg));
		/* requests in flight together fail together: move on once */
		if (cur_url == r->url)
			cur_url = (cur_url + 1) % n_urls;
		if (++r->tries < n_urls) {
			log_info("etcd %s: %s; trying %s", urls[r->url], msg,
				 urls[cur_url]);
			if (!start(r))
				return;
		}
		busy--;
		r->cb(-EIO, NULL, msg, r->arg);
		free_req(r);
		return;
	}
	busy--;
	if (status != 200) {
		error_msg(r, status, msg, sizeof(msg));
		r->cb(-EPROTO, NULL, msg, r->arg);
		free_req(r);
		return;
	}
	obj = json_tokener_parse(r->resp.data ? r->resp.data : "{}");
	if (!obj) {
		r->cb(-EPROTO, NULL, "reply is not JSON", r->arg);
	} else {
		r->cb(0, obj, NULL, r->arg);
		json_object_put(obj);
	}
	free_req(r);
}

int etcd_poll(struct pollfd *fds, unsigned int nfds, int timeout_ms)
{
	struct curl_waitfd wfd[8];
	unsigned int i;
	CURLMsg *m;
	int running, left;

	for (i = 0; i < nfds && i < 8; i++) {
		wfd[i].fd = fds[i].fd;
		wfd[i].events = (short)fds[i].events;
		wfd[i].revents = 0;
	}
	if (curl_multi_poll(multi, wfd, i, timeout_ms, NULL) != CURLM_OK)
		return -EIO;
	for (i = 0; i < nfds && i < 8; i++)
		fds[i].revents = wfd[i].revents;
	curl_multi_perform(multi, &running);
	while ((m = curl_multi_info_read(multi, &left))) {
		struct req *r;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
		done(r, m->data.result);
	}
	return 0;
}

void etcd_cleanup(void)
{
	unsigned int i;

	etcd_watch_cancel();
	curl_multi_cleanup(multi);
	for (i = 0; i < n_urls; i++)
		free(urls[i]);
	free(urls);
	curl_global_cleanup();
}
