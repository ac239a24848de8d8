// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel memory a request allocates is charged to the caller's memory
 * cgroup.  One namespace with clink0, and a cgroup v2 with a small
 * memory.max:
 *
 *   /sys/fs/cgroup/clink-memcg-<pid>   memory.max 16M
 *       up to 20000 VPCs (each a VPC, a route table and per-CPU counters,
 *       some 1.5 KB)  ->  ENOMEM part way (200 times), and no OOM kill
 *   the root cgroup: the same gateway goes on taking VPCs
 *
 * Before the objects were charged, all 20000 fitted inside the limit they
 * should have hit.
 *
 * Only the kernel's objects may meet the limit.  A page the caller itself
 * faulted in at the limit (its stack growing, a copy-on-write page of the
 * harness's fork, a new heap page) cannot fail with ENOMEM: it wakes the
 * OOM killer, as it should.  So the caller grows its stack, warms up the
 * requests it will send and locks its memory (mlockall breaks every
 * copy-on-write) before it moves into the cgroup, and sends nothing there
 * but same-sized requests from memory it already has.  clink's own
 * allocations use __GFP_RETRY_MAYFAIL: at the limit they fail, they never
 * kill.
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "lib_clink_nl.h"
#include "lib_kmsg.h"
#include "kselftest_harness.h"

#define CG_ROOT		"/sys/fs/cgroup"
#define LIMIT		"16M"
#define NVPC		20000
/*
 * Enough refusals to show the limit holds: each one costs the kernel a
 * round of reclaim, which the debug kernel makes slow.
 */
#define NOMEM_ENOUGH	200
#define NMORE		1000
#define STACK_KB	512

FIXTURE(memcg) {
	struct clink c;
	char cg[128];
	int kmsg;
};

static int read_file(const char *path, char *buf, size_t sz)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sz - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

/*
 * A count in @cg's memory.events ("max": how often it hit memory.max,
 * "oom_kill": processes the OOM killer killed in it); -1 if unreadable.
 */
static long memory_event(const char *cg, const char *name)
{
	char path[192], buf[512], key[32], *p;
	size_t n;

	snprintf(path, sizeof(path), "%s/memory.events", cg);
	n = snprintf(key, sizeof(key), "\n%s ", name);
	buf[0] = '\n';
	if (read_file(path, buf + 1, sizeof(buf) - 1))
		return -1;
	p = strstr(buf, key);
	return p ? strtol(p + n, NULL, 10) : -1;
}

/* Faults in @kb of stack now, outside the cgroup. */
static void __attribute__((noinline)) grow_stack(size_t kb)
{
	volatile char buf[STACK_KB * 1024];

	memset((char *)buf, 0, kb * 1024);
}

FIXTURE_SETUP(memcg)
{
	char why[512] = "", buf[256];

	self->kmsg = -1;
	self->cg[0] = '\0';
	if (read_file(CG_ROOT "/cgroup.controllers", buf, sizeof(buf)) ||
	    !strstr(buf, "memory"))
		SKIP(return, "no cgroup v2 memory controller at " CG_ROOT);
	if (read_file(CG_ROOT "/cgroup.subtree_control", buf, sizeof(buf)) ||
	    (!strstr(buf, "memory") &&
	     cl_write_file(CG_ROOT "/cgroup.subtree_control", "+memory")))
		SKIP(return, "cannot enable the memory controller for child cgroups");

	self->kmsg = kmsg_open(why, sizeof(why));
	ASSERT_NE(-2, self->kmsg) TH_LOG("%s", why);
	ASSERT_EQ(0, cl_setup_netns_dev(&self->c, why, sizeof(why))) TH_LOG("%s", why);

	snprintf(self->cg, sizeof(self->cg), CG_ROOT "/clink-memcg-%d", getpid());
	ASSERT_EQ(0, mkdir(self->cg, 0755)) TH_LOG("mkdir %s: %s", self->cg, strerror(errno));
	snprintf(buf, sizeof(buf), "%s/memory.max", self->cg);
	ASSERT_EQ(0, cl_write_file(buf, LIMIT)) TH_LOG("%s: %s", buf, strerror(errno));
}

FIXTURE_TEARDOWN(memcg)
{
	cl_close(&self->c);
	cl_link_del(CL_DEVNAME);
	/* the objects are gone with clink0; their charges with them */
	if (self->cg[0] && rmdir(self->cg))
		TH_LOG("rmdir %s: %s", self->cg, strerror(errno));
	if (self->kmsg >= 0)
		close(self->kmsg);
}

/* 20 s in a quiet VM, the debug kernel is slower */
TEST_F_TIMEOUT(memcg, enomem_inside_not_outside, 300)
{
	char procs[192], id[32];
	int in_fd, out_fd, i, r, n_ok = 0, n_nomem = 0, n_other = 0;
	int first_other = 0, after_nomem = 0;
	struct cl_dev_info d;
	struct cl_vpc_info v;
	long hit;

	/* Everything the loop below touches, touched now. */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	grow_stack(STACK_KB - 64);
	ASSERT_EQ(0, cl_vpc_new(&self->c, "v0", 1, "172.16.0.0/16")) TH_LOG("%s", self->c.ext);
	ASSERT_EQ(-EEXIST, cl_vpc_new(&self->c, "v0", 1, "172.16.0.0/16"));
	ASSERT_EQ(0, cl_vpc_del(&self->c, "v0"));
	ASSERT_EQ(0, mlockall(MCL_CURRENT)) TH_LOG("mlockall: %s", strerror(errno));

	snprintf(procs, sizeof(procs), "%s/cgroup.procs", self->cg);
	in_fd = open(procs, O_WRONLY);
	out_fd = open(CG_ROOT "/cgroup.procs", O_WRONLY);
	ASSERT_LE(0, in_fd);
	ASSERT_LE(0, out_fd);

	/* Inside the cgroup: no output, no new memory of our own. */
	ASSERT_EQ(1, write(in_fd, "0", 1)) TH_LOG("joining %s: %s", self->cg, strerror(errno));
	for (i = 1; i <= NVPC && n_nomem < NOMEM_ENOUGH; i++) {
		snprintf(id, sizeof(id), "v%d", i);
		r = cl_vpc_new(&self->c, id, i, "172.16.0.0/16");
		if (!r) {
			n_ok++;
			after_nomem += n_nomem > 0;
		} else if (r == -ENOMEM) {
			n_nomem++;
		} else if (!n_other++) {
			first_other = r;
		}
	}
	r = write(out_fd, "0", 1);
	munlockall();
	ASSERT_EQ(1, r) TH_LOG("leaving %s: %s", self->cg, strerror(errno));
	close(in_fd);
	close(out_fd);

	TH_LOG("inside memory.max %s: %d of %d VPCs made, then %d ENOMEM, "
	       "where it stopped (%d made after the first ENOMEM, as freed "
	       "memory allowed)", LIMIT, n_ok, NVPC, n_nomem, after_nomem);
	EXPECT_EQ(0, n_other) TH_LOG("%d other errors, the first %s", n_other,
				     strerror(-first_other));
	EXPECT_EQ(NOMEM_ENOUGH, n_nomem) TH_LOG("%d VPCs fitted in %s: not charged", n_ok, LIMIT);
	hit = memory_event(self->cg, "max");
	EXPECT_LT(0, hit) TH_LOG("memory.events max %ld: the cgroup never hit its limit", hit);
	EXPECT_EQ(0, memory_event(self->cg, "oom_kill"));

	/* A refused VPC changed nothing: the device holds those made. */
	ASSERT_EQ(0, cl_get_dev(&self->c, &d));
	EXPECT_EQ((uint32_t)n_ok, d.n_vpcs);

	/* The host is not limited: the same gateway takes more from here. */
	for (i = NVPC + 1; i <= NVPC + NMORE; i++) {
		snprintf(id, sizeof(id), "v%d", i);
		r = cl_vpc_new(&self->c, id, i, "172.16.0.0/16");
		ASSERT_EQ(0, r) TH_LOG("from the root cgroup, %s: %s \"%s\"", id,
				       strerror(-r), self->c.ext);
	}
	ASSERT_EQ(0, cl_get_dev(&self->c, &d));
	EXPECT_EQ((uint32_t)(n_ok + NMORE), d.n_vpcs);
	snprintf(id, sizeof(id), "v%d", NVPC + NMORE);
	ASSERT_EQ(0, cl_get_vpc(&self->c, id, &v));
	EXPECT_EQ((uint32_t)(NVPC + NMORE), v.vni);

	/* No OOM report, no splat: the limit was met by ENOMEM alone. */
	EXPECT_EQ(0, kmsg_splats(self->kmsg));
}

TEST_HARNESS_MAIN
