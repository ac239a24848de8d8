/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CLINKD_KERNEL_H
#define _CLINKD_KERNEL_H

#include <json-c/json.h>

#include "sync.h"

#define KEY_MAX		512

/*
 * What the kernel holds, as far as a sync needs to know: per kind, key ->
 * record for objects that differ from the desired record (or have none),
 * key -> NULL for objects equal to it.  Comparing while dumping keeps
 * only the differences in memory, however big the configuration.
 */
struct kernel {
	struct json_object *rec[REC_KINDS];
	/* per VPC key: custom routes and ACL rules the kernel holds */
	struct json_object *n_custom, *n_acls;
	struct config *cmp;		/* compare with it (NULL: keep all) */
	struct sync_result *res;	/* the device's facts go there */
};

/*
 * The netlink side of the agent, through libclink (../lib/nl.h): quiet
 * (the agent logs), every receive with a timeout.  kernel_open() fails
 * (nl_error says why) when the clink family is missing.
 * kernel_req() starts a change of @dev for libclink's batch.
 */
int kernel_open(const char *dev);
void kernel_close(void);
struct nlmsghdr *kernel_req(uint8_t cmd, uint16_t flags);

void kernel_init(struct kernel *k, struct config *cmp, struct sync_result *res);
void kernel_free(struct kernel *k);

/* Everything (route and ACL dumps only for VPCs that have or want some). */
int kernel_read(struct kernel *k);
/* The objects @keys name, and what they drag in (links of a VPC). */
int kernel_read_keys(struct kernel *k, struct json_object *keys);
/* The device's facts only. */
int kernel_dev(struct sync_result *res);
/* The device, and the routes proto clink of the VPCs the kernel holds. */
int kernel_finish(struct sync_result *res);

/* A record refused: logged once, listed in the status (sync.c) */
void sync_report(const char *key, const char *msg);

#endif /* _CLINKD_KERNEL_H */
