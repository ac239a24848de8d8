// SPDX-License-Identifier: GPL-2.0
/*
 * clinkctl monitor: one line per event of the "events" multicast group,
 * "OBJECT VERB ATTRIBUTES [reason REASON]", e.g.
 *
 *	link del i-1 vpc vpc-a reason ip-changed
 *	route add vpc-a 10.1.0.5/32 classiclink instance i-1
 *
 * With -j, one JSON object per line.  -t[imestamp] puts a line
 * "Timestamp: Mon Dec  7 09:59:01 2026 123456 usec" before each event,
 * -ts[hort] a prefix "[2026-12-07T09:59:01.123456] " (local time, as ip
 * monitor does); with -j either adds "time": "2026-12-07T09:59:01.123456Z"
 * (UTC, RFC 3339).
 */

#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "clinkctl.h"

#define USAGE monitor_usage
static const char monitor_usage[] =
"Usage: clinkctl monitor [ OBJECT ]... [ dev NAME ]\n"
"where  OBJECT := { dev | vpc | endpoint | route | instance | link | acl |\n"
"                   service | vpce | all }\n";

enum obj {
	O_DEV, O_VPC, O_ENDPOINT, O_ROUTE, O_INSTANCE, O_LINK, O_ACL,
	O_SERVICE, O_VPCE, O_MAX
};

static const char *const obj_names[O_MAX] = {
	"dev", "vpc", "endpoint", "route", "instance", "link", "acl",
	"service", "vpce",
};

static const struct {
	enum obj obj;
	const char *verb;
} events[CLINK_CMD_MAX + 1] = {
	[CLINK_CMD_SET_DEV] = { O_DEV, "set" },
	[CLINK_CMD_NEW_VPC] = { O_VPC, "add" },
	[CLINK_CMD_SET_VPC] = { O_VPC, "set" },
	[CLINK_CMD_DEL_VPC] = { O_VPC, "del" },
	[CLINK_CMD_NEW_CIDR] = { O_VPC, "cidr-add" },
	[CLINK_CMD_DEL_CIDR] = { O_VPC, "cidr-del" },
	[CLINK_CMD_NEW_ENDPOINT] = { O_ENDPOINT, "add" },
	[CLINK_CMD_DEL_ENDPOINT] = { O_ENDPOINT, "del" },
	[CLINK_CMD_NEW_ROUTE] = { O_ROUTE, "add" },
	[CLINK_CMD_DEL_ROUTE] = { O_ROUTE, "del" },
	[CLINK_CMD_NEW_INSTANCE] = { O_INSTANCE, "add" },
	[CLINK_CMD_SET_INSTANCE] = { O_INSTANCE, "set" },
	[CLINK_CMD_DEL_INSTANCE] = { O_INSTANCE, "del" },
	[CLINK_CMD_NEW_LINK] = { O_LINK, "add" },
	[CLINK_CMD_DEL_LINK] = { O_LINK, "del" },
	[CLINK_CMD_FLUSH_LINKS] = { O_LINK, "flush" },
	[CLINK_CMD_NEW_ACL] = { O_ACL, "add" },
	[CLINK_CMD_DEL_ACL] = { O_ACL, "del" },
	[CLINK_CMD_NEW_SERVICE] = { O_SERVICE, "add" },
	[CLINK_CMD_SET_SERVICE] = { O_SERVICE, "set" },
	[CLINK_CMD_DEL_SERVICE] = { O_SERVICE, "del" },
	[CLINK_CMD_NEW_VPCE] = { O_VPCE, "add" },
	[CLINK_CMD_DEL_VPCE] = { O_VPCE, "del" },
};

static int find_obj(const char *arg)
{
	int i;

	for (i = 0; i < O_MAX; i++)
		if (matches(arg, obj_names[i]))
			return i;
	return -1;
}

struct filter {
	unsigned int objs;	/* bit per enum obj; 0: all */
	const char *dev;
};

/* When the event was read, the way -t or -ts asks. */
static void print_time(void)
{
	char date[32], buf[64];
	struct timeval tv;
	struct tm tm;

	gettimeofday(&tv, NULL);
	if (is_json()) {
		strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", gmtime_r(&tv.tv_sec, &tm));
		snprintf(buf, sizeof(buf), "%s.%06ldZ", date, (long)tv.tv_usec);
		print_string("time", NULL, buf);
	} else if (opts.timestamp == TS_SHORT) {
		strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", localtime_r(&tv.tv_sec, &tm));
		print_text("[%s.%06ld] ", date, (long)tv.tv_usec);
	} else {
		strftime(date, sizeof(date), "%a %b %e %H:%M:%S %Y", localtime_r(&tv.tv_sec, &tm));
		print_text("Timestamp: %s %ld usec\n", date, (long)tv.tv_usec);
	}
}

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct filter *f = data;
	uint8_t cmd = genl_cmd(nlh);
	unsigned int reason = CLINK_EVENT_CHANGED;
	enum obj obj;
	clink_tb_t tb;

	if (cmd > CLINK_CMD_MAX || !events[cmd].verb)
		return MNL_CB_OK;
	obj = events[cmd].obj;
	if (f->objs && !(f->objs & (1u << obj)))
		return MNL_CB_OK;
	genl_parse(nlh, tb);
	if (f->dev && (!tb[CLINK_A_IFNAME] ||
		       strcmp(f->dev, mnl_attr_get_str(tb[CLINK_A_IFNAME]))))
		return MNL_CB_OK;
	if (tb[CLINK_A_EVENT_REASON])
		reason = mnl_attr_get_u8(tb[CLINK_A_EVENT_REASON]);

	open_object(tb);
	if (opts.timestamp)
		print_time();
	print_string("object", "%s", obj_names[obj]);
	print_string("event", " %s ", events[cmd].verb);
	switch (obj) {
	case O_DEV:
		dev_print(tb);
		break;
	case O_VPC:
		vpc_print(tb);
		break;
	case O_ENDPOINT:
		endpoint_print(tb);
		break;
	case O_ROUTE:
		route_print(tb, true);
		break;
	case O_INSTANCE:
		instance_print(tb);
		break;
	case O_LINK:
		link_print(tb, false);
		break;
	case O_ACL:
		acl_print(tb, true);
		break;
	case O_SERVICE:
		service_print(tb);
		break;
	case O_VPCE:
		vpce_print(tb);
		break;
	case O_MAX:
		break;
	}
	/* the usual reason of each verb goes without saying */
	print_string("reason", reason >= CLINK_EVENT_IP_CHANGED ? " reason %s" : NULL,
		     event_reason_name(reason));
	close_object();
	fflush(stdout);
	return MNL_CB_OK;
}

int do_monitor(int argc, char **argv)
{
	struct filter f = { 0 };
	int i;

	for (; argc > 0; argc--, argv++) {
		if (matches(*argv, "help")) {
			fputs(USAGE, stdout);
			return 0;
		}
		if (matches(*argv, "all")) {
			f.objs = 0;
			continue;
		}
		/* "dev NAME" filters by device, a bare "dev" picks dev events */
		if (!strcmp(*argv, "dev") && argc > 1 && find_obj(argv[1]) < 0) {
			NEXT_ARG();
			f.dev = *argv;
			continue;
		}
		i = find_obj(*argv);
		if (i < 0)
			return usage_error(USAGE, "unknown object \"%s\"", *argv);
		f.objs |= 1u << i;
	}
	/* events are single lines: never pretty-print them */
	json_setup(stdout, opts.json, false);
	return genl_monitor(event_cb, &f);
}
