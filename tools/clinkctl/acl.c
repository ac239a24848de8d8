// SPDX-License-Identifier: GPL-2.0
/* clinkctl acl: a VPC's network ACL, applied both ways. */

#include <stdio.h>

#include "clinkctl.h"

#define USAGE acl_usage
static const char acl_usage[] =
"Usage: clinkctl acl { add | replace } vpc ID prio N dir { to-vpc | to-classic }\n"
"                    [ proto { tcp | udp | icmp | any | NUM } ]\n"
"                    [ src PREFIX ] [ dst PREFIX ] [ sport N[-M] ] [ dport N[-M] ]\n"
"                    action { allow | deny } [ dev NAME ]\n"
"       clinkctl acl del vpc ID prio N [ dev NAME ]\n"
"       clinkctl acl show vpc ID [ dev NAME ]\n";

struct acl_args {
	const char *vpc;
	bool has_prio, has_dir, has_action, has_proto, has_src, has_dst;
	bool has_sport, has_dport;
	uint32_t prio;
	uint8_t dir, action, proto;
	struct prefix src, dst;
	uint16_t sport[2], dport[2];
};

static int parse_acl(int argc, char **argv, struct acl_args *a)
{
	for (; argc > 0; argc--, argv++) {
		HELP_ARG();
		if (matches(*argv, "vpc")) {
			NEXT_ARG();
			ID_ARG(a->vpc, "VPC ID");
		} else if (matches(*argv, "prio") || matches(*argv, "priority")) {
			NEXT_ARG();
			if (parse_u32(*argv, &a->prio))
				return INVALID("priority");
			a->has_prio = true;
		} else if (matches(*argv, "dir") || matches(*argv, "direction")) {
			NEXT_ARG();
			if (matches(*argv, "to-vpc"))
				a->dir = CLINK_ACL_TO_VPC;
			else if (matches(*argv, "to-classic"))
				a->dir = CLINK_ACL_TO_CLASSIC;
			else
				return INVALID("direction");
			a->has_dir = true;
		} else if (matches(*argv, "action")) {
			NEXT_ARG();
			if (matches(*argv, "allow"))
				a->action = CLINK_ACL_ALLOW;
			else if (matches(*argv, "deny"))
				a->action = CLINK_ACL_DENY;
			else
				return INVALID("action");
			a->has_action = true;
		} else if (matches(*argv, "proto") || matches(*argv, "protocol")) {
			NEXT_ARG();
			if (parse_proto(*argv, &a->proto))
				return INVALID("protocol");
			a->has_proto = true;
		} else if (matches(*argv, "src")) {
			NEXT_ARG();
			if (parse_prefix(*argv, &a->src))
				return INVALID("prefix");
			a->has_src = true;
		} else if (matches(*argv, "dst")) {
			NEXT_ARG();
			if (parse_prefix(*argv, &a->dst))
				return INVALID("prefix");
			a->has_dst = true;
		} else if (matches(*argv, "sport")) {
			NEXT_ARG();
			if (parse_port_range(*argv, &a->sport[0], &a->sport[1]))
				return INVALID("port range");
			a->has_sport = true;
		} else if (matches(*argv, "dport")) {
			NEXT_ARG();
			if (parse_port_range(*argv, &a->dport[0], &a->dport[1]))
				return INVALID("port range");
			a->has_dport = true;
		} else if (matches(*argv, "dev")) {
			NEXT_ARG();
			DEV_ARG(cur_dev);
		} else {
			return usage_error(USAGE, "unknown argument \"%s\"", *argv);
		}
	}
	return 0;
}

static int acl_new(int argc, char **argv, bool replace)
{
	struct acl_args a = { 0 };
	struct nlmsghdr *nlh;
	int ret = parse_acl(argc, argv, &a);

	if (ret)
		return ret;
	if (!a.vpc || !a.has_prio || !a.has_dir || !a.has_action)
		return usage_error(USAGE, "vpc ID, prio N, dir DIR and action ACTION are required");
	nlh = genl_msg(CLINK_CMD_NEW_ACL, 0, cur_dev);
	if (!nlh)
		return EXIT_RUNTIME;
	if (replace)
		nl_put_flag(nlh, CLINK_A_REPLACE);
	nl_put_strz(nlh, CLINK_A_VPC_ID, a.vpc);
	nl_put_u32(nlh, CLINK_A_ACL_PRIO, a.prio);
	nl_put_u8(nlh, CLINK_A_ACL_DIR, a.dir);
	nl_put_u8(nlh, CLINK_A_ACL_ACTION, a.action);
	if (a.has_proto)
		nl_put_u8(nlh, CLINK_A_ACL_PROTO, a.proto);
	if (a.has_src)
		put_prefix(nlh, CLINK_A_ACL_SRC, &a.src);
	if (a.has_dst)
		put_prefix(nlh, CLINK_A_ACL_DST, &a.dst);
	if (a.has_sport) {
		nl_put_u16(nlh, CLINK_A_ACL_SPORT_MIN, a.sport[0]);
		nl_put_u16(nlh, CLINK_A_ACL_SPORT_MAX, a.sport[1]);
	}
	if (a.has_dport) {
		nl_put_u16(nlh, CLINK_A_ACL_DPORT_MIN, a.dport[0]);
		nl_put_u16(nlh, CLINK_A_ACL_DPORT_MAX, a.dport[1]);
	}
	return genl_talk(nlh, NULL, NULL);
}

static int acl_add(int argc, char **argv)
{
	return acl_new(argc, argv, false);
}

static int acl_replace(int argc, char **argv)
{
	return acl_new(argc, argv, true);
}

static int acl_del(int argc, char **argv)
{
	struct acl_args a = { 0 };
	struct nlmsghdr *nlh;
	int ret = parse_acl(argc, argv, &a);

	if (ret)
		return ret;
	if (!a.vpc || !a.has_prio)
		return usage_error(USAGE, "vpc ID and prio N are required");
	nlh = genl_msg(CLINK_CMD_DEL_ACL, 0, cur_dev);
	if (!nlh)
		return EXIT_RUNTIME;
	nl_put_strz(nlh, CLINK_A_VPC_ID, a.vpc);
	nl_put_u32(nlh, CLINK_A_ACL_PRIO, a.prio);
	return genl_talk(nlh, NULL, NULL);
}

static void print_ports(const char *keyword, const char *kmin, const char *kmax,
			const struct nlattr *min, const struct nlattr *max)
{
	uint16_t lo = min ? mnl_attr_get_u16(min) : 0;
	uint16_t hi = max ? mnl_attr_get_u16(max) : 65535;

	print_text(" %s ", keyword);
	print_uint(kmin, "%llu", lo);
	if (hi != lo)
		print_text("-%u", hi);
	print_uint(kmax, NULL, hi);
}

/*
 * "prio 10 dir to-vpc proto tcp src 0.0.0.0/0 dst 172.16.0.0/16
 *  sport 0-65535 dport 80 action allow hits 5"
 */
void acl_print(clink_tb_t tb, bool with_vpc)
{
	char buf[PROTO_STRLEN];
	uint8_t proto = 0;

	if (tb[CLINK_A_VPC_ID])
		print_string("vpc", with_vpc ? "vpc %s " : NULL,
			     mnl_attr_get_str(tb[CLINK_A_VPC_ID]));
	if (tb[CLINK_A_ACL_PRIO])
		print_uint("prio", "prio %llu", mnl_attr_get_u32(tb[CLINK_A_ACL_PRIO]));
	if (tb[CLINK_A_ACL_DIR])
		print_string("dir", " dir %s",
			     acl_dir_name(mnl_attr_get_u8(tb[CLINK_A_ACL_DIR])));
	if (tb[CLINK_A_ACL_PROTO])
		proto = mnl_attr_get_u8(tb[CLINK_A_ACL_PROTO]);
	if (tb[CLINK_A_ACL_DIR] || tb[CLINK_A_ACL_PROTO])
		print_string("proto", " proto %s", format_proto(buf, proto));
	if (tb[CLINK_A_ACL_SRC])
		print_prefix("src", " src %s", tb[CLINK_A_ACL_SRC]);
	else if (tb[CLINK_A_ACL_DIR])
		print_string("src", " src %s", "0.0.0.0/0");
	if (tb[CLINK_A_ACL_DST])
		print_prefix("dst", " dst %s", tb[CLINK_A_ACL_DST]);
	else if (tb[CLINK_A_ACL_DIR])
		print_string("dst", " dst %s", "0.0.0.0/0");
	if (proto == 6 || proto == 17) {
		print_ports("sport", "sport_min", "sport_max",
			    tb[CLINK_A_ACL_SPORT_MIN], tb[CLINK_A_ACL_SPORT_MAX]);
		print_ports("dport", "dport_min", "dport_max",
			    tb[CLINK_A_ACL_DPORT_MIN], tb[CLINK_A_ACL_DPORT_MAX]);
	}
	if (tb[CLINK_A_ACL_ACTION])
		print_string("action", " action %s",
			     acl_action_name(mnl_attr_get_u8(tb[CLINK_A_ACL_ACTION])));
	if (tb[CLINK_A_ACL_HITS])
		print_uint("hits", " hits %llu", mnl_attr_get_u64(tb[CLINK_A_ACL_HITS]));
}

static int acl_show_cb(const struct nlmsghdr *nlh, void *data)
{
	clink_tb_t tb;

	(void)data;
	genl_parse(nlh, tb);
	open_object(tb);
	acl_print(tb, false);
	close_object();
	return MNL_CB_OK;
}

static int acl_show(int argc, char **argv)
{
	struct acl_args a = { 0 };
	struct nlmsghdr *nlh;
	int ret = parse_acl(argc, argv, &a);

	if (ret)
		return ret;
	if (!a.vpc)
		return usage_error(USAGE, "vpc ID is required");
	nlh = genl_msg(CLINK_CMD_GET_ACL, NLM_F_DUMP, cur_dev);
	if (!nlh)
		return EXIT_RUNTIME;
	nl_put_strz(nlh, CLINK_A_VPC_ID, a.vpc);
	open_json_list();
	ret = genl_talk(nlh, acl_show_cb, NULL);
	close_json_list(ret);
	return ret;
}

static const struct cmd acl_cmds[] = {
	{ "show", acl_show },
	{ "list", acl_show },
	{ "ls", acl_show },
	{ "add", acl_add },
	{ "del", acl_del },
	{ "delete", acl_del },
	{ "replace", acl_replace },
	{ NULL, NULL }
};

int do_acl(int argc, char **argv)
{
	return run_cmd(acl_cmds, USAGE, argc, argv);
}
