/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CLINK_FLOW_H
#define _CLINK_FLOW_H

#include <linux/skbuff.h>

/* What the datapath knows of a packet when it applies a VPC's ACL. */
struct clink_flow {
	__be32 saddr;
	__be32 daddr;
	__be16 sport;			/* 0 unless TCP/UDP first fragment */
	__be16 dport;
	u8 proto;
};

/*
 * Validates the IPv4 header at @nhoff and fills @fl (ports only for the
 * first fragment of TCP and UDP). False when the header is malformed.
 */
bool clink_flow_parse(struct sk_buff *skb, unsigned int nhoff,
		      struct clink_flow *fl);

#endif /* _CLINK_FLOW_H */
