// SPDX-License-Identifier: GPL-2.0
/*
 * clinkctl vpc: VPCs, their secondary CIDRs, the ClassicLink switch, the
 * per-VPC limit of links, the reach prefix and the outer DSCP.
 */

#include <stdio.h>
#include <string.h>

#include "clinkctl.h"

#define USAGE vpc_usage
static const char vpc_usage[] =
"Usage: clinkctl vpc { add | replace } ID vni VNI cidr PREFIX\n"
"                    [ region REGION ] [ account ACCOUNT ]\n"
"                    [ reach { PREFIX | none } ] [ dscp { DSCP | inherit } ]\n"
"                    [ dev NAME ]\n"
"       clinkctl vpc set ID [ classiclink { on | off } ] [ max-links N ]\n"
"                    [ reach { PREFIX | none } ] [ dscp { DSCP | inherit } ]\n"
"                    [ dev NAME ]\n"
"       clinkctl vpc cidr { add | del } ID PREFIX [ dev NAME ]\n"
"       clinkctl vpc del ID [ dev NAME ]\n"
"       clinkctl vpc show [ ID ] [ dev NAME ]\n";

/*
 * reach PREFIX | none: the part of the primary CIDR linked instances
 * reach; none (0.0.0.0/0 on the wire) is all of it.
 */
static int parse_reach(const char *arg, struct prefix *reach)
{
	memset(reach, 0, sizeof(*reach));
	if (!strcmp(arg, "none"))
		return 0;
	if (parse_prefix(arg, reach))
		return usage_error(USAGE, "\"reach\" takes a prefix or none, not \"%s\"",
				   arg);
	return 0;
}

static int vpc_new(int argc, char **argv, bool replace)
{
	const char *id, *region = NULL, *account = NULL;
	bool has_vni = false, has_cidr = false, has_reach = false;
	bool has_dscp = false;
	struct prefix cidr, reach;
	struct nlmsghdr *nlh;
	uint32_t vni = 0;
	uint8_t dscp = 0;

	if (argc < 1)
		return usage_error(USAGE, "VPC ID required");
	HELP_ARG();
	ID_ARG(id, "VPC ID");
	argc--;
	argv++;
	for (; argc > 0; argc--, argv++) {
		HELP_ARG();
		if (matches(*argv, "vni")) {
			NEXT_ARG();
			if (parse_u32(*argv, &vni))
				return INVALID("VNI");
			has_vni = true;
		} else if (matches(*argv, "cidr")) {
			NEXT_ARG();
			if (parse_prefix(*argv, &cidr))
				return INVALID("prefix");
			has_cidr = true;
		} else if (matches(*argv, "region")) {
			NEXT_ARG();
			ID_ARG(region, "region");
		} else if (matches(*argv, "account")) {
			NEXT_ARG();
			ID_ARG(account, "account");
		} else if (matches(*argv, "reach")) {
			NEXT_ARG();
			if (parse_reach(*argv, &reach))
				return EXIT_USAGE;
			has_reach = true;
		} else if (matches(*argv, "dscp")) {
			NEXT_ARG();
			if (parse_dscp(USAGE, *argv, &dscp))
				return EXIT_USAGE;
			has_dscp = true;
		} else if (matches(*argv, "dev")) {
			NEXT_ARG();
			DEV_ARG(cur_dev);
		} else {
			return usage_error(USAGE, "unknown argument \"%s\"", *argv);
		}
	}
	if (!has_vni)
		return usage_error(USAGE, "\"vni\" is required");
	if (!has_cidr)
		return usage_error(USAGE, "\"cidr\" is required");

	nlh = genl_msg(CLINK_CMD_NEW_VPC, 0, cur_dev);
	if (!nlh)
		return EXIT_RUNTIME;
	if (replace)
		nl_put_flag(nlh, CLINK_A_REPLACE);
	nl_put_strz(nlh, CLINK_A_VPC_ID, id);
	nl_put_u32(nlh, CLINK_A_VPC_VNI, vni);
	put_prefix(nlh, CLINK_A_VPC_CIDR, &cidr);
	if (region)
		nl_put_strz(nlh, CLINK_A_VPC_REGION, region);
	if (account)
		nl_put_strz(nlh, CLINK_A_VPC_ACCOUNT, account);
	if (has_reach)
		put_prefix(nlh, CLINK_A_VPC_REACH, &reach);
	if (has_dscp)
		nl_put_u8(nlh, CLINK_A_VPC_DSCP, dscp);
	return genl_talk(nlh, NULL, NULL);
}

static int vpc_add(int argc, char **argv)
{
	return vpc_new(argc, argv, false);
}

static int vpc_replace(int argc, char **argv)
{
	return vpc_new(argc, argv, true);
}

static int vpc_set(int argc, char **argv)
{
	struct nlmsghdr *nlh;
	bool has_cl = false, cl = false, has_max = false, has_reach = false;
	bool has_dscp = false;
	struct prefix reach;
	uint8_t dscp = 0;
	uint32_t max = 0;
	const char *id;

	if (argc < 1)
		return usage_error(USAGE, "VPC ID required");
	HELP_ARG();
	ID_ARG(id, "VPC ID");
	argc--;
	argv++;
	for (; argc > 0; argc--, argv++) {
		HELP_ARG();
		if (matches(*argv, "classiclink")) {
			NEXT_ARG();
			if (parse_onoff(*argv, &cl))
				return usage_error(USAGE, "\"classiclink\" takes on or off, not \"%s\"",
						   *argv);
			has_cl = true;
		} else if (matches(*argv, "max-links")) {
			NEXT_ARG();
			if (parse_u32_range(*argv, 0, CLINK_MAX_LINKS_PER_VPC, &max))
				return usage_error(USAGE, "\"max-links\" takes 0 (the device's max-links-per-vpc) to %u, not \"%s\"",
						   CLINK_MAX_LINKS_PER_VPC, *argv);
			has_max = true;
		} else if (matches(*argv, "reach")) {
			NEXT_ARG();
			if (parse_reach(*argv, &reach))
				return EXIT_USAGE;
			has_reach = true;
		} else if (matches(*argv, "dscp")) {
			NEXT_ARG();
			if (parse_dscp(USAGE, *argv, &dscp))
				return EXIT_USAGE;
			has_dscp = true;
		} else if (matches(*argv, "dev")) {
			NEXT_ARG();
			DEV_ARG(cur_dev);
		} else {
			return usage_error(USAGE, "unknown argument \"%s\"", *argv);
		}
	}
	if (!has_cl && !has_max && !has_reach && !has_dscp)
		return usage_error(USAGE, "nothing to set");
	nlh = genl_msg(CLINK_CMD_SET_VPC, 0, cur_dev);
	if (!nlh)
		return EXIT_RUNTIME;
	nl_put_strz(nlh, CLINK_A_VPC_ID, id);
	if (has_cl)
		nl_put_u8(nlh, CLINK_A_VPC_CLASSICLINK, cl);
	if (has_max)
		nl_put_u32(nlh, CLINK_A_VPC_MAX_LINKS, max);
	if (has_reach)
		put_prefix(nlh, CLINK_A_VPC_REACH, &reach);
	if (has_dscp)
		nl_put_u8(nlh, CLINK_A_VPC_DSCP, dscp);
	return genl_talk(nlh, NULL, NULL);
}

/* ID [dev NAME]: the commands that name a VPC and nothing else */
static int parse_id(int *pargc, char ***pargv, const char **id, bool optional)
{
	int argc = *pargc;
	char **argv = *pargv;

	*id = NULL;
	for (; argc > 0; argc--, argv++) {
		HELP_ARG();
		if (matches(*argv, "dev")) {
			NEXT_ARG();
			DEV_ARG(cur_dev);
		} else if (!*id) {
			ID_ARG(*id, "VPC ID");
		} else {
			return usage_error(USAGE, "unknown argument \"%s\"", *argv);
		}
	}
	if (!*id && !optional)
		return usage_error(USAGE, "VPC ID required");
	*pargc = argc;
	*pargv = argv;
	return 0;
}

static int vpc_del(int argc, char **argv)
{
	struct nlmsghdr *nlh;
	const char *id;
	int ret = parse_id(&argc, &argv, &id, false);

	if (ret)
		return ret;
	nlh = genl_msg(CLINK_CMD_DEL_VPC, 0, cur_dev);
	if (!nlh)
		return EXIT_RUNTIME;
	nl_put_strz(nlh, CLINK_A_VPC_ID, id);
	return genl_talk(nlh, NULL, NULL);
}

static int vpc_cidr(int argc, char **argv)
{
	const char *id = NULL;
	struct nlmsghdr *nlh;
	struct prefix p;
	bool add, has_prefix = false;

	if (argc < 1)
		return usage_error(USAGE, "\"cidr\" needs add or del");
	if (matches(*argv, "add"))
		add = true;
	else if (matches(*argv, "del") || matches(*argv, "delete"))
		add = false;
	else if (!strcmp(*argv, "help"))
		return print_help(USAGE);
	else
		return usage_error(USAGE, "unknown command \"cidr %s\"", *argv);
	argc--;
	argv++;
	for (; argc > 0; argc--, argv++) {
		HELP_ARG();
		if (matches(*argv, "dev")) {
			NEXT_ARG();
			DEV_ARG(cur_dev);
		} else if (!id) {
			ID_ARG(id, "VPC ID");
		} else if (!has_prefix) {
			if (parse_prefix(*argv, &p))
				return INVALID("prefix");
			has_prefix = true;
		} else {
			return usage_error(USAGE, "unknown argument \"%s\"", *argv);
		}
	}
	if (!has_prefix)
		return usage_error(USAGE, "VPC ID and PREFIX required");
	nlh = genl_msg(add ? CLINK_CMD_NEW_CIDR : CLINK_CMD_DEL_CIDR, 0, cur_dev);
	if (!nlh)
		return EXIT_RUNTIME;
	nl_put_strz(nlh, CLINK_A_VPC_ID, id);
	put_prefix(nlh, CLINK_A_VPC_CIDR, &p);
	return genl_talk(nlh, NULL, NULL);
}

void vpc_print(clink_tb_t tb)
{
	if (tb[CLINK_A_VPC_ID])
		print_string("id", "%s", mnl_attr_get_str(tb[CLINK_A_VPC_ID]));
	if (tb[CLINK_A_VPC_VNI])
		print_uint("vni", " vni %llu", mnl_attr_get_u32(tb[CLINK_A_VPC_VNI]));
	print_prefix("cidr", " cidr %s", tb[CLINK_A_VPC_CIDR]);
	if (tb[CLINK_A_VPC_SECONDARY]) {
		struct prefix_list l;

		get_prefix_list(tb[CLINK_A_VPC_SECONDARY], &l);
		if (l.n || is_json())
			print_prefix_list("secondary", "secondary",
					  tb[CLINK_A_VPC_SECONDARY]);
	}
	if (tb[CLINK_A_VPC_REGION] && *mnl_attr_get_str(tb[CLINK_A_VPC_REGION]))
		print_string("region", " region %s",
			     mnl_attr_get_str(tb[CLINK_A_VPC_REGION]));
	if (tb[CLINK_A_VPC_ACCOUNT] && *mnl_attr_get_str(tb[CLINK_A_VPC_ACCOUNT]))
		print_string("account", " account %s",
			     mnl_attr_get_str(tb[CLINK_A_VPC_ACCOUNT]));
	if (tb[CLINK_A_VPC_CLASSICLINK])
		print_onoff("classiclink", " classiclink %s",
			    mnl_attr_get_u8(tb[CLINK_A_VPC_CLASSICLINK]));
	if (tb[CLINK_A_VPC_MAX_LINKS] && mnl_attr_get_u32(tb[CLINK_A_VPC_MAX_LINKS]))
		print_uint("max_links", " max-links %llu",
			   mnl_attr_get_u32(tb[CLINK_A_VPC_MAX_LINKS]));
	print_prefix("reach", " reach %s", tb[CLINK_A_VPC_REACH]);
	print_dscp(tb[CLINK_A_VPC_DSCP]);
	if (tb[CLINK_A_VPC_N_LINKS])
		print_uint("links", " links %llu",
			   mnl_attr_get_u32(tb[CLINK_A_VPC_N_LINKS]));
	if (tb[CLINK_A_VPC_N_ENDPOINTS])
		print_uint("endpoints", " endpoints %llu",
			   mnl_attr_get_u32(tb[CLINK_A_VPC_N_ENDPOINTS]));
	if (tb[CLINK_A_VPC_N_ROUTES])
		print_uint("routes", " routes %llu",
			   mnl_attr_get_u32(tb[CLINK_A_VPC_N_ROUTES]));
	if (tb[CLINK_A_VPC_N_ACLS])
		print_uint("acls", " acls %llu",
			   mnl_attr_get_u32(tb[CLINK_A_VPC_N_ACLS]));
}

static int vpc_show_cb(const struct nlmsghdr *nlh, void *data)
{
	clink_tb_t tb;

	(void)data;
	genl_parse(nlh, tb);
	open_object(tb);
	vpc_print(tb);
	print_traffic(tb[CLINK_A_STATS]);
	close_object();
	return MNL_CB_OK;
}

static int vpc_show(int argc, char **argv)
{
	struct nlmsghdr *nlh;
	const char *id;
	int ret = parse_id(&argc, &argv, &id, true);

	if (ret)
		return ret;
	nlh = genl_msg(CLINK_CMD_GET_VPC, id ? 0 : NLM_F_DUMP, cur_dev);
	if (!nlh)
		return EXIT_RUNTIME;
	if (id)
		nl_put_strz(nlh, CLINK_A_VPC_ID, id);
	open_json_list();
	ret = genl_talk(nlh, vpc_show_cb, NULL);
	close_json_list(ret);
	return ret;
}

static const struct cmd vpc_cmds[] = {
	{ "show", vpc_show },
	{ "list", vpc_show },
	{ "ls", vpc_show },
	{ "add", vpc_add },
	{ "del", vpc_del },
	{ "delete", vpc_del },
	{ "set", vpc_set },
	{ "replace", vpc_replace },
	{ "cidr", vpc_cidr },
	{ NULL, NULL }
};

int do_vpc(int argc, char **argv)
{
	return run_cmd(vpc_cmds, USAGE, argc, argv);
}
