/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CLINK_FULLNAT_H
#define _CLINK_FULLNAT_H

#include "device.h"
#include "flow.h"

struct clink_vpc;

/*
 * PrivateLink on receive: a packet of @vpc (data at the UDP header, inner
 * IPv4 sound, @fl filled) to a VPC endpoint's IP or a SNAT address.
 * False when it is neither: the caller goes on. True when this took it:
 * then *@reason is 0 (sent, or dropped and counted here) or the reason
 * the caller drops it for.
 */
bool clink_fullnat_rcv(struct clink_dev *cd, struct clink_vpc *vpc,
		       struct sk_buff *skb, const struct clink_flow *fl,
		       __be32 from, bool xnet, enum clink_drop_reason *reason);

#endif /* _CLINK_FULLNAT_H */
