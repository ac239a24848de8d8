// SPDX-License-Identifier: GPL-2.0
/*
 * The reconciler.  It never replays a log of changes: each run reads the
 * kernel (one dump per kind, route and ACL dumps only for the VPCs that
 * have or want some), compares it with the desired records, and sends
 * only the differences, deletions first and creations last, each in the
 * order the kernel's dependencies impose:
 *
 *   SET_DEV
 *   DEL_LINK                     links go before what they tie together
 *   DEL_ENDPOINT, DEL_ROUTE, DEL_ACL
 *   SET_VPC off, DEL_CIDR, DEL_INSTANCE, DEL_VPC
 *   NEW_VPC, NEW_INSTANCE        (NLM_F_REPLACE when they exist)
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
#include <arpa/inet.h>
#include <linux/netlink.h>

#include "log.h"
#include "sync.h"
#include "utils.h"

#define RTPROT_CLINK	252
#define KEY_MAX		512

void config_init(struct config *c, const char *kernel_region)
{
	int k;

	c->raw = json_object_new_object();
	c->bad = json_object_new_object();
	for (k = 0; k < __REC_MAX; k++)
		c->rec[k] = json_object_new_object();
	snprintf(c->kernel_region, sizeof(c->kernel_region), "%s",
		 kernel_region);
	snprintf(c->region, sizeof(c->region), "%s", kernel_region);
}

void config_free(struct config *c)
{
	int k;

	json_object_put(c->raw);
	json_object_put(c->bad);
	for (k = 0; k < __REC_MAX; k++)
		json_object_put(c->rec[k]);
	memset(c, 0, sizeof(*c));
}

static void parse_one(struct config *c, const char *rel, const char *val,
		      size_t len)
{
	char key[KEY_MAX], err[256];
	struct json_object *rec;
	enum rec_kind kind;
	int k;

	if (rec_norm_key(rel, key, sizeof(key))) {
		json_object_object_add(c->bad, rel,
				       json_object_new_string("malformed key"));
		return;
	}
	for (k = 0; k < __REC_MAX; k++)
		json_object_object_del(c->rec[k], key);
	json_object_object_del(c->bad, key);
	if (!val)
		return;
	rec = rec_parse(rel, val, len, c->region, &kind, err, sizeof(err));
	if (rec)
		json_object_object_add(c->rec[kind], key, rec);
	else
		json_object_object_add(c->bad, key, json_object_new_string(err));
}

/* Records without a region take the device's: the desired one, if set. */
static bool update_region(struct config *c)
{
	struct json_object *dev = json_object_object_get(c->rec[REC_DEV], "dev");
	const char *r = dev ? rec_str(dev, "dev-region") : NULL;

	if (!r)
		r = c->kernel_region;
	if (!strcmp(r, c->region))
		return false;
	snprintf(c->region, sizeof(c->region), "%s", r);
	return true;
}

void config_set(struct config *c, const char *rel, const char *val,
		size_t len)
{
	if (val)
		json_object_object_add(c->raw, rel,
			json_object_new_string_len(val, (int)len));
	else
		json_object_object_del(c->raw, rel);
	parse_one(c, rel, val, len);
	if (rec_kind_of(rel) == REC_DEV && update_region(c)) {
		json_object_object_foreach(c->raw, k, v)
			parse_one(c, k, json_object_get_string(v),
				  (size_t)json_object_get_string_len(v));
	}
}

/* The kernel's side --------------------------------------------------- */

struct kernel {
	struct json_object *rec[__REC_MAX];
	/* per VPC key: custom routes and ACL rules the kernel holds */
	struct json_object *n_custom, *n_acls;
};

static struct sync_result *res;
static struct json_object *failed;	/* keys refused in this run */
static struct json_object *reported;	/* errors logged by the last run */

static void add_rec(struct json_object *map, enum rec_kind kind,
		    struct json_object *rec)
{
	char key[KEY_MAX];

	if (!rec)
		return;
	rec_key(kind, rec, key, sizeof(key));
	json_object_object_add(map, key, rec);
}

static void dev_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct kernel *k = arg;
	struct in_addr a;
	clink_tb_t tb;

	nl_parse(nlh, tb);
	json_object_object_add(k->rec[REC_DEV], "dev",
			       rec_from_kernel(REC_DEV, tb));
	if (tb[CLINK_A_IFINDEX])
		res->ifindex = (int)mnl_attr_get_u32(tb[CLINK_A_IFINDEX]);
	if (tb[CLINK_A_DEV_LOCAL]) {
		memcpy(&a, mnl_attr_get_payload(tb[CLINK_A_DEV_LOCAL]), 4);
		format_addr(res->vtep, a);
	}
	if (tb[CLINK_A_DEV_REGION])
		snprintf(res->region, sizeof(res->region), "%s",
			 mnl_attr_get_str(tb[CLINK_A_DEV_REGION]));
#define U32(attr, f) if (tb[attr]) res->f = mnl_attr_get_u32(tb[attr])
	U32(CLINK_A_DEV_GENERATION, generation);
	U32(CLINK_A_DEV_N_VPCS, n_vpcs);
	U32(CLINK_A_DEV_N_INSTANCES, n_instances);
	U32(CLINK_A_DEV_N_LINKS, n_links);
	U32(CLINK_A_DEV_N_ENDPOINTS, n_endpoints);
#undef U32
}

static void vpc_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct kernel *k = arg;
	struct json_object *rec;
	char key[KEY_MAX];
	clink_tb_t tb;
	int64_t custom;

	nl_parse(nlh, tb);
	rec = rec_from_kernel(REC_VPC, tb);
	if (!rec)
		return;
	rec_key(REC_VPC, rec, key, sizeof(key));
	json_object_object_add(k->rec[REC_VPC], key, rec);
	/* every route is local (one per CIDR), classiclink or custom */
	custom = tb[CLINK_A_VPC_N_ROUTES] ?
		 mnl_attr_get_u32(tb[CLINK_A_VPC_N_ROUTES]) : 1;
	custom -= 1 + (int64_t)json_object_array_length(
			json_object_object_get(rec, "vpc-secondary"));
	if (tb[CLINK_A_VPC_N_LINKS])
		custom -= mnl_attr_get_u32(tb[CLINK_A_VPC_N_LINKS]);
	json_object_object_add(k->n_custom, key, json_object_new_int64(custom));
	json_object_object_add(k->n_acls, key, json_object_new_int64(
		tb[CLINK_A_VPC_N_ACLS] ? mnl_attr_get_u32(tb[CLINK_A_VPC_N_ACLS]) : 1));
}

static void endpoint_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct kernel *k = arg;
	clink_tb_t tb;

	nl_parse(nlh, tb);
	add_rec(k->rec[REC_ENDPOINT], REC_ENDPOINT,
		rec_from_kernel(REC_ENDPOINT, tb));
}

static void route_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct kernel *k = arg;
	clink_tb_t tb;

	nl_parse(nlh, tb);
	if (!tb[CLINK_A_ROUTE_TYPE] ||
	    mnl_attr_get_u8(tb[CLINK_A_ROUTE_TYPE]) != CLINK_ROUTE_CUSTOM)
		return;
	add_rec(k->rec[REC_ROUTE], REC_ROUTE, rec_from_kernel(REC_ROUTE, tb));
}

static void acl_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct kernel *k = arg;
	clink_tb_t tb;

	nl_parse(nlh, tb);
	add_rec(k->rec[REC_ACL], REC_ACL, rec_from_kernel(REC_ACL, tb));
}

/* An instance, and its link when it has one. */
static void instance_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct kernel *k = arg;
	clink_tb_t tb;

	nl_parse(nlh, tb);
	add_rec(k->rec[REC_INSTANCE], REC_INSTANCE,
		rec_from_kernel(REC_INSTANCE, tb));
	if (tb[CLINK_A_VPC_ID])
		add_rec(k->rec[REC_LINK], REC_LINK, rec_from_kernel(REC_LINK, tb));
}

static int dump(uint8_t cmd, const char *vpc, nl_msg_t cb, struct kernel *k)
{
	struct nlmsghdr *nlh = nl_msg(cmd, vpc || cmd != CLINK_CMD_GET_DEV ?
				      NLM_F_DUMP : 0);
	char err[256];
	int ret;

	if (vpc)
		mnl_attr_put_strz(nlh, CLINK_A_VPC_ID, vpc);
	ret = nl_call(nlh, cb, k, err, sizeof(err));
	if (ret && !(ret == -ENOENT && vpc))
		log_err("reading the kernel (command %u%s%s) failed: %s", cmd,
			vpc ? ", VPC " : "", vpc ? vpc : "", err);
	return ret == -ENOENT && vpc ? 0 : ret;
}

/* Does @map hold a record of VPC @vpc? */
static struct json_object *vpcs_of(struct json_object *map)
{
	struct json_object *set = json_object_new_object();

	json_object_object_foreach(map, key, rec) {
		(void)key;
		json_object_object_add(set, rec_str(rec, "vpc-id"), NULL);
	}
	return set;
}

static int read_kernel(struct config *c, struct kernel *k)
{
	struct json_object *want_routes, *want_acls;
	int kind, ret;

	for (kind = 0; kind < __REC_MAX; kind++)
		k->rec[kind] = json_object_new_object();
	k->n_custom = json_object_new_object();
	k->n_acls = json_object_new_object();

	ret = dump(CLINK_CMD_GET_DEV, NULL, dev_cb, k);
	if (!ret)
		ret = dump(CLINK_CMD_GET_VPC, NULL, vpc_cb, k);
	if (!ret)
		ret = dump(CLINK_CMD_GET_ENDPOINT, NULL, endpoint_cb, k);
	if (!ret)
		ret = dump(CLINK_CMD_GET_INSTANCE, NULL, instance_cb, k);
	if (ret)
		return ret;

	/* routes and ACLs are dumped per VPC: only where there are some */
	want_routes = vpcs_of(c->rec[REC_ROUTE]);
	want_acls = vpcs_of(c->rec[REC_ACL]);
	json_object_object_foreach(k->rec[REC_VPC], key, vpc) {
		const char *id = rec_str(vpc, "vpc-id");

		if (!ret && (json_object_get_int64(json_object_object_get(k->n_custom, key)) > 0 ||
			     json_object_object_get_ex(want_routes, id, NULL)))
			ret = dump(CLINK_CMD_GET_ROUTE, id, route_cb, k);
		if (!ret && (json_object_get_int64(json_object_object_get(k->n_acls, key)) > 0 ||
			     json_object_object_get_ex(want_acls, id, NULL)))
			ret = dump(CLINK_CMD_GET_ACL, id, acl_cb, k);
	}
	json_object_put(want_routes);
	json_object_put(want_acls);
	return ret;
}

static void free_kernel(struct kernel *k)
{
	int kind;

	for (kind = 0; kind < __REC_MAX; kind++)
		json_object_put(k->rec[kind]);
	json_object_put(k->n_custom);
	json_object_put(k->n_acls);
}

/* Applying ------------------------------------------------------------ */

static void report(const char *key, const char *msg)
{
	char ekey[KEY_MAX + 8];

	snprintf(ekey, sizeof(ekey), "config/%s", key);
	struct json_object *old;

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
		report(key, msg && *msg ? msg : strerror(-err));
		json_object_object_add(failed, key, NULL);
	} else {
		res->changes++;
	}
	free(key);
}

static void send_op(struct nlmsghdr *nlh, const char *key)
{
	nl_queue(nlh, op_done, strdup(key));
}

static bool has_failed(enum rec_kind kind, struct json_object *rec)
{
	char key[KEY_MAX];

	rec_key(kind, rec, key, sizeof(key));
	return json_object_object_get_ex(failed, key, NULL);
}

static bool in_list(struct json_object *list, const char *s)
{
	size_t i;

	for (i = 0; i < json_object_array_length(list); i++)
		if (!strcmp(json_object_get_string(json_object_array_get_idx(list, i)), s))
			return true;
	return false;
}

static void cidr_op(uint8_t cmd, const char *key, const char *id,
		    const char *cidr)
{
	struct nlmsghdr *nlh = nl_req(cmd, 0);

	mnl_attr_put_strz(nlh, CLINK_A_VPC_ID, id);
	put_prefix_str(nlh, CLINK_A_VPC_CIDR, cidr);
	send_op(nlh, key);
}

/* Secondary CIDRs in @from that @to lacks: added or removed with @cmd. */
static void cidr_diff(uint8_t cmd, const char *key, struct json_object *from,
		      struct json_object *to)
{
	struct json_object *a = json_object_object_get(from, "vpc-secondary");
	struct json_object *b = to ? json_object_object_get(to, "vpc-secondary") : NULL;
	size_t i;

	for (i = 0; i < json_object_array_length(a); i++) {
		const char *s = json_object_get_string(json_object_array_get_idx(a, i));

		if (!b || !in_list(b, s))
			cidr_op(cmd, key, rec_str(from, "vpc-id"), s);
	}
}

static void set_vpc(const char *key, const char *id, uint8_t on)
{
	struct nlmsghdr *nlh = nl_req(CLINK_CMD_SET_VPC, 0);

	mnl_attr_put_strz(nlh, CLINK_A_VPC_ID, id);
	mnl_attr_put_u8(nlh, CLINK_A_VPC_CLASSICLINK, on);
	send_op(nlh, key);
}

static int64_t classiclink(struct json_object *vpc)
{
	return vpc ? json_object_get_int64(json_object_object_get(vpc, "vpc-classiclink")) : 0;
}

/* The fields NEW_VPC sets; secondaries and ClassicLink have their own. */
static bool vpc_core_same(struct json_object *a, struct json_object *b)
{
	return rec_same(a, b, "vpc-vni") && rec_same(a, b, "vpc-cidr") &&
	       rec_same(a, b, "vpc-region") && rec_same(a, b, "vpc-account");
}

static const uint8_t del_cmd[__REC_MAX] = {
	[REC_VPC] = CLINK_CMD_DEL_VPC,
	[REC_ENDPOINT] = CLINK_CMD_DEL_ENDPOINT,
	[REC_ROUTE] = CLINK_CMD_DEL_ROUTE,
	[REC_ACL] = CLINK_CMD_DEL_ACL,
	[REC_INSTANCE] = CLINK_CMD_DEL_INSTANCE,
	[REC_LINK] = CLINK_CMD_DEL_LINK,
};

static const uint8_t new_cmd[__REC_MAX] = {
	[REC_VPC] = CLINK_CMD_NEW_VPC,
	[REC_ENDPOINT] = CLINK_CMD_NEW_ENDPOINT,
	[REC_ROUTE] = CLINK_CMD_NEW_ROUTE,
	[REC_ACL] = CLINK_CMD_NEW_ACL,
	[REC_INSTANCE] = CLINK_CMD_NEW_INSTANCE,
	[REC_LINK] = CLINK_CMD_NEW_LINK,
};

/* The attributes that name an object are its key fields. */
static void del_obj(enum rec_kind kind, const char *key, struct json_object *rec)
{
	struct nlmsghdr *nlh = nl_req(del_cmd[kind], 0);
	struct json_object *id = json_object_new_object();

	json_object_object_foreach(rec, f, v) {
		if (!strcmp(f, "vpc-id") || !strcmp(f, "inst-id") ||
		    !strcmp(f, "ep-addr") || !strcmp(f, "route-dst") ||
		    !strcmp(f, "acl-prio"))
			json_object_object_add(id, f, json_object_get(v));
	}
	/* DEL_LINK takes the instance only: the VPC must not be checked */
	if (kind == REC_LINK)
		json_object_object_del(id, "vpc-id");
	rec_put(nlh, kind, id);
	json_object_put(id);
	send_op(nlh, key);
}

static void new_obj(enum rec_kind kind, const char *key, struct json_object *rec,
		    bool replace)
{
	struct nlmsghdr *nlh = nl_req(new_cmd[kind],
				      replace ? NLM_F_REPLACE | NLM_F_CREATE : 0);

	rec_put(nlh, kind, rec);
	send_op(nlh, key);
}

/* Extra kernel objects of @kind, unless their etcd record is bad. */
static void delete_extra(struct config *c, struct kernel *k, enum rec_kind kind)
{
	json_object_object_foreach(k->rec[kind], key, rec) {
		if (!json_object_object_get_ex(c->rec[kind], key, NULL) &&
		    !json_object_object_get_ex(c->bad, key, NULL))
			del_obj(kind, key, rec);
	}
}

/* New or changed objects of @kind whose VPC was not refused. */
static void add_changed(struct config *c, struct kernel *k, enum rec_kind kind)
{
	json_object_object_foreach(c->rec[kind], key, rec) {
		struct json_object *cur = json_object_object_get(k->rec[kind], key);

		if (cur && json_object_equal(cur, rec))
			continue;
		if (has_failed(REC_VPC, rec))
			continue;
		new_obj(kind, key, rec, cur != NULL);
	}
}

static void apply(struct config *c, struct kernel *k)
{
	struct json_object *dev = json_object_object_get(c->rec[REC_DEV], "dev");
	struct json_object *kdev = json_object_object_get(k->rec[REC_DEV], "dev");
	struct json_object *relink = json_object_new_object();

	/* the device: only the fields etcd sets, and only if they differ */
	if (dev && kdev) {
		struct json_object *diff = json_object_new_object();

		json_object_object_foreach(dev, f, v)
			if (!rec_same(dev, kdev, f))
				json_object_object_add(diff, f, json_object_get(v));
		if (json_object_object_length(diff)) {
			struct nlmsghdr *nlh = nl_req(CLINK_CMD_SET_DEV, 0);

			rec_put(nlh, REC_DEV, diff);
			send_op(nlh, "dev");
		}
		json_object_put(diff);
		nl_flush();
	}

	/* links that go or move */
	json_object_object_foreach(k->rec[REC_LINK], lkey, lrec) {
		struct json_object *want = json_object_object_get(c->rec[REC_LINK], lkey);

		if (json_object_object_get_ex(c->bad, lkey, NULL))
			continue;
		if (!want || !rec_same(want, lrec, "vpc-id"))
			del_obj(REC_LINK, lkey, lrec);
	}
	nl_flush();

	delete_extra(c, k, REC_ENDPOINT);
	delete_extra(c, k, REC_ROUTE);
	delete_extra(c, k, REC_ACL);
	nl_flush();

	json_object_object_foreach(k->rec[REC_VPC], vkey, vrec) {
		struct json_object *want = json_object_object_get(c->rec[REC_VPC], vkey);

		if (want && classiclink(vrec) && !classiclink(want))
			set_vpc(vkey, rec_str(vrec, "vpc-id"), 0);
		if (want)
			cidr_diff(CLINK_CMD_DEL_CIDR, vkey, vrec, want);
	}
	delete_extra(c, k, REC_INSTANCE);
	delete_extra(c, k, REC_VPC);
	nl_flush();

	json_object_object_foreach(c->rec[REC_VPC], nvkey, nvrec) {
		struct json_object *cur = json_object_object_get(k->rec[REC_VPC], nvkey);

		if (!cur || !vpc_core_same(cur, nvrec))
			new_obj(REC_VPC, nvkey, nvrec, cur != NULL);
	}
	json_object_object_foreach(c->rec[REC_INSTANCE], ikey, irec) {
		struct json_object *cur = json_object_object_get(k->rec[REC_INSTANCE], ikey);
		char lkey[KEY_MAX];

		if (cur && json_object_equal(cur, irec))
			continue;
		new_obj(REC_INSTANCE, ikey, irec, cur != NULL);
		/* a changed instance loses its link in the kernel */
		rec_key(REC_LINK, irec, lkey, sizeof(lkey));
		json_object_object_add(relink, lkey, NULL);
	}
	nl_flush();

	json_object_object_foreach(c->rec[REC_VPC], svkey, svrec) {
		if (!json_object_object_get_ex(failed, svkey, NULL))
			cidr_diff(CLINK_CMD_NEW_CIDR, svkey, svrec,
				  json_object_object_get(k->rec[REC_VPC], svkey));
	}
	nl_flush();

	add_changed(c, k, REC_ENDPOINT);
	add_changed(c, k, REC_ROUTE);
	add_changed(c, k, REC_ACL);
	nl_flush();

	json_object_object_foreach(c->rec[REC_VPC], evkey, evrec) {
		struct json_object *cur = json_object_object_get(k->rec[REC_VPC], evkey);

		if (classiclink(evrec) && !classiclink(cur) &&
		    !json_object_object_get_ex(failed, evkey, NULL))
			set_vpc(evkey, rec_str(evrec, "vpc-id"), 1);
	}
	nl_flush();

	json_object_object_foreach(c->rec[REC_LINK], nlkey, nlrec) {
		struct json_object *cur = json_object_object_get(k->rec[REC_LINK], nlkey);

		if (cur && rec_same(cur, nlrec, "vpc-id") &&
		    !json_object_object_get_ex(relink, nlkey, NULL))
			continue;
		if (has_failed(REC_VPC, nlrec) || has_failed(REC_INSTANCE, nlrec))
			continue;
		new_obj(REC_LINK, nlkey, nlrec, false);
	}
	nl_flush();
	json_object_put(relink);
}

/* Host routes: <primary CIDR> dev clink0 proto clink ------------------- */

static void have_route(uint32_t dst, uint8_t len, void *arg)
{
	struct json_object *have = arg;
	struct prefix p = { .addr.s_addr = dst, .len = len };
	char buf[PREFIX_STRLEN];

	json_object_object_add(have, format_prefix(buf, &p), NULL);
}

static void route_change(bool add, const char *cidr, const char *key)
{
	struct prefix p;
	char err[256];

	if (parse_prefix(cidr, &p))
		return;
	if (nl_route_change(add, res->ifindex, RTPROT_CLINK, p.addr.s_addr,
			    p.len, err, sizeof(err))) {
		log_warn("%s route %s dev ifindex %d proto clink: %s",
			 add ? "adding" : "deleting", cidr, res->ifindex, err);
		if (key)
			report(key, err);
	} else {
		log_info("route %s %s proto clink", add ? "added" : "deleted", cidr);
		res->changes++;
	}
}

static int sync_routes(struct kernel *k)
{
	struct json_object *have = json_object_new_object();
	struct json_object *want = json_object_new_object();
	int ret;

	ret = nl_route_dump(res->ifindex, RTPROT_CLINK, have_route, have);
	if (ret) {
		log_err("reading routes proto clink failed: %s", strerror(-ret));
		goto out;
	}
	json_object_object_foreach(k->rec[REC_VPC], key, vpc) {
		if (classiclink(vpc))
			json_object_object_add(want, rec_str(vpc, "vpc-cidr"),
					       json_object_new_string(key));
	}
	json_object_object_foreach(have, hcidr, hv) {
		(void)hv;
		if (!json_object_object_get_ex(want, hcidr, NULL))
			route_change(false, hcidr, NULL);
	}
	json_object_object_foreach(want, wcidr, wkey) {
		if (!json_object_object_get_ex(have, wcidr, NULL))
			route_change(true, wcidr, json_object_get_string(wkey));
	}
out:
	json_object_put(have);
	json_object_put(want);
	return ret;
}

static void kernel_init(struct kernel *k)
{
	int kind;

	for (kind = 0; kind < __REC_MAX; kind++)
		k->rec[kind] = json_object_new_object();
	k->n_custom = json_object_new_object();
	k->n_acls = json_object_new_object();
}

/* After a change: the routes and the status follow what the kernel holds. */
static int finish(void)
{
	struct kernel after;
	int ret;

	kernel_init(&after);
	ret = dump(CLINK_CMD_GET_DEV, NULL, dev_cb, &after);
	if (!ret)
		ret = dump(CLINK_CMD_GET_VPC, NULL, vpc_cb, &after);
	if (!ret)
		sync_routes(&after);
	free_kernel(&after);
	return ret;
}

static void run_apply(struct config *c, struct kernel *k)
{
	failed = json_object_new_object();
	apply(c, k);
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
		report(bkey, json_object_get_string(berr));

	ret = read_kernel(c, &k);
	if (!ret)
		run_apply(c, &k);
	free_kernel(&k);
	return ret ? ret : finish();
}

static void link_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct kernel *k = arg;
	clink_tb_t tb;

	nl_parse(nlh, tb);
	add_rec(k->rec[REC_LINK], REC_LINK, rec_from_kernel(REC_LINK, tb));
}

/* A GET of one object; a missing one is no error. */
static int get_one(uint8_t cmd, uint16_t attr, const char *id,
		   const char *addr, nl_msg_t cb, struct kernel *k)
{
	struct nlmsghdr *nlh = nl_msg(cmd, cmd == CLINK_CMD_GET_LINK ? NLM_F_DUMP : 0);
	struct in_addr a;
	char err[256];
	int ret;

	mnl_attr_put_strz(nlh, attr, id);
	if (addr) {
		if (inet_pton(AF_INET, addr, &a) != 1)
			return 0;
		mnl_attr_put(nlh, CLINK_A_EP_ADDR, 4, &a);
	}
	ret = nl_call(nlh, cb, k, err, sizeof(err));
	if (ret == -ENOENT)
		return 0;
	if (ret)
		log_err("reading the kernel (command %u, %s) failed: %s", cmd, id, err);
	return ret;
}

/* Keys of @map whose record has @field equal to @value, into @keys. */
static void add_keys_with(struct json_object *keys, struct json_object *map,
			  const char *field, const char *value)
{
	json_object_object_foreach(map, key, rec) {
		const char *v = rec_str(rec, field);

		if (v && !strcmp(v, value))
			json_object_object_add(keys, key, NULL);
	}
}

/* Read the kernel objects @keys name; @keys grows by what they drag in. */
static int read_keys(struct config *c, struct json_object *keys,
		     struct kernel *k)
{
	struct json_object *dumped = json_object_new_object();
	struct json_object *more = json_object_new_object();
	char id[CLINK_ID_MAXLEN * 3], part[64], dkey[KEY_MAX];
	int ret = 0;

	/* a VPC brings its links, an instance its link, and back */
	json_object_object_foreach(keys, key, v0) {
		(void)v0;
		if (rec_key_part(key, 1, id, sizeof(id)))
			continue;
		switch (rec_kind_of(key)) {
		case REC_VPC:
			add_keys_with(more, c->rec[REC_LINK], "vpc-id", id);
			ret = ret ?: get_one(CLINK_CMD_GET_LINK, CLINK_A_VPC_ID, id,
					     NULL, link_cb, k);
			break;
		case REC_INSTANCE:
		case REC_LINK:
			snprintf(dkey, sizeof(dkey), "link/%s", strchr(key, '/') + 1);
			json_object_object_add(more, dkey, NULL);
			snprintf(dkey, sizeof(dkey), "instance/%s", strchr(key, '/') + 1);
			json_object_object_add(more, dkey, NULL);
			break;
		default:
			break;
		}
	}
	json_object_object_foreach(more, mkey, mv) {
		(void)mv;
		json_object_object_add(keys, mkey, NULL);
	}
	json_object_put(more);

	json_object_object_foreach(keys, key2, v2) {
		(void)v2;
		if (ret || rec_key_part(key2, 1, id, sizeof(id)))
			continue;
		switch (rec_kind_of(key2)) {
		case REC_VPC:
			ret = get_one(CLINK_CMD_GET_VPC, CLINK_A_VPC_ID, id, NULL,
				      vpc_cb, k);
			break;
		case REC_ENDPOINT:
			if (!rec_key_part(key2, 2, part, sizeof(part)))
				ret = get_one(CLINK_CMD_GET_ENDPOINT, CLINK_A_VPC_ID,
					      id, part, endpoint_cb, k);
			break;
		case REC_INSTANCE:
		case REC_LINK:
			snprintf(dkey, sizeof(dkey), "i/%s", id);
			if (json_object_object_get_ex(dumped, dkey, NULL))
				break;
			json_object_object_add(dumped, dkey, NULL);
			ret = get_one(CLINK_CMD_GET_INSTANCE, CLINK_A_INST_ID, id,
				      NULL, instance_cb, k);
			break;
		case REC_ROUTE:
		case REC_ACL:
			/* per VPC: one dump serves every key of the VPC */
			snprintf(dkey, sizeof(dkey), "%d/%s", rec_kind_of(key2), id);
			if (json_object_object_get_ex(dumped, dkey, NULL))
				break;
			json_object_object_add(dumped, dkey, NULL);
			ret = dump(rec_kind_of(key2) == REC_ROUTE ? CLINK_CMD_GET_ROUTE :
				   CLINK_CMD_GET_ACL, id,
				   rec_kind_of(key2) == REC_ROUTE ? route_cb : acl_cb, k);
			break;
		default:
			break;
		}
	}
	json_object_put(dumped);
	return ret;
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

static struct json_object *subset(struct json_object *map, struct json_object *keys)
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

	kernel_init(&k);
	ret = read_keys(c, keys, &k);
	if (ret) {
		free_kernel(&k);
		return ret;
	}
	/* the links a VPC's dump found are part of the change too */
	json_object_object_foreach(k.rec[REC_LINK], lkey, lv) {
		(void)lv;
		json_object_object_add(keys, lkey, NULL);
	}
	json_object_object_foreach(keys, key, v) {
		struct json_object *bad;

		(void)v;
		snprintf(ekey, sizeof(ekey), "config/%s", key);
		json_object_object_del(res->errlist, ekey);
		if (json_object_object_get_ex(c->bad, key, &bad))
			report(key, json_object_get_string(bad));
	}
	res->errors = (unsigned int)json_object_object_length(res->errlist);

	for (kind = 0; kind < __REC_MAX; kind++) {
		restrict_map(k.rec[kind], keys);
		view.rec[kind] = kind == REC_DEV ? json_object_new_object() :
				 subset(c->rec[kind], keys);
	}
	view.bad = subset(c->bad, keys);
	run_apply(&view, &k);
	for (kind = 0; kind < __REC_MAX; kind++)
		json_object_put(view.rec[kind]);
	json_object_put(view.bad);
	free_kernel(&k);
	return finish();
}

int sync_dev_region(char *buf, size_t len)
{
	struct sync_result r = { 0 };
	struct kernel k;
	int ret;

	kernel_init(&k);
	res = &r;
	ret = dump(CLINK_CMD_GET_DEV, NULL, dev_cb, &k);
	snprintf(buf, len, "%s", r.region);
	free_kernel(&k);
	res = NULL;
	return ret;
}
