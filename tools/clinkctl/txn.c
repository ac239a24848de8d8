// SPDX-License-Identifier: GPL-2.0
/*
 * clinkctl -E: optimistic etcd transactions. A command reads what it
 * needs at one revision; each read adds the compare that keeps it true at
 * commit (a key's mod_revision unchanged, an absent key still absent, a
 * range with nothing newer than the revision), so the commit fails when
 * another writer got there first, and the command is checked again.
 */

#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/record.h"
#include "clinkctl.h"
#include "txn.h"

__attribute__((format(printf, 1, 2)))
int cluster_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(fmt, ap);
	va_end(ap);
	return EXIT_RUNTIME;
}

int etcd_failed(void)
{
	return cluster_err("%s", etcd_error(cluster_etcd()));
}

int tx_add(struct json_object *arr, struct json_object *item)
{
	if (!item)
		return cluster_err("out of memory");
	json_object_array_add(arr, item);
	return 0;
}

/*
 * @rel as it is at the transaction's revision: 1 and its value (malloc'ed)
 * when present, 0 when absent; either way the commit requires it so.
 */
int tx_read(struct wtx *t, const char *rel, char **value)
{
	struct etcd_kv *kv;
	size_t n;
	int64_t rev;

	*value = NULL;
	if (etcd_range(cluster_etcd(), rel, false, t->rev, false, &kv, &n, &rev))
		return -etcd_failed();
	if (!t->rev)
		t->rev = rev;
	if (tx_add(t->cmp, n ? etcd_cmp(cluster_etcd(), rel, false, "MOD", "EQUAL", kv[0].mod_rev) :
			    etcd_cmp(cluster_etcd(), rel, false, "CREATE", "EQUAL", 0))) {
		etcd_kvs_free(kv, n);
		return -1;
	}
	if (n) {
		*value = kv[0].value;
		kv[0].value = NULL;
	}
	etcd_kvs_free(kv, n);
	return n ? 1 : 0;
}

/* A record (a JSON object) by tx_read(); *rec NULL when absent. */
int tx_record(struct wtx *t, const char *rel, struct json_object **rec)
{
	char *value;
	int ret = tx_read(t, rel, &value);

	*rec = NULL;
	if (ret <= 0)
		return ret;
	*rec = json_tokener_parse(value);
	free(value);
	if (!json_object_is_type(*rec, json_type_object)) {
		json_object_put(*rec);
		*rec = NULL;
		return -cluster_err("the record at %s is not a JSON object", rel);
	}
	return 1;
}

/*
 * The keys under @rel at the transaction's revision (or their count when
 * @kvs is NULL); the commit requires that none was added or changed since
 * (a range compare: every mod_revision below the revision + 1).
 */
int tx_list(struct wtx *t, const char *rel, struct etcd_kv **kvs,
		   size_t *n)
{
	int64_t rev;

	if (etcd_range(cluster_etcd(), rel, true, t->rev, !kvs, kvs, n, &rev))
		return -etcd_failed();
	if (!t->rev)
		t->rev = rev;
	return tx_add(t->cmp, etcd_cmp(cluster_etcd(), rel, true, "MOD", "LESS", t->rev + 1)) ? -1 : 0;
}

int tx_put(struct wtx *t, const char *rel, struct json_object *rec)
{
	return tx_add(t->ops, etcd_op_put(cluster_etcd(), rel, rec ?
		   json_object_to_json_string_ext(rec, JSON_C_TO_STRING_PLAIN |
						  JSON_C_TO_STRING_NOSLASHESCAPE) : ""));
}

int tx_del(struct wtx *t, const char *rel, bool prefix)
{
	return tx_add(t->ops, etcd_op_del(cluster_etcd(), rel, prefix));
}

/* Key paths: "%s" elements are IDs, escaped here. */
__attribute__((format(printf, 3, 4)))
const char *key(char *buf, size_t size, const char *fmt, ...)
{
	char esc[2][KEY_ID_MAX];
	const char *ids[2] = { NULL, NULL };
	va_list ap;
	int i, n = 0;
	const char *p;

	/* only plain "%s" conversions: every one an ID */
	for (p = fmt; (p = strstr(p, "%s")) && n < 2; p += 2)
		n++;
	va_start(ap, fmt);
	for (i = 0; i < n; i++) {
		ids[i] = va_arg(ap, const char *);
		if (key_escape(ids[i], esc[i], sizeof(esc[i])))
			esc[i][0] = '\0';
	}
	va_end(ap);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	snprintf(buf, size, fmt, esc[0], esc[1]);
#pragma GCC diagnostic pop
	return buf;
}


