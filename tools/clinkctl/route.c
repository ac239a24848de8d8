// SPDX-License-Identifier: GPL-2.0
/*
 * clinkctl route: a VPC's route table. Custom routes are the operator's;
 * local (one per CIDR) and classiclink (a linked instance's /32) routes
 * belong to the kernel and are only shown.
 */

#include <stdio.h>
#include <string.h>

#include "clinkctl.h"

#define USAGE route_usage
static const char route_usage[] =
"Usage: clinkctl route { add | replace } vpc ID PREFIX via NEXTHOP [ dev NAME ]\n"
"       clinkctl route del vpc ID PREFIX [ dev NAME ]\n"
"       clinkctl route show vpc ID [ dev NAME ]\n"
"where  NEXTHOP := { vpn | nat | peering | dc | instance }\n";

struct route_args {
	const char *vpc;
	bool has_dst, has_via;
	struct prefix dst;
	uint8_t via;
};

static int parse_nexthop(const char *s, uint8_t *nh)
{
	unsigned int i;

	for (i = CLINK_NEXTHOP_VPN; i <= CLINK_NEXTHOP_MAX; i++) {
		if (!strcmp(s, nexthop_name(i))) {
			*nh = (uint8_t)i;
			return 0;
		}
	}
	return -1;
}

static int parse_route(int argc, char **argv, struct route_args *a)
{
	for (; argc > 0; argc--, argv++) {
		HELP_ARG();
		if (matches(*argv, "vpc")) {
			NEXT_ARG();
			ID_ARG(a->vpc, "VPC ID");
		} else if (matches(*argv, "via")) {
			NEXT_ARG();
			if (parse_nexthop(*argv, &a->via))
				return INVALID("next hop");
			a->has_via = true;
		} else if (matches(*argv, "dev")) {
			NEXT_ARG();
			DEV_ARG(cur_dev);
		} else if (!a->has_dst) {
			if (parse_prefix(*argv, &a->dst))
				return usage_error(USAGE, "unknown argument or invalid prefix \"%s\"",
						   *argv);
			a->has_dst = true;
		} else {
			return usage_error(USAGE, "unknown argument \"%s\"", *argv);
		}
	}
	return 0;
}

static int route_new(int argc, char **argv, bool replace)
{
	struct route_args a = { 0 };
	struct nlmsghdr *nlh;
	int ret = parse_route(argc, argv, &a);

	if (ret)
		return ret;
	if (!a.vpc || !a.has_dst || !a.has_via)
		return usage_error(USAGE, "vpc ID, PREFIX and via NEXTHOP are required");
	nlh = genl_msg(CLINK_CMD_NEW_ROUTE, 0, cur_dev);
	if (!nlh)
		return EXIT_RUNTIME;
	if (replace)
		nl_put_flag(nlh, CLINK_A_REPLACE);
	nl_put_strz(nlh, CLINK_A_VPC_ID, a.vpc);
	put_prefix(nlh, CLINK_A_ROUTE_DST, &a.dst);
	nl_put_u8(nlh, CLINK_A_ROUTE_NEXTHOP, a.via);
	return genl_talk(nlh, NULL, NULL);
}

static int route_add(int argc, char **argv)
{
	return route_new(argc, argv, false);
}

static int route_replace(int argc, char **argv)
{
	return route_new(argc, argv, true);
}

static int route_del(int argc, char **argv)
{
	struct route_args a = { 0 };
	struct nlmsghdr *nlh;
	int ret = parse_route(argc, argv, &a);

	if (ret)
		return ret;
	if (!a.vpc || !a.has_dst)
		return usage_error(USAGE, "vpc ID and PREFIX are required");
	nlh = genl_msg(CLINK_CMD_DEL_ROUTE, 0, cur_dev);
	if (!nlh)
		return EXIT_RUNTIME;
	nl_put_strz(nlh, CLINK_A_VPC_ID, a.vpc);
	put_prefix(nlh, CLINK_A_ROUTE_DST, &a.dst);
	if (a.has_via)
		nl_put_u8(nlh, CLINK_A_ROUTE_NEXTHOP, a.via);
	return genl_talk(nlh, NULL, NULL);
}

/* "172.16.0.0/16 local", "10.1.0.5/32 classiclink instance i-1",
 * "192.168.9.0/24 custom via vpn" */
void route_print(clink_tb_t tb, bool with_vpc)
{
	unsigned int type = CLINK_ROUTE_CUSTOM;

	if (tb[CLINK_A_VPC_ID])
		print_string("vpc", with_vpc ? "%s " : NULL,
			     mnl_attr_get_str(tb[CLINK_A_VPC_ID]));
	print_prefix("dst", "%s", tb[CLINK_A_ROUTE_DST]);
	if (tb[CLINK_A_ROUTE_TYPE]) {
		type = mnl_attr_get_u8(tb[CLINK_A_ROUTE_TYPE]);
		print_string("type", " %s", route_type_name(type));
	}
	if (tb[CLINK_A_ROUTE_NEXTHOP] && type == CLINK_ROUTE_CUSTOM)
		print_string("via", " via %s",
			     nexthop_name(mnl_attr_get_u8(tb[CLINK_A_ROUTE_NEXTHOP])));
	if (tb[CLINK_A_INST_ID])
		print_string("instance", " instance %s",
			     mnl_attr_get_str(tb[CLINK_A_INST_ID]));
}

static int route_show_cb(const struct nlmsghdr *nlh, void *data)
{
	clink_tb_t tb;

	(void)data;
	genl_parse(nlh, tb);
	open_object(tb);
	route_print(tb, false);
	close_object();
	return MNL_CB_OK;
}

static int route_show(int argc, char **argv)
{
	struct route_args a = { 0 };
	struct nlmsghdr *nlh;
	int ret = parse_route(argc, argv, &a);

	if (ret)
		return ret;
	if (!a.vpc)
		return usage_error(USAGE, "vpc ID is required");
	if (a.has_dst || a.has_via)
		return usage_error(USAGE, "route show takes only vpc ID");
	nlh = genl_msg(CLINK_CMD_GET_ROUTE, NLM_F_DUMP, cur_dev);
	if (!nlh)
		return EXIT_RUNTIME;
	nl_put_strz(nlh, CLINK_A_VPC_ID, a.vpc);
	open_json_list();
	ret = genl_talk(nlh, route_show_cb, NULL);
	close_json_list(ret);
	return ret;
}

static const struct cmd route_cmds[] = {
	{ "show", route_show },
	{ "list", route_show },
	{ "ls", route_show },
	{ "add", route_add },
	{ "del", route_del },
	{ "delete", route_del },
	{ "replace", route_replace },
	{ NULL, NULL }
};

int do_route(int argc, char **argv)
{
	return run_cmd(route_cmds, USAGE, argc, argv);
}
