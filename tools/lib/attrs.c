// SPDX-License-Identifier: GPL-2.0
/*
 * The clink family's attributes and enums by the names of the YAML spec.
 * selftests/ynl/check-spec holds the spec to the uapi header; this table
 * follows the header, in its order.
 */

#include <string.h>

#include "attrs.h"

#define N(table)	(sizeof(table) / sizeof((table)[0]))

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
	[CLINK_DROP_VTEP_MISMATCH] = "vtep-mismatch",
	[CLINK_DROP_OUTSIDE_REACH] = "outside-reach",
	[CLINK_DROP_PL_NO_SERVICE] = "pl-no-service",
	[CLINK_DROP_PL_NOT_ALLOWED] = "pl-not-allowed",
	[CLINK_DROP_PL_NO_SESSION] = "pl-no-session",
	[CLINK_DROP_PL_SNAT_EXHAUSTED] = "pl-snat-exhausted",
	[CLINK_DROP_PL_SESSION_LIMIT] = "pl-session-limit",
};

#define A(type, n, k)		[(type)] = { .name = (n), .kind = (k) }
#define E(type, n, names)	[(type)] = { .name = (n), .kind = ATTR_ENUM, \
					     .values = (names), \
					     .n_values = N(names) }

static const struct attr_desc attrs[CLINK_A_MAX + 1] = {
	A(CLINK_A_IFINDEX, "ifindex", ATTR_U32),
	A(CLINK_A_IFNAME, "ifname", ATTR_STRING),
	A(CLINK_A_DEV_VERSION, "dev-version", ATTR_STRING),
	A(CLINK_A_DEV_LOCAL, "dev-local", ATTR_ADDR),
	A(CLINK_A_DEV_PORT, "dev-port", ATTR_U16),
	A(CLINK_A_DEV_REGION, "dev-region", ATTR_STRING),
	A(CLINK_A_DEV_MAC, "dev-mac", ATTR_MAC),
	A(CLINK_A_DEV_MAX_LINKS_PER_VPC, "dev-max-links-per-vpc", ATTR_U32),
	A(CLINK_A_DEV_MAX_VPCS, "dev-max-vpcs", ATTR_U32),
	A(CLINK_A_DEV_MAX_INSTANCES, "dev-max-instances", ATTR_U32),
	A(CLINK_A_DEV_MAX_LINKS, "dev-max-links", ATTR_U32),
	A(CLINK_A_DEV_MAX_ENDPOINTS, "dev-max-endpoints", ATTR_U32),
	A(CLINK_A_DEV_CLASSIC_SPACE, "dev-classic-space", ATTR_PREFIX_LIST),
	A(CLINK_A_DEV_VPC_ELIGIBLE, "dev-vpc-eligible", ATTR_PREFIX_LIST),
	A(CLINK_A_DEV_N_VPCS, "dev-n-vpcs", ATTR_U32),
	A(CLINK_A_DEV_N_INSTANCES, "dev-n-instances", ATTR_U32),
	A(CLINK_A_DEV_N_LINKS, "dev-n-links", ATTR_U32),
	A(CLINK_A_DEV_N_ENDPOINTS, "dev-n-endpoints", ATTR_U32),
	A(CLINK_A_DEV_GENERATION, "dev-generation", ATTR_U32),
	A(CLINK_A_VPC_ID, "vpc-id", ATTR_STRING),
	A(CLINK_A_VPC_VNI, "vpc-vni", ATTR_U32),
	A(CLINK_A_VPC_CIDR, "vpc-cidr", ATTR_PREFIX),
	A(CLINK_A_VPC_SECONDARY, "vpc-secondary", ATTR_PREFIX_LIST),
	A(CLINK_A_VPC_REGION, "vpc-region", ATTR_STRING),
	A(CLINK_A_VPC_ACCOUNT, "vpc-account", ATTR_STRING),
	A(CLINK_A_VPC_CLASSICLINK, "vpc-classiclink", ATTR_U8),
	A(CLINK_A_VPC_MAX_LINKS, "vpc-max-links", ATTR_U32),
	A(CLINK_A_VPC_REACH, "vpc-reach", ATTR_PREFIX),
	A(CLINK_A_DEV_PROFILE, "dev-profile", ATTR_U8),
	A(CLINK_A_VPC_DSCP, "vpc-dscp", ATTR_U8),
	A(CLINK_A_LINK_DSCP, "link-dscp", ATTR_U8),
	A(CLINK_A_VPC_N_LINKS, "vpc-n-links", ATTR_U32),
	A(CLINK_A_VPC_N_ENDPOINTS, "vpc-n-endpoints", ATTR_U32),
	A(CLINK_A_VPC_N_ROUTES, "vpc-n-routes", ATTR_U32),
	A(CLINK_A_VPC_N_ACLS, "vpc-n-acls", ATTR_U32),
	A(CLINK_A_EP_ADDR, "ep-addr", ATTR_ADDR),
	A(CLINK_A_EP_VTEP, "ep-vtep", ATTR_ADDR),
	A(CLINK_A_EP_MAC, "ep-mac", ATTR_MAC),
	A(CLINK_A_ROUTE_DST, "route-dst", ATTR_PREFIX),
	E(CLINK_A_ROUTE_TYPE, "route-type", route_types),
	E(CLINK_A_ROUTE_NEXTHOP, "route-nexthop", nexthops),
	A(CLINK_A_INST_ID, "inst-id", ATTR_STRING),
	A(CLINK_A_INST_ADDR, "inst-addr", ATTR_ADDR),
	A(CLINK_A_INST_REGION, "inst-region", ATTR_STRING),
	A(CLINK_A_INST_ACCOUNT, "inst-account", ATTR_STRING),
	A(CLINK_A_ACL_PRIO, "acl-prio", ATTR_U32),
	E(CLINK_A_ACL_DIR, "acl-dir", acl_dirs),
	E(CLINK_A_ACL_ACTION, "acl-action", acl_actions),
	A(CLINK_A_ACL_PROTO, "acl-proto", ATTR_U8),
	A(CLINK_A_ACL_SRC, "acl-src", ATTR_PREFIX),
	A(CLINK_A_ACL_DST, "acl-dst", ATTR_PREFIX),
	A(CLINK_A_ACL_SPORT_MIN, "acl-sport-min", ATTR_U16),
	A(CLINK_A_ACL_SPORT_MAX, "acl-sport-max", ATTR_U16),
	A(CLINK_A_ACL_DPORT_MIN, "acl-dport-min", ATTR_U16),
	A(CLINK_A_ACL_DPORT_MAX, "acl-dport-max", ATTR_U16),
	A(CLINK_A_ACL_HITS, "acl-hits", ATTR_U64),
	A(CLINK_A_STATS, "stats", ATTR_NEST),
	A(CLINK_A_DROPS, "drops", ATTR_NEST),
	E(CLINK_A_EVENT_REASON, "event-reason", event_reasons),
	A(CLINK_A_PREFIX_ENTRY, "prefix-entry", ATTR_NEST),
	A(CLINK_A_DEV_VTEP_CHECK, "dev-vtep-check", ATTR_U8),
	A(CLINK_A_REPLACE, "replace", ATTR_FLAG),
	A(CLINK_A_SVC_ID, "svc-id", ATTR_STRING),
	A(CLINK_A_SVC_PROTO, "svc-proto", ATTR_U8),
	A(CLINK_A_SVC_PORT, "svc-port", ATTR_U16),
	A(CLINK_A_SVC_BACKENDS, "svc-backends", ATTR_NEST),
	A(CLINK_A_SVC_BACKEND, "svc-backend", ATTR_NEST),
	A(CLINK_A_SVC_SNAT, "svc-snat", ATTR_NEST),
	A(CLINK_A_SVC_ADDR, "svc-addr", ATTR_ADDR),
	A(CLINK_A_SVC_ALLOW_ACCOUNTS, "svc-allow-accounts", ATTR_NEST),
	A(CLINK_A_SVC_ALLOW_VPCS, "svc-allow-vpcs", ATTR_NEST),
	A(CLINK_A_SVC_PRINCIPAL, "svc-principal", ATTR_NEST),
	A(CLINK_A_SVC_ACCEPTING, "svc-accepting", ATTR_U8),
	A(CLINK_A_SVC_N_VPCES, "svc-n-vpces", ATTR_U32),
	A(CLINK_A_VPCE_ID, "vpce-id", ATTR_STRING),
	A(CLINK_A_VPCE_ADDR, "vpce-addr", ATTR_ADDR),
	A(CLINK_A_VPCE_ALLOWED, "vpce-allowed", ATTR_U8),
	A(CLINK_A_VPCE_N_SESSIONS, "vpce-n-sessions", ATTR_U32),
};

const struct attr_desc *attr_desc(uint16_t type)
{
	return &attrs[type <= CLINK_A_MAX ? type : CLINK_A_UNSPEC];
}

uint16_t attr_by_name(const char *name)
{
	unsigned int t;

	for (t = 1; t <= CLINK_A_MAX; t++)
		if (attrs[t].name && !strcmp(attrs[t].name, name))
			return (uint16_t)t;
	return CLINK_A_UNSPEC;
}

int attr_enum_value(uint16_t type, const char *name)
{
	const struct attr_desc *d = attr_desc(type);
	unsigned int i;

	if (d->kind != ATTR_ENUM)
		return -1;
	for (i = 0; i < d->n_values; i++)
		if (d->values[i] && !strcmp(d->values[i], name))
			return (int)i;
	return -1;
}

#define NAME(table, i) \
	((i) < N(table) && (table)[i] ? (table)[i] : "unknown")

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
