// SPDX-License-Identifier: GPL-2.0
/*
 * clinkctl -E URL -C CLUSTER gateway show: the gateways registered in the
 * cluster (gateways/<name>, each on its clinkd's lease), with how far
 * each one's applied revision lags behind the store's.
 */

#include <stdio.h>
#include <string.h>

#include "../lib/etcd.h"
#include "../lib/record.h"
#include "clinkctl.h"

#define USAGE gateway_usage
static const char gateway_usage[] =
"Usage: clinkctl -E URL -C CLUSTER gateway show [ NAME ]\n";

static void print_json_uint(struct json_object *rec, const char *field,
			    const char *fmt)
{
	struct json_object *v;

	if (json_object_object_get_ex(rec, field, &v) &&
	    json_object_is_type(v, json_type_int))
		print_uint(field, fmt, (uint64_t)json_object_get_int64(v));
}

static void print_json_str(struct json_object *rec, const char *field,
			   const char *fmt)
{
	struct json_object *v;

	if (json_object_object_get_ex(rec, field, &v) &&
	    json_object_is_type(v, json_type_string))
		print_string(field, fmt, json_object_get_string(v));
}

/*
 * "gw1 vtep 192.0.2.1 applied 1234 lag 6 vpcs 1 instances 2 links 1
 *  endpoints 1 errors 1 version ... kernel ... updated ...", then one
 * indented line per error.
 */
static void gateway_print(struct json_object *gw, int64_t revision)
{
	struct json_object *errs, *e;
	size_t i, n = 0;

	print_json_str(gw, "name", "%s");
	print_json_str(gw, "vtep", " vtep %s");
	print_json_uint(gw, "applied", " applied %llu");
	print_uint("revision", NULL, (uint64_t)revision);
	if (json_object_object_get_ex(gw, "applied", NULL))
		print_uint("lag", " lag %llu",
			   (uint64_t)(revision - etcd_int(gw, "applied")));
	print_json_uint(gw, "vpcs", " vpcs %llu");
	print_json_uint(gw, "instances", " instances %llu");
	print_json_uint(gw, "links", " links %llu");
	print_json_uint(gw, "endpoints", " endpoints %llu");
	if (json_object_object_get_ex(gw, "errors", &errs) &&
	    json_object_is_type(errs, json_type_array))
		n = json_object_array_length(errs);
	print_text(" errors %zu", n);
	print_json_str(gw, "version", " version %s");
	print_json_str(gw, "kernel", " kernel %s");
	print_json_str(gw, "updated", " updated %s");
	open_json_array("errors");
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(errs, i);
		print_text("\n    error");
		open_json_object(NULL);
		print_json_str(e, "key", " %s:");
		print_json_str(e, "error", " %s");
		close_json_object();
	}
	close_json_array();
	print_text("\n");
}

/* gateway show: the keys under gateways/, with each one's lag behind the store. */
static int gateway_show(int argc, char **argv)
{
	struct etcd *etcd = cluster_etcd();
	const char *name = NULL;
	struct etcd_kv *kvs;
	int64_t revision = 0;
	char k[256] = "gateways/";
	size_t i, n;
	int ret = 0;

	for (; argc > 0; argc--, argv++) {
		HELP_ARG();
		if (name)
			return usage_error(USAGE, "unknown argument \"%s\"", *argv);
		ID_ARG(name, "gateway name");
	}
	if (!etcd)
		return usage_error(USAGE, "gateway needs -E URL -C CLUSTER");
	if (name)
		key_escape(name, k + strlen(k), sizeof(k) - strlen(k));
	if (etcd_range(etcd, k, !name, 0, false, &kvs, &n,
		       &revision)) {
		fflush(stdout);
		fprintf(stderr, "Error: %s\n", etcd_error(etcd));
		return EXIT_RUNTIME;
	}
	open_json_list();
	for (i = 0; i < n; i++) {
		struct json_object *gw = json_tokener_parse(kvs[i].value);

		if (!json_object_is_type(gw, json_type_object)) {
			fflush(stdout);
			fprintf(stderr, "Warning: %s is not a JSON object\n", kvs[i].key);
		} else {
			open_json_object(NULL);
			gateway_print(gw, revision);
			close_json_object();
		}
		json_object_put(gw);
	}
	etcd_kvs_free(kvs, n);
	if (name && !n) {
		fflush(stdout);
		fprintf(stderr, "Error: no gateway %s is registered\n", name);
		ret = EXIT_RUNTIME;
	}
	close_json_list(ret);
	return ret;
}

static const struct cmd gateway_cmds[] = {
	{ "show", gateway_show },
	{ "list", gateway_show },
	{ "ls", gateway_show },
	{ NULL, NULL }
};

int do_gateway(int argc, char **argv)
{
	return run_cmd(gateway_cmds, USAGE, argc, argv);
}
