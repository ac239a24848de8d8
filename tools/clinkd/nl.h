/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CLINKD_NL_H
#define _CLINKD_NL_H

#include <stdbool.h>
#include <stdint.h>
#include <libmnl/libmnl.h>
#include <linux/clink.h>

/*
 * The agent's netlink transport: one generic netlink socket for the clink
 * family and one rtnetlink socket.  Changes are queued and sent in
 * batches (many requests per sendmsg, one ack each), so a full sync of
 * 200,000 objects costs a few thousand system calls, not 400,000.
 */

/* The outcome of one queued request: @err is 0 or a negative errno. */
typedef void (*nl_done_t)(void *arg, int err, const char *extack);
/* Called for every message of a dump. */
typedef void (*nl_msg_t)(const struct nlmsghdr *nlh, void *arg);

int nl_open(const char *ifname);
void nl_close(void);

/*
 * Start a request for @cmd in the batch; add attributes to the returned
 * message, then nl_queue() it.  The batch is sent when full or on
 * nl_flush(), which returns once every queued request is answered.
 */
struct nlmsghdr *nl_req(uint8_t cmd, uint16_t flags);
void nl_queue(struct nlmsghdr *nlh, nl_done_t done, void *arg);
int nl_flush(void);

/*
 * A read, outside the batch: nl_msg() starts it (NLM_F_DUMP in @flags for
 * a dump), nl_call() sends it and calls @cb for every reply.  0, or a
 * negative errno with the kernel's message in @err.
 */
struct nlmsghdr *nl_msg(uint8_t cmd, uint16_t flags);
int nl_call(struct nlmsghdr *nlh, nl_msg_t cb, void *arg, char *err,
	    size_t errlen);

/* Attributes of a clink message, by type; absent ones NULL. */
typedef const struct nlattr *clink_tb_t[CLINK_A_MAX + 1];
void nl_parse(const struct nlmsghdr *nlh, clink_tb_t tb);

/* rtnetlink: the routes with protocol @proto through @ifindex. */
typedef void (*nl_route_t)(uint32_t dst, uint8_t len, void *arg);
int nl_route_dump(int ifindex, uint8_t proto, nl_route_t cb, void *arg);
int nl_route_change(bool add, int ifindex, uint8_t proto, uint32_t dst,
		    uint8_t len, char *err, size_t errlen);

#endif /* _CLINKD_NL_H */
