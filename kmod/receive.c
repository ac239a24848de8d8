// SPDX-License-Identifier: GPL-2.0
/*
 * VPC -> classic: VXLAN frames from the hypervisors are validated, checked
 * against the VPC's links and ACL, and delivered on the clink device as bare
 * IPv4. ARP requests for linked classic instances are answered here.
 * PrivateLink's packets go to fullnat.c first.
 */

#include <linux/etherdevice.h>
#include <linux/icmp.h>
#include <linux/if_arp.h>
#include <net/icmp.h>
#include <net/inet_ecn.h>
#include <net/ip_tunnels.h>
#include <net/udp_tunnel.h>
#include <net/vxlan.h>

#include "receive.h"
#include "send.h"
#include "device.h"
#include "vpc.h"
#include "instance.h"
#include "link.h"
#include "endpoint.h"
#include "acl.h"
#include "flow.h"
#include "fullnat.h"
#include "service.h"

/* Offset of the inner frame from the UDP header. */
#define INNER_OFF	(VXLAN_HLEN + ETH_HLEN)

static struct ethhdr *inner_eth(struct sk_buff *skb)
{
	return (struct ethhdr *)(skb->data + VXLAN_HLEN);
}

struct arp_eth_ipv4 {
	struct arphdr hdr;
	u8 sha[ETH_ALEN];
	__be32 sip;
	u8 tha[ETH_ALEN];
	__be32 tip;
} __packed;

/*
 * Without this check (vtep-check off) any host that reaches the UDP port
 * and guesses a VNI could speak for every address of the VPC.
 */
struct clink_vtep *clink_source_vtep(struct clink_dev *cd,
				     struct clink_vpc *vpc, __be32 saddr,
				     __be32 from)
{
	struct clink_endpoint *ep = clink_endpoint_find(cd, vpc, saddr);
	struct clink_vtep *vtep = ep ? rcu_dereference(ep->vtep) : NULL;

	return vtep && vtep->addr == from ? vtep : NULL;
}

/*
 * Answers a VPC VM asking for the MAC of a classic instance linked to its
 * VPC, or of an address PrivateLink owns in it (a VPC endpoint's IP, a
 * SNAT address): the gateway is that address's next hop, so it answers
 * with its own MAC, back to the VTEP the request came from. Returns 0 when the request is
 * used up (a reply sent or dropped), otherwise why the request is dropped.
 */
static enum clink_drop_reason arp_proxy(struct clink_dev *cd,
					struct clink_vpc *vpc,
					struct sk_buff *skb, __be32 from)
{
	const struct arp_eth_ipv4 *req;
	enum clink_drop_reason reason;
	struct arp_eth_ipv4 *rep;
	struct clink_link *link;
	struct clink_vtep *vtep;
	struct sk_buff *nskb;
	u8 dmac[ETH_ALEN];

	if (!pskb_may_pull(skb, INNER_OFF + sizeof(*req)))
		return CLINK_DROP_MALFORMED;
	req = (const struct arp_eth_ipv4 *)(skb->data + INNER_OFF);
	if (req->hdr.ar_hrd != htons(ARPHRD_ETHER) ||
	    req->hdr.ar_pro != htons(ETH_P_IP) ||
	    req->hdr.ar_hln != ETH_ALEN || req->hdr.ar_pln != 4)
		return CLINK_DROP_MALFORMED;
	if (req->hdr.ar_op != htons(ARPOP_REQUEST))
		return CLINK_DROP_NOT_LINKED;
	reason = clink_vpc_check_source(vpc, req->sip);
	if (reason)
		return reason;
	vtep = clink_source_vtep(cd, vpc, req->sip, from);
	if (!vtep && rcu_dereference(cd->dp)->vtep_check)
		return CLINK_DROP_VTEP_MISMATCH;
	link = clink_link_find_addr(cd, req->tip);
	if ((!link || link->vpc != vpc) &&
	    !clink_pl_addr_find(cd, vpc->index, req->tip))
		return CLINK_DROP_NOT_LINKED;

	nskb = alloc_skb(LL_MAX_HEADER + CLINK_HEADROOM + sizeof(*rep),
			 GFP_ATOMIC);
	if (!nskb)
		return CLINK_DROP_NOMEM;
	skb_reserve(nskb, LL_MAX_HEADER + CLINK_HEADROOM);
	skb_reset_network_header(nskb);
	skb_reset_transport_header(nskb);
	rep = skb_put(nskb, sizeof(*rep));
	rep->hdr = req->hdr;
	rep->hdr.ar_op = htons(ARPOP_REPLY);
	ether_addr_copy(rep->sha, rcu_dereference(cd->dp)->mac);
	rep->sip = req->tip;
	ether_addr_copy(rep->tha, req->sha);
	rep->tip = req->sip;
	nskb->protocol = htons(ETH_P_ARP);
	nskb->dev = cd->dev;
	ether_addr_copy(dmac, inner_eth(skb)->h_source);

	reason = clink_encap_xmit(cd, nskb, vpc->vni, READ_ONCE(vpc->dscp),
				  dmac, from, vtep ? &vtep->dst_cache : NULL);
	if (reason)
		clink_drop(cd, nskb, reason, false);
	return 0;
}

/* What RFC 1812 4.3.2.3 lets an ICMP error quote: 576 bytes in all. */
#define ICMP_QUOTE_MAX	(576 - sizeof(struct iphdr) - sizeof(struct icmphdr))

/*
 * Traceroute from a VPC: the inner packet at @nhoff, which passed every
 * check on its way to a linked instance but whose TTL expires here, is
 * answered with time exceeded, encapsulated back to @from, the VTEP it came
 * from, within the kernel's own ICMP budget (net.ipv4.icmp_msgs_per_sec
 * and icmp_msgs_burst of the device's namespace). Its source is the
 * gateway's address towards the instance, the one classic instances know
 * the gateway by. Never for an ICMP error or a fragment but the first
 * (RFC 1122 3.2.2).
 */
static void time_exceeded(struct clink_dev *cd, struct clink_vpc *vpc,
			  struct sk_buff *skb, unsigned int nhoff, __be32 from)
{
	const struct iphdr *orig = (const struct iphdr *)(skb->data + nhoff);
	struct net *net = dev_net(cd->dev);
	enum clink_drop_reason reason;
	struct flowi4 fl4 = {
		.daddr = orig->daddr,
		.flowi4_proto = IPPROTO_ICMP,
	};
	struct clink_vtep *vtep;
	struct icmphdr *icmph;
	struct sk_buff *nskb;
	struct iphdr *iph;
	struct rtable *rt;
	unsigned int len;
	u8 dmac[ETH_ALEN];

	if (orig->frag_off & htons(IP_OFFSET))
		return;
	if (orig->protocol == IPPROTO_ICMP) {
		u8 _type, *type;

		type = skb_header_pointer(skb, nhoff + orig->ihl * 4,
					  sizeof(_type), &_type);
		if (!type || icmp_is_err(*type))
			return;
	}
	if (!icmp_global_allow(net))
		return;
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return;
	ip_rt_put(rt);
	if (!fl4.saddr)
		return;

	len = min_t(unsigned int, ntohs(orig->tot_len), ICMP_QUOTE_MAX);
	nskb = alloc_skb(LL_MAX_HEADER + CLINK_HEADROOM + sizeof(*iph) +
			 sizeof(*icmph) + len, GFP_ATOMIC);
	if (!nskb)
		return;
	skb_reserve(nskb, LL_MAX_HEADER + CLINK_HEADROOM);
	skb_reset_network_header(nskb);
	iph = skb_put(nskb, sizeof(*iph));
	skb_set_transport_header(nskb, sizeof(*iph));
	icmph = skb_put_zero(nskb, sizeof(*icmph));
	if (skb_copy_bits(skb, nhoff, skb_put(nskb, len), len)) {
		kfree_skb(nskb);
		return;
	}
	icmph->type = ICMP_TIME_EXCEEDED;
	icmph->code = ICMP_EXC_TTL;
	icmph->checksum = ip_compute_csum(icmph, sizeof(*icmph) + len);

	*iph = (struct iphdr) {
		.version = 4,
		.ihl = sizeof(*iph) / 4,
		.tos = IPTOS_PREC_INTERNETCONTROL,
		.tot_len = htons(nskb->len),
		.ttl = READ_ONCE(net->ipv4.sysctl_ip_default_ttl),
		.protocol = IPPROTO_ICMP,
		.saddr = fl4.saddr,
		.daddr = orig->saddr,
	};
	ip_send_check(iph);
	nskb->protocol = htons(ETH_P_IP);
	nskb->dev = cd->dev;
	ether_addr_copy(dmac, inner_eth(skb)->h_source);
	vtep = clink_source_vtep(cd, vpc, orig->saddr, from);

	reason = clink_encap_xmit(cd, nskb, vpc->vni, READ_ONCE(vpc->dscp),
				  dmac, from, vtep ? &vtep->dst_cache : NULL);
	if (reason) {
		clink_drop(cd, nskb, reason, false);
		return;
	}
	icmp_global_consume(net);
	ICMPMSGOUT_INC_STATS(net, ICMP_TIME_EXCEEDED);
	ICMP_INC_STATS(net, ICMP_MIB_OUTMSGS);
}

int clink_udp_encap_recv(struct sock *sk, struct sk_buff *skb)
{
	enum clink_drop_reason reason;
	const struct vxlanhdr *vxh;
	struct clink_link *link;
	struct clink_vpc *vpc;
	struct clink_flow fl;
	struct clink_dev *cd;
	__be32 from;
	unsigned int len;
	u8 otos;

	cd = rcu_dereference_sk_user_data(sk);
	if (unlikely(!cd)) {
		kfree_skb(skb);
		return 0;
	}

	if (!pskb_may_pull(skb, INNER_OFF)) {
		reason = CLINK_DROP_MALFORMED;
		goto drop;
	}
	vxh = vxlan_hdr(skb);
	if (vxh->vx_flags != VXLAN_HF_VNI || (vxh->vx_vni & ~VXLAN_VNI_MASK)) {
		reason = CLINK_DROP_MALFORMED;
		goto drop;
	}
	vpc = clink_vpc_find_vni(cd, be32_to_cpu(vxlan_vni(vxh->vx_vni)));
	if (!vpc) {
		reason = CLINK_DROP_UNKNOWN_VNI;
		goto drop;
	}
	from = ip_hdr(skb)->saddr;
	otos = ip_hdr(skb)->tos;

	switch (inner_eth(skb)->h_proto) {
	case htons(ETH_P_IP):
		break;
	case htons(ETH_P_ARP):
		reason = arp_proxy(cd, vpc, skb, from);
		if (reason)
			goto drop;
		consume_skb(skb);
		return 0;
	default:
		reason = CLINK_DROP_NOT_IPV4;
		goto drop;
	}

	if (!clink_flow_parse(skb, INNER_OFF, &fl)) {
		reason = CLINK_DROP_MALFORMED;
		goto drop;
	}
	if (clink_fullnat_rcv(cd, vpc, skb, &fl, from,
			      !net_eq(sock_net(sk), dev_net(cd->dev)), &reason)) {
		if (reason)
			goto drop;
		return 0;
	}
	reason = clink_vpc_check_source(vpc, fl.saddr);
	if (reason)
		goto drop;
	if (rcu_dereference(cd->dp)->vtep_check &&
	    !clink_source_vtep(cd, vpc, fl.saddr, from)) {
		reason = CLINK_DROP_VTEP_MISMATCH;
		goto drop;
	}
	link = clink_link_find_addr(cd, fl.daddr);
	if (!link || link->vpc != vpc) {
		reason = CLINK_DROP_NOT_LINKED;
		goto drop;
	}
	if (!clink_acl_allow(vpc, CLINK_ACL_TO_CLASSIC, &fl)) {
		reason = CLINK_DROP_ACL_DENY;
		goto drop;
	}
	/* The gateway is a hop: forwarding would only expire it. */
	if (((const struct iphdr *)(skb->data + INNER_OFF))->ttl <= 1) {
		time_exceeded(cd, vpc, skb, INNER_OFF, from);
		reason = CLINK_DROP_TTL;
		goto drop;
	}

	if (iptunnel_pull_header(skb, INNER_OFF, htons(ETH_P_IP),
				 !net_eq(sock_net(sk), dev_net(cd->dev)))) {
		reason = CLINK_DROP_NOMEM;
		goto drop;
	}
	skb_reset_mac_header(skb);
	skb_reset_network_header(skb);
	skb->mac_len = 0;
	skb->dev = cd->dev;
	if (INET_ECN_decapsulate(skb, otos, ip_hdr(skb)->tos) > 1) {
		reason = CLINK_DROP_MALFORMED;
		goto drop;
	}

	len = skb->len;
	if (unlikely(gro_cells_receive(&cd->gro_cells, skb) != NET_RX_SUCCESS))
		return 0;
	dev_sw_netstats_rx_add(cd->dev, len);
	clink_traffic_add(cd->traffic, CLINK_DIR_TO_CLASSIC, len);
	clink_traffic_add(vpc->traffic, CLINK_DIR_TO_CLASSIC, len);
	clink_traffic_add(link->traffic, CLINK_DIR_TO_CLASSIC, len);
	return 0;

drop:
	clink_drop(cd, skb, reason, true);
	return 0;
}

/*
 * Claims ICMP errors about our VXLAN packets, whose source port is not the
 * socket's, so that UDP handles them: frag-needed from the underlay updates
 * the path MTU of the route to the VTEP (6.12's udp_err also does it alone).
 */
int clink_udp_encap_err_lookup(struct sock *sk, struct sk_buff *skb)
{
	const struct vxlanhdr *vxh;
	struct clink_dev *cd;

	if (!pskb_may_pull(skb, skb_transport_offset(skb) + VXLAN_HLEN))
		return -EINVAL;
	vxh = vxlan_hdr(skb);
	if (vxh->vx_flags != VXLAN_HF_VNI)
		return -EINVAL;
	cd = rcu_dereference_sk_user_data(sk);
	if (!cd || !clink_vpc_find_vni(cd, be32_to_cpu(vxlan_vni(vxh->vx_vni))))
		return -ENOENT;
	return 0;
}
