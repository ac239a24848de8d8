/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CLINKD_RECORD_H
#define _CLINKD_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

#include "../lib/record.h"

/*
 * What the agent adds to libclink's records (../lib/record.h): one
 * canonical form for a record from etcd and for the same object read
 * back from the kernel, every default the kernel would apply filled in,
 * fields in the schema's order, so that "does the kernel match etcd?" is
 * a comparison of two strings.
 */

/*
 * The canonical record of etcd key config/@rel with value @val, or NULL
 * with the reason in @err (invalid JSON, unknown field, wrong type, value
 * out of range, missing field, key and record naming different objects).
 * Missing regions default to @region, as the kernel does.
 */
struct json_object *record_parse(const char *rel, const char *val, size_t len,
				 const char *region, enum rec_kind *kind,
				 char *err, size_t errlen);

/* The record of a kernel object (a GET reply), NULL if incomplete. */
struct json_object *record_from_kernel(enum rec_kind kind,
				       const struct nlmsghdr *nlh);

/* Its key below config/ ("vpc/vpc-a"). */
void record_key(enum rec_kind kind, struct json_object *rec, char *buf,
		size_t len);
/* The kind of key config/@rel, -1 if none. */
int record_kind_of(const char *rel);
/* @rel with its IDs decoded and escaped again the one way keys are. */
int record_norm_key(const char *rel, char *buf, size_t len);
/* Component @n of a key (0: the kind), decoded. */
int record_key_part(const char *key, int n, char *buf, size_t len);

/*
 * The attributes of NEW_<kind> (SET_DEV for the device) or of a delete
 * (a record of the key fields only).  The record is canonical: it fits.
 */
void record_put(struct nlmsghdr *nlh, enum rec_kind kind,
		struct json_object *rec);

const char *rec_str(struct json_object *rec, const char *field);
bool rec_same(struct json_object *a, struct json_object *b, const char *field);
void put_prefix_str(struct nlmsghdr *nlh, uint16_t type, const char *s);

#endif /* _CLINKD_RECORD_H */
