// SPDX-License-Identifier: GPL-2.0
/*
 * VPCs: creation, ClassicLink eligibility, secondary CIDRs, deletion.
 */

#include <linux/slab.h>

#include "acl.h"
#include "endpoint.h"
#include "instance.h"
#include "netlink.h"
#include "route.h"
#include "vpc.h"

static const struct rhashtable_params id_params = {
	.head_offset		= offsetof(struct clink_vpc, id_node),
	.key_offset		= offsetof(struct clink_vpc, id),
	.key_len		= CLINK_ID_MAXLEN,
	.automatic_shrinking	= true,
};

static const struct rhashtable_params vni_params = {
	.head_offset		= offsetof(struct clink_vpc, vni_node),
	.key_offset		= offsetof(struct clink_vpc, vni),
	.key_len		= sizeof(u32),
	.automatic_shrinking	= true,
};

struct clink_vpc *clink_vpc_find_vni(struct clink_dev *cd, u32 vni)
{
	return rhashtable_lookup(&cd->vpcs_by_vni, &vni, vni_params);
}

/*
 * The datapath reads the primary CIDR and the reach prefix from the route
 * table, published whole by RCU with every change of them: vpc->cidr and
 * vpc->reach are the writers' copies.
 */
enum clink_drop_reason clink_vpc_check_source(struct clink_vpc *vpc,
					      __be32 saddr)
{
	const struct clink_route_table *t = rcu_dereference(vpc->routes);

	if (!t || !clink_prefix_contains(&t->primary, saddr))
		return CLINK_DROP_SPOOFED_SOURCE;
	if (!clink_prefix_contains(&t->reach, saddr))
		return CLINK_DROP_OUTSIDE_REACH;
	return 0;
}

static bool in_secondary(const struct clink_vpc *vpc, __be32 addr)
{
	u8 i;

	for (i = 0; i < vpc->n_secondary; i++)
		if (clink_prefix_contains(&vpc->secondary[i], addr))
			return true;
	return false;
}

bool clink_vpc_has_addr(const struct clink_vpc *vpc, __be32 addr)
{
	return clink_prefix_contains(&vpc->cidr, addr) ||
	       in_secondary(vpc, addr);
}

struct clink_vpc *clink_vpc_find(struct clink_dev *cd, const char *id)
{
	char key[CLINK_ID_MAXLEN] = {};

	strscpy(key, id, sizeof(key));
	return rhashtable_lookup_fast(&cd->vpcs_by_id, key, id_params);
}

struct clink_vpc *clink_vpc_lookup(struct clink_dev *cd, struct nlattr *attr,
				   struct netlink_ext_ack *extack)
{
	struct clink_vpc *vpc;

	if (!attr) {
		NL_SET_ERR_MSG(extack, "missing VPC id");
		return ERR_PTR(-EINVAL);
	}
	vpc = clink_vpc_find(cd, nla_data(attr));
	if (!vpc) {
		clink_err(extack, attr, "VPC %s does not exist",
			  (char *)nla_data(attr));
		return ERR_PTR(-ENOENT);
	}
	return vpc;
}

static int vpc_fill(struct sk_buff *skb, struct clink_dev *cd, const void *obj)
{
	const struct clink_vpc *vpc = obj;

	if (nla_put_string(skb, CLINK_A_VPC_ID, vpc->id) ||
	    nla_put_u32(skb, CLINK_A_VPC_VNI, vpc->vni) ||
	    clink_prefix_put(skb, CLINK_A_VPC_CIDR, &vpc->cidr) ||
	    clink_prefix_array_put(skb, CLINK_A_VPC_SECONDARY, vpc->secondary,
				   vpc->n_secondary) ||
	    nla_put_string(skb, CLINK_A_VPC_REGION, vpc->region) ||
	    nla_put_string(skb, CLINK_A_VPC_ACCOUNT, vpc->account) ||
	    nla_put_u8(skb, CLINK_A_VPC_CLASSICLINK, vpc->classiclink) ||
	    nla_put_u32(skb, CLINK_A_VPC_MAX_LINKS, vpc->max_links) ||
	    (vpc->reach.len &&
	     clink_prefix_put(skb, CLINK_A_VPC_REACH, &vpc->reach)) ||
	    (vpc->dscp != CLINK_DSCP_INHERIT &&
	     nla_put_u8(skb, CLINK_A_VPC_DSCP, vpc->dscp)) ||
	    nla_put_u32(skb, CLINK_A_VPC_N_LINKS, vpc->n_links) ||
	    nla_put_u32(skb, CLINK_A_VPC_N_ENDPOINTS, vpc->n_endpoints) ||
	    nla_put_u32(skb, CLINK_A_VPC_N_ROUTES,
			clink_route_count((struct clink_vpc *)vpc)) ||
	    nla_put_u32(skb, CLINK_A_VPC_N_ACLS, vpc->n_acls) ||
	    clink_nl_put_traffic(skb, CLINK_A_STATS, vpc->traffic))
		return -EMSGSIZE;
	return 0;
}

/*
 * Rule 1: may @vpc, with @cidr, @reach (len 0: none) and @region, have
 * ClassicLink enabled? Only the part of the VPC that linked instances
 * reach must keep clear of the classic space: the reach prefix when set.
 */
static int check_classiclink(struct clink_dev *cd, struct clink_vpc *vpc,
			     const struct clink_prefix *cidr,
			     const struct clink_prefix *reach,
			     const char *region, const struct nlattr *attr,
			     struct netlink_ext_ack *extack)
{
	const struct clink_prefix_list *cs = clink_deref(cd, cd->classic_space);
	const struct clink_prefix_list *el = clink_deref(cd, cd->vpc_eligible);
	const struct clink_route_table *t = clink_deref(cd, vpc->routes);
	const char *what = reach->len ? "reach" : "VPC CIDR";
	const struct clink_prefix *p;
	u32 i;

	if (reach->len)
		cidr = reach;
	p = clink_prefix_list_find_overlap(cs, cidr);
	if (p) {
		clink_err(extack, attr, "%s %pI4/%u overlaps the classic space %pI4/%u",
			  what, &cidr->addr, cidr->len, &p->addr, p->len);
		return -EINVAL;
	}
	if (el && el->n && !clink_prefix_list_covers(el, cidr)) {
		clink_err(extack, attr, "%s %pI4/%u lies outside the vpc-eligible prefixes",
			  what, &cidr->addr, cidr->len);
		return -EINVAL;
	}
	for (i = 0; i < vpc->n_secondary; i++) {
		p = clink_prefix_list_find_overlap(cs, &vpc->secondary[i]);
		if (p) {
			clink_err(extack, attr, "secondary CIDR %pI4/%u overlaps the classic space %pI4/%u",
				  &vpc->secondary[i].addr, vpc->secondary[i].len,
				  &p->addr, p->len);
			return -EINVAL;
		}
	}
	for (i = 0; t && i < t->n; i++) {
		if (t->r[i].type != CLINK_ROUTE_CUSTOM)
			continue;
		p = clink_prefix_list_find_overlap(cs, &t->r[i].dst);
		if (p) {
			clink_err(extack, attr, "custom route %pI4/%u overlaps the classic space %pI4/%u",
				  &t->r[i].dst.addr, t->r[i].dst.len,
				  &p->addr, p->len);
			return -EINVAL;
		}
	}
	if (strcmp(region, cd->region)) {
		clink_err(extack, attr, "VPC region %s differs from the gateway's region %s",
			  region, cd->region);
		return -EXDEV;
	}
	return 0;
}

/* May @cidr become a CIDR of @vpc next to the others (except @self)? */
static int check_cidr(struct clink_vpc *vpc, const struct clink_prefix *cidr,
		      const struct clink_prefix *self, const struct nlattr *attr,
		      struct netlink_ext_ack *extack)
{
	const struct clink_route *r;
	const struct clink_prefix *p;
	u8 i;

	for (i = 0; i <= vpc->n_secondary; i++) {
		p = i ? &vpc->secondary[i - 1] : &vpc->cidr;
		if (p == self || !clink_prefix_overlaps(p, cidr))
			continue;
		clink_err(extack, attr, "CIDR %pI4/%u overlaps %pI4/%u of VPC %s",
			  &cidr->addr, cidr->len, &p->addr, p->len, vpc->id);
		return -EINVAL;
	}
	r = clink_route_find(vpc, cidr);
	if (r && r->type == CLINK_ROUTE_CUSTOM) {
		clink_err(extack, attr, "VPC %s has a custom route to %pI4/%u",
			  vpc->id, &cidr->addr, cidr->len);
		return -EINVAL;
	}
	return 0;
}

/*
 * May @vpc's limit of links become @max (0: the device's)? Lowering a
 * limit never unlinks anyone, as with the device's limits.
 */
static int check_max_links(struct clink_vpc *vpc, u32 max,
			   const struct nlattr *attr,
			   struct netlink_ext_ack *extack)
{
	u32 limit = max ?: vpc->cd->max_links_per_vpc;

	if (vpc->n_links <= limit)
		return 0;
	if (max)
		clink_err(extack, attr, "VPC %s has %u links, more than max-links %u",
			  vpc->id, vpc->n_links, max);
	else
		clink_err(extack, attr, "VPC %s has %u links, more than the device's max-links-per-vpc %u",
			  vpc->id, vpc->n_links, limit);
	return -EBUSY;
}

/*
 * The reach prefix in @attr, which must lie inside @cidr; 0.0.0.0/0 means
 * none (len 0).
 */
static int parse_reach(const struct nlattr *attr,
		       const struct clink_prefix *cidr,
		       struct clink_prefix *reach,
		       struct netlink_ext_ack *extack)
{
	int ret = clink_prefix_parse(attr, reach, extack);

	if (ret)
		return ret;
	if (reach->len && !clink_prefix_within(reach, cidr)) {
		clink_err(extack, attr, "reach %pI4/%u lies outside the primary CIDR %pI4/%u",
			  &reach->addr, reach->len, &cidr->addr, cidr->len);
		return -EINVAL;
	}
	return 0;
}

static int replace_vpc(struct clink_dev *cd, struct clink_vpc *vpc,
		       const struct clink_vpc *new, struct genl_info *info)
{
	struct nlattr *cidr_attr = info->attrs[CLINK_A_VPC_CIDR];
	bool cidr_changed = !clink_prefix_equal(&new->cidr, &vpc->cidr);
	bool rebuild = cidr_changed ||
		       !clink_prefix_equal(&new->reach, &vpc->reach);
	struct clink_prefix old_cidr = vpc->cidr, old_reach = vpc->reach;
	struct clink_endpoint *ep;
	u32 old_vni = vpc->vni;
	int ret;

	if (vpc->n_links &&
	    (new->vni != vpc->vni || cidr_changed ||
	     strcmp(new->region, vpc->region) ||
	     strcmp(new->account, vpc->account))) {
		clink_err(info->extack, NULL,
			  "VNI, CIDR, region and account are fixed while VPC %s has links",
			  vpc->id);
		return -EBUSY;
	}
	ret = check_max_links(vpc, new->max_links,
			      info->attrs[CLINK_A_VPC_MAX_LINKS], info->extack);
	if (ret)
		return ret;
	if (cidr_changed) {
		ret = check_cidr(vpc, &new->cidr, &vpc->cidr, cidr_attr,
				 info->extack);
		if (ret)
			return ret;
		list_for_each_entry(ep, &vpc->endpoints, vpc_node) {
			if (clink_prefix_contains(&new->cidr, ep->key.addr) ||
			    in_secondary(vpc, ep->key.addr))
				continue;
			clink_err(info->extack, cidr_attr,
				  "endpoint %pI4 of VPC %s lies outside %pI4/%u",
				  &ep->key.addr, vpc->id, &new->cidr.addr,
				  new->cidr.len);
			return -EBUSY;
		}
	}
	if (vpc->classiclink) {
		ret = check_classiclink(cd, vpc, &new->cidr, &new->reach,
					new->region, cidr_attr, info->extack);
		if (ret)
			return ret;
	}
	if (rebuild) {
		vpc->cidr = new->cidr;
		vpc->reach = new->reach;
		ret = clink_route_rebuild(vpc, NULL, NULL);
		if (ret)
			goto err_restore_cidr;
	}
	if (new->vni != old_vni) {
		rhashtable_remove_fast(&cd->vpcs_by_vni, &vpc->vni_node,
				       vni_params);
		WRITE_ONCE(vpc->vni, new->vni);
		ret = rhashtable_insert_fast(&cd->vpcs_by_vni, &vpc->vni_node,
					     vni_params);
		if (ret)
			goto err_restore_vni;
	}
	strscpy_pad(vpc->region, new->region, sizeof(vpc->region));
	strscpy_pad(vpc->account, new->account, sizeof(vpc->account));
	vpc->max_links = new->max_links;
	WRITE_ONCE(vpc->dscp, new->dscp);
	clink_dev_changed(cd);
	clink_nl_notify(cd, CLINK_CMD_NEW_VPC, vpc_fill, vpc,
			CLINK_EVENT_CHANGED);
	return 0;

err_restore_vni:
	WRITE_ONCE(vpc->vni, old_vni);
	WARN_ON(rhashtable_insert_fast(&cd->vpcs_by_vni, &vpc->vni_node,
				       vni_params));
err_restore_cidr:
	if (rebuild) {
		vpc->cidr = old_cidr;
		vpc->reach = old_reach;
		clink_route_rebuild(vpc, NULL, NULL);
	}
	return ret;
}

int clink_nl_new_vpc(struct sk_buff *skb, struct genl_info *info)
{
	struct clink_dev *cd = clink_nl_dev(info);
	struct nlattr **attrs = info->attrs;
	struct clink_vpc *vpc, *other, *new;
	int ret;

	new = kzalloc(sizeof(*new), CLINK_GFP);
	if (!new)
		return -ENOMEM;
	ret = clink_nl_get_id(info, CLINK_A_VPC_ID, new->id);
	if (ret)
		goto err_free;
	ret = -EINVAL;
	if (!clink_nl_require(info, CLINK_A_VPC_VNI) ||
	    !clink_nl_require(info, CLINK_A_VPC_CIDR))
		goto err_free;
	new->vni = nla_get_u32(attrs[CLINK_A_VPC_VNI]);
	ret = clink_prefix_parse(attrs[CLINK_A_VPC_CIDR], &new->cidr,
				 info->extack);
	if (ret)
		goto err_free;
	clink_nl_get_str(attrs[CLINK_A_VPC_REGION], new->region, cd->region);
	clink_nl_get_str(attrs[CLINK_A_VPC_ACCOUNT], new->account, "");
	if (attrs[CLINK_A_VPC_MAX_LINKS])
		new->max_links = nla_get_u32(attrs[CLINK_A_VPC_MAX_LINKS]);
	ret = clink_nl_get_dscp(attrs[CLINK_A_VPC_DSCP], CLINK_DSCP_INHERIT,
				&new->dscp, info->extack);
	if (ret)
		goto err_free;
	if (attrs[CLINK_A_VPC_REACH]) {
		ret = parse_reach(attrs[CLINK_A_VPC_REACH], &new->cidr,
				  &new->reach, info->extack);
		if (ret)
			goto err_free;
	}

	vpc = clink_vpc_find(cd, new->id);
	if (vpc && !clink_nl_replace(info)) {
		clink_err(info->extack, attrs[CLINK_A_VPC_ID],
			  "VPC %s already exists", vpc->id);
		ret = -EEXIST;
		goto err_free;
	}
	other = rhashtable_lookup_fast(&cd->vpcs_by_vni, &new->vni, vni_params);
	if (other && other != vpc) {
		clink_err(info->extack, attrs[CLINK_A_VPC_VNI],
			  "VNI %u is already used by VPC %s", new->vni, other->id);
		ret = -EADDRINUSE;
		goto err_free;
	}
	if (vpc) {
		ret = replace_vpc(cd, vpc, new, info);
		kfree(new);
		return ret;
	}
	if (cd->n_vpcs >= cd->max_vpcs) {
		clink_err(info->extack, attrs[CLINK_A_VPC_ID],
			  "the gateway has reached its limit of %u VPCs (max-vpcs)",
			  cd->max_vpcs);
		ret = -ENOSPC;
		goto err_free;
	}

	vpc = new;
	vpc->cd = cd;
	INIT_LIST_HEAD(&vpc->links);
	INIT_LIST_HEAD(&vpc->endpoints);
	ret = -ENOMEM;
	vpc->traffic = alloc_percpu_gfp(struct clink_traffic, CLINK_GFP);
	if (!vpc->traffic)
		goto err_free;
	ret = clink_route_rebuild(vpc, NULL, NULL);
	if (ret)
		goto err_free_traffic;
	ret = xa_alloc_cyclic(&cd->vpcs, &vpc->index, vpc, xa_limit_32b,
			      &cd->vpc_next, CLINK_GFP);
	if (ret < 0)
		goto err_free_routes;
	ret = rhashtable_insert_fast(&cd->vpcs_by_id, &vpc->id_node, id_params);
	if (ret)
		goto err_erase;
	ret = rhashtable_insert_fast(&cd->vpcs_by_vni, &vpc->vni_node,
				     vni_params);
	if (ret)
		goto err_remove_id;
	cd->n_vpcs++;
	clink_dev_changed(cd);
	clink_nl_notify(cd, CLINK_CMD_NEW_VPC, vpc_fill, vpc, CLINK_EVENT_ADDED);
	return 0;

err_remove_id:
	rhashtable_remove_fast(&cd->vpcs_by_id, &vpc->id_node, id_params);
err_erase:
	xa_erase(&cd->vpcs, vpc->index);
err_free_routes:
	kfree(rcu_access_pointer(vpc->routes));
err_free_traffic:
	free_percpu(vpc->traffic);
err_free:
	kfree(new);
	return ret;
}

int clink_nl_set_vpc(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *cl_attr = info->attrs[CLINK_A_VPC_CLASSICLINK];
	struct nlattr *max_attr = info->attrs[CLINK_A_VPC_MAX_LINKS];
	struct nlattr *reach_attr = info->attrs[CLINK_A_VPC_REACH];
	struct nlattr *dscp_attr = info->attrs[CLINK_A_VPC_DSCP];
	struct clink_dev *cd = clink_nl_dev(info);
	struct clink_prefix reach, old_reach;
	bool on, reach_changed;
	struct clink_vpc *vpc;
	u8 dscp;
	u32 max;
	int ret;

	vpc = clink_vpc_lookup(cd, info->attrs[CLINK_A_VPC_ID], info->extack);
	if (IS_ERR(vpc))
		return PTR_ERR(vpc);
	if (!max_attr && !reach_attr && !dscp_attr &&
	    !clink_nl_require(info, CLINK_A_VPC_CLASSICLINK))
		return -EINVAL;
	on = cl_attr ? nla_get_u8(cl_attr) : vpc->classiclink;
	max = max_attr ? nla_get_u32(max_attr) : vpc->max_links;
	ret = clink_nl_get_dscp(dscp_attr, vpc->dscp, &dscp, info->extack);
	if (ret)
		return ret;
	reach = vpc->reach;
	if (reach_attr) {
		ret = parse_reach(reach_attr, &vpc->cidr, &reach, info->extack);
		if (ret)
			return ret;
	}
	reach_changed = !clink_prefix_equal(&reach, &vpc->reach);
	if (on == vpc->classiclink && max == vpc->max_links &&
	    dscp == vpc->dscp && !reach_changed)
		return 0;
	if (on && (!vpc->classiclink || reach_changed)) {
		ret = check_classiclink(cd, vpc, &vpc->cidr, &reach, vpc->region,
					reach_changed ? reach_attr : cl_attr,
					info->extack);
		if (ret)
			return ret;
	} else if (!on && vpc->classiclink && vpc->n_links) {
		clink_err(info->extack, cl_attr,
			  "VPC %s has %u linked instances", vpc->id,
			  vpc->n_links);
		return -EBUSY;
	}
	ret = check_max_links(vpc, max, max_attr, info->extack);
	if (ret)
		return ret;
	if (reach_changed) {
		old_reach = vpc->reach;
		vpc->reach = reach;
		ret = clink_route_rebuild(vpc, NULL, NULL);
		if (ret) {
			vpc->reach = old_reach;
			return ret;
		}
	}
	vpc->classiclink = on;
	vpc->max_links = max;
	WRITE_ONCE(vpc->dscp, dscp);
	clink_dev_changed(cd);
	clink_nl_notify(cd, CLINK_CMD_SET_VPC, vpc_fill, vpc,
			CLINK_EVENT_CHANGED);
	return 0;
}

static void vpc_free_rcu(struct rcu_head *rcu)
{
	struct clink_vpc *vpc = container_of(rcu, struct clink_vpc, rcu);

	free_percpu(vpc->traffic);
	kfree(vpc);
}

static void destroy_vpc(struct clink_dev *cd, struct clink_vpc *vpc)
{
	clink_endpoint_flush_vpc(vpc);
	clink_acl_free_all(vpc);
	clink_route_free(vpc);
	rhashtable_remove_fast(&cd->vpcs_by_id, &vpc->id_node, id_params);
	rhashtable_remove_fast(&cd->vpcs_by_vni, &vpc->vni_node, vni_params);
	xa_erase(&cd->vpcs, vpc->index);
	cd->n_vpcs--;
	call_rcu(&vpc->rcu, vpc_free_rcu);
}

int clink_nl_del_vpc(struct sk_buff *skb, struct genl_info *info)
{
	struct clink_dev *cd = clink_nl_dev(info);
	struct clink_vpc *vpc;

	vpc = clink_vpc_lookup(cd, info->attrs[CLINK_A_VPC_ID], info->extack);
	if (IS_ERR(vpc))
		return PTR_ERR(vpc);
	if (vpc->n_links) {
		clink_err(info->extack, info->attrs[CLINK_A_VPC_ID],
			  "VPC %s has %u linked instances", vpc->id,
			  vpc->n_links);
		return -EBUSY;
	}
	if (vpc->n_services || vpc->n_vpces) {
		clink_err(info->extack, info->attrs[CLINK_A_VPC_ID],
			  "VPC %s has %u services and %u VPC endpoints",
			  vpc->id, vpc->n_services, vpc->n_vpces);
		return -EBUSY;
	}
	clink_nl_notify(cd, CLINK_CMD_DEL_VPC, vpc_fill, vpc,
			CLINK_EVENT_REMOVED);
	destroy_vpc(cd, vpc);
	clink_dev_changed(cd);
	return 0;
}

int clink_nl_get_vpc(struct sk_buff *skb, struct genl_info *info)
{
	struct clink_vpc *vpc;

	vpc = clink_vpc_lookup(clink_nl_dev(info), info->attrs[CLINK_A_VPC_ID],
			       info->extack);
	if (IS_ERR(vpc))
		return PTR_ERR(vpc);
	return clink_nl_reply(info, vpc_fill, vpc);
}

int clink_nl_dump_vpc(struct sk_buff *skb, struct netlink_callback *cb)
{
	return clink_nl_dump_xa(skb, cb, offsetof(struct clink_dev, vpcs),
				vpc_fill);
}

int clink_nl_new_cidr(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *attr = info->attrs[CLINK_A_VPC_CIDR];
	struct clink_dev *cd = clink_nl_dev(info);
	const struct clink_prefix *p;
	struct clink_prefix cidr;
	struct clink_vpc *vpc;
	int ret;
	u8 i;

	vpc = clink_vpc_lookup(cd, info->attrs[CLINK_A_VPC_ID], info->extack);
	if (IS_ERR(vpc))
		return PTR_ERR(vpc);
	if (!clink_nl_require(info, CLINK_A_VPC_CIDR))
		return -EINVAL;
	ret = clink_prefix_parse(attr, &cidr, info->extack);
	if (ret)
		return ret;
	for (i = 0; i <= vpc->n_secondary; i++) {
		p = i ? &vpc->secondary[i - 1] : &vpc->cidr;
		if (clink_prefix_equal(p, &cidr)) {
			clink_err(info->extack, attr, "VPC %s already has CIDR %pI4/%u",
				  vpc->id, &cidr.addr, cidr.len);
			return -EEXIST;
		}
	}
	if (vpc->n_secondary >= CLINK_MAX_SECONDARY) {
		clink_err(info->extack, attr,
			  "VPC %s has reached its limit of %d secondary CIDRs",
			  vpc->id, CLINK_MAX_SECONDARY);
		return -ENOSPC;
	}
	ret = check_cidr(vpc, &cidr, NULL, attr, info->extack);
	if (ret)
		return ret;
	p = clink_prefix_list_find_overlap(clink_deref(cd, cd->classic_space),
					   &cidr);
	if (vpc->classiclink && p) {
		clink_err(info->extack, attr,
			  "CIDR %pI4/%u overlaps the classic space %pI4/%u (ClassicLink)",
			  &cidr.addr, cidr.len, &p->addr, p->len);
		return -EINVAL;
	}
	vpc->secondary[vpc->n_secondary++] = cidr;
	ret = clink_route_rebuild(vpc, NULL, NULL);
	if (ret) {
		vpc->n_secondary--;
		return ret;
	}
	clink_dev_changed(cd);
	clink_route_notify_local(vpc, &cidr, CLINK_CMD_NEW_ROUTE,
				 CLINK_EVENT_ADDED);
	return 0;
}

int clink_nl_del_cidr(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *attr = info->attrs[CLINK_A_VPC_CIDR];
	struct clink_dev *cd = clink_nl_dev(info);
	struct clink_prefix cidr, saved[CLINK_MAX_SECONDARY];
	struct clink_vpc *vpc;
	u32 n;
	int ret;
	u8 i;

	vpc = clink_vpc_lookup(cd, info->attrs[CLINK_A_VPC_ID], info->extack);
	if (IS_ERR(vpc))
		return PTR_ERR(vpc);
	if (!clink_nl_require(info, CLINK_A_VPC_CIDR))
		return -EINVAL;
	ret = clink_prefix_parse(attr, &cidr, info->extack);
	if (ret)
		return ret;
	if (clink_prefix_equal(&cidr, &vpc->cidr)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "the primary CIDR of a VPC cannot be removed");
		return -EINVAL;
	}
	for (i = 0; i < vpc->n_secondary; i++)
		if (clink_prefix_equal(&vpc->secondary[i], &cidr))
			break;
	if (i == vpc->n_secondary) {
		clink_err(info->extack, attr, "VPC %s has no CIDR %pI4/%u",
			  vpc->id, &cidr.addr, cidr.len);
		return -ENOENT;
	}
	n = clink_endpoint_count_in(vpc, &cidr);
	if (n) {
		clink_err(info->extack, attr, "CIDR %pI4/%u of VPC %s has %u endpoints",
			  &cidr.addr, cidr.len, vpc->id, n);
		return -EBUSY;
	}
	memcpy(saved, vpc->secondary, sizeof(saved));
	memmove(&vpc->secondary[i], &vpc->secondary[i + 1],
		(vpc->n_secondary - i - 1) * sizeof(cidr));
	vpc->n_secondary--;
	ret = clink_route_rebuild(vpc, NULL, NULL);
	if (ret) {
		memcpy(vpc->secondary, saved, sizeof(saved));
		vpc->n_secondary++;
		return ret;
	}
	clink_dev_changed(cd);
	clink_route_notify_local(vpc, &cidr, CLINK_CMD_DEL_ROUTE,
				 CLINK_EVENT_REMOVED);
	return 0;
}

void clink_vpc_free_all(struct clink_dev *cd)
{
	struct clink_vpc *vpc;
	unsigned long index;

	xa_for_each(&cd->vpcs, index, vpc)
		destroy_vpc(cd, vpc);
}

int clink_vpc_init(struct clink_dev *cd)
{
	int ret;

	ret = rhashtable_init(&cd->vpcs_by_id, &id_params);
	if (ret)
		return ret;
	ret = rhashtable_init(&cd->vpcs_by_vni, &vni_params);
	if (ret) {
		rhashtable_destroy(&cd->vpcs_by_id);
		return ret;
	}
	xa_init_flags(&cd->vpcs, XA_FLAGS_ALLOC | XA_FLAGS_ACCOUNT);
	return 0;
}

void clink_vpc_uninit(struct clink_dev *cd)
{
	rhashtable_destroy(&cd->vpcs_by_vni);
	rhashtable_destroy(&cd->vpcs_by_id);
	xa_destroy(&cd->vpcs);
}
