// SPDX-License-Identifier: GPL-2.0
/*
 * clinkctl dev: create, change and delete clink devices over rtnetlink
 * (the attributes travel in IFLA_INFO_DATA, so a device is created with
 * its whole configuration or not at all), show them over generic netlink.
 */

#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "clinkctl.h"

#define USAGE dev_usage
static const char dev_usage[] =
"Usage: clinkctl dev add NAME [ DEVATTR ]...\n"
"       clinkctl dev set NAME [ DEVATTR ]...\n"
"       clinkctl dev del NAME\n"
"       clinkctl dev show [ NAME ]\n"
"where  DEVATTR := { local ADDR | port PORT | region REGION |\n"
"                    max-links-per-vpc N | max-vpcs N | max-instances N |\n"
"                    max-links N | max-endpoints N |\n"
"                    classic-space PREFIX[,PREFIX...] |\n"
"                    vpc-eligible { PREFIX[,PREFIX...] | none } |\n"
"                    vtep-check { on | off } |\n"
"                    profile { tencent | alibaba | aws | custom } }\n";

struct dev_attrs {
	const char *name, *region;
	bool has_local, has_port, has_classic, has_eligible, has_vtep_check;
	bool vtep_check, has_profile;
	uint8_t profile;
	struct in_addr local;
	uint16_t port;
	uint32_t max[5];
	unsigned int has_max;	/* bit i: max[i] given */
	struct prefix_list classic, eligible;
};

static const struct {
	const char *keyword;
	uint16_t ifla;
} max_attrs[5] = {
	{ "max-links-per-vpc", IFLA_CLINK_MAX_LINKS_PER_VPC },
	{ "max-vpcs", IFLA_CLINK_MAX_VPCS },
	{ "max-instances", IFLA_CLINK_MAX_INSTANCES },
	{ "max-links", IFLA_CLINK_MAX_LINKS },
	{ "max-endpoints", IFLA_CLINK_MAX_ENDPOINTS },
};

static const char *const profile_names[CLINK_PROFILE_MAX + 1] = {
	[CLINK_PROFILE_CUSTOM] = "custom",
	[CLINK_PROFILE_TENCENT] = "tencent",
	[CLINK_PROFILE_ALIBABA] = "alibaba",
	[CLINK_PROFILE_AWS] = "aws",
};

const char *profile_name(const struct nlattr *a)
{
	uint8_t p = a ? mnl_attr_get_u8(a) : CLINK_PROFILE_CUSTOM;

	return p <= CLINK_PROFILE_MAX ? profile_names[p] : "unknown";
}

static int parse_dev_attrs(int argc, char **argv, struct dev_attrs *d)
{
	uint32_t n;
	size_t i;

	memset(d, 0, sizeof(*d));
	if (argc < 1)
		return usage_error(USAGE, "device name required");
	HELP_ARG();
	DEV_ARG(d->name);
	argc--;
	argv++;
	for (; argc > 0; argc--, argv++) {
		HELP_ARG();
		if (matches(*argv, "local")) {
			NEXT_ARG();
			if (parse_addr(*argv, &d->local))
				return INVALID("address");
			d->has_local = true;
		} else if (matches(*argv, "port")) {
			NEXT_ARG();
			if (parse_u32_range(*argv, 0, 65535, &n))
				return INVALID("port");
			d->port = (uint16_t)n;
			d->has_port = true;
		} else if (matches(*argv, "region")) {
			NEXT_ARG();
			ID_ARG(d->region, "region");
		} else if (matches(*argv, "classic-space")) {
			NEXT_ARG();
			if (parse_prefix_list(*argv, &d->classic))
				return INVALID("prefix list");
			d->has_classic = true;
		} else if (matches(*argv, "vpc-eligible")) {
			NEXT_ARG();
			if (parse_prefix_list(*argv, &d->eligible))
				return INVALID("prefix list");
			d->has_eligible = true;
		} else if (matches(*argv, "vtep-check")) {
			NEXT_ARG();
			if (parse_onoff(*argv, &d->vtep_check))
				return usage_error(USAGE, "\"vtep-check\" takes on or off, not \"%s\"",
						   *argv);
			d->has_vtep_check = true;
		} else if (matches(*argv, "profile")) {
			NEXT_ARG();
			for (i = 0; i <= CLINK_PROFILE_MAX; i++)
				if (!strcmp(*argv, profile_names[i]))
					break;
			if (i > CLINK_PROFILE_MAX)
				return usage_error(USAGE, "\"profile\" takes tencent, alibaba, aws or custom, not \"%s\"",
						   *argv);
			d->profile = (uint8_t)i;
			d->has_profile = true;
		} else {
			for (i = 0; i < 5; i++)
				if (!strcmp(*argv, max_attrs[i].keyword))
					break;
			if (i == 5)
				return usage_error(USAGE, "unknown argument \"%s\"", *argv);
			NEXT_ARG();
			if (parse_u32(*argv, &d->max[i]))
				return INVALID("number");
			d->has_max |= 1u << i;
		}
	}
	return 0;
}

static int dev_newlink(int argc, char **argv, bool create)
{
	struct nlattr *linkinfo, *data;
	struct nlmsghdr *nlh;
	struct dev_attrs d;
	size_t i;
	int ret;

	ret = parse_dev_attrs(argc, argv, &d);
	if (ret)
		return ret;
	nlh = rtnl_msg(RTM_NEWLINK, create ? NLM_F_CREATE | NLM_F_EXCL : 0);
	if (!nlh)
		return EXIT_RUNTIME;
	nl_put_strz(nlh, IFLA_IFNAME, d.name);
	linkinfo = nl_nest_start(nlh, IFLA_LINKINFO);
	nl_put_strz(nlh, IFLA_INFO_KIND, "clink");
	data = nl_nest_start(nlh, IFLA_INFO_DATA);
	if (d.has_local)
		nl_put_addr(nlh, IFLA_CLINK_LOCAL, d.local);
	if (d.has_port)
		nl_put_u16(nlh, IFLA_CLINK_PORT, d.port);
	if (d.region)
		nl_put_strz(nlh, IFLA_CLINK_REGION, d.region);
	for (i = 0; i < 5; i++)
		if (d.has_max & (1u << i))
			nl_put_u32(nlh, max_attrs[i].ifla, d.max[i]);
	if (d.has_classic)
		put_prefix_list(nlh, IFLA_CLINK_CLASSIC_SPACE, &d.classic);
	if (d.has_eligible)
		put_prefix_list(nlh, IFLA_CLINK_VPC_ELIGIBLE, &d.eligible);
	if (d.has_vtep_check)
		nl_put_u8(nlh, IFLA_CLINK_VTEP_CHECK, d.vtep_check);
	if (d.has_profile)
		nl_put_u8(nlh, IFLA_CLINK_PROFILE, d.profile);
	nl_nest_end(nlh, data);
	nl_nest_end(nlh, linkinfo);
	return rtnl_talk(nlh, NULL, NULL);
}

static int dev_add(int argc, char **argv)
{
	return dev_newlink(argc, argv, true);
}

static int dev_set(int argc, char **argv)
{
	return dev_newlink(argc, argv, false);
}

static int dev_del(int argc, char **argv)
{
	struct nlmsghdr *nlh;

	if (argc != 1)
		return usage_error(USAGE, argc ? "too many arguments" :
				   "device name required");
	HELP_ARG();
	if (arg_too_long("device name", argv[0], IFNAMSIZ))
		return EXIT_USAGE;
	/* refuse to delete what is not a clink device: ask the family first */
	nlh = genl_msg(CLINK_CMD_GET_DEV, 0, argv[0]);
	if (!nlh || genl_talk(nlh, NULL, NULL))
		return EXIT_RUNTIME;
	nlh = rtnl_msg(RTM_DELLINK, 0);
	if (!nlh)
		return EXIT_RUNTIME;
	nl_put_strz(nlh, IFLA_IFNAME, argv[0]);
	return rtnl_talk(nlh, NULL, NULL);
}

static uint32_t u32_or_0(const struct nlattr *a)
{
	return a ? mnl_attr_get_u32(a) : 0;
}

static void print_drops(const struct nlattr *nest)
{
	const struct nlattr *a;
	uint64_t drops[CLINK_DROP_MAX + 1] = { 0 };
	char key[32];
	unsigned int i;

	if (!opts.stats || !nest)
		return;
	mnl_attr_for_each_nested(a, nest) {
		uint16_t type = mnl_attr_get_type(a);

		if (type >= 1 && type <= CLINK_DROP_MAX &&
		    mnl_attr_validate(a, MNL_TYPE_U64) == 0)
			drops[type] = mnl_attr_get_u64(a);
	}
	print_text("\n    drops");
	open_json_object("drops");
	for (i = 1; i <= CLINK_DROP_MAX; i++) {
		const char *name = drop_reason_name(i);
		size_t j;

		/* JSON keys are snake_case */
		for (j = 0; j < sizeof(key) - 1 && name[j]; j++)
			key[j] = (char)(name[j] == '-' ? '_' : name[j]);
		key[j] = '\0';
		print_text(" %s", name);
		print_uint(key, " %llu", drops[i]);
	}
	close_json_object();
}

void dev_print(clink_tb_t tb)
{
	char buf[MAC_STRLEN];
	size_t i;
	static const uint16_t max_genl[5] = {
		CLINK_A_DEV_MAX_LINKS_PER_VPC, CLINK_A_DEV_MAX_VPCS,
		CLINK_A_DEV_MAX_INSTANCES, CLINK_A_DEV_MAX_LINKS,
		CLINK_A_DEV_MAX_ENDPOINTS,
	};
	static const char *const max_keys[5] = {
		"max_links_per_vpc", "max_vpcs", "max_instances", "max_links",
		"max_endpoints",
	};

	if (tb[CLINK_A_IFNAME])
		print_string("ifname", "%s", mnl_attr_get_str(tb[CLINK_A_IFNAME]));
	if (tb[CLINK_A_IFINDEX])
		print_uint("ifindex", " ifindex %llu", mnl_attr_get_u32(tb[CLINK_A_IFINDEX]));
	if (tb[CLINK_A_DEV_VERSION])
		print_string("version", " version %s",
			     mnl_attr_get_str(tb[CLINK_A_DEV_VERSION]));
	print_addr("local", " local %s", tb[CLINK_A_DEV_LOCAL]);
	if (tb[CLINK_A_DEV_PORT])
		print_uint("port", " port %llu", mnl_attr_get_u16(tb[CLINK_A_DEV_PORT]));
	if (tb[CLINK_A_DEV_REGION] && *mnl_attr_get_str(tb[CLINK_A_DEV_REGION]))
		print_string("region", " region %s",
			     mnl_attr_get_str(tb[CLINK_A_DEV_REGION]));
	if (tb[CLINK_A_DEV_MAC])
		print_string("mac", " mac %s",
			     format_mac(buf, mnl_attr_get_payload(tb[CLINK_A_DEV_MAC])));
	if (tb[CLINK_A_DEV_PROFILE])
		print_string("profile", " profile %s",
			     profile_name(tb[CLINK_A_DEV_PROFILE]));
	for (i = 0; i < 5; i++) {
		if (!tb[max_genl[i]])
			continue;
		print_text(" %s", max_attrs[i].keyword);
		print_uint(max_keys[i], " %llu", mnl_attr_get_u32(tb[max_genl[i]]));
	}
	if (tb[CLINK_A_DEV_CLASSIC_SPACE])
		print_prefix_list("classic_space", "classic-space",
				  tb[CLINK_A_DEV_CLASSIC_SPACE]);
	if (tb[CLINK_A_DEV_VPC_ELIGIBLE])
		print_prefix_list("vpc_eligible", "vpc-eligible",
				  tb[CLINK_A_DEV_VPC_ELIGIBLE]);
	/* Text shows only the exception, as ip shows "nolearning". */
	if (tb[CLINK_A_DEV_VTEP_CHECK]) {
		bool on = mnl_attr_get_u8(tb[CLINK_A_DEV_VTEP_CHECK]);

		print_onoff("vtep_check", on ? NULL : " vtep-check %s", on);
	}
	if (tb[CLINK_A_DEV_N_VPCS]) {
		print_uint("vpcs", " vpcs %llu", u32_or_0(tb[CLINK_A_DEV_N_VPCS]));
		print_uint("instances", " instances %llu",
			   u32_or_0(tb[CLINK_A_DEV_N_INSTANCES]));
		print_uint("links", " links %llu", u32_or_0(tb[CLINK_A_DEV_N_LINKS]));
		print_uint("endpoints", " endpoints %llu",
			   u32_or_0(tb[CLINK_A_DEV_N_ENDPOINTS]));
	}
	if (tb[CLINK_A_DEV_GENERATION])
		print_uint("generation", " generation %llu",
			   mnl_attr_get_u32(tb[CLINK_A_DEV_GENERATION]));
}

static int dev_show_cb(const struct nlmsghdr *nlh, void *data)
{
	clink_tb_t tb;

	(void)data;
	genl_parse(nlh, tb);
	open_object(tb);
	dev_print(tb);
	print_traffic(tb[CLINK_A_STATS]);
	print_drops(tb[CLINK_A_DROPS]);
	close_object();
	return MNL_CB_OK;
}

static int dev_show(int argc, char **argv)
{
	struct nlmsghdr *nlh;
	const char *name = NULL;
	int ret;

	for (; argc > 0; argc--, argv++) {
		HELP_ARG();
		if (matches(*argv, "dev")) {
			NEXT_ARG();
			DEV_ARG(name);
		} else if (!name) {
			DEV_ARG(name);
		} else {
			return usage_error(USAGE, "unknown argument \"%s\"", *argv);
		}
	}
	nlh = genl_msg(CLINK_CMD_GET_DEV, name ? 0 : NLM_F_DUMP, name);
	if (!nlh)
		return EXIT_RUNTIME;
	open_json_list();
	ret = genl_talk(nlh, dev_show_cb, NULL);
	close_json_list(ret);
	return ret;
}

static const struct cmd dev_cmds[] = {
	{ "show", dev_show },
	{ "list", dev_show },
	{ "ls", dev_show },
	{ "add", dev_add },
	{ "del", dev_del },
	{ "delete", dev_del },
	{ "set", dev_set },
	{ NULL, NULL }
};

int do_dev(int argc, char **argv)
{
	return run_cmd(dev_cmds, USAGE, argc, argv);
}
