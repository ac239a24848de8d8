// SPDX-License-Identifier: GPL-2.0
/*
 * Who may see and change what, against include/uapi/linux/clink.h: a
 * request acts on the clink devices of the sender's network namespace
 * only, and every command, reads included, needs CAP_NET_ADMIN.
 *
 *   netns A: clink0 (vpc-a, i-1 10.1.2.3 linked)   socket a
 *   netns B: clink0 (same name, its own objects)    socket b
 */
#define _GNU_SOURCE
#include <grp.h>
#include <sys/wait.h>
#include "lib_clink_nl.h"
#include "kselftest_harness.h"

FIXTURE(ns) {
	struct clink a, b;
	int ns_a, ns_b;
};

FIXTURE_SETUP(ns)
{
	char why[512] = "";

	self->ns_a = self->ns_b = -1;
	ASSERT_EQ(0, cl_setup_netns_dev(&self->a, why, sizeof(why))) TH_LOG("%s", why);
	self->ns_a = open("/proc/self/ns/net", O_RDONLY);
	ASSERT_LE(0, self->ns_a);
	ASSERT_EQ(0, cl_setup_netns_dev(&self->b, why, sizeof(why))) TH_LOG("%s", why);
	self->ns_b = open("/proc/self/ns/net", O_RDONLY);
	ASSERT_LE(0, self->ns_b);
	ASSERT_EQ(0, setns(self->ns_a, CLONE_NEWNET));
}

FIXTURE_TEARDOWN(ns)
{
	cl_close(&self->a);
	cl_close(&self->b);
	if (self->ns_a >= 0)
		close(self->ns_a);
	if (self->ns_b >= 0)
		close(self->ns_b);
}

TEST_F(ns, objects_are_invisible_across_namespaces)
{
	struct clink *a = &self->a, *b = &self->b;
	struct cl_vec v = CL_VEC(struct cl_link);
	struct cl_dev_info da, db;
	struct cl_vpc_info vi;
	struct cl_events ev_b;

	ASSERT_STREQ(a->ifname, b->ifname);
	ASSERT_EQ(0, setns(self->ns_b, CLONE_NEWNET));
	ASSERT_EQ(0, cl_events_open(&ev_b));
	ASSERT_EQ(0, setns(self->ns_a, CLONE_NEWNET));

	ASSERT_CL_OK(a, cl_vpc_cl(a, "vpc-a", 100, "172.16.0.0/16"));
	ASSERT_CL_OK(a, cl_inst_new(a, "i-1", "10.1.2.3"));
	ASSERT_CL_OK(a, cl_link(a, "i-1", "vpc-a"));
	ASSERT_CL_OK(a, cl_ep_new(a, "vpc-a", "172.16.0.10", "192.0.2.1",
				  "02:00:00:00:00:01"));

	/* b sees none of it */
	ASSERT_CL_OK(b, cl_get_dev(b, &db));
	EXPECT_EQ(0, db.n_vpcs);
	EXPECT_EQ(0, db.n_insts);
	EXPECT_EQ(0, db.n_links);
	EXPECT_EQ(0, db.n_eps);
	EXPECT_EQ(-ENOENT, cl_get_vpc(b, "vpc-a", &vi));
	EXPECT_EQ(-ENOENT, cl_get_inst(b, "i-1", &(struct cl_inst_info){ 0 }));
	ASSERT_CL_OK(b, cl_links(b, NULL, &v));
	EXPECT_EQ(0, v.n);
	ASSERT_CL_OK(b, cl_endpoints(b, NULL, &v));
	EXPECT_EQ(0, v.n);
	/* nor its events */
	cl_events_drain(&ev_b, 200);
	EXPECT_EQ(0, ev_b.ev.n) cl_events_print(&ev_b);

	/* and may use the same names, VNI and classic IP */
	EXPECT_CL_OK(b, cl_vpc_cl(b, "vpc-a", 100, "172.16.0.0/16"));
	EXPECT_CL_OK(b, cl_inst_new(b, "i-1", "10.1.2.3"));
	EXPECT_CL_OK(b, cl_link(b, "i-1", "vpc-a"));
	EXPECT_CL_OK(b, CLREQ(b, CLINK_CMD_DEL_INSTANCE, 0, AS(CLINK_A_INST_ID, "i-1")));
	/* b's listener does hear b's own changes */
	cl_events_drain(&ev_b, 200);
	EXPECT_EQ(1, cl_events_count(&ev_b, CLINK_CMD_NEW_VPC, -1, NULL, "vpc-a"));
	EXPECT_EQ(1, cl_events_count(&ev_b, CLINK_CMD_DEL_INSTANCE, -1, "i-1", NULL));

	/* a's device is still intact */
	ASSERT_CL_OK(a, cl_get_dev(a, &da));
	EXPECT_EQ(1, da.n_vpcs);
	EXPECT_EQ(1, da.n_insts);
	EXPECT_EQ(1, da.n_links);
	EXPECT_EQ(1, da.n_eps);

	cl_vec_free(&v);
	cl_events_close(&ev_b);
}

TEST_F(ns, devices_of_another_namespace_cannot_be_named)
{
	struct clink *b = &self->b;
	struct cl_dev_info d;
	char ext[256];
	int idx;

	/* a second device in a only: b has no such index or name */
	ASSERT_EQ(0, cl_rtnl_newlink(NULL, "clink1", NULL, ext, sizeof(ext))) TH_LOG("%s", ext);
	idx = if_nametoindex("clink1");
	ASSERT_NE(0, idx);
	b->sel = CL_SEL_IFINDEX;
	b->ifindex = idx;
	EXPECT_CL_FAIL(b, cl_get_dev(b, &d), -ENODEV, NULL);
	EXPECT_CL_FAIL(b, cl_vpc_new(b, "vpc-x", 100, "172.16.0.0/16"), -ENODEV, NULL);
	b->sel = CL_SEL_IFNAME;
	snprintf(b->ifname, sizeof(b->ifname), "clink1");
	EXPECT_CL_FAIL(b, cl_get_dev(b, &d), -ENODEV, NULL);
	/* with no device named, b's own single device is meant */
	b->sel = CL_SEL_NONE;
	ASSERT_CL_OK(b, cl_get_dev(b, &d));
	EXPECT_STREQ(CL_DEVNAME, d.ifname);
	EXPECT_EQ(0, d.n_vpcs);
}

TEST_F(ns, device_deletion_in_one_namespace_leaves_the_other)
{
	struct clink *a = &self->a, *b = &self->b;
	struct cl_dev_info d;

	ASSERT_CL_OK(b, cl_vpc_new(b, "vpc-b", 100, "172.16.0.0/16"));
	ASSERT_EQ(0, cl_link_del(CL_DEVNAME));	/* a's, we are in a */
	EXPECT_EQ(-ENODEV, cl_get_dev(a, &d));
	ASSERT_CL_OK(b, cl_get_dev(b, &d));
	EXPECT_EQ(1, d.n_vpcs);
}

/* ------------------------------------------------------------------ */
/* An unprivileged process                                              */

struct unpriv_result {
	int n;
	struct {
		char what[48];
		int err;
		char ext[160];
	} r[32];
};

static void record(struct unpriv_result *res, const char *what, struct clink *c, int err)
{
	if (res->n >= 32)
		return;
	snprintf(res->r[res->n].what, sizeof(res->r[0].what), "%s", what);
	res->r[res->n].err = err;
	snprintf(res->r[res->n].ext, sizeof(res->r[0].ext), "%.159s", c->ext);
	res->n++;
}

/* Runs as uid 65534 with no capabilities; reports through the pipe. */
static void unprivileged_child(int fd, const struct clink *root)
{
	struct unpriv_result res = { 0 };
	struct cl_vec v = CL_VEC(struct cl_link);
	struct cl_dev_info d;
	struct cl_vpc_info vi;
	struct clink c;

	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534))
		_exit(2);
	if (cl_clone(&c, root))
		_exit(3);

#define TRY(what, call) record(&res, what, &c, (call))
	/* changes: (index 0..) */
	TRY("NEW_VPC", cl_vpc_new(&c, "vpc-x", 200, "172.30.0.0/16"));
	TRY("SET_VPC", cl_vpc_classiclink(&c, "vpc-a", 0));
	TRY("DEL_VPC", cl_vpc_del(&c, "vpc-a"));
	TRY("NEW_INSTANCE", cl_inst_new(&c, "i-x", "10.9.9.9"));
	TRY("SET_INSTANCE", CLREQ(&c, CLINK_CMD_SET_INSTANCE, 0, AS(CLINK_A_INST_ID, "i-1"),
				  AADDR(CLINK_A_INST_ADDR, "10.9.9.8")));
	TRY("DEL_INSTANCE", CLREQ(&c, CLINK_CMD_DEL_INSTANCE, 0, AS(CLINK_A_INST_ID, "i-2")));
	TRY("NEW_LINK", cl_link(&c, "i-2", "vpc-a"));
	TRY("DEL_LINK", cl_unlink(&c, "i-1"));
	TRY("FLUSH_LINKS", CLREQ(&c, CLINK_CMD_FLUSH_LINKS, 0, AS(CLINK_A_VPC_ID, "vpc-a")));
	TRY("SET_DEV", CLREQ(&c, CLINK_CMD_SET_DEV, 0, AU32(CLINK_A_DEV_MAX_LINKS_PER_VPC, 5)));
	TRY("NEW_ROUTE", cl_route_new(&c, "vpc-a", "192.168.0.0/16", CLINK_NEXTHOP_VPN));
	TRY("DEL_ROUTE", CLREQ(&c, CLINK_CMD_DEL_ROUTE, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
			       APFX(CLINK_A_ROUTE_DST, "192.0.0.0/8")));
	TRY("NEW_ENDPOINT", cl_ep_new(&c, "vpc-a", "172.16.0.11", "192.0.2.1",
				      "02:00:00:00:00:02"));
	TRY("DEL_ENDPOINT", CLREQ(&c, CLINK_CMD_DEL_ENDPOINT, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
				  AADDR(CLINK_A_EP_ADDR, "172.16.0.10")));
	TRY("NEW_CIDR", CLREQ(&c, CLINK_CMD_NEW_CIDR, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
			      APFX(CLINK_A_VPC_CIDR, "172.20.0.0/16")));
	TRY("NEW_ACL", CLREQ(&c, CLINK_CMD_NEW_ACL, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
			     AU32(CLINK_A_ACL_PRIO, 5), AU8(CLINK_A_ACL_DIR, CLINK_ACL_TO_VPC),
			     AU8(CLINK_A_ACL_ACTION, CLINK_ACL_DENY)));
	TRY("DEL_ACL", CLREQ(&c, CLINK_CMD_DEL_ACL, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
			     AU32(CLINK_A_ACL_PRIO, 1)));
	/* reads: they show every tenant's objects, so EPERM too */
	TRY("GET_DEV", cl_get_dev(&c, &d));
	TRY("GET_VPC", cl_get_vpc(&c, "vpc-a", &vi));
	TRY("GET_LINK dump", cl_links(&c, NULL, &v));
	TRY("GET_INSTANCE", cl_get_inst(&c, "i-1", &(struct cl_inst_info){ 0 }));
	TRY("GET_ROUTE dump", cl_routes(&c, "vpc-a", &v));
	TRY("GET_ACL dump", cl_acls(&c, "vpc-a", &v));
#undef TRY
	if (write(fd, &res, sizeof(res)) != sizeof(res))
		_exit(4);
	_exit(0);
}

TEST_F(ns, unprivileged_process_may_neither_read_nor_change)
{
	struct clink *a = &self->a;
	struct unpriv_result res;
	struct cl_dev_info before, after;
	int fds[2], status, i;
	pid_t pid;

	ASSERT_CL_OK(a, cl_vpc_cl(a, "vpc-a", 100, "172.16.0.0/16"));
	ASSERT_CL_OK(a, cl_inst_new(a, "i-1", "10.1.2.3"));
	ASSERT_CL_OK(a, cl_inst_new(a, "i-2", "10.1.2.4"));
	ASSERT_CL_OK(a, cl_link(a, "i-1", "vpc-a"));
	ASSERT_CL_OK(a, cl_ep_new(a, "vpc-a", "172.16.0.10", "192.0.2.1",
				  "02:00:00:00:00:01"));
	ASSERT_CL_OK(a, CLREQ(a, CLINK_CMD_NEW_ACL, 0, AS(CLINK_A_VPC_ID, "vpc-a"),
			      AU32(CLINK_A_ACL_PRIO, 1), AU8(CLINK_A_ACL_DIR, CLINK_ACL_TO_VPC),
			      AU8(CLINK_A_ACL_ACTION, CLINK_ACL_DENY)));
	ASSERT_CL_OK(a, cl_route_new(a, "vpc-a", "192.0.0.0/8", CLINK_NEXTHOP_NAT));
	ASSERT_CL_OK(a, cl_get_dev(a, &before));

	ASSERT_EQ(0, pipe(fds));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(fds[0]);
		unprivileged_child(fds[1], a);
	}
	close(fds[1]);
	memset(&res, 0, sizeof(res));
	ASSERT_EQ(sizeof(res), read(fds[0], &res, sizeof(res)));
	close(fds[0]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
		TH_LOG("child status 0x%x", status);

	ASSERT_LT(20, res.n);
	for (i = 0; i < res.n; i++) {
		int want = res.r[i].what[0] == '+' ? 0 : -EPERM;

		EXPECT_EQ(want, res.r[i].err)
			TH_LOG("unprivileged %s: %d (%s) \"%s\"", res.r[i].what,
			       res.r[i].err, strerror(-res.r[i].err), res.r[i].ext);
	}

	ASSERT_CL_OK(a, cl_get_dev(a, &after));
	EXPECT_EQ(before.generation, after.generation);
	EXPECT_EQ(1, after.n_vpcs);
	EXPECT_EQ(2, after.n_insts);
	EXPECT_EQ(1, after.n_links);
	EXPECT_EQ(1, after.n_eps);
	EXPECT_EQ(CLINK_DEFAULT_MAX_LINKS_PER_VPC, after.max_lpv);
	{
		struct cl_inst_info i1;

		ASSERT_CL_OK(a, cl_get_inst(a, "i-1", &i1));
		EXPECT_EQ(cl_ip("10.1.2.3"), i1.addr);
		EXPECT_STREQ("vpc-a", i1.vpc);
	}
}

TEST_HARNESS_MAIN
