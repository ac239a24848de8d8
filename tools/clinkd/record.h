/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CLINKD_RECORD_H
#define _CLINKD_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

#include "nl.h"

/*
 * Records: the JSON objects of config/ in etcd (field names are the YAML
 * spec's attribute names) and the same objects read back from the kernel,
 * both in one canonical form (every default filled in, addresses and
 * MACs normalised), so that "does the kernel match etcd?" is
 * json_object_equal() of two records.
 */

enum rec_kind {
	REC_DEV,
	REC_VPC,
	REC_ENDPOINT,
	REC_ROUTE,
	REC_ACL,
	REC_INSTANCE,
	REC_LINK,

	__REC_MAX
};

/* The kind of key config/@rel, -1 if none. */
int rec_kind_of(const char *rel);
/* @rel with its ids decoded and encoded again the one way rec_key() does. */
int rec_norm_key(const char *rel, char *buf, size_t len);

/* Component @n of a key (0: the kind), decoded. */
int rec_key_part(const char *key, int n, char *buf, size_t len);

/* "vpc" for REC_VPC, as in the key config/vpc/<id> */
const char *rec_kind_name(enum rec_kind kind);

/*
 * The canonical record of etcd key config/@rel with value @val, or NULL
 * with the reason in @err (invalid JSON, unknown field, value out of
 * range, key and record naming different objects).  Missing regions
 * default to @region, as the kernel does.
 */
struct json_object *rec_parse(const char *rel, const char *val, size_t len,
			      const char *region, enum rec_kind *kind,
			      char *err, size_t errlen);

/* The record of a kernel object (GET reply), NULL if incomplete. */
struct json_object *rec_from_kernel(enum rec_kind kind, clink_tb_t tb);

/* Its key below config/ ("vpc/vpc-a"), the ids percent-encoded. */
void rec_key(enum rec_kind kind, struct json_object *rec, char *buf,
	     size_t len);

/* Attributes of NEW_<kind> (SET_DEV for the device) from a record. */
void rec_put(struct nlmsghdr *nlh, enum rec_kind kind,
	     struct json_object *rec);

/* Helpers on canonical records */
const char *rec_str(struct json_object *rec, const char *field);
bool rec_same(struct json_object *a, struct json_object *b, const char *field);
void put_prefix_str(struct nlmsghdr *nlh, uint16_t type, const char *s);

#endif /* _CLINKD_RECORD_H */
