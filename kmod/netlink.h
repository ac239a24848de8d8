/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CLINK_NETLINK_H
#define _CLINK_NETLINK_H

#include <net/genetlink.h>

#include "compat.h"
#include "device.h"
#include "extack.h"

int clink_genl_init(void);
void clink_genl_uninit(void);

/* Fills the attributes of one object into a message (GET reply, dump, event). */
typedef int (*clink_fill_t)(struct sk_buff *skb, struct clink_dev *cd,
			    const void *obj);

/* doit handlers run with the device found, referenced and locked. */
static inline struct clink_dev *clink_nl_dev(const struct genl_info *info)
{
	return info->user_ptr[0];
}

/* NEW_* may update an existing object in place (CLINK_A_REPLACE). */
static inline bool clink_nl_replace(const struct genl_info *info)
{
	return nla_get_flag(info->attrs[CLINK_A_REPLACE]);
}

/* Fails with an extack message when @attr is missing. */
bool clink_nl_require(struct genl_info *info, int attr);
/*
 * The DSCP in @attr (0..63 or CLINK_DSCP_INHERIT), @dflt without it; ERANGE
 * with an extack message naming @attr otherwise.
 */
int clink_nl_get_dscp(const struct nlattr *attr, u8 dflt, u8 *dscp,
		      struct netlink_ext_ack *extack);
/* Copies the id string @attr (required, 1..63 chars) zero padded. */
int clink_nl_get_id(struct genl_info *info, int attr,
		    char id[CLINK_ID_MAXLEN]);
/* Copies an optional string attribute, or @def when absent. */
void clink_nl_get_str(struct nlattr *nla, char dst[CLINK_ID_MAXLEN],
		      const char *def);

int clink_nl_reply(struct genl_info *info, clink_fill_t fill,
		   const void *obj);
void clink_nl_notify(struct clink_dev *cd, u8 cmd, clink_fill_t fill,
		     const void *obj, enum clink_event_reason reason);

/*
 * Dumps: clink_nl_dump_begin() finds and locks the device the request
 * names (ERR_PTR otherwise) and records its generation for
 * genl_dump_check_consistent(); clink_nl_dump_obj() returns -EMSGSIZE when
 * the message is full and the dump must resume at this object.
 */
struct clink_dev *clink_nl_dump_begin(struct netlink_callback *cb,
				      struct nlattr ***attrs);
void clink_nl_dump_end(struct clink_dev *cd);
int clink_nl_dump_obj(struct sk_buff *skb, struct netlink_callback *cb,
		      struct clink_dev *cd, clink_fill_t fill,
		      const void *obj);

/*
 * Where a dump resumes, kept in cb->ctx: by key, never by position, so that
 * objects deleted (or added) between two parts of a dump make it skip or
 * repeat no other object. @index: the next index in an xarray (an object's
 * index is its key for life); @key: the next key of a sorted table (ACL
 * priority, route order); @phase: which source of the dump is next.
 */
struct clink_dump_pos {
	unsigned long index;
	u64 key;
	u8 phase;
};

static inline struct clink_dump_pos *clink_dump_pos(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct clink_dump_pos) > sizeof(cb->ctx));
	return (struct clink_dump_pos *)cb->ctx;
}

/*
 * A whole, unfiltered dump of the objects in the xarray at @xa_offset in
 * struct clink_dev.
 */
int clink_nl_dump_xa(struct sk_buff *skb, struct netlink_callback *cb,
		     size_t xa_offset, clink_fill_t fill);

/* What a dumpit returns after clink_nl_dump_end(): ret from the last object. */
static inline int clink_nl_dump_ret(struct sk_buff *skb, int ret)
{
	if (!ret || (ret == -EMSGSIZE && skb->len))
		return skb->len;
	return ret;
}

int clink_nl_put_traffic(struct sk_buff *skb, int attrtype,
			 struct clink_traffic __percpu *t);

/* Handlers, next to the objects they handle. */
int clink_nl_new_vpc(struct sk_buff *skb, struct genl_info *info);
int clink_nl_set_vpc(struct sk_buff *skb, struct genl_info *info);
int clink_nl_del_vpc(struct sk_buff *skb, struct genl_info *info);
int clink_nl_get_vpc(struct sk_buff *skb, struct genl_info *info);
int clink_nl_dump_vpc(struct sk_buff *skb, struct netlink_callback *cb);
int clink_nl_new_cidr(struct sk_buff *skb, struct genl_info *info);
int clink_nl_del_cidr(struct sk_buff *skb, struct genl_info *info);

int clink_nl_new_route(struct sk_buff *skb, struct genl_info *info);
int clink_nl_del_route(struct sk_buff *skb, struct genl_info *info);
int clink_nl_dump_route(struct sk_buff *skb, struct netlink_callback *cb);

int clink_nl_new_endpoint(struct sk_buff *skb, struct genl_info *info);
int clink_nl_del_endpoint(struct sk_buff *skb, struct genl_info *info);
int clink_nl_get_endpoint(struct sk_buff *skb, struct genl_info *info);
int clink_nl_dump_endpoint(struct sk_buff *skb, struct netlink_callback *cb);

int clink_nl_new_instance(struct sk_buff *skb, struct genl_info *info);
int clink_nl_set_instance(struct sk_buff *skb, struct genl_info *info);
int clink_nl_del_instance(struct sk_buff *skb, struct genl_info *info);
int clink_nl_get_instance(struct sk_buff *skb, struct genl_info *info);
int clink_nl_dump_instance(struct sk_buff *skb, struct netlink_callback *cb);
int clink_nl_new_link(struct sk_buff *skb, struct genl_info *info);
int clink_nl_del_link(struct sk_buff *skb, struct genl_info *info);
int clink_nl_dump_link(struct sk_buff *skb, struct netlink_callback *cb);
int clink_nl_flush_links(struct sk_buff *skb, struct genl_info *info);

int clink_nl_new_acl(struct sk_buff *skb, struct genl_info *info);
int clink_nl_del_acl(struct sk_buff *skb, struct genl_info *info);
int clink_nl_dump_acl(struct sk_buff *skb, struct netlink_callback *cb);

int clink_nl_new_service(struct sk_buff *skb, struct genl_info *info);
int clink_nl_set_service(struct sk_buff *skb, struct genl_info *info);
int clink_nl_del_service(struct sk_buff *skb, struct genl_info *info);
int clink_nl_get_service(struct sk_buff *skb, struct genl_info *info);
int clink_nl_dump_service(struct sk_buff *skb, struct netlink_callback *cb);
int clink_nl_new_vpce(struct sk_buff *skb, struct genl_info *info);
int clink_nl_del_vpce(struct sk_buff *skb, struct genl_info *info);
int clink_nl_get_vpce(struct sk_buff *skb, struct genl_info *info);
int clink_nl_dump_vpce(struct sk_buff *skb, struct netlink_callback *cb);

#endif /* _CLINK_NETLINK_H */
