// SPDX-License-Identifier: GPL-2.0
/*
 * clinkctl: configure clink ClassicLink gateways, iproute2 style.
 *
 *	clinkctl [OPTIONS] OBJECT COMMAND [ARGS]
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "clinkctl.h"

#ifndef CLINKCTL_VERSION
#define CLINKCTL_VERSION "0.1"
#endif

struct clinkctl_opts opts;
const char *cur_dev;

static const char main_usage[] =
"Usage: clinkctl [ OPTIONS ] OBJECT { COMMAND | help }\n"
"       clinkctl [ -force ] -batch FILENAME\n"
"       clinkctl -E URL -C CLUSTER [ OPTIONS ] OBJECT { COMMAND | help }\n"
"where  OBJECT := { dev | vpc | endpoint | route | instance | link | acl |\n"
"                   monitor | save | gateway | service | vpce }\n"
"       OPTIONS := { -j[son] | -p[retty] | -s[tatistics] | -n[etns] NAME |\n"
"                    -b[atch] FILE | -force | -t[imestamp] | -ts[hort] |\n"
"                    -V[ersion] | -h[elp] | -E URL[,URL...] -C CLUSTER }\n"
"Every command takes \"dev NAME\" to pick the clink device; without it the\n"
"kernel uses the namespace's only one. With -E the commands write to (and\n"
"show from) the cluster's etcd instead. \"clinkctl OBJECT help\" says more.\n";

static int do_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs(main_usage, stdout);
	return 0;
}

static const struct cmd objects[] = {
	{ "dev", do_dev },
	{ "vpc", do_vpc },
	{ "endpoint", do_endpoint },
	{ "route", do_route },
	{ "instance", do_instance },
	{ "link", do_link },
	{ "acl", do_acl },
	{ "monitor", do_monitor },
	{ "save", do_save },
	{ "gateway", do_gateway },
	{ "service", do_service },
	{ "vpce", do_vpce },
	{ "help", do_help },
	{ NULL, NULL }
};

void verror(const char *fmt, va_list ap)
{
	fflush(stdout);
	fputs("Error: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(fmt, ap);
	va_end(ap);
	if (usage)
		fputs(usage, stderr);
	return EXIT_USAGE;
}

bool arg_too_long(const char *what, const char *s, size_t size)
{
	if (strlen(s) < size)
		return false;
	fflush(stdout);
	fprintf(stderr, "Error: %s \"%.16s...\" is too long (at most %zu bytes)\n",
		what, s, size - 1);
	return true;
}

int print_help(const char *usage)
{
	fputs(usage, stdout);
	return CMD_HELP;
}

int run_cmd(const struct cmd *cmds, const char *usage, int argc, char **argv)
{
	const struct cmd *c;
	int ret;

	if (argc == 0)
		return cmds[0].fn(0, argv);
	if (matches(argv[0], "help")) {
		fputs(usage, stdout);
		return 0;
	}
	for (c = cmds; c->name; c++) {
		if (matches(argv[0], c->name)) {
			ret = c->fn(argc - 1, argv + 1);
			return ret == CMD_HELP ? 0 : ret;
		}
	}
	return usage_error(usage, "unknown command \"%s\"", argv[0]);
}

static int dispatch(int argc, char **argv)
{
	const struct cmd *c;

	cur_dev = NULL;
	for (c = objects; c->name; c++) {
		if (!matches(argv[0], c->name))
			continue;
		/* events and a device's whole state come from a kernel */
		if ((c->fn == do_monitor || c->fn == do_save) && cluster_mode() &&
		    !(argc > 1 && !strcmp(argv[1], "help"))) {
			fflush(stdout);
			fprintf(stderr, "Error: %s is not supported with -E\n", c->name);
			return EXIT_RUNTIME;
		}
		return c->fn(argc - 1, argv + 1);
	}
	return usage_error(main_usage, "unknown object \"%s\"", argv[0]);
}

int main(int argc, char **argv)
{
	const char *batch = NULL, *netns = NULL, *etcd = NULL, *cluster = NULL;
	int ret;

	while (argc > 1 && argv[1][0] == '-' && argv[1][1]) {
		const char *opt = argv[1] + 1;

		if (opt[0] == '-')
			opt++;
		if (matches(opt, "json")) {
			opts.json = true;
		} else if (matches(opt, "pretty")) {
			opts.pretty = true;
		} else if (matches(opt, "statistics") || matches(opt, "stats")) {
			opts.stats++;
		} else if (matches(opt, "netns") || matches(opt, "batch") ||
			   !strcmp(opt, "E") || matches(opt, "etcd") ||
			   !strcmp(opt, "C") || matches(opt, "cluster")) {
			if (argc < 3)
				return usage_error(main_usage, "option \"%s\" needs an argument",
						   argv[1]);
			if (opt[0] == 'n')
				netns = argv[2];
			else if (opt[0] == 'b')
				batch = argv[2];
			else if (opt[0] == 'E' || opt[0] == 'e')
				etcd = argv[2];
			else
				cluster = argv[2];
			argc--;
			argv++;
		} else if (matches(opt, "timestamp")) {
			opts.timestamp = TS_LONG;
		} else if (matches(opt, "tshort")) {
			opts.timestamp = TS_SHORT;
		} else if (matches(opt, "force")) {
			opts.force = true;
		} else if (matches(opt, "Version") || matches(opt, "version")) {
			printf("clinkctl %s\n", CLINKCTL_VERSION);
			return 0;
		} else if (matches(opt, "help")) {
			fputs(main_usage, stdout);
			return 0;
		} else {
			return usage_error(main_usage, "unknown option \"%s\"", argv[1]);
		}
		argc--;
		argv++;
	}

	json_setup(stdout, opts.json, opts.pretty);
	if (!etcd != !cluster)
		return usage_error(main_usage, "-E URL and -C CLUSTER go together");
	if (netns && netns_switch(netns))
		return EXIT_RUNTIME;
	if (etcd && cluster_open(etcd, cluster))
		return EXIT_RUNTIME;

	if (batch) {
		if (argc > 1)
			return usage_error(main_usage, "-batch takes no command (got \"%s\")",
					   argv[1]);
		ret = run_batch(batch, opts.force, dispatch);
	} else if (argc < 2) {
		return usage_error(main_usage, "no object given");
	} else {
		ret = dispatch(argc - 1, argv + 1);
	}
	if (fflush(stdout) && !ret) {
		perror("clinkctl: stdout");
		ret = EXIT_RUNTIME;
	}
	return ret;
}
