// SPDX-License-Identifier: GPL-2.0
/*
 * Formatted extack messages, for every request handler (genl and
 * rtnetlink alike).
 */

#include <linux/atomic.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "extack.h"

#ifndef NL_SET_ERR_MSG_ATTR_FMT
/*
 * Before 6.2 an extack message must outlive the request: formatted ones
 * rotate through these buffers, which is safe unless more than
 * ERRBUF_SLOTS requests fail while one is being acknowledged.
 */
#define ERRBUF_SLOTS	64
static char errbuf[ERRBUF_SLOTS][NETLINK_MAX_FMTMSG_LEN];
static atomic_t errbuf_next = ATOMIC_INIT(0);

static void set_err(struct netlink_ext_ack *extack, const struct nlattr *attr,
		    const char *msg)
{
	unsigned int slot = atomic_inc_return(&errbuf_next) % ERRBUF_SLOTS;

	strscpy(errbuf[slot], msg, sizeof(errbuf[slot]));
	extack->_msg = errbuf[slot];
	extack->bad_attr = attr;
}
#else
static void set_err(struct netlink_ext_ack *extack, const struct nlattr *attr,
		    const char *msg)
{
	NL_SET_ERR_MSG_ATTR_FMT(extack, attr, "%s", msg);
}
#endif

void clink_err(struct netlink_ext_ack *extack, const struct nlattr *attr,
	       const char *fmt, ...)
{
	char msg[NETLINK_MAX_FMTMSG_LEN];
	va_list args;
	int len;

	if (!extack)
		return;
	va_start(args, fmt);
	len = vsnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);
	if (len >= (int)sizeof(msg))
		strscpy(msg + sizeof(msg) - 4, "...", 4);
	set_err(extack, attr, msg);
}
