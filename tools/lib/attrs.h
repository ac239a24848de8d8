/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CLINK_ATTRS_H
#define _CLINK_ATTRS_H

#include <stdint.h>
#include <linux/clink.h>

/*
 * The attributes of the clink family under the names the YAML spec gives
 * them (Documentation/netlink/specs/clink.yaml), with the shape of their
 * values: genl_parse() validates replies against it, and the JSON records
 * of the cluster (record.h) are written and read through it.
 */
enum attr_kind {
	ATTR_NONE,		/* unknown type: ignored */
	ATTR_U8,
	ATTR_U16,
	ATTR_U32,
	ATTR_U64,
	ATTR_STRING,		/* NUL-terminated */
	ATTR_ADDR,		/* IPv4, 4 bytes; JSON "a.b.c.d" */
	ATTR_MAC,		/* 6 bytes; JSON "aa:bb:cc:dd:ee:ff" */
	ATTR_ENUM,		/* u8; JSON the spec's name of the value */
	ATTR_PREFIX,		/* CLINK_PREFIX_A_* nest; JSON "a.b.c.d/n" */
	ATTR_PREFIX_LIST,	/* nest of CLINK_A_PREFIX_ENTRY; JSON array */
	ATTR_NEST,		/* any other nest (stats, drops) */
	ATTR_FLAG,		/* no payload: present or absent */
};

struct attr_desc {
	const char *name;		/* "vpc-id" */
	const char *const *values;	/* ATTR_ENUM: names by value */
	unsigned int n_values;
	enum attr_kind kind;
};

/* The description of CLINK_A_* @type; kind ATTR_NONE when unknown. */
const struct attr_desc *attr_desc(uint16_t type);

/* The CLINK_A_* type the spec calls @name, or 0 (CLINK_A_UNSPEC). */
uint16_t attr_by_name(const char *name);

/* The value of enum attribute @type named @name, or -1. */
int attr_enum_value(uint16_t type, const char *name);

/* Names of the uapi enums ("unknown" out of range). */
const char *nexthop_name(unsigned int nh);
const char *route_type_name(unsigned int type);
const char *acl_dir_name(unsigned int dir);
const char *acl_action_name(unsigned int action);
const char *event_reason_name(unsigned int reason);
const char *drop_reason_name(unsigned int reason);

#endif /* _CLINK_ATTRS_H */
