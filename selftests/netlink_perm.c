// SPDX-License-Identifier: GPL-2.0
/*
 * Reads are as private as changes: every GET and dump, and joining the
 * events group, need CAP_NET_ADMIN in the user namespace that owns the
 * network namespace (GENL_UNS_ADMIN_PERM, GENL_MCAST_CAP_NET_ADMIN).
 *
 *   netns (owned by the initial user ns): clink0 with one object of each
 *     kind; uid 65534 without capabilities gets EPERM and no data.
 *   user ns + netns of uid 65534: its root creates its own clink0 there
 *     and may read it and subscribe (the "UNS" in the flag).
 *
 * The checks run in a child with other credentials; it prints what failed
 * and exits with the number of failures.
 */
#define _GNU_SOURCE
#include <grp.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include "lib_clink_nl.h"
#include "kselftest_harness.h"

#define NOBODY	65534

struct read_req {
	const char *what;
	int cmd;
	bool dump;
	struct cl_attr attrs[3];
};

static const struct read_req reads[] = {
	{ "GET_DEV", CLINK_CMD_GET_DEV, false, { AEND } },
	{ "GET_DEV dump", CLINK_CMD_GET_DEV, true, { AEND } },
	{ "GET_VPC", CLINK_CMD_GET_VPC, false, { AS(CLINK_A_VPC_ID, "vpc-a"), AEND } },
	{ "GET_VPC dump", CLINK_CMD_GET_VPC, true, { AEND } },
	{ "GET_ENDPOINT", CLINK_CMD_GET_ENDPOINT, false,
	  { AS(CLINK_A_VPC_ID, "vpc-a"), AADDR(CLINK_A_EP_ADDR, "172.16.0.10"), AEND } },
	{ "GET_ENDPOINT dump", CLINK_CMD_GET_ENDPOINT, true, { AEND } },
	{ "GET_ROUTE dump", CLINK_CMD_GET_ROUTE, true, { AS(CLINK_A_VPC_ID, "vpc-a"), AEND } },
	{ "GET_INSTANCE", CLINK_CMD_GET_INSTANCE, false, { AS(CLINK_A_INST_ID, "i-1"), AEND } },
	{ "GET_INSTANCE dump", CLINK_CMD_GET_INSTANCE, true, { AEND } },
	{ "GET_LINK dump", CLINK_CMD_GET_LINK, true, { AEND } },
	{ "GET_ACL dump", CLINK_CMD_GET_ACL, true, { AS(CLINK_A_VPC_ID, "vpc-a"), AEND } },
};

static int count_msg(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(*(int *)arg)++;
	return NL_OK;
}

/* Sends every read; -EPERM and no reply is what @want_err = -EPERM means. */
static int check_reads(struct clink *c, int want_err)
{
	int i, n, r, fails = 0;

	for (i = 0; i < (int)ARRAY_SIZE(reads); i++) {
		n = 0;
		if (reads[i].dump)
			r = cl_dump(c, reads[i].cmd, count_msg, &n, reads[i].attrs);
		else
			r = cl_get(c, reads[i].cmd, reads[i].attrs, count_msg, &n);
		if (r == want_err && (want_err || n > 0) && (!want_err || !n))
			continue;
		fprintf(stderr, "%s: %d (%s), %d replies, expected %d (%s)%s\n",
			reads[i].what, r, strerror(-r), n, want_err,
			strerror(-want_err), want_err ? " and none" : " and data");
		fails++;
	}
	return fails;
}

/* Joins the events group; 0 or -errno (of setsockopt itself). */
static int join_events(void)
{
	struct nl_sock *sk = nl_socket_alloc();
	int grp, fd, r = 0;

	if (!sk || genl_connect(sk) < 0)
		return -EIO;
	grp = genl_ctrl_resolve_grp(sk, CLINK_GENL_NAME, CLINK_MCGRP_EVENTS);
	fd = nl_socket_get_fd(sk);
	if (grp < 0)
		r = -ENOENT;
	else if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp,
			    sizeof(grp)))
		r = -errno;
	nl_socket_free(sk);
	return r;
}

/*
 * uid and gid 65534, no capabilities. Dumpable again, as a process that
 * changed its uid is not: its /proc/self files (uid_map) stay its own.
 */
static int drop_to_nobody(void)
{
	return setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	       setresuid(NOBODY, NOBODY, NOBODY) ||
	       prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
}

/* The checks of an unprivileged process in the fixture's namespace. */
static int unprivileged_child(const struct clink *root)
{
	struct clink c;
	int fails, r;

	if (drop_to_nobody() || cl_clone(&c, root))
		return 100;
	fails = check_reads(&c, -EPERM);
	r = join_events();
	if (r != -EPERM) {
		fprintf(stderr, "join events: %d (%s), expected EPERM\n", r,
			strerror(-r));
		fails++;
	}
	cl_close(&c);
	return fails;
}

/*
 * uid 65534 makes its own user and network namespaces and, as their root,
 * its own clink0: GENL_UNS_ADMIN_PERM lets it read and subscribe there.
 * 99: unprivileged user namespaces are not allowed here.
 */
static int userns_root_child(void)
{
	char map[32], ext[256] = "";
	struct clink c = { 0 };
	int fails, r;

	if (drop_to_nobody())
		return 100;
	if (unshare(CLONE_NEWUSER | CLONE_NEWNET))
		return 99;
	snprintf(map, sizeof(map), "0 %d 1", NOBODY);
	if (cl_write_file("/proc/self/setgroups", "deny") ||
	    cl_write_file("/proc/self/uid_map", map) ||
	    cl_write_file("/proc/self/gid_map", map))
		return 101;
	r = cl_rtnl_newlink(&c, CL_DEVNAME, NULL, ext, sizeof(ext));
	if (r || cl_open(&c)) {
		fprintf(stderr, "clink0 in the user namespace: %s (%s)\n",
			strerror(-r), ext);
		return 102;
	}
	r = cl_vpc_cl(&c, "vpc-a", 100, "172.16.0.0/16");
	if (!r)
		r = cl_inst_new(&c, "i-1", "10.1.2.3");
	if (!r)
		r = cl_link(&c, "i-1", "vpc-a");
	if (!r)
		r = cl_ep_new(&c, "vpc-a", "172.16.0.10", "192.0.2.1",
			      "02:00:00:00:00:01");
	if (!r)
		r = CLREQ(&c, CLINK_CMD_NEW_ACL, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
			  AU32(CLINK_A_ACL_PRIO, 1), AU8(CLINK_A_ACL_DIR, CLINK_ACL_TO_VPC),
			  AU8(CLINK_A_ACL_ACTION, CLINK_ACL_DENY));
	if (r) {
		fprintf(stderr, "configuring: %s \"%s\"\n", strerror(-r), c.ext);
		return 103;
	}
	fails = check_reads(&c, 0);
	r = join_events();
	if (r) {
		fprintf(stderr, "join events: %d (%s), expected success\n", r,
			strerror(-r));
		fails++;
	}
	cl_close(&c);
	return fails;
}

/* Runs @fn in a child; its exit status, or -1 when it did not exit. */
static int run_child(int (*fn)(const struct clink *), const struct clink *root)
{
	int status;
	pid_t pid;

	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid)
		_exit(fn(root));
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int userns_root_child_fn(const struct clink *root)
{
	(void)root;
	return userns_root_child();
}

FIXTURE(perm) {
	struct clink c;
};

FIXTURE_SETUP(perm)
{
	struct clink *c = &self->c;
	char why[512] = "";

	ASSERT_EQ(0, cl_setup_netns_dev(c, why, sizeof(why))) TH_LOG("%s", why);
	ASSERT_CL_OK(c, cl_vpc_cl(c, "vpc-a", 100, "172.16.0.0/16"));
	ASSERT_CL_OK(c, cl_inst_new(c, "i-1", "10.1.2.3"));
	ASSERT_CL_OK(c, cl_link(c, "i-1", "vpc-a"));
	ASSERT_CL_OK(c, cl_ep_new(c, "vpc-a", "172.16.0.10", "192.0.2.1",
				  "02:00:00:00:00:01"));
	ASSERT_CL_OK(c, CLREQ(c, CLINK_CMD_NEW_ACL, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
			      AU32(CLINK_A_ACL_PRIO, 1),
			      AU8(CLINK_A_ACL_DIR, CLINK_ACL_TO_VPC),
			      AU8(CLINK_A_ACL_ACTION, CLINK_ACL_DENY)));
}

FIXTURE_TEARDOWN(perm)
{
	cl_close(&self->c);
}

TEST_F(perm, root_reads_everything)
{
	EXPECT_EQ(0, check_reads(&self->c, 0));
	EXPECT_EQ(0, join_events());
}

TEST_F(perm, unprivileged_gets_eperm_for_reads_and_events)
{
	EXPECT_EQ(0, run_child(unprivileged_child, &self->c))
		TH_LOG("failures of the unprivileged process: see above");
}

TEST_F(perm, root_of_an_unprivileged_user_namespace_reads_its_own)
{
	int r = run_child(userns_root_child_fn, &self->c);

	if (r == 99)
		SKIP(return, "unprivileged user namespaces are disabled");
	EXPECT_EQ(0, r) TH_LOG("failures in the user namespace: see above");
}

TEST_HARNESS_MAIN
