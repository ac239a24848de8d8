// SPDX-License-Identifier: GPL-2.0
/*
 * The netlink transport of clinkctl and clinkd: owns the generic netlink
 * socket (the "clink" family, resolved once per process however many
 * requests follow) and the rtnetlink socket (devices, routes), sends one
 * request at a time and reads until its ack or the end of its dump,
 * streaming every reply to a callback, and turns extended acks into
 * "Error: <message>". clinkd also sends its changes in batches: many
 * requests per sendmsg, their acks matched by sequence number.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "attrs.h"
#include "nl.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif

static struct mnl_socket *genl_sock, *rtnl_sock;
static uint16_t family_id;
static uint32_t events_group;
static uint32_t seq;
static bool family_missing;
/* an attribute did not fit: the request is refused, never sent */
static bool req_overflow;

static char req_buf[8192];
/* kernel dumps fill at most 32 KiB per message batch */
static char rx_buf[65536];

/*
 * A batch stays below the default socket send buffer (212992), so it is
 * one sendmsg, and its acks (an skb of ~1 KiB each) within BATCH_RCVBUF.
 * Its last request may begin just below BATCH_BYTES and be as large as
 * any request.
 */
#define BATCH_BYTES	((size_t)96 * 1024)
#define BATCH_MSGS	256
#define BATCH_RCVBUF	(16 << 20)

struct pending {
	nl_done_t done;
	void *arg;
};

static char batch_buf[BATCH_BYTES + sizeof(req_buf)]
	__attribute__((aligned(NLMSG_ALIGNTO)));
static size_t batch_len;
static struct pending pend[BATCH_MSGS];
static unsigned int n_pend;

unsigned int nl_timeout;
unsigned int nl_dumps_interrupted;
bool nl_warn_interrupted = true;
bool nl_quiet;
struct nl_error nl_error;
int (*nl_divert)(struct nlmsghdr *nlh, nl_cb_t cb, void *data);

/* Every failure is recorded in nl_error, and printed unless nl_quiet. */
__attribute__((format(printf, 2, 3)))
static void fail(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(nl_error.msg, sizeof(nl_error.msg), fmt, ap);
	va_end(ap);
	nl_error.err = err;
	if (nl_quiet)
		return;
	fflush(stdout);
	fprintf(stderr, "Error: %s\n", nl_error.msg);
}

__attribute__((format(printf, 1, 2)))
static void warn(const char *fmt, ...)
{
	va_list ap;

	if (nl_quiet)
		return;
	fflush(stdout);
	fputs("Warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int netns_switch(const char *name)
{
	char path[256];
	int fd;

	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "/var/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fail(errno, "cannot open network namespace \"%s\": %s",
		     name, strerror(errno));
		return -1;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		fail(errno, "failed to enter network namespace \"%s\": %s",
		     name, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static struct mnl_socket *open_socket(int bus)
{
	struct mnl_socket *sock = mnl_socket_open2(bus, SOCK_CLOEXEC);
	struct timeval tv = { .tv_sec = nl_timeout };
	int one = 1;

	if (!sock) {
		fail(errno, "cannot open netlink socket: %s", strerror(errno));
		return NULL;
	}
	if (mnl_socket_bind(sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		fail(errno, "cannot bind netlink socket: %s", strerror(errno));
		mnl_socket_close(sock);
		return NULL;
	}
	/* best effort: older kernels simply send no extended acks */
	mnl_socket_setsockopt(sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(sock, NETLINK_CAP_ACK, &one, sizeof(one));
	if (nl_timeout)
		setsockopt(mnl_socket_get_fd(sock), SOL_SOCKET, SO_RCVTIMEO,
			   &tv, sizeof(tv));
	if (!seq)
		seq = (uint32_t)time(NULL);
	return sock;
}

/* A burst of replies must not overrun us; FORCE needs CAP_NET_ADMIN. */
static void set_rcvbuf(struct mnl_socket *sock, int bytes)
{
	int fd = mnl_socket_get_fd(sock);

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));
}

static int extack_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
		tb[type] = attr;
	return MNL_CB_OK;
}

/* The extack message after the header at @offset of the payload, or NULL. */
static const char *extack_msg(const struct nlmsghdr *nlh, size_t offset)
{
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = { NULL };

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	if (mnl_nlmsg_get_payload_len(nlh) < offset)
		return NULL;
	mnl_attr_parse(nlh, (unsigned int)offset, extack_attr_cb, tb);
	return tb[NLMSGERR_ATTR_MSG] ?
	       mnl_attr_get_str(tb[NLMSGERR_ATTR_MSG]) : NULL;
}

/*
 * An NLMSG_ERROR: 0 for an ack, else the kernel's negative errno; *@msg
 * its extack text (a warning on an ack) or NULL.
 */
static int ack_error(const struct nlmsghdr *h, const char **msg)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(h);
	size_t off = sizeof(*e);

	*msg = NULL;
	if (mnl_nlmsg_get_payload_len(h) < sizeof(*e))
		return -EIO;
	/* without NETLINK_CAP_ACK the request is quoted before the TLVs */
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	*msg = extack_msg(h, off);
	return e->error;
}

/* The kernel's message when it gave one, else the errno's. */
static void report(const char *msg, int err)
{
	fail(err, "%s", msg && *msg ? msg : strerror(err));
}

/* One exchange: what talk() knows between two datagrams. */
struct exchange {
	uint32_t portid;
	nl_cb_t cb;
	void *data;
	bool quiet;
	bool cb_failed;	/* a callback said stop: ignore the rest, fail */
	bool intr;	/* a part of the dump was flagged NLM_F_DUMP_INTR */
};

/* Still going: the exchange has not ended with this message. */
#define TALK_MORE	INT_MIN

static int exchange_status(const struct exchange *x)
{
	return x->cb_failed ? 1 : 0;
}

/* An ack (error 0, maybe with a warning) or the kernel's refusal. */
static int handle_error(const struct nlmsghdr *h, struct exchange *x)
{
	const char *msg;
	int err;

	if (mnl_nlmsg_get_payload_len(h) < sizeof(struct nlmsgerr)) {
		report("truncated netlink error", EIO);
		return -EIO;
	}
	err = ack_error(h, &msg);
	if (err) {
		if (!x->quiet)
			report(msg, -err);
		return err;
	}
	if (msg && *msg)
		warn("%s", msg);
	return exchange_status(x);
}

/* The end of a dump: its status, and whether a change raced it. */
static int handle_done(const struct nlmsghdr *h, struct exchange *x)
{
	int err;

	if (mnl_nlmsg_get_payload_len(h) >= sizeof(int)) {
		err = *(const int *)mnl_nlmsg_get_payload(h);
		if (err < 0) {
			if (!x->quiet)
				report(extack_msg(h, sizeof(int)), -err);
			return err;
		}
	}
	if (!x->intr)
		return exchange_status(x);
	nl_dumps_interrupted++;
	if (nl_warn_interrupted)
		warn("the dump was interrupted by a concurrent change and may be inconsistent; run it again");
	return exchange_status(x);
}

/* One message of the reply: TALK_MORE, or how the exchange ended. */
static int handle_msg(const struct nlmsghdr *h, struct exchange *x)
{
	if (h->nlmsg_seq != seq || h->nlmsg_pid != x->portid)
		return TALK_MORE;
	if (h->nlmsg_flags & NLM_F_DUMP_INTR)
		x->intr = true;
	switch (h->nlmsg_type) {
	case NLMSG_NOOP:
	case NLMSG_OVERRUN:
		return TALK_MORE;
	case NLMSG_ERROR:
		return handle_error(h, x);
	case NLMSG_DONE:
		return handle_done(h, x);
	}
	if (x->cb && !x->cb_failed && x->cb(h, x->data) != MNL_CB_OK)
		x->cb_failed = true;
	return TALK_MORE;
}

/* One datagram into rx_buf: its length, or -errno (a timeout ETIMEDOUT). */
static ssize_t recv_datagram(struct mnl_socket *sock)
{
	ssize_t n;

	do {
		n = mnl_socket_recvfrom(sock, rx_buf, sizeof(rx_buf));
	} while (n < 0 && errno == EINTR);
	if (n >= 0)
		return n;
	return errno == EAGAIN || errno == EWOULDBLOCK ? -ETIMEDOUT : -errno;
}

/* One datagram of replies: TALK_MORE, or how the exchange ended. */
static int recv_replies(struct mnl_socket *sock, struct exchange *x)
{
	const struct nlmsghdr *h = (const struct nlmsghdr *)rx_buf;
	ssize_t n = recv_datagram(sock);
	int len = (int)n, ret;

	if (n < 0) {
		report(NULL, (int)-n);
		return -EIO;
	}
	for (; mnl_nlmsg_ok(h, len); h = mnl_nlmsg_next(h, &len)) {
		ret = handle_msg(h, x);
		if (ret != TALK_MORE)
			return ret;
	}
	return TALK_MORE;
}

/*
 * 0: acked or dump done; -errno: the kernel refused (reported unless
 * @quiet); -EIO: the socket failed (reported); 1: a callback failed.
 */
static int talk(struct mnl_socket *sock, struct nlmsghdr *nlh, nl_cb_t cb,
		void *data, bool quiet)
{
	struct exchange x = {
		.portid = mnl_socket_get_portid(sock),
		.cb = cb,
		.data = data,
		.quiet = quiet,
	};
	int ret;

	memset(&nl_error, 0, sizeof(nl_error));
	if (nlh == (struct nlmsghdr *)req_buf && req_overflow) {
		report("the request is too large (an argument too long?)",
		       EMSGSIZE);
		return -EMSGSIZE;
	}
	nlh->nlmsg_seq = ++seq;
	if (mnl_socket_sendto(sock, nlh, nlh->nlmsg_len) < 0) {
		report(NULL, errno);
		return -EIO;
	}
	do {
		ret = recv_replies(sock, &x);
	} while (ret == TALK_MORE);
	return ret;
}

static int family_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type <= CTRL_ATTR_MAX)
		tb[type] = attr;
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1] = { NULL };
	const struct nlattr *grp;

	(void)data;
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_attr_cb, tb);
	if (tb[CTRL_ATTR_FAMILY_ID] &&
	    mnl_attr_validate(tb[CTRL_ATTR_FAMILY_ID], MNL_TYPE_U16) == 0)
		family_id = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (!tb[CTRL_ATTR_MCAST_GROUPS])
		return MNL_CB_OK;
	mnl_attr_for_each_nested(grp, tb[CTRL_ATTR_MCAST_GROUPS]) {
		const struct nlattr *g[CTRL_ATTR_MCAST_GRP_MAX + 1] = { NULL };
		const struct nlattr *a;

		mnl_attr_for_each_nested(a, grp)
			if (mnl_attr_get_type(a) <= CTRL_ATTR_MCAST_GRP_MAX)
				g[mnl_attr_get_type(a)] = a;
		if (g[CTRL_ATTR_MCAST_GRP_NAME] && g[CTRL_ATTR_MCAST_GRP_ID] &&
		    mnl_attr_validate(g[CTRL_ATTR_MCAST_GRP_NAME], MNL_TYPE_NUL_STRING) == 0 &&
		    mnl_attr_validate(g[CTRL_ATTR_MCAST_GRP_ID], MNL_TYPE_U32) == 0 &&
		    !strcmp(mnl_attr_get_str(g[CTRL_ATTR_MCAST_GRP_NAME]), CLINK_MCGRP_EVENTS))
			events_group = mnl_attr_get_u32(g[CTRL_ATTR_MCAST_GRP_ID]);
	}
	return MNL_CB_OK;
}

/* Open the socket and look the family up, once per process. */
static int genl_resolve(void)
{
	char buf[256];
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	int err;

	if (family_id)
		return 0;
	if (family_missing)
		goto missing;
	if (!genl_sock) {
		genl_sock = open_socket(NETLINK_GENERIC);
		if (!genl_sock)
			return -1;
	}
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz_check(nlh, sizeof(buf), CTRL_ATTR_FAMILY_NAME,
				CLINK_GENL_NAME);
	err = talk(genl_sock, nlh, family_cb, NULL, true);
	if (err == -EIO)
		return -1;
	if (err == 0 && family_id)
		return 0;
	family_missing = true;
missing:
	fail(ENOENT, "generic netlink family \"%s\" not found (is the clink module loaded?)",
	     CLINK_GENL_NAME);
	return -1;
}

/* A clink request at @buf, its puts bounded as req_buf's. */
static struct nlmsghdr *genl_put_header(void *buf, uint16_t type, uint8_t cmd,
					uint16_t flags, const char *ifname)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	req_overflow = false;
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = CLINK_GENL_VERSION;
	if (ifname)
		nl_put_strz(nlh, CLINK_A_IFNAME, ifname);
	return nlh;
}

struct nlmsghdr *genl_msg(uint8_t cmd, uint16_t flags, const char *ifname)
{
	if (!nl_divert && genl_resolve())
		return NULL;
	return genl_put_header(req_buf, nl_divert ? NL_GENL_DIVERTED : family_id,
			       cmd, flags, ifname);
}

struct nlmsghdr *rtnl_msg(uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	struct rtmsg *rtm;

	if (!rtnl_sock && !nl_divert) {
		rtnl_sock = open_socket(NETLINK_ROUTE);
		if (!rtnl_sock)
			return NULL;
	}
	nlh = mnl_nlmsg_put_header(req_buf);
	req_overflow = false;
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	switch (type) {
	case RTM_NEWROUTE:
	case RTM_DELROUTE:
	case RTM_GETROUTE:
		rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
		rtm->rtm_family = AF_INET;
		rtm->rtm_table = RT_TABLE_MAIN;
		break;
	default:
		ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
		ifi->ifi_family = AF_UNSPEC;
		break;
	}
	return nlh;
}

static bool is_dump(const struct nlmsghdr *nlh)
{
	return (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
}

/* A request that overflowed is refused here, whoever it was meant for. */
static int divert(struct nlmsghdr *nlh, nl_cb_t cb, void *data)
{
	memset(&nl_error, 0, sizeof(nl_error));
	if (req_overflow) {
		report("the request is too large (an argument too long?)",
		       EMSGSIZE);
		return 1;
	}
	return nl_divert(nlh, cb, data);
}

int genl_talk(struct nlmsghdr *nlh, nl_cb_t cb, void *data)
{
	if (!is_dump(nlh))
		nlh->nlmsg_flags |= NLM_F_ACK;
	if (nl_divert)
		return divert(nlh, cb, data);
	return talk(genl_sock, nlh, cb, data, false) ? 1 : 0;
}

int rtnl_talk(struct nlmsghdr *nlh, nl_cb_t cb, void *data)
{
	if (!is_dump(nlh))
		nlh->nlmsg_flags |= NLM_F_ACK;
	if (nl_divert)
		return divert(nlh, NULL, NULL);
	return talk(rtnl_sock, nlh, cb, data, false) ? 1 : 0;
}

void nl_close(void)
{
	if (genl_sock)
		mnl_socket_close(genl_sock);
	if (rtnl_sock)
		mnl_socket_close(rtnl_sock);
	genl_sock = rtnl_sock = NULL;
	family_id = 0;
}

/* Batches ------------------------------------------------------------ */

struct nlmsghdr *genl_batch_msg(uint8_t cmd, uint16_t flags,
				const char *ifname)
{
	if (n_pend == BATCH_MSGS || batch_len > BATCH_BYTES)
		genl_batch_flush();
	if (genl_resolve())
		return NULL;
	return genl_put_header(batch_buf + batch_len, family_id, cmd,
			       NLM_F_ACK | flags, ifname);
}

void genl_batch_queue(struct nlmsghdr *nlh, nl_done_t done, void *arg)
{
	if (req_overflow) {
		if (done)
			done(arg, -EMSGSIZE, "the request is too large (an argument too long?)");
		return;
	}
	pend[n_pend].done = done;
	pend[n_pend].arg = arg;
	n_pend++;
	batch_len += NLMSG_ALIGN(nlh->nlmsg_len);
}

/* The requests of the batch numbered from @first; their acks tell. */
static void batch_number(uint32_t first)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)batch_buf;
	int len = (int)batch_len;

	for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len))
		nlh->nlmsg_seq = first++;
}

int genl_batch_flush(void)
{
	static unsigned char answered[BATCH_MSGS];
	static bool rcvbuf_set;
	unsigned int left = n_pend, i;
	uint32_t first = seq + 1;
	int ret = 0;

	if (!n_pend)
		return 0;
	memset(answered, 0, sizeof(answered));
	if (!rcvbuf_set) {
		set_rcvbuf(genl_sock, BATCH_RCVBUF);
		rcvbuf_set = true;
	}
	batch_number(first);
	seq += n_pend;
	if (mnl_socket_sendto(genl_sock, batch_buf, batch_len) < 0) {
		ret = -errno;
		goto fail;
	}
	while (left) {
		const struct nlmsghdr *h = (const struct nlmsghdr *)rx_buf;
		ssize_t n = recv_datagram(genl_sock);
		int len = (int)n;

		if (n < 0) {
			ret = (int)n;
			goto fail;
		}
		for (; mnl_nlmsg_ok(h, len); h = mnl_nlmsg_next(h, &len)) {
			const char *msg;
			int err;

			i = h->nlmsg_seq - first;
			if (h->nlmsg_pid != mnl_socket_get_portid(genl_sock) ||
			    i >= n_pend || h->nlmsg_type != NLMSG_ERROR ||
			    answered[i])
				continue;
			err = ack_error(h, &msg);
			answered[i] = 1;
			left--;
			if (pend[i].done)
				pend[i].done(pend[i].arg, err, msg);
		}
	}
	goto out;
fail:
	/* what is still unanswered fails with the socket */
	for (i = 0; i < n_pend; i++)
		if (!answered[i] && pend[i].done)
			pend[i].done(pend[i].arg, ret, NULL);
out:
	n_pend = 0;
	batch_len = 0;
	return ret;
}

int genl_monitor(nl_cb_t cb, void *data)
{
	int grp;

	if (genl_resolve())
		return 1;
	if (!events_group) {
		fail(ENOENT, "the clink family has no \"%s\" group",
		     CLINK_MCGRP_EVENTS);
		return 1;
	}
	grp = (int)events_group;
	if (mnl_socket_setsockopt(genl_sock, NETLINK_ADD_MEMBERSHIP, &grp,
				  sizeof(grp)) < 0) {
		report(NULL, errno);
		return 1;
	}
	set_rcvbuf(genl_sock, 4 << 20);
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(genl_sock, rx_buf, sizeof(rx_buf));
		const struct nlmsghdr *h = (const struct nlmsghdr *)rx_buf;
		int len = (int)n;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				warn("events were lost (receive buffer overrun)");
				continue;
			}
			report(NULL, errno);
			return 1;
		}
		for (; mnl_nlmsg_ok(h, len); h = mnl_nlmsg_next(h, &len)) {
			if (h->nlmsg_type != family_id)
				continue;
			if (cb(h, data) != MNL_CB_OK)
				return 1;
		}
	}
}

/* Replies are held to the shapes of attrs.c; anything else is ignored. */
static bool attr_ok(const struct nlattr *a, enum attr_kind kind)
{
	switch (kind) {
	case ATTR_U8:
	case ATTR_ENUM:
		return mnl_attr_validate(a, MNL_TYPE_U8) == 0;
	case ATTR_U16:
		return mnl_attr_validate(a, MNL_TYPE_U16) == 0;
	case ATTR_U32:
		return mnl_attr_validate(a, MNL_TYPE_U32) == 0;
	case ATTR_U64:
		return mnl_attr_validate(a, MNL_TYPE_U64) == 0;
	case ATTR_STRING:
		return mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0;
	case ATTR_ADDR:
		return mnl_attr_get_payload_len(a) == 4;
	case ATTR_MAC:
		return mnl_attr_get_payload_len(a) == 6;
	case ATTR_FLAG:
		return mnl_attr_validate(a, MNL_TYPE_FLAG) == 0;
	case ATTR_PREFIX:
	case ATTR_PREFIX_LIST:
	case ATTR_NEST:
		return mnl_attr_validate(a, MNL_TYPE_NESTED) == 0;
	case ATTR_NONE:
		break;
	}
	return false;
}

static int clink_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type <= CLINK_A_MAX && attr_ok(attr, attr_desc(type)->kind))
		tb[type] = attr;
	return MNL_CB_OK;
}

void genl_parse(const struct nlmsghdr *nlh, clink_tb_t tb)
{
	memset(tb, 0, sizeof(clink_tb_t));
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), clink_attr_cb, tb);
}

uint8_t genl_cmd(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

	return g->cmd;
}

/*
 * Every request is built in req_buf, so its size bounds every put. A put
 * that does not fit leaves the message as it was and marks the request.
 */
static void put_checked(bool fitted)
{
	if (!fitted)
		req_overflow = true;
}

void nl_put(struct nlmsghdr *nlh, uint16_t type, size_t len, const void *data)
{
	put_checked(mnl_attr_put_check(nlh, sizeof(req_buf), type, len, data));
}

void nl_put_strz(struct nlmsghdr *nlh, uint16_t type, const char *s)
{
	put_checked(mnl_attr_put_strz_check(nlh, sizeof(req_buf), type, s));
}

void nl_put_u8(struct nlmsghdr *nlh, uint16_t type, uint8_t v)
{
	put_checked(mnl_attr_put_u8_check(nlh, sizeof(req_buf), type, v));
}

void nl_put_u16(struct nlmsghdr *nlh, uint16_t type, uint16_t v)
{
	put_checked(mnl_attr_put_u16_check(nlh, sizeof(req_buf), type, v));
}

void nl_put_u32(struct nlmsghdr *nlh, uint16_t type, uint32_t v)
{
	put_checked(mnl_attr_put_u32_check(nlh, sizeof(req_buf), type, v));
}

void nl_put_addr(struct nlmsghdr *nlh, uint16_t type, struct in_addr a)
{
	nl_put(nlh, type, sizeof(a), &a);
}

void nl_put_flag(struct nlmsghdr *nlh, uint16_t type)
{
	/* not NULL: libmnl copies the (empty) payload with memcpy() */
	nl_put(nlh, type, 0, "");
}

struct nlattr *nl_nest_start(struct nlmsghdr *nlh, uint16_t type)
{
	struct nlattr *nest = mnl_attr_nest_start_check(nlh, sizeof(req_buf),
							type);

	put_checked(nest);
	return nest;
}

void nl_nest_end(struct nlmsghdr *nlh, struct nlattr *nest)
{
	if (nest)
		mnl_attr_nest_end(nlh, nest);
}

void put_prefix(struct nlmsghdr *nlh, uint16_t type, const struct prefix *p)
{
	struct nlattr *nest = nl_nest_start(nlh, type);

	nl_put_addr(nlh, CLINK_PREFIX_A_ADDR, p->addr);
	nl_put_u8(nlh, CLINK_PREFIX_A_LEN, p->len);
	nl_nest_end(nlh, nest);
}

void put_prefix_list(struct nlmsghdr *nlh, uint16_t type,
		     const struct prefix_list *l)
{
	struct nlattr *nest = nl_nest_start(nlh, type);
	int i;

	for (i = 0; i < l->n; i++)
		put_prefix(nlh, CLINK_A_PREFIX_ENTRY, &l->p[i]);
	nl_nest_end(nlh, nest);
}

bool get_prefix(const struct nlattr *nest, struct prefix *p)
{
	const struct nlattr *a;
	bool have_addr = false, have_len = false;

	if (!nest)
		return false;
	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case CLINK_PREFIX_A_ADDR:
			if (mnl_attr_get_payload_len(a) == 4) {
				memcpy(&p->addr, mnl_attr_get_payload(a), 4);
				have_addr = true;
			}
			break;
		case CLINK_PREFIX_A_LEN:
			if (mnl_attr_validate(a, MNL_TYPE_U8) == 0) {
				p->len = mnl_attr_get_u8(a);
				have_len = true;
			}
			break;
		default:
			break;
		}
	}
	return have_addr && have_len;
}

void get_prefix_list(const struct nlattr *nest, struct prefix_list *l)
{
	const struct nlattr *a;

	l->n = 0;
	if (!nest)
		return;
	mnl_attr_for_each_nested(a, nest) {
		if (mnl_attr_get_type(a) != CLINK_A_PREFIX_ENTRY ||
		    l->n == PREFIX_LIST_MAX)
			continue;
		if (get_prefix(a, &l->p[l->n]))
			l->n++;
	}
}

struct in_addr get_addr(const struct nlattr *a)
{
	struct in_addr addr;

	memcpy(&addr, mnl_attr_get_payload(a), sizeof(addr));
	return addr;
}
