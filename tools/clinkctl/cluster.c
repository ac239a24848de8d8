// SPDX-License-Identifier: GPL-2.0
/*
 * clinkctl -E URL -C CLUSTER: the same commands and batch files, written
 * to the cluster's etcd (Documentation/cluster.rst) instead of the kernel.
 *
 * A command is parsed and its request built exactly as for the kernel;
 * nl_divert hands the request here, where it becomes one etcd
 * transaction. The transaction's compares enforce what no single gateway
 * can see: one VPC per instance across the cluster, the per-VPC link
 * limit, unique VNIs and unique classic addresses. Every key read at the
 * transaction's revision is compared unchanged (an absent one still
 * absent), so a concurrent writer makes the commit fail; the command is
 * then read and checked again, and the loser sees the winner's change in
 * a clear "Error: ...". Reading commands (show) read the records back
 * through the same printers.
 */

#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "../lib/etcd.h"
#include "../lib/record.h"
#include "clinkctl.h"
#include "txn.h"

#define ATTEMPTS	20	/* commits lost to concurrent writers */

static struct etcd *etcd;

static const char *str_of(struct json_object *rec, const char *field)
{
	struct json_object *v;

	return json_object_object_get_ex(rec, field, &v) &&
	       json_object_is_type(v, json_type_string) ?
	       json_object_get_string(v) : "";
}

static int64_t int_of(struct json_object *rec, const char *field, int64_t def)
{
	struct json_object *v;

	return json_object_object_get_ex(rec, field, &v) &&
	       json_object_is_type(v, json_type_int) ?
	       json_object_get_int64(v) : def;
}

static bool same_field(struct json_object *a, struct json_object *b,
		       const char *field)
{
	struct json_object *va = NULL, *vb = NULL;

	json_object_object_get_ex(a, field, &va);
	json_object_object_get_ex(b, field, &vb);
	return json_object_equal(va, vb);
}

/* The attributes of the diverted request, and the record they make. */
struct req {
	const struct nlmsghdr *nlh;
	clink_tb_t tb;
	bool replace;
};

static const char *req_str(const struct req *r, uint16_t type)
{
	return r->tb[type] ? mnl_attr_get_str(r->tb[type]) : NULL;
}

static struct json_object *req_record(const struct req *r, enum rec_kind kind)
{
	return rec_from_attrs(rec_schema(kind), r->nlh);
}

/* The VPC @id, required to exist. */
/*
 * The record config/@what/@id, required to exist: 0, or EXIT_RUNTIME
 * after "Error: @missing" (its %s: @id) or the etcd error.
 */
static int need(struct wtx *t, const char *what, const char *id,
		const char *missing, struct json_object **rec)
{
	char k[256];
	int ret;

	snprintf(k, sizeof(k), "config/%s/", what);
	key_escape(id, k + strlen(k), sizeof(k) - strlen(k));
	ret = tx_record(t, k, rec);
	if (ret == 0)
		return cluster_err(missing, id);
	return ret < 0 ? EXIT_RUNTIME : 0;
}

static int need_vpc(struct wtx *t, const char *id, struct json_object **vpc)
{
	return need(t, "vpc", id, "VPC %s does not exist", vpc);
}

static int links_of(struct wtx *t, const char *vpc, size_t *n)
{
	char k[256];

	return tx_list(t, KEY(k, "index/vpc-link/%s/", vpc), NULL, n) ?
	       EXIT_RUNTIME : 0;
}

/* vpc add / replace: the record, its VNI's index entry. */
/* the etcd records have no reach prefix yet: never drop it silently */
#define NO_REACH "the reach of a VPC is not kept in etcd yet; set it on each gateway without -E"
/* nor DSCP */
#define NO_DSCP "the DSCP of a VPC or link is not kept in etcd yet; set it on each gateway without -E"

static int w_vpc_new(struct wtx *t, const struct req *r)
{
	const char *id = req_str(r, CLINK_A_VPC_ID);
	uint32_t vni = mnl_attr_get_u32(r->tb[CLINK_A_VPC_VNI]);
	struct json_object *rec, *old = NULL, *v;
	char k[256], ki[64], *owner = NULL;
	size_t links;
	int ret = EXIT_RUNTIME;

	if (r->tb[CLINK_A_VPC_REACH])
		return cluster_err(NO_REACH);
	if (r->tb[CLINK_A_VPC_DSCP])
		return cluster_err(NO_DSCP);
	rec = req_record(r, REC_VPC);
	if (!rec)
		return cluster_err("out of memory");
	if (tx_record(t, KEY(k, "config/vpc/%s", id), &old) < 0)
		goto out;
	if (old && !r->replace) {
		ret = cluster_err("VPC %s already exists", id);
		goto out;
	}
	snprintf(ki, sizeof(ki), "index/vni/%u", vni);
	if (tx_read(t, ki, &owner) < 0)
		goto out;
	if (owner && strcmp(owner, id)) {
		ret = cluster_err("VNI %u is already used by VPC %s", vni, owner);
		goto out;
	}
	if (old) {
		if (links_of(t, id, &links))
			goto out;
		if (links && (!same_field(old, rec, "vpc-vni") ||
			      !same_field(old, rec, "vpc-cidr") ||
			      !same_field(old, rec, "vpc-region") ||
			      !same_field(old, rec, "vpc-account"))) {
			ret = cluster_err("VNI, CIDR, region and account are fixed while VPC %s has links",
				    id);
			goto out;
		}
		/* what other commands set survives a replace */
		if (json_object_object_get_ex(old, "vpc-secondary", &v))
			json_object_object_add(rec, "vpc-secondary", json_object_get(v));
		if (json_object_object_get_ex(old, "vpc-classiclink", &v))
			json_object_object_add(rec, "vpc-classiclink", json_object_get(v));
		if (json_object_object_get_ex(old, "vpc-max-links", &v))
			json_object_object_add(rec, "vpc-max-links", json_object_get(v));
		if (int_of(old, "vpc-vni", 0) != vni) {
			char oldk[64];

			snprintf(oldk, sizeof(oldk), "index/vni/%lld",
				 (long long)int_of(old, "vpc-vni", 0));
			if (tx_del(t, oldk, false))
				goto out;
		}
	} else {
		json_object_object_add(rec, "vpc-secondary", json_object_new_array());
		json_object_object_add(rec, "vpc-classiclink", json_object_new_int(0));
	}
	if (tx_put(t, k, rec))
		goto out;
	ret = tx_add(t->ops, etcd_op_put(etcd, ki, id));
out:
	free(owner);
	json_object_put(old);
	json_object_put(rec);
	return ret;
}

/* The link limit of a VPC record: its own, else config/dev's. */
static int64_t vpc_link_limit(struct json_object *vpc, struct json_object *dev)
{
	return int_of(vpc, "vpc-max-links", 0) ?:
	       int_of(dev, "dev-max-links-per-vpc", CLINK_DEFAULT_MAX_LINKS_PER_VPC);
}

/* vpc set ID [ classiclink on|off ] [ max-links N ], as the kernel checks them */
static int w_vpc_set(struct wtx *t, const struct req *r)
{
	const char *id = req_str(r, CLINK_A_VPC_ID);
	struct json_object *vpc = NULL, *dev = NULL;
	char k[256];
	size_t links;
	int ret;

	/* the etcd records have no reach prefix yet: never drop it silently */
	if (r->tb[CLINK_A_VPC_REACH])
		return cluster_err(NO_REACH);
	if (r->tb[CLINK_A_VPC_DSCP])
		return cluster_err(NO_DSCP);
	ret = need_vpc(t, id, &vpc);
	if (ret)
		return ret;
	ret = EXIT_RUNTIME;
	if (links_of(t, id, &links))
		goto out;
	if (r->tb[CLINK_A_VPC_CLASSICLINK]) {
		bool on = mnl_attr_get_u8(r->tb[CLINK_A_VPC_CLASSICLINK]);

		if (!on && links) {
			ret = cluster_err("VPC %s has %zu linked instances", id, links);
			goto out;
		}
		json_object_object_add(vpc, "vpc-classiclink", json_object_new_int(on));
	}
	if (r->tb[CLINK_A_VPC_MAX_LINKS]) {
		uint32_t max = mnl_attr_get_u32(r->tb[CLINK_A_VPC_MAX_LINKS]);
		int64_t limit;

		if (tx_record(t, "config/dev", &dev) < 0)
			goto out;
		json_object_object_add(vpc, "vpc-max-links", json_object_new_int64(max));
		limit = vpc_link_limit(vpc, dev);
		/* lowering a limit never unlinks anyone: refused, as in the kernel */
		if ((int64_t)links > limit) {
			ret = max ? cluster_err("VPC %s has %zu links, more than max-links %u",
						id, links, max) :
				    cluster_err("VPC %s has %zu links, more than the device's max-links-per-vpc %lld",
						id, links, (long long)limit);
			goto out;
		}
	}
	ret = tx_put(t, KEY(k, "config/vpc/%s", id), vpc);
out:
	json_object_put(vpc);
	json_object_put(dev);
	return ret;
}

/* vpc del: with its endpoints, routes and ACL rules, as in the kernel. */
static int w_vpc_del(struct wtx *t, const struct req *r)
{
	const char *id = req_str(r, CLINK_A_VPC_ID);
	struct json_object *vpc = NULL;
	char k[256];
	size_t links;
	int ret = need_vpc(t, id, &vpc);

	if (ret)
		return ret;
	ret = EXIT_RUNTIME;
	if (links_of(t, id, &links))
		goto out;
	if (links) {
		ret = cluster_err("VPC %s has %zu linked instances", id, links);
		goto out;
	}
	snprintf(k, sizeof(k), "index/vni/%lld", (long long)int_of(vpc, "vpc-vni", 0));
	if (tx_del(t, k, false) ||
	    tx_del(t, KEY(k, "config/vpc/%s", id), false) ||
	    tx_del(t, KEY(k, "config/endpoint/%s/", id), true) ||
	    tx_del(t, KEY(k, "config/route/%s/", id), true) ||
	    tx_del(t, KEY(k, "config/acl/%s/", id), true))
		goto out;
	ret = 0;
out:
	json_object_put(vpc);
	return ret;
}

/* vpc cidr add|del ID PREFIX: the record's vpc-secondary list. */
static int w_vpc_cidr(struct wtx *t, const struct req *r)
{
	const char *id = req_str(r, CLINK_A_VPC_ID);
	bool add_it = genl_cmd(r->nlh) == CLINK_CMD_NEW_CIDR;
	struct json_object *vpc = NULL, *list, *rest;
	char k[256], pb[PREFIX_STRLEN];
	struct prefix p;
	size_t i, n;
	int ret = need_vpc(t, id, &vpc), found = -1;

	if (ret)
		return ret;
	get_prefix(r->tb[CLINK_A_VPC_CIDR], &p);
	format_prefix(pb, &p);
	if (!json_object_object_get_ex(vpc, "vpc-secondary", &list) ||
	    !json_object_is_type(list, json_type_array)) {
		list = json_object_new_array();
		json_object_object_add(vpc, "vpc-secondary", list);
	}
	n = json_object_array_length(list);
	for (i = 0; i < n; i++)
		if (!strcmp(json_object_get_string(json_object_array_get_idx(list, i)), pb))
			found = (int)i;
	if (add_it && (found >= 0 || !strcmp(str_of(vpc, "vpc-cidr"), pb))) {
		ret = cluster_err("VPC %s already has CIDR %s", id, pb);
		goto out;
	}
	if (add_it && n >= CLINK_MAX_SECONDARY) {
		ret = cluster_err("VPC %s has reached its limit of %d secondary CIDRs",
			    id, CLINK_MAX_SECONDARY);
		goto out;
	}
	if (!add_it && !strcmp(str_of(vpc, "vpc-cidr"), pb)) {
		ret = cluster_err("the primary CIDR of a VPC cannot be removed");
		goto out;
	}
	if (!add_it && found < 0) {
		ret = cluster_err("VPC %s has no CIDR %s", id, pb);
		goto out;
	}
	if (add_it) {
		json_object_array_add(list, json_object_new_string(pb));
	} else {
		rest = json_object_new_array();
		for (i = 0; i < n; i++)
			if ((int)i != found)
				json_object_array_add(rest, json_object_get(
					json_object_array_get_idx(list, i)));
		json_object_object_add(vpc, "vpc-secondary", rest);
	}
	ret = tx_put(t, KEY(k, "config/vpc/%s", id), vpc);
out:
	json_object_put(vpc);
	return ret;
}

/*
 * Endpoints, routes and ACL rules: a record under its VPC, which must
 * exist. @what names one in errors ("endpoint 172.16.0.10").
 */
static int w_vpc_object(struct wtx *t, const struct req *r, enum rec_kind kind,
			const char *what, const char *exists_fmt,
			const char *missing_fmt)
{
	const struct rec_schema *s = rec_schema(kind);
	const char *vpc_id = req_str(r, CLINK_A_VPC_ID);
	struct json_object *rec = req_record(r, kind), *vpc = NULL, *old = NULL;
	char rel[512], k[600];
	int ret = EXIT_RUNTIME, have;

	if (!rec)
		return cluster_err("out of memory");
	if (need_vpc(t, vpc_id, &vpc) || rec_key(s, rec, rel, sizeof(rel)))
		goto out;
	snprintf(k, sizeof(k), "config/%s", rel);
	have = tx_record(t, k, &old);
	if (have < 0)
		goto out;
	if (genl_cmd(r->nlh) == s->new_cmd) {
		if (have && !r->replace) {
			ret = cluster_err(exists_fmt, what, vpc_id);
			goto out;
		}
		ret = tx_put(t, k, rec);
	} else {
		if (!have) {
			ret = cluster_err(missing_fmt, what, vpc_id);
			goto out;
		}
		ret = tx_del(t, k, false);
	}
out:
	json_object_put(rec);
	json_object_put(vpc);
	json_object_put(old);
	return ret;
}

static int w_endpoint(struct wtx *t, const struct req *r)
{
	char a[ADDR_STRLEN];

	format_addr(a, get_addr(r->tb[CLINK_A_EP_ADDR]));
	return w_vpc_object(t, r, REC_ENDPOINT, a, "endpoint %s already exists in VPC %s",
			    "no endpoint %s in VPC %s");
}

static int w_route(struct wtx *t, const struct req *r)
{
	char pb[PREFIX_STRLEN];
	struct prefix p;

	get_prefix(r->tb[CLINK_A_ROUTE_DST], &p);
	return w_vpc_object(t, r, REC_ROUTE, format_prefix(pb, &p),
			    "route %s already exists in VPC %s", "no route %s in VPC %s");
}

static int w_acl(struct wtx *t, const struct req *r)
{
	char prio[16];

	snprintf(prio, sizeof(prio), "%u", mnl_attr_get_u32(r->tb[CLINK_A_ACL_PRIO]));
	return w_vpc_object(t, r, REC_ACL, prio,
			    "an ACL rule of priority %s already exists in VPC %s",
			    "no ACL rule of priority %s in VPC %s");
}

/* instance add / replace / set: the record, its address's index entry. */
static int w_inst_new(struct wtx *t, const struct req *r)
{
	const char *id = req_str(r, CLINK_A_INST_ID);
	bool set = genl_cmd(r->nlh) == CLINK_CMD_SET_INSTANCE;
	struct json_object *rec = NULL, *old = NULL;
	char k[256], ki[64], a[ADDR_STRLEN], *owner = NULL;
	int ret = EXIT_RUNTIME, have;

	format_addr(a, get_addr(r->tb[CLINK_A_INST_ADDR]));
	have = tx_record(t, KEY(k, "config/instance/%s", id), &old);
	if (have < 0)
		goto out;
	if (have && !r->replace && !set) {
		ret = cluster_err("instance %s already exists", id);
		goto out;
	}
	if (!have && set) {
		ret = cluster_err("instance %s does not exist", id);
		goto out;
	}
	snprintf(ki, sizeof(ki), "index/addr/%s", a);
	if (tx_read(t, ki, &owner) < 0)
		goto out;
	if (owner && strcmp(owner, id)) {
		ret = cluster_err("address %s is already used by instance %s", a, owner);
		goto out;
	}
	if (set) {
		rec = json_object_get(old);
		json_object_object_add(rec, "inst-addr", json_object_new_string(a));
	} else {
		rec = req_record(r, REC_INSTANCE);
	}
	if (have && strcmp(str_of(old, "inst-addr"), a)) {
		char oldk[64];

		snprintf(oldk, sizeof(oldk), "index/addr/%s", str_of(old, "inst-addr"));
		if (tx_del(t, oldk, false))
			goto out;
	}
	if (!rec || tx_put(t, k, rec) ||
	    tx_add(t->ops, etcd_op_put(etcd, ki, id)))
		goto out;
	ret = 0;
out:
	free(owner);
	json_object_put(rec);
	json_object_put(old);
	return ret;
}

/* instance del: unlinks it first, as the kernel does. */
static int w_inst_del(struct wtx *t, const struct req *r)
{
	const char *id = req_str(r, CLINK_A_INST_ID);
	struct json_object *old = NULL, *link = NULL;
	char k[256];
	int ret = EXIT_RUNTIME, have;

	if (need(t, "instance", id, "instance %s does not exist", &old) ||
	    tx_del(t, KEY(k, "config/instance/%s", id), false))
		goto out;
	snprintf(k, sizeof(k), "index/addr/%s", str_of(old, "inst-addr"));
	if (tx_del(t, k, false))
		goto out;
	have = tx_record(t, KEY(k, "config/link/%s", id), &link);
	if (have < 0)
		goto out;
	if (have && (tx_del(t, k, false) ||
		     tx_del(t, KEY(k, "index/vpc-link/%s/%s", str_of(link, "vpc-id"), id),
			    false)))
		goto out;
	ret = 0;
out:
	json_object_put(old);
	json_object_put(link);
	return ret;
}

/*
 * link add: the instance and the VPC exist, ClassicLink is on, the
 * instance has no link anywhere in the cluster, and the VPC's links stay
 * within its vpc-max-links, or dev-max-links-per-vpc of config/dev.
 */
static int w_link_new(struct wtx *t, const struct req *r)
{
	const char *inst = req_str(r, CLINK_A_INST_ID);
	const char *vpc_id = req_str(r, CLINK_A_VPC_ID);
	struct json_object *ir = NULL, *vpc = NULL, *link = NULL, *dev = NULL;
	struct json_object *rec = NULL;
	char k[256];
	int64_t max;
	size_t links;
	int ret = EXIT_RUNTIME, have;

	if (r->tb[CLINK_A_LINK_DSCP])
		return cluster_err(NO_DSCP);
	if (need(t, "instance", inst, "instance %s does not exist", &ir) ||
	    need_vpc(t, vpc_id, &vpc))
		goto out;
	if (int_of(vpc, "vpc-classiclink", 0) != 1) {
		ret = cluster_err("ClassicLink is disabled on VPC %s", vpc_id);
		goto out;
	}
	have = tx_record(t, KEY(k, "config/link/%s", inst), &link);
	if (have < 0)
		goto out;
	/* a replace has nothing to change: a link record has no DSCP */
	if (have && r->replace && !strcmp(str_of(link, "vpc-id"), vpc_id)) {
		ret = 0;
		goto out;
	}
	if (have) {
		ret = cluster_err("instance %s is already linked to VPC %s", inst,
			    str_of(link, "vpc-id"));
		goto out;
	}
	if (tx_record(t, "config/dev", &dev) < 0 || links_of(t, vpc_id, &links))
		goto out;
	max = vpc_link_limit(vpc, dev);
	if ((int64_t)links >= max) {
		ret = cluster_err("VPC %s has reached its limit of %lld linked instances",
			    vpc_id, (long long)max);
		goto out;
	}
	rec = req_record(r, REC_LINK);
	if (!rec || tx_put(t, KEY(k, "config/link/%s", inst), rec) ||
	    tx_put(t, KEY(k, "index/vpc-link/%s/%s", vpc_id, inst), NULL))
		goto out;
	ret = 0;
out:
	json_object_put(ir);
	json_object_put(vpc);
	json_object_put(link);
	json_object_put(dev);
	json_object_put(rec);
	return ret;
}

static int w_link_del(struct wtx *t, const struct req *r)
{
	const char *inst = req_str(r, CLINK_A_INST_ID);
	const char *vpc_id = req_str(r, CLINK_A_VPC_ID);
	struct json_object *link = NULL;
	char k[256];
	int ret = EXIT_RUNTIME;

	if (need(t, "link", inst, "instance %s is not linked", &link))
		goto out;
	if (vpc_id && strcmp(vpc_id, str_of(link, "vpc-id"))) {
		ret = cluster_err("instance %s is linked to VPC %s, not %s", inst,
			    str_of(link, "vpc-id"), vpc_id);
		goto out;
	}
	if (tx_del(t, KEY(k, "config/link/%s", inst), false) ||
	    tx_del(t, KEY(k, "index/vpc-link/%s/%s", str_of(link, "vpc-id"), inst),
		   false))
		goto out;
	ret = 0;
out:
	json_object_put(link);
	return ret;
}

static int w_link_flush(struct wtx *t, const struct req *r)
{
	const char *vpc_id = req_str(r, CLINK_A_VPC_ID);
	struct json_object *vpc = NULL;
	struct etcd_kv *kvs = NULL;
	char k[256];
	size_t i, n = 0;
	int ret = need_vpc(t, vpc_id, &vpc);

	json_object_put(vpc);
	if (ret)
		return ret;
	if (tx_list(t, KEY(k, "index/vpc-link/%s/", vpc_id), &kvs, &n))
		return EXIT_RUNTIME;
	ret = tx_del(t, k, true);
	/* index/vpc-link/<vpc>/<inst>: the instance, escaped already */
	for (i = 0; i < n && !ret; i++) {
		snprintf(k, sizeof(k), "config/link/%s", strrchr(kvs[i].key, '/') + 1);
		ret = tx_del(t, k, false);
	}
	etcd_kvs_free(kvs, n);
	return ret;
}

/* IFLA_CLINK_* of dev set, as the CLINK_A_DEV_* fields of config/dev. */
static const uint16_t ifla_to_genl[IFLA_CLINK_MAX + 1] = {
	[IFLA_CLINK_LOCAL] = CLINK_A_DEV_LOCAL,
	[IFLA_CLINK_PORT] = CLINK_A_DEV_PORT,
	[IFLA_CLINK_REGION] = CLINK_A_DEV_REGION,
	[IFLA_CLINK_MAX_LINKS_PER_VPC] = CLINK_A_DEV_MAX_LINKS_PER_VPC,
	[IFLA_CLINK_MAX_VPCS] = CLINK_A_DEV_MAX_VPCS,
	[IFLA_CLINK_MAX_INSTANCES] = CLINK_A_DEV_MAX_INSTANCES,
	[IFLA_CLINK_MAX_LINKS] = CLINK_A_DEV_MAX_LINKS,
	[IFLA_CLINK_MAX_ENDPOINTS] = CLINK_A_DEV_MAX_ENDPOINTS,
	[IFLA_CLINK_CLASSIC_SPACE] = CLINK_A_DEV_CLASSIC_SPACE,
	[IFLA_CLINK_VPC_ELIGIBLE] = CLINK_A_DEV_VPC_ELIGIBLE,
	[IFLA_CLINK_VTEP_CHECK] = CLINK_A_DEV_VTEP_CHECK,
	[IFLA_CLINK_PROFILE] = CLINK_A_DEV_PROFILE,
};

/* The IFLA_INFO_DATA of an RTM_NEWLINK, as a clink message in @buf. */
static struct nlmsghdr *dev_msg(const struct nlmsghdr *rt, char *buf)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	const struct nlattr *a, *info, *data = NULL;

	mnl_nlmsg_put_extra_header(nlh, sizeof(struct genlmsghdr));
	mnl_attr_for_each(info, rt, sizeof(struct ifinfomsg)) {
		if (mnl_attr_get_type(info) != IFLA_LINKINFO)
			continue;
		mnl_attr_for_each_nested(a, info)
			if (mnl_attr_get_type(a) == IFLA_INFO_DATA)
				data = a;
	}
	if (!data)
		return nlh;
	mnl_attr_for_each_nested(a, data) {
		uint16_t type = mnl_attr_get_type(a);

		if (type <= IFLA_CLINK_MAX && ifla_to_genl[type])
			mnl_attr_put_check(nlh, 8192, ifla_to_genl[type],
					   mnl_attr_get_payload_len(a),
					   mnl_attr_get_payload(a));
	}
	return nlh;
}

/* dev set: the settings it names, merged into config/dev. */
static int w_dev_set(struct wtx *t, const struct req *r)
{
	static char buf[8192];
	struct nlmsghdr *msg = dev_msg(r->nlh, buf);
	struct json_object_iterator it, end;
	struct json_object *dev = NULL, *rec;
	const struct nlattr *a;
	int ret;

	/* the etcd records have no profile yet: never drop it silently */
	mnl_attr_for_each(a, msg, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == CLINK_A_DEV_PROFILE)
			return cluster_err("the profile of a device is not kept in etcd yet; set it on each gateway without -E");
	rec = rec_from_attrs(rec_schema(REC_DEV), msg);
	if (!rec)
		return cluster_err("out of memory");
	ret = tx_record(t, "config/dev", &dev);
	if (ret >= 0 && !dev)
		dev = json_object_new_object();
	if (ret >= 0 && dev) {
		it = json_object_iter_begin(rec);
		end = json_object_iter_end(rec);
		for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it))
			json_object_object_add(dev, json_object_iter_peek_name(&it),
					       json_object_get(json_object_iter_peek_value(&it)));
		ret = tx_put(t, "config/dev", dev);
	}
	json_object_put(dev);
	json_object_put(rec);
	return ret ? EXIT_RUNTIME : 0;
}

typedef int (*writer_fn)(struct wtx *t, const struct req *r);

/* Attempts @fn until its transaction commits or it fails. */
static int write_cmd(writer_fn fn, const struct req *r)
{
	int attempt, ret;
	bool ok = false;

	for (attempt = 0; attempt < ATTEMPTS && !ok; attempt++) {
		struct wtx t = {
			.cmp = json_object_new_array(),
			.ops = json_object_new_array(),
		};

		ret = t.cmp && t.ops ? fn(&t, r) : cluster_err("out of memory");
		if (!ret && etcd_txn(etcd, t.cmp, t.ops, &ok, NULL))
			ret = etcd_failed();
		json_object_put(t.cmp);
		json_object_put(t.ops);
		if (ret)
			return ret;
	}
	if (!ok)
		return cluster_err("etcd: the keys of this command kept changing (%d attempts); try again",
			     ATTEMPTS);
	return 0;
}

/*
 * A record as the reply a show command's callback expects, with what the
 * kernel adds: a route's type (only custom ones are records), a link's
 * instance address (from the instance's record).
 */
static int show_record(const struct rec_schema *s, struct json_object *rec,
		       nl_cb_t cb, void *data)
{
	static char buf[8192];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	struct json_object *inst;
	struct etcd_kv *kv;
	struct in_addr a;
	char err[256], k[256];
	size_t n;

	g->cmd = s->new_cmd;
	if (rec_to_attrs(s, rec, nlh, err, sizeof(err))) {
		cluster_err("a record in etcd: %s", err);
		return MNL_CB_ERROR;
	}
	if (s->kind == REC_ROUTE)
		nl_put_u8(nlh, CLINK_A_ROUTE_TYPE, CLINK_ROUTE_CUSTOM);
	if (s->kind == REC_LINK &&
	    !etcd_range(etcd, KEY(k, "config/instance/%s", str_of(rec, "inst-id")),
			false, 0, false, &kv, &n, NULL)) {
		inst = n ? json_tokener_parse(kv[0].value) : NULL;
		if (inst && !parse_addr(str_of(inst, "inst-addr"), &a))
			nl_put_addr(nlh, CLINK_A_INST_ADDR, a);
		json_object_put(inst);
		etcd_kvs_free(kv, n);
	}
	return cb(nlh, data);
}

/*
 * show: the records under a prefix (or one key), filtered by the VPC the
 * request names where the key does not hold it (links).
 */
static int show(const struct req *r, nl_cb_t cb, void *data)
{
	static const struct {
		uint8_t cmd;
		enum rec_kind kind;
	} gets[] = {
		{ CLINK_CMD_GET_DEV, REC_DEV },
		{ CLINK_CMD_GET_VPC, REC_VPC },
		{ CLINK_CMD_GET_ENDPOINT, REC_ENDPOINT },
		{ CLINK_CMD_GET_ROUTE, REC_ROUTE },
		{ CLINK_CMD_GET_ACL, REC_ACL },
		{ CLINK_CMD_GET_INSTANCE, REC_INSTANCE },
		{ CLINK_CMD_GET_LINK, REC_LINK },
	};
	const struct rec_schema *s = NULL;
	const char *vpc = req_str(r, CLINK_A_VPC_ID);
	const char *inst = req_str(r, CLINK_A_INST_ID);
	bool prefix = true;
	struct etcd_kv *kvs;
	char k[256], a[ADDR_STRLEN];
	size_t i, n;
	int ret = 0;

	for (i = 0; i < sizeof(gets) / sizeof(gets[0]); i++)
		if (gets[i].cmd == genl_cmd(r->nlh))
			s = rec_schema(gets[i].kind);
	if (!s)
		return cluster_err("this command is not supported with -E");
	if (s->kind == REC_DEV) {
		snprintf(k, sizeof(k), "config/dev");
		prefix = false;
	} else if (s->kind == REC_VPC && vpc) {
		KEY(k, "config/vpc/%s", vpc);
		prefix = false;
	} else if (s->kind == REC_INSTANCE && inst) {
		KEY(k, "config/instance/%s", inst);
		prefix = false;
	} else if (s->kind == REC_ENDPOINT && vpc && r->tb[CLINK_A_EP_ADDR]) {
		format_addr(a, get_addr(r->tb[CLINK_A_EP_ADDR]));
		KEY(k, "config/endpoint/%s/%s", vpc, a);
		prefix = false;
	} else if (s->kind != REC_LINK && vpc) {
		/* the kind's name is no ID, but escapes to itself */
		KEY(k, "config/%s/%s/", s->name, vpc);
	} else {
		snprintf(k, sizeof(k), "config/%s/", s->name);
	}
	if (etcd_range(etcd, k, prefix, 0, false, &kvs, &n, NULL))
		return etcd_failed();
	if (!prefix && !n) {
		etcd_kvs_free(kvs, n);
		return cluster_err("%s does not exist in the cluster", k);
	}
	for (i = 0; i < n && !ret; i++) {
		struct json_object *rec = json_tokener_parse(kvs[i].value);

		if (!json_object_is_type(rec, json_type_object))
			ret = cluster_err("the record at %s is not a JSON object", kvs[i].key);
		else if (s->kind == REC_LINK && vpc && strcmp(str_of(rec, "vpc-id"), vpc))
			;
		else if (cb && show_record(s, rec, cb, data) != MNL_CB_OK)
			ret = EXIT_RUNTIME;
		json_object_put(rec);
	}
	etcd_kvs_free(kvs, n);
	return ret;
}

/* nl_divert: a request of a parsed command, to etcd instead of the kernel. */
static int to_etcd(struct nlmsghdr *nlh, nl_cb_t cb, void *data)
{
	static char copy[8192];
	struct req r = { .nlh = (const struct nlmsghdr *)copy };

	/* request builders reuse the request buffer: work on a copy */
	memcpy(copy, nlh, nlh->nlmsg_len);
	if (nlh->nlmsg_type == RTM_NEWLINK) {
		if (nlh->nlmsg_flags & NLM_F_CREATE)
			return cluster_err("dev add is not supported with -E: the cluster's device settings are \"dev set NAME ...\"");
		return write_cmd(w_dev_set, &r);
	}
	if (nlh->nlmsg_type != NL_GENL_DIVERTED)
		return cluster_err("this command is not supported with -E");
	genl_parse(r.nlh, r.tb);
	r.replace = r.tb[CLINK_A_REPLACE];
	switch (genl_cmd(r.nlh)) {
	case CLINK_CMD_NEW_VPC:
		return write_cmd(w_vpc_new, &r);
	case CLINK_CMD_SET_VPC:
		return write_cmd(w_vpc_set, &r);
	case CLINK_CMD_DEL_VPC:
		return write_cmd(w_vpc_del, &r);
	case CLINK_CMD_NEW_CIDR:
	case CLINK_CMD_DEL_CIDR:
		return write_cmd(w_vpc_cidr, &r);
	case CLINK_CMD_NEW_ENDPOINT:
	case CLINK_CMD_DEL_ENDPOINT:
		return write_cmd(w_endpoint, &r);
	case CLINK_CMD_NEW_ROUTE:
	case CLINK_CMD_DEL_ROUTE:
		return write_cmd(w_route, &r);
	case CLINK_CMD_NEW_ACL:
	case CLINK_CMD_DEL_ACL:
		return write_cmd(w_acl, &r);
	case CLINK_CMD_NEW_INSTANCE:
	case CLINK_CMD_SET_INSTANCE:
		return write_cmd(w_inst_new, &r);
	case CLINK_CMD_DEL_INSTANCE:
		return write_cmd(w_inst_del, &r);
	case CLINK_CMD_NEW_LINK:
		return write_cmd(w_link_new, &r);
	case CLINK_CMD_DEL_LINK:
		return write_cmd(w_link_del, &r);
	case CLINK_CMD_FLUSH_LINKS:
		return write_cmd(w_link_flush, &r);
	default:
		return show(&r, cb, data);
	}
}

int cluster_open(const char *urls, const char *cluster)
{
	etcd = etcd_open(urls, cluster);
	if (!etcd)
		return cluster_err("cannot use etcd at \"%s\" for cluster \"%s\"", urls, cluster);
	nl_divert = to_etcd;
	return 0;
}

bool cluster_mode(void)
{
	return etcd != NULL;
}
struct etcd *cluster_etcd(void)
{
	return etcd;
}
