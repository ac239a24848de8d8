/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CLINK_EXTACK_H
#define _CLINK_EXTACK_H

#include <linux/netlink.h>
#include "compat.h"

/*
 * An extack message with printf arguments, naming @attr (may be NULL).
 * The kernel keeps at most NETLINK_MAX_FMTMSG_LEN - 1 characters of a
 * formatted message, and IDs run to 63 characters: a longer message is cut
 * here, ending in "...", rather than by the kernel with a warning in its
 * log.
 */
void clink_err(struct netlink_ext_ack *extack, const struct nlattr *attr,
	       const char *fmt, ...) __printf(3, 4);

#endif /* _CLINK_EXTACK_H */
