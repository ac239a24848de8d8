/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CLINK_PREFIX_H
#define _CLINK_PREFIX_H

#include <linux/types.h>
#include <linux/rcupdate.h>
#include <net/netlink.h>

struct clink_prefix {
	__be32 addr;
	u8 len;
};

struct clink_prefix_list {
	struct rcu_head rcu;
	u32 n;
	struct clink_prefix p[];
};

static inline __be32 clink_prefix_mask(u8 len)
{
	return len ? htonl(~0U << (32 - len)) : 0;
}

static inline bool clink_prefix_contains(const struct clink_prefix *p,
					 __be32 addr)
{
	return !((addr ^ p->addr) & clink_prefix_mask(p->len));
}

static inline bool clink_prefix_overlaps(const struct clink_prefix *a,
					 const struct clink_prefix *b)
{
	u8 len = min(a->len, b->len);

	return !((a->addr ^ b->addr) & clink_prefix_mask(len));
}

/* True when @inner lies entirely within @outer. */
static inline bool clink_prefix_within(const struct clink_prefix *inner,
				       const struct clink_prefix *outer)
{
	return inner->len >= outer->len &&
	       clink_prefix_contains(outer, inner->addr);
}

static inline bool clink_prefix_equal(const struct clink_prefix *a,
				      const struct clink_prefix *b)
{
	return a->addr == b->addr && a->len == b->len;
}

/* True when @addr lies in any prefix of @l (NULL or empty: false). */
bool clink_prefix_list_contains(const struct clink_prefix_list *l,
				__be32 addr);
bool clink_prefix_list_overlaps(const struct clink_prefix_list *l,
				const struct clink_prefix *p);
/* True when @p lies entirely within one prefix of @l. */
bool clink_prefix_list_covers(const struct clink_prefix_list *l,
			      const struct clink_prefix *p);
/* The first prefix of @l that overlaps @p, or NULL. */
const struct clink_prefix *
clink_prefix_list_find_overlap(const struct clink_prefix_list *l,
			       const struct clink_prefix *p);
struct clink_prefix_list *clink_prefix_list_alloc(u32 n, gfp_t gfp);

#include <uapi/linux/clink.h>

extern const struct nla_policy clink_prefix_policy[CLINK_PREFIX_A_MAX + 1];
extern const struct nla_policy clink_prefix_list_policy[CLINK_A_PREFIX_ENTRY + 1];
int clink_prefix_parse(const struct nlattr *nla, struct clink_prefix *p,
		       struct netlink_ext_ack *extack);
/* Parses a nest of CLINK_A_PREFIX_ENTRY; returns a new list or ERR_PTR. */
struct clink_prefix_list *clink_prefix_list_parse(const struct nlattr *nla,
						  struct netlink_ext_ack *extack);
int clink_prefix_put(struct sk_buff *skb, int attrtype,
		     const struct clink_prefix *p);
int clink_prefix_list_put(struct sk_buff *skb, int attrtype,
			  const struct clink_prefix_list *l);
int clink_prefix_array_put(struct sk_buff *skb, int attrtype,
			   const struct clink_prefix *p, u32 n);

#endif /* _CLINK_PREFIX_H */
