// SPDX-License-Identifier: GPL-2.0
/* Output helpers shared by every object. */

#include <stdio.h>

#include "clinkctl.h"

/*
 * One object of a show or monitor: with -j it carries the name of its
 * device, so output from two devices can be told apart.
 */
void open_object(clink_tb_t tb)
{
	open_json_object(NULL);
	if (tb[CLINK_A_IFNAME])
		print_string("dev", NULL, mnl_attr_get_str(tb[CLINK_A_IFNAME]));
}

/* The end of its line. */
void close_object(void)
{
	print_text("\n");
	close_json_object();
}

static uint64_t stat64(const struct nlattr *tb[], int type)
{
	return tb[type] ? mnl_attr_get_u64(tb[type]) : 0;
}

void print_traffic(const struct nlattr *nest)
{
	const struct nlattr *tb[CLINK_STATS_A_MAX + 1] = { NULL };
	const struct nlattr *a;

	if (!opts.stats || !nest)
		return;
	mnl_attr_for_each_nested(a, nest) {
		uint16_t type = mnl_attr_get_type(a);

		if (type <= CLINK_STATS_A_MAX && type != CLINK_STATS_A_PAD &&
		    mnl_attr_validate(a, MNL_TYPE_U64) == 0)
			tb[type] = a;
	}
	open_json_object("stats");
	print_uint("to_vpc_packets", "\n    to-vpc %llu packets",
		   stat64(tb, CLINK_STATS_A_TO_VPC_PACKETS));
	print_uint("to_vpc_bytes", " %llu bytes",
		   stat64(tb, CLINK_STATS_A_TO_VPC_BYTES));
	print_uint("to_classic_packets", "  to-classic %llu packets",
		   stat64(tb, CLINK_STATS_A_TO_CLASSIC_PACKETS));
	print_uint("to_classic_bytes", " %llu bytes",
		   stat64(tb, CLINK_STATS_A_TO_CLASSIC_BYTES));
	close_json_object();
}

void print_prefix(const char *key, const char *fmt, const struct nlattr *nest)
{
	char buf[PREFIX_STRLEN];
	struct prefix p;

	if (get_prefix(nest, &p))
		print_string(key, fmt, format_prefix(buf, &p));
}

void print_prefix_list(const char *key, const char *keyword,
		       const struct nlattr *nest)
{
	char buf[PREFIX_STRLEN];
	struct prefix_list l;
	int i;

	get_prefix_list(nest, &l);
	print_text(" %s ", keyword);
	if (!l.n)
		print_text("none");
	open_json_array(key);
	for (i = 0; i < l.n; i++)
		print_string(NULL, i ? ",%s" : "%s", format_prefix(buf, &l.p[i]));
	close_json_array();
}

void print_addr(const char *key, const char *fmt, const struct nlattr *a)
{
	char buf[ADDR_STRLEN];

	if (a)
		print_string(key, fmt, format_addr(buf, get_addr(a)));
}

void print_dscp(const struct nlattr *a)
{
	uint8_t dscp;

	if (!a)
		return;
	dscp = mnl_attr_get_u8(a);
	if (dscp == CLINK_DSCP_INHERIT)
		print_string("dscp", " dscp %s", "inherit");
	else
		print_uint("dscp", " dscp %llu", dscp);
}

int parse_dscp(const char *usage, const char *arg, uint8_t *dscp)
{
	uint32_t v;

	if (!strcmp(arg, "inherit")) {
		*dscp = CLINK_DSCP_INHERIT;
		return 0;
	}
	if (parse_u32_range(arg, 0, CLINK_DSCP_MAX, &v))
		return usage_error(usage, "\"dscp\" takes 0..%d or inherit, not \"%s\"",
				   CLINK_DSCP_MAX, arg);
	*dscp = v;
	return 0;
}
