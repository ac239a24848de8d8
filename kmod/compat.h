/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the kernels clink builds for (6.1 to 6.12): the
 * newer API is used everywhere else, and defined here for older kernels.
 * Every kernel-version test of the module lives in this file.
 */
#ifndef _CLINK_COMPAT_H
#define _CLINK_COMPAT_H

#include <linux/netdevice.h>
#include <linux/netlink.h>
#include <linux/version.h>
#include <net/genetlink.h>

/* 6.2: doit and dumpit callbacks get split ops. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
#define genl_split_ops genl_ops
#endif

/*
 * 6.6: the dump request is a struct genl_info too; and the core allocates
 * dev->tstats when asked to, which tunnel transmit (iptunnel_xmit_stats)
 * insists on; before, drivers did.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 6, 0)
#define genl_info_dump(cb) genl_dumpit_info(cb)
#define CLINK_CORE_TSTATS 0
#else
#define CLINK_CORE_TSTATS 1
#endif

/*
 * 6.2: the extack holds a formatted message of up to this many bytes.
 * Before, clink_err() keeps its own (see extack.c).
 */
#ifndef NETLINK_MAX_FMTMSG_LEN
#define NETLINK_MAX_FMTMSG_LEN 80
#endif

/* 6.8: ethtool_puts() for a string as it is. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 8, 0)
#include <linux/ethtool.h>
static inline void ethtool_puts(u8 **data, const char *str)
{
	ethtool_sprintf(data, "%s", str);
}
#endif

/*
 * ndo_init's setup: tstats allocated by the core (6.6), lockless transmit,
 * and a device that may not change namespace (its UDP socket lives in the
 * device's namespace): feature flags until 6.12, then fields.
 */
static inline void clink_compat_setup(struct net_device *dev)
{
#if CLINK_CORE_TSTATS
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	dev->lltx = true;
	dev->netns_immutable = true;
#else
	dev->features |= NETIF_F_LLTX | NETIF_F_NETNS_LOCAL;
#endif
}

#endif /* _CLINK_COMPAT_H */
