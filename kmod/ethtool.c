// SPDX-License-Identifier: GPL-2.0
/*
 * ethtool -i names the driver and clink's version; ethtool -S prints the
 * device's traffic and its drop counters, one per reason, the numbers
 * clinkctl -s dev show prints (named as there, with "_" for "-" and
 * "drop_" before).
 */

#include <linux/ethtool.h>
#include <linux/netdevice.h>

#include "compat.h"
#include "device.h"

static const char * const traffic_names[CLINK_TRAFFIC_N] = {
	"to_vpc_packets", "to_vpc_bytes", "to_classic_packets", "to_classic_bytes",
};

/* Every reason but CLINK_DROP_UNSPEC; keep in the order of the enum. */
static const char * const drop_names[] = {
	[CLINK_DROP_NO_LINK]		= "drop_no_link",
	[CLINK_DROP_SECONDARY_CIDR]	= "drop_secondary_cidr",
	[CLINK_DROP_NO_TRANSIT]		= "drop_no_transit",
	[CLINK_DROP_ACL_DENY]		= "drop_acl_deny",
	[CLINK_DROP_NO_ENDPOINT]	= "drop_no_endpoint",
	[CLINK_DROP_UNKNOWN_VNI]	= "drop_unknown_vni",
	[CLINK_DROP_NOT_LINKED]		= "drop_not_linked",
	[CLINK_DROP_SPOOFED_SOURCE]	= "drop_spoofed_source",
	[CLINK_DROP_MALFORMED]		= "drop_malformed",
	[CLINK_DROP_NOT_IPV4]		= "drop_not_ipv4",
	[CLINK_DROP_MTU]		= "drop_mtu",
	[CLINK_DROP_NO_ROUTE]		= "drop_no_route",
	[CLINK_DROP_TTL]		= "drop_ttl",
	[CLINK_DROP_NOMEM]		= "drop_nomem",
	[CLINK_DROP_VTEP_MISMATCH]	= "drop_vtep_mismatch",
	[CLINK_DROP_OUTSIDE_REACH]	= "drop_outside_reach",
	[CLINK_DROP_PL_NO_SERVICE]	= "drop_pl_no_service",
	[CLINK_DROP_PL_NOT_ALLOWED]	= "drop_pl_not_allowed",
	[CLINK_DROP_PL_NO_SESSION]	= "drop_pl_no_session",
	[CLINK_DROP_PL_SNAT_EXHAUSTED]	= "drop_pl_snat_exhausted",
	[CLINK_DROP_PL_SESSION_LIMIT]	= "drop_pl_session_limit",
};

/* A reason added to the uapi enum needs its name here. */
static_assert(ARRAY_SIZE(drop_names) == __CLINK_DROP_MAX);

#define N_DROPS		(__CLINK_DROP_MAX - 1)
#define N_STATS		(CLINK_TRAFFIC_N + N_DROPS)

static void clink_get_drvinfo(struct net_device *dev,
			      struct ethtool_drvinfo *info)
{
	strscpy(info->driver, KBUILD_MODNAME, sizeof(info->driver));
	strscpy(info->version, CLINK_VERSION, sizeof(info->version));
}

static int clink_get_sset_count(struct net_device *dev, int sset)
{
	return sset == ETH_SS_STATS ? N_STATS : -EOPNOTSUPP;
}

static void clink_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	int i;

	if (sset != ETH_SS_STATS)
		return;
	for (i = 0; i < CLINK_TRAFFIC_N; i++)
		ethtool_puts(&data, traffic_names[i]);
	for (i = CLINK_DROP_UNSPEC + 1; i < __CLINK_DROP_MAX; i++)
		ethtool_puts(&data, drop_names[i]);
}

static void clink_get_ethtool_stats(struct net_device *dev,
				    struct ethtool_stats *stats, u64 *data)
{
	struct clink_dev *cd = netdev_priv(dev);
	u64 drops[__CLINK_DROP_MAX];

	clink_traffic_read(cd->traffic, data);
	clink_drops_read(cd, drops);
	memcpy(data + CLINK_TRAFFIC_N, drops + CLINK_DROP_UNSPEC + 1,
	       N_DROPS * sizeof(u64));
}

const struct ethtool_ops clink_ethtool_ops = {
	.get_drvinfo		= clink_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_sset_count		= clink_get_sset_count,
	.get_strings		= clink_get_strings,
	.get_ethtool_stats	= clink_get_ethtool_stats,
};
