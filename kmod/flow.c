// SPDX-License-Identifier: GPL-2.0
/*
 * The flow of an IPv4 packet: what the datapath checks in both directions
 * (links, routes, ACLs) once the header is known to be sound.
 */

#include <linux/ip.h>
#include <linux/skbuff.h>
#include <net/ip.h>

#include "flow.h"

bool clink_flow_parse(struct sk_buff *skb, unsigned int nhoff,
		      struct clink_flow *fl)
{
	const struct iphdr *iph;
	unsigned int ihl, len;

	if (!pskb_may_pull(skb, nhoff + sizeof(*iph)))
		return false;
	iph = (const struct iphdr *)(skb->data + nhoff);
	ihl = iph->ihl * 4;
	if (iph->version != 4 || ihl < sizeof(*iph))
		return false;
	if (!pskb_may_pull(skb, nhoff + ihl))
		return false;
	iph = (const struct iphdr *)(skb->data + nhoff);
	len = ntohs(iph->tot_len);
	if (len < ihl || len > skb->len - nhoff ||
	    ip_fast_csum((const u8 *)iph, iph->ihl))
		return false;

	fl->saddr = iph->saddr;
	fl->daddr = iph->daddr;
	fl->proto = iph->protocol;
	fl->sport = 0;
	fl->dport = 0;
	if ((fl->proto == IPPROTO_TCP || fl->proto == IPPROTO_UDP) &&
	    !(iph->frag_off & htons(IP_OFFSET))) {
		__be16 _ports[2];
		const __be16 *ports;

		ports = skb_header_pointer(skb, nhoff + ihl, sizeof(_ports),
					   _ports);
		if (!ports)
			return false;
		fl->sport = ports[0];
		fl->dport = ports[1];
	}
	return true;
}
