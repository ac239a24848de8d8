// SPDX-License-Identifier: GPL-2.0
/* clinkctl instance: classic instances (ID and private IP). */

#include <stdio.h>
#include <string.h>

#include "clinkctl.h"

#define USAGE instance_usage
static const char instance_usage[] =
"Usage: clinkctl instance { add | replace } ID ip ADDR [ region REGION ]\n"
"                         [ account ACCOUNT ] [ dev NAME ]\n"
"       clinkctl instance set ID ip ADDR [ dev NAME ]\n"
"       clinkctl instance del ID [ dev NAME ]\n"
"       clinkctl instance show [ ID ] [ dev NAME ]\n";

struct inst_args {
	const char *id, *region, *account;
	bool has_ip;
	struct in_addr ip;
};

/* ID first, then keywords; @mask says which keywords the command takes. */
enum { K_IP = 1, K_REGION = 2 };

static int parse_inst(int argc, char **argv, struct inst_args *a, int mask,
		      bool id_optional)
{
	if (argc > 0 && strcmp(*argv, "dev")) {
		HELP_ARG();
		ID_ARG(a->id, "instance ID");
		argc--;
		argv++;
	}
	if (!a->id && !id_optional)
		return usage_error(USAGE, "instance ID required");
	for (; argc > 0; argc--, argv++) {
		HELP_ARG();
		if ((mask & K_IP) && matches(*argv, "ip")) {
			NEXT_ARG();
			if (parse_addr(*argv, &a->ip))
				return INVALID("address");
			a->has_ip = true;
		} else if ((mask & K_REGION) && matches(*argv, "region")) {
			NEXT_ARG();
			ID_ARG(a->region, "region");
		} else if ((mask & K_REGION) && matches(*argv, "account")) {
			NEXT_ARG();
			ID_ARG(a->account, "account");
		} else if (matches(*argv, "dev")) {
			NEXT_ARG();
			DEV_ARG(cur_dev);
		} else {
			return usage_error(USAGE, "unknown argument \"%s\"", *argv);
		}
	}
	return 0;
}

static int inst_new(int argc, char **argv, bool replace)
{
	struct inst_args a = { 0 };
	struct nlmsghdr *nlh;
	int ret = parse_inst(argc, argv, &a, K_IP | K_REGION, false);

	if (ret)
		return ret;
	if (!a.has_ip)
		return usage_error(USAGE, "\"ip\" is required");
	nlh = genl_msg(CLINK_CMD_NEW_INSTANCE, 0, cur_dev);
	if (!nlh)
		return EXIT_RUNTIME;
	if (replace)
		nl_put_flag(nlh, CLINK_A_REPLACE);
	nl_put_strz(nlh, CLINK_A_INST_ID, a.id);
	nl_put_addr(nlh, CLINK_A_INST_ADDR, a.ip);
	if (a.region)
		nl_put_strz(nlh, CLINK_A_INST_REGION, a.region);
	if (a.account)
		nl_put_strz(nlh, CLINK_A_INST_ACCOUNT, a.account);
	return genl_talk(nlh, NULL, NULL);
}

static int inst_add(int argc, char **argv)
{
	return inst_new(argc, argv, false);
}

static int inst_replace(int argc, char **argv)
{
	return inst_new(argc, argv, true);
}

static int inst_set(int argc, char **argv)
{
	struct inst_args a = { 0 };
	struct nlmsghdr *nlh;
	int ret = parse_inst(argc, argv, &a, K_IP, false);

	if (ret)
		return ret;
	if (!a.has_ip)
		return usage_error(USAGE, "\"ip\" is required");
	nlh = genl_msg(CLINK_CMD_SET_INSTANCE, 0, cur_dev);
	if (!nlh)
		return EXIT_RUNTIME;
	nl_put_strz(nlh, CLINK_A_INST_ID, a.id);
	nl_put_addr(nlh, CLINK_A_INST_ADDR, a.ip);
	return genl_talk(nlh, NULL, NULL);
}

static int inst_del(int argc, char **argv)
{
	struct inst_args a = { 0 };
	struct nlmsghdr *nlh;
	int ret = parse_inst(argc, argv, &a, 0, false);

	if (ret)
		return ret;
	nlh = genl_msg(CLINK_CMD_DEL_INSTANCE, 0, cur_dev);
	if (!nlh)
		return EXIT_RUNTIME;
	nl_put_strz(nlh, CLINK_A_INST_ID, a.id);
	return genl_talk(nlh, NULL, NULL);
}

/* "i-1 ip 10.1.0.5 region r1 account a1 vpc vpc-a" */
void instance_print(clink_tb_t tb)
{
	if (tb[CLINK_A_INST_ID])
		print_string("id", "%s", mnl_attr_get_str(tb[CLINK_A_INST_ID]));
	print_addr("ip", " ip %s", tb[CLINK_A_INST_ADDR]);
	if (tb[CLINK_A_INST_REGION] && *mnl_attr_get_str(tb[CLINK_A_INST_REGION]))
		print_string("region", " region %s",
			     mnl_attr_get_str(tb[CLINK_A_INST_REGION]));
	if (tb[CLINK_A_INST_ACCOUNT] && *mnl_attr_get_str(tb[CLINK_A_INST_ACCOUNT]))
		print_string("account", " account %s",
			     mnl_attr_get_str(tb[CLINK_A_INST_ACCOUNT]));
	if (tb[CLINK_A_VPC_ID])
		print_string("vpc", " vpc %s", mnl_attr_get_str(tb[CLINK_A_VPC_ID]));
}

static int inst_show_cb(const struct nlmsghdr *nlh, void *data)
{
	clink_tb_t tb;

	(void)data;
	genl_parse(nlh, tb);
	open_object(tb);
	instance_print(tb);
	close_object();
	return MNL_CB_OK;
}

static int inst_show(int argc, char **argv)
{
	struct inst_args a = { 0 };
	struct nlmsghdr *nlh;
	int ret = parse_inst(argc, argv, &a, 0, true);

	if (ret)
		return ret;
	nlh = genl_msg(CLINK_CMD_GET_INSTANCE, a.id ? 0 : NLM_F_DUMP, cur_dev);
	if (!nlh)
		return EXIT_RUNTIME;
	if (a.id)
		nl_put_strz(nlh, CLINK_A_INST_ID, a.id);
	open_json_list();
	ret = genl_talk(nlh, inst_show_cb, NULL);
	close_json_list(ret);
	return ret;
}

static const struct cmd inst_cmds[] = {
	{ "show", inst_show },
	{ "list", inst_show },
	{ "ls", inst_show },
	{ "add", inst_add },
	{ "del", inst_del },
	{ "delete", inst_del },
	{ "set", inst_set },
	{ "replace", inst_replace },
	{ NULL, NULL }
};

int do_instance(int argc, char **argv)
{
	return run_cmd(inst_cmds, USAGE, argc, argv);
}
