// SPDX-License-Identifier: GPL-2.0
/* clinkctl link: ClassicLink links between classic instances and VPCs. */

#include <stdio.h>
#include <string.h>

#include "clinkctl.h"

#define USAGE link_usage
static const char link_usage[] =
"Usage: clinkctl link { add | replace } INSTANCE vpc VPC\n"
"                     [ dscp { DSCP | inherit } ] [ dev NAME ]\n"
"       clinkctl link del INSTANCE [ dev NAME ]\n"
"       clinkctl link flush vpc VPC [ dev NAME ]\n"
"       clinkctl link show [ vpc VPC ] [ ip ADDR ] [ dev NAME ]\n";

struct link_args {
	const char *inst, *vpc;
	bool has_ip, has_dscp;
	struct in_addr ip;
	uint8_t dscp;
};

/* The keywords a command takes besides vpc and dev. */
enum { WANT_INST = 1, WANT_IP = 2, WANT_DSCP = 4 };

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

static int link_show(int argc, char **argv)
{
	struct link_args a = { 0 };
	struct nlmsghdr *nlh;
	int ret = parse_link(argc, argv, &a, WANT_IP);

	if (ret)
		return ret;
	nlh = genl_msg(CLINK_CMD_GET_LINK, NLM_F_DUMP, cur_dev);
	if (!nlh)
		return EXIT_RUNTIME;
	if (a.vpc)
		nl_put_strz(nlh, CLINK_A_VPC_ID, a.vpc);
	if (a.has_ip)
		nl_put_addr(nlh, CLINK_A_INST_ADDR, a.ip);
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
