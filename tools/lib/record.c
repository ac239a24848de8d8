// SPDX-License-Identifier: GPL-2.0
/*
 * JSON records <-> clink netlink attributes, through the table of
 * attrs.c: one converter per value shape, used both ways.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "attrs.h"
#include "nl.h"
#include "record.h"

#define FIELDS(...)	((const uint16_t[]){ __VA_ARGS__, 0 })

static const struct rec_schema schemas[REC_KINDS] = {
	[REC_DEV] = {
		.kind = REC_DEV, .name = "dev",
		.new_cmd = CLINK_CMD_SET_DEV, .get_cmd = CLINK_CMD_GET_DEV,
		.fields = FIELDS(CLINK_A_DEV_LOCAL, CLINK_A_DEV_PORT,
				 CLINK_A_DEV_REGION,
				 CLINK_A_DEV_MAX_LINKS_PER_VPC,
				 CLINK_A_DEV_MAX_VPCS, CLINK_A_DEV_MAX_INSTANCES,
				 CLINK_A_DEV_MAX_LINKS,
				 CLINK_A_DEV_MAX_ENDPOINTS,
				 CLINK_A_DEV_CLASSIC_SPACE,
				 CLINK_A_DEV_VPC_ELIGIBLE),
		.key = FIELDS(0),
	},
	[REC_VPC] = {
		.kind = REC_VPC, .name = "vpc",
		.new_cmd = CLINK_CMD_NEW_VPC, .del_cmd = CLINK_CMD_DEL_VPC,
		.get_cmd = CLINK_CMD_GET_VPC,
		.fields = FIELDS(CLINK_A_VPC_ID, CLINK_A_VPC_VNI,
				 CLINK_A_VPC_CIDR, CLINK_A_VPC_SECONDARY,
				 CLINK_A_VPC_REGION, CLINK_A_VPC_ACCOUNT,
				 CLINK_A_VPC_CLASSICLINK, CLINK_A_VPC_MAX_LINKS),
		.key = FIELDS(CLINK_A_VPC_ID),
	},
	[REC_ENDPOINT] = {
		.kind = REC_ENDPOINT, .name = "endpoint",
		.new_cmd = CLINK_CMD_NEW_ENDPOINT,
		.del_cmd = CLINK_CMD_DEL_ENDPOINT,
		.get_cmd = CLINK_CMD_GET_ENDPOINT,
		.fields = FIELDS(CLINK_A_VPC_ID, CLINK_A_EP_ADDR,
				 CLINK_A_EP_VTEP, CLINK_A_EP_MAC),
		.key = FIELDS(CLINK_A_VPC_ID, CLINK_A_EP_ADDR),
	},
	[REC_ROUTE] = {
		.kind = REC_ROUTE, .name = "route",
		.new_cmd = CLINK_CMD_NEW_ROUTE, .del_cmd = CLINK_CMD_DEL_ROUTE,
		.get_cmd = CLINK_CMD_GET_ROUTE,
		.fields = FIELDS(CLINK_A_VPC_ID, CLINK_A_ROUTE_DST,
				 CLINK_A_ROUTE_NEXTHOP),
		.key = FIELDS(CLINK_A_VPC_ID, CLINK_A_ROUTE_DST),
	},
	[REC_ACL] = {
		.kind = REC_ACL, .name = "acl",
		.new_cmd = CLINK_CMD_NEW_ACL, .del_cmd = CLINK_CMD_DEL_ACL,
		.get_cmd = CLINK_CMD_GET_ACL,
		.fields = FIELDS(CLINK_A_VPC_ID, CLINK_A_ACL_PRIO,
				 CLINK_A_ACL_DIR, CLINK_A_ACL_ACTION,
				 CLINK_A_ACL_PROTO, CLINK_A_ACL_SRC,
				 CLINK_A_ACL_DST, CLINK_A_ACL_SPORT_MIN,
				 CLINK_A_ACL_SPORT_MAX, CLINK_A_ACL_DPORT_MIN,
				 CLINK_A_ACL_DPORT_MAX),
		.key = FIELDS(CLINK_A_VPC_ID, CLINK_A_ACL_PRIO),
	},
	[REC_INSTANCE] = {
		.kind = REC_INSTANCE, .name = "instance",
		.new_cmd = CLINK_CMD_NEW_INSTANCE,
		.del_cmd = CLINK_CMD_DEL_INSTANCE,
		.get_cmd = CLINK_CMD_GET_INSTANCE,
		.fields = FIELDS(CLINK_A_INST_ID, CLINK_A_INST_ADDR,
				 CLINK_A_INST_REGION, CLINK_A_INST_ACCOUNT),
		.key = FIELDS(CLINK_A_INST_ID),
	},
	[REC_LINK] = {
		.kind = REC_LINK, .name = "link",
		.new_cmd = CLINK_CMD_NEW_LINK, .del_cmd = CLINK_CMD_DEL_LINK,
		.get_cmd = CLINK_CMD_GET_LINK,
		.fields = FIELDS(CLINK_A_INST_ID, CLINK_A_VPC_ID),
		.key = FIELDS(CLINK_A_INST_ID),
	},
};

const struct rec_schema *rec_schema(enum rec_kind kind)
{
	return kind < REC_KINDS ? &schemas[kind] : NULL;
}

const struct rec_schema *rec_schema_of_key(const char *key)
{
	const char *slash = strchr(key, '/');
	size_t len = slash ? (size_t)(slash - key) : strlen(key);
	int i;

	for (i = 0; i < REC_KINDS; i++) {
		const struct rec_schema *s = &schemas[i];

		if (strlen(s->name) != len || strncmp(s->name, key, len))
			continue;
		/* the device's record has no key, the others one */
		if ((s->key[0] == 0) == (slash == NULL))
			return s;
	}
	return NULL;
}

static bool in_schema(const struct rec_schema *s, uint16_t type)
{
	const uint16_t *f;

	for (f = s->fields; *f; f++)
		if (*f == type)
			return true;
	return false;
}

__attribute__((format(printf, 3, 4)))
static int bad(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *json_str(struct json_object *v)
{
	return json_object_is_type(v, json_type_string) ?
	       json_object_get_string(v) : NULL;
}

/* Numbers must be JSON integers within the attribute's width. */
static int get_uint(struct json_object *v, uint64_t max, uint64_t *n)
{
	int64_t i;

	if (!json_object_is_type(v, json_type_int))
		return -1;
	errno = 0;
	i = json_object_get_int64(v);
	if (errno || i < 0 || (uint64_t)i > max)
		return -1;
	*n = (uint64_t)i;
	return 0;
}

static int put_prefix_array(struct nlmsghdr *nlh, uint16_t type,
			    struct json_object *v)
{
	struct prefix_list l = { 0 };
	size_t i, n;

	if (!json_object_is_type(v, json_type_array))
		return -1;
	n = json_object_array_length(v);
	if (n > PREFIX_LIST_MAX)
		return -1;
	for (i = 0; i < n; i++) {
		const char *s = json_str(json_object_array_get_idx(v, i));

		if (!s || parse_prefix(s, &l.p[l.n++]))
			return -1;
	}
	put_prefix_list(nlh, type, &l);
	return 0;
}

/* One field into one attribute; -1 when the value does not fit its kind. */
static int put_field(struct nlmsghdr *nlh, uint16_t type,
		     const struct attr_desc *d, struct json_object *v)
{
	const char *s = json_str(v);
	struct prefix p;
	struct in_addr a;
	uint8_t mac[6];
	uint64_t n;
	int e;

	switch (d->kind) {
	case ATTR_U8:
	case ATTR_U16:
	case ATTR_U32:
		if (get_uint(v, d->kind == ATTR_U8 ? UINT8_MAX :
			     d->kind == ATTR_U16 ? UINT16_MAX : UINT32_MAX, &n))
			return -1;
		if (d->kind == ATTR_U8)
			nl_put_u8(nlh, type, (uint8_t)n);
		else if (d->kind == ATTR_U16)
			nl_put_u16(nlh, type, (uint16_t)n);
		else
			nl_put_u32(nlh, type, (uint32_t)n);
		return 0;
	case ATTR_STRING:
		if (!s || strlen(s) >= CLINK_ID_MAXLEN)
			return -1;
		nl_put_strz(nlh, type, s);
		return 0;
	case ATTR_ADDR:
		if (!s || parse_addr(s, &a))
			return -1;
		nl_put_addr(nlh, type, a);
		return 0;
	case ATTR_MAC:
		if (!s || parse_mac(s, mac))
			return -1;
		nl_put(nlh, type, sizeof(mac), mac);
		return 0;
	case ATTR_ENUM:
		e = s ? attr_enum_value(type, s) : -1;
		if (e < 0)
			return -1;
		nl_put_u8(nlh, type, (uint8_t)e);
		return 0;
	case ATTR_PREFIX:
		if (!s || parse_prefix(s, &p))
			return -1;
		put_prefix(nlh, type, &p);
		return 0;
	case ATTR_PREFIX_LIST:
		return put_prefix_array(nlh, type, v);
	default:
		return -1;
	}
}

/* What a field of this kind must hold, for the error message. */
static const char *expected(const struct attr_desc *d)
{
	switch (d->kind) {
	case ATTR_U8:
		return "an integer 0..255";
	case ATTR_U16:
		return "an integer 0..65535";
	case ATTR_U32:
		return "an integer 0..4294967295";
	case ATTR_STRING:
		return "a string of at most 63 bytes";
	case ATTR_ADDR:
		return "an IPv4 address a.b.c.d";
	case ATTR_MAC:
		return "a MAC address aa:bb:cc:dd:ee:ff";
	case ATTR_ENUM:
		return "one of the spec's names";
	case ATTR_PREFIX:
		return "a prefix a.b.c.d/n";
	case ATTR_PREFIX_LIST:
		return "an array of at most 16 prefixes a.b.c.d/n";
	default:
		return "nothing";
	}
}

int rec_to_attrs(const struct rec_schema *s, struct json_object *rec,
		 struct nlmsghdr *nlh, char *err, size_t errlen)
{
	const uint16_t *k;

	if (!json_object_is_type(rec, json_type_object))
		return bad(err, errlen, "a %s record must be a JSON object",
			   s->name);
	json_object_object_foreach(rec, name, v) {
		uint16_t type = attr_by_name(name);
		const struct attr_desc *d = attr_desc(type);

		if (!type || !in_schema(s, type))
			return bad(err, errlen, "unknown field \"%s\" in a %s record",
				   name, s->name);
		if (put_field(nlh, type, d, v))
			return bad(err, errlen, "field \"%s\": %s expected, not %s",
				   name, expected(d),
				   json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
	}
	for (k = s->key; *k; k++)
		if (!json_object_object_get_ex(rec, attr_desc(*k)->name, NULL))
			return bad(err, errlen, "field \"%s\" missing in a %s record",
				   attr_desc(*k)->name, s->name);
	return 0;
}

static struct json_object *prefix_json(const struct nlattr *a)
{
	char buf[PREFIX_STRLEN];
	struct prefix p;

	if (!get_prefix(a, &p))
		return NULL;
	return json_object_new_string(format_prefix(buf, &p));
}

static struct json_object *field_json(const struct attr_desc *d,
				      const struct nlattr *a)
{
	char buf[MAC_STRLEN];
	struct json_object *arr;
	struct prefix_list l;
	uint8_t e;
	int i;

	switch (d->kind) {
	case ATTR_U8:
		return json_object_new_int64(mnl_attr_get_u8(a));
	case ATTR_U16:
		return json_object_new_int64(mnl_attr_get_u16(a));
	case ATTR_U32:
		return json_object_new_int64(mnl_attr_get_u32(a));
	case ATTR_STRING:
		return json_object_new_string(mnl_attr_get_str(a));
	case ATTR_ADDR:
		return json_object_new_string(format_addr(buf, get_addr(a)));
	case ATTR_MAC:
		return json_object_new_string(format_mac(buf, mnl_attr_get_payload(a)));
	case ATTR_ENUM:
		e = mnl_attr_get_u8(a);
		if (e < d->n_values && d->values[e])
			return json_object_new_string(d->values[e]);
		return json_object_new_int64(e);
	case ATTR_PREFIX:
		return prefix_json(a);
	case ATTR_PREFIX_LIST:
		arr = json_object_new_array();
		get_prefix_list(a, &l);
		for (i = 0; arr && i < l.n; i++)
			json_object_array_add(arr, json_object_new_string(
				format_prefix(buf, &l.p[i])));
		return arr;
	default:
		return NULL;
	}
}

struct json_object *rec_from_attrs(const struct rec_schema *s,
				   const struct nlmsghdr *nlh)
{
	struct json_object *rec = json_object_new_object();
	const uint16_t *f;
	clink_tb_t tb;

	if (!rec)
		return NULL;
	genl_parse(nlh, tb);
	for (f = s->fields; *f; f++) {
		const struct attr_desc *d = attr_desc(*f);
		struct json_object *v;

		if (!tb[*f])
			continue;
		v = field_json(d, tb[*f]);
		if (v)
			json_object_object_add(rec, d->name, v);
	}
	return rec;
}

int key_escape(const char *id, char *buf, size_t size)
{
	size_t n = 0;
	const unsigned char *p;

	for (p = (const unsigned char *)id; *p; p++) {
		bool plain = *p > ' ' && *p < 0x7f && *p != '%' && *p != '/';
		int len = plain ? 1 : 3;

		if (n + (size_t)len >= size)
			return -1;
		if (plain)
			buf[n] = (char)*p;
		else
			snprintf(buf + n, 4, "%%%02X", *p);
		n += (size_t)len;
	}
	if (n >= size)
		return -1;
	buf[n] = '\0';
	return 0;
}

/* One key element: an escaped ID, an address, a_b_c_d_len or %010u. */
static int key_part(uint16_t type, struct json_object *v, char *buf,
		    size_t size)
{
	const char *s = json_str(v);
	char a[ADDR_STRLEN];
	struct in_addr addr;
	struct prefix p;
	uint64_t n;
	int len;

	switch (attr_desc(type)->kind) {
	case ATTR_STRING:
		return s && *s ? key_escape(s, buf, size) : -1;
	case ATTR_ADDR:
		if (!s || parse_addr(s, &addr))
			return -1;
		len = snprintf(buf, size, "%s", format_addr(a, addr));
		break;
	case ATTR_PREFIX:
		if (!s || parse_prefix(s, &p))
			return -1;
		len = snprintf(buf, size, "%s_%u", format_addr(a, p.addr), p.len);
		break;
	case ATTR_U32:
		if (get_uint(v, UINT32_MAX, &n))
			return -1;
		len = snprintf(buf, size, "%010" PRIu64, n);
		break;
	default:
		return -1;
	}
	return len < 0 || (size_t)len >= size ? -1 : 0;
}

int rec_key(const struct rec_schema *s, struct json_object *rec,
	    char *buf, size_t size)
{
	size_t n;
	const uint16_t *k;
	int len = snprintf(buf, size, "%s", s->name);

	if (len < 0 || (size_t)len >= size)
		return -1;
	n = (size_t)len;
	for (k = s->key; *k; k++) {
		struct json_object *v;

		if (!json_object_object_get_ex(rec, attr_desc(*k)->name, &v) ||
		    n + 1 >= size)
			return -1;
		buf[n++] = '/';
		if (key_part(*k, v, buf + n, size - n))
			return -1;
		n += strlen(buf + n);
	}
	return 0;
}
