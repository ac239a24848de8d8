// SPDX-License-Identifier: GPL-2.0
/* clinkctl endpoint: where a VPC address lives (hypervisor VTEP and MAC). */

#include <stdio.h>

#include "clinkctl.h"

#define USAGE endpoint_usage
static const char endpoint_usage[] =
"Usage: clinkctl endpoint { add | replace } vpc ID ADDR vtep ADDR mac LLADDR\n"
"                         [ dev NAME ]\n"
"       clinkctl endpoint del vpc ID ADDR [ dev NAME ]\n"
"       clinkctl endpoint show [ vpc ID [ ADDR ] ] [ dev NAME ]\n";

struct ep_args {
	const char *vpc;
	bool has_addr, has_vtep, has_mac;
	struct in_addr addr, vtep;
	uint8_t mac[6];
};

static int parse_ep(int argc, char **argv, struct ep_args *a, bool full)
{
	for (; argc > 0; argc--, argv++) {
		HELP_ARG();
		if (matches(*argv, "vpc")) {
			NEXT_ARG();
			ID_ARG(a->vpc, "VPC ID");
		} else if (full && matches(*argv, "vtep")) {
			NEXT_ARG();
			if (parse_addr(*argv, &a->vtep))
				return INVALID("address");
			a->has_vtep = true;
		} else if (full && matches(*argv, "mac")) {
			NEXT_ARG();
			if (parse_mac(*argv, a->mac))
				return INVALID("MAC address");
			a->has_mac = true;
		} else if (matches(*argv, "dev")) {
			NEXT_ARG();
			DEV_ARG(cur_dev);
		} else if (!a->has_addr) {
			if (parse_addr(*argv, &a->addr))
				return usage_error(USAGE, "unknown argument or invalid address \"%s\"",
						   *argv);
			a->has_addr = true;
		} else {
			return usage_error(USAGE, "unknown argument \"%s\"", *argv);
		}
	}
	return 0;
}

static int ep_new(int argc, char **argv, bool replace)
{
	struct ep_args a = { 0 };
	struct nlmsghdr *nlh;
	int ret = parse_ep(argc, argv, &a, true);

	if (ret)
		return ret;
	if (!a.vpc || !a.has_addr || !a.has_vtep || !a.has_mac)
		return usage_error(USAGE, "vpc ID, ADDR, vtep ADDR and mac LLADDR are required");
	nlh = genl_msg(CLINK_CMD_NEW_ENDPOINT, 0, cur_dev);
	if (!nlh)
		return EXIT_RUNTIME;
	if (replace)
		nl_put_flag(nlh, CLINK_A_REPLACE);
	nl_put_strz(nlh, CLINK_A_VPC_ID, a.vpc);
	nl_put_addr(nlh, CLINK_A_EP_ADDR, a.addr);
	nl_put_addr(nlh, CLINK_A_EP_VTEP, a.vtep);
	nl_put(nlh, CLINK_A_EP_MAC, 6, a.mac);
	return genl_talk(nlh, NULL, NULL);
}

static int ep_add(int argc, char **argv)
{
	return ep_new(argc, argv, false);
}

static int ep_replace(int argc, char **argv)
{
	return ep_new(argc, argv, true);
}

static int ep_del(int argc, char **argv)
{
	struct ep_args a = { 0 };
	struct nlmsghdr *nlh;
	int ret = parse_ep(argc, argv, &a, false);

	if (ret)
		return ret;
	if (!a.vpc || !a.has_addr)
		return usage_error(USAGE, "vpc ID and ADDR are required");
	nlh = genl_msg(CLINK_CMD_DEL_ENDPOINT, 0, cur_dev);
	if (!nlh)
		return EXIT_RUNTIME;
	nl_put_strz(nlh, CLINK_A_VPC_ID, a.vpc);
	nl_put_addr(nlh, CLINK_A_EP_ADDR, a.addr);
	return genl_talk(nlh, NULL, NULL);
}

void endpoint_print(clink_tb_t tb)
{
	char buf[MAC_STRLEN];

	print_addr("addr", "%s", tb[CLINK_A_EP_ADDR]);
	if (tb[CLINK_A_VPC_ID])
		print_string("vpc", " vpc %s", mnl_attr_get_str(tb[CLINK_A_VPC_ID]));
	print_addr("vtep", " vtep %s", tb[CLINK_A_EP_VTEP]);
	if (tb[CLINK_A_EP_MAC])
		print_string("mac", " mac %s",
			     format_mac(buf, mnl_attr_get_payload(tb[CLINK_A_EP_MAC])));
}

static int ep_show_cb(const struct nlmsghdr *nlh, void *data)
{
	clink_tb_t tb;

	(void)data;
	genl_parse(nlh, tb);
	open_object(tb);
	endpoint_print(tb);
	close_object();
	return MNL_CB_OK;
}

static int ep_show(int argc, char **argv)
{
	struct ep_args a = { 0 };
	struct nlmsghdr *nlh;
	int ret = parse_ep(argc, argv, &a, false);

	if (ret)
		return ret;
	if (a.has_addr && !a.vpc)
		return usage_error(USAGE, "ADDR needs vpc ID");
	nlh = genl_msg(CLINK_CMD_GET_ENDPOINT, a.has_addr ? 0 : NLM_F_DUMP,
		       cur_dev);
	if (!nlh)
		return EXIT_RUNTIME;
	if (a.vpc)
		nl_put_strz(nlh, CLINK_A_VPC_ID, a.vpc);
	if (a.has_addr)
		nl_put_addr(nlh, CLINK_A_EP_ADDR, a.addr);
	open_json_list();
	ret = genl_talk(nlh, ep_show_cb, NULL);
	close_json_list(ret);
	return ret;
}

static const struct cmd ep_cmds[] = {
	{ "show", ep_show },
	{ "list", ep_show },
	{ "ls", ep_show },
	{ "add", ep_add },
	{ "del", ep_del },
	{ "delete", ep_del },
	{ "replace", ep_replace },
	{ NULL, NULL }
};

int do_endpoint(int argc, char **argv)
{
	return run_cmd(ep_cmds, USAGE, argc, argv);
}
