// SPDX-License-Identifier: GPL-2.0
/*
 * Deleting a clink device, or the network namespace that holds it, frees
 * everything its objects held, however many there were.
 *
 * Kernel memory is SUnreclaim + VmallocUsed + Percpu from /proc/meminfo.
 * Freed slab objects need not give their pages back, so one round proves
 * little; instead a warm-up round fills the caches, then ROUNDS more rounds
 * each create a device with thousands of objects and delete it.  Without a
 * leak the later rounds reuse what the first freed and memory stays flat;
 * a leak of even a part of the objects grows it by ROUNDS times that part.
 * Pass: memory settles within a quarter of one device's footprint of where
 * it was after the warm-up (a leak of 1/16 of every round would not).
 * The test first checks that one populated device takes enough memory for
 * the comparison to mean something.
 */
#define _GNU_SOURCE
#include <sys/wait.h>
#include "lib_clink_nl.h"
#include "kselftest_harness.h"

#define ROUNDS		4
#define N_INST		10000	/* instances, all linked, over two VPCs */
#define N_EP		1000	/* endpoints per VPC */
#define N_ROUTE		100	/* custom routes per VPC */
#define N_ACL		100	/* ACL rules per VPC */
#define N_SVC		100	/* PrivateLink services in vpc-1 */
#define N_VPCE		1000	/* VPC endpoints in vpc-0, over the services */
#define MIN_FOOTPRINT	(1024)	/* kB a populated device must take */

/* SUnreclaim + VmallocUsed + Percpu, in kB. */
static long kmem_kb(void)
{
	char line[256];
	long v, sum = 0;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "SUnreclaim: %ld", &v) == 1 ||
		    sscanf(line, "VmallocUsed: %ld", &v) == 1 ||
		    sscanf(line, "Percpu: %ld", &v) == 1)
			sum += v;
	}
	fclose(f);
	return sum;
}

/* Waits for freeing (RCU, netns cleanup) until memory drops to @target. */
static long settle(long target, double secs)
{
	double end = cl_now() + secs;
	long m;

	for (;;) {
		usleep(250 * 1000);
		m = kmem_kb();
		if (m <= target || cl_now() > end)
			return m;
	}
}

/* An attribute of @type holding @len bytes of @data, at @buf; its size. */
static int put_nla(unsigned char *buf, int type, const void *data, int len)
{
	struct nlattr *nla = (struct nlattr *)buf;

	nla->nla_type = type;
	nla->nla_len = NLA_HDRLEN + len;
	memcpy(buf + NLA_HDRLEN, data, len);
	memset(buf + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	return NLA_ALIGN(nla->nla_len);
}

/*
 * Payloads of a service's backend list (one backend, port 80) and SNAT
 * list (one address), for ARAW.
 */
static int backends_raw(unsigned char *buf, const char *addr)
{
	unsigned char be[32];
	uint32_t a = cl_ip(addr);
	uint16_t port = 80;
	int n;

	n = put_nla(be, CLINK_BACKEND_A_ADDR, &a, 4);
	n += put_nla(be + n, CLINK_BACKEND_A_PORT, &port, 2);
	return put_nla(buf, CLINK_A_SVC_BACKEND | NLA_F_NESTED, be, n);
}

static int snat_raw(unsigned char *buf, const char *addr)
{
	uint32_t a = cl_ip(addr);

	return put_nla(buf, CLINK_A_SVC_ADDR, &a, 4);
}

/* Fills the device @c names with everything there is; 0 or -errno. */
static int populate(struct clink *c, char *why, size_t whysz)
{
	static struct cl_batch b;
	char id[32], addr[32], mac[32];
	struct cl_dev_info d;
	int k, v, r;

	r = CLREQ(c, CLINK_CMD_SET_DEV, 0,
		  AU32(CLINK_A_DEV_MAX_LINKS_PER_VPC, CLINK_MAX_LINKS_PER_VPC));
	if (!r)
		r = cl_vpc_cl(c, "vpc-0", 100, "172.16.0.0/16");
	if (!r)
		r = cl_vpc_cl(c, "vpc-1", 101, "172.17.0.0/16");
	if (r) {
		snprintf(why, whysz, "VPCs: %s \"%s\"", strerror(-r), c->ext);
		return r;
	}
	cl_batch_init(&b, c);
	for (k = 0; k < N_INST; k++) {
		sprintf(id, "i-%d", k);
		sprintf(addr, "10.1.%d.%d", k >> 8, k & 255);
		CLBATCH(&b, CLINK_CMD_NEW_INSTANCE, 0, AS(CLINK_A_INST_ID, id),
			AADDR(CLINK_A_INST_ADDR, addr));
		CLBATCH(&b, CLINK_CMD_NEW_LINK, 0, AS(CLINK_A_INST_ID, id),
			AS(CLINK_A_VPC_ID, k & 1 ? "vpc-1" : "vpc-0"));
	}
	for (v = 0; v < 2; v++) {
		const char *vpc = v ? "vpc-1" : "vpc-0";

		for (k = 0; k < N_EP; k++) {
			sprintf(addr, "172.%d.%d.%d", 16 + v, k >> 8, k & 255);
			sprintf(mac, "02:00:00:%02x:%02x:%02x", v, k >> 8, k & 255);
			CLBATCH(&b, CLINK_CMD_NEW_ENDPOINT, 0, AS(CLINK_A_VPC_ID, vpc),
				AADDR(CLINK_A_EP_ADDR, addr), AADDR(CLINK_A_EP_VTEP, "192.0.2.1"),
				AMAC(CLINK_A_EP_MAC, mac));
		}
		for (k = 0; k < N_ROUTE; k++) {
			sprintf(addr, "192.168.%d.0/24", k);
			CLBATCH(&b, CLINK_CMD_NEW_ROUTE, 0, AS(CLINK_A_VPC_ID, vpc),
				APFX(CLINK_A_ROUTE_DST, addr),
				AU8(CLINK_A_ROUTE_NEXTHOP, CLINK_NEXTHOP_VPN));
		}
		for (k = 0; k < N_ACL; k++)
			CLBATCH(&b, CLINK_CMD_NEW_ACL, 0, AS(CLINK_A_VPC_ID, vpc),
				AU32(CLINK_A_ACL_PRIO, k),
				AU8(CLINK_A_ACL_DIR, k & 1),
				AU8(CLINK_A_ACL_ACTION, CLINK_ACL_ALLOW),
				AU8(CLINK_A_ACL_PROTO, 6),
				AU16(CLINK_A_ACL_DPORT_MIN, k), AU16(CLINK_A_ACL_DPORT_MAX, k));
		CLBATCH(&b, CLINK_CMD_NEW_CIDR, 0, AS(CLINK_A_VPC_ID, vpc),
			APFX(CLINK_A_VPC_CIDR, v ? "172.21.0.0/16" : "172.20.0.0/16"));
	}
	for (k = 0; k < N_SVC; k++) {
		static unsigned char be[N_SVC][64], sn[N_SVC][16];
		int nbe, nsn;

		sprintf(id, "svc-%d", k);
		sprintf(addr, "172.17.200.%d", k);
		nsn = snat_raw(sn[k], addr);
		nbe = backends_raw(be[k], "172.17.0.1");
		CLBATCH(&b, CLINK_CMD_NEW_SERVICE, 0, AS(CLINK_A_SVC_ID, id),
			AS(CLINK_A_VPC_ID, "vpc-1"), AU8(CLINK_A_SVC_PROTO, 6),
			AU16(CLINK_A_SVC_PORT, 80),
			ARAW(CLINK_A_SVC_BACKENDS | NLA_F_NESTED, be[k], nbe),
			ARAW(CLINK_A_SVC_SNAT | NLA_F_NESTED, sn[k], nsn));
	}
	for (k = 0; k < N_VPCE; k++) {
		char svc[32];

		sprintf(id, "vpce-%d", k);
		sprintf(svc, "svc-%d", k % N_SVC);
		sprintf(addr, "172.16.%d.%d", 200 + (k >> 8), k & 255);
		CLBATCH(&b, CLINK_CMD_NEW_VPCE, 0, AS(CLINK_A_VPCE_ID, id),
			AS(CLINK_A_VPC_ID, "vpc-0"), AADDR(CLINK_A_VPCE_ADDR, addr),
			AS(CLINK_A_SVC_ID, svc));
	}
	cl_batch_flush(&b);
	if (b.nfail) {
		snprintf(why, whysz, "%ld of %ld requests failed, first: %s \"%s\"",
			 b.nfail, b.total, strerror(-b.first_err), b.first_ext);
		return b.first_err;
	}
	r = cl_get_dev(c, &d);
	if (r || d.n_insts != N_INST || d.n_links != N_INST || d.n_eps != 2 * N_EP) {
		snprintf(why, whysz, "counts after populating: %u instances, %u links, %u endpoints",
			 d.n_insts, d.n_links, d.n_eps);
		return r ?: -EIO;
	}
	return 0;
}

FIXTURE(leak) {
	int unused;
};

FIXTURE_SETUP(leak)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET)) TH_LOG("unshare: %s", strerror(errno));
	ASSERT_LT(0, kmem_kb());
}

FIXTURE_TEARDOWN(leak)
{
}

/* One round in the current netns: create clinkL, populate, delete it. */
static int round_dev(long *peak, char *why, size_t whysz)
{
	struct clink c = { 0 };
	char ext[256] = "";
	int r;

	r = cl_rtnl_newlink(&c, "clinkL", NULL, ext, sizeof(ext));
	if (r) {
		snprintf(why, whysz, "ip link add clinkL type clink: %s \"%s\"", strerror(-r), ext);
		return r;
	}
	r = cl_open(&c);
	if (!r)
		r = populate(&c, why, whysz);
	*peak = kmem_kb();
	cl_close(&c);
	if (cl_link_del("clinkL") && !r) {
		snprintf(why, whysz, "ip link del clinkL failed");
		r = -EIO;
	}
	return r;
}

/* One round in a child's own netns, which goes away when the child exits. */
static int round_netns(long *peak, char *why, size_t whysz)
{
	struct { int r; long peak; char why[200]; } res = { .r = -EIO };
	int fds[2], status;
	pid_t pid;

	if (pipe(fds))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		struct clink c;

		close(fds[0]);
		res.r = cl_setup_netns_dev(&c, res.why, sizeof(res.why));
		if (!res.r)
			res.r = populate(&c, res.why, sizeof(res.why));
		res.peak = kmem_kb();
		/* no cleanup: the namespace takes the device with it */
		_exit(write(fds[1], &res, sizeof(res)) == sizeof(res) ? 0 : 1);
	}
	close(fds[1]);
	if (read(fds[0], &res, sizeof(res)) != sizeof(res))
		res.r = -EIO;
	close(fds[0]);
	waitpid(pid, &status, 0);
	*peak = res.peak;
	snprintf(why, whysz, "%s", res.why);
	return res.r;
}

static void leak_check(struct __test_metadata *_metadata,
		       int (*round)(long *, char *, size_t), const char *what)
{
	long pre, peak, base, footprint, final, limit;
	char why[256] = "";
	double t0 = cl_now();
	int i;

	pre = settle(0, 1);
	ASSERT_EQ(0, round(&peak, why, sizeof(why))) TH_LOG("warm-up round: %s", why);
	footprint = peak - pre;
	base = settle(0, 3);
	ksft_print_msg("%s: before %ld kB, populated %ld kB (+%ld), after %ld kB (%.1f s)\n",
		       what, pre, peak, footprint, base, cl_now() - t0);
	ASSERT_LE(MIN_FOOTPRINT, footprint)
		TH_LOG("a populated device takes only %ld kB: the test would not see a leak",
		       footprint);

	for (i = 1; i <= ROUNDS; i++) {
		ASSERT_EQ(0, round(&peak, why, sizeof(why))) TH_LOG("round %d: %s", i, why);
		ksft_print_msg("%s: round %d populated %ld kB (%+ld over the first)\n",
			       what, i, peak, peak - (base + footprint));
	}
	limit = base + footprint / 4;
	final = settle(limit, 60);
	ksft_print_msg("%s: after %d more rounds %ld kB (%+ld kB, limit %+ld) in %.1f s\n",
		       what, ROUNDS, final, final - base, limit - base, cl_now() - t0);
	EXPECT_LE(final, limit)
		TH_LOG("%d rounds left %ld kB behind; one populated device takes %ld kB",
		       ROUNDS, final - base, footprint);
}

TEST_F_TIMEOUT(leak, device_deletion_frees_thousands_of_objects, 550)
{
	leak_check(_metadata, round_dev, "ip link del");
}

TEST_F_TIMEOUT(leak, netns_deletion_frees_thousands_of_objects, 550)
{
	leak_check(_metadata, round_netns, "netns exit");
}

TEST_HARNESS_MAIN
