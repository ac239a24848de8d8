// SPDX-License-Identifier: GPL-2.0
/*
 * link_clink.so: "ip link" learns the clink type.
 *
 *	ip link add clink0 type clink local 192.0.2.1 region r1
 *	ip link set clink0 type clink max-links-per-vpc 1000
 *	ip -d link show clink0
 *
 * For a kind it does not know, ip dlopen()s $IP_LIB_DIR/link_KIND.so
 * (Debian: /usr/lib/<multiarch>/ip) and takes its KIND_link_util.  The
 * keywords are those of "clinkctl dev add/set"; the attributes are
 * IFLA_CLINK_* in IFLA_INFO_DATA, which the module takes and reports.
 *
 * struct link_util and the functions declared below are ip's own: the ip
 * binary exports them, unchanged since iproute2 4.x.  This object exports
 * only clink_link_util (-fvisibility=hidden): ip's matches(), for one, is
 * not tools/lib's.
 */

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/clink.h>

#include "../lib/utils.h"

/* iproute2: ip/ip_common.h */
struct link_util {
	struct link_util *next;
	const char *id;
	int maxattr;
	int (*parse_opt)(struct link_util *lu, int argc, char **argv,
			 struct nlmsghdr *n);
	void (*print_opt)(struct link_util *lu, FILE *f, struct rtattr *tb[]);
	void (*print_xstats)(struct link_util *lu, FILE *f, struct rtattr *xstats);
	void (*print_help)(struct link_util *lu, int argc, char **argv, FILE *f);
	int (*parse_ifla_xstats)(struct link_util *lu, int argc, char **argv);
	int (*print_ifla_xstats)(struct nlmsghdr *n, void *arg);
};

/* iproute2: include/libnetlink.h, include/json_print.h, json_writer.h */
typedef struct json_writer json_writer_t;
int addattr_l(struct nlmsghdr *n, int maxlen, int type, const void *data, int alen);
struct rtattr *addattr_nest(struct nlmsghdr *n, int maxlen, int type);
int addattr_nest_end(struct nlmsghdr *n, struct rtattr *nest);
bool is_json_context(void);
json_writer_t *get_json_writer(void);
void jsonw_string_field(json_writer_t *self, const char *prop, const char *val);
void jsonw_uint_field(json_writer_t *self, const char *prop, unsigned int num);
void jsonw_bool_field(json_writer_t *self, const char *prop, bool value);
void jsonw_name(json_writer_t *self, const char *name);
void jsonw_start_array(json_writer_t *self);
void jsonw_end_array(json_writer_t *self);
void jsonw_string(json_writer_t *self, const char *value);

/* What ip's iplink_req leaves for the attributes, as its own kinds say. */
#define MAXLEN 1024

static const struct {
	const char *keyword, *key;
	int type;
} limits[] = {
	{ "max-links-per-vpc", "max_links_per_vpc", IFLA_CLINK_MAX_LINKS_PER_VPC },
	{ "max-vpcs", "max_vpcs", IFLA_CLINK_MAX_VPCS },
	{ "max-instances", "max_instances", IFLA_CLINK_MAX_INSTANCES },
	{ "max-links", "max_links", IFLA_CLINK_MAX_LINKS },
	{ "max-endpoints", "max_endpoints", IFLA_CLINK_MAX_ENDPOINTS },
};

static const struct {
	const char *keyword, *key;
	int type;
} lists[] = {
	{ "classic-space", "classic_space", IFLA_CLINK_CLASSIC_SPACE },
	{ "vpc-eligible", "vpc_eligible", IFLA_CLINK_VPC_ELIGIBLE },
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* enum clink_profile, as clinkctl names them */
static const char *const profiles[CLINK_PROFILE_MAX + 1] = {
	[CLINK_PROFILE_CUSTOM] = "custom",
	[CLINK_PROFILE_TENCENT] = "tencent",
	[CLINK_PROFILE_ALIBABA] = "alibaba",
	[CLINK_PROFILE_AWS] = "aws",
};

static void clink_print_help(struct link_util *lu, int argc, char **argv, FILE *f)
{
	(void)lu;
	(void)argc;
	(void)argv;
	fputs("Usage: ... clink [ local ADDR ] [ port PORT ] [ region REGION ]\n"
	      "                 [ max-links-per-vpc N ] [ max-vpcs N ] [ max-instances N ]\n"
	      "                 [ max-links N ] [ max-endpoints N ]\n"
	      "                 [ classic-space PREFIX[,PREFIX...] ]\n"
	      "                 [ vpc-eligible { PREFIX[,PREFIX...] | none } ]\n"
	      "                 [ vtep-check { on | off } ]\n"
	      "                 [ profile { tencent | alibaba | aws | custom } ]\n"
	      "The rest of a gateway's configuration: clinkctl(8).\n", f);
}

static int invalid(const char *what, const char *arg)
{
	fprintf(stderr, "Error: invalid %s \"%s\"\n", what, arg);
	return -1;
}

static void put_prefix_list(struct nlmsghdr *n, int type, const struct prefix_list *l)
{
	struct rtattr *list, *entry;
	int i;

	/* clink's policy is strict: nests say they are (ip's do not by itself) */
	list = addattr_nest(n, MAXLEN, type | NLA_F_NESTED);
	for (i = 0; i < l->n; i++) {
		entry = addattr_nest(n, MAXLEN, CLINK_A_PREFIX_ENTRY | NLA_F_NESTED);
		addattr_l(n, MAXLEN, CLINK_PREFIX_A_ADDR, &l->p[i].addr, 4);
		addattr_l(n, MAXLEN, CLINK_PREFIX_A_LEN, &l->p[i].len, 1);
		addattr_nest_end(n, entry);
	}
	addattr_nest_end(n, list);
}

static int clink_parse_opt(struct link_util *lu, int argc, char **argv,
			   struct nlmsghdr *n)
{
	struct prefix_list l;
	struct in_addr a;
	uint32_t v;
	uint16_t port;
	uint8_t u8;
	bool on;
	size_t i;

	for (; argc > 0; argc--, argv++) {
		const char *kw = *argv;

		if (!strcmp(kw, "help")) {
			clink_print_help(lu, argc, argv, stderr);
			return -1;
		}
		if (argc < 2) {
			fprintf(stderr, "Error: \"%s\" needs an argument\n", kw);
			return -1;
		}
		argc--;
		argv++;
		if (!strcmp(kw, "local")) {
			if (parse_addr(*argv, &a))
				return invalid("address", *argv);
			addattr_l(n, MAXLEN, IFLA_CLINK_LOCAL, &a, 4);
		} else if (!strcmp(kw, "port")) {
			if (parse_u32_range(*argv, 1, 65535, &v))
				return invalid("port", *argv);
			port = v;
			addattr_l(n, MAXLEN, IFLA_CLINK_PORT, &port, 2);
		} else if (!strcmp(kw, "region")) {
			if (strlen(*argv) >= CLINK_ID_MAXLEN)
				return invalid("region", *argv);
			addattr_l(n, MAXLEN, IFLA_CLINK_REGION, *argv, strlen(*argv) + 1);
		} else if (!strcmp(kw, "profile")) {
			for (u8 = 0; u8 <= CLINK_PROFILE_MAX; u8++)
				if (profiles[u8] && !strcmp(*argv, profiles[u8]))
					break;
			if (u8 > CLINK_PROFILE_MAX)
				return invalid("profile (tencent, alibaba, aws or custom)", *argv);
			addattr_l(n, MAXLEN, IFLA_CLINK_PROFILE, &u8, 1);
		} else if (!strcmp(kw, "vtep-check")) {
			if (parse_onoff(*argv, &on))
				return invalid("vtep-check (on or off)", *argv);
			u8 = on;
			addattr_l(n, MAXLEN, IFLA_CLINK_VTEP_CHECK, &u8, 1);
		} else {
			for (i = 0; i < ARRAY_SIZE(limits); i++) {
				if (strcmp(kw, limits[i].keyword))
					continue;
				if (parse_u32(*argv, &v))
					return invalid("number", *argv);
				addattr_l(n, MAXLEN, limits[i].type, &v, 4);
				break;
			}
			if (i < ARRAY_SIZE(limits))
				continue;
			for (i = 0; i < ARRAY_SIZE(lists); i++) {
				if (strcmp(kw, lists[i].keyword))
					continue;
				if (parse_prefix_list(*argv, &l))
					return invalid("prefix list", *argv);
				put_prefix_list(n, lists[i].type, &l);
				break;
			}
			if (i == ARRAY_SIZE(lists)) {
				fprintf(stderr, "Error: unknown clink argument \"%s\"\n", kw);
				clink_print_help(lu, 0, NULL, stderr);
				return -1;
			}
		}
	}
	return 0;
}

/* A prefix list: in JSON an array, in text "A/N,B/M" or "none". */
static void print_prefix_list(FILE *f, const char *keyword, const char *key,
			      const struct rtattr *list)
{
	json_writer_t *jw = is_json_context() ? get_json_writer() : NULL;
	const struct rtattr *e, *a;
	char buf[PREFIX_STRLEN];
	int rem, arem, n = 0;

	if (jw) {
		jsonw_name(jw, key);
		jsonw_start_array(jw);
	} else {
		fprintf(f, "%s ", keyword);
	}
	rem = RTA_PAYLOAD(list);
	for (e = RTA_DATA(list); RTA_OK(e, rem); e = RTA_NEXT(e, rem)) {
		struct prefix p = { .len = 255 };

		arem = RTA_PAYLOAD(e);
		for (a = RTA_DATA(e); RTA_OK(a, arem); a = RTA_NEXT(a, arem)) {
			if (a->rta_type == CLINK_PREFIX_A_ADDR && RTA_PAYLOAD(a) == 4)
				memcpy(&p.addr, RTA_DATA(a), 4);
			else if (a->rta_type == CLINK_PREFIX_A_LEN && RTA_PAYLOAD(a) == 1)
				p.len = *(uint8_t *)RTA_DATA(a);
		}
		if (p.len > 32)
			continue;
		format_prefix(buf, &p);
		if (jw)
			jsonw_string(jw, buf);
		else
			fprintf(f, "%s%s", n ? "," : "", buf);
		n++;
	}
	if (jw)
		jsonw_end_array(jw);
	else
		fprintf(f, "%s ", n ? "" : "none");
}

static void clink_print_opt(struct link_util *lu, FILE *f, struct rtattr *tb[])
{
	json_writer_t *jw = is_json_context() ? get_json_writer() : NULL;
	char buf[ADDR_STRLEN];
	struct in_addr a;
	size_t i;

	(void)lu;
	if (!tb)
		return;
	if (tb[IFLA_CLINK_LOCAL] && RTA_PAYLOAD(tb[IFLA_CLINK_LOCAL]) == 4) {
		memcpy(&a, RTA_DATA(tb[IFLA_CLINK_LOCAL]), 4);
		format_addr(buf, a);
		if (jw)
			jsonw_string_field(jw, "local", buf);
		else
			fprintf(f, "local %s ", buf);
	}
	if (tb[IFLA_CLINK_PORT] && RTA_PAYLOAD(tb[IFLA_CLINK_PORT]) == 2) {
		uint16_t port = *(uint16_t *)RTA_DATA(tb[IFLA_CLINK_PORT]);

		if (jw)
			jsonw_uint_field(jw, "port", port);
		else
			fprintf(f, "port %u ", port);
	}
	if (tb[IFLA_CLINK_REGION] && RTA_PAYLOAD(tb[IFLA_CLINK_REGION]) > 0) {
		const char *r = RTA_DATA(tb[IFLA_CLINK_REGION]);
		size_t len = strnlen(r, RTA_PAYLOAD(tb[IFLA_CLINK_REGION]));

		if (len < RTA_PAYLOAD(tb[IFLA_CLINK_REGION])) {
			if (jw)
				jsonw_string_field(jw, "region", r);
			else
				fprintf(f, "region %s ", r);
		}
	}
	for (i = 0; i < ARRAY_SIZE(limits); i++) {
		const struct rtattr *t = tb[limits[i].type];
		uint32_t v;

		if (!t || RTA_PAYLOAD(t) != 4)
			continue;
		memcpy(&v, RTA_DATA(t), 4);
		if (jw)
			jsonw_uint_field(jw, limits[i].key, v);
		else
			fprintf(f, "%s %u ", limits[i].keyword, v);
	}
	for (i = 0; i < ARRAY_SIZE(lists); i++)
		if (tb[lists[i].type])
			print_prefix_list(f, lists[i].keyword, lists[i].key,
					  tb[lists[i].type]);
	if (tb[IFLA_CLINK_VTEP_CHECK] && RTA_PAYLOAD(tb[IFLA_CLINK_VTEP_CHECK]) == 1) {
		bool on = *(uint8_t *)RTA_DATA(tb[IFLA_CLINK_VTEP_CHECK]);

		if (jw)
			jsonw_bool_field(jw, "vtep_check", on);
		else
			fprintf(f, "vtep-check %s ", on ? "on" : "off");
	}
	if (tb[IFLA_CLINK_PROFILE] && RTA_PAYLOAD(tb[IFLA_CLINK_PROFILE]) == 1) {
		uint8_t p = *(uint8_t *)RTA_DATA(tb[IFLA_CLINK_PROFILE]);
		const char *name = p <= CLINK_PROFILE_MAX && profiles[p] ? profiles[p] : "unknown";

		if (jw)
			jsonw_string_field(jw, "profile", name);
		else
			fprintf(f, "profile %s ", name);
	}
}

__attribute__((visibility("default")))
struct link_util clink_link_util = {
	.id		= "clink",
	.maxattr	= IFLA_CLINK_MAX,
	.parse_opt	= clink_parse_opt,
	.print_opt	= clink_print_opt,
	.print_help	= clink_print_help,
};
