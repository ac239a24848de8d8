/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CLINK_RECEIVE_H
#define _CLINK_RECEIVE_H

#include <linux/skbuff.h>
#include <net/sock.h>

struct clink_dev;
struct clink_vpc;
struct clink_vtep;

/*
 * The VTEP of the endpoint @saddr of @vpc when it is @from, the outer
 * source of a packet; otherwise NULL. Caller holds rcu_read_lock().
 */
struct clink_vtep *clink_source_vtep(struct clink_dev *cd,
				     struct clink_vpc *vpc, __be32 saddr,
				     __be32 from);

/* encap_rcv of the UDP tunnel socket: VPC -> classic. */
int clink_udp_encap_recv(struct sock *sk, struct sk_buff *skb);
/* encap_err_lookup: 0 when an ICMP error is about one of our packets. */
int clink_udp_encap_err_lookup(struct sock *sk, struct sk_buff *skb);

#endif /* _CLINK_RECEIVE_H */
