// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the kernel for a sync: full dumps for a full sync, GETs of the
 * named objects for a change, each object compared with its desired
 * record as it arrives.  Then the host routes: one '<primary CIDR> dev
 * DEV proto clink' per ClassicLink-enabled VPC the kernel holds.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/netlink.h>

#include "kernel.h"
#include "log.h"
#include "utils.h"

#define RTPROT_CLINK	252

void kernel_init(struct kernel *k, struct config *cmp, struct sync_result *res)
{
	int kind;

	for (kind = 0; kind < __REC_MAX; kind++)
		k->rec[kind] = json_object_new_object();
	k->n_custom = json_object_new_object();
	k->n_acls = json_object_new_object();
	k->cmp = cmp;
	k->res = res;
}

void kernel_free(struct kernel *k)
{
	int kind;

	for (kind = 0; kind < __REC_MAX; kind++)
		json_object_put(k->rec[kind]);
	json_object_put(k->n_custom);
	json_object_put(k->n_acls);
}

/* Keep @rec, or only its key when it equals the desired record. */
static void add_rec(struct kernel *k, enum rec_kind kind,
		    struct json_object *rec)
{
	struct json_object *want;
	char key[KEY_MAX];

	if (!rec)
		return;
	rec_key(kind, rec, key, sizeof(key));
	if (k->cmp && json_object_object_get_ex(k->cmp->rec[kind], key, &want) &&
	    !strcmp(json_object_get_string(want),
		    json_object_to_json_string_ext(rec, JSON_C_TO_STRING_PLAIN))) {
		json_object_put(rec);
		rec = NULL;
	}
	json_object_object_add(k->rec[kind], key, rec);
}

static void dev_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct kernel *k = arg;
	struct sync_result *res = k->res;
	struct in_addr a;
	clink_tb_t tb;

	nl_parse(nlh, tb);
	/* kept whole: SET_DEV sends the fields that differ */
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
	add_rec(k, REC_VPC, rec);
}

static void endpoint_cb(const struct nlmsghdr *nlh, void *arg)
{
	clink_tb_t tb;

	nl_parse(nlh, tb);
	add_rec(arg, REC_ENDPOINT, rec_from_kernel(REC_ENDPOINT, tb));
}

static void route_cb(const struct nlmsghdr *nlh, void *arg)
{
	clink_tb_t tb;

	nl_parse(nlh, tb);
	if (!tb[CLINK_A_ROUTE_TYPE] ||
	    mnl_attr_get_u8(tb[CLINK_A_ROUTE_TYPE]) != CLINK_ROUTE_CUSTOM)
		return;
	add_rec(arg, REC_ROUTE, rec_from_kernel(REC_ROUTE, tb));
}

static void acl_cb(const struct nlmsghdr *nlh, void *arg)
{
	clink_tb_t tb;

	nl_parse(nlh, tb);
	add_rec(arg, REC_ACL, rec_from_kernel(REC_ACL, tb));
}

/* An instance, and its link when it has one. */
static void instance_cb(const struct nlmsghdr *nlh, void *arg)
{
	clink_tb_t tb;

	nl_parse(nlh, tb);
	add_rec(arg, REC_INSTANCE, rec_from_kernel(REC_INSTANCE, tb));
	if (tb[CLINK_A_VPC_ID])
		add_rec(arg, REC_LINK, rec_from_kernel(REC_LINK, tb));
}

static void link_cb(const struct nlmsghdr *nlh, void *arg)
{
	clink_tb_t tb;

	nl_parse(nlh, tb);
	add_rec(arg, REC_LINK, rec_from_kernel(REC_LINK, tb));
}

/*
 * A dump, or a GET of one object (@id naming it in @attr, @addr an
 * endpoint's address): a missing object or VPC is no error.
 */
static int get(uint8_t cmd, uint16_t flags, uint16_t attr, const char *id,
	       const char *addr, nl_msg_t cb, struct kernel *k)
{
	struct nlmsghdr *nlh = nl_msg(cmd, flags);
	struct in_addr a;
	char err[256];
	int ret;

	if (id)
		mnl_attr_put_strz(nlh, attr, id);
	if (addr) {
		if (inet_pton(AF_INET, addr, &a) != 1)
			return 0;
		mnl_attr_put(nlh, CLINK_A_EP_ADDR, 4, &a);
	}
	ret = nl_call(nlh, cb, k, err, sizeof(err));
	if (ret == -ENOENT && id)
		return 0;
	if (ret)
		log_err("reading the kernel (command %u%s%s) failed: %s", cmd,
			id ? ", " : "", id ? id : "", err);
	return ret;
}

static int dump(uint8_t cmd, nl_msg_t cb, struct kernel *k)
{
	return get(cmd, cmd == CLINK_CMD_GET_DEV ? 0 : NLM_F_DUMP, 0, NULL,
		   NULL, cb, k);
}

static int dump_vpc(uint8_t cmd, const char *vpc, nl_msg_t cb,
		    struct kernel *k)
{
	return get(cmd, NLM_F_DUMP, CLINK_A_VPC_ID, vpc, NULL, cb, k);
}

/* The VPCs that @map's keys (kind/<vpc-id>/...) name. */
static struct json_object *vpcs_of(struct json_object *map)
{
	struct json_object *set = json_object_new_object();
	char id[3 * CLINK_ID_MAXLEN];

	json_object_object_foreach(map, key, rec) {
		(void)rec;
		if (!rec_key_part(key, 1, id, sizeof(id)))
			json_object_object_add(set, id, NULL);
	}
	return set;
}

static int64_t count_of(struct json_object *map, const char *key)
{
	return json_object_get_int64(json_object_object_get(map, key));
}

int kernel_read(struct kernel *k)
{
	struct json_object *want_routes, *want_acls, *vpcs;
	char id[3 * CLINK_ID_MAXLEN];
	int ret;

	ret = dump(CLINK_CMD_GET_DEV, dev_cb, k);
	if (!ret)
		ret = dump(CLINK_CMD_GET_VPC, vpc_cb, k);
	if (!ret)
		ret = dump(CLINK_CMD_GET_ENDPOINT, endpoint_cb, k);
	if (!ret)
		ret = dump(CLINK_CMD_GET_INSTANCE, instance_cb, k);
	if (ret)
		return ret;

	/* routes and ACLs are dumped per VPC: only where there are some */
	want_routes = vpcs_of(k->cmp->rec[REC_ROUTE]);
	want_acls = vpcs_of(k->cmp->rec[REC_ACL]);
	vpcs = k->n_custom;
	json_object_object_foreach(vpcs, key, n) {
		(void)n;
		if (rec_key_part(key, 1, id, sizeof(id)))
			continue;
		if (!ret && (count_of(k->n_custom, key) > 0 ||
			     json_object_object_get_ex(want_routes, id, NULL)))
			ret = dump_vpc(CLINK_CMD_GET_ROUTE, id, route_cb, k);
		if (!ret && (count_of(k->n_acls, key) > 0 ||
			     json_object_object_get_ex(want_acls, id, NULL)))
			ret = dump_vpc(CLINK_CMD_GET_ACL, id, acl_cb, k);
	}
	json_object_put(want_routes);
	json_object_put(want_acls);
	return ret;
}

/* The desired links to VPC @id, into @keys. */
static void links_to(struct json_object *keys, struct config *c, const char *id)
{
	struct json_object *v = json_object_new_string(id);
	char needle[4 * CLINK_ID_MAXLEN];

	/* records are canonical text: the field is the last one */
	snprintf(needle, sizeof(needle), "\"vpc-id\":%s}",
		 json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
	json_object_put(v);
	json_object_object_foreach(c->rec[REC_LINK], key, text) {
		if (strstr(json_object_get_string(text), needle))
			json_object_object_add(keys, key, NULL);
	}
}

int kernel_read_keys(struct kernel *k, struct json_object *keys)
{
	struct json_object *done = json_object_new_object();
	struct json_object *more = json_object_new_object();
	char id[3 * CLINK_ID_MAXLEN], addr[64], dkey[KEY_MAX];
	int ret = 0;

	/* a VPC brings its links, an instance its link and a link its instance */
	json_object_object_foreach(keys, key, v0) {
		(void)v0;
		if (rec_key_part(key, 1, id, sizeof(id)))
			continue;
		switch (rec_kind_of(key)) {
		case REC_VPC:
			links_to(more, k->cmp, id);
			if (!ret)
				ret = dump_vpc(CLINK_CMD_GET_LINK, id, link_cb, k);
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
		int kind = rec_kind_of(key2);

		(void)v2;
		if (ret || rec_key_part(key2, 1, id, sizeof(id)))
			continue;
		/* one GET or dump serves every key it covers */
		snprintf(dkey, sizeof(dkey), "%d/%s", kind == REC_LINK ?
			 REC_INSTANCE : kind, kind == REC_ENDPOINT ? key2 : id);
		if (json_object_object_get_ex(done, dkey, NULL))
			continue;
		json_object_object_add(done, dkey, NULL);
		switch (kind) {
		case REC_VPC:
			ret = get(CLINK_CMD_GET_VPC, 0, CLINK_A_VPC_ID, id, NULL,
				  vpc_cb, k);
			break;
		case REC_ENDPOINT:
			if (!rec_key_part(key2, 2, addr, sizeof(addr)))
				ret = get(CLINK_CMD_GET_ENDPOINT, 0, CLINK_A_VPC_ID,
					  id, addr, endpoint_cb, k);
			break;
		case REC_INSTANCE:
		case REC_LINK:
			ret = get(CLINK_CMD_GET_INSTANCE, 0, CLINK_A_INST_ID, id,
				  NULL, instance_cb, k);
			break;
		case REC_ROUTE:
			ret = dump_vpc(CLINK_CMD_GET_ROUTE, id, route_cb, k);
			break;
		case REC_ACL:
			ret = dump_vpc(CLINK_CMD_GET_ACL, id, acl_cb, k);
			break;
		default:
			break;
		}
	}
	json_object_put(done);

	/* the links a VPC's dump found are part of the change too */
	json_object_object_foreach(k->rec[REC_LINK], lkey, lv) {
		(void)lv;
		json_object_object_add(keys, lkey, NULL);
	}
	return ret;
}

/* Host routes: <primary CIDR> dev DEV proto clink ---------------------- */

static void have_route(uint32_t dst, uint8_t len, void *arg)
{
	struct json_object *have = arg;
	struct prefix p = { .addr.s_addr = dst, .len = len };
	char buf[PREFIX_STRLEN];

	json_object_object_add(have, format_prefix(buf, &p), NULL);
}

static void route_change(struct sync_result *res, bool add, const char *cidr,
			 const char *key)
{
	struct prefix p;
	char err[256];

	if (parse_prefix(cidr, &p))
		return;
	if (nl_route_change(add, res->ifindex, RTPROT_CLINK, p.addr.s_addr,
			    p.len, err, sizeof(err))) {
		log_warn("%s route %s proto clink: %s",
			 add ? "adding" : "deleting", cidr, err);
		if (key)
			sync_report(key, err);
	} else {
		log_info("route %s %s proto clink", add ? "added" : "deleted", cidr);
		res->changes++;
	}
}

int kernel_dev(struct sync_result *res)
{
	struct kernel k;
	int ret;

	kernel_init(&k, NULL, res);
	ret = dump(CLINK_CMD_GET_DEV, dev_cb, &k);
	kernel_free(&k);
	return ret;
}

int kernel_finish(struct sync_result *res)
{
	struct json_object *have = json_object_new_object();
	struct json_object *want = json_object_new_object();
	struct kernel k;
	int ret;

	kernel_init(&k, NULL, res);
	ret = dump(CLINK_CMD_GET_DEV, dev_cb, &k);
	if (!ret)
		ret = dump(CLINK_CMD_GET_VPC, vpc_cb, &k);
	if (!ret) {
		ret = nl_route_dump(res->ifindex, RTPROT_CLINK, have_route, have);
		if (ret)
			log_err("reading routes proto clink failed: %s", strerror(-ret));
	}
	if (ret)
		goto out;
	json_object_object_foreach(k.rec[REC_VPC], key, vpc) {
		if (json_object_get_int64(json_object_object_get(vpc, "vpc-classiclink")))
			json_object_object_add(want, rec_str(vpc, "vpc-cidr"),
					       json_object_new_string(key));
	}
	json_object_object_foreach(have, hcidr, hv) {
		(void)hv;
		if (!json_object_object_get_ex(want, hcidr, NULL))
			route_change(res, false, hcidr, NULL);
	}
	json_object_object_foreach(want, wcidr, wkey) {
		if (!json_object_object_get_ex(have, wcidr, NULL))
			route_change(res, true, wcidr, json_object_get_string(wkey));
	}
out:
	kernel_free(&k);
	json_object_put(have);
	json_object_put(want);
	return ret;
}
