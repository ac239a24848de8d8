// SPDX-License-Identifier: GPL-2.0
/*
 * One table per object kind maps the JSON field names of config/ records
 * (the YAML spec's attribute names) to clink attributes, with their types,
 * ranges and defaults.  Everything else follows from it: validating an
 * etcd record, filling its defaults, reading a kernel object back into the
 * same form, and writing the request that creates or replaces it.
 */

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "utils.h"

enum ftype { F_ID, F_STR, F_U8, F_U16, F_U32, F_ENUM, F_ADDR, F_MAC,
	     F_PREFIX, F_PLIST };

/* Field flags */
#define KEY	0x01	/* names the object: required, part of its key */
#define REQ	0x02	/* required */
#define REGION	0x04	/* default: the device's region */
#define NOSEND	0x08	/* not part of NEW_*: set by its own command */

struct field {
	const char *name;
	uint16_t attr;
	uint8_t type;
	uint8_t flags;
	uint32_t min, max;
	const char *const *names;	/* F_ENUM */
	const char *def;		/* JSON text of the default */
};

static const char *const nexthops[] = {
	"none", "vpn", "nat", "peering", "dc", "instance", NULL
};
static const char *const acl_dirs[] = { "to-vpc", "to-classic", NULL };
static const char *const acl_actions[] = { "allow", "deny", NULL };

#define U32(n, a, lo, hi, fl)	{ n, a, F_U32, fl, lo, hi, NULL, NULL }

static const struct field dev_fields[] = {
	{ "dev-local", CLINK_A_DEV_LOCAL, F_ADDR },
	{ "dev-port", CLINK_A_DEV_PORT, F_U16, 0, 0, 65535 },
	{ "dev-region", CLINK_A_DEV_REGION, F_STR },
	{ "dev-mac", CLINK_A_DEV_MAC, F_MAC },
	U32("dev-max-links-per-vpc", CLINK_A_DEV_MAX_LINKS_PER_VPC, 1,
	    CLINK_MAX_LINKS_PER_VPC, 0),
	U32("dev-max-vpcs", CLINK_A_DEV_MAX_VPCS, 1, 16777216, 0),
	U32("dev-max-instances", CLINK_A_DEV_MAX_INSTANCES, 1, 16777216, 0),
	U32("dev-max-links", CLINK_A_DEV_MAX_LINKS, 1, 16777216, 0),
	U32("dev-max-endpoints", CLINK_A_DEV_MAX_ENDPOINTS, 1, 16777216, 0),
	{ "dev-classic-space", CLINK_A_DEV_CLASSIC_SPACE, F_PLIST },
	{ "dev-vpc-eligible", CLINK_A_DEV_VPC_ELIGIBLE, F_PLIST },
	{ NULL }
};

static const struct field vpc_fields[] = {
	{ "vpc-id", CLINK_A_VPC_ID, F_ID, KEY },
	U32("vpc-vni", CLINK_A_VPC_VNI, 1, 16777215, REQ),
	{ "vpc-cidr", CLINK_A_VPC_CIDR, F_PREFIX, REQ },
	{ "vpc-secondary", CLINK_A_VPC_SECONDARY, F_PLIST, NOSEND,
	  0, CLINK_MAX_SECONDARY, NULL, "[]" },
	{ "vpc-region", CLINK_A_VPC_REGION, F_STR, REGION },
	{ "vpc-account", CLINK_A_VPC_ACCOUNT, F_STR, 0, 0, 0, NULL, "\"\"" },
	{ "vpc-classiclink", CLINK_A_VPC_CLASSICLINK, F_U8, NOSEND, 0, 1,
	  NULL, "0" },
	{ NULL }
};

static const struct field endpoint_fields[] = {
	{ "vpc-id", CLINK_A_VPC_ID, F_ID, KEY },
	{ "ep-addr", CLINK_A_EP_ADDR, F_ADDR, KEY },
	{ "ep-vtep", CLINK_A_EP_VTEP, F_ADDR, REQ },
	{ "ep-mac", CLINK_A_EP_MAC, F_MAC, REQ },
	{ NULL }
};

static const struct field route_fields[] = {
	{ "vpc-id", CLINK_A_VPC_ID, F_ID, KEY },
	{ "route-dst", CLINK_A_ROUTE_DST, F_PREFIX, KEY },
	{ "route-nexthop", CLINK_A_ROUTE_NEXTHOP, F_ENUM, REQ, 1, 0, nexthops },
	{ NULL }
};

static const struct field acl_fields[] = {
	{ "vpc-id", CLINK_A_VPC_ID, F_ID, KEY },
	U32("acl-prio", CLINK_A_ACL_PRIO, 0, UINT32_MAX, KEY),
	{ "acl-dir", CLINK_A_ACL_DIR, F_ENUM, REQ, 0, 0, acl_dirs },
	{ "acl-action", CLINK_A_ACL_ACTION, F_ENUM, REQ, 0, 0, acl_actions },
	{ "acl-proto", CLINK_A_ACL_PROTO, F_U8, 0, 0, 255, NULL, "0" },
	{ "acl-src", CLINK_A_ACL_SRC, F_PREFIX, 0, 0, 0, NULL, "\"0.0.0.0/0\"" },
	{ "acl-dst", CLINK_A_ACL_DST, F_PREFIX, 0, 0, 0, NULL, "\"0.0.0.0/0\"" },
	{ "acl-sport-min", CLINK_A_ACL_SPORT_MIN, F_U16, 0, 0, 65535, NULL, "0" },
	{ "acl-sport-max", CLINK_A_ACL_SPORT_MAX, F_U16, 0, 0, 65535, NULL, "65535" },
	{ "acl-dport-min", CLINK_A_ACL_DPORT_MIN, F_U16, 0, 0, 65535, NULL, "0" },
	{ "acl-dport-max", CLINK_A_ACL_DPORT_MAX, F_U16, 0, 0, 65535, NULL, "65535" },
	{ NULL }
};

static const struct field instance_fields[] = {
	{ "inst-id", CLINK_A_INST_ID, F_ID, KEY },
	{ "inst-addr", CLINK_A_INST_ADDR, F_ADDR, REQ },
	{ "inst-region", CLINK_A_INST_REGION, F_STR, REGION },
	{ "inst-account", CLINK_A_INST_ACCOUNT, F_STR, 0, 0, 0, NULL, "\"\"" },
	{ NULL }
};

static const struct field link_fields[] = {
	{ "inst-id", CLINK_A_INST_ID, F_ID, KEY },
	{ "vpc-id", CLINK_A_VPC_ID, F_ID, REQ },
	{ NULL }
};

static const struct {
	const char *name;
	const struct field *fields;
} kinds[__REC_MAX] = {
	[REC_DEV] = { "dev", dev_fields },
	[REC_VPC] = { "vpc", vpc_fields },
	[REC_ENDPOINT] = { "endpoint", endpoint_fields },
	[REC_ROUTE] = { "route", route_fields },
	[REC_ACL] = { "acl", acl_fields },
	[REC_INSTANCE] = { "instance", instance_fields },
	[REC_LINK] = { "link", link_fields },
};

const char *rec_kind_name(enum rec_kind kind)
{
	return kinds[kind].name;
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

static int canon_prefix(const char *s, char *out, struct prefix *p)
{
	uint32_t mask;

	if (parse_prefix(s, p) || !strchr(s, '/'))
		return -1;
	mask = p->len ? htonl(~0u << (32 - p->len)) : 0;
	if (p->addr.s_addr & ~mask)
		return -2;
	format_prefix(out, p);
	return 0;
}

/* The canonical form of one value, or NULL with @err set. */
static struct json_object *canon_value(const struct field *f,
				       struct json_object *v, char *err,
				       size_t len)
{
	char buf[PREFIX_STRLEN];
	struct json_object *arr;
	struct in_addr a;
	struct prefix p;
	uint8_t mac[6];
	const char *s;
	int64_t n;
	size_t i;
	int r;

	switch (f->type) {
	case F_U8:
	case F_U16:
	case F_U32:
		if (!json_object_is_type(v, json_type_int))
			goto type;
		n = json_object_get_int64(v);
		if (n < f->min || n > f->max) {
			fail(err, len, "%s: %lld is out of range %u..%u", f->name,
			     (long long)n, f->min, f->max);
			return NULL;
		}
		return json_object_new_int64(n);
	case F_PLIST:
		if (!json_object_is_type(v, json_type_array))
			goto type;
		if (json_object_array_length(v) >
		    (f->max ? f->max : CLINK_MAX_PREFIXES)) {
			fail(err, len, "%s: more than %u prefixes", f->name,
			     f->max ? f->max : CLINK_MAX_PREFIXES);
			return NULL;
		}
		arr = json_object_new_array();
		for (i = 0; i < json_object_array_length(v); i++) {
			struct json_object *e = json_object_array_get_idx(v, i);

			if (!json_object_is_type(e, json_type_string) ||
			    canon_prefix(json_object_get_string(e), buf, &p)) {
				json_object_put(arr);
				fail(err, len, "%s: \"%s\" is not a prefix a.b.c.d/n",
				     f->name, json_object_get_string(e));
				return NULL;
			}
			json_object_array_add(arr, json_object_new_string(buf));
		}
		return arr;
	default:
		break;
	}
	if (!json_object_is_type(v, json_type_string))
		goto type;
	s = json_object_get_string(v);
	switch (f->type) {
	case F_ID:
	case F_STR:
		if (strlen(s) >= CLINK_ID_MAXLEN ||
		    (f->type == F_ID && !*s)) {
			fail(err, len, "%s: must be 1..%d characters", f->name,
			     CLINK_ID_MAXLEN - 1);
			return NULL;
		}
		return json_object_new_string(s);
	case F_ENUM:
		for (i = f->min; f->names[i]; i++)
			if (!strcmp(s, f->names[i]))
				return json_object_new_string(s);
		fail(err, len, "%s: unknown value \"%s\"", f->name, s);
		return NULL;
	case F_ADDR:
		if (inet_pton(AF_INET, s, &a) != 1) {
			fail(err, len, "%s: \"%s\" is not an IPv4 address",
			     f->name, s);
			return NULL;
		}
		return json_object_new_string(format_addr(buf, a));
	case F_MAC:
		if (parse_mac(s, mac)) {
			fail(err, len, "%s: \"%s\" is not a MAC address",
			     f->name, s);
			return NULL;
		}
		return json_object_new_string(format_mac(buf, mac));
	case F_PREFIX:
		r = canon_prefix(s, buf, &p);
		if (r) {
			fail(err, len, r == -2 ? "%s: \"%s\" has host bits set" :
			     "%s: \"%s\" is not a prefix a.b.c.d/n", f->name, s);
			return NULL;
		}
		return json_object_new_string(buf);
	}
type:
	fail(err, len, "%s: wrong type (%s)", f->name,
	     json_type_to_name(json_object_get_type(v)));
	return NULL;
}

static const struct field *find_field(const struct field *fields,
				      const char *name)
{
	for (; fields->name; fields++)
		if (!strcmp(fields->name, name))
			return fields;
	return NULL;
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

/* Decode one percent-encoded path component of @len bytes. */
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

static void encode(const char *s, char *out, size_t len)
{
	size_t o = 0;

	for (; *s && o + 4 < len; s++) {
		unsigned char c = (unsigned char)*s;

		if (c <= ' ' || c >= 0x7f || c == '%' || c == '/')
			o += (size_t)snprintf(out + o, len - o, "%%%02X", c);
		else
			out[o++] = (char)c;
	}
	out[o] = '\0';
}

void rec_key(enum rec_kind kind, struct json_object *rec, char *buf,
	     size_t len)
{
	const struct field *f;
	size_t o;

	o = (size_t)snprintf(buf, len, "%s", kinds[kind].name);
	for (f = kinds[kind].fields; f->name && o + 2 < len; f++) {
		const char *v = rec_str(rec, f->name);
		char tmp[3 * CLINK_ID_MAXLEN];

		if (!(f->flags & KEY))
			continue;
		buf[o++] = '/';
		if (f->type == F_U32)
			snprintf(tmp, sizeof(tmp), "%010u", (uint32_t)
				 json_object_get_int64(json_object_object_get(rec, f->name)));
		else if (f->type == F_PREFIX)
			snprintf(tmp, sizeof(tmp), "%.*s_%s",
				 (int)strcspn(v, "/"), v, strchr(v, '/') + 1);
		else
			encode(v, tmp, sizeof(tmp));
		o += (size_t)snprintf(buf + o, len - o, "%s", tmp);
	}
}

int rec_kind_of(const char *rel)
{
	int kind;

	for (kind = 0; kind < __REC_MAX; kind++) {
		size_t klen = strlen(kinds[kind].name);

		if (!strncmp(rel, kinds[kind].name, klen) &&
		    (rel[klen] == '/' || (kind == REC_DEV && !rel[klen])))
			return kind;
	}
	return -1;
}

int rec_norm_key(const char *rel, char *buf, size_t len)
{
	size_t o = 0;

	while (*rel) {
		size_t n = strcspn(rel, "/");
		char raw[256];

		if (decode(rel, n, raw, sizeof(raw)))
			return -1;
		if (o + 3 * n + 2 > len)
			return -1;
		encode(raw, buf + o, len - o);
		o += strlen(buf + o);
		rel += n;
		if (*rel) {
			buf[o++] = '/';
			rel++;
		}
	}
	buf[o] = '\0';
	return 0;
}

int rec_key_part(const char *key, int n, char *buf, size_t len)
{
	size_t l;

	for (; n > 0; n--) {
		key = strchr(key, '/');
		if (!key)
			return -1;
		key++;
	}
	l = strcspn(key, "/");
	return decode(key, l, buf, len);
}

struct json_object *rec_parse(const char *rel, const char *val, size_t len,
			      const char *region, enum rec_kind *kindp,
			      char *err, size_t errlen)
{
	struct json_object *in = NULL, *out = NULL;
	enum json_tokener_error jerr;
	const struct field *f;
	struct json_tokener *tok;
	char want[512], given[512];
	enum rec_kind kind;

	if (rec_kind_of(rel) < 0) {
		fail(err, errlen, "unknown kind of key");
		return NULL;
	}
	kind = (enum rec_kind)rec_kind_of(rel);
	*kindp = kind;

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
		goto err;
	}
	json_object_object_foreach(in, name, v) {
		if (!find_field(kinds[kind].fields, name)) {
			fail(err, errlen, "unknown field \"%s\"", name);
			goto err;
		}
		(void)v;
	}
	out = json_object_new_object();
	for (f = kinds[kind].fields; f->name; f++) {
		struct json_object *v = json_object_object_get(in, f->name), *c;

		if (!v && (f->flags & (KEY | REQ))) {
			fail(err, errlen, "missing field \"%s\"", f->name);
			goto err;
		}
		if (!v && (f->flags & REGION)) {
			json_object_object_add(out, f->name,
					       json_object_new_string(region));
			continue;
		}
		if (!v && f->def) {
			json_object_object_add(out, f->name,
					       json_tokener_parse(f->def));
			continue;
		}
		if (!v)
			continue;
		c = canon_value(f, v, err, errlen);
		if (!c)
			goto err;
		json_object_object_add(out, f->name, c);
	}

	/* the key must name the object the record describes */
	rec_key(kind, out, want, sizeof(want));
	if (rec_norm_key(rel, given, sizeof(given)) || strcmp(given, want)) {
		fail(err, errlen, "the key names another object than the record (%s)",
		     want);
		goto err;
	}
	json_object_put(in);
	return out;
err:
	json_object_put(in);
	json_object_put(out);
	return NULL;
}

static bool get_prefix(const struct nlattr *nest, struct prefix *p)
{
	const struct nlattr *a;
	int have = 0;

	mnl_attr_for_each_nested(a, nest) {
		if (mnl_attr_get_type(a) == CLINK_PREFIX_A_ADDR &&
		    mnl_attr_get_payload_len(a) == 4) {
			memcpy(&p->addr, mnl_attr_get_payload(a), 4);
			have |= 1;
		} else if (mnl_attr_get_type(a) == CLINK_PREFIX_A_LEN &&
			   mnl_attr_validate(a, MNL_TYPE_U8) == 0) {
			p->len = mnl_attr_get_u8(a);
			have |= 2;
		}
	}
	return have == 3;
}

static struct json_object *kernel_value(const struct field *f,
					const struct nlattr *a)
{
	char buf[PREFIX_STRLEN];
	struct json_object *arr;
	const struct nlattr *e;
	struct prefix p;
	struct in_addr in;
	unsigned int i;

	switch (f->type) {
	case F_ID:
	case F_STR:
		return json_object_new_string(mnl_attr_get_str(a));
	case F_U8:
		return json_object_new_int64(mnl_attr_get_u8(a));
	case F_U16:
		return json_object_new_int64(mnl_attr_get_u16(a));
	case F_U32:
		return json_object_new_int64(mnl_attr_get_u32(a));
	case F_ENUM:
		for (i = 0; f->names[i]; i++)
			if (i == mnl_attr_get_u8(a))
				return json_object_new_string(f->names[i]);
		return json_object_new_int64(mnl_attr_get_u8(a));
	case F_ADDR:
		memcpy(&in, mnl_attr_get_payload(a), 4);
		return json_object_new_string(format_addr(buf, in));
	case F_MAC:
		return json_object_new_string(format_mac(buf,
							 mnl_attr_get_payload(a)));
	case F_PREFIX:
		if (!get_prefix(a, &p))
			return NULL;
		return json_object_new_string(format_prefix(buf, &p));
	case F_PLIST:
		arr = json_object_new_array();
		mnl_attr_for_each_nested(e, a)
			if (mnl_attr_get_type(e) == CLINK_A_PREFIX_ENTRY &&
			    get_prefix(e, &p))
				json_object_array_add(arr,
					json_object_new_string(format_prefix(buf, &p)));
		return arr;
	}
	return NULL;
}

struct json_object *rec_from_kernel(enum rec_kind kind, clink_tb_t tb)
{
	struct json_object *rec = json_object_new_object();
	const struct field *f;

	for (f = kinds[kind].fields; f->name; f++) {
		struct json_object *v;

		if (!tb[f->attr]) {
			/* the kernel may omit what has its default value */
			if (f->def) {
				json_object_object_add(rec, f->name,
						       json_tokener_parse(f->def));
				continue;
			}
			if (f->flags & (KEY | REQ))
				goto incomplete;
			continue;
		}
		v = kernel_value(f, tb[f->attr]);
		if (!v)
			goto incomplete;
		json_object_object_add(rec, f->name, v);
	}
	return rec;
incomplete:
	json_object_put(rec);
	return NULL;
}

void put_prefix_str(struct nlmsghdr *nlh, uint16_t type, const char *s)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);
	struct prefix p = { 0 };

	parse_prefix(s, &p);
	mnl_attr_put(nlh, CLINK_PREFIX_A_ADDR, 4, &p.addr);
	mnl_attr_put_u8(nlh, CLINK_PREFIX_A_LEN, p.len);
	mnl_attr_nest_end(nlh, nest);
}

/* Values were checked by rec_parse(), or come from the kernel. */
void rec_put(struct nlmsghdr *nlh, enum rec_kind kind,
	     struct json_object *rec)
{
	const struct field *f;

	for (f = kinds[kind].fields; f->name; f++) {
		struct json_object *v = json_object_object_get(rec, f->name);
		const char *s = json_object_get_string(v);
		struct nlattr *nest;
		struct in_addr a;
		uint8_t mac[6];
		size_t i;

		if (!v || (f->flags & NOSEND))
			continue;
		switch (f->type) {
		case F_ID:
		case F_STR:
			mnl_attr_put_strz(nlh, f->attr, s);
			break;
		case F_U8:
			mnl_attr_put_u8(nlh, f->attr,
					(uint8_t)json_object_get_int64(v));
			break;
		case F_U16:
			mnl_attr_put_u16(nlh, f->attr,
					 (uint16_t)json_object_get_int64(v));
			break;
		case F_U32:
			mnl_attr_put_u32(nlh, f->attr,
					 (uint32_t)json_object_get_int64(v));
			break;
		case F_ENUM:
			for (i = 0; f->names[i]; i++)
				if (!strcmp(s, f->names[i]))
					mnl_attr_put_u8(nlh, f->attr, (uint8_t)i);
			break;
		case F_ADDR:
			inet_pton(AF_INET, s, &a);
			mnl_attr_put(nlh, f->attr, 4, &a);
			break;
		case F_MAC:
			parse_mac(s, mac);
			mnl_attr_put(nlh, f->attr, 6, mac);
			break;
		case F_PREFIX:
			put_prefix_str(nlh, f->attr, s);
			break;
		case F_PLIST:
			nest = mnl_attr_nest_start(nlh, f->attr);
			for (i = 0; i < json_object_array_length(v); i++)
				put_prefix_str(nlh, CLINK_A_PREFIX_ENTRY,
					       json_object_get_string(
						json_object_array_get_idx(v, i)));
			mnl_attr_nest_end(nlh, nest);
			break;
		}
	}
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
