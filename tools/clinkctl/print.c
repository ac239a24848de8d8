// SPDX-License-Identifier: GPL-2.0
/* Output helpers and the names of the uapi enums, shared by every object. */

#include <stdio.h>

#include "clinkctl.h"

#define NAME(table, i) \
	((i) < sizeof(table) / sizeof((table)[0]) && (table)[i] ? (table)[i] : "unknown")

static const char *const nexthops[] = {
	[CLINK_NEXTHOP_NONE] = "none",
	[CLINK_NEXTHOP_VPN] = "vpn",
	[CLINK_NEXTHOP_NAT] = "nat",
	[CLINK_NEXTHOP_PEERING] = "peering",
	[CLINK_NEXTHOP_DC] = "dc",
	[CLINK_NEXTHOP_INSTANCE] = "instance",
};

static const char *const route_types[] = {
	[CLINK_ROUTE_LOCAL] = "local",
	[CLINK_ROUTE_CLASSICLINK] = "classiclink",
	[CLINK_ROUTE_CUSTOM] = "custom",
};

static const char *const acl_dirs[] = {
	[CLINK_ACL_TO_VPC] = "to-vpc",
	[CLINK_ACL_TO_CLASSIC] = "to-classic",
};

static const char *const acl_actions[] = {
	[CLINK_ACL_ALLOW] = "allow",
	[CLINK_ACL_DENY] = "deny",
};

static const char *const event_reasons[] = {
	[CLINK_EVENT_ADDED] = "added",
	[CLINK_EVENT_REMOVED] = "removed",
	[CLINK_EVENT_CHANGED] = "changed",
	[CLINK_EVENT_IP_CHANGED] = "ip-changed",
	[CLINK_EVENT_INSTANCE_DELETED] = "instance-deleted",
	[CLINK_EVENT_FLUSHED] = "flushed",
	[CLINK_EVENT_DEV_DELETED] = "dev-deleted",
};

static const char *const drop_reasons[] = {
	[CLINK_DROP_UNSPEC] = "unspec",
	[CLINK_DROP_NO_LINK] = "no-link",
	[CLINK_DROP_SECONDARY_CIDR] = "secondary-cidr",
	[CLINK_DROP_NO_TRANSIT] = "no-transit",
	[CLINK_DROP_ACL_DENY] = "acl-deny",
	[CLINK_DROP_NO_ENDPOINT] = "no-endpoint",
	[CLINK_DROP_UNKNOWN_VNI] = "unknown-vni",
	[CLINK_DROP_NOT_LINKED] = "not-linked",
	[CLINK_DROP_SPOOFED_SOURCE] = "spoofed-source",
	[CLINK_DROP_MALFORMED] = "malformed",
	[CLINK_DROP_NOT_IPV4] = "not-ipv4",
	[CLINK_DROP_MTU] = "mtu",
	[CLINK_DROP_NO_ROUTE] = "no-route",
	[CLINK_DROP_TTL] = "ttl",
	[CLINK_DROP_NOMEM] = "nomem",
};

const char *nexthop_name(unsigned int nh)
{
	return NAME(nexthops, nh);
}

const char *route_type_name(unsigned int type)
{
	return NAME(route_types, type);
}

const char *acl_dir_name(unsigned int dir)
{
	return NAME(acl_dirs, dir);
}

const char *acl_action_name(unsigned int action)
{
	return NAME(acl_actions, action);
}

const char *event_reason_name(unsigned int reason)
{
	return NAME(event_reasons, reason);
}

const char *drop_reason_name(unsigned int reason)
{
	return NAME(drop_reasons, reason);
}

static uint64_t stat64(const struct nlattr *tb[], int type)
{
	return tb[type] ? mnl_attr_get_u64(tb[type]) : 0;
}

void print_traffic(const struct nlattr *nest)
{
	const struct nlattr *tb[CLINK_STATS_A_MAX + 1] = { NULL };
	const struct nlattr *a;

	if (!opts.stats || !nest)
		return;
	mnl_attr_for_each_nested(a, nest) {
		uint16_t type = mnl_attr_get_type(a);

		if (type <= CLINK_STATS_A_MAX && type != CLINK_STATS_A_PAD &&
		    mnl_attr_validate(a, MNL_TYPE_U64) == 0)
			tb[type] = a;
	}
	open_json_object("stats");
	print_uint("to_vpc_packets", "\n    to-vpc %llu packets",
		   stat64(tb, CLINK_STATS_A_TO_VPC_PACKETS));
	print_uint("to_vpc_bytes", " %llu bytes",
		   stat64(tb, CLINK_STATS_A_TO_VPC_BYTES));
	print_uint("to_classic_packets", "  to-classic %llu packets",
		   stat64(tb, CLINK_STATS_A_TO_CLASSIC_PACKETS));
	print_uint("to_classic_bytes", " %llu bytes",
		   stat64(tb, CLINK_STATS_A_TO_CLASSIC_BYTES));
	close_json_object();
}

void print_prefix(const char *key, const char *fmt, const struct nlattr *nest)
{
	char buf[PREFIX_STRLEN];
	struct prefix p;

	if (get_prefix(nest, &p))
		print_string(key, fmt, format_prefix(buf, &p));
}

void print_prefix_list(const char *key, const char *keyword,
		       const struct nlattr *nest)
{
	char buf[PREFIX_STRLEN];
	struct prefix_list l;
	int i;

	get_prefix_list(nest, &l);
	print_text(" %s ", keyword);
	if (!l.n)
		print_text("none");
	open_json_array(key);
	for (i = 0; i < l.n; i++)
		print_string(NULL, i ? ",%s" : "%s", format_prefix(buf, &l.p[i]));
	close_json_array();
}

void print_addr(const char *key, const char *fmt, const struct nlattr *a)
{
	char buf[ADDR_STRLEN];

	if (a)
		print_string(key, fmt, format_addr(buf, get_addr(a)));
}
