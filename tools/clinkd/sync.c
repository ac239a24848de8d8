// SPDX-License-Identifier: GPL-2.0
/*
 * The reconciler.  It never replays a log of changes: each run reads the
 * kernel, compares it with the desired records, and sends only the
 * differences, deletions first and creations last, each in the order the
 * kernel's dependencies impose:
 *
 *   SET_DEV
 *   DEL_LINK                     links go before what they tie together
 *   DEL_ENDPOINT, DEL_ROUTE, DEL_ACL
 *   SET_VPC off, DEL_CIDR, DEL_INSTANCE, DEL_VPC
 *   NEW_VPC, NEW_INSTANCE        (CLINK_A_REPLACE when they exist)
 *   NEW_CIDR
 *   NEW_ENDPOINT, NEW_ROUTE, NEW_ACL
 *   SET_VPC on
 *   NEW_LINK
 *
 * Each step is one batch; a record the kernel refuses is reported and the
 * later steps of the same object are skipped, everything else goes on.
 * Nothing is sent for an object that already matches, so a run over an
 * unchanged configuration leaves the device's generation as it was.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>

#include "kernel.h"
#include "log.h"
#include "sync.h"

static struct sync_result *res;
static struct json_object *failed;	/* keys refused in this run */
static struct json_object *reported;	/* errors logged by the last run */

void sync_report(const char *key, const char *msg)
{
	char ekey[KEY_MAX + 8];
	struct json_object *old;

	snprintf(ekey, sizeof(ekey), "config/%s", key);
	/* a record refused again for the same reason is logged once */
	if (!json_object_object_get_ex(res->errlist, ekey, NULL) &&
	    !(reported && json_object_object_get_ex(reported, ekey, &old) &&
	      !strcmp(json_object_get_string(old), msg)))
		log_warn("%s: %s", ekey, msg);
	json_object_object_add(res->errlist, ekey, json_object_new_string(msg));
	res->errors = (unsigned int)json_object_object_length(res->errlist);
}

static void op_done(void *arg, int err, const char *msg)
{
	char *key = arg;

	if (err) {
		sync_report(key, msg && *msg ? msg : strerror(-err));
		json_object_object_add(failed, key, NULL);
	} else {
		res->changes++;
	}
	free(key);
}

static void send_op(struct nlmsghdr *nlh, const char *key)
{
	genl_batch_queue(nlh, op_done, strdup(key));
}

static bool has_failed(enum rec_kind kind, struct json_object *rec)
{
	char key[KEY_MAX];

	record_key(kind, rec, key, sizeof(key));
	return json_object_object_get_ex(failed, key, NULL);
}

/*
 * The kernel's @key: false if it has none; true with *@cur NULL when it
 * equals the desired record, else the kernel's record.
 */
static bool in_kernel(struct kernel *k, enum rec_kind kind, const char *key,
		      struct json_object **cur)
{
	return json_object_object_get_ex(k->rec[kind], key, cur);
}

static bool in_sync(struct kernel *k, enum rec_kind kind, const char *key)
{
	struct json_object *cur;

	return in_kernel(k, kind, key, &cur) && !cur;
}

static bool in_list(struct json_object *list, const char *s)
{
	size_t i;

	for (i = 0; i < json_object_array_length(list); i++)
		if (!strcmp(json_object_get_string(json_object_array_get_idx(list, i)), s))
			return true;
	return false;
}

/* Secondary CIDRs of @from that @to lacks: added or removed with @cmd. */
static void cidr_diff(uint8_t cmd, const char *key, struct json_object *from,
		      struct json_object *to)
{
	struct json_object *a = json_object_object_get(from, "vpc-secondary");
	struct json_object *b = to ? json_object_object_get(to, "vpc-secondary") : NULL;
	size_t i;

	for (i = 0; i < json_object_array_length(a); i++) {
		const char *s = json_object_get_string(json_object_array_get_idx(a, i));
		struct nlmsghdr *nlh;

		if (b && in_list(b, s))
			continue;
		nlh = kernel_req(cmd, 0);
		nl_put_strz(nlh, CLINK_A_VPC_ID, rec_str(from, "vpc-id"));
		put_prefix_str(nlh, CLINK_A_VPC_CIDR, s);
		send_op(nlh, key);
	}
}

static void set_vpc(const char *key, const char *id, uint8_t on)
{
	struct nlmsghdr *nlh = kernel_req(CLINK_CMD_SET_VPC, 0);

	nl_put_strz(nlh, CLINK_A_VPC_ID, id);
	nl_put_u8(nlh, CLINK_A_VPC_CLASSICLINK, on);
	send_op(nlh, key);
}

/* vpc set ID max-links N (0: the device's max-links-per-vpc) */
static void set_vpc_max_links(const char *key, const char *id, uint32_t max)
{
	struct nlmsghdr *nlh = kernel_req(CLINK_CMD_SET_VPC, 0);

	nl_put_strz(nlh, CLINK_A_VPC_ID, id);
	nl_put_u32(nlh, CLINK_A_VPC_MAX_LINKS, max);
	send_op(nlh, key);
}

static int64_t vpc_int(struct json_object *vpc, const char *field)
{
	return vpc ? json_object_get_int64(json_object_object_get(vpc, field)) : 0;
}

static int64_t classiclink(struct json_object *vpc)
{
	return vpc_int(vpc, "vpc-classiclink");
}

/* The fields NEW_VPC sets; secondaries and ClassicLink have their own. */
static bool vpc_core_same(struct json_object *a, struct json_object *b)
{
	return rec_same(a, b, "vpc-vni") && rec_same(a, b, "vpc-cidr") &&
	       rec_same(a, b, "vpc-region") && rec_same(a, b, "vpc-account");
}

static const uint8_t del_cmd[REC_KINDS] = {
	[REC_VPC] = CLINK_CMD_DEL_VPC,
	[REC_ENDPOINT] = CLINK_CMD_DEL_ENDPOINT,
	[REC_ROUTE] = CLINK_CMD_DEL_ROUTE,
	[REC_ACL] = CLINK_CMD_DEL_ACL,
	[REC_INSTANCE] = CLINK_CMD_DEL_INSTANCE,
	[REC_LINK] = CLINK_CMD_DEL_LINK,
};

static const uint8_t new_cmd[REC_KINDS] = {
	[REC_VPC] = CLINK_CMD_NEW_VPC,
	[REC_ENDPOINT] = CLINK_CMD_NEW_ENDPOINT,
	[REC_ROUTE] = CLINK_CMD_NEW_ROUTE,
	[REC_ACL] = CLINK_CMD_NEW_ACL,
	[REC_INSTANCE] = CLINK_CMD_NEW_INSTANCE,
	[REC_LINK] = CLINK_CMD_NEW_LINK,
};

/* A delete names the object by its key fields. */
static void del_obj(enum rec_kind kind, const char *key, struct json_object *rec)
{
	static const char *const names[] = {
		"vpc-id", "inst-id", "ep-addr", "route-dst", "acl-prio", NULL
	};
	struct nlmsghdr *nlh = kernel_req(del_cmd[kind], 0);
	struct json_object *id = json_object_new_object(), *v;
	int i;

	for (i = 0; names[i]; i++)
		if (json_object_object_get_ex(rec, names[i], &v))
			json_object_object_add(id, names[i], json_object_get(v));
	/* DEL_LINK names the instance only: whatever VPC it is linked to */
	if (kind == REC_LINK)
		json_object_object_del(id, "vpc-id");
	record_put(nlh, kind, id);
	json_object_put(id);
	send_op(nlh, key);
}

static void new_obj(enum rec_kind kind, const char *key, struct json_object *rec,
		    bool replace)
{
	struct nlmsghdr *nlh = kernel_req(new_cmd[kind], 0);

	if (replace)
		nl_put_flag(nlh, CLINK_A_REPLACE);
	record_put(nlh, kind, rec);
	send_op(nlh, key);
}

/* Kernel objects of @kind etcd does not hold, unless their record is bad. */
static void delete_extra(struct config *c, struct kernel *k, enum rec_kind kind)
{
	json_object_object_foreach(k->rec[kind], key, cur) {
		if (cur && !json_object_object_get_ex(c->rec[kind], key, NULL) &&
		    !json_object_object_get_ex(c->bad, key, NULL))
			del_obj(kind, key, cur);
	}
}

/* New or changed objects of @kind whose VPC was not refused. */
static void add_changed(struct config *c, struct kernel *k, enum rec_kind kind)
{
	json_object_object_foreach(c->rec[kind], key, text) {
		struct json_object *cur, *want;
		bool have = in_kernel(k, kind, key, &cur);

		(void)text;
		if (have && !cur)
			continue;
		want = config_get(c, kind, key);
		if (!has_failed(REC_VPC, want))
			new_obj(kind, key, want, have);
		json_object_put(want);
	}
}

static void apply_dev(struct config *c, struct kernel *k)
{
	struct json_object *dev = config_get(c, REC_DEV, "dev");
	struct json_object *kdev = json_object_object_get(k->rec[REC_DEV], "dev");
	struct json_object *diff = json_object_new_object();

	/* only the fields etcd sets, and only if they differ */
	if (dev && kdev) {
		json_object_object_foreach(dev, f, v)
			if (!rec_same(dev, kdev, f))
				json_object_object_add(diff, f, json_object_get(v));
	}
	if (json_object_object_length(diff)) {
		struct nlmsghdr *nlh = kernel_req(CLINK_CMD_SET_DEV, 0);

		record_put(nlh, REC_DEV, diff);
		send_op(nlh, "dev");
		genl_batch_flush();
	}
	json_object_put(diff);
	json_object_put(dev);
}

static void apply_deletes(struct config *c, struct kernel *k)
{
	/* links that go or move */
	json_object_object_foreach(k->rec[REC_LINK], lkey, lcur) {
		struct json_object *want;

		if (!lcur || json_object_object_get_ex(c->bad, lkey, NULL))
			continue;
		want = config_get(c, REC_LINK, lkey);
		if (!want || !rec_same(want, lcur, "vpc-id"))
			del_obj(REC_LINK, lkey, lcur);
		json_object_put(want);
	}
	genl_batch_flush();

	delete_extra(c, k, REC_ENDPOINT);
	delete_extra(c, k, REC_ROUTE);
	delete_extra(c, k, REC_ACL);
	genl_batch_flush();

	json_object_object_foreach(k->rec[REC_VPC], vkey, vcur) {
		struct json_object *want;

		if (!vcur)
			continue;
		want = config_get(c, REC_VPC, vkey);
		if (want && classiclink(vcur) && !classiclink(want))
			set_vpc(vkey, rec_str(vcur, "vpc-id"), 0);
		if (want)
			cidr_diff(CLINK_CMD_DEL_CIDR, vkey, vcur, want);
		json_object_put(want);
	}
	delete_extra(c, k, REC_INSTANCE);
	delete_extra(c, k, REC_VPC);
	genl_batch_flush();
}

static void apply_adds(struct config *c, struct kernel *k)
{
	struct json_object *relink = json_object_new_object();

	json_object_object_foreach(c->rec[REC_VPC], vkey, vt) {
		struct json_object *cur, *want;
		bool have = in_kernel(k, REC_VPC, vkey, &cur);

		(void)vt;
		if (have && !cur)
			continue;
		want = config_get(c, REC_VPC, vkey);
		if (!cur || !vpc_core_same(cur, want))
			new_obj(REC_VPC, vkey, want, have);
		json_object_put(want);
	}
	json_object_object_foreach(c->rec[REC_INSTANCE], ikey, it) {
		struct json_object *want, *cur;
		char lkey[KEY_MAX];

		(void)it;
		if (in_sync(k, REC_INSTANCE, ikey))
			continue;
		want = config_get(c, REC_INSTANCE, ikey);
		new_obj(REC_INSTANCE, ikey, want, in_kernel(k, REC_INSTANCE, ikey, &cur));
		/* a changed instance loses its link in the kernel */
		record_key(REC_LINK, want, lkey, sizeof(lkey));
		json_object_object_add(relink, lkey, NULL);
		json_object_put(want);
	}
	genl_batch_flush();

	json_object_object_foreach(c->rec[REC_VPC], skey, st) {
		struct json_object *cur, *want;

		(void)st;
		if (in_sync(k, REC_VPC, skey) ||
		    json_object_object_get_ex(failed, skey, NULL))
			continue;
		in_kernel(k, REC_VPC, skey, &cur);
		want = config_get(c, REC_VPC, skey);
		cidr_diff(CLINK_CMD_NEW_CIDR, skey, want, cur);
		json_object_put(want);
	}
	genl_batch_flush();

	add_changed(c, k, REC_ENDPOINT);
	add_changed(c, k, REC_ROUTE);
	add_changed(c, k, REC_ACL);
	genl_batch_flush();

	json_object_object_foreach(c->rec[REC_VPC], ekey, et) {
		struct json_object *cur = NULL, *want;

		(void)et;
		if (in_sync(k, REC_VPC, ekey) ||
		    json_object_object_get_ex(failed, ekey, NULL))
			continue;
		in_kernel(k, REC_VPC, ekey, &cur);
		want = config_get(c, REC_VPC, ekey);
		if (classiclink(want) && !classiclink(cur))
			set_vpc(ekey, rec_str(want, "vpc-id"), 1);
		/* before the links that a higher quota lets in (fewer are gone) */
		if (vpc_int(want, "vpc-max-links") != vpc_int(cur, "vpc-max-links"))
			set_vpc_max_links(ekey, rec_str(want, "vpc-id"),
					  vpc_int(want, "vpc-max-links"));
		json_object_put(want);
	}
	genl_batch_flush();

	json_object_object_foreach(c->rec[REC_LINK], nkey, nt) {
		struct json_object *cur, *want;
		bool have = in_kernel(k, REC_LINK, nkey, &cur);

		(void)nt;
		if (have && !cur && !json_object_object_get_ex(relink, nkey, NULL))
			continue;
		want = config_get(c, REC_LINK, nkey);
		if ((!cur || !rec_same(cur, want, "vpc-id") ||
		     json_object_object_get_ex(relink, nkey, NULL)) &&
		    !has_failed(REC_VPC, want) && !has_failed(REC_INSTANCE, want))
			new_obj(REC_LINK, nkey, want, false);
		json_object_put(want);
	}
	genl_batch_flush();
	json_object_put(relink);
}

static void apply(struct config *c, struct kernel *k)
{
	failed = json_object_new_object();
	apply_dev(c, k);
	apply_deletes(c, k);
	apply_adds(c, k);
	json_object_put(failed);
	failed = NULL;
}

int sync_run(struct config *c, struct sync_result *r)
{
	struct kernel k;
	int ret;

	res = r;
	res->changes = 0;
	json_object_put(reported);
	reported = res->errlist;
	res->errlist = json_object_new_object();
	res->errors = 0;
	json_object_object_foreach(c->bad, bkey, berr)
		sync_report(bkey, json_object_get_string(berr));

	kernel_init(&k, c, res);
	ret = kernel_read(&k);
	if (!ret)
		apply(c, &k);
	kernel_free(&k);
	return ret ? ret : kernel_finish(res);
}

/* Only the entries of @map named in @keys. */
static void restrict_map(struct json_object *map, struct json_object *keys)
{
	struct json_object *drop = json_object_new_array();
	size_t i;

	json_object_object_foreach(map, key, v) {
		(void)v;
		if (!json_object_object_get_ex(keys, key, NULL))
			json_object_array_add(drop, json_object_new_string(key));
	}
	for (i = 0; i < json_object_array_length(drop); i++)
		json_object_object_del(map, json_object_get_string(
			json_object_array_get_idx(drop, i)));
	json_object_put(drop);
}

static struct json_object *subset(struct json_object *map,
				  struct json_object *keys)
{
	struct json_object *out = json_object_new_object();

	json_object_object_foreach(keys, key, v) {
		struct json_object *rec;

		(void)v;
		if (json_object_object_get_ex(map, key, &rec))
			json_object_object_add(out, key, json_object_get(rec));
	}
	return out;
}

int sync_keys(struct config *c, struct json_object *keys,
	      struct sync_result *r)
{
	struct config view = { 0 };
	char ekey[KEY_MAX + 8];
	struct kernel k;
	int kind, ret;

	if (json_object_object_get_ex(keys, "dev", NULL))
		return sync_run(c, r);
	res = r;
	res->changes = 0;
	if (!res->errlist)
		res->errlist = json_object_new_object();

	kernel_init(&k, c, res);
	ret = kernel_read_keys(&k, keys);
	if (ret) {
		kernel_free(&k);
		return ret;
	}
	json_object_object_foreach(keys, key, v) {
		struct json_object *bad;

		(void)v;
		snprintf(ekey, sizeof(ekey), "config/%s", key);
		json_object_object_del(res->errlist, ekey);
		if (json_object_object_get_ex(c->bad, key, &bad))
			sync_report(key, json_object_get_string(bad));
	}
	res->errors = (unsigned int)json_object_object_length(res->errlist);

	/* the same reconcile, on a view of the configuration */
	for (kind = 0; kind < REC_KINDS; kind++) {
		restrict_map(k.rec[kind], keys);
		view.rec[kind] = kind == REC_DEV ? json_object_new_object() :
				 subset(c->rec[kind], keys);
	}
	view.bad = subset(c->bad, keys);
	apply(&view, &k);
	for (kind = 0; kind < REC_KINDS; kind++)
		json_object_put(view.rec[kind]);
	json_object_put(view.bad);
	kernel_free(&k);
	return kernel_finish(res);
}

int sync_dev_region(char *buf, size_t len)
{
	struct sync_result r = { 0 };
	int ret;

	ret = kernel_dev(&r);
	snprintf(buf, len, "%s", r.region);
	return ret;
}
