/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CLINK_SEND_H
#define _CLINK_SEND_H

#include <linux/netdevice.h>
#include <net/dst_cache.h>
#include <uapi/linux/clink.h>

struct clink_dev;

/* ndo_start_xmit: classic -> VPC. */
netdev_tx_t clink_xmit(struct sk_buff *skb, struct net_device *dev);

/*
 * Wraps @skb (data at its IPv4 or ARP header, skb->protocol set) in
 * Ethernet to @dmac, VXLAN @vni, UDP and IPv4 to @vtep with DSCP @dscp
 * (CLINK_DSCP_INHERIT: the inner packet's), and sends it; the route comes
 * from @cache when given. Returns 0 once the skb is sent, or the
 * reason it was not: then the skb is still the caller's to drop. Caller holds
 * rcu_read_lock().
 */
enum clink_drop_reason clink_encap_xmit(struct clink_dev *cd,
					struct sk_buff *skb, u32 vni, u8 dscp,
					const u8 *dmac, __be32 vtep,
					struct dst_cache *cache);

#endif /* _CLINK_SEND_H */
