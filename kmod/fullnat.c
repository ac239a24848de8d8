// SPDX-License-Identifier: GPL-2.0
/*
 * PrivateLink's fullnat: a consumer's packet to a VPC endpoint's IP is
 * given the SNAT address and port of its session as source and a backend
 * as destination, and goes to the backend's VTEP with the provider VNI;
 * the backend's answer is translated back to the consumer. Both addresses
 * and both ports (the echo id for ICMP) change, checksums incrementally.
 */

#include <linux/icmp.h>
#include <linux/jhash.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ip_tunnels.h>
#include <net/tcp.h>
#include <net/vxlan.h>

#include "endpoint.h"
#include "fullnat.h"
#include "receive.h"
#include "send.h"
#include "service.h"
#include "session.h"
#include "vpc.h"

/* Offset of the inner IPv4 header from the UDP header. */
#define INNER_OFF	(VXLAN_HLEN + ETH_HLEN)

struct pl_pkt {
	struct clink_sess_key key;
	u8 tcp_flags;
	u8 icmp_type;
};

/* The session key of a packet; ICMP only for echo, with its id. */
static enum clink_drop_reason parse(struct sk_buff *skb,
				    const struct clink_flow *fl, u32 vni,
				    struct pl_pkt *p)
{
	const struct iphdr *iph = (const struct iphdr *)(skb->data + INNER_OFF);
	unsigned int off = INNER_OFF + iph->ihl * 4;

	memset(p, 0, sizeof(*p));
	p->key.vni = vni;
	p->key.saddr = fl->saddr;
	p->key.daddr = fl->daddr;
	p->key.proto = fl->proto;
	/* Fragments carry no ports: not translated (yet). */
	if (ip_is_fragment(iph))
		return CLINK_DROP_PL_NO_SERVICE;
	switch (fl->proto) {
	case IPPROTO_TCP: {
		struct tcphdr _th;
		const struct tcphdr *th;

		th = skb_header_pointer(skb, off, sizeof(_th), &_th);
		if (!th || ntohs(iph->tot_len) < iph->ihl * 4 + sizeof(_th))
			return CLINK_DROP_MALFORMED;
		p->tcp_flags = tcp_flag_byte(th);
		break;
	}
	case IPPROTO_UDP:
		if (ntohs(iph->tot_len) < iph->ihl * 4 + sizeof(struct udphdr))
			return CLINK_DROP_MALFORMED;
		break;
	case IPPROTO_ICMP: {
		struct icmphdr _ih;
		const struct icmphdr *ih;

		ih = skb_header_pointer(skb, off, sizeof(_ih), &_ih);
		if (!ih || ntohs(iph->tot_len) < iph->ihl * 4 + sizeof(_ih))
			return CLINK_DROP_MALFORMED;
		if (ih->code || (ih->type != ICMP_ECHO &&
				 ih->type != ICMP_ECHOREPLY))
			return CLINK_DROP_PL_NO_SERVICE;
		p->icmp_type = ih->type;
		if (ih->type == ICMP_ECHO)
			p->key.sport = ih->un.echo.id;
		else
			p->key.dport = ih->un.echo.id;
		return 0;
	}
	default:
		return CLINK_DROP_PL_NO_SERVICE;
	}
	p->key.sport = fl->sport;
	p->key.dport = fl->dport;
	return 0;
}

/* Rewrites the inner packet (data at its IPv4 header); @sport: ICMP's id. */
static enum clink_drop_reason rewrite(struct sk_buff *skb, __be32 saddr,
				      __be32 daddr, __be16 sport, __be16 dport)
{
	struct iphdr *iph = ip_hdr(skb);
	unsigned int ihl = iph->ihl * 4;
	u8 proto = iph->protocol;
	void *l4;

	if (skb_ensure_writable(skb, ihl + (proto == IPPROTO_TCP ?
					    sizeof(struct tcphdr) : 8)))
		return CLINK_DROP_NOMEM;
	iph = ip_hdr(skb);
	l4 = skb_network_header(skb) + ihl;

	switch (proto) {
	case IPPROTO_TCP: {
		struct tcphdr *th = l4;

		inet_proto_csum_replace4(&th->check, skb, iph->saddr, saddr, true);
		inet_proto_csum_replace4(&th->check, skb, iph->daddr, daddr, true);
		inet_proto_csum_replace2(&th->check, skb, th->source, sport, false);
		inet_proto_csum_replace2(&th->check, skb, th->dest, dport, false);
		th->source = sport;
		th->dest = dport;
		break;
	}
	case IPPROTO_UDP: {
		struct udphdr *uh = l4;

		/* A zero checksum means none, and stays none. */
		if (uh->check || skb->ip_summed == CHECKSUM_PARTIAL) {
			inet_proto_csum_replace4(&uh->check, skb, iph->saddr,
						 saddr, true);
			inet_proto_csum_replace4(&uh->check, skb, iph->daddr,
						 daddr, true);
			inet_proto_csum_replace2(&uh->check, skb, uh->source,
						 sport, false);
			inet_proto_csum_replace2(&uh->check, skb, uh->dest,
						 dport, false);
			if (!uh->check)
				uh->check = CSUM_MANGLED_0;
		}
		uh->source = sport;
		uh->dest = dport;
		break;
	}
	default: {
		struct icmphdr *ih = l4;

		inet_proto_csum_replace2(&ih->checksum, skb, ih->un.echo.id,
					 sport, false);
		ih->un.echo.id = sport;
		break;
	}
	}
	csum_replace4(&iph->check, iph->saddr, saddr);
	csum_replace4(&iph->check, iph->daddr, daddr);
	iph->saddr = saddr;
	iph->daddr = daddr;
	ip_decrease_ttl(iph);
	return 0;
}

/* Translates the packet and sends it to @daddr of @vpc, by its endpoint. */
static enum clink_drop_reason xmit(struct clink_dev *cd, struct clink_vpc *vpc,
				   struct sk_buff *skb, __be32 saddr,
				   __be32 daddr, __be16 sport, __be16 dport,
				   bool xnet)
{
	struct clink_endpoint *ep = clink_endpoint_find(cd, vpc, daddr);
	struct clink_vtep *vtep = ep ? rcu_dereference(ep->vtep) : NULL;
	enum clink_drop_reason reason;
	unsigned int len;

	if (!vtep)
		return CLINK_DROP_NO_ENDPOINT;
	if (iptunnel_pull_header(skb, INNER_OFF, htons(ETH_P_IP), xnet))
		return CLINK_DROP_NOMEM;
	skb_reset_network_header(skb);
	/* What the receive side verified no longer holds after the rewrite. */
	if (skb->ip_summed != CHECKSUM_PARTIAL)
		skb->ip_summed = CHECKSUM_NONE;
	reason = rewrite(skb, saddr, daddr, sport, dport);
	if (reason)
		return reason;
	skb->dev = cd->dev;
	len = skb->len;
	reason = clink_encap_xmit(cd, skb, READ_ONCE(vpc->vni),
				  READ_ONCE(vpc->dscp), ep->mac, vtep->addr,
				  &vtep->dst_cache);
	if (reason) {
		clink_drop(cd, skb, reason, false);
		return 0;
	}
	dev_sw_netstats_rx_add(cd->dev, len);
	return 0;
}

static enum clink_drop_reason session_error(long err)
{
	switch (err) {
	case -ENOSPC:
		return CLINK_DROP_PL_SESSION_LIMIT;
	case -EADDRINUSE:
		return CLINK_DROP_PL_SNAT_EXHAUSTED;
	case -ENOENT:
		return CLINK_DROP_PL_NOT_ALLOWED;
	default:
		return CLINK_DROP_NOMEM;
	}
}

/* Consumer -> service. */
static enum clink_drop_reason forward(struct clink_dev *cd,
				      struct clink_vpce *vpce,
				      struct sk_buff *skb, struct pl_pkt *p,
				      bool xnet)
{
	struct clink_service *svc = vpce->svc;
	const struct clink_backend *be;
	struct clink_session *s;
	u32 hash;

	if (!READ_ONCE(vpce->allowed))
		return CLINK_DROP_PL_NOT_ALLOWED;
	if (p->key.proto == IPPROTO_ICMP ? p->icmp_type != ICMP_ECHO :
	    p->key.proto != svc->proto || p->key.dport != svc->port)
		return CLINK_DROP_PL_NO_SERVICE;

	s = clink_session_find(cd, &p->key, false);
	if (!s) {
		/* A TCP session begins with a SYN: no half-open strays. */
		if (p->key.proto == IPPROTO_TCP &&
		    (p->tcp_flags & (TCPHDR_SYN | TCPHDR_ACK | TCPHDR_RST)) !=
		    TCPHDR_SYN)
			return CLINK_DROP_PL_NO_SESSION;
		if (!READ_ONCE(svc->accepting))
			return CLINK_DROP_PL_NOT_ALLOWED;
		hash = jhash(&p->key, sizeof(p->key), 0);
		be = &svc->backends[reciprocal_scale(hash, svc->n_backends)];
		s = clink_session_create(cd, vpce, &p->key, be->addr, be->port,
					 svc->snat[(hash >> 16) % svc->n_snat].key.addr);
		if (IS_ERR(s))
			return session_error(PTR_ERR(s));
	}
	clink_session_touch(s, false, p->tcp_flags);
	return xmit(cd, svc->vpc, skb, s->rev.daddr, s->rev.saddr,
		    s->rev.dport, s->rev.sport, xnet);
}

/* Service -> consumer. */
static enum clink_drop_reason reverse(struct clink_dev *cd,
				      struct sk_buff *skb, struct pl_pkt *p,
				      bool xnet)
{
	bool icmp = p->key.proto == IPPROTO_ICMP;
	struct clink_session *s;

	if (icmp && p->icmp_type != ICMP_ECHOREPLY)
		return CLINK_DROP_PL_NO_SESSION;
	s = clink_session_find(cd, &p->key, true);
	if (!s)
		return CLINK_DROP_PL_NO_SESSION;
	if (!READ_ONCE(s->vpce->allowed))
		return CLINK_DROP_PL_NOT_ALLOWED;
	clink_session_touch(s, true, p->tcp_flags);
	return xmit(cd, s->vpce->vpc, skb, s->fwd.daddr, s->fwd.saddr,
		    icmp ? s->fwd.sport : s->fwd.dport, s->fwd.sport, xnet);
}

bool clink_fullnat_rcv(struct clink_dev *cd, struct clink_vpc *vpc,
		       struct sk_buff *skb, const struct clink_flow *fl,
		       __be32 from, bool xnet, enum clink_drop_reason *reason)
{
	struct clink_pl_addr *pa;
	struct pl_pkt p;

	pa = clink_pl_addr_find(cd, vpc->index, fl->daddr);
	if (!pa)
		return false;
	if (clink_vpc_check_source(vpc, fl->saddr) == CLINK_DROP_SPOOFED_SOURCE) {
		*reason = CLINK_DROP_SPOOFED_SOURCE;
		return true;
	}
	if (rcu_dereference(cd->dp)->vtep_check &&
	    !clink_source_vtep(cd, vpc, fl->saddr, from)) {
		*reason = CLINK_DROP_VTEP_MISMATCH;
		return true;
	}
	if (((const struct iphdr *)(skb->data + INNER_OFF))->ttl <= 1) {
		*reason = CLINK_DROP_TTL;
		return true;
	}
	*reason = parse(skb, fl, vpc->vni, &p);
	if (*reason) {
		if (*reason == CLINK_DROP_PL_NO_SERVICE && pa->type == CLINK_PL_SNAT)
			*reason = CLINK_DROP_PL_NO_SESSION;
		return true;
	}
	if (pa->type == CLINK_PL_VPCE)
		*reason = forward(cd, pa->vpce, skb, &p, xnet);
	else
		*reason = reverse(cd, skb, &p, xnet);
	return true;
}
