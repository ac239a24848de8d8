/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CLINK_RECORD_H
#define _CLINK_RECORD_H

/*
 * The JSON records of a clink cluster (Documentation/cluster.rst) and the
 * netlink messages of the clink family hold the same attributes: a
 * record's field names are the YAML spec's attribute names (attrs.h), its
 * values strings for strings, numbers for u8/u16/u32, the spec's names
 * for enums, "a.b.c.d" for addresses, "aa:bb:cc:dd:ee:ff" for MACs,
 * "a.b.c.d/n" for prefixes and arrays of those for prefix lists:
 *
 *   config/vpc/vpc-a  {"vpc-id":"vpc-a","vpc-vni":100,
 *                      "vpc-cidr":"172.16.0.0/16","vpc-classiclink":1}
 *
 * Each kind of record (a schema) lists the attributes it holds and those
 * that make its key under config/. clinkd turns records into requests and
 * kernel dumps into records with this; clinkctl -E turns the request of a
 * parsed command into the record it writes.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>
#include <libmnl/libmnl.h>

enum rec_kind {
	REC_DEV,	/* config/dev: SET_DEV */
	REC_VPC,	/* config/vpc/<vpc-id> */
	REC_ENDPOINT,	/* config/endpoint/<vpc-id>/<ep-addr> */
	REC_ROUTE,	/* config/route/<vpc-id>/<a.b.c.d>_<len>: custom only */
	REC_ACL,	/* config/acl/<vpc-id>/<acl-prio, %010u> */
	REC_INSTANCE,	/* config/instance/<inst-id> */
	REC_LINK,	/* config/link/<inst-id>: one VPC per instance */
	REC_KINDS
};

struct rec_schema {
	const char *name;	/* the key's path element: "vpc" */
	const uint16_t *fields;	/* CLINK_A_* a record may hold, 0-ended */
	const uint16_t *key;	/* CLINK_A_* of its key, in order, 0-ended */
	enum rec_kind kind;
	uint8_t new_cmd;	/* the command that creates (or replaces) one */
	uint8_t del_cmd;	/* 0 for the device */
	uint8_t get_cmd;	/* GET_DEV for the device */
};

const struct rec_schema *rec_schema(enum rec_kind kind);

/*
 * The schema of a key relative to "/clink/<cluster>/config/" ("vpc/vpc-a",
 * "dev"); NULL when no record lives there.
 */
const struct rec_schema *rec_schema_of_key(const char *key);

/*
 * Puts the fields of @rec (a JSON object) into the request @nlh as
 * attributes. A field that is not the schema's, a value of the wrong type
 * or out of range, or a missing key field fails with -1 and the reason
 * in @err ("field \"vpc-vni\": ..."); @nlh is then partly written.
 */
int rec_to_attrs(const struct rec_schema *s, struct json_object *rec,
		 struct nlmsghdr *nlh, char *err, size_t errlen);

/*
 * A new record of the schema's fields found in the clink message @nlh
 * (a request, a reply or an event); NULL on allocation failure. Fields
 * the message lacks are left out.
 */
struct json_object *rec_from_attrs(const struct rec_schema *s,
				   const struct nlmsghdr *nlh);

/*
 * The key of @rec relative to config/: "endpoint/vpc-a/172.16.0.10", IDs
 * percent-encoded (key_escape()). -1 when a key field is missing or the
 * key does not fit in @size.
 */
int rec_key(const struct rec_schema *s, struct json_object *rec,
	    char *buf, size_t size);

/*
 * An ID as a key element: '%' -> "%25", '/' -> "%2F" and every byte
 * outside printable ASCII as %XX. -1 when it does not fit in @size.
 */
int key_escape(const char *id, char *buf, size_t size);

/* The longest key element key_escape() makes of an ID, with its NUL. */
#define KEY_ID_MAX	(3 * 63 + 1)

#endif /* _CLINK_RECORD_H */
