// SPDX-License-Identifier: GPL-2.0
/*
 * clinkctl link: ClassicLink links between classic instances and VPCs, and
 * the route each linked instance needs towards its VPC (route-hint).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/rtnetlink.h>

#include "clinkctl.h"

#define USAGE link_usage
static const char link_usage[] =
"Usage: clinkctl link { add | replace } INSTANCE vpc VPC\n"
"                     [ dscp { DSCP | inherit } ] [ dev NAME ]\n"
"       clinkctl link del INSTANCE [ dev NAME ]\n"
"       clinkctl link flush vpc VPC [ dev NAME ]\n"
"       clinkctl link show [ vpc VPC ] [ ip ADDR ] [ route-hint [ via ADDR ] ]\n"
"                     [ dev NAME ]\n";

struct link_args {
	const char *inst, *vpc;
	bool has_ip, has_dscp, route_hint, has_via;
	struct in_addr ip, via;
	uint8_t dscp;
};

/* The keywords a command takes besides vpc and dev. */
enum { WANT_INST = 1, WANT_IP = 2, WANT_DSCP = 4, WANT_HINT = 8 };

static int parse_link(int argc, char **argv, struct link_args *a, int want)
{
	bool want_inst = want & WANT_INST;

	if (want_inst && argc > 0 && strcmp(*argv, "dev")) {
		HELP_ARG();
		ID_ARG(a->inst, "instance ID");
		argc--;
		argv++;
	}
	for (; argc > 0; argc--, argv++) {
		HELP_ARG();
		if (matches(*argv, "vpc")) {
			NEXT_ARG();
			ID_ARG(a->vpc, "VPC ID");
		} else if ((want & WANT_IP) && matches(*argv, "ip")) {
			NEXT_ARG();
			if (parse_addr(*argv, &a->ip))
				return INVALID("address");
			a->has_ip = true;
		} else if ((want & WANT_DSCP) && matches(*argv, "dscp")) {
			NEXT_ARG();
			if (parse_dscp(USAGE, *argv, &a->dscp))
				return EXIT_USAGE;
			a->has_dscp = true;
		} else if ((want & WANT_HINT) && matches(*argv, "route-hint")) {
			a->route_hint = true;
		} else if ((want & WANT_HINT) && a->route_hint &&
			   matches(*argv, "via")) {
			NEXT_ARG();
			if (parse_addr(*argv, &a->via))
				return INVALID("address");
			a->has_via = true;
		} else if (matches(*argv, "dev")) {
			NEXT_ARG();
			DEV_ARG(cur_dev);
		} else {
			return usage_error(USAGE, "unknown argument \"%s\"", *argv);
		}
	}
	return 0;
}

static int link_new(int argc, char **argv, bool replace)
{
	struct link_args a = { 0 };
	struct nlmsghdr *nlh;
	int ret = parse_link(argc, argv, &a, WANT_INST | WANT_DSCP);

	if (ret)
		return ret;
	if (!a.inst || !a.vpc)
		return usage_error(USAGE, "INSTANCE and vpc VPC are required");
	nlh = genl_msg(CLINK_CMD_NEW_LINK, 0, cur_dev);
	if (!nlh)
		return EXIT_RUNTIME;
	if (replace)
		nl_put_flag(nlh, CLINK_A_REPLACE);
	nl_put_strz(nlh, CLINK_A_INST_ID, a.inst);
	nl_put_strz(nlh, CLINK_A_VPC_ID, a.vpc);
	if (a.has_dscp)
		nl_put_u8(nlh, CLINK_A_LINK_DSCP, a.dscp);
	return genl_talk(nlh, NULL, NULL);
}

static int link_add(int argc, char **argv)
{
	return link_new(argc, argv, false);
}

static int link_replace(int argc, char **argv)
{
	return link_new(argc, argv, true);
}

static int link_del(int argc, char **argv)
{
	struct link_args a = { 0 };
	struct nlmsghdr *nlh;
	int ret = parse_link(argc, argv, &a, WANT_INST);

	if (ret)
		return ret;
	if (!a.inst)
		return usage_error(USAGE, "INSTANCE is required");
	nlh = genl_msg(CLINK_CMD_DEL_LINK, 0, cur_dev);
	if (!nlh)
		return EXIT_RUNTIME;
	nl_put_strz(nlh, CLINK_A_INST_ID, a.inst);
	if (a.vpc)
		nl_put_strz(nlh, CLINK_A_VPC_ID, a.vpc);
	return genl_talk(nlh, NULL, NULL);
}

static int link_flush(int argc, char **argv)
{
	struct link_args a = { 0 };
	struct nlmsghdr *nlh;
	int ret = parse_link(argc, argv, &a, 0);

	if (ret)
		return ret;
	if (!a.vpc)
		return usage_error(USAGE, "vpc VPC is required");
	nlh = genl_msg(CLINK_CMD_FLUSH_LINKS, 0, cur_dev);
	if (!nlh)
		return EXIT_RUNTIME;
	nl_put_strz(nlh, CLINK_A_VPC_ID, a.vpc);
	return genl_talk(nlh, NULL, NULL);
}

/* "i-1 10.1.0.5 vpc vpc-a" (the address left out in events) */
void link_print(clink_tb_t tb, bool with_addr)
{
	if (tb[CLINK_A_INST_ID])
		print_string("instance", "%s", mnl_attr_get_str(tb[CLINK_A_INST_ID]));
	print_addr("ip", with_addr ? " %s" : NULL, tb[CLINK_A_INST_ADDR]);
	if (tb[CLINK_A_VPC_ID])
		print_string("vpc", " vpc %s", mnl_attr_get_str(tb[CLINK_A_VPC_ID]));
	print_dscp(tb[CLINK_A_LINK_DSCP]);
}

static int link_show_cb(const struct nlmsghdr *nlh, void *data)
{
	clink_tb_t tb;

	(void)data;
	genl_parse(nlh, tb);
	open_object(tb);
	link_print(tb, true);
	print_traffic(tb[CLINK_A_STATS]);
	close_object();
	return MNL_CB_OK;
}

/*
 * route-hint: what a linked instance needs when the classic network does
 * not route its VPC's range to the gateway already: a route to what it
 * reaches of the VPC (the reach prefix, else the primary CIDR) via the
 * gateway's classic address. That address is the source the gateway
 * itself uses towards the instance (`ip route get INSTANCE-IP`'s src), the
 * one its ICMP time exceeded into the VPC carries too, unless "via" says.
 */
struct hint {
	char inst[CLINK_ID_MAXLEN], vpc[CLINK_ID_MAXLEN];
	struct in_addr addr, via;
	struct prefix dst;
};

struct hints {
	struct hint *h;
	size_t n, cap;
};

static int hint_link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct hints *hs = data;
	struct hint *h;
	clink_tb_t tb;

	genl_parse(nlh, tb);
	if (!tb[CLINK_A_INST_ID] || !tb[CLINK_A_VPC_ID] || !tb[CLINK_A_INST_ADDR])
		return MNL_CB_OK;
	if (hs->n == hs->cap) {
		size_t cap = hs->cap ? 2 * hs->cap : 64;
		struct hint *more = realloc(hs->h, cap * sizeof(*more));

		if (!more)
			return MNL_CB_ERROR;
		hs->h = more;
		hs->cap = cap;
	}
	h = &hs->h[hs->n++];
	memset(h, 0, sizeof(*h));
	snprintf(h->inst, sizeof(h->inst), "%s", mnl_attr_get_str(tb[CLINK_A_INST_ID]));
	snprintf(h->vpc, sizeof(h->vpc), "%s", mnl_attr_get_str(tb[CLINK_A_VPC_ID]));
	h->addr = get_addr(tb[CLINK_A_INST_ADDR]);
	return MNL_CB_OK;
}

static int hint_vpc_cb(const struct nlmsghdr *nlh, void *data)
{
	struct prefix *dst = data;
	clink_tb_t tb;

	genl_parse(nlh, tb);
	if (!tb[CLINK_A_VPC_REACH] || !get_prefix(tb[CLINK_A_VPC_REACH], dst))
		get_prefix(tb[CLINK_A_VPC_CIDR], dst);
	return MNL_CB_OK;
}

static int hint_src_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct rtmsg))
		if (mnl_attr_get_type(a) == RTA_PREFSRC &&
		    mnl_attr_get_payload_len(a) == 4)
			memcpy(data, mnl_attr_get_payload(a), 4);
	return MNL_CB_OK;
}

static int hint_fill(struct hint *h, const struct link_args *a)
{
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	char b[ADDR_STRLEN];
	int ret;

	nlh = genl_msg(CLINK_CMD_GET_VPC, 0, cur_dev);
	if (!nlh)
		return EXIT_RUNTIME;
	nl_put_strz(nlh, CLINK_A_VPC_ID, h->vpc);
	if (genl_talk(nlh, hint_vpc_cb, &h->dst))
		return EXIT_RUNTIME;
	if (a->has_via) {
		h->via = a->via;
		return 0;
	}
	nlh = rtnl_msg(RTM_GETROUTE, 0);
	if (!nlh)
		return EXIT_RUNTIME;
	rtm = mnl_nlmsg_get_payload(nlh);
	rtm->rtm_dst_len = 32;
	rtm->rtm_table = RT_TABLE_UNSPEC;
	nl_put_addr(nlh, RTA_DST, h->addr);
	nl_quiet = true;
	ret = rtnl_talk(nlh, hint_src_cb, &h->via);
	nl_quiet = false;
	if (ret || !h->via.s_addr) {
		fprintf(stderr, "Error: the gateway has no route to instance %s (%s); say \"via ADDR\"\n",
			h->inst, format_addr(b, h->addr));
		return EXIT_RUNTIME;
	}
	return 0;
}

/* "i-1 10.1.0.5 vpc vpc-a: ip route add 172.16.0.0/16 via 10.1.0.1" */
static void hint_print(const struct hint *h)
{
	char d[PREFIX_STRLEN], v[ADDR_STRLEN], i[ADDR_STRLEN];

	open_json_object(NULL);
	print_string("instance", "%s", h->inst);
	print_string("ip", " %s", format_addr(i, h->addr));
	print_string("vpc", " vpc %s", h->vpc);
	print_string("dst", ": ip route add %s", format_prefix(d, &h->dst));
	print_string("via", " via %s", format_addr(v, h->via));
	close_object();
}

static int link_route_hint(const struct link_args *a, struct nlmsghdr *nlh)
{
	struct hints hs = { 0 };
	size_t i;
	int ret;

	ret = genl_talk(nlh, hint_link_cb, &hs);
	for (i = 0; !ret && i < hs.n; i++)
		ret = hint_fill(&hs.h[i], a);
	if (!ret) {
		open_json_list();
		for (i = 0; i < hs.n; i++)
			hint_print(&hs.h[i]);
		close_json_list(0);
	}
	free(hs.h);
	return ret;
}

static int link_show(int argc, char **argv)
{
	struct link_args a = { 0 };
	struct nlmsghdr *nlh;
	int ret = parse_link(argc, argv, &a, WANT_IP | WANT_HINT);

	if (ret)
		return ret;
	if (a.route_hint && cluster_mode()) {
		fprintf(stderr, "Error: route-hint asks a gateway's kernel for its routes; run it on the gateway, without -E\n");
		return EXIT_RUNTIME;
	}
	nlh = genl_msg(CLINK_CMD_GET_LINK, NLM_F_DUMP, cur_dev);
	if (!nlh)
		return EXIT_RUNTIME;
	if (a.vpc)
		nl_put_strz(nlh, CLINK_A_VPC_ID, a.vpc);
	if (a.has_ip)
		nl_put_addr(nlh, CLINK_A_INST_ADDR, a.ip);
	if (a.route_hint)
		return link_route_hint(&a, nlh);
	open_json_list();
	ret = genl_talk(nlh, link_show_cb, NULL);
	close_json_list(ret);
	return ret;
}

static const struct cmd link_cmds[] = {
	{ "show", link_show },
	{ "list", link_show },
	{ "ls", link_show },
	{ "add", link_add },
	{ "replace", link_replace },
	{ "del", link_del },
	{ "delete", link_del },
	{ "flush", link_flush },
	{ NULL, NULL }
};

int do_link(int argc, char **argv)
{
	return run_cmd(link_cmds, USAGE, argc, argv);
}
