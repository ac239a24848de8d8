// SPDX-License-Identifier: GPL-2.0
/*
 * The desired state: etcd's config/ records, validated when they arrive
 * and kept as canonical JSON text, which is both small and what a kernel
 * object read back is compared with.
 */

#include <stdio.h>
#include <string.h>

#include "kernel.h"
#include "log.h"
#include "sync.h"

void config_init(struct config *c, const char *region)
{
	int k;

	c->bad = json_object_new_object();
	for (k = 0; k < REC_KINDS; k++)
		c->rec[k] = json_object_new_object();
	snprintf(c->region, sizeof(c->region), "%s", region);
}

void config_free(struct config *c)
{
	int k;

	json_object_put(c->bad);
	for (k = 0; k < REC_KINDS; k++)
		json_object_put(c->rec[k]);
	memset(c, 0, sizeof(*c));
}

bool config_set(struct config *c, const char *rel, const char *val,
		size_t len)
{
	char key[KEY_MAX], err[256];
	struct json_object *rec;
	enum rec_kind kind;
	const char *region;
	int k = record_kind_of(rel);

	if (record_norm_key(rel, key, sizeof(key))) {
		log_warn("config/%s: malformed key, ignored", rel);
		return false;
	}
	if (k >= 0)
		json_object_object_del(c->rec[k], key);
	json_object_object_del(c->bad, key);
	if (!val)
		return k == REC_DEV;
	rec = record_parse(rel, val, len, c->region, &kind, err, sizeof(err));
	if (!rec) {
		json_object_object_add_ex(c->bad, key, json_object_new_string(err),
					  JSON_C_OBJECT_ADD_KEY_IS_NEW);
		return false;
	}
	json_object_object_add_ex(c->rec[kind], key, json_object_new_string(
		json_object_to_json_string_ext(rec, JSON_C_TO_STRING_PLAIN)),
		JSON_C_OBJECT_ADD_KEY_IS_NEW);
	/* records without a region take the device's: the desired one */
	region = kind == REC_DEV ? rec_str(rec, "dev-region") : NULL;
	if (region && strcmp(region, c->region)) {
		snprintf(c->region, sizeof(c->region), "%s", region);
		json_object_put(rec);
		return true;
	}
	json_object_put(rec);
	return false;
}

struct json_object *config_get(struct config *c, enum rec_kind kind,
			       const char *key)
{
	struct json_object *text = json_object_object_get(c->rec[kind], key);

	return text ? json_tokener_parse(json_object_get_string(text)) : NULL;
}
