// SPDX-License-Identifier: GPL-2.0
/*
 * clinkctl service and clinkctl vpce: PrivateLink's endpoint services (in
 * a provider VPC) and VPC endpoints (an address of a consumer VPC that
 * reaches a service). "vpce", not "endpoint": that is the table of VPC
 * addresses and their hypervisors.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clinkctl.h"

#define USAGE service_usage
static const char service_usage[] =
"Usage: clinkctl service add ID vpc VPC proto { tcp | udp } port PORT\n"
"                        backend ADDR[:PORT] [ backend ADDR[:PORT] ]...\n"
"                        snat ADDR [ snat ADDR ]...\n"
"                        [ allow { account ACCOUNT | vpc VPC } ]...\n"
"                        [ accepting { on | off } ] [ dev NAME ]\n"
"       clinkctl service set ID [ allow { account ACCOUNT | vpc VPC | none } ]...\n"
"                        [ accepting { on | off } ] [ dev NAME ]\n"
"       clinkctl service del ID [ dev NAME ]\n"
"       clinkctl service show [ ID ] [ dev NAME ]\n";

struct svc_args {
	const char *id, *vpc;
	uint8_t proto;
	uint32_t port;
	bool has_accepting, accepting, has_allow;
	int n_backends, n_snat, n_accounts, n_vpcs;
	struct in_addr backends[CLINK_MAX_BACKENDS];
	uint16_t bports[CLINK_MAX_BACKENDS];
	struct in_addr snat[CLINK_MAX_SNAT];
	const char *accounts[CLINK_MAX_PRINCIPALS];
	const char *vpcs[CLINK_MAX_PRINCIPALS];
};

/* ADDR or ADDR:PORT (0: the service's port) */
static int parse_backend(char *arg, struct in_addr *a, uint16_t *port)
{
	char *colon = strchr(arg, ':');
	uint32_t p = 0;
	int ret;

	if (colon) {
		*colon = '\0';
		if (parse_u32_range(colon + 1, 1, 65535, &p)) {
			*colon = ':';
			return -1;
		}
	}
	ret = parse_addr(arg, a);
	if (colon)
		*colon = ':';
	*port = (uint16_t)p;
	return ret;
}

static int parse_allow(int *pargc, char ***pargv, struct svc_args *a, bool set)
{
	int argc = *pargc;
	char **argv = *pargv;

	NEXT_ARG();
	a->has_allow = true;
	if (set && !strcmp(*argv, "none")) {
		a->n_accounts = a->n_vpcs = 0;
	} else if (matches(*argv, "account") || matches(*argv, "vpc")) {
		bool account = matches(*argv, "account");

		NEXT_ARG();
		if ((account ? a->n_accounts : a->n_vpcs) == CLINK_MAX_PRINCIPALS)
			return usage_error(USAGE, "at most %d accounts and %d VPCs",
					   CLINK_MAX_PRINCIPALS, CLINK_MAX_PRINCIPALS);
		if (account)
			ID_ARG(a->accounts[a->n_accounts++], "account");
		else
			ID_ARG(a->vpcs[a->n_vpcs++], "VPC ID");
	} else {
		return usage_error(USAGE, "\"allow\" takes account ACCOUNT%s or vpc VPC, not \"%s\"",
				   set ? ", none" : "", *argv);
	}
	*pargc = argc;
	*pargv = argv;
	return 0;
}

static int parse_svc(int argc, char **argv, struct svc_args *a, bool add)
{
	int ret;

	for (; argc > 0; argc--, argv++) {
		HELP_ARG();
		if (add && matches(*argv, "vpc")) {
			NEXT_ARG();
			ID_ARG(a->vpc, "VPC ID");
		} else if (add && matches(*argv, "proto")) {
			NEXT_ARG();
			if (parse_proto(*argv, &a->proto) ||
			    (a->proto != 6 && a->proto != 17))
				return usage_error(USAGE, "\"proto\" takes tcp or udp, not \"%s\"",
						   *argv);
		} else if (add && matches(*argv, "port")) {
			NEXT_ARG();
			if (parse_u32_range(*argv, 1, 65535, &a->port))
				return INVALID("port");
		} else if (add && matches(*argv, "backend")) {
			NEXT_ARG();
			if (a->n_backends == CLINK_MAX_BACKENDS)
				return usage_error(USAGE, "at most %d backends",
						   CLINK_MAX_BACKENDS);
			if (parse_backend(*argv, &a->backends[a->n_backends],
					  &a->bports[a->n_backends]))
				return INVALID("backend");
			a->n_backends++;
		} else if (add && matches(*argv, "snat")) {
			NEXT_ARG();
			if (a->n_snat == CLINK_MAX_SNAT)
				return usage_error(USAGE, "at most %d SNAT addresses",
						   CLINK_MAX_SNAT);
			if (parse_addr(*argv, &a->snat[a->n_snat]))
				return INVALID("address");
			a->n_snat++;
		} else if (matches(*argv, "allow")) {
			ret = parse_allow(&argc, &argv, a, !add);
			if (ret)
				return ret;
		} else if (matches(*argv, "accepting")) {
			NEXT_ARG();
			if (parse_onoff(*argv, &a->accepting))
				return usage_error(USAGE, "\"accepting\" takes on or off, not \"%s\"",
						   *argv);
			a->has_accepting = true;
		} else if (matches(*argv, "dev")) {
			NEXT_ARG();
			DEV_ARG(cur_dev);
		} else if (!a->id) {
			ID_ARG(a->id, "service ID");
		} else {
			return usage_error(USAGE, "unknown argument \"%s\"", *argv);
		}
	}
	return 0;
}

static void put_principals(struct nlmsghdr *nlh, uint16_t list, uint16_t attr,
			   const char *const *ids, int n)
{
	struct nlattr *nest = nl_nest_start(nlh, list), *entry;
	int i;

	for (i = 0; i < n; i++) {
		entry = nl_nest_start(nlh, CLINK_A_SVC_PRINCIPAL);
		nl_put_strz(nlh, attr, ids[i]);
		nl_nest_end(nlh, entry);
	}
	nl_nest_end(nlh, nest);
}

static void put_common(struct nlmsghdr *nlh, const struct svc_args *a)
{
	nl_put_strz(nlh, CLINK_A_SVC_ID, a->id);
	if (a->has_allow) {
		put_principals(nlh, CLINK_A_SVC_ALLOW_ACCOUNTS, CLINK_A_VPC_ACCOUNT,
			       a->accounts, a->n_accounts);
		put_principals(nlh, CLINK_A_SVC_ALLOW_VPCS, CLINK_A_VPC_ID,
			       a->vpcs, a->n_vpcs);
	}
	if (a->has_accepting)
		nl_put_u8(nlh, CLINK_A_SVC_ACCEPTING, a->accepting);
}

static int svc_add(int argc, char **argv)
{
	struct svc_args a = { 0 };
	struct nlattr *list, *be;
	struct nlmsghdr *nlh;
	int i, ret = parse_svc(argc, argv, &a, true);

	if (ret)
		return ret;
	if (!a.id || !a.vpc || !a.proto || !a.port || !a.n_backends || !a.n_snat)
		return usage_error(USAGE, "ID, vpc VPC, proto, port, backend and snat are required");
	nlh = genl_msg(CLINK_CMD_NEW_SERVICE, 0, cur_dev);
	if (!nlh)
		return EXIT_RUNTIME;
	put_common(nlh, &a);
	nl_put_strz(nlh, CLINK_A_VPC_ID, a.vpc);
	nl_put_u8(nlh, CLINK_A_SVC_PROTO, a.proto);
	nl_put_u16(nlh, CLINK_A_SVC_PORT, (uint16_t)a.port);
	list = nl_nest_start(nlh, CLINK_A_SVC_BACKENDS);
	for (i = 0; i < a.n_backends; i++) {
		be = nl_nest_start(nlh, CLINK_A_SVC_BACKEND);
		nl_put_addr(nlh, CLINK_BACKEND_A_ADDR, a.backends[i]);
		if (a.bports[i])
			nl_put_u16(nlh, CLINK_BACKEND_A_PORT, a.bports[i]);
		nl_nest_end(nlh, be);
	}
	nl_nest_end(nlh, list);
	list = nl_nest_start(nlh, CLINK_A_SVC_SNAT);
	for (i = 0; i < a.n_snat; i++)
		nl_put_addr(nlh, CLINK_A_SVC_ADDR, a.snat[i]);
	nl_nest_end(nlh, list);
	return genl_talk(nlh, NULL, NULL);
}

static int svc_set(int argc, char **argv)
{
	struct svc_args a = { 0 };
	struct nlmsghdr *nlh;
	int ret = parse_svc(argc, argv, &a, false);

	if (ret)
		return ret;
	if (!a.id)
		return usage_error(USAGE, "service ID required");
	nlh = genl_msg(CLINK_CMD_SET_SERVICE, 0, cur_dev);
	if (!nlh)
		return EXIT_RUNTIME;
	put_common(nlh, &a);
	return genl_talk(nlh, NULL, NULL);
}

static int svc_del(int argc, char **argv)
{
	struct svc_args a = { 0 };
	struct nlmsghdr *nlh;
	int ret = parse_svc(argc, argv, &a, false);

	if (ret)
		return ret;
	if (!a.id || a.has_allow || a.has_accepting)
		return usage_error(USAGE, "service ID (only) required");
	nlh = genl_msg(CLINK_CMD_DEL_SERVICE, 0, cur_dev);
	if (!nlh)
		return EXIT_RUNTIME;
	nl_put_strz(nlh, CLINK_A_SVC_ID, a.id);
	return genl_talk(nlh, NULL, NULL);
}

/* The entries of an allow list: " allow KEYWORD ID" each, JSON array. */
static void print_principals(const char *key, const char *keyword,
			     const struct nlattr *list, uint16_t attr)
{
	const struct nlattr *entry, *a;

	if (!list)
		return;
	open_json_array(key);
	mnl_attr_for_each_nested(entry, list) {
		mnl_attr_for_each_nested(a, entry) {
			if (mnl_attr_get_type(a) != attr ||
			    mnl_attr_validate(a, MNL_TYPE_NUL_STRING))
				continue;
			print_text(" allow %s ", keyword);
			print_string(NULL, "%s", mnl_attr_get_str(a));
		}
	}
	close_json_array();
}

void service_print(clink_tb_t tb)
{
	const struct nlattr *entry, *a;
	char buf[ADDR_STRLEN + 8], pb[PROTO_STRLEN];

	if (tb[CLINK_A_SVC_ID])
		print_string("id", "%s", mnl_attr_get_str(tb[CLINK_A_SVC_ID]));
	if (tb[CLINK_A_VPC_ID])
		print_string("vpc", " vpc %s", mnl_attr_get_str(tb[CLINK_A_VPC_ID]));
	if (tb[CLINK_A_SVC_PROTO])
		print_string("proto", " proto %s",
			     format_proto(pb, mnl_attr_get_u8(tb[CLINK_A_SVC_PROTO])));
	if (tb[CLINK_A_SVC_PORT])
		print_uint("port", " port %llu", mnl_attr_get_u16(tb[CLINK_A_SVC_PORT]));
	if (tb[CLINK_A_SVC_BACKENDS]) {
		open_json_array("backends");
		mnl_attr_for_each_nested(entry, tb[CLINK_A_SVC_BACKENDS]) {
			struct in_addr addr = { 0 };
			unsigned int port = 0;
			size_t len;

			mnl_attr_for_each_nested(a, entry) {
				if (mnl_attr_get_type(a) == CLINK_BACKEND_A_ADDR &&
				    mnl_attr_get_payload_len(a) == 4)
					addr = get_addr(a);
				else if (mnl_attr_get_type(a) == CLINK_BACKEND_A_PORT &&
					 !mnl_attr_validate(a, MNL_TYPE_U16))
					port = mnl_attr_get_u16(a);
			}
			format_addr(buf, addr);
			len = strlen(buf);
			snprintf(buf + len, sizeof(buf) - len, ":%u", port);
			print_string(NULL, " backend %s", buf);
		}
		close_json_array();
	}
	if (tb[CLINK_A_SVC_SNAT]) {
		open_json_array("snat");
		mnl_attr_for_each_nested(a, tb[CLINK_A_SVC_SNAT])
			if (mnl_attr_get_payload_len(a) == 4)
				print_string(NULL, " snat %s",
					     format_addr(buf, get_addr(a)));
		close_json_array();
	}
	print_principals("allow_accounts", "account",
			 tb[CLINK_A_SVC_ALLOW_ACCOUNTS], CLINK_A_VPC_ACCOUNT);
	print_principals("allow_vpcs", "vpc", tb[CLINK_A_SVC_ALLOW_VPCS],
			 CLINK_A_VPC_ID);
	if (tb[CLINK_A_SVC_ACCEPTING])
		print_onoff("accepting", " accepting %s",
			    mnl_attr_get_u8(tb[CLINK_A_SVC_ACCEPTING]));
	if (tb[CLINK_A_SVC_N_VPCES])
		print_uint("vpces", " vpces %llu",
			   mnl_attr_get_u32(tb[CLINK_A_SVC_N_VPCES]));
}

static int svc_show_cb(const struct nlmsghdr *nlh, void *data)
{
	clink_tb_t tb;

	(void)data;
	genl_parse(nlh, tb);
	open_object(tb);
	service_print(tb);
	close_object();
	return MNL_CB_OK;
}

static int svc_show(int argc, char **argv)
{
	struct svc_args a = { 0 };
	struct nlmsghdr *nlh;
	int ret = parse_svc(argc, argv, &a, false);

	if (ret)
		return ret;
	nlh = genl_msg(CLINK_CMD_GET_SERVICE, a.id ? 0 : NLM_F_DUMP, cur_dev);
	if (!nlh)
		return EXIT_RUNTIME;
	if (a.id)
		nl_put_strz(nlh, CLINK_A_SVC_ID, a.id);
	open_json_list();
	ret = genl_talk(nlh, svc_show_cb, NULL);
	close_json_list(ret);
	return ret;
}

static const struct cmd svc_cmds[] = {
	{ "show", svc_show },
	{ "list", svc_show },
	{ "ls", svc_show },
	{ "add", svc_add },
	{ "set", svc_set },
	{ "del", svc_del },
	{ "delete", svc_del },
	{ NULL, NULL }
};

int do_service(int argc, char **argv)
{
	return run_cmd(svc_cmds, USAGE, argc, argv);
}

#undef USAGE
#define USAGE vpce_usage
static const char vpce_usage[] =
"Usage: clinkctl vpce add ID vpc VPC ip ADDR service SERVICE [ dev NAME ]\n"
"       clinkctl vpce del ID [ dev NAME ]\n"
"       clinkctl vpce show [ ID ] [ service SERVICE ] [ dev NAME ]\n";

struct vpce_args {
	const char *id, *vpc, *svc;
	bool has_addr;
	struct in_addr addr;
};

static int parse_vpce(int argc, char **argv, struct vpce_args *a, bool add)
{
	for (; argc > 0; argc--, argv++) {
		HELP_ARG();
		if (add && matches(*argv, "vpc")) {
			NEXT_ARG();
			ID_ARG(a->vpc, "VPC ID");
		} else if (add && matches(*argv, "ip")) {
			NEXT_ARG();
			if (parse_addr(*argv, &a->addr))
				return INVALID("address");
			a->has_addr = true;
		} else if (matches(*argv, "service")) {
			NEXT_ARG();
			ID_ARG(a->svc, "service ID");
		} else if (matches(*argv, "dev")) {
			NEXT_ARG();
			DEV_ARG(cur_dev);
		} else if (!a->id) {
			ID_ARG(a->id, "VPC endpoint ID");
		} else {
			return usage_error(USAGE, "unknown argument \"%s\"", *argv);
		}
	}
	return 0;
}

static int vpce_add(int argc, char **argv)
{
	struct vpce_args a = { 0 };
	struct nlmsghdr *nlh;
	int ret = parse_vpce(argc, argv, &a, true);

	if (ret)
		return ret;
	if (!a.id || !a.vpc || !a.has_addr || !a.svc)
		return usage_error(USAGE, "ID, vpc VPC, ip ADDR and service SERVICE are required");
	nlh = genl_msg(CLINK_CMD_NEW_VPCE, 0, cur_dev);
	if (!nlh)
		return EXIT_RUNTIME;
	nl_put_strz(nlh, CLINK_A_VPCE_ID, a.id);
	nl_put_strz(nlh, CLINK_A_VPC_ID, a.vpc);
	nl_put_addr(nlh, CLINK_A_VPCE_ADDR, a.addr);
	nl_put_strz(nlh, CLINK_A_SVC_ID, a.svc);
	return genl_talk(nlh, NULL, NULL);
}

static int vpce_del(int argc, char **argv)
{
	struct vpce_args a = { 0 };
	struct nlmsghdr *nlh;
	int ret = parse_vpce(argc, argv, &a, false);

	if (ret)
		return ret;
	if (!a.id || a.svc)
		return usage_error(USAGE, "VPC endpoint ID (only) required");
	nlh = genl_msg(CLINK_CMD_DEL_VPCE, 0, cur_dev);
	if (!nlh)
		return EXIT_RUNTIME;
	nl_put_strz(nlh, CLINK_A_VPCE_ID, a.id);
	return genl_talk(nlh, NULL, NULL);
}

void vpce_print(clink_tb_t tb)
{
	if (tb[CLINK_A_VPCE_ID])
		print_string("id", "%s", mnl_attr_get_str(tb[CLINK_A_VPCE_ID]));
	if (tb[CLINK_A_VPC_ID])
		print_string("vpc", " vpc %s", mnl_attr_get_str(tb[CLINK_A_VPC_ID]));
	print_addr("ip", " ip %s", tb[CLINK_A_VPCE_ADDR]);
	if (tb[CLINK_A_SVC_ID])
		print_string("service", " service %s",
			     mnl_attr_get_str(tb[CLINK_A_SVC_ID]));
	if (tb[CLINK_A_VPCE_ALLOWED])
		print_string("state", " state %s",
			     mnl_attr_get_u8(tb[CLINK_A_VPCE_ALLOWED]) ?
			     "allowed" : "refused");
	if (tb[CLINK_A_VPCE_N_SESSIONS])
		print_uint("sessions", " sessions %llu",
			   mnl_attr_get_u32(tb[CLINK_A_VPCE_N_SESSIONS]));
}

static int vpce_show_cb(const struct nlmsghdr *nlh, void *data)
{
	clink_tb_t tb;

	(void)data;
	genl_parse(nlh, tb);
	open_object(tb);
	vpce_print(tb);
	close_object();
	return MNL_CB_OK;
}

static int vpce_show(int argc, char **argv)
{
	struct vpce_args a = { 0 };
	struct nlmsghdr *nlh;
	int ret = parse_vpce(argc, argv, &a, false);

	if (ret)
		return ret;
	nlh = genl_msg(CLINK_CMD_GET_VPCE, a.id ? 0 : NLM_F_DUMP, cur_dev);
	if (!nlh)
		return EXIT_RUNTIME;
	if (a.id)
		nl_put_strz(nlh, CLINK_A_VPCE_ID, a.id);
	if (a.svc && !a.id)
		nl_put_strz(nlh, CLINK_A_SVC_ID, a.svc);
	open_json_list();
	ret = genl_talk(nlh, vpce_show_cb, NULL);
	close_json_list(ret);
	return ret;
}

static const struct cmd vpce_cmds[] = {
	{ "show", vpce_show },
	{ "list", vpce_show },
	{ "ls", vpce_show },
	{ "add", vpce_add },
	{ "del", vpce_del },
	{ "delete", vpce_del },
	{ NULL, NULL }
};

int do_vpce(int argc, char **argv)
{
	return run_cmd(vpce_cmds, USAGE, argc, argv);
}
