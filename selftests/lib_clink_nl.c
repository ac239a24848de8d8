// SPDX-License-Identifier: GPL-2.0
/*
 * The libnl-genl-3 client of the clink generic netlink family that the C
 * selftests share (lib_clink_nl.h says what it is for).
 */
#define _GNU_SOURCE
#include "lib_clink_nl.h"

bool cl_parse_pfx(const char *s, uint32_t *addr, unsigned int *len)
{
	char buf[64];
	char *slash;

	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	if (!slash)
		return false;
	*slash = '\0';
	*len = strtoul(slash + 1, NULL, 10);
	return inet_pton(AF_INET, buf, addr) == 1;
}

uint32_t cl_ip(const char *s)
{
	uint32_t a = 0;

	if (inet_pton(AF_INET, s, &a) != 1) {
		fprintf(stderr, "bad address in test: %s\n", s);
		abort();
	}
	return a;
}

static int cl_put_pfx(struct nl_msg *m, int type, const char *s,
		      int extra_type, bool nolen)
{
	struct nlattr *nest;
	unsigned int len;
	uint32_t addr;

	if (!cl_parse_pfx(s, &addr, &len)) {
		fprintf(stderr, "bad prefix in test: %s\n", s);
		abort();
	}
	nest = nla_nest_start(m, type | NLA_F_NESTED);
	if (!nest)
		return -1;
	if (nla_put(m, CLINK_PREFIX_A_ADDR, 4, &addr))
		return -1;
	if (!nolen && nla_put_u8(m, CLINK_PREFIX_A_LEN, len))
		return -1;
	if (extra_type && nla_put_u8(m, extra_type, 0))
		return -1;
	return nla_nest_end(m, nest);
}

static int cl_put_pfx_list(struct nl_msg *m, int type, const char *list)
{
	char buf[1024], *tok, *save = NULL;
	struct nlattr *nest;

	nest = nla_nest_start(m, type | NLA_F_NESTED);
	if (!nest)
		return -1;
	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		if (cl_put_pfx(m, CLINK_A_PREFIX_ENTRY, tok, 0, false))
			return -1;
	return nla_nest_end_keep_empty(m, nest);
}

int cl_put_attrs(struct nl_msg *m, const struct cl_attr *a)
{
	uint8_t mac[6];
	uint32_t addr;
	int r = 0;

	for (; a && a->kind != CA_END; a++) {
		switch (a->kind) {
		case CA_STR:
			r = nla_put_string(m, a->type, a->s);
			break;
		case CA_U8:
			r = nla_put_u8(m, a->type, a->v);
			break;
		case CA_U16:
			r = nla_put_u16(m, a->type, a->v);
			break;
		case CA_U32:
			r = nla_put_u32(m, a->type, a->v);
			break;
		case CA_U64:
			r = nla_put_u64(m, a->type, a->v);
			break;
		case CA_ADDR:
			addr = cl_ip(a->s);
			r = nla_put(m, a->type, 4, &addr);
			break;
		case CA_PFX:
			r = cl_put_pfx(m, a->type, a->s, 0, false);
			break;
		case CA_PFX_EXTRA:
			r = cl_put_pfx(m, a->type, a->s, a->v, false);
			break;
		case CA_PFX_NOLEN:
			r = cl_put_pfx(m, a->type, a->s, 0, true);
			break;
		case CA_PFXL:
			r = cl_put_pfx_list(m, a->type, a->s);
			break;
		case CA_MAC:
			if (sscanf(a->s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0],
				   &mac[1], &mac[2], &mac[3], &mac[4], &mac[5]) != 6)
				abort();
			r = nla_put(m, a->type, 6, mac);
			break;
		case CA_RAW:
			r = nla_put(m, a->type, a->len, a->p);
			break;
		case CA_FLAG:
			r = a->v ? nla_put_flag(m, a->type) : 0;
			break;
		default:
			abort();
		}
		if (r)
			return r;
	}
	return 0;
}

static void cl_reset(struct clink *c)
{
	c->err = 0;
	c->ext[0] = '\0';
	c->has_off = 0;
	c->off = 0;
	c->bad_type = -1;
	c->miss_type = -1;
	c->intr = 0;
	c->nmsgs = 0;
	c->ndone = 0;
}

static void cl_parse_tlvs(struct clink *c, void *tlv, int len)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];

	if (len <= 0 || nla_parse(tb, NLMSGERR_ATTR_MAX, tlv, len, NULL))
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(c->ext, sizeof(c->ext), "%.*s",
			 nla_len(tb[NLMSGERR_ATTR_MSG]),
			 (char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
	if (tb[NLMSGERR_ATTR_OFFS]) {
		c->has_off = 1;
		c->off = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
		if (c->off + sizeof(struct nlattr) <= (uint32_t)c->last_len) {
			struct nlattr *a = (void *)(c->last_req + c->off);

			c->bad_type = a->nla_type & NLA_TYPE_MASK;
		}
	}
	if (tb[NLMSGERR_ATTR_MISS_TYPE])
		c->miss_type = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
}

static int cl_cb_err(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct cl_rx *rx = arg;
	struct clink *c = rx->c;
	struct nlmsghdr *h = (void *)((char *)e - NLMSG_HDRLEN);
	size_t payload = sizeof(*e);
	char *tlv;

	(void)nla;
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		payload += e->msg.nlmsg_len - NLMSG_HDRLEN;
	tlv = (char *)e + NLMSG_ALIGN(payload);
	if (h->nlmsg_flags & NLM_F_ACK_TLVS)
		cl_parse_tlvs(c, tlv, (char *)h + h->nlmsg_len - tlv);
	c->err = e->error;
	if (rx->acks_wanted) {
		rx->acks++;
		if (e->error) {
			if (!rx->nfail++) {
				rx->first_err = e->error;
				snprintf(rx->first_ext, sizeof(rx->first_ext), "%s", c->ext);
			}
		}
		if (rx->acks >= rx->acks_wanted)
			rx->done = 1;
		return NL_SKIP;
	}
	rx->done = 1;
	return NL_STOP;
}

static int cl_cb_ack(struct nl_msg *msg, void *arg)
{
	struct cl_rx *rx = arg;
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct nlmsgerr *e = nlmsg_data(h);

	/* warnings may ride on a successful ack too */
	if (h->nlmsg_flags & NLM_F_ACK_TLVS) {
		char *tlv = (char *)e + NLMSG_ALIGN(sizeof(*e));

		cl_parse_tlvs(rx->c, tlv, (char *)h + h->nlmsg_len - tlv);
	}
	if (rx->acks_wanted) {
		if (++rx->acks >= rx->acks_wanted)
			rx->done = 1;
		return NL_OK;
	}
	rx->done = 1;
	return NL_STOP;
}

static int cl_cb_finish(struct nl_msg *msg, void *arg)
{
	struct cl_rx *rx = arg;
	struct nlmsghdr *h = nlmsg_hdr(msg);

	rx->c->ndone++;
	if (h->nlmsg_flags & NLM_F_DUMP_INTR)
		rx->c->intr = 1;
	if (nlmsg_datalen(h) >= (int)sizeof(int)) {
		int e = *(int *)nlmsg_data(h);

		if (e < 0)
			rx->c->err = e;
		if (h->nlmsg_flags & NLM_F_ACK_TLVS) {
			char *tlv = (char *)nlmsg_data(h) + NLMSG_ALIGN(sizeof(int));

			cl_parse_tlvs(rx->c, tlv, (char *)h + h->nlmsg_len - tlv);
		}
	}
	rx->done = 1;
	return NL_STOP;
}

static int cl_cb_intr(struct nl_msg *msg, void *arg)
{
	struct cl_rx *rx = arg;

	(void)msg;
	rx->c->intr = 1;
	return NL_OK;
}

static int cl_cb_valid(struct nl_msg *msg, void *arg)
{
	struct cl_rx *rx = arg;
	int r = NL_OK;

	if (nlmsg_hdr(msg)->nlmsg_flags & NLM_F_DUMP_INTR)
		rx->c->intr = 1;
	rx->c->nmsgs++;
	if (rx->fn)
		r = rx->fn(msg, rx->arg);
	if (rx->on_dump_msg)
		rx->on_dump_msg(rx);
	return r;
}

static int cl_cb_noop(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

int cl_write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	if (n < 0)
		n = -errno;
	close(fd);
	return n < 0 ? (int)n : n == (ssize_t)strlen(s) ? 0 : -EIO;
}

double cl_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Reads replies until the request (or batch) is answered. */
static int cl_receive(struct clink *c, struct cl_rx *rx)
{
	double deadline = cl_now() + 120;
	struct nl_cb *cb;
	int r;

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, cl_cb_valid, rx);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, cl_cb_ack, rx);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, cl_cb_finish, rx);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, cl_cb_intr, rx);
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, cl_cb_noop, NULL);
	nl_cb_err(cb, NL_CB_CUSTOM, cl_cb_err, rx);
	while (!rx->done) {
		r = nl_recvmsgs(c->sk, cb);
		if (rx->done)
			break;
		if (r < 0 && r != -NLE_AGAIN) {
			fprintf(stderr, "clink: receiving failed: %s\n", nl_geterror(r));
			c->err = -EIO;
			break;
		}
		if (cl_now() > deadline) {
			fprintf(stderr, "clink: no answer from the kernel\n");
			c->err = -ETIMEDOUT;
			break;
		}
	}
	nl_cb_put(cb);
	return c->err;
}

struct nl_msg *cl_msg(struct clink *c, int cmd, int flags)
{
	struct nl_msg *m = nlmsg_alloc_size(8192);

	if (!m)
		abort();
	if (!genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, c->family, 0, flags, cmd,
			 CLINK_GENL_VERSION))
		abort();
	if (c->sel == CL_SEL_IFINDEX)
		nla_put_u32(m, CLINK_A_IFINDEX, c->ifindex);
	else if (c->sel == CL_SEL_IFNAME)
		nla_put_string(m, CLINK_A_IFNAME, c->ifname);
	return m;
}

/* Sends @m (consumed) and waits for the answer; returns 0 or -errno. */
int cl_exec(struct clink *c, struct nl_msg *m,
	    int (*fn)(struct nl_msg *, void *), void *arg,
	    int (*on_dump_msg)(struct cl_rx *), void *dump_arg)
{
	struct cl_rx rx = { .c = c, .fn = fn, .arg = arg,
			    .on_dump_msg = on_dump_msg, .dump_arg = dump_arg };
	int r;

	cl_reset(c);
	nl_complete_msg(c->sk, m);
	c->last_len = nlmsg_hdr(m)->nlmsg_len;
	if (c->last_len > (int)sizeof(c->last_req))
		c->last_len = sizeof(c->last_req);
	memcpy(c->last_req, nlmsg_hdr(m), c->last_len);
	r = nl_send(c->sk, m);
	nlmsg_free(m);
	if (r < 0) {
		fprintf(stderr, "clink: send failed: %s\n", nl_geterror(r));
		return c->err = -EIO;
	}
	return cl_receive(c, &rx);
}

int cl_req(struct clink *c, int cmd, int flags,
	   const struct cl_attr *attrs)
{
	struct nl_msg *m = cl_msg(c, cmd, flags);

	if (cl_put_attrs(m, attrs))
		abort();
	return cl_exec(c, m, NULL, NULL, NULL, NULL);
}

/* A do request whose reply is handed to @fn. */
int cl_get(struct clink *c, int cmd, const struct cl_attr *attrs,
	   int (*fn)(struct nl_msg *, void *), void *arg)
{
	struct nl_msg *m = cl_msg(c, cmd, 0);

	if (cl_put_attrs(m, attrs))
		abort();
	return cl_exec(c, m, fn, arg, NULL, NULL);
}

int cl_dump(struct clink *c, int cmd,
	    int (*fn)(struct nl_msg *, void *), void *arg,
	    const struct cl_attr *attrs)
{
	struct nl_msg *m = cl_msg(c, cmd, NLM_F_DUMP);

	if (cl_put_attrs(m, attrs))
		abort();
	return cl_exec(c, m, fn, arg, NULL, NULL);
}

/*
 * Case-insensitive keyword match on the extack message: ',' separates
 * words that must all appear, '|' alternatives for one word.
 * "classic,overlap|conflict" = contains "classic" and one of the others.
 */
bool cl_ext_match(const char *ext, const char *spec)
{
	char buf[256], *word, *save = NULL;

	if (!ext || !ext[0])
		return false;
	snprintf(buf, sizeof(buf), "%s", spec);
	for (word = strtok_r(buf, ",", &save); word; word = strtok_r(NULL, ",", &save)) {
		char *alt, *save2 = NULL;
		bool any = false;

		for (alt = strtok_r(word, "|", &save2); alt; alt = strtok_r(NULL, "|", &save2))
			if (strcasestr(ext, alt))
				any = true;
		if (!any)
			return false;
	}
	return true;
}

void cl_batch_init(struct cl_batch *b, struct clink *c)
{
	b->c = c;
	b->len = 0;
	b->n = 0;
	b->total = 0;
	b->nfail = 0;
	b->first_err = 0;
	b->first_ext[0] = '\0';
}

int cl_batch_flush(struct cl_batch *b)
{
	struct cl_rx rx = { .c = b->c };
	int r;

	if (!b->n)
		return 0;
	rx.acks_wanted = b->n;
	cl_reset(b->c);
	r = nl_sendto(b->c->sk, b->buf, b->len);
	if (r < 0) {
		fprintf(stderr, "clink: batch send failed: %s\n", nl_geterror(r));
		b->nfail += b->n;
		if (!b->first_err)
			b->first_err = -EIO;
		b->len = 0;
		b->n = 0;
		return -EIO;
	}
	cl_receive(b->c, &rx);
	if (rx.acks < rx.acks_wanted) {
		rx.nfail += rx.acks_wanted - rx.acks;
		if (!rx.first_err)
			rx.first_err = b->c->err ? b->c->err : -EIO;
	}
	if (rx.nfail && !b->nfail) {
		b->first_err = rx.first_err;
		snprintf(b->first_ext, sizeof(b->first_ext), "%s", rx.first_ext);
	}
	b->nfail += rx.nfail;
	b->len = 0;
	b->n = 0;
	return rx.nfail ? rx.first_err : 0;
}

void cl_batch_add(struct cl_batch *b, int cmd, int flags,
		  const struct cl_attr *attrs)
{
	struct nl_msg *m = cl_msg(b->c, cmd, flags);
	struct nlmsghdr *h;

	if (cl_put_attrs(m, attrs))
		abort();
	nl_complete_msg(b->c->sk, m);
	h = nlmsg_hdr(m);
	if (b->len + NLMSG_ALIGN(h->nlmsg_len) > sizeof(b->buf) || b->n >= 64)
		cl_batch_flush(b);
	memcpy(b->buf + b->len, h, h->nlmsg_len);
	b->len += NLMSG_ALIGN(h->nlmsg_len);
	b->n++;
	b->total++;
	nlmsg_free(m);
}

static int cl_sock_setup(struct nl_sock *sk)
{
	int one = 1, fd = nl_socket_get_fd(sk);
	int big = 8 << 20;

	if (setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)))
		return -errno;
	/* root may exceed rmem_max; batches get one ack per request */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	nl_socket_enable_msg_peek(sk);
	nl_socket_set_msg_buf_size(sk, 65536);
	nl_socket_disable_seq_check(sk);
	return 0;
}

/* Opens a generic netlink socket in the current netns and resolves clink. */
int cl_open(struct clink *c)
{
	int r;

	c->sk = nl_socket_alloc();
	if (!c->sk)
		return -ENOMEM;
	r = genl_connect(c->sk);
	if (r < 0)
		return -EIO;
	r = cl_sock_setup(c->sk);
	if (r < 0)
		return r;
	c->family = genl_ctrl_resolve(c->sk, CLINK_GENL_NAME);
	if (c->family < 0)
		return -ENOENT;
	c->sel = CL_SEL_IFINDEX;
	return 0;
}

void cl_close(struct clink *c)
{
	if (c->sk)
		nl_socket_free(c->sk);
	c->sk = NULL;
}

/* A second handle on the same device through a new socket. */
int cl_clone(struct clink *dst, const struct clink *src)
{
	int r;

	memset(dst, 0, sizeof(*dst));
	r = cl_open(dst);
	dst->ifindex = src->ifindex;
	snprintf(dst->ifname, sizeof(dst->ifname), "%s", src->ifname);
	return r;
}

/* @info: IFLA_CLINK_* attributes for IFLA_INFO_DATA, may be NULL. */
int cl_rtnl_newlink(struct clink *c, const char *name,
		    const struct cl_attr *info, char *ext, size_t extsz)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct clink rt = { 0 };
	struct nlattr *li, *data;
	struct nl_msg *m;
	int r;

	rt.sk = nl_socket_alloc();
	if (!rt.sk)
		return -ENOMEM;
	if (nl_connect(rt.sk, NETLINK_ROUTE) < 0) {
		nl_socket_free(rt.sk);
		return -EIO;
	}
	cl_sock_setup(rt.sk);
	m = nlmsg_alloc_simple(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	if (!m || nlmsg_append(m, &ifi, sizeof(ifi), NLMSG_ALIGNTO))
		abort();
	nla_put_string(m, IFLA_IFNAME, name);
	li = nla_nest_start(m, IFLA_LINKINFO | NLA_F_NESTED);
	nla_put_string(m, IFLA_INFO_KIND, "clink");
	if (info && info->kind != CA_END) {
		data = nla_nest_start(m, IFLA_INFO_DATA | NLA_F_NESTED);
		if (cl_put_attrs(m, info))
			abort();
		nla_nest_end(m, data);
	}
	nla_nest_end(m, li);
	r = cl_exec(&rt, m, NULL, NULL, NULL, NULL);
	if (ext)
		snprintf(ext, extsz, "%s", rt.ext);
	nl_socket_free(rt.sk);
	if (c && !r) {
		c->ifindex = if_nametoindex(name);
		snprintf(c->ifname, sizeof(c->ifname), "%s", name);
	}
	return r;
}

static int cl_rtnl_simple(int type, int flags, const char *name,
			  unsigned int ifflags, unsigned int change)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct clink rt = { 0 };
	struct nl_msg *m;
	int r;

	ifi.ifi_index = if_nametoindex(name);
	if (!ifi.ifi_index)
		return -ENODEV;
	ifi.ifi_flags = ifflags;
	ifi.ifi_change = change;
	rt.sk = nl_socket_alloc();
	if (!rt.sk)
		return -ENOMEM;
	if (nl_connect(rt.sk, NETLINK_ROUTE) < 0) {
		nl_socket_free(rt.sk);
		return -EIO;
	}
	cl_sock_setup(rt.sk);
	m = nlmsg_alloc_simple(type, flags);
	if (!m || nlmsg_append(m, &ifi, sizeof(ifi), NLMSG_ALIGNTO))
		abort();
	r = cl_exec(&rt, m, NULL, NULL, NULL, NULL);
	nl_socket_free(rt.sk);
	return r;
}

int cl_link_del(const char *name)
{
	return cl_rtnl_simple(RTM_DELLINK, 0, name, 0, 0);
}

int cl_link_set_up(const char *name, bool up)
{
	return cl_rtnl_simple(RTM_NEWLINK, 0, name, up ? IFF_UP : 0, IFF_UP);
}

/* unshare a fresh netns, create clink0 in it and open the genl socket. */
int cl_setup_netns_dev(struct clink *c, char *why, size_t whysz)
{
	char ext[256] = "";
	int r;

	memset(c, 0, sizeof(*c));
	if (unshare(CLONE_NEWNET)) {
		snprintf(why, whysz, "unshare(CLONE_NEWNET): %s", strerror(errno));
		return -errno;
	}
	r = cl_rtnl_newlink(c, CL_DEVNAME, NULL, ext, sizeof(ext));
	if (r) {
		snprintf(why, whysz, "ip link add %s type clink: %s (%s)",
			 CL_DEVNAME, strerror(-r), ext);
		return r;
	}
	r = cl_open(c);
	if (r) {
		snprintf(why, whysz, "generic netlink family \"%s\": %s",
			 CLINK_GENL_NAME, strerror(-r));
		return r;
	}
	return 0;
}

void cl_get_pfx(struct nlattr *nest, struct cl_pfx *p)
{
	struct nlattr *tb[CLINK_PREFIX_A_MAX + 1];

	memset(p, 0, sizeof(*p));
	p->len = 255;
	if (!nest || nla_parse_nested(tb, CLINK_PREFIX_A_MAX, nest, NULL))
		return;
	if (tb[CLINK_PREFIX_A_ADDR] && nla_len(tb[CLINK_PREFIX_A_ADDR]) == 4)
		memcpy(&p->addr, nla_data(tb[CLINK_PREFIX_A_ADDR]), 4);
	if (tb[CLINK_PREFIX_A_LEN])
		p->len = nla_get_u8(tb[CLINK_PREFIX_A_LEN]);
}

int cl_get_pfx_list(struct nlattr *nest, struct cl_pfx *out, int max)
{
	struct nlattr *pos;
	int rem, n = 0;

	if (!nest)
		return -1;
	nla_for_each_nested(pos, nest, rem) {
		if (nla_type(pos) != CLINK_A_PREFIX_ENTRY)
			continue;
		if (n < max)
			cl_get_pfx(pos, &out[n]);
		n++;
	}
	return n;
}

bool cl_pfx_eq(const struct cl_pfx *p, const char *s)
{
	unsigned int len;
	uint32_t addr;

	if (!cl_parse_pfx(s, &addr, &len))
		abort();
	return p->addr == addr && p->len == len;
}

void cl_str(struct nlattr *a, char *dst, size_t sz)
{
	dst[0] = '\0';
	if (a)
		snprintf(dst, sz, "%.*s", nla_len(a), (char *)nla_data(a));
	/* nla_len counts the NUL; %.*s stops at it */
}

uint32_t cl_u32(struct nlattr *a, uint32_t dflt)
{
	return a && nla_len(a) >= 4 ? nla_get_u32(a) : dflt;
}

uint8_t cl_u8(struct nlattr *a, uint8_t dflt)
{
	return a && nla_len(a) >= 1 ? nla_get_u8(a) : dflt;
}

uint32_t cl_addr(struct nlattr *a)
{
	uint32_t v = 0xffffffff;

	if (a && nla_len(a) == 4)
		memcpy(&v, nla_data(a), 4);
	return v;
}

int cl_parse(struct nl_msg *msg, struct nlattr **tb)
{
	return genlmsg_parse(nlmsg_hdr(msg), 0, tb, CLINK_A_MAX, NULL);
}

int cl_parse_dev(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[CLINK_A_MAX + 1];
	struct cl_dev_info *d = arg;

	if (cl_parse(msg, tb))
		return NL_SKIP;
	memset(d, 0, sizeof(*d));
	d->got = 1;
	d->ifindex = cl_u32(tb[CLINK_A_IFINDEX], 0);
	cl_str(tb[CLINK_A_IFNAME], d->ifname, sizeof(d->ifname));
	d->has_version = !!tb[CLINK_A_DEV_VERSION];
	cl_str(tb[CLINK_A_DEV_VERSION], d->version, sizeof(d->version));
	d->has_local = tb[CLINK_A_DEV_LOCAL] && nla_len(tb[CLINK_A_DEV_LOCAL]) == 4;
	d->local = cl_addr(tb[CLINK_A_DEV_LOCAL]);
	d->port = tb[CLINK_A_DEV_PORT] ? nla_get_u16(tb[CLINK_A_DEV_PORT]) : CL_NONE;
	d->has_region = !!tb[CLINK_A_DEV_REGION];
	cl_str(tb[CLINK_A_DEV_REGION], d->region, sizeof(d->region));
	if (tb[CLINK_A_DEV_MAC]) {
		d->mac_len = nla_len(tb[CLINK_A_DEV_MAC]);
		if (d->mac_len == 6)
			memcpy(d->mac, nla_data(tb[CLINK_A_DEV_MAC]), 6);
	}
	d->max_lpv = cl_u32(tb[CLINK_A_DEV_MAX_LINKS_PER_VPC], CL_NONE);
	d->max_vpcs = cl_u32(tb[CLINK_A_DEV_MAX_VPCS], CL_NONE);
	d->max_insts = cl_u32(tb[CLINK_A_DEV_MAX_INSTANCES], CL_NONE);
	d->max_links = cl_u32(tb[CLINK_A_DEV_MAX_LINKS], CL_NONE);
	d->max_eps = cl_u32(tb[CLINK_A_DEV_MAX_ENDPOINTS], CL_NONE);
	d->n_classic = cl_get_pfx_list(tb[CLINK_A_DEV_CLASSIC_SPACE], d->classic,
				       CLINK_MAX_PREFIXES);
	d->n_elig = cl_get_pfx_list(tb[CLINK_A_DEV_VPC_ELIGIBLE], d->elig,
				    CLINK_MAX_PREFIXES);
	d->n_vpcs = cl_u32(tb[CLINK_A_DEV_N_VPCS], CL_NONE);
	d->n_insts = cl_u32(tb[CLINK_A_DEV_N_INSTANCES], CL_NONE);
	d->n_links = cl_u32(tb[CLINK_A_DEV_N_LINKS], CL_NONE);
	d->n_eps = cl_u32(tb[CLINK_A_DEV_N_ENDPOINTS], CL_NONE);
	d->generation = cl_u32(tb[CLINK_A_DEV_GENERATION], CL_NONE);
	d->profile = tb[CLINK_A_DEV_PROFILE] ? nla_get_u8(tb[CLINK_A_DEV_PROFILE]) : -1;
	d->has_stats = !!tb[CLINK_A_STATS];
	d->has_drops = !!tb[CLINK_A_DROPS];
	return NL_OK;
}

int cl_get_dev(struct clink *c, struct cl_dev_info *d)
{
	int r;

	memset(d, 0, sizeof(*d));
	r = cl_get(c, CLINK_CMD_GET_DEV, NULL, cl_parse_dev, d);
	if (!r && !d->got)
		r = -ENODATA;
	return r;
}

int cl_parse_vpc(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[CLINK_A_MAX + 1];
	struct cl_vpc_info *v = arg;

	if (cl_parse(msg, tb))
		return NL_SKIP;
	memset(v, 0, sizeof(*v));
	v->got = 1;
	cl_str(tb[CLINK_A_VPC_ID], v->id, sizeof(v->id));
	v->vni = cl_u32(tb[CLINK_A_VPC_VNI], CL_NONE);
	cl_get_pfx(tb[CLINK_A_VPC_CIDR], &v->cidr);
	v->n_sec = tb[CLINK_A_VPC_SECONDARY] ?
		cl_get_pfx_list(tb[CLINK_A_VPC_SECONDARY], v->sec, CLINK_MAX_PREFIXES) : 0;
	v->has_region = !!tb[CLINK_A_VPC_REGION];
	v->has_account = !!tb[CLINK_A_VPC_ACCOUNT];
	cl_str(tb[CLINK_A_VPC_REGION], v->region, sizeof(v->region));
	cl_str(tb[CLINK_A_VPC_ACCOUNT], v->account, sizeof(v->account));
	v->classiclink = tb[CLINK_A_VPC_CLASSICLINK] ?
		nla_get_u8(tb[CLINK_A_VPC_CLASSICLINK]) : -1;
	v->max_links = tb[CLINK_A_VPC_MAX_LINKS] ?
		(int64_t)nla_get_u32(tb[CLINK_A_VPC_MAX_LINKS]) : -1;
	cl_get_pfx(tb[CLINK_A_VPC_REACH], &v->reach);
	v->dscp = tb[CLINK_A_VPC_DSCP] ? cl_u8(tb[CLINK_A_VPC_DSCP], 0) : -1;
	v->n_links = cl_u32(tb[CLINK_A_VPC_N_LINKS], CL_NONE);
	v->n_eps = cl_u32(tb[CLINK_A_VPC_N_ENDPOINTS], CL_NONE);
	v->n_routes = cl_u32(tb[CLINK_A_VPC_N_ROUTES], CL_NONE);
	v->n_acls = cl_u32(tb[CLINK_A_VPC_N_ACLS], CL_NONE);
	v->has_stats = !!tb[CLINK_A_STATS];
	return NL_OK;
}

int cl_get_vpc(struct clink *c, const char *id, struct cl_vpc_info *v)
{
	int r;

	memset(v, 0, sizeof(*v));
	r = cl_get(c, CLINK_CMD_GET_VPC,
		   (const struct cl_attr[]){ AS(CLINK_A_VPC_ID, id), AEND },
		   cl_parse_vpc, v);
	if (!r && !v->got)
		r = -ENODATA;
	return r;
}

int cl_parse_inst(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[CLINK_A_MAX + 1];
	struct cl_inst_info *i = arg;

	if (cl_parse(msg, tb))
		return NL_SKIP;
	memset(i, 0, sizeof(*i));
	i->got = 1;
	cl_str(tb[CLINK_A_INST_ID], i->id, sizeof(i->id));
	i->addr = cl_addr(tb[CLINK_A_INST_ADDR]);
	cl_str(tb[CLINK_A_INST_REGION], i->region, sizeof(i->region));
	cl_str(tb[CLINK_A_INST_ACCOUNT], i->account, sizeof(i->account));
	i->linked = !!tb[CLINK_A_VPC_ID];
	cl_str(tb[CLINK_A_VPC_ID], i->vpc, sizeof(i->vpc));
	return NL_OK;
}

int cl_get_inst(struct clink *c, const char *id, struct cl_inst_info *i)
{
	int r;

	memset(i, 0, sizeof(*i));
	r = cl_get(c, CLINK_CMD_GET_INSTANCE,
		   (const struct cl_attr[]){ AS(CLINK_A_INST_ID, id), AEND },
		   cl_parse_inst, i);
	if (!r && !i->got)
		r = -ENODATA;
	return r;
}

void *cl_vec_push(struct cl_vec *vec)
{
	if (vec->n == vec->cap) {
		vec->cap = vec->cap ? vec->cap * 2 : 64;
		vec->v = realloc(vec->v, vec->cap * vec->elsz);
		if (!vec->v)
			abort();
	}
	memset((char *)vec->v + vec->n * vec->elsz, 0, vec->elsz);
	return (char *)vec->v + vec->n++ * vec->elsz;
}

void cl_vec_free(struct cl_vec *vec)
{
	free(vec->v);
	vec->v = NULL;
	vec->n = vec->cap = 0;
}

int cl_parse_route(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[CLINK_A_MAX + 1];
	struct cl_route *rt;

	if (cl_parse(msg, tb))
		return NL_SKIP;
	rt = cl_vec_push(arg);
	cl_str(tb[CLINK_A_VPC_ID], rt->vpc, sizeof(rt->vpc));
	cl_get_pfx(tb[CLINK_A_ROUTE_DST], &rt->dst);
	rt->type = tb[CLINK_A_ROUTE_TYPE] ? nla_get_u8(tb[CLINK_A_ROUTE_TYPE]) : -1;
	rt->nexthop = tb[CLINK_A_ROUTE_NEXTHOP] ?
		nla_get_u8(tb[CLINK_A_ROUTE_NEXTHOP]) : -1;
	rt->has_inst = !!tb[CLINK_A_INST_ID];
	cl_str(tb[CLINK_A_INST_ID], rt->inst, sizeof(rt->inst));
	return NL_OK;
}

int cl_routes(struct clink *c, const char *vpc, struct cl_vec *out)
{
	cl_vec_free(out);
	out->elsz = sizeof(struct cl_route);
	return CLDUMP(c, CLINK_CMD_GET_ROUTE, cl_parse_route, out,
		      AS(CLINK_A_VPC_ID, vpc));
}

/* The route to @dst in @routes, or NULL. */
struct cl_route *cl_route_find(struct cl_vec *routes, const char *dst)
{
	size_t i;

	for (i = 0; i < routes->n; i++) {
		struct cl_route *rt = CL_AT(routes, struct cl_route, i);

		if (cl_pfx_eq(&rt->dst, dst))
			return rt;
	}
	return NULL;
}

int cl_parse_link(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[CLINK_A_MAX + 1];
	struct cl_link *l;

	if (cl_parse(msg, tb))
		return NL_SKIP;
	l = cl_vec_push(arg);
	cl_str(tb[CLINK_A_INST_ID], l->inst, sizeof(l->inst));
	l->addr = cl_addr(tb[CLINK_A_INST_ADDR]);
	cl_str(tb[CLINK_A_VPC_ID], l->vpc, sizeof(l->vpc));
	l->dscp = tb[CLINK_A_LINK_DSCP] ? cl_u8(tb[CLINK_A_LINK_DSCP], 0) : -1;
	l->has_stats = !!tb[CLINK_A_STATS];
	return NL_OK;
}

int cl_links(struct clink *c, const struct cl_attr *filter,
	     struct cl_vec *out)
{
	cl_vec_free(out);
	out->elsz = sizeof(struct cl_link);
	return cl_dump(c, CLINK_CMD_GET_LINK, cl_parse_link, out, filter);
}

int cl_parse_ep(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[CLINK_A_MAX + 1];
	struct cl_ep *e;

	if (cl_parse(msg, tb))
		return NL_SKIP;
	e = cl_vec_push(arg);
	cl_str(tb[CLINK_A_VPC_ID], e->vpc, sizeof(e->vpc));
	e->addr = cl_addr(tb[CLINK_A_EP_ADDR]);
	e->vtep = cl_addr(tb[CLINK_A_EP_VTEP]);
	if (tb[CLINK_A_EP_MAC]) {
		e->mac_len = nla_len(tb[CLINK_A_EP_MAC]);
		if (e->mac_len == 6)
			memcpy(e->mac, nla_data(tb[CLINK_A_EP_MAC]), 6);
	}
	return NL_OK;
}

int cl_endpoints(struct clink *c, const struct cl_attr *filter,
		 struct cl_vec *out)
{
	cl_vec_free(out);
	out->elsz = sizeof(struct cl_ep);
	return cl_dump(c, CLINK_CMD_GET_ENDPOINT, cl_parse_ep, out, filter);
}

static int cl_u16_or(struct nlattr *a, int dflt)
{
	return a ? nla_get_u16(a) : dflt;
}

int cl_parse_acl(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[CLINK_A_MAX + 1];
	struct cl_acl *a;

	if (cl_parse(msg, tb))
		return NL_SKIP;
	a = cl_vec_push(arg);
	cl_str(tb[CLINK_A_VPC_ID], a->vpc, sizeof(a->vpc));
	a->prio = cl_u32(tb[CLINK_A_ACL_PRIO], CL_NONE);
	a->dir = tb[CLINK_A_ACL_DIR] ? nla_get_u8(tb[CLINK_A_ACL_DIR]) : -1;
	a->action = tb[CLINK_A_ACL_ACTION] ? nla_get_u8(tb[CLINK_A_ACL_ACTION]) : -1;
	a->proto = tb[CLINK_A_ACL_PROTO] ? nla_get_u8(tb[CLINK_A_ACL_PROTO]) : -1;
	cl_get_pfx(tb[CLINK_A_ACL_SRC], &a->src);
	cl_get_pfx(tb[CLINK_A_ACL_DST], &a->dst);
	a->sport_min = cl_u16_or(tb[CLINK_A_ACL_SPORT_MIN], -1);
	a->sport_max = cl_u16_or(tb[CLINK_A_ACL_SPORT_MAX], -1);
	a->dport_min = cl_u16_or(tb[CLINK_A_ACL_DPORT_MIN], -1);
	a->dport_max = cl_u16_or(tb[CLINK_A_ACL_DPORT_MAX], -1);
	a->has_hits = !!tb[CLINK_A_ACL_HITS];
	if (a->has_hits)
		a->hits = nla_get_u64(tb[CLINK_A_ACL_HITS]);
	return NL_OK;
}

int cl_acls(struct clink *c, const char *vpc, struct cl_vec *out)
{
	cl_vec_free(out);
	out->elsz = sizeof(struct cl_acl);
	return CLDUMP(c, CLINK_CMD_GET_ACL, cl_parse_acl, out, AS(CLINK_A_VPC_ID, vpc));
}

int cl_vpc_new(struct clink *c, const char *id, uint32_t vni,
	       const char *cidr)
{
	return CLREQ(c, CLINK_CMD_NEW_VPC, 0, AS(CLINK_A_VPC_ID, id),
		     AU32(CLINK_A_VPC_VNI, vni), APFX(CLINK_A_VPC_CIDR, cidr));
}

int cl_vpc_classiclink(struct clink *c, const char *id, int on)
{
	return CLREQ(c, CLINK_CMD_SET_VPC, 0, AS(CLINK_A_VPC_ID, id),
		     AU8(CLINK_A_VPC_CLASSICLINK, on));
}

int cl_vpc_del(struct clink *c, const char *id)
{
	return CLREQ(c, CLINK_CMD_DEL_VPC, 0, AS(CLINK_A_VPC_ID, id));
}

int cl_inst_new(struct clink *c, const char *id, const char *addr)
{
	return CLREQ(c, CLINK_CMD_NEW_INSTANCE, 0, AS(CLINK_A_INST_ID, id),
		     AADDR(CLINK_A_INST_ADDR, addr));
}

int cl_link(struct clink *c, const char *inst, const char *vpc)
{
	return CLREQ(c, CLINK_CMD_NEW_LINK, 0, AS(CLINK_A_INST_ID, inst),
		     AS(CLINK_A_VPC_ID, vpc));
}

int cl_unlink(struct clink *c, const char *inst)
{
	return CLREQ(c, CLINK_CMD_DEL_LINK, 0, AS(CLINK_A_INST_ID, inst));
}

int cl_route_new(struct clink *c, const char *vpc, const char *dst,
		 int nexthop)
{
	return CLREQ(c, CLINK_CMD_NEW_ROUTE, 0, AS(CLINK_A_VPC_ID, vpc),
		     APFX(CLINK_A_ROUTE_DST, dst), AU8(CLINK_A_ROUTE_NEXTHOP, nexthop));
}

int cl_ep_new(struct clink *c, const char *vpc, const char *addr,
	      const char *vtep, const char *mac)
{
	return CLREQ(c, CLINK_CMD_NEW_ENDPOINT, 0, AS(CLINK_A_VPC_ID, vpc),
		     AADDR(CLINK_A_EP_ADDR, addr), AADDR(CLINK_A_EP_VTEP, vtep),
		     AMAC(CLINK_A_EP_MAC, mac));
}

/* A VPC with ClassicLink enabled, in 172.16.0.0/12 by default. */
int cl_vpc_cl(struct clink *c, const char *id, uint32_t vni,
	      const char *cidr)
{
	int r = cl_vpc_new(c, id, vni, cidr);

	return r ? r : cl_vpc_classiclink(c, id, 1);
}

static int cl_parse_event(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *g = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *tb[CLINK_A_MAX + 1];
	struct cl_event *e;

	if (cl_parse(msg, tb))
		return NL_SKIP;
	e = cl_vec_push(arg);
	e->cmd = g->cmd;
	e->reason = tb[CLINK_A_EVENT_REASON] ? nla_get_u8(tb[CLINK_A_EVENT_REASON]) : -1;
	e->ifindex = cl_u32(tb[CLINK_A_IFINDEX], 0);
	cl_str(tb[CLINK_A_IFNAME], e->ifname, sizeof(e->ifname));
	cl_str(tb[CLINK_A_VPC_ID], e->vpc, sizeof(e->vpc));
	cl_str(tb[CLINK_A_INST_ID], e->inst, sizeof(e->inst));
	e->inst_addr = cl_addr(tb[CLINK_A_INST_ADDR]);
	e->route_type = tb[CLINK_A_ROUTE_TYPE] ? nla_get_u8(tb[CLINK_A_ROUTE_TYPE]) : -1;
	e->has_route_dst = !!tb[CLINK_A_ROUTE_DST];
	cl_get_pfx(tb[CLINK_A_ROUTE_DST], &e->route_dst);
	return NL_OK;
}

int cl_events_open(struct cl_events *ev)
{
	struct nl_cb *cb;
	int r;

	memset(ev, 0, sizeof(*ev));
	ev->ev.elsz = sizeof(struct cl_event);
	ev->sk = nl_socket_alloc();
	if (!ev->sk)
		return -ENOMEM;
	if (genl_connect(ev->sk) < 0)
		return -EIO;
	cl_sock_setup(ev->sk);
	ev->grp = genl_ctrl_resolve_grp(ev->sk, CLINK_GENL_NAME, CLINK_MCGRP_EVENTS);
	if (ev->grp < 0)
		return -ENOENT;
	r = nl_socket_add_membership(ev->sk, ev->grp);
	if (r < 0)
		return -EIO;
	cb = nl_socket_get_cb(ev->sk);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, cl_parse_event, &ev->ev);
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, cl_cb_noop, NULL);
	nl_cb_put(cb);
	return 0;
}

/* Collects the events queued so far (they are sent before the ack). */
size_t cl_events_drain(struct cl_events *ev, int wait_ms)
{
	struct pollfd pfd = { .fd = nl_socket_get_fd(ev->sk), .events = POLLIN };

	while (poll(&pfd, 1, wait_ms) > 0) {
		if (nl_recvmsgs_default(ev->sk) < 0)
			break;
		wait_ms = 20;
	}
	return ev->ev.n;
}

void cl_events_clear(struct cl_events *ev)
{
	ev->ev.n = 0;
}

void cl_events_close(struct cl_events *ev)
{
	if (ev->sk)
		nl_socket_free(ev->sk);
	ev->sk = NULL;
	cl_vec_free(&ev->ev);
}

/* Number of events with @cmd (and @reason, unless -1) about @inst or @vpc. */
int cl_events_count(struct cl_events *ev, int cmd, int reason,
		    const char *inst, const char *vpc)
{
	size_t i;
	int n = 0;

	for (i = 0; i < ev->ev.n; i++) {
		struct cl_event *e = CL_AT(&ev->ev, struct cl_event, i);

		if (e->cmd != cmd)
			continue;
		if (reason >= 0 && e->reason != reason)
			continue;
		if (inst && strcmp(e->inst, inst))
			continue;
		if (vpc && strcmp(e->vpc, vpc))
			continue;
		n++;
	}
	return n;
}

struct cl_event *cl_events_find(struct cl_events *ev, int cmd,
				const char *inst, const char *vpc)
{
	size_t i;

	for (i = 0; i < ev->ev.n; i++) {
		struct cl_event *e = CL_AT(&ev->ev, struct cl_event, i);

		if (e->cmd == cmd && (!inst || !strcmp(e->inst, inst)) &&
		    (!vpc || !strcmp(e->vpc, vpc)))
			return e;
	}
	return NULL;
}

void cl_events_print(struct cl_events *ev)
{
	size_t i;

	for (i = 0; i < ev->ev.n; i++) {
		struct cl_event *e = CL_AT(&ev->ev, struct cl_event, i);

		fprintf(stderr, "#   event cmd=%d reason=%d vpc=%s inst=%s rtype=%d\n",
			e->cmd, e->reason, e->vpc, e->inst, e->route_type);
	}
}

int cl_make_instances(struct clink *c, const char *net, int from, int n,
		      struct cl_batch *b)
{
	char id[32], addr[32];
	int k;

	cl_batch_init(b, c);
	for (k = from; k < from + n; k++) {
		snprintf(id, sizeof(id), "i-%d", k);
		snprintf(addr, sizeof(addr), "%s.%d.%d", net, k >> 8, k & 255);
		CLBATCH(b, CLINK_CMD_NEW_INSTANCE, NLM_F_ACK, AS(CLINK_A_INST_ID, id),
			AADDR(CLINK_A_INST_ADDR, addr));
	}
	cl_batch_flush(b);
	return b->nfail ? b->first_err : 0;
}

int cl_link_instances(struct clink *c, int from, int n, const char *vpc,
		      struct cl_batch *b)
{
	char id[32];
	int k;

	cl_batch_init(b, c);
	for (k = from; k < from + n; k++) {
		snprintf(id, sizeof(id), "i-%d", k);
		CLBATCH(b, CLINK_CMD_NEW_LINK, NLM_F_ACK, AS(CLINK_A_INST_ID, id),
			AS(CLINK_A_VPC_ID, vpc));
	}
	cl_batch_flush(b);
	return b->nfail ? b->first_err : 0;
}
