/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CLINK_NL_H
#define _CLINK_NL_H

/*
 * libclink's netlink transport, shared by clinkctl and clinkd.
 *
 * One request at a time: genl_msg() or rtnl_msg() starts it in the one
 * request buffer of the process, the nl_put_*() helpers add attributes,
 * genl_talk() or rtnl_talk() send it and read until the ack or the end of
 * the dump, calling a callback for every reply. Errors are printed as
 * "Error: <extack message or strerror>" on stderr (unless nl_quiet) and
 * recorded in nl_error. Changes can also go in batches (genl_batch_*()).
 * Not thread-safe.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>
#include <linux/clink.h>

#include "utils.h"

/* Called for every reply message; return MNL_CB_OK to go on. */
typedef int (*nl_cb_t)(const struct nlmsghdr *nlh, void *data);

/* Enter the network namespace /var/run/netns/NAME (before any socket). */
int netns_switch(const char *name);

/*
 * A request in the one request buffer: a clink generic netlink message
 * (with CLINK_A_IFNAME when @ifname is set), or an rtnetlink message with
 * its struct rtmsg (AF_INET, the main table) for RTM_*ROUTE, else its
 * struct ifinfomsg. NULL (the error reported) when the family is missing
 * or no socket can be opened.
 */
struct nlmsghdr *genl_msg(uint8_t cmd, uint16_t flags, const char *ifname);
struct nlmsghdr *rtnl_msg(uint16_t type, uint16_t flags);

/*
 * Send and wait for the ack or the end of the dump, calling @cb for every
 * reply (NLM_F_ACK is added to requests that are not dumps). 0 on
 * success; 1 after reporting the error, or when a callback did not
 * return MNL_CB_OK (the rest of the reply is read and dropped).
 */
int genl_talk(struct nlmsghdr *nlh, nl_cb_t cb, void *data);
int rtnl_talk(struct nlmsghdr *nlh, nl_cb_t cb, void *data);

/*
 * Batches, for a daemon applying many changes: the kernel runs the
 * messages of one sendmsg in order and acks each, so a full sync of
 * 300,000 objects costs about a thousand system calls. genl_batch_msg()
 * starts a request like genl_msg() (never NULL once the family was
 * found), genl_batch_queue() adds it with @done, which gets its outcome:
 * @err 0 or a negative errno, @msg the kernel's extack text or NULL. A
 * full batch goes out by itself; genl_batch_flush() sends the rest and
 * returns when every request is answered: 0, or the socket's negative
 * errno (the unanswered requests failed with it).
 */
typedef void (*nl_done_t)(void *arg, int err, const char *msg);
struct nlmsghdr *genl_batch_msg(uint8_t cmd, uint16_t flags,
				const char *ifname);
void genl_batch_queue(struct nlmsghdr *nlh, nl_done_t done, void *arg);
int genl_batch_flush(void);

/* Close the sockets (the next request opens them again). */
void nl_close(void);

/*
 * The last failure: a positive errno and its message (the kernel's
 * extack text when it gave one). Cleared by every talk.
 */
struct nl_error {
	int err;
	char msg[256];
};
extern struct nl_error nl_error;

/* Record errors and warnings without printing them (a daemon logs). */
extern bool nl_quiet;

/*
 * Seconds a receive waits at most (ETIMEDOUT after), for sockets opened
 * after it is set; 0, the default, waits for ever (genl_monitor()).
 */
extern unsigned int nl_timeout;

/* Dumps that were flagged NLM_F_DUMP_INTR so far; warn about each? */
extern unsigned int nl_dumps_interrupted;
extern bool nl_warn_interrupted;

/*
 * When set, no socket is opened and no request reaches the kernel:
 * genl_msg() builds its message with nlmsg_type NL_GENL_DIVERTED (the
 * family is not looked up), and genl_talk()/rtnl_talk() return what this
 * returns for the request, @cb and @data (NULL for rtnl_talk()). clinkctl
 * -E writes the requests into etcd this way.
 */
#define NL_GENL_DIVERTED	0
extern int (*nl_divert)(struct nlmsghdr *nlh, nl_cb_t cb, void *data);

/* Join the events group and call @cb for each event; returns on error. */
int genl_monitor(nl_cb_t cb, void *data);

/* Attributes of a clink message, validated by type; absent ones NULL. */
typedef const struct nlattr *clink_tb_t[CLINK_A_MAX + 1];
void genl_parse(const struct nlmsghdr *nlh, clink_tb_t tb);
uint8_t genl_cmd(const struct nlmsghdr *nlh);

/*
 * Attributes of the request genl_msg() or rtnl_msg() returned. Each put
 * checks the room left in the request buffer; one that does not fit
 * marks the request, which genl_talk() and rtnl_talk() then refuse with
 * "Error: the request is too large ..." without sending anything. A
 * failed nl_nest_start() returns NULL, which nl_nest_end() accepts.
 */
void nl_put(struct nlmsghdr *nlh, uint16_t type, size_t len, const void *data);
void nl_put_strz(struct nlmsghdr *nlh, uint16_t type, const char *s);
void nl_put_u8(struct nlmsghdr *nlh, uint16_t type, uint8_t v);
void nl_put_u16(struct nlmsghdr *nlh, uint16_t type, uint16_t v);
void nl_put_u32(struct nlmsghdr *nlh, uint16_t type, uint32_t v);
void nl_put_addr(struct nlmsghdr *nlh, uint16_t type, struct in_addr a);
/* A flag attribute: present, no payload (CLINK_A_REPLACE). */
void nl_put_flag(struct nlmsghdr *nlh, uint16_t type);
struct nlattr *nl_nest_start(struct nlmsghdr *nlh, uint16_t type);
void nl_nest_end(struct nlmsghdr *nlh, struct nlattr *nest);

/* A prefix nest (CLINK_PREFIX_A_*), and a list of them. */
void put_prefix(struct nlmsghdr *nlh, uint16_t type, const struct prefix *p);
void put_prefix_list(struct nlmsghdr *nlh, uint16_t type,
		     const struct prefix_list *l);
/* false when @nest is NULL or lacks the address or the length */
bool get_prefix(const struct nlattr *nest, struct prefix *p);
/* the entries that parse, at most PREFIX_LIST_MAX */
void get_prefix_list(const struct nlattr *nest, struct prefix_list *l);
/* @a must hold 4 bytes (genl_parse() checked it) */
struct in_addr get_addr(const struct nlattr *a);

#endif /* _CLINK_NL_H */
