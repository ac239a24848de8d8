// SPDX-License-Identifier: GPL-2.0
/*
 * libclink converts records to attributes and back; the agent adds what
 * a reconcile needs on top: the kernel's defaults (a record may leave out
 * what the kernel would default), the ranges the kernel's policy holds
 * (so that a bad value is reported, not sent), and one canonical text of
 * each record, fields in the schema's order.
 */

#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>

#include "../lib/attrs.h"
#include "../lib/nl.h"
#include "../lib/utils.h"
#include "record.h"

/* Field flags */
#define REQ	0x01	/* required (key fields always are) */
#define REGION	0x02	/* default: the device's region */
#define NOSEND	0x04	/* not part of NEW_VPC: it has its own command */

/* What the kernel does with a field the lib's schema only types. */
struct field_rule {
	enum rec_kind kind;
	const char *name;
	uint8_t flags;
	const char *def;		/* JSON text of the default */
	uint32_t min, max;		/* numbers: the policy's range */
};

static const struct field_rule rules[] = {
	{ REC_DEV, "dev-max-links-per-vpc", 0, NULL, 1, CLINK_MAX_LINKS_PER_VPC },
	{ REC_DEV, "dev-max-vpcs", 0, NULL, 1, 16777216 },
	{ REC_DEV, "dev-max-instances", 0, NULL, 1, 16777216 },
	{ REC_DEV, "dev-max-links", 0, NULL, 1, 16777216 },
	{ REC_DEV, "dev-max-endpoints", 0, NULL, 1, 16777216 },
	{ REC_VPC, "vpc-vni", REQ, NULL, 1, 16777215 },
	{ REC_VPC, "vpc-cidr", REQ },
	{ REC_VPC, "vpc-secondary", NOSEND, "[]" },
	{ REC_VPC, "vpc-region", REGION },
	{ REC_VPC, "vpc-account", 0, "\"\"" },
	{ REC_VPC, "vpc-classiclink", NOSEND, "0", 0, 1 },
	{ REC_VPC, "vpc-max-links", NOSEND, "0", 0, CLINK_MAX_LINKS_PER_VPC },
	{ REC_ENDPOINT, "ep-vtep", REQ },
	{ REC_ENDPOINT, "ep-mac", REQ },
	{ REC_ROUTE, "route-nexthop", REQ },
	{ REC_ACL, "acl-dir", REQ },
	{ REC_ACL, "acl-action", REQ },
	{ REC_ACL, "acl-proto", 0, "0" },
	{ REC_ACL, "acl-src", 0, "\"0.0.0.0/0\"" },
	{ REC_ACL, "acl-dst", 0, "\"0.0.0.0/0\"" },
	{ REC_ACL, "acl-sport-min", 0, "0" },
	{ REC_ACL, "acl-sport-max", 0, "65535" },
	{ REC_ACL, "acl-dport-min", 0, "0" },
	{ REC_ACL, "acl-dport-max", 0, "65535" },
	{ REC_INSTANCE, "inst-addr", REQ },
	{ REC_INSTANCE, "inst-region", REGION },
	{ REC_INSTANCE, "inst-account", 0, "\"\"" },
	{ REC_LINK, "vpc-id", REQ },
};

static const struct field_rule *rule(enum rec_kind kind, const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (rules[i].kind == kind && !strcmp(rules[i].name, name))
			return &rules[i];
	return NULL;
}

__attribute__((format(printf, 3, 4)))
static int fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

static bool is_key(const struct rec_schema *s, uint16_t type)
{
	const uint16_t *k;

	for (k = s->key; *k; k++)
		if (*k == type)
			return true;
	return false;
}

/*
 * @rec rebuilt in the schema's field order with the defaults filled in
 * (@region: NULL to leave regions out); NULL with @err when a required
 * field is missing or a number is out of its range.
 */
static struct json_object *canonical(const struct rec_schema *s,
				     struct json_object *rec,
				     const char *region, char *err,
				     size_t errlen)
{
	struct json_object *out = json_object_new_object();
	const uint16_t *f;

	for (f = s->fields; *f; f++) {
		const char *name = attr_desc(*f)->name;
		const struct field_rule *r = rule(s->kind, name);
		struct json_object *v;

		if (json_object_object_get_ex(rec, name, &v)) {
			if (r && r->max && json_object_is_type(v, json_type_int) &&
			    (json_object_get_int64(v) < r->min ||
			     json_object_get_int64(v) > r->max)) {
				fail(err, errlen, "%s: %lld is out of range %u..%u",
				     name, (long long)json_object_get_int64(v),
				     r->min, r->max);
				goto err;
			}
			json_object_object_add(out, name, json_object_get(v));
		} else if (r && r->def) {
			json_object_object_add(out, name, json_tokener_parse(r->def));
		} else if (r && (r->flags & REGION) && region) {
			json_object_object_add(out, name, json_object_new_string(region));
		} else if (is_key(s, *f) || (r && (r->flags & REQ))) {
			fail(err, errlen, "missing field \"%s\"", name);
			goto err;
		}
	}
	return out;
err:
	json_object_put(out);
	return NULL;
}

/* Through attributes and back: what the kernel would be told. */
static struct json_object *round_trip(const struct rec_schema *s,
				      struct json_object *rec, char *err,
				      size_t errlen)
{
	char buf[8192] __attribute__((aligned(8)));
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	g->cmd = s->new_cmd;
	if (rec_to_attrs(s, rec, nlh, err, errlen))
		return NULL;
	return rec_from_attrs(s, nlh);
}

int record_kind_of(const char *rel)
{
	const struct rec_schema *s = rec_schema_of_key(rel);

	return s ? (int)s->kind : -1;
}

static int hexdig(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode one percent-encoded key element of @len bytes. */
static int decode(const char *s, size_t len, char *out, size_t outlen)
{
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		int c = (unsigned char)s[i];

		if (c == '%') {
			int hi, lo;

			if (i + 2 >= len)
				return -1;
			hi = hexdig(s[i + 1]);
			lo = hi < 0 ? -1 : hexdig(s[i + 2]);
			if (lo < 0)
				return -1;
			c = hi << 4 | lo;
			i += 2;
		}
		if (o + 1 >= outlen)
			return -1;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return 0;
}

int record_norm_key(const char *rel, char *buf, size_t len)
{
	size_t o = 0;

	while (*rel) {
		size_t n = strcspn(rel, "/");
		char raw[256];

		if (decode(rel, n, raw, sizeof(raw)) ||
		    key_escape(raw, buf + o, len - o))
			return -1;
		o += strlen(buf + o);
		rel += n;
		if (*rel) {
			if (o + 2 >= len)
				return -1;
			buf[o++] = '/';
			rel++;
		}
	}
	buf[o] = '\0';
	return 0;
}

int record_key_part(const char *key, int n, char *buf, size_t len)
{
	for (; n > 0; n--) {
		key = strchr(key, '/');
		if (!key)
			return -1;
		key++;
	}
	return decode(key, strcspn(key, "/"), buf, len);
}

void record_key(enum rec_kind kind, struct json_object *rec, char *buf,
		size_t len)
{
	if (rec_key(rec_schema(kind), rec, buf, len))
		snprintf(buf, len, "%s/?", rec_schema(kind)->name);
}

struct json_object *record_parse(const char *rel, const char *val, size_t len,
				 const char *region, enum rec_kind *kindp,
				 char *err, size_t errlen)
{
	const struct rec_schema *s = rec_schema_of_key(rel);
	struct json_object *in, *full = NULL, *out = NULL;
	enum json_tokener_error jerr;
	struct json_tokener *tok;
	char want[512], given[512];

	if (!s) {
		fail(err, errlen, "unknown kind of key");
		return NULL;
	}
	*kindp = s->kind;
	tok = json_tokener_new();
	in = json_tokener_parse_ex(tok, val, (int)len);
	jerr = json_tokener_get_error(tok);
	if (jerr == json_tokener_success && tok->char_offset < (int)len) {
		json_object_put(in);
		in = NULL;
		jerr = json_tokener_error_parse_unexpected;
	}
	json_tokener_free(tok);
	if (!in || !json_object_is_type(in, json_type_object)) {
		fail(err, errlen, "invalid JSON: %s", in ? "not an object" :
		     json_tokener_error_desc(jerr == json_tokener_continue ?
					     json_tokener_error_parse_eof : jerr));
		goto out;
	}
	/* unknown fields and wrong types in the lib's words, then ours */
	full = round_trip(s, in, err, errlen);
	if (!full)
		goto out;
	out = canonical(s, full, region, err, errlen);
	if (!out)
		goto out;

	/* the key must name the object the record describes */
	record_key(s->kind, out, want, sizeof(want));
	if (record_norm_key(rel, given, sizeof(given)) || strcmp(given, want)) {
		fail(err, errlen, "the key names another object than the record (%s)",
		     want);
		json_object_put(out);
		out = NULL;
	}
out:
	json_object_put(in);
	json_object_put(full);
	return out;
}

struct json_object *record_from_kernel(enum rec_kind kind,
				       const struct nlmsghdr *nlh)
{
	const struct rec_schema *s = rec_schema(kind);
	struct json_object *raw = rec_from_attrs(s, nlh), *rec;
	char err[128];

	/* the kernel omits what has its default value, never a region */
	rec = raw ? canonical(s, raw, NULL, err, sizeof(err)) : NULL;
	json_object_put(raw);
	return rec;
}

void record_put(struct nlmsghdr *nlh, enum rec_kind kind,
		struct json_object *rec)
{
	struct json_object *send = json_object_new_object();
	char err[128];

	json_object_object_foreach(rec, name, v) {
		const struct field_rule *r = rule(kind, name);

		if (!r || !(r->flags & NOSEND))
			json_object_object_add(send, name, json_object_get(v));
	}
	rec_to_attrs(rec_schema(kind), send, nlh, err, sizeof(err));
	json_object_put(send);
}

const char *rec_str(struct json_object *rec, const char *field)
{
	struct json_object *v = json_object_object_get(rec, field);

	return v ? json_object_get_string(v) : NULL;
}

bool rec_same(struct json_object *a, struct json_object *b, const char *field)
{
	return json_object_equal(json_object_object_get(a, field),
				 json_object_object_get(b, field));
}

void put_prefix_str(struct nlmsghdr *nlh, uint16_t type, const char *s)
{
	struct prefix p = { 0 };

	parse_prefix(s, &p);
	put_prefix(nlh, type, &p);
}
