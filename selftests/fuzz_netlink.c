// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz the clink generic netlink family.
 *
 * Two clink devices live in a private network namespace:
 *
 *   clinkv  the reference: only the "valid" thread changes it, with correct
 *           requests whose outcome it predicts from its own model, and
 *           dumps it now and then to compare.
 *   clinkf  the target: FUZZ_THREADS threads send generated and mutated
 *           requests at it (random commands 0..CLINK_CMD_MAX+3; missing,
 *           duplicate, oversized, wrong-type and wrongly nested attributes;
 *           truncated messages; CLINK_A_REPLACE; random nlmsg_flags and
 *           genlmsghdr.reserved, which the genetlink core refuses but for
 *           NLM_F_ACK, NLM_F_ECHO and NLM_F_DUMP; several requests in one
 *           datagram; dumps abandoned half way).  A fuzzer never names clinkv, so the reference must
 *           come out exactly as the model says.
 *
 * An unprivileged child (uid 65534) fuzzes both devices at the same time:
 * none of its changing requests may succeed.
 *
 * Pass: every request is answered (ack, error or a finished dump; SO_RCVTIMEO
 * catches a lost answer, a watchdog catches a request that never returns),
 * only documented errno classes come back, clink's own rejections carry an
 * extended ack message, clinkv matches the model, clinkf's counters match
 * its dumps, and the kernel log gains no splat (KASAN, UBSAN, lockdep,
 * WARNING, BUG; kmemleak when the kernel has it).
 *
 * Environment:
 *   FUZZ_ITERATIONS  requests to send in all (default 20000; the debug lane,
 *                    selftests/debug/check.sh, asks for 1000000)
 *   FUZZ_SEED        PRNG seed (default: from the clock; always printed)
 *   FUZZ_THREADS     fuzzing threads (default 3)
 *   FUZZ_TIMEOUT     seconds to wait for one answer (default 30)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <linux/clink.h>

#include "kselftest_harness.h"
#include "lib_clink_nl.h"
#include "lib_kmsg.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif

#ifndef FUZZ_DEFAULT_ITERATIONS
#define FUZZ_DEFAULT_ITERATIONS	20000	/* without FUZZ_ITERATIONS */
#endif

#define MSGBUF		16384
#define RXBUF		(256 * 1024)
#define VALID_VPCS	12
#define VALID_INSTS	32
#define VALID_EPS	6
#define VALID_MAX_LINKS	3	/* clinkv's max-links-per-vpc */
#define STALL_SECS	120	/* no progress at all: a request hangs */

/* ------------------------------------------------------------------ */
/* PRNG: splitmix64, one state per thread, all derived from the seed.  */

static uint64_t rnd_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t rnd(uint64_t *s, uint32_t n)
{
	return n ? rnd_next(s) % n : 0;
}

static bool chance(uint64_t *s, unsigned int percent)
{
	return rnd(s, 100) < percent;
}

/* ------------------------------------------------------------------ */
/* Shared state and results.                                           */

struct shared {
	int family;
	int if_v, if_f;			/* ifindex of clinkv, clinkf */
	uint64_t seed;
	long iterations;
	int timeout;
	atomic_long progress;		/* requests answered, all threads */
	atomic_long sent;
	atomic_long batches;
	atomic_long abandoned_dumps;
	atomic_long errs[256];		/* answers by -errno, [0] = success */
	atomic_long ok_cmd[CLINK_CMD_MAX + 4];	/* successes by command */
	atomic_long no_extack;		/* clink rejections with no message */
	atomic_long failures;
	atomic_long valid_ops;
	atomic_long valid_checks;
	atomic_int stop;
};

static struct shared *sh;

#define fail(fmt, ...) do {						\
	fprintf(stderr, "# FAIL: " fmt "\n", ##__VA_ARGS__);		\
	atomic_fetch_add(&sh->failures, 1);				\
} while (0)

/* ------------------------------------------------------------------ */
/* Raw netlink.                                                        */

/*
 * Requests are built by hand: the fuzzer sends what libnl would refuse to
 * build (truncated and wrongly nested attributes, several requests in one
 * datagram).  Everything else (the device, the family, parsing replies)
 * is lib_clink_nl's.
 */

struct msg {
	char buf[MSGBUF] __attribute__((aligned(NLMSG_ALIGNTO)));
	size_t len;
	int nest[8];
	int depth;
};

static struct nlmsghdr *msg_init(struct msg *m, int type, int cmd,
				 int version, int flags)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)m->buf;
	struct genlmsghdr *g;

	memset(m->buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	g = NLMSG_DATA(nlh);
	g->cmd = cmd;
	g->version = version;
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
	m->depth = 0;
	return nlh;
}

/* Appends an attribute; silently stops when the buffer is full. */
static void put(struct msg *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)(m->buf + m->len);
	size_t total = NLA_ALIGN(NLA_HDRLEN + len);

	if (m->len + total > MSGBUF - 64 || NLA_HDRLEN + len > 0xffff)
		return;
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	memset((char *)a + NLA_HDRLEN + len, 0, total - NLA_HDRLEN - len);
	m->len += total;
}

static void put_u8(struct msg *m, uint16_t type, uint8_t v)
{
	put(m, type, &v, 1);
}

static void put_u16(struct msg *m, uint16_t type, uint16_t v)
{
	put(m, type, &v, 2);
}

static void put_u32(struct msg *m, uint16_t type, uint32_t v)
{
	put(m, type, &v, 4);
}

static void put_str(struct msg *m, uint16_t type, const char *s)
{
	put(m, type, s, strlen(s) + 1);
}

static void nest_start(struct msg *m, uint16_t type)
{
	if (m->depth < 8)
		m->nest[m->depth] = m->len;
	m->depth++;
	put(m, type | NLA_F_NESTED, NULL, 0);
}

static void nest_end(struct msg *m)
{
	struct nlattr *a;

	if (--m->depth >= 8)
		return;
	a = (struct nlattr *)(m->buf + m->nest[m->depth]);
	if (m->len - m->nest[m->depth] <= 0xffff)
		a->nla_len = m->len - m->nest[m->depth];
}

static void put_prefix(struct msg *m, uint16_t type, uint32_t addr, uint8_t len)
{
	nest_start(m, type);
	put_u32(m, CLINK_PREFIX_A_ADDR, addr);
	put_u8(m, CLINK_PREFIX_A_LEN, len);
	nest_end(m);
}

static int raw_open(int proto, int timeout)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = timeout };
	int one = 1, rcvbuf = 1 << 20;
	int fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, proto);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

static int raw_send(int fd, const void *buf, size_t len)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	return sendto(fd, buf, len, 0, (struct sockaddr *)&sa, sizeof(sa)) ==
	       (ssize_t)len ? 0 : -errno;
}

/*
 * The extended ack message of an NLMSG_ERROR, or of the NLMSG_DONE that
 * ends a failed dump (its TLVs follow the error code), if any.
 */
static const char *ext_msg(struct nlmsghdr *nlh)
{
	struct nlmsgerr *e = NLMSG_DATA(nlh);
	size_t off = NLMSG_HDRLEN + sizeof(*e);
	struct nlattr *a;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	if (nlh->nlmsg_type == NLMSG_DONE)
		off = NLMSG_HDRLEN + sizeof(int);
	else if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	while (off + NLA_HDRLEN <= nlh->nlmsg_len) {
		a = (struct nlattr *)((char *)nlh + off);
		if (a->nla_len < NLA_HDRLEN || off + a->nla_len > nlh->nlmsg_len)
			break;
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG)
			return (const char *)a + NLA_HDRLEN;
		off += NLA_ALIGN(a->nla_len);
	}
	return NULL;
}

typedef void (*msg_cb)(struct nlmsghdr *nlh, void *arg);

struct answer {
	int err;		/* 0 or -errno; 1: dump finished */
	bool intr;		/* a dump part had NLM_F_DUMP_INTR */
	char ext[128];
	int nmsgs;
};

/*
 * Reads until the answer to @seq: an NLMSG_ERROR (ack or error) or the
 * NLMSG_DONE of a dump.  Messages for other sequence numbers (answers to a
 * request that was not expected to be answered) are skipped.  Returns 0,
 * or -ETIMEDOUT when nothing came within the socket's SO_RCVTIMEO.
 */
static int raw_wait(int fd, uint32_t seq, struct answer *ans, msg_cb cb,
		    void *arg)
{
	static __thread char *rx;
	struct nlmsghdr *nlh;
	ssize_t n;

	if (!rx)
		rx = malloc(RXBUF);
	memset(ans, 0, sizeof(*ans));
	for (;;) {
		n = recv(fd, rx, RXBUF, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return -ETIMEDOUT;
			if (errno == ENOBUFS) {
				fail("netlink socket overrun (ENOBUFS)");
				continue;
			}
			return -errno;
		}
		for (nlh = (struct nlmsghdr *)rx; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				ans->intr = true;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(nlh);
				const char *x = ext_msg(nlh);

				ans->err = e->error;
				if (x)
					snprintf(ans->ext, sizeof(ans->ext), "%s", x);
				return 0;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				int *err = NLMSG_DATA(nlh);
				const char *x = ext_msg(nlh);

				ans->err = nlh->nlmsg_len >= NLMSG_LENGTH(4) &&
					   *err < 0 ? *err : 1;
				if (x)
					snprintf(ans->ext, sizeof(ans->ext), "%s", x);
				return 0;
			}
			ans->nmsgs++;
			if (cb)
				cb(nlh, arg);
		}
	}
}

/* Replies are parsed with libnl and lib_clink_nl's readers. */
#define MAXA (CLINK_A_MAX + 1)

static void parse_genl(struct nlattr **tb, struct nlmsghdr *nlh)
{
	if (genlmsg_parse(nlh, 0, tb, CLINK_A_MAX, NULL))
		memset(tb, 0, sizeof(*tb) * MAXA);
}

#define NOVAL 0xdeadbeef	/* what a missing attribute reads as */

/* ------------------------------------------------------------------ */
/* Sending one request and waiting for its answer.                     */

struct conn {
	int fd;
	uint32_t seq;
};

static int request(struct conn *c, struct msg *m, struct answer *ans,
		   msg_cb cb, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)m->buf;
	int err;

	nlh->nlmsg_len = m->len;
	nlh->nlmsg_seq = ++c->seq;
	err = raw_send(c->fd, m->buf, m->len);
	if (err)
		return err;
	return raw_wait(c->fd, c->seq, ans, cb, arg);
}

/* ------------------------------------------------------------------ */
/* The valid thread: a model of clinkv and requests that keep it so.   */

struct mvpc {
	bool exists, cl;
	int nlinks;
	bool ep[VALID_EPS];
	uint32_t vtep[VALID_EPS];
	uint8_t mac[VALID_EPS][6];
};

struct minst {
	bool exists;
	int vpc;		/* -1: not linked */
};

static struct mvpc mv[VALID_VPCS];
static struct minst mi[VALID_INSTS];

static uint32_t vpc_net(int v)
{
	return htonl(0xac100000 | v << 8);	/* 172.16.v.0/24 */
}

static uint32_t inst_addr(int i)
{
	return htonl(0x0a010000 | (i + 1));	/* 10.1.0.(i+1) */
}

static uint32_t ep_addr(int v, int k)
{
	return htonl(0xac100000 | v << 8 | (10 + k));
}

#define E(x) (1ULL << (x))

/* Sends @m on clinkv and checks the answer is one of @ok (bits of errno). */
static bool valid_op(struct conn *c, struct msg *m, uint64_t ok,
		     const char *what)
{
	struct answer ans;
	int err = request(c, m, &ans, NULL, NULL);

	atomic_fetch_add(&sh->valid_ops, 1);
	if (err) {
		fail("valid %s: no answer (%s)", what, strerror(-err));
		return false;
	}
	if (ans.err > 0)
		ans.err = 0;
	if (!(ok & E(-ans.err))) {
		fail("valid %s: got %s%s%s", what,
		     ans.err ? strerror(-ans.err) : "success",
		     ans.ext[0] ? ": " : "", ans.ext);
		return false;
	}
	return ans.err == 0;
}

static void vmsg(struct msg *m, int cmd, int flags)
{
	msg_init(m, sh->family, cmd, CLINK_GENL_VERSION,
		 NLM_F_REQUEST | NLM_F_ACK | flags);
	put_u32(m, CLINK_A_IFINDEX, sh->if_v);
}

struct seen {
	int nvpc, ninst, nlink, nep;
	bool vpc[VALID_VPCS], inst[VALID_INSTS];
	bool ep[VALID_VPCS][VALID_EPS];
	bool bad;
	uint32_t dev_n[4];
};

static int id_num(const char *s, char prefix, int max)
{
	char *end;
	long n;

	if (s[0] != prefix)
		return -1;
	n = strtol(s + 1, &end, 10);
	return *end || n < 0 || n >= max ? -1 : n;
}

static void check_vpc(struct nlmsghdr *nlh, void *arg)
{
	struct seen *s = arg;
	struct nlattr *tb[MAXA];
	char id[CLINK_ID_MAXLEN];
	struct cl_pfx cidr;
	int v;

	parse_genl(tb, nlh);
	cl_str(tb[CLINK_A_VPC_ID], id, sizeof(id));
	s->nvpc++;
	v = id_num(id, 'v', VALID_VPCS);
	if (v < 0 || !mv[v].exists || s->vpc[v]) {
		fail("check: unexpected or repeated VPC '%s' in the dump", id);
		s->bad = true;
		return;
	}
	s->vpc[v] = true;
	cl_get_pfx(tb[CLINK_A_VPC_CIDR], &cidr);
	if (cl_u32(tb[CLINK_A_VPC_VNI], NOVAL) != 100u + v ||
	    cidr.addr != vpc_net(v) || cidr.len != 24 ||
	    cl_u8(tb[CLINK_A_VPC_CLASSICLINK], 0xff) != mv[v].cl ||
	    cl_u32(tb[CLINK_A_VPC_N_LINKS], NOVAL) != (uint32_t)mv[v].nlinks) {
		fail("check: VPC %s: vni %u classiclink %u links %u, model: vni %u classiclink %d links %d",
		     id, cl_u32(tb[CLINK_A_VPC_VNI], NOVAL),
		     cl_u8(tb[CLINK_A_VPC_CLASSICLINK], 0xff),
		     cl_u32(tb[CLINK_A_VPC_N_LINKS], NOVAL), 100 + v, mv[v].cl,
		     mv[v].nlinks);
		s->bad = true;
	}
}

static void check_inst(struct nlmsghdr *nlh, void *arg)
{
	struct seen *s = arg;
	struct nlattr *tb[MAXA];
	char id[CLINK_ID_MAXLEN], vpc[CLINK_ID_MAXLEN];
	int i;

	parse_genl(tb, nlh);
	cl_str(tb[CLINK_A_INST_ID], id, sizeof(id));
	cl_str(tb[CLINK_A_VPC_ID], vpc, sizeof(vpc));
	s->ninst++;
	i = id_num(id, 'i', VALID_INSTS);
	if (i < 0 || !mi[i].exists || s->inst[i]) {
		fail("check: unexpected or repeated instance '%s'", id);
		s->bad = true;
		return;
	}
	s->inst[i] = true;
	if (cl_u32(tb[CLINK_A_INST_ADDR], NOVAL) != inst_addr(i) ||
	    (mi[i].vpc < 0 ? vpc[0] != 0 : id_num(vpc, 'v', VALID_VPCS) != mi[i].vpc)) {
		fail("check: instance %s: linked to '%s', model: %d", id, vpc,
		     mi[i].vpc);
		s->bad = true;
	}
}

static void check_link(struct nlmsghdr *nlh, void *arg)
{
	struct seen *s = arg;
	struct nlattr *tb[MAXA];
	char id[CLINK_ID_MAXLEN], vpc[CLINK_ID_MAXLEN];
	int i;

	parse_genl(tb, nlh);
	cl_str(tb[CLINK_A_INST_ID], id, sizeof(id));
	cl_str(tb[CLINK_A_VPC_ID], vpc, sizeof(vpc));
	s->nlink++;
	i = id_num(id, 'i', VALID_INSTS);
	if (i < 0 || mi[i].vpc < 0 || id_num(vpc, 'v', VALID_VPCS) != mi[i].vpc ||
	    cl_u32(tb[CLINK_A_INST_ADDR], NOVAL) != inst_addr(i)) {
		fail("check: link %s -> %s not in the model", id, vpc);
		s->bad = true;
	}
}

static void check_ep(struct nlmsghdr *nlh, void *arg)
{
	struct seen *s = arg;
	struct nlattr *tb[MAXA];
	char vpc[CLINK_ID_MAXLEN];
	uint32_t addr;
	int v, k;

	parse_genl(tb, nlh);
	cl_str(tb[CLINK_A_VPC_ID], vpc, sizeof(vpc));
	addr = ntohl(cl_u32(tb[CLINK_A_EP_ADDR], NOVAL));
	s->nep++;
	v = id_num(vpc, 'v', VALID_VPCS);
	k = (addr & 0xff) - 10;
	if (v < 0 || k < 0 || k >= VALID_EPS || htonl(addr) != ep_addr(v, k) ||
	    !mv[v].ep[k] || s->ep[v][k] ||
	    cl_u32(tb[CLINK_A_EP_VTEP], NOVAL) != mv[v].vtep[k] ||
	    !tb[CLINK_A_EP_MAC] ||
	    memcmp(nla_data(tb[CLINK_A_EP_MAC]), mv[v].mac[k], 6)) {
		fail("check: endpoint %s %08x not as in the model", vpc, addr);
		s->bad = true;
		return;
	}
	s->ep[v][k] = true;
}

static void check_dev(struct nlmsghdr *nlh, void *arg)
{
	struct seen *s = arg;
	struct nlattr *tb[MAXA];

	parse_genl(tb, nlh);
	s->dev_n[0] = cl_u32(tb[CLINK_A_DEV_N_VPCS], NOVAL);
	s->dev_n[1] = cl_u32(tb[CLINK_A_DEV_N_INSTANCES], NOVAL);
	s->dev_n[2] = cl_u32(tb[CLINK_A_DEV_N_LINKS], NOVAL);
	s->dev_n[3] = cl_u32(tb[CLINK_A_DEV_N_ENDPOINTS], NOVAL);
}

/* Dumps @cmd of device @ifindex, retrying a dump that raced a change. */
static bool dump(struct conn *c, int ifindex, int cmd, msg_cb cb, void *arg,
		 size_t argsz, const char *what)
{
	struct msg *m = malloc(sizeof(*m));
	struct answer ans;
	bool ok = false;
	int tries, err;

	for (tries = 0; tries < 5; tries++) {
		if (argsz)
			memset(arg, 0, argsz);
		msg_init(m, sh->family, cmd, CLINK_GENL_VERSION,
			 NLM_F_REQUEST | NLM_F_DUMP);
		put_u32(m, CLINK_A_IFINDEX, ifindex);
		err = request(c, m, &ans, cb, arg);
		if (err) {
			fail("dump %s: no answer (%s)", what, strerror(-err));
			break;
		}
		if (ans.err <= 0) {
			fail("dump %s: %s%s%s", what, strerror(-ans.err),
			     ans.ext[0] ? ": " : "", ans.ext);
			break;
		}
		if (!ans.intr) {
			ok = true;
			break;
		}
	}
	free(m);
	return ok;
}

/* Compares clinkv with the model; the caller is the only writer. */
static bool valid_check(struct conn *c)
{
	struct seen *s = calloc(1, sizeof(*s));
	struct msg *m = malloc(sizeof(*m));
	int nvpc = 0, ninst = 0, nlink = 0, nep = 0, v, i, k;
	struct answer ans;
	bool ok = true;

	for (v = 0; v < VALID_VPCS; v++) {
		nvpc += mv[v].exists;
		nlink += mv[v].nlinks;
		for (k = 0; k < VALID_EPS; k++)
			nep += mv[v].ep[k];
	}
	for (i = 0; i < VALID_INSTS; i++)
		ninst += mi[i].exists;

	atomic_fetch_add(&sh->valid_checks, 1);
	if (!dump(c, sh->if_v, CLINK_CMD_GET_VPC, check_vpc, s, sizeof(*s), "vpcs") ||
	    s->bad || s->nvpc != nvpc) {
		fail("check: %d VPCs dumped, model has %d", s->nvpc, nvpc);
		ok = false;
	}
	if (!dump(c, sh->if_v, CLINK_CMD_GET_INSTANCE, check_inst, s, sizeof(*s), "instances") ||
	    s->bad || s->ninst != ninst) {
		fail("check: %d instances dumped, model has %d", s->ninst, ninst);
		ok = false;
	}
	if (!dump(c, sh->if_v, CLINK_CMD_GET_LINK, check_link, s, sizeof(*s), "links") ||
	    s->bad || s->nlink != nlink) {
		fail("check: %d links dumped, model has %d", s->nlink, nlink);
		ok = false;
	}
	if (!dump(c, sh->if_v, CLINK_CMD_GET_ENDPOINT, check_ep, s, sizeof(*s), "endpoints") ||
	    s->bad || s->nep != nep) {
		fail("check: %d endpoints dumped, model has %d", s->nep, nep);
		ok = false;
	}
	vmsg(m, CLINK_CMD_GET_DEV, 0);
	memset(s, 0, sizeof(*s));
	if (request(c, m, &ans, check_dev, s) || ans.err ||
	    s->dev_n[0] != (uint32_t)nvpc || s->dev_n[1] != (uint32_t)ninst ||
	    s->dev_n[2] != (uint32_t)nlink || s->dev_n[3] != (uint32_t)nep) {
		fail("check: clinkv counts %u VPCs %u instances %u links %u endpoints, model %d %d %d %d",
		     s->dev_n[0], s->dev_n[1], s->dev_n[2], s->dev_n[3],
		     nvpc, ninst, nlink, nep);
		ok = false;
	}
	free(m);
	free(s);
	return ok;
}

static void valid_step(struct conn *c, uint64_t *r, struct msg *m)
{
	int v = rnd(r, VALID_VPCS), i = rnd(r, VALID_INSTS);
	int k = rnd(r, VALID_EPS);
	char vid[16], iid[16];
	uint64_t ok;

	snprintf(vid, sizeof(vid), "v%d", v);
	snprintf(iid, sizeof(iid), "i%d", i);
	switch (rnd(r, 10)) {
	case 0:		/* a VPC, eligible for ClassicLink */
		vmsg(m, CLINK_CMD_NEW_VPC, 0);
		put_str(m, CLINK_A_VPC_ID, vid);
		put_u32(m, CLINK_A_VPC_VNI, 100 + v);
		put_prefix(m, CLINK_A_VPC_CIDR, vpc_net(v), 24);
		if (valid_op(c, m, mv[v].exists ? E(EEXIST) : E(0), "new vpc")) {
			memset(&mv[v], 0, sizeof(mv[v]));
			mv[v].exists = true;
		}
		break;
	case 1:		/* ClassicLink on or off */
		if (!mv[v].exists)
			break;
		vmsg(m, CLINK_CMD_SET_VPC, 0);
		put_str(m, CLINK_A_VPC_ID, vid);
		put_u8(m, CLINK_A_VPC_CLASSICLINK, !mv[v].cl);
		ok = mv[v].cl && mv[v].nlinks ? E(EBUSY) : E(0);
		if (valid_op(c, m, ok, "set vpc classiclink"))
			mv[v].cl = !mv[v].cl;
		break;
	case 2:
		vmsg(m, CLINK_CMD_DEL_VPC, 0);
		put_str(m, CLINK_A_VPC_ID, vid);
		ok = !mv[v].exists ? E(ENOENT) : mv[v].nlinks ? E(EBUSY) : E(0);
		if (valid_op(c, m, ok, "del vpc"))
			memset(&mv[v], 0, sizeof(mv[v]));
		break;
	case 3:
	case 4:
		vmsg(m, CLINK_CMD_NEW_INSTANCE, 0);
		put_str(m, CLINK_A_INST_ID, iid);
		put_u32(m, CLINK_A_INST_ADDR, inst_addr(i));
		if (valid_op(c, m, mi[i].exists ? E(EEXIST) : E(0), "new instance")) {
			mi[i].exists = true;
			mi[i].vpc = -1;
		}
		break;
	case 5:
		vmsg(m, CLINK_CMD_DEL_INSTANCE, 0);
		put_str(m, CLINK_A_INST_ID, iid);
		if (valid_op(c, m, mi[i].exists ? E(0) : E(ENOENT), "del instance")) {
			if (mi[i].vpc >= 0)
				mv[mi[i].vpc].nlinks--;
			mi[i].exists = false;
			mi[i].vpc = -1;
		}
		break;
	case 6:
	case 7:
		vmsg(m, CLINK_CMD_NEW_LINK, 0);
		put_str(m, CLINK_A_INST_ID, iid);
		put_str(m, CLINK_A_VPC_ID, vid);
		ok = 0;
		if (!mi[i].exists || !mv[v].exists) {
			ok |= E(ENOENT);
		} else {
			if (!mv[v].cl)
				ok |= E(EINVAL);
			if (mi[i].vpc >= 0)
				ok |= E(EEXIST);
			if (mv[v].nlinks >= VALID_MAX_LINKS)
				ok |= E(ENOSPC);
		}
		if (!ok)
			ok = E(0);
		if (valid_op(c, m, ok, "new link")) {
			mi[i].vpc = v;
			mv[v].nlinks++;
		}
		break;
	case 8:
		if (rnd(r, 2)) {
			vmsg(m, CLINK_CMD_DEL_LINK, 0);
			put_str(m, CLINK_A_INST_ID, iid);
			ok = mi[i].exists && mi[i].vpc >= 0 ? E(0) : E(ENOENT);
			if (valid_op(c, m, ok, "del link")) {
				mv[mi[i].vpc].nlinks--;
				mi[i].vpc = -1;
			}
			break;
		}
		vmsg(m, CLINK_CMD_NEW_ENDPOINT, 0);
		put_str(m, CLINK_A_VPC_ID, vid);
		put_u32(m, CLINK_A_EP_ADDR, ep_addr(v, k));
		{
			uint32_t vtep = htonl(0xc0000200 | (rnd(r, 250) + 1));
			uint8_t mac[6] = { 0x02, 0, 0, v, k, rnd(r, 256) };

			put_u32(m, CLINK_A_EP_VTEP, vtep);
			put(m, CLINK_A_EP_MAC, mac, 6);
			ok = !mv[v].exists ? E(ENOENT) : mv[v].ep[k] ? E(EEXIST) : E(0);
			if (valid_op(c, m, ok, "new endpoint")) {
				mv[v].ep[k] = true;
				mv[v].vtep[k] = vtep;
				memcpy(mv[v].mac[k], mac, 6);
			}
		}
		break;
	case 9:
		vmsg(m, CLINK_CMD_DEL_ENDPOINT, 0);
		put_str(m, CLINK_A_VPC_ID, vid);
		put_u32(m, CLINK_A_EP_ADDR, ep_addr(v, k));
		ok = mv[v].exists && mv[v].ep[k] ? E(0) : E(ENOENT);
		if (valid_op(c, m, ok, "del endpoint"))
			mv[v].ep[k] = false;
		break;
	}
}

static void *valid_thread(void *arg)
{
	uint64_t r = sh->seed ^ 0x5a5a5a5a;
	struct msg *m = malloc(sizeof(*m));
	struct conn c = { .fd = raw_open(NETLINK_GENERIC, sh->timeout) };
	long n = 0;
	int i;

	(void)arg;
	for (i = 0; i < VALID_INSTS; i++)
		mi[i].vpc = -1;
	vmsg(m, CLINK_CMD_SET_DEV, 0);
	put_u32(m, CLINK_A_DEV_MAX_LINKS_PER_VPC, VALID_MAX_LINKS);
	valid_op(&c, m, E(0), "set max-links-per-vpc");
	while (!atomic_load(&sh->stop)) {
		/* About one valid request for every two fuzzed ones. */
		if (atomic_load(&sh->valid_ops) > atomic_load(&sh->sent) / 2 + 64) {
			usleep(1000);
			continue;
		}
		valid_step(&c, &r, m);
		if (++n % 256 == 0 && !valid_check(&c))
			break;
		atomic_fetch_add(&sh->progress, 1);
	}
	valid_check(&c);
	close(c.fd);
	free(m);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* The fuzzer.                                                         */

enum kind { K_NONE, K_U8, K_U16, K_U32, K_U64, K_ADDR, K_MAC, K_STR,
	    K_PREFIX, K_PLIST, K_NEST, K_FLAG, K_BACKENDS, K_SNAT, K_ALLOW };

static const uint8_t kind_of[CLINK_A_MAX + 1] = {
	[CLINK_A_IFINDEX] = K_U32, [CLINK_A_IFNAME] = K_STR,
	[CLINK_A_DEV_VERSION] = K_STR, [CLINK_A_DEV_LOCAL] = K_ADDR,
	[CLINK_A_DEV_PORT] = K_U16, [CLINK_A_DEV_REGION] = K_STR,
	[CLINK_A_DEV_MAC] = K_MAC,
	[CLINK_A_DEV_MAX_LINKS_PER_VPC ... CLINK_A_DEV_MAX_ENDPOINTS] = K_U32,
	[CLINK_A_DEV_CLASSIC_SPACE] = K_PLIST,
	[CLINK_A_DEV_VPC_ELIGIBLE] = K_PLIST,
	[CLINK_A_DEV_N_VPCS ... CLINK_A_DEV_GENERATION] = K_U32,
	[CLINK_A_VPC_ID] = K_STR, [CLINK_A_VPC_VNI] = K_U32,
	[CLINK_A_VPC_CIDR] = K_PREFIX, [CLINK_A_VPC_SECONDARY] = K_PLIST,
	[CLINK_A_VPC_REGION] = K_STR, [CLINK_A_VPC_ACCOUNT] = K_STR,
	[CLINK_A_VPC_CLASSICLINK] = K_U8,
	[CLINK_A_VPC_N_LINKS ... CLINK_A_VPC_N_ACLS] = K_U32,
	[CLINK_A_EP_ADDR] = K_ADDR, [CLINK_A_EP_VTEP] = K_ADDR,
	[CLINK_A_EP_MAC] = K_MAC,
	[CLINK_A_ROUTE_DST] = K_PREFIX, [CLINK_A_ROUTE_TYPE] = K_U8,
	[CLINK_A_ROUTE_NEXTHOP] = K_U8,
	[CLINK_A_INST_ID] = K_STR, [CLINK_A_INST_ADDR] = K_ADDR,
	[CLINK_A_INST_REGION] = K_STR, [CLINK_A_INST_ACCOUNT] = K_STR,
	[CLINK_A_ACL_PRIO] = K_U32, [CLINK_A_ACL_DIR] = K_U8,
	[CLINK_A_ACL_ACTION] = K_U8, [CLINK_A_ACL_PROTO] = K_U8,
	[CLINK_A_ACL_SRC] = K_PREFIX, [CLINK_A_ACL_DST] = K_PREFIX,
	[CLINK_A_ACL_SPORT_MIN ... CLINK_A_ACL_DPORT_MAX] = K_U16,
	[CLINK_A_ACL_HITS] = K_U64,
	[CLINK_A_STATS] = K_NEST, [CLINK_A_DROPS] = K_NEST,
	[CLINK_A_EVENT_REASON] = K_U8, [CLINK_A_PREFIX_ENTRY] = K_PREFIX,
	[CLINK_A_REPLACE] = K_FLAG, [CLINK_A_VPC_MAX_LINKS] = K_U32,
	[CLINK_A_VPC_REACH] = K_PREFIX, [CLINK_A_DEV_PROFILE] = K_U8,
	[CLINK_A_VPC_DSCP] = K_U8, [CLINK_A_LINK_DSCP] = K_U8,
	[CLINK_A_SVC_ID] = K_STR, [CLINK_A_SVC_PROTO] = K_U8,
	[CLINK_A_SVC_PORT] = K_U16, [CLINK_A_SVC_BACKENDS] = K_BACKENDS,
	[CLINK_A_SVC_BACKEND] = K_NEST, [CLINK_A_SVC_SNAT] = K_SNAT,
	[CLINK_A_SVC_ADDR] = K_ADDR, [CLINK_A_SVC_ALLOW_ACCOUNTS] = K_ALLOW,
	[CLINK_A_SVC_ALLOW_VPCS] = K_ALLOW, [CLINK_A_SVC_PRINCIPAL] = K_NEST,
	[CLINK_A_SVC_ACCEPTING] = K_U8, [CLINK_A_SVC_N_VPCES] = K_U32,
	[CLINK_A_VPCE_ID] = K_STR, [CLINK_A_VPCE_ADDR] = K_ADDR,
	[CLINK_A_VPCE_ALLOWED] = K_U8, [CLINK_A_VPCE_N_SESSIONS] = K_U32,
};

/* The attributes each command takes; the fuzzer starts from these. */
static const uint8_t cmd_attrs[CLINK_CMD_MAX + 1][12] = {
	[CLINK_CMD_SET_DEV] = { CLINK_A_DEV_LOCAL, CLINK_A_DEV_PORT,
		CLINK_A_DEV_REGION, CLINK_A_DEV_MAC,
		CLINK_A_DEV_MAX_LINKS_PER_VPC, CLINK_A_DEV_MAX_VPCS,
		CLINK_A_DEV_MAX_INSTANCES, CLINK_A_DEV_MAX_LINKS,
		CLINK_A_DEV_MAX_ENDPOINTS, CLINK_A_DEV_CLASSIC_SPACE,
		CLINK_A_DEV_VPC_ELIGIBLE, CLINK_A_DEV_PROFILE },
	[CLINK_CMD_NEW_VPC] = { CLINK_A_VPC_ID, CLINK_A_VPC_VNI,
		CLINK_A_VPC_CIDR, CLINK_A_VPC_REGION, CLINK_A_VPC_ACCOUNT,
		CLINK_A_VPC_MAX_LINKS, CLINK_A_VPC_REACH, CLINK_A_VPC_DSCP,
		CLINK_A_REPLACE },
	[CLINK_CMD_SET_VPC] = { CLINK_A_VPC_ID, CLINK_A_VPC_CLASSICLINK,
		CLINK_A_VPC_MAX_LINKS, CLINK_A_VPC_REACH, CLINK_A_VPC_DSCP },
	[CLINK_CMD_DEL_VPC] = { CLINK_A_VPC_ID },
	[CLINK_CMD_GET_VPC] = { CLINK_A_VPC_ID },
	[CLINK_CMD_NEW_CIDR] = { CLINK_A_VPC_ID, CLINK_A_VPC_CIDR },
	[CLINK_CMD_DEL_CIDR] = { CLINK_A_VPC_ID, CLINK_A_VPC_CIDR },
	[CLINK_CMD_NEW_ENDPOINT] = { CLINK_A_VPC_ID, CLINK_A_EP_ADDR,
		CLINK_A_EP_VTEP, CLINK_A_EP_MAC, CLINK_A_REPLACE },
	[CLINK_CMD_DEL_ENDPOINT] = { CLINK_A_VPC_ID, CLINK_A_EP_ADDR },
	[CLINK_CMD_GET_ENDPOINT] = { CLINK_A_VPC_ID, CLINK_A_EP_ADDR },
	[CLINK_CMD_NEW_ROUTE] = { CLINK_A_VPC_ID, CLINK_A_ROUTE_DST,
		CLINK_A_ROUTE_NEXTHOP, CLINK_A_REPLACE },
	[CLINK_CMD_DEL_ROUTE] = { CLINK_A_VPC_ID, CLINK_A_ROUTE_DST },
	[CLINK_CMD_GET_ROUTE] = { CLINK_A_VPC_ID },
	[CLINK_CMD_NEW_INSTANCE] = { CLINK_A_INST_ID, CLINK_A_INST_ADDR,
		CLINK_A_INST_REGION, CLINK_A_INST_ACCOUNT, CLINK_A_REPLACE },
	[CLINK_CMD_SET_INSTANCE] = { CLINK_A_INST_ID, CLINK_A_INST_ADDR },
	[CLINK_CMD_DEL_INSTANCE] = { CLINK_A_INST_ID },
	[CLINK_CMD_GET_INSTANCE] = { CLINK_A_INST_ID },
	[CLINK_CMD_NEW_LINK] = { CLINK_A_INST_ID, CLINK_A_VPC_ID,
		CLINK_A_LINK_DSCP, CLINK_A_REPLACE },
	[CLINK_CMD_DEL_LINK] = { CLINK_A_INST_ID },
	[CLINK_CMD_GET_LINK] = { CLINK_A_VPC_ID, CLINK_A_INST_ADDR },
	[CLINK_CMD_FLUSH_LINKS] = { CLINK_A_VPC_ID },
	[CLINK_CMD_NEW_ACL] = { CLINK_A_VPC_ID, CLINK_A_ACL_PRIO,
		CLINK_A_ACL_DIR, CLINK_A_ACL_ACTION, CLINK_A_ACL_PROTO,
		CLINK_A_ACL_SRC, CLINK_A_ACL_DST, CLINK_A_ACL_SPORT_MIN,
		CLINK_A_ACL_SPORT_MAX, CLINK_A_ACL_DPORT_MIN,
		CLINK_A_ACL_DPORT_MAX, CLINK_A_REPLACE },
	[CLINK_CMD_DEL_ACL] = { CLINK_A_VPC_ID, CLINK_A_ACL_PRIO },
	[CLINK_CMD_GET_ACL] = { CLINK_A_VPC_ID },
	[CLINK_CMD_NEW_SERVICE] = { CLINK_A_SVC_ID, CLINK_A_VPC_ID,
		CLINK_A_SVC_PROTO, CLINK_A_SVC_PORT, CLINK_A_SVC_BACKENDS,
		CLINK_A_SVC_SNAT, CLINK_A_SVC_ALLOW_ACCOUNTS,
		CLINK_A_SVC_ALLOW_VPCS, CLINK_A_SVC_ACCEPTING },
	[CLINK_CMD_SET_SERVICE] = { CLINK_A_SVC_ID, CLINK_A_SVC_ALLOW_ACCOUNTS,
		CLINK_A_SVC_ALLOW_VPCS, CLINK_A_SVC_ACCEPTING },
	[CLINK_CMD_DEL_SERVICE] = { CLINK_A_SVC_ID },
	[CLINK_CMD_GET_SERVICE] = { CLINK_A_SVC_ID },
	[CLINK_CMD_NEW_VPCE] = { CLINK_A_VPCE_ID, CLINK_A_VPC_ID,
		CLINK_A_VPCE_ADDR, CLINK_A_SVC_ID },
	[CLINK_CMD_DEL_VPCE] = { CLINK_A_VPCE_ID },
	[CLINK_CMD_GET_VPCE] = { CLINK_A_VPCE_ID, CLINK_A_SVC_ID },
};

static bool is_get(int cmd)
{
	return cmd == CLINK_CMD_GET_DEV || cmd == CLINK_CMD_GET_VPC ||
	       cmd == CLINK_CMD_GET_ENDPOINT || cmd == CLINK_CMD_GET_ROUTE ||
	       cmd == CLINK_CMD_GET_INSTANCE || cmd == CLINK_CMD_GET_LINK ||
	       cmd == CLINK_CMD_GET_ACL || cmd == CLINK_CMD_GET_SERVICE ||
	       cmd == CLINK_CMD_GET_VPCE;
}

struct fuzzer {
	uint64_t r;
	bool unpriv;
	struct conn c;
	struct msg *m;
	long todo;
	int id;
	/*
	 * The request's subject: VPC f<k> (VNI k+1, 172.16.k.0/24, endpoints
	 * 172.16.k.x) and instance g<j> (10.0.0.j+1).  Plausible values agree
	 * with it most of the time, so that requests build on each other
	 * (an endpoint in its VPC's CIDR, a link of existing objects).
	 */
	unsigned int k, j;
};

static void put_garbage(struct fuzzer *f, uint16_t type, size_t len)
{
	uint8_t buf[4096];
	size_t i;

	if (len > sizeof(buf))
		len = sizeof(buf);
	for (i = 0; i < len; i++)
		buf[i] = chance(&f->r, 50) ? 'A' + rnd(&f->r, 26) : rnd(&f->r, 256);
	put(f->m, type, buf, len);
}

static uint32_t pick_u32(struct fuzzer *f)
{
	static const uint32_t edge[] = { 0, 1, 2, 3, 5, 100, 101, 4789, 65535,
		65536, 65537, 16777215, 16777216, 16777217, 0x7fffffff,
		0x80000000, 0xffffffff };

	return chance(&f->r, 70) ? edge[rnd(&f->r, sizeof(edge) / 4)] :
				   (uint32_t)rnd_next(&f->r);
}

static uint32_t pick_addr(struct fuzzer *f)
{
	switch (rnd(&f->r, 6)) {
	case 0: return htonl(0x0a000000 | rnd(&f->r, 32));	/* classic */
	case 1: return htonl(0xac100000 | rnd(&f->r, 12) << 8 | rnd(&f->r, 12));
	case 2: return htonl(0xc0000200 | rnd(&f->r, 4));	/* vteps */
	case 3: return 0;
	case 4: return 0xffffffff;
	default: return (uint32_t)rnd_next(&f->r);
	}
}

static void gen_prefix(struct fuzzer *f, uint16_t type, int depth)
{
	struct msg *m = f->m;
	uint32_t addr;
	uint8_t len;

	switch (chance(&f->r, 60) ? 8 : rnd(&f->r, 8)) {
	case 8: addr = htonl(0xac100000 | f->k << 8); len = 24; break;
	case 0: addr = htonl(0x0a000000 | rnd(&f->r, 4) << 16); len = 16; break;
	case 1: addr = htonl(0xac100000 | rnd(&f->r, 12) << 8); len = 24; break;
	case 2: addr = htonl(0xac110000); len = 16; break;
	case 3: addr = 0; len = 0; break;
	case 4: addr = htonl(0xc0a80000 | rnd(&f->r, 4) << 8); len = 24; break;
	case 5: addr = pick_addr(f); len = rnd(&f->r, 34); break;	/* host bits */
	case 6: addr = htonl(0x0a000000); len = 8; break;
	default: addr = (uint32_t)rnd_next(&f->r); len = rnd(&f->r, 256); break;
	}
	nest_start(m, type);
	if (!chance(&f->r, 5))
		put_u32(m, CLINK_PREFIX_A_ADDR, addr);
	if (!chance(&f->r, 5))
		put_u8(m, CLINK_PREFIX_A_LEN, len);
	if (chance(&f->r, 4))		/* wrong sizes inside */
		put_garbage(f, 1 + rnd(&f->r, 3), rnd(&f->r, 9));
	if (chance(&f->r, 2) && depth < 4)	/* nested where a leaf belongs */
		gen_prefix(f, CLINK_PREFIX_A_ADDR, depth + 1);
	nest_end(m);
}

static void gen_plist(struct fuzzer *f, uint16_t type)
{
	int n = chance(&f->r, 10) ? 17 + rnd(&f->r, 8) : rnd(&f->r, 5);
	int i;

	nest_start(f->m, type);
	for (i = 0; i < n; i++)
		gen_prefix(f, chance(&f->r, 95) ? CLINK_A_PREFIX_ENTRY :
			   rnd(&f->r, CLINK_A_MAX + 4), 1);
	nest_end(f->m);
}

static void gen_str(struct fuzzer *f, uint16_t type)
{
	static const char *const regions[] = { "", "r1", "r2", "eu-west-1" };
	char s[80];

	switch (type) {
	case CLINK_A_IFNAME:
		/* Only clinkf, or a device that does not exist. */
		if (!f->unpriv && chance(&f->r, 80))
			put_str(f->m, type, "clinkf");
		else if (f->unpriv && chance(&f->r, 50))
			put_str(f->m, type, chance(&f->r, 50) ? "clinkf" : "clinkv");
		else
			put_str(f->m, type, chance(&f->r, 50) ? "lo" : "nonexistent0");
		return;
	case CLINK_A_VPC_ID:
		snprintf(s, sizeof(s), "f%u", chance(&f->r, 80) ? f->k : rnd(&f->r, 12));
		break;
	case CLINK_A_INST_ID:
		snprintf(s, sizeof(s), "g%u", chance(&f->r, 80) ? f->j : rnd(&f->r, 24));
		break;
	case CLINK_A_SVC_ID:
		snprintf(s, sizeof(s), "s%u", rnd(&f->r, 6));
		break;
	case CLINK_A_VPCE_ID:
		snprintf(s, sizeof(s), "e%u", rnd(&f->r, 12));
		break;
	default:
		snprintf(s, sizeof(s), "%s", regions[rnd(&f->r, 4)]);
		break;
	}
	if (chance(&f->r, 10)) {	/* 63, 64 or more characters */
		int n = 62 + rnd(&f->r, 4), i;

		for (i = 0; i < n && i < 79; i++)
			s[i] = 'a' + i % 26;
		s[i] = 0;
	}
	put_str(f->m, type, s);
}

/*
 * A service's lists: backends and SNAT addresses in VPC f<k>'s
 * 172.16.k.0/24 (sometimes too many), allow lists of accounts or VPCs.
 */
static void gen_svc_list(struct fuzzer *f, uint16_t type, int kind)
{
	int n = chance(&f->r, 5) ? 17 + rnd(&f->r, 3) : rnd(&f->r, 4), i;
	struct msg *m = f->m;
	char s[16];

	nest_start(m, type);
	for (i = 0; i < n; i++) {
		uint32_t a = htonl(0xac100000 | f->k << 8 | rnd(&f->r, 256));

		switch (kind) {
		case K_BACKENDS:
			nest_start(m, CLINK_A_SVC_BACKEND);
			if (!chance(&f->r, 5))
				put_u32(m, CLINK_BACKEND_A_ADDR, a);
			if (chance(&f->r, 50))
				put_u16(m, CLINK_BACKEND_A_PORT, rnd(&f->r, 65536));
			nest_end(m);
			break;
		case K_SNAT:
			put_u32(m, CLINK_A_SVC_ADDR, a);
			break;
		default:
			nest_start(m, CLINK_A_SVC_PRINCIPAL);
			snprintf(s, sizeof(s), "%s%u",
				 type == CLINK_A_SVC_ALLOW_VPCS ? "f" : "a",
				 rnd(&f->r, 6));
			put_str(m, chance(&f->r, 80) ?
				(type == CLINK_A_SVC_ALLOW_VPCS ? CLINK_A_VPC_ID :
				 CLINK_A_VPC_ACCOUNT) : rnd(&f->r, CLINK_A_MAX), s);
			nest_end(m);
			break;
		}
	}
	nest_end(m);
}

/* One attribute of @type, plausible most of the time. */
static void gen_attr(struct fuzzer *f, uint16_t type)
{
	int k = type <= CLINK_A_MAX ? kind_of[type] : K_NONE;
	struct msg *m = f->m;
	uint8_t mac[6];
	uint32_t v;
	int r = rnd(&f->r, 100);

	if (r >= 85) {
		if (r < 89) {			/* wrong length */
			put_garbage(f, type, rnd(&f->r, 10));
		} else if (r < 91) {		/* oversized */
			put_garbage(f, type, 64 + rnd(&f->r, 3000));
		} else if (r < 94) {		/* a nest where none belongs */
			nest_start(m, type);
			put_u32(m, rnd(&f->r, 8), pick_u32(f));
			if (chance(&f->r, 50))
				gen_prefix(f, CLINK_A_PREFIX_ENTRY, 1);
			nest_end(m);
		} else if (r < 97) {		/* flat where a nest belongs, or flags */
			put_u32(m, type | (chance(&f->r, 50) ? NLA_F_NET_BYTEORDER : 0),
				pick_u32(f));
		} else {			/* empty */
			put(m, type, NULL, 0);
		}
		return;
	}

	switch (k) {
	case K_U8:
		if (type == CLINK_A_VPC_CLASSICLINK && chance(&f->r, 70))
			v = 1;
		else if (type == CLINK_A_SVC_PROTO && chance(&f->r, 80))
			v = chance(&f->r, 50) ? 6 : 17;
		else if (type == CLINK_A_SVC_ACCEPTING && chance(&f->r, 80))
			v = rnd(&f->r, 2);
		else
			v = chance(&f->r, 80) ? rnd(&f->r, 4) : rnd(&f->r, 256);
		put_u8(m, type, v);
		break;
	case K_U16:
		put_u16(m, type, chance(&f->r, 50) ? rnd(&f->r, 1024) :
			rnd(&f->r, 65536));
		break;
	case K_U32:
		if (type == CLINK_A_IFINDEX) {
			/* Only clinkf's index, or an index of no clink device. */
			if (f->unpriv && chance(&f->r, 50))
				v = sh->if_v;
			else if (chance(&f->r, 80))
				v = sh->if_f;
			else
				v = chance(&f->r, 50) ? 1 : 0x7fffff00 + rnd(&f->r, 255);
			put_u32(m, type, v);
		} else if (type == CLINK_A_VPC_VNI) {
			put_u32(m, type, chance(&f->r, 80) ? 1 + f->k : pick_u32(f));
		} else if (type == CLINK_A_ACL_PRIO) {
			put_u32(m, type, rnd(&f->r, 20));
		} else {
			put_u32(m, type, pick_u32(f));
		}
		break;
	case K_U64:
		v = pick_u32(f);
		put(m, type, &(uint64_t){ v }, 8);
		break;
	case K_ADDR:
		if (type == CLINK_A_INST_ADDR && chance(&f->r, 70))
			v = htonl(0x0a000001 + f->j);
		else if (type == CLINK_A_EP_ADDR && chance(&f->r, 70))
			v = htonl(0xac100000 | f->k << 8 | (1 + rnd(&f->r, 8)));
		else if (type == CLINK_A_VPCE_ADDR && chance(&f->r, 70))
			v = htonl(0xac100000 | f->k << 8 | (100 + rnd(&f->r, 8)));
		else
			v = pick_addr(f);
		put_u32(m, type, v);
		break;
	case K_MAC:
		for (v = 0; v < 6; v++)
			mac[v] = rnd(&f->r, 256);
		if (chance(&f->r, 10))
			memset(mac, chance(&f->r, 50) ? 0 : 0xff, 6);
		put(m, type, mac, 6);
		break;
	case K_STR:
		gen_str(f, type);
		break;
	case K_PREFIX:
		gen_prefix(f, type, 0);
		break;
	case K_PLIST:
		gen_plist(f, type);
		break;
	case K_NEST:
		nest_start(m, type);
		put(m, rnd(&f->r, 16), &(uint64_t){ 0 }, 8);
		nest_end(m);
		break;
	case K_FLAG:
		put(m, type, NULL, 0);
		break;
	case K_BACKENDS:
	case K_SNAT:
	case K_ALLOW:
		gen_svc_list(f, type, k);
		break;
	default:
		put_garbage(f, type, rnd(&f->r, 40));
		break;
	}
}

static const uint16_t flag_bits[] = { NLM_F_MULTI, NLM_F_ECHO,
	NLM_F_DUMP_INTR, NLM_F_ROOT, NLM_F_MATCH, NLM_F_ATOMIC, NLM_F_REPLACE,
	NLM_F_EXCL, NLM_F_CREATE, NLM_F_APPEND, NLM_F_NONREC, 0x8000 };

/*
 * Makes sure a privileged request cannot select clinkv, whatever the
 * mutations did: a device selector of any length and flags (say, an ifindex
 * with NLA_F_NET_BYTEORDER, which policies ignore) that would name it is
 * pointed elsewhere.  Only the top level selects the device.
 */
static void spare_clinkv(struct nlmsghdr *nlh)
{
	char *p = (char *)NLMSG_DATA(nlh) + GENL_HDRLEN;
	int len = nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	struct nlattr *a = (struct nlattr *)p;

	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len) {
		int t = a->nla_type & NLA_TYPE_MASK;
		char *d = (char *)a + NLA_HDRLEN;
		int dlen = a->nla_len - NLA_HDRLEN;

		if (t == CLINK_A_IFINDEX && dlen >= 4 &&
		    *(uint32_t *)d == (uint32_t)sh->if_v)
			*(uint32_t *)d = 0x7fffffff;
		if (t == CLINK_A_IFNAME && dlen >= 6 && !memcmp(d, "clinkv", 6))
			d[5] = 'x';
		len -= NLA_ALIGN(a->nla_len);
		a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
	}
}

static const int builders[] = { CLINK_CMD_NEW_VPC, CLINK_CMD_SET_VPC,
	CLINK_CMD_NEW_CIDR, CLINK_CMD_NEW_ENDPOINT, CLINK_CMD_NEW_ROUTE,
	CLINK_CMD_NEW_INSTANCE, CLINK_CMD_NEW_LINK, CLINK_CMD_NEW_LINK,
	CLINK_CMD_NEW_ACL, CLINK_CMD_NEW_SERVICE, CLINK_CMD_NEW_VPCE };

/* Builds a random request into f->m at its current end; its command. */
static int gen_request(struct fuzzer *f, bool last)
{
	struct msg *m = f->m;
	size_t start = m->len;
	struct nlmsghdr *nlh = (struct nlmsghdr *)(m->buf + start);
	struct genlmsghdr *g = NLMSG_DATA(nlh);
	int cmd, tcmd, flags, i, n;
	const uint8_t *attrs;

	/*
	 * Half of the requests build (deletions would otherwise keep the
	 * device nearly empty and the deeper paths, links and ACLs, cold).
	 */
	if (chance(&f->r, 50))
		cmd = builders[rnd(&f->r, ARRAY_SIZE(builders))];
	else if (chance(&f->r, 90))
		cmd = 1 + rnd(&f->r, CLINK_CMD_MAX);
	else
		cmd = rnd(&f->r, CLINK_CMD_MAX + 4);
	tcmd = chance(&f->r, 95) ? cmd : 1 + (int)rnd(&f->r, CLINK_CMD_MAX);
	flags = NLM_F_REQUEST | NLM_F_ACK;
	/* Mostly plain requests, so that most get past flag checks. */
	if (chance(&f->r, 15))
		flags |= flag_bits[rnd(&f->r, sizeof(flag_bits) / 2)];
	if (chance(&f->r, 5))
		flags |= flag_bits[rnd(&f->r, sizeof(flag_bits) / 2)];
	if (chance(&f->r, 5))
		flags |= NLM_F_ECHO;
	if (chance(&f->r, 10) && is_get(cmd))
		flags |= NLM_F_DUMP;
	/* A dump ends the processing of its datagram: only as the last. */
	if (!last && (flags & NLM_F_DUMP) == NLM_F_DUMP)
		flags &= ~NLM_F_ROOT;

	memset(nlh, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	nlh->nlmsg_type = sh->family;
	nlh->nlmsg_flags = flags;
	g->cmd = cmd;
	g->version = chance(&f->r, 95) ? CLINK_GENL_VERSION : rnd(&f->r, 256);
	g->reserved = chance(&f->r, 95) ? 0 : rnd(&f->r, 65536);
	m->len = start + NLMSG_HDRLEN + GENL_HDRLEN;
	m->depth = 0;

	/* The device: clinkf, mostly first, sometimes missing or doubled. */
	n = rnd(&f->r, 100);
	if (n < 60)
		gen_attr(f, CLINK_A_IFINDEX);
	else if (n < 90)
		gen_attr(f, CLINK_A_IFNAME);
	else if (n < 95) {
		gen_attr(f, CLINK_A_IFINDEX);
		gen_attr(f, CLINK_A_IFNAME);
	}

	f->k = rnd(&f->r, 6);
	f->j = rnd(&f->r, 12);
	attrs = tcmd <= CLINK_CMD_MAX ? cmd_attrs[tcmd] : cmd_attrs[0];
	for (i = 0; i < 12 && attrs[i]; i++) {
		int p = 90;

		if (tcmd == CLINK_CMD_SET_DEV || (tcmd == CLINK_CMD_NEW_ACL && i > 3))
			p = 30;		/* optional */
		if (attrs[i] == CLINK_A_VPC_REGION || attrs[i] == CLINK_A_VPC_ACCOUNT ||
		    attrs[i] == CLINK_A_INST_REGION || attrs[i] == CLINK_A_INST_ACCOUNT)
			p = 15;		/* optional: a mismatch refuses links */
		if (attrs[i] == CLINK_A_REPLACE)
			p = 40;		/* what NLM_F_REPLACE once reached */
		if (chance(&f->r, p))
			gen_attr(f, attrs[i]);
		if (chance(&f->r, 3))		/* duplicate */
			gen_attr(f, attrs[i]);
	}
	n = chance(&f->r, 15) ? 1 + rnd(&f->r, 4) : 0;
	for (i = 0; i < n; i++)			/* strangers */
		gen_attr(f, rnd(&f->r, CLINK_A_MAX + 6) |
			    (chance(&f->r, 5) ? NLA_F_NESTED : 0));
	/*
	 * The device selector comes last when duplicated, so a stranger can
	 * never pick another device: nla_parse keeps the last occurrence.
	 */
	if (n && !f->unpriv)
		put_u32(m, CLINK_A_IFINDEX, sh->if_f);

	nlh->nlmsg_len = m->len - start;
	if (!f->unpriv)
		spare_clinkv(nlh);
	return cmd;
}

/* Cuts the last attribute short: nlmsg_len stays true, nla_len lies. */
static void truncate_request(struct fuzzer *f, size_t start)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)(f->m->buf + start);
	size_t min = NLMSG_HDRLEN + (chance(&f->r, 90) ? GENL_HDRLEN : 0);
	size_t len = nlh->nlmsg_len;

	if (len <= min)
		return;
	len = min + rnd(&f->r, len - min);
	nlh->nlmsg_len = len;
	f->m->len = start + NLMSG_ALIGN(len);
}

static void count_answer(struct fuzzer *f, int cmd, bool changing,
			 struct answer *ans)
{
	int e = ans->err > 0 ? 0 : -ans->err;

	atomic_fetch_add(&sh->errs[e < 256 ? e : 255], 1);
	switch (e) {
	case 0:
		if (f->unpriv && changing)
			fail("unprivileged command %d succeeded", cmd);
		if (cmd >= 0 && cmd < CLINK_CMD_MAX + 4)
			atomic_fetch_add(&sh->ok_cmd[cmd], 1);
		break;
	case ENOENT: case EEXIST: case EBUSY: case ENOSPC: case EADDRINUSE:
	case EXDEV:
		if (!ans->ext[0] && atomic_fetch_add(&sh->no_extack, 1) < 10)
			fprintf(stderr, "# command %d: %s without an extended ack message\n",
				cmd, strerror(e));
		break;
	case EINVAL: case ERANGE: case EPERM: case EOPNOTSUPP: case ENODEV:
	case EMSGSIZE: case ENOMEM: case ENOBUFS: case E2BIG:
		break;
	default:
		fail("command %d: undocumented error %s (%d)%s%s", cmd,
		     strerror(e), e, ans->ext[0] ? ": " : "", ans->ext);
	}
}

/* Starts a dump on a fresh socket and closes it before the dump is done. */
static void abandon_dump(struct fuzzer *f)
{
	static const int cmds[] = { CLINK_CMD_GET_VPC, CLINK_CMD_GET_INSTANCE,
		CLINK_CMD_GET_LINK, CLINK_CMD_GET_ENDPOINT, CLINK_CMD_GET_DEV };
	int fd = raw_open(NETLINK_GENERIC, 1);
	char buf[512];

	if (fd < 0)
		return;
	msg_init(f->m, sh->family, cmds[rnd(&f->r, 5)], CLINK_GENL_VERSION,
		 NLM_F_REQUEST | NLM_F_DUMP);
	put_u32(f->m, CLINK_A_IFINDEX, rnd(&f->r, 2) ? sh->if_f : sh->if_v);
	((struct nlmsghdr *)f->m->buf)->nlmsg_len = f->m->len;
	raw_send(fd, f->m->buf, f->m->len);
	if (chance(&f->r, 50))
		recv(fd, buf, sizeof(buf), MSG_DONTWAIT);	/* part of it */
	close(fd);
	atomic_fetch_add(&sh->abandoned_dumps, 1);
}

/*
 * Restores clinkf's limits, which the fuzzer may have squeezed to 1, and
 * its classic space, which it may have moved away from the instances'.
 */
static void reset_limits(struct fuzzer *f)
{
	struct answer ans;

	msg_init(f->m, sh->family, CLINK_CMD_SET_DEV, CLINK_GENL_VERSION,
		 NLM_F_REQUEST | NLM_F_ACK);
	put_u32(f->m, CLINK_A_IFINDEX, sh->if_f);
	put_u32(f->m, CLINK_A_DEV_MAX_LINKS_PER_VPC, 100);
	put_u32(f->m, CLINK_A_DEV_MAX_VPCS, CLINK_DEFAULT_MAX_VPCS);
	put_u32(f->m, CLINK_A_DEV_MAX_INSTANCES, CLINK_DEFAULT_MAX_INSTANCES);
	put_u32(f->m, CLINK_A_DEV_MAX_LINKS, CLINK_DEFAULT_MAX_LINKS);
	put_u32(f->m, CLINK_A_DEV_MAX_ENDPOINTS, CLINK_DEFAULT_MAX_ENDPOINTS);
	if (request(&f->c, f->m, &ans, NULL, NULL))
		fail("reset of clinkf's limits: no answer");

	/* The lists, apart: refused while a VPC has ClassicLink on. */
	msg_init(f->m, sh->family, CLINK_CMD_SET_DEV, CLINK_GENL_VERSION,
		 NLM_F_REQUEST | NLM_F_ACK);
	put_u32(f->m, CLINK_A_IFINDEX, sh->if_f);
	nest_start(f->m, CLINK_A_DEV_CLASSIC_SPACE);
	put_prefix(f->m, CLINK_A_PREFIX_ENTRY, htonl(0x0a000000), 8);
	nest_end(f->m);
	nest_start(f->m, CLINK_A_DEV_VPC_ELIGIBLE);
	nest_end(f->m);
	if (request(&f->c, f->m, &ans, NULL, NULL))
		fail("reset of clinkf's classic space: no answer");
}

static void hexdump(const void *p, size_t len)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < len && i < 256; i++)
		fprintf(stderr, "%s%02x", i % 32 ? "" : "\n#   ", b[i]);
	fprintf(stderr, "\n");
}

static void fuzz_loop(struct fuzzer *f)
{
	struct answer ans;
	long done = 0;

	while (done < f->todo && !atomic_load(&sh->stop) &&
	       atomic_load(&sh->failures) < 20) {
		int n = chance(&f->r, 5) ? 2 + rnd(&f->r, 3) : 1, i, err;
		bool changing[4], expect[4];
		uint32_t first;
		int cmds[4];

		if (!f->unpriv && done % 4096 == 4095)
			reset_limits(f);
		first = f->c.seq + 1;
		if (chance(&f->r, 1)) {
			abandon_dump(f);
			atomic_fetch_add(&sh->sent, 1);
			done++;
			continue;
		}
		f->m->len = 0;
		for (i = 0; i < n; i++) {
			size_t start = f->m->len;
			struct nlmsghdr *nlh;

			cmds[i] = gen_request(f, i == n - 1);
			changing[i] = cmds[i] >= 1 && cmds[i] <= CLINK_CMD_MAX &&
				      !is_get(cmds[i]);
			expect[i] = true;
			if (chance(&f->r, 4))
				truncate_request(f, start);
			nlh = (struct nlmsghdr *)(f->m->buf + start);
			nlh->nlmsg_seq = ++f->c.seq;
			if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
				changing[i] = false;	/* EINVAL, no command */
			if ((nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP)
				changing[i] = false;	/* EOPNOTSUPP */
			/*
			 * A dump ends its datagram: netlink_rcv_skb skips what
			 * follows, so nothing after it is answered.
			 */
			if (i < n - 1 && (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP)
				n = i + 1;
		}
		/*
		 * Framing the kernel must ignore: a length beyond the datagram.
		 * Nothing answers it; the next request shows the socket lives.
		 */
		if (n == 1 && chance(&f->r, 1)) {
			((struct nlmsghdr *)f->m->buf)->nlmsg_len = f->m->len + 4;
			expect[0] = false;
		}
		err = raw_send(f->c.fd, f->m->buf, f->m->len);
		if (err) {
			fail("send: %s", strerror(-err));
			break;
		}
		atomic_fetch_add(&sh->sent, n);
		if (n > 1)
			atomic_fetch_add(&sh->batches, 1);
		for (i = 0; i < n; i++) {
			if (!expect[i])
				continue;
			err = raw_wait(f->c.fd, first + i, &ans, NULL, NULL);
			if (err) {
				fail("fuzzer %d%s: no answer to request %u (command %d): %s; the datagram:",
				     f->id, f->unpriv ? " (unprivileged)" : "",
				     first + i, cmds[i], strerror(-err));
				hexdump(f->m->buf, f->m->len);
				return;
			}
			count_answer(f, cmds[i], changing[i], &ans);
		}
		done += n;
		atomic_fetch_add(&sh->progress, n);
	}
}

static void *fuzz_thread(void *arg)
{
	struct fuzzer *f = arg;

	f->c.fd = raw_open(NETLINK_GENERIC, sh->timeout);
	f->m = malloc(sizeof(*f->m));
	if (f->c.fd < 0 || !f->m) {
		fail("fuzzer %d: no socket", f->id);
		return NULL;
	}
	fuzz_loop(f);
	close(f->c.fd);
	free(f->m);
	return NULL;
}

/* Stops everything when no request has been answered for STALL_SECS. */
static void *watchdog(void *arg)
{
	long last = -1;
	int idle = 0;

	(void)arg;
	while (!atomic_load(&sh->stop)) {
		long now = atomic_load(&sh->progress);

		sleep(1);
		idle = now == last ? idle + 1 : 0;
		last = now;
		if (idle < STALL_SECS)
			continue;
		fprintf(stderr, "# FAIL: no request answered for %ds: a request hangs in the kernel; blocked tasks follow in the kernel log\n",
			STALL_SECS);
		if (system("echo w > /proc/sysrq-trigger; dmesg | tail -n 80"))
			fprintf(stderr, "# (no sysrq or dmesg)\n");
		fflush(NULL);
		_exit(1);
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* The kernel log.                                                     */

/* New kmemleak reports naming clink, or 0 when kmemleak is absent. */
static int kmemleak_clink(void)
{
	const char *path = "/sys/kernel/debug/kmemleak";
	char line[512];
	int n = 0, fd;
	FILE *fp;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		return 0;
	if (write(fd, "scan", 4) != 4) {
		close(fd);
		return 0;
	}
	close(fd);
	fp = fopen(path, "r");
	if (!fp)
		return 0;
	while (fgets(line, sizeof(line), fp))
		if (strstr(line, "[clink]") || strstr(line, "clink_")) {
			fprintf(stderr, "# kmemleak: %s", line);
			n++;
		}
	fclose(fp);
	return n;
}

static void kmemleak_clear(void)
{
	int fd = open("/sys/kernel/debug/kmemleak", O_WRONLY);

	/* Reports from before this test are not its business. */
	if (fd >= 0) {
		if (write(fd, "clear", 5) < 0)
			{ /* kmemleak disabled at run time */ }
		close(fd);
	}
}

/* ------------------------------------------------------------------ */
/* The test.                                                           */

static long env_long(const char *name, long dflt)
{
	const char *s = getenv(name);

	return s && *s ? strtol(s, NULL, 0) : dflt;
}

FIXTURE(fuzz) {
	int kmsg;
};

FIXTURE_SETUP(fuzz)
{
	char ext[256] = "";
	struct clink c = {};
	int err;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, sh);
	memset(sh, 0, sizeof(*sh));
	if (geteuid())
		SKIP(return, "needs root");
	ASSERT_EQ(0, unshare(CLONE_NEWNET));

	err = cl_rtnl_newlink(NULL, "clinkv", NULL, ext, sizeof(ext));
	if (err == -EOPNOTSUPP || err == -ENOENT)
		SKIP(return, "no clink link type (is clink.ko loaded?): %s", ext);
	ASSERT_EQ(0, err) TH_LOG("ip link add clinkv type clink: %s: %s",
				 strerror(-err), ext);
	err = cl_rtnl_newlink(NULL, "clinkf", NULL, ext, sizeof(ext));
	ASSERT_EQ(0, err) TH_LOG("ip link add clinkf type clink: %s: %s",
				 strerror(-err), ext);
	sh->if_v = if_nametoindex("clinkv");
	sh->if_f = if_nametoindex("clinkf");
	ASSERT_NE(0, sh->if_v);
	ASSERT_NE(0, sh->if_f);

	err = cl_open(&c);
	sh->family = c.family;
	cl_close(&c);
	ASSERT_EQ(0, err) TH_LOG("no generic netlink family '%s'",
				 CLINK_GENL_NAME);

	sh->seed = env_long("FUZZ_SEED", 0);
	if (!sh->seed)
		sh->seed = (uint64_t)time(NULL) * 2654435761u ^ getpid();
	sh->iterations = env_long("FUZZ_ITERATIONS", FUZZ_DEFAULT_ITERATIONS);
	sh->timeout = env_long("FUZZ_TIMEOUT", 30);
	kmemleak_clear();
	self->kmsg = kmsg_open(ext, sizeof(ext));
	ASSERT_NE(-2, self->kmsg) TH_LOG("splat patterns: %s", ext);
}

FIXTURE_TEARDOWN(fuzz)
{
	if (self->kmsg >= 0)
		close(self->kmsg);
}

/* The unprivileged fuzzer, in a child process as nobody. */
static int unpriv_child(long todo)
{
	struct fuzzer f = { .r = sh->seed ^ 0xdeadbeefULL, .unpriv = true,
			    .todo = todo, .id = 99 };

	if (setgroups(0, NULL) || setgid(65534) || setuid(65534)) {
		perror("# setuid(65534)");
		return 1;
	}
	fuzz_thread(&f);
	return 0;
}

TEST_F_TIMEOUT(fuzz, genl, 24 * 3600)
{
	int nthreads = env_long("FUZZ_THREADS", 3), i, status, splat;
	pthread_t tid[16], vtid, wtid;
	struct fuzzer *fz;
	struct timespec t0, t1;
	long per, unpriv_n, total;
	double secs;
	pid_t child;

	if (nthreads < 1 || nthreads > 16)
		nthreads = 3;
	unpriv_n = sh->iterations / 10;
	per = (sh->iterations - unpriv_n) / nthreads;
	TH_LOG("seed %llu (FUZZ_SEED=%llu reproduces it), %ld requests: %d threads x %ld, %ld unprivileged",
	       (unsigned long long)sh->seed, (unsigned long long)sh->seed,
	       sh->iterations, nthreads, per, unpriv_n);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	child = fork();
	ASSERT_LE(0, child);
	if (!child)
		_exit(unpriv_child(unpriv_n));

	fz = calloc(nthreads, sizeof(*fz));
	ASSERT_NE(NULL, fz);
	ASSERT_EQ(0, pthread_create(&wtid, NULL, watchdog, NULL));
	ASSERT_EQ(0, pthread_create(&vtid, NULL, valid_thread, NULL));
	for (i = 0; i < nthreads; i++) {
		fz[i].r = sh->seed + 0x1000 * (i + 1);
		fz[i].todo = per;
		fz[i].id = i;
		ASSERT_EQ(0, pthread_create(&tid[i], NULL, fuzz_thread, &fz[i]));
	}
	for (i = 0; i < nthreads; i++)
		pthread_join(tid[i], NULL);
	ASSERT_EQ(child, waitpid(child, &status, 0));
	atomic_store(&sh->stop, 1);
	pthread_join(vtid, NULL);
	pthread_join(wtid, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = t1.tv_sec - t0.tv_sec + (t1.tv_nsec - t0.tv_nsec) / 1e9;

	total = atomic_load(&sh->sent);
	TH_LOG("%ld fuzzed requests (%ld datagrams of several, %ld dumps abandoned) and %ld valid ones in %.1fs: %.0f requests/s",
	       total, atomic_load(&sh->batches),
	       atomic_load(&sh->abandoned_dumps),
	       atomic_load(&sh->valid_ops), secs,
	       (total + atomic_load(&sh->valid_ops)) / secs);
	for (i = 0; i < 256; i++)
		if (atomic_load(&sh->errs[i]))
			TH_LOG("  %-28s %ld", i ? strerror(i) : "success",
			       atomic_load(&sh->errs[i]));
	TH_LOG("%ld consistency checks of clinkv against the model",
	       atomic_load(&sh->valid_checks));
	{
		char line[512];
		int n = 0;

		for (i = 1; i <= CLINK_CMD_MAX; i++)
			n += snprintf(line + n, sizeof(line) - n, " %d:%ld", i,
				      atomic_load(&sh->ok_cmd[i]));
		TH_LOG("fuzzed requests that succeeded, by command:%s", line);
	}

	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("the unprivileged fuzzer failed (status %#x)", status);
	EXPECT_EQ(0, atomic_load(&sh->failures));
	EXPECT_EQ(0, atomic_load(&sh->no_extack))
		TH_LOG("clink's own rejections must say why (extended ack)");
	EXPECT_LE(sh->iterations * 9 / 10, total)
		TH_LOG("only %ld of %ld requests were sent", total, sh->iterations);

	/* clinkf: its counters against its dumps, whatever state it is in. */
	{
		struct conn c = { .fd = raw_open(NETLINK_GENERIC, sh->timeout) };
		struct msg *m = malloc(sizeof(*m));
		struct seen *s = calloc(1, sizeof(*s));
		int counts[4], cmds[4] = { CLINK_CMD_GET_VPC,
			CLINK_CMD_GET_INSTANCE, CLINK_CMD_GET_LINK,
			CLINK_CMD_GET_ENDPOINT };
		struct answer ans;

		for (i = 0; i < 4; i++) {
			struct answer a;

			msg_init(m, sh->family, cmds[i], CLINK_GENL_VERSION,
				 NLM_F_REQUEST | NLM_F_DUMP);
			put_u32(m, CLINK_A_IFINDEX, sh->if_f);
			ASSERT_EQ(0, request(&c, m, &a, NULL, NULL));
			EXPECT_EQ(1, a.err) TH_LOG("dump of clinkf: %s", strerror(-a.err));
			EXPECT_FALSE(a.intr);
			counts[i] = a.nmsgs;
		}
		msg_init(m, sh->family, CLINK_CMD_GET_DEV, CLINK_GENL_VERSION,
			 NLM_F_REQUEST | NLM_F_ACK);
		put_u32(m, CLINK_A_IFINDEX, sh->if_f);
		ASSERT_EQ(0, request(&c, m, &ans, check_dev, s));
		EXPECT_EQ(0, ans.err);
		TH_LOG("clinkf after fuzzing: %d VPCs, %d instances, %d links, %d endpoints",
		       counts[0], counts[1], counts[2], counts[3]);
		for (i = 0; i < 4; i++)
			EXPECT_EQ((uint32_t)counts[i], s->dev_n[i])
				TH_LOG("clinkf: GET_DEV count %d is %u, the dump has %d",
				       i, s->dev_n[i], counts[i]);
		close(c.fd);
		free(m);
		free(s);
	}

	/* Both devices go with the namespace; then look for leaks. */
	{
		int fd = raw_open(NETLINK_ROUTE, 10);
		struct {
			struct nlmsghdr nlh;
			struct ifinfomsg ifi;
		} req = { .nlh = { .nlmsg_len = sizeof(req),
				   .nlmsg_type = RTM_DELLINK,
				   .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
				   .nlmsg_seq = 1 } };
		struct answer ans;

		req.ifi.ifi_index = sh->if_f;
		EXPECT_EQ(0, raw_send(fd, &req, sizeof(req)));
		EXPECT_EQ(0, raw_wait(fd, 1, &ans, NULL, NULL));
		EXPECT_EQ(0, ans.err);
		req.ifi.ifi_index = sh->if_v;
		req.nlh.nlmsg_seq = 2;
		EXPECT_EQ(0, raw_send(fd, &req, sizeof(req)));
		EXPECT_EQ(0, raw_wait(fd, 2, &ans, NULL, NULL));
		EXPECT_EQ(0, ans.err);
		close(fd);
	}
	if (access("/sys/kernel/debug/kmemleak", W_OK) == 0) {
		sleep(6);	/* kmemleak ignores objects younger than 5s */
		EXPECT_EQ(0, kmemleak_clink());
	}
	splat = kmsg_splats(self->kmsg);
	EXPECT_EQ(0, splat) TH_LOG("the kernel logged %d splat(s)", splat);
	if (self->kmsg < 0)
		TH_LOG("/dev/kmsg unreadable: the runner's dmesg check decides");
}

TEST_HARNESS_MAIN
