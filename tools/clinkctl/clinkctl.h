/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CLINKCTL_H
#define _CLINKCTL_H

#include <net/if.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../lib/attrs.h"
#include "../lib/nl.h"
#include "../lib/utils.h"
#include "json.h"

/* Exit codes: see EXIT STATUS in clinkctl.8. */
#define EXIT_RUNTIME	1	/* the kernel refused, or a system call failed */
#define EXIT_USAGE	255	/* the command line could not be parsed */

enum { TS_NONE, TS_LONG, TS_SHORT };	/* -timestamp, -tshort */

struct clinkctl_opts {
	bool json, pretty, force;
	int stats;
	int timestamp;
};
extern struct clinkctl_opts opts;

/* "dev NAME" of the command being run, NULL: the kernel picks */
extern const char *cur_dev;

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
};

/*
 * Runs the entry of @cmds that argv[0] abbreviates ("help" prints @usage);
 * with no argument, the first entry (show). A command that printed its
 * usage for "help" returns CMD_HELP, which this turns into 0.
 */
#define CMD_HELP	(-1)
int run_cmd(const struct cmd *cmds, const char *usage, int argc, char **argv);

/* "Error: <message>" on stderr, after what stdout holds. */
void verror(const char *fmt, va_list ap);

/* Prints "Error: ..." and @usage to stderr; returns EXIT_USAGE. */
__attribute__((format(printf, 2, 3)))
int usage_error(const char *usage, const char *fmt, ...);

/* Prints @usage to stdout; returns CMD_HELP. */
int print_help(const char *usage);

/*
 * "help" where a keyword or a positional argument may stand prints the
 * usage, as in ip ("ip link add help"); after a keyword it is a value.
 */
#define HELP_ARG()							\
	do {								\
		if (!strcmp(*argv, "help"))				\
			return print_help(USAGE);			\
	} while (0)

/* Step to the value of a keyword; USAGE is the calling file's usage text. */
#define NEXT_ARG()							\
	do {								\
		argv++;							\
		if (--argc <= 0)					\
			return usage_error(USAGE, "\"%s\" needs an argument", \
					   argv[-1]);			\
	} while (0)

/*
 * Take *argv as an ID, region or account (what the kernel keeps in
 * CLINK_ID_MAXLEN bytes) into @var, or as the "dev NAME" of the command:
 * an argument too long fails here with "Error: ... is too long", before
 * any request is built.
 */
#define ID_ARG(var, what)						\
	do {								\
		if (arg_too_long(what, *argv, CLINK_ID_MAXLEN))	\
			return EXIT_USAGE;				\
		(var) = *argv;						\
	} while (0)

#define DEV_ARG(var)							\
	do {								\
		if (arg_too_long("device name", *argv, IFNAMSIZ))	\
			return EXIT_USAGE;				\
		(var) = *argv;						\
	} while (0)

/* Prints the error when @s does not fit in @size bytes with its NUL. */
bool arg_too_long(const char *what, const char *s, size_t size);

#define INVALID(what) \
	usage_error(USAGE, "invalid %s \"%s\"", what, *argv)

int do_dev(int argc, char **argv);
int do_vpc(int argc, char **argv);
int do_endpoint(int argc, char **argv);
int do_route(int argc, char **argv);
int do_instance(int argc, char **argv);
int do_link(int argc, char **argv);
int do_acl(int argc, char **argv);
int do_monitor(int argc, char **argv);
int do_save(int argc, char **argv);
int do_gateway(int argc, char **argv);
int do_service(int argc, char **argv);
int do_vpce(int argc, char **argv);

/*
 * -E URL -C CLUSTER: every request goes to the cluster's etcd instead of
 * the kernel (cluster.c). 0, or EXIT_RUNTIME after the error.
 */
int cluster_open(const char *urls, const char *cluster);
bool cluster_mode(void);
/* NULL without -E */
struct etcd *cluster_etcd(void);

/*
 * Printers of one object's attributes, shared by show, monitor and save.
 * They print the fields only: the caller opens the JSON object and ends
 * the text line.
 */
void open_object(clink_tb_t tb);
void close_object(void);
void dev_print(clink_tb_t tb);
/* The name of an enum clink_profile attribute (NULL: custom). */
const char *profile_name(const struct nlattr *a);
void vpc_print(clink_tb_t tb);
void endpoint_print(clink_tb_t tb);
void route_print(clink_tb_t tb, bool with_vpc);
void instance_print(clink_tb_t tb);
void link_print(clink_tb_t tb, bool with_addr);
void acl_print(clink_tb_t tb, bool with_vpc);
void service_print(clink_tb_t tb);
void vpce_print(clink_tb_t tb);

/* With -s: the indented counters line, or "stats" in JSON. */
void print_traffic(const struct nlattr *nest);
/* A prefix list: text " KEYWORD a,b" ("none" when empty), JSON array. */
void print_prefix_list(const char *key, const char *keyword,
		       const struct nlattr *nest);
void print_prefix(const char *key, const char *fmt, const struct nlattr *nest);
/* A DSCP attribute, when present: " dscp N" or " dscp inherit". */
void print_dscp(const struct nlattr *a);
/*
 * dscp { 0..63 | inherit }: the value of a CLINK_A_*_DSCP attribute, or
 * the usage error (@usage) naming the argument.
 */
int parse_dscp(const char *usage, const char *arg, uint8_t *dscp);
void print_addr(const char *key, const char *fmt, const struct nlattr *a);

#endif /* _CLINKCTL_H */
