// SPDX-License-Identifier: GPL-2.0
/*
 * Classic -> VPC: a packet routed into the clink device is checked against
 * the link of its source and the VPC's routes and ACL, then encapsulated in
 * VXLAN to the hypervisor of its destination.
 */

#include <linux/etherdevice.h>
#include <linux/icmp.h>
#include <net/icmp.h>
#include <net/ip_tunnels.h>
#include <net/route.h>
#include <net/udp.h>
#include <net/udp_tunnel.h>
#include <net/vxlan.h>

#include "send.h"
#include "device.h"
#include "vpc.h"
#include "instance.h"
#include "link.h"
#include "endpoint.h"
#include "acl.h"
#include "route.h"
#include "flow.h"

static struct rtable *vtep_route(struct clink_dev *cd,
				 const struct clink_dp_cfg *dp, struct net *net,
				 __be32 vtep, struct dst_cache *cache,
				 __be32 *saddr)
{
	struct flowi4 fl4 = {
		.daddr = vtep,
		.saddr = dp->local,
		.flowi4_proto = IPPROTO_UDP,
		.fl4_dport = dp->port,
	};
	struct rtable *rt;

	if (cache) {
		rt = dst_cache_get_ip4(cache, saddr);
		/* A changed local address makes the cached source stale. */
		if (rt && (!fl4.saddr || *saddr == fl4.saddr))
			return rt;
		if (rt)
			ip_rt_put(rt);
	}

	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return rt;
	/* A VTEP routed back into the device would loop forever. */
	if (rt->dst.dev == cd->dev) {
		ip_rt_put(rt);
		return ERR_PTR(-ELOOP);
	}
	if (cache)
		dst_cache_set_ip4(cache, &rt->dst, fl4.saddr);
	*saddr = fl4.saddr;
	return rt;
}

/*
 * Path MTU: an inner packet with DF that does not fit the underlay after
 * encapsulation is answered with frag-needed; without DF the outer packet
 * is fragmented instead.
 */
static bool too_big(struct sk_buff *skb, struct rtable *rt)
{
	const struct iphdr *iph = ip_hdr(skb);
	int mtu = dst_mtu(&rt->dst) - CLINK_HEADROOM;

	if (!(iph->frag_off & htons(IP_DF)))
		return false;
	if (skb_is_gso(skb) ? skb_gso_validate_network_len(skb, mtu) :
			      skb->len <= mtu)
		return false;

	mtu = max(mtu, IPV4_MIN_MTU);
	skb_dst_update_pmtu_no_confirm(skb, mtu);
	icmp_ndo_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, htonl(mtu));
	return true;
}

/*
 * The outer DS field: @dscp, or the inner packet's when CLINK_DSCP_INHERIT;
 * ECN from the inner packet either way (RFC 6040's normal mode).
 */
static u8 outer_tos(struct sk_buff *skb, u8 dscp)
{
	const struct iphdr *iph = ip_hdr(skb);

	if (skb->protocol != htons(ETH_P_IP))
		return dscp == CLINK_DSCP_INHERIT ? 0 : dscp << 2;
	if (dscp == CLINK_DSCP_INHERIT)
		return ip_tunnel_ecn_encap(ip_tunnel_get_dsfield(iph, skb),
					   iph, skb);
	return ip_tunnel_ecn_encap(dscp << 2, iph, skb);
}

enum clink_drop_reason clink_encap_xmit(struct clink_dev *cd,
					struct sk_buff *skb, u32 vni, u8 dscp,
					const u8 *dmac, __be32 vtep,
					struct dst_cache *cache)
{
	const struct clink_dp_cfg *dp = rcu_dereference(cd->dp);
	struct net *net = dev_net(cd->dev);
	bool ip = skb->protocol == htons(ETH_P_IP);
	__be16 sport, df = 0;
	struct vxlanhdr *vxh;
	struct socket *sock;
	struct ethhdr *eth;
	struct rtable *rt;
	__be32 saddr = 0;
	u8 tos;

	sock = rcu_dereference(cd->sock);
	if (unlikely(!sock))
		return CLINK_DROP_NO_ROUTE;

	rt = vtep_route(cd, dp, sock_net(sock->sk), vtep, cache, &saddr);
	if (IS_ERR(rt))
		return CLINK_DROP_NO_ROUTE;

	if (ip) {
		const struct iphdr *iph = ip_hdr(skb);

		if (too_big(skb, rt)) {
			ip_rt_put(rt);
			return CLINK_DROP_MTU;
		}
		df = iph->frag_off & htons(IP_DF);
	}
	tos = outer_tos(skb, dscp);
	sport = udp_flow_src_port(net, skb, 0, 0, false);

	if (skb_cow_head(skb, LL_RESERVED_SPACE(rt->dst.dev) +
			      rt->dst.header_len + CLINK_HEADROOM))
		goto err_nomem;

	eth = skb_push(skb, ETH_HLEN);
	skb_reset_mac_header(skb);
	ether_addr_copy(eth->h_dest, dmac);
	ether_addr_copy(eth->h_source, dp->mac);
	eth->h_proto = skb->protocol;

	/* Inner headers are recorded here, so mac_header must be set first. */
	if (iptunnel_handle_offloads(skb, SKB_GSO_UDP_TUNNEL))
		goto err_nomem;

	vxh = __skb_push(skb, sizeof(*vxh));
	vxh->vx_flags = VXLAN_HF_VNI;
	vxh->vx_vni = vxlan_vni_field(cpu_to_be32(vni));
	skb_set_inner_protocol(skb, htons(ETH_P_TEB));

	udp_tunnel_xmit_skb(rt, sock->sk, skb, saddr, vtep, tos,
			    ip4_dst_hoplimit(&rt->dst), df, sport,
			    dp->port,
			    !net_eq(net, sock_net(sock->sk)), true);
	return 0;

err_nomem:
	ip_rt_put(rt);
	return CLINK_DROP_NOMEM;
}

/*
 * The link a fragmentation-needed error belongs to when the gateway itself
 * sends it into a VPC: about a packet of the VPC to a linked instance that
 * did not fit the classic network's MTU. Its source is the gateway, not a
 * linked instance, yet without it path MTU discovery from a VPC towards
 * the classic network would black-hole. Only what PMTU needs qualifies:
 * any other error (a Time Exceeded for a TTL 1 packet that a classic host
 * sent with a VPC address as source, say) would carry bytes of that host's
 * choosing into the VPC. Only errors the gateway generates qualify too (no
 * input interface, a local source address), so a classic host cannot
 * wrap a packet in an ICMP error of its own. The error goes to the source
 * of the packet it quotes, which that packet's destination (a linked
 * instance) pins to one VPC.
 */
static struct clink_link *icmp_error_link(struct clink_dev *cd,
					  struct sk_buff *skb,
					  const struct clink_flow *fl)
{
	const struct icmphdr *icmph;
	const struct iphdr *quoted;
	unsigned int off;

	if (fl->proto != IPPROTO_ICMP || skb->skb_iif ||
	    ip_is_fragment(ip_hdr(skb)))
		return NULL;
	off = ip_hdrlen(skb);
	if (!pskb_may_pull(skb, off + sizeof(*icmph) + sizeof(*quoted)))
		return NULL;
	icmph = (const struct icmphdr *)(skb->data + off);
	quoted = (const struct iphdr *)(icmph + 1);
	if (icmph->type != ICMP_DEST_UNREACH ||
	    icmph->code != ICMP_FRAG_NEEDED || quoted->saddr != fl->daddr)
		return NULL;
	if (inet_addr_type_dev_table(dev_net(cd->dev), cd->dev,
				     fl->saddr) != RTN_LOCAL)
		return NULL;
	return clink_link_find_addr(cd, quoted->daddr);
}

/* The link's own DSCP, else its VPC's. */
static u8 link_dscp(const struct clink_link *link)
{
	u8 dscp = READ_ONCE(link->dscp);

	return dscp == CLINK_DSCP_VPC ? READ_ONCE(link->vpc->dscp) : dscp;
}

netdev_tx_t clink_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct clink_dev *cd = netdev_priv(dev);
	enum clink_drop_reason reason;
	struct clink_endpoint *ep;
	struct clink_vtep *vtep;
	struct clink_link *link;
	struct clink_vpc *vpc;
	struct clink_flow fl;
	unsigned int len;

	rcu_read_lock();

	if (skb->protocol != htons(ETH_P_IP)) {
		reason = CLINK_DROP_NOT_IPV4;
		goto drop;
	}
	skb_reset_network_header(skb);
	if (!clink_flow_parse(skb, 0, &fl)) {
		reason = CLINK_DROP_MALFORMED;
		goto drop;
	}

	link = clink_link_find_addr(cd, fl.saddr);
	if (!link)
		link = icmp_error_link(cd, skb, &fl);
	if (!link) {
		reason = CLINK_DROP_NO_LINK;
		goto drop;
	}
	vpc = link->vpc;

	reason = clink_route_check(vpc, fl.daddr);
	if (reason)
		goto drop;

	if (!clink_acl_allow(vpc, CLINK_ACL_TO_VPC, &fl)) {
		reason = CLINK_DROP_ACL_DENY;
		goto drop;
	}

	ep = clink_endpoint_find(cd, vpc, fl.daddr);
	vtep = ep ? rcu_dereference(ep->vtep) : NULL;
	if (!vtep) {
		icmp_ndo_send(skb, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0);
		reason = CLINK_DROP_NO_ENDPOINT;
		goto drop;
	}

	len = skb->len;
	reason = clink_encap_xmit(cd, skb, vpc->vni, link_dscp(link), ep->mac,
				  vtep->addr, &vtep->dst_cache);
	if (reason)
		goto drop;

	/* dev tx stats are counted by iptunnel_xmit() on skb->dev. */
	clink_traffic_add(cd->traffic, CLINK_DIR_TO_VPC, len);
	clink_traffic_add(vpc->traffic, CLINK_DIR_TO_VPC, len);
	clink_traffic_add(link->traffic, CLINK_DIR_TO_VPC, len);
	rcu_read_unlock();
	return NETDEV_TX_OK;

drop:
	clink_drop(cd, skb, reason, false);
	rcu_read_unlock();
	return NETDEV_TX_OK;
}
