/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CLINK_RECEIVE_H
#define _CLINK_RECEIVE_H

#include <linux/skbuff.h>
#include <net/sock.h>

/* encap_rcv of the UDP tunnel socket: VPC -> classic. */
int clink_udp_encap_recv(struct sock *sk, struct sk_buff *skb);
/* encap_err_lookup: 0 when an ICMP error is about one of our packets. */
int clink_udp_encap_err_lookup(struct sock *sk, struct sk_buff *skb);

#endif /* _CLINK_RECEIVE_H */
