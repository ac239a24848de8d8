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
#include <linux/rtnetlink.h>

#include "kernel.h"
#include "log.h"
#include "../lib/utils.h"

#define RTPROT_CLINK	252
/* every reply within it, or the request fails and the sync is retried */
#define NL_TIMEOUT_S	5

static const char *dev_name;

int kernel_open(const char *dev)
{
	dev_name = dev;
	nl_quiet = true;
	nl_warn_interrupted = false;
	nl_timeout = NL_TIMEOUT_S;
	/* looks the family up, once for the process */
	return genl_msg(CLINK_CMD_GET_DEV, 0, dev) ? 0 : -1;
}

void kernel_close(void)
{
	nl_close();
}

struct nlmsghdr *kernel_req(uint8_t cmd, uint16_t flags)
{
	return genl_batch_msg(cmd, flags, dev_name);
}

/* 0, or a negative errno with the kernel's words in @err. */
static int nl_result(int failed, char *err, size_t errlen)
{
	int e = nl_error.err ? nl_error.err : EIO;

	if (!failed)
		return 0;
	snprintf(err, errlen, "%s", nl_error.msg[0] ? nl_error.msg : strerror(e));
	return -e;
}

void kernel_init(struct kernel *k, struct config *cmp, struct sync_result *res)
{
	int kind;

	for (kind = 0; kind < REC_KINDS; kind++)
		k->rec[kind] = json_object_new_object();
	k->n_custom = json_object_new_object();
	k->n_acls = json_object_new_object();
	k->cmp = cmp;
	k->res = res;
}

void kernel_free(struct kernel *k)
{
	int kind;

	for (kind = 0; kind < REC_KINDS; kind++)
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
	record_key(kind, rec, key, sizeof(key));
	if (k->cmp && json_object_object_get_ex(k->cmp->rec[kind], key, &want) &&
	    !strcmp(json_object_get_string(want),
		    json_object_to_json_string_ext(rec, JSON_C_TO_STRING_PLAIN))) {
		json_object_put(rec);
		rec = NULL;
	}
	json_object_object_add(k->rec[kind], key, rec);
}

static int dev_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct kernel *k = arg;
	struct sync_result *res = k->res;
	struct in_addr a;
	clink_tb_t tb;

	genl_parse(nlh, tb);
	/* kept whole: SET_DEV sends the fields that differ */
	json_object_object_add(k->rec[REC_DEV], "dev",
			       record_from_kernel(REC_DEV, nlh));
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
	return MNL_CB_OK;
}

static int vpc_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct kernel *k = arg;
	struct json_object *rec;
	char key[KEY_MAX];
	clink_tb_t tb;
	int64_t custom;

	genl_parse(nlh, tb);
	rec = record_from_kernel(REC_VPC, nlh);
	if (!rec)
		return MNL_CB_OK;
	record_key(REC_VPC, rec, key, sizeof(key));
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
	return MNL_CB_OK;
}

static int endpoint_cb(const struct nlmsghdr *nlh, void *arg)
{
	add_rec(arg, REC_ENDPOINT, record_from_kernel(REC_ENDPOINT, nlh));
	return MNL_CB_OK;
}

static int route_cb(const struct nlmsghdr *nlh, void *arg)
{
	clink_tb_t tb;

	genl_parse(nlh, tb);
	if (tb[CLINK_A_ROUTE_TYPE] &&
	    mnl_attr_get_u8(tb[CLINK_A_ROUTE_TYPE]) == CLINK_ROUTE_CUSTOM)
		add_rec(arg, REC_ROUTE, record_from_kernel(REC_ROUTE, nlh));
	return MNL_CB_OK;
}

static int acl_cb(const struct nlmsghdr *nlh, void *arg)
{
	add_rec(arg, REC_ACL, record_from_kernel(REC_ACL, nlh));
	return MNL_CB_OK;
}

/* An instance, and its link when it has one. */
static int instance_cb(const struct nlmsghdr *nlh, void *arg)
{
	clink_tb_t tb;

	genl_parse(nlh, tb);
	add_rec(arg, REC_INSTANCE, record_from_kernel(REC_INSTANCE, nlh));
	if (tb[CLINK_A_VPC_ID])
		add_rec(arg, REC_LINK, record_from_kernel(REC_LINK, nlh));
	return MNL_CB_OK;
}

static int link_cb(const struct nlmsghdr *nlh, void *arg)
{
	add_rec(arg, REC_LINK, record_from_kernel(REC_LINK, nlh));
	return MNL_CB_OK;
}

/*
 * A dump, or a GET of one object (@id naming it in @attr, @addr an
 * endpoint's address): a missing object or VPC is no error.
 */
static int get(uint8_t cmd, uint16_t flags, uint16_t attr, const char *id,
	       const char *addr, nl_cb_t cb, struct kernel *k)
{
	struct nlmsghdr *nlh = genl_msg(cmd, flags, dev_name);
	unsigned int intr = nl_dumps_interrupted;
	struct in_addr a;
	char err[256];
	int ret;

	if (id)
		nl_put_strz(nlh, attr, id);
	if (addr) {
		if (inet_pton(AF_INET, addr, &a) != 1)
			return 0;
		nl_put_addr(nlh, CLINK_A_EP_ADDR, a);
	}
	ret = nl_result(genl_talk(nlh, cb, k), err, sizeof(err));
	if (!ret && nl_dumps_interrupted != intr) {
		snprintf(err, sizeof(err), "dump interrupted by a concurrent change");
		ret = -EINTR;
	}
	if (ret == -ENOENT && id)
		return 0;
	if (ret)
		log_err("reading the kernel (command %u%s%s) failed: %s", cmd,
			id ? ", " : "", id ? id : "", err);
	return ret;
}

static int dump(uint8_t cmd, nl_cb_t cb, struct kernel *k)
{
	return get(cmd, cmd == CLINK_CMD_GET_DEV ? 0 : NLM_F_DUMP, 0, NULL,
		   NULL, cb, k);
}

static int dump_vpc(uint8_t cmd, const char *vpc, nl_cb_t cb,
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
		if (!record_key_part(key, 1, id, sizeof(id)))
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
		if (record_key_part(key, 1, id, sizeof(id)))
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
		if (record_key_part(key, 1, id, sizeof(id)))
			continue;
		switch (record_kind_of(key)) {
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
		int kind = record_kind_of(key2);

		(void)v2;
		if (ret || record_key_part(key2, 1, id, sizeof(id)))
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
			if (!record_key_part(key2, 2, addr, sizeof(addr)))
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

struct routes {
	int ifindex;
	struct json_object *have;	/* CIDR -> NULL */
};

static int host_route_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	struct prefix p = { .len = rtm->rtm_dst_len };
	struct routes *r = arg;
	char buf[PREFIX_STRLEN];
	struct nlattr *a;
	int oif = 0;

	if (nlh->nlmsg_type != RTM_NEWROUTE || rtm->rtm_family != AF_INET ||
	    rtm->rtm_protocol != RTPROT_CLINK || rtm->rtm_table != RT_TABLE_MAIN)
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, sizeof(*rtm)) {
		if (mnl_attr_get_type(a) == RTA_DST &&
		    mnl_attr_get_payload_len(a) == 4)
			p.addr = get_addr(a);
		else if (mnl_attr_get_type(a) == RTA_OIF &&
			 mnl_attr_validate(a, MNL_TYPE_U32) == 0)
			oif = (int)mnl_attr_get_u32(a);
	}
	if (oif == r->ifindex)
		json_object_object_add(r->have, format_prefix(buf, &p), NULL);
	return MNL_CB_OK;
}

static int route_dump(struct routes *r, char *err, size_t errlen)
{
	struct nlmsghdr *nlh = rtnl_msg(RTM_GETROUTE, NLM_F_DUMP);

	return nl_result(!nlh || rtnl_talk(nlh, host_route_cb, r), err, errlen);
}

static int route_change(bool add, int ifindex, const struct prefix *p,
			char *err, size_t errlen)
{
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;

	nlh = rtnl_msg(add ? RTM_NEWROUTE : RTM_DELROUTE,
		       add ? NLM_F_CREATE | NLM_F_REPLACE : 0);
	if (!nlh)
		return nl_result(1, err, errlen);
	rtm = mnl_nlmsg_get_payload(nlh);
	rtm->rtm_dst_len = p->len;
	rtm->rtm_protocol = RTPROT_CLINK;
	rtm->rtm_scope = RT_SCOPE_LINK;
	rtm->rtm_type = RTN_UNICAST;
	nl_put_addr(nlh, RTA_DST, p->addr);
	nl_put_u32(nlh, RTA_OIF, (uint32_t)ifindex);
	return nl_result(rtnl_talk(nlh, NULL, NULL), err, errlen);
}

static void change_route(struct sync_result *res, bool add, const char *cidr,
			 const char *key)
{
	struct prefix p;
	char err[256];

	if (parse_prefix(cidr, &p))
		return;
	if (route_change(add, res->ifindex, &p, err, sizeof(err))) {
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
	struct routes r = { .ifindex = res->ifindex, .have = have };
	char err[256];
	struct kernel k;
	int ret;

	kernel_init(&k, NULL, res);
	ret = dump(CLINK_CMD_GET_DEV, dev_cb, &k);
	if (!ret)
		ret = dump(CLINK_CMD_GET_VPC, vpc_cb, &k);
	if (!ret) {
		ret = route_dump(&r, err, sizeof(err));
		if (ret)
			log_err("reading routes proto clink failed: %s", err);
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
			change_route(res, false, hcidr, NULL);
	}
	json_object_object_foreach(want, wcidr, wkey) {
		if (!json_object_object_get_ex(have, wcidr, NULL))
			change_route(res, true, wcidr, json_object_get_string(wkey));
	}
out:
	kernel_free(&k);
	json_object_put(have);
	json_object_put(want);
	return ret;
}
