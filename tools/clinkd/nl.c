// SPDX-License-Identifier: GPL-2.0
/*
 * The agent's netlink transport.  Requests that change the kernel are
 * queued into one buffer and sent together: the kernel runs the messages
 * of one sendmsg in order and acks each, so a batch costs one send and a
 * few receives however many objects it holds.  Reads (dumps and single
 * GETs) are synchronous.  Every receive has a timeout (SO_RCVTIMEO): a
 * kernel that does not answer fails the sync, it never hangs the agent.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "nl.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif

/* Below the default socket send buffer (212992): one sendmsg each. */
#define BATCH_BYTES	(96 * 1024)
/* Acks of one batch must fit the receive buffer (an ack's skb ~1 KiB). */
#define BATCH_MSGS	256
/* The largest request: a VPC or the device with two prefix lists. */
#define REQ_MAX		4096
#define RCV_TIMEOUT_S	5

struct pending {
	nl_done_t done;
	void *arg;
};

static struct mnl_socket *genl, *rtnl;
static uint16_t family_id;
static const char *dev_name;
static uint32_t seq;

static char batch[BATCH_BYTES];
static size_t batch_len;
static struct pending pend[BATCH_MSGS];
static unsigned int n_pend;
static uint32_t batch_seq;	/* sequence number of pend[0] */

static char req_buf[REQ_MAX];
static char rx_buf[65536];

static struct mnl_socket *open_socket(int bus)
{
	struct timeval tv = { .tv_sec = RCV_TIMEOUT_S };
	int one = 1, rcvbuf = 16 << 20;
	struct mnl_socket *sock;
	int fd;

	sock = mnl_socket_open2(bus, SOCK_CLOEXEC);
	if (!sock)
		return NULL;
	if (mnl_socket_bind(sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		mnl_socket_close(sock);
		return NULL;
	}
	fd = mnl_socket_get_fd(sock);
	mnl_socket_setsockopt(sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(sock, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	/* FORCE needs CAP_NET_ADMIN, which the agent has anyway */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	return sock;
}

static int extack_cb(const struct nlattr *attr, void *data)
{
	const char **msg = data;

	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
		*msg = mnl_attr_get_str(attr);
	return MNL_CB_OK;
}

/* The error of an NLMSG_ERROR (0 for an ack) and its extack message. */
static int parse_error(const struct nlmsghdr *h, const char **msg)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(h);
	size_t off = sizeof(*e);

	*msg = NULL;
	if (mnl_nlmsg_get_payload_len(h) < sizeof(*e))
		return -EIO;
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	if ((h->nlmsg_flags & NLM_F_ACK_TLVS) &&
	    mnl_nlmsg_get_payload_len(h) >= off)
		mnl_attr_parse(h, (unsigned int)off, extack_cb, msg);
	return e->error;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nlattr *a;

	(void)data;
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID &&
		    mnl_attr_validate(a, MNL_TYPE_U16) == 0)
			family_id = mnl_attr_get_u16(a);
	return MNL_CB_OK;
}

int nl_open(const char *ifname)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	ssize_t n;

	dev_name = ifname;
	seq = (uint32_t)time(NULL);
	genl = open_socket(NETLINK_GENERIC);
	rtnl = open_socket(NETLINK_ROUTE);
	if (!genl || !rtnl)
		return -errno;

	nlh = mnl_nlmsg_put_header(req_buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = ++seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, CLINK_GENL_NAME);
	if (mnl_socket_sendto(genl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	n = mnl_socket_recvfrom(genl, rx_buf, sizeof(rx_buf));
	if (n < 0)
		return -errno;
	mnl_cb_run(rx_buf, (size_t)n, seq, mnl_socket_get_portid(genl),
		   family_cb, NULL);
	return family_id ? 0 : -ENOENT;
}

void nl_close(void)
{
	if (genl)
		mnl_socket_close(genl);
	if (rtnl)
		mnl_socket_close(rtnl);
	genl = rtnl = NULL;
}

static struct nlmsghdr *put_genl(void *buf, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = family_id;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = CLINK_GENL_VERSION;
	mnl_attr_put_strz(nlh, CLINK_A_IFNAME, dev_name);
	return nlh;
}

struct nlmsghdr *nl_req(uint8_t cmd, uint16_t flags)
{
	if (n_pend == BATCH_MSGS || batch_len + REQ_MAX > sizeof(batch))
		nl_flush();
	return put_genl(batch + batch_len, cmd, flags | NLM_F_ACK);
}

void nl_queue(struct nlmsghdr *nlh, nl_done_t done, void *arg)
{
	if (!n_pend)
		batch_seq = seq + 1;
	nlh->nlmsg_seq = ++seq;
	pend[n_pend].done = done;
	pend[n_pend].arg = arg;
	n_pend++;
	batch_len += NLMSG_ALIGN(nlh->nlmsg_len);
}

/* Fail what is still unanswered, e.g. after a timeout. */
static void fail_pending(unsigned int answered[], int err)
{
	unsigned int i;

	for (i = 0; i < n_pend; i++)
		if (!answered[i] && pend[i].done)
			pend[i].done(pend[i].arg, err, NULL);
}

int nl_flush(void)
{
	static unsigned int answered[BATCH_MSGS];
	uint32_t portid = mnl_socket_get_portid(genl);
	unsigned int left = n_pend;
	int ret = 0;

	if (!n_pend)
		return 0;
	memset(answered, 0, sizeof(answered));
	if (mnl_socket_sendto(genl, batch, batch_len) < 0) {
		ret = -errno;
		fail_pending(answered, ret);
		goto out;
	}
	while (left) {
		ssize_t n = mnl_socket_recvfrom(genl, rx_buf, sizeof(rx_buf));
		const struct nlmsghdr *h = (const struct nlmsghdr *)rx_buf;
		int len = (int)n;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			fail_pending(answered, ret);
			goto out;
		}
		for (; mnl_nlmsg_ok(h, len); h = mnl_nlmsg_next(h, &len)) {
			uint32_t i = h->nlmsg_seq - batch_seq;
			const char *msg;
			int err;

			if (h->nlmsg_pid != portid || i >= n_pend ||
			    h->nlmsg_type != NLMSG_ERROR || answered[i])
				continue;
			err = parse_error(h, &msg);
			answered[i] = 1;
			left--;
			if (pend[i].done)
				pend[i].done(pend[i].arg, err, msg);
		}
	}
out:
	n_pend = 0;
	batch_len = 0;
	return ret;
}

struct nlmsghdr *nl_msg(uint8_t cmd, uint16_t flags)
{
	return put_genl(req_buf, cmd, flags);
}

static void set_err(char *err, size_t errlen, int e, const char *msg)
{
	if (err && errlen)
		snprintf(err, errlen, "%s", msg && *msg ? msg : strerror(-e));
}

/* Send one request and read its replies until the ack or the dump's end. */
static int call(struct mnl_socket *sock, struct nlmsghdr *nlh,
		nl_msg_t cb, void *arg, char *err, size_t errlen)
{
	uint32_t portid = mnl_socket_get_portid(sock);
	bool dump = (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	bool intr = false;

	if (!dump)
		nlh->nlmsg_flags |= NLM_F_ACK;
	nlh->nlmsg_seq = ++seq;
	if (mnl_socket_sendto(sock, nlh, nlh->nlmsg_len) < 0) {
		set_err(err, errlen, -errno, NULL);
		return -errno;
	}
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(sock, rx_buf, sizeof(rx_buf));
		const struct nlmsghdr *h = (const struct nlmsghdr *)rx_buf;
		int len = (int)n, e;
		const char *msg;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			e = -errno;
			set_err(err, errlen, e, NULL);
			return e;
		}
		for (; mnl_nlmsg_ok(h, len); h = mnl_nlmsg_next(h, &len)) {
			if (h->nlmsg_seq != seq || h->nlmsg_pid != portid)
				continue;
			if (h->nlmsg_flags & NLM_F_DUMP_INTR)
				intr = true;
			switch (h->nlmsg_type) {
			case NLMSG_NOOP:
			case NLMSG_OVERRUN:
				break;
			case NLMSG_ERROR:
				e = parse_error(h, &msg);
				if (e)
					set_err(err, errlen, e, msg);
				return e;
			case NLMSG_DONE:
				e = 0;
				if (mnl_nlmsg_get_payload_len(h) >= sizeof(int))
					e = *(const int *)mnl_nlmsg_get_payload(h);
				if (!e && intr)
					e = -EINTR;
				if (e)
					set_err(err, errlen, e, e == -EINTR ?
						"dump interrupted by a concurrent change" : NULL);
				return e;
			default:
				if (cb)
					cb(h, arg);
			}
		}
	}
}

int nl_call(struct nlmsghdr *nlh, nl_msg_t cb, void *arg, char *err,
	    size_t errlen)
{
	return call(genl, nlh, cb, arg, err, errlen);
}

/* What each attribute must look like; anything else is ignored. */
static const uint8_t attr_type[CLINK_A_MAX + 1] = {
	[CLINK_A_IFINDEX] = MNL_TYPE_U32,
	[CLINK_A_IFNAME] = MNL_TYPE_NUL_STRING,
	[CLINK_A_DEV_VERSION] = MNL_TYPE_NUL_STRING,
	[CLINK_A_DEV_LOCAL] = MNL_TYPE_U32,
	[CLINK_A_DEV_PORT] = MNL_TYPE_U16,
	[CLINK_A_DEV_REGION] = MNL_TYPE_NUL_STRING,
	[CLINK_A_DEV_MAC] = MNL_TYPE_BINARY,
	[CLINK_A_DEV_MAX_LINKS_PER_VPC] = MNL_TYPE_U32,
	[CLINK_A_DEV_MAX_VPCS] = MNL_TYPE_U32,
	[CLINK_A_DEV_MAX_INSTANCES] = MNL_TYPE_U32,
	[CLINK_A_DEV_MAX_LINKS] = MNL_TYPE_U32,
	[CLINK_A_DEV_MAX_ENDPOINTS] = MNL_TYPE_U32,
	[CLINK_A_DEV_CLASSIC_SPACE] = MNL_TYPE_NESTED,
	[CLINK_A_DEV_VPC_ELIGIBLE] = MNL_TYPE_NESTED,
	[CLINK_A_DEV_N_VPCS] = MNL_TYPE_U32,
	[CLINK_A_DEV_N_INSTANCES] = MNL_TYPE_U32,
	[CLINK_A_DEV_N_LINKS] = MNL_TYPE_U32,
	[CLINK_A_DEV_N_ENDPOINTS] = MNL_TYPE_U32,
	[CLINK_A_DEV_GENERATION] = MNL_TYPE_U32,
	[CLINK_A_VPC_ID] = MNL_TYPE_NUL_STRING,
	[CLINK_A_VPC_VNI] = MNL_TYPE_U32,
	[CLINK_A_VPC_CIDR] = MNL_TYPE_NESTED,
	[CLINK_A_VPC_SECONDARY] = MNL_TYPE_NESTED,
	[CLINK_A_VPC_REGION] = MNL_TYPE_NUL_STRING,
	[CLINK_A_VPC_ACCOUNT] = MNL_TYPE_NUL_STRING,
	[CLINK_A_VPC_CLASSICLINK] = MNL_TYPE_U8,
	[CLINK_A_VPC_N_LINKS] = MNL_TYPE_U32,
	[CLINK_A_VPC_N_ENDPOINTS] = MNL_TYPE_U32,
	[CLINK_A_VPC_N_ROUTES] = MNL_TYPE_U32,
	[CLINK_A_VPC_N_ACLS] = MNL_TYPE_U32,
	[CLINK_A_EP_ADDR] = MNL_TYPE_U32,
	[CLINK_A_EP_VTEP] = MNL_TYPE_U32,
	[CLINK_A_EP_MAC] = MNL_TYPE_BINARY,
	[CLINK_A_ROUTE_DST] = MNL_TYPE_NESTED,
	[CLINK_A_ROUTE_TYPE] = MNL_TYPE_U8,
	[CLINK_A_ROUTE_NEXTHOP] = MNL_TYPE_U8,
	[CLINK_A_INST_ID] = MNL_TYPE_NUL_STRING,
	[CLINK_A_INST_ADDR] = MNL_TYPE_U32,
	[CLINK_A_INST_REGION] = MNL_TYPE_NUL_STRING,
	[CLINK_A_INST_ACCOUNT] = MNL_TYPE_NUL_STRING,
	[CLINK_A_ACL_PRIO] = MNL_TYPE_U32,
	[CLINK_A_ACL_DIR] = MNL_TYPE_U8,
	[CLINK_A_ACL_ACTION] = MNL_TYPE_U8,
	[CLINK_A_ACL_PROTO] = MNL_TYPE_U8,
	[CLINK_A_ACL_SRC] = MNL_TYPE_NESTED,
	[CLINK_A_ACL_DST] = MNL_TYPE_NESTED,
	[CLINK_A_ACL_SPORT_MIN] = MNL_TYPE_U16,
	[CLINK_A_ACL_SPORT_MAX] = MNL_TYPE_U16,
	[CLINK_A_ACL_DPORT_MIN] = MNL_TYPE_U16,
	[CLINK_A_ACL_DPORT_MAX] = MNL_TYPE_U16,
};

static int clink_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type > CLINK_A_MAX || !attr_type[type])
		return MNL_CB_OK;
	if (attr_type[type] == MNL_TYPE_BINARY ?
	    mnl_attr_get_payload_len(attr) == 6 :
	    mnl_attr_validate(attr, attr_type[type]) == 0)
		tb[type] = attr;
	return MNL_CB_OK;
}

void nl_parse(const struct nlmsghdr *nlh, clink_tb_t tb)
{
	memset(tb, 0, sizeof(clink_tb_t));
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), clink_attr_cb, tb);
}

/* rtnetlink ------------------------------------------------------------ */

struct route_dump {
	int ifindex;
	uint8_t proto;
	nl_route_t cb;
	void *arg;
};

static void route_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	struct route_dump *d = arg;
	uint32_t dst = 0;
	int oif = 0;
	struct nlattr *a;

	if (nlh->nlmsg_type != RTM_NEWROUTE || rtm->rtm_family != AF_INET ||
	    rtm->rtm_protocol != d->proto || rtm->rtm_table != RT_TABLE_MAIN)
		return;
	mnl_attr_for_each(a, nlh, sizeof(*rtm)) {
		if (mnl_attr_get_type(a) == RTA_DST &&
		    mnl_attr_get_payload_len(a) == 4)
			memcpy(&dst, mnl_attr_get_payload(a), 4);
		else if (mnl_attr_get_type(a) == RTA_OIF &&
			 mnl_attr_validate(a, MNL_TYPE_U32) == 0)
			oif = (int)mnl_attr_get_u32(a);
	}
	if (oif == d->ifindex)
		d->cb(dst, rtm->rtm_dst_len, d->arg);
}

int nl_route_dump(int ifindex, uint8_t proto, nl_route_t cb, void *arg)
{
	struct route_dump d = { ifindex, proto, cb, arg };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req_buf);
	struct rtmsg *rtm;

	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	return call(rtnl, nlh, route_cb, &d, NULL, 0);
}

int nl_route_change(bool add, int ifindex, uint8_t proto, uint32_t dst,
		    uint8_t len, char *err, size_t errlen)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req_buf);
	struct rtmsg *rtm;

	nlh->nlmsg_type = add ? RTM_NEWROUTE : RTM_DELROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST |
			   (add ? NLM_F_CREATE | NLM_F_REPLACE : 0);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = len;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = proto;
	rtm->rtm_scope = RT_SCOPE_LINK;
	rtm->rtm_type = RTN_UNICAST;
	mnl_attr_put_u32(nlh, RTA_DST, dst);
	mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)ifindex);
	return call(rtnl, nlh, NULL, NULL, err, errlen);
}
