/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CLINKD_SYNC_H
#define _CLINKD_SYNC_H

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>

#include "../lib/nl.h"
#include "record.h"

/*
 * The desired state: every config/ key of etcd, by kind, keyed by its
 * path below config/ (ids percent-encoded as in etcd).  A key whose value
 * is not a valid record is kept in @bad with the reason: the kernel
 * object it names is left as it is, never deleted.
 */
struct config {
	/* key -> the record, canonical JSON text (small: 300,000 fit) */
	struct json_object *rec[REC_KINDS];
	struct json_object *bad;		/* key -> error */
	char region[64];			/* default region */
};

void config_init(struct config *c, const char *region);
void config_free(struct config *c);
/*
 * A put (@val != NULL) or delete of config/@rel.  True when it changes
 * the default region of the records already parsed: read them again.
 */
bool config_set(struct config *c, const char *rel, const char *val,
		size_t len);
/* The record of @key as an object (a new reference), NULL if none. */
struct json_object *config_get(struct config *c, enum rec_kind kind,
			       const char *key);

/* What the last sync found and did. */
struct sync_result {
	unsigned int changes;		/* requests that changed the kernel */
	unsigned int errors;		/* records refused */
	struct json_object *errlist;	/* key -> error message */
	/* the device after the sync */
	char vtep[16];
	char region[64];
	uint32_t generation;
	uint32_t n_vpcs, n_instances, n_links, n_endpoints;
	int ifindex;
};

/*
 * Make the kernel equal @c: dump it, compute the difference, apply it in
 * dependency order, then the proto clink host routes.  0, or -errno when
 * the kernel could not be read or talked to (errors of single records
 * are in @res, not in the return value).
 */
int sync_run(struct config *c, struct sync_result *res);

/*
 * The same for the keys (below config/, as config_set() took them) in
 * @keys only: the kernel is read object by object, so the cost follows
 * the size of the change, not of the configuration.
 */
int sync_keys(struct config *c, struct json_object *keys,
	      struct sync_result *res);

/* The device's region, the default of records that name none. */
int sync_dev_region(char *buf, size_t len);

#endif /* _CLINKD_SYNC_H */
