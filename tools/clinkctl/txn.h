/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CLINKCTL_TXN_H
#define _CLINKCTL_TXN_H

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>

#include "../lib/etcd.h"

/*
 * One attempt at a command (txn.c): the revision of its reads, the
 * compares that keep them true, its writes. Keys are relative to the
 * cluster's prefix.
 */
struct wtx {
	int64_t rev;			/* of every read; 0 before the first */
	struct json_object *cmp;	/* the compares that keep them true */
	struct json_object *ops;	/* the writes */
};

/* "Error: ..." on stderr; EXIT_RUNTIME. */
__attribute__((format(printf, 1, 2)))
int cluster_err(const char *fmt, ...);
/* The etcd client's last error, so; EXIT_RUNTIME. */
int etcd_failed(void);

/* Appends @item (NULL: out of memory, reported: -1) to @arr. */
int tx_add(struct json_object *arr, struct json_object *item);

/* 1 and the value (malloc'ed) when @rel exists, 0 when not, <0: failed. */
int tx_read(struct wtx *t, const char *rel, char **value);
/* The same for a record: *rec a JSON object, or NULL when absent. */
int tx_record(struct wtx *t, const char *rel, struct json_object **rec);
/* The keys under @rel (their count *n only when @kvs is NULL); 0 or <0. */
int tx_list(struct wtx *t, const char *rel, struct etcd_kv **kvs, size_t *n);

/* Writes: @rec NULL puts an empty value. 0, or -1 (reported). */
int tx_put(struct wtx *t, const char *rel, struct json_object *rec);
int tx_del(struct wtx *t, const char *rel, bool prefix);

/* A key from @fmt, whose (at most two) "%s" are IDs, escaped here. */
__attribute__((format(printf, 3, 4)))
const char *key(char *buf, size_t size, const char *fmt, ...);
#define KEY(buf, ...)	key(buf, sizeof(buf), __VA_ARGS__)

#endif /* _CLINKCTL_TXN_H */
