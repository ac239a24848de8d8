// SPDX-License-Identifier: GPL-2.0
/*
 * PrivateLink objects: endpoint services in provider VPCs, VPC endpoints
 * in consumer VPCs, and the addresses the gateway owns for them (endpoint
 * IPs and SNAT addresses), which the datapath and the ARP responder find
 * in one table.
 */

#include <linux/slab.h>

#include "endpoint.h"
#include "netlink.h"
#include "service.h"
#include "session.h"
#include "vpc.h"

static const struct rhashtable_params svc_params = {
	.head_offset		= offsetof(struct clink_service, node),
	.key_offset		= offsetof(struct clink_service, id),
	.key_len		= CLINK_ID_MAXLEN,
	.automatic_shrinking	= true,
};

static const struct rhashtable_params vpce_params = {
	.head_offset		= offsetof(struct clink_vpce, node),
	.key_offset		= offsetof(struct clink_vpce, id),
	.key_len		= CLINK_ID_MAXLEN,
	.automatic_shrinking	= true,
};

static const struct rhashtable_params pl_params = {
	.head_offset		= offsetof(struct clink_pl_addr, node),
	.key_offset		= offsetof(struct clink_pl_addr, key),
	.key_len		= sizeof(struct clink_pl_key),
	.automatic_shrinking	= true,
};

static const struct nla_policy backend_policy[CLINK_BACKEND_A_MAX + 1] = {
	[CLINK_BACKEND_A_ADDR]	= NLA_POLICY_EXACT_LEN(sizeof(__be32)),
	[CLINK_BACKEND_A_PORT]	= NLA_POLICY_MIN(NLA_U16, 1),
};

const struct nla_policy clink_backend_list_policy[CLINK_A_SVC_BACKEND + 1] = {
	[CLINK_A_SVC_BACKEND]	= NLA_POLICY_NESTED(backend_policy),
};

const struct nla_policy clink_snat_list_policy[CLINK_A_SVC_ADDR + 1] = {
	[CLINK_A_SVC_ADDR]	= NLA_POLICY_EXACT_LEN(sizeof(__be32)),
};

static const struct nla_policy principal_policy[CLINK_A_VPC_ACCOUNT + 1] = {
	[CLINK_A_VPC_ID]	= { .type = NLA_NUL_STRING,
				    .len = CLINK_ID_MAXLEN - 1 },
	[CLINK_A_VPC_ACCOUNT]	= { .type = NLA_NUL_STRING,
				    .len = CLINK_ID_MAXLEN - 1 },
};

const struct nla_policy clink_principal_list_policy[CLINK_A_SVC_PRINCIPAL + 1] = {
	[CLINK_A_SVC_PRINCIPAL]	= NLA_POLICY_NESTED(principal_policy),
};

struct clink_pl_addr *clink_pl_addr_find(struct clink_dev *cd, u32 vpc_index,
					 __be32 addr)
{
	struct clink_pl_key key = { .vpc_index = vpc_index, .addr = addr };

	return rhashtable_lookup(&cd->pl_addrs, &key, pl_params);
}

static struct clink_service *svc_lookup(struct clink_dev *cd,
					struct nlattr *attr,
					struct netlink_ext_ack *extack)
{
	char key[CLINK_ID_MAXLEN] = {};
	struct clink_service *svc;

	if (!attr) {
		NL_SET_ERR_MSG(extack, "missing service id");
		return ERR_PTR(-EINVAL);
	}
	nla_strscpy(key, attr, sizeof(key));
	svc = rhashtable_lookup_fast(&cd->services, key, svc_params);
	if (!svc) {
		clink_err(extack, attr, "service %s does not exist", key);
		return ERR_PTR(-ENOENT);
	}
	return svc;
}

static struct clink_vpce *vpce_lookup(struct clink_dev *cd,
				      struct nlattr *attr,
				      struct netlink_ext_ack *extack)
{
	char key[CLINK_ID_MAXLEN] = {};
	struct clink_vpce *vpce;

	if (!attr) {
		NL_SET_ERR_MSG(extack, "missing VPC endpoint id");
		return ERR_PTR(-EINVAL);
	}
	nla_strscpy(key, attr, sizeof(key));
	vpce = rhashtable_lookup_fast(&cd->vpces, key, vpce_params);
	if (!vpce) {
		clink_err(extack, attr, "VPC endpoint %s does not exist", key);
		return ERR_PTR(-ENOENT);
	}
	return vpce;
}

/* Is @addr of @vpc free for the gateway: no VM, VPC endpoint or SNAT? */
static int check_addr_free(struct clink_dev *cd, struct clink_vpc *vpc,
			   __be32 addr, const struct nlattr *attr,
			   struct netlink_ext_ack *extack)
{
	bool vm, pl;

	if (!clink_vpc_has_addr(vpc, addr)) {
		clink_err(extack, attr, "address %pI4 lies outside the CIDRs of VPC %s",
			  &addr, vpc->id);
		return -EINVAL;
	}
	rcu_read_lock();
	vm = clink_endpoint_find(cd, vpc, addr);
	pl = clink_pl_addr_find(cd, vpc->index, addr);
	rcu_read_unlock();
	if (vm || pl) {
		clink_err(extack, attr, "address %pI4 of VPC %s is already %s",
			  &addr, vpc->id, vm ? "an endpoint" :
			  "a VPC endpoint or SNAT address");
		return -EADDRINUSE;
	}
	return 0;
}

static bool in_list(char (*list)[CLINK_ID_MAXLEN], u32 n, const char *s)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (!strcmp(list[i], s))
			return true;
	return false;
}

/* The provider's account, a listed account, or a listed VPC. */
static bool svc_allows(const struct clink_service *svc,
		       const struct clink_vpc *vpc)
{
	return !strcmp(vpc->account, svc->vpc->account) ||
	       in_list(svc->accounts, svc->n_accounts, vpc->account) ||
	       in_list(svc->vpcs, svc->n_vpcs, vpc->id);
}

/* @type's entries hold CLINK_A_VPC_ACCOUNT or CLINK_A_VPC_ID. */
static int principal_attr(int type)
{
	return type == CLINK_A_SVC_ALLOW_ACCOUNTS ? CLINK_A_VPC_ACCOUNT :
						    CLINK_A_VPC_ID;
}

static int put_principals(struct sk_buff *skb, int type,
			  char (*list)[CLINK_ID_MAXLEN], u32 n)
{
	struct nlattr *nest = nla_nest_start(skb, type);
	struct nlattr *entry;
	u32 i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < n; i++) {
		entry = nla_nest_start(skb, CLINK_A_SVC_PRINCIPAL);
		if (!entry ||
		    nla_put_string(skb, principal_attr(type), list[i]))
			return -EMSGSIZE;
		nla_nest_end(skb, entry);
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int put_backends(struct sk_buff *skb, const struct clink_service *svc)
{
	struct nlattr *list, *be;
	u8 i;

	list = nla_nest_start(skb, CLINK_A_SVC_BACKENDS);
	if (!list)
		return -EMSGSIZE;
	for (i = 0; i < svc->n_backends; i++) {
		be = nla_nest_start(skb, CLINK_A_SVC_BACKEND);
		if (!be ||
		    nla_put_in_addr(skb, CLINK_BACKEND_A_ADDR,
				    svc->backends[i].addr) ||
		    nla_put_u16(skb, CLINK_BACKEND_A_PORT,
				ntohs(svc->backends[i].port)))
			return -EMSGSIZE;
		nla_nest_end(skb, be);
	}
	nla_nest_end(skb, list);
	return 0;
}

static int svc_fill(struct sk_buff *skb, struct clink_dev *cd, const void *obj)
{
	const struct clink_service *svc = obj;
	struct nlattr *snat;
	u8 i;

	if (nla_put_string(skb, CLINK_A_SVC_ID, svc->id) ||
	    nla_put_string(skb, CLINK_A_VPC_ID, svc->vpc->id) ||
	    nla_put_u8(skb, CLINK_A_SVC_PROTO, svc->proto) ||
	    nla_put_u16(skb, CLINK_A_SVC_PORT, ntohs(svc->port)) ||
	    put_backends(skb, svc))
		return -EMSGSIZE;
	snat = nla_nest_start(skb, CLINK_A_SVC_SNAT);
	if (!snat)
		return -EMSGSIZE;
	for (i = 0; i < svc->n_snat; i++)
		if (nla_put_in_addr(skb, CLINK_A_SVC_ADDR,
				    svc->snat[i].key.addr))
			return -EMSGSIZE;
	nla_nest_end(skb, snat);
	if (put_principals(skb, CLINK_A_SVC_ALLOW_ACCOUNTS, svc->accounts,
			   svc->n_accounts) ||
	    put_principals(skb, CLINK_A_SVC_ALLOW_VPCS, svc->vpcs,
			   svc->n_vpcs) ||
	    nla_put_u8(skb, CLINK_A_SVC_ACCEPTING, svc->accepting) ||
	    nla_put_u32(skb, CLINK_A_SVC_N_VPCES, svc->n_vpces))
		return -EMSGSIZE;
	return 0;
}

static int vpce_fill(struct sk_buff *skb, struct clink_dev *cd,
		     const void *obj)
{
	const struct clink_vpce *vpce = obj;

	if (nla_put_string(skb, CLINK_A_VPCE_ID, vpce->id) ||
	    nla_put_string(skb, CLINK_A_VPC_ID, vpce->vpc->id) ||
	    nla_put_in_addr(skb, CLINK_A_VPCE_ADDR, vpce->addr.key.addr) ||
	    nla_put_string(skb, CLINK_A_SVC_ID, vpce->svc->id) ||
	    nla_put_u8(skb, CLINK_A_VPCE_ALLOWED, vpce->allowed) ||
	    nla_put_u32(skb, CLINK_A_VPCE_N_SESSIONS,
			atomic_read(&vpce->n_sessions)))
		return -EMSGSIZE;
	return 0;
}

/* An allow list: NULL and 0 for an empty nest. */
static int parse_principals(struct nlattr *nest, char (**list)[CLINK_ID_MAXLEN],
			    u32 *n, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[CLINK_A_VPC_ACCOUNT + 1];
	int type = principal_attr(nla_type(nest));
	struct nlattr *a;
	int rem;

	*list = NULL;
	*n = 0;
	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != CLINK_A_SVC_PRINCIPAL ||
		    nla_parse_nested(tb, CLINK_A_VPC_ACCOUNT, a,
				     principal_policy, extack) ||
		    !tb[type] || !*(char *)nla_data(tb[type])) {
			clink_err(extack, a, "an entry of an allow list holds %s",
				  type == CLINK_A_VPC_ID ? "a VPC id" :
				  "an account");
			goto err;
		}
		if (*n == CLINK_MAX_PRINCIPALS) {
			clink_err(extack, a, "an allow list holds at most %u ids",
				  CLINK_MAX_PRINCIPALS);
			goto err;
		}
		if (!*list) {
			*list = kcalloc(CLINK_MAX_PRINCIPALS, CLINK_ID_MAXLEN,
					CLINK_GFP);
			if (!*list)
				return -ENOMEM;
		}
		nla_strscpy((*list)[(*n)++], tb[type], CLINK_ID_MAXLEN);
	}
	return 0;
err:
	kfree(*list);
	*list = NULL;
	return -EINVAL;
}

static int parse_backends(struct clink_service *svc, struct nlattr *nest,
			  struct netlink_ext_ack *extack)
{
	struct nlattr *tb[CLINK_BACKEND_A_MAX + 1];
	struct clink_backend *be;
	struct nlattr *a;
	int rem, ret;

	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != CLINK_A_SVC_BACKEND) {
			NL_SET_ERR_MSG_ATTR(extack, a, "the backend list holds backends");
			return -EINVAL;
		}
		if (svc->n_backends == CLINK_MAX_BACKENDS) {
			clink_err(extack, a, "a service has at most %u backends",
				  CLINK_MAX_BACKENDS);
			return -ENOSPC;
		}
		ret = nla_parse_nested(tb, CLINK_BACKEND_A_MAX, a,
				       backend_policy, extack);
		if (ret)
			return ret;
		if (!tb[CLINK_BACKEND_A_ADDR]) {
			NL_SET_ERR_MSG_ATTR(extack, a, "missing backend address");
			return -EINVAL;
		}
		be = &svc->backends[svc->n_backends++];
		be->addr = nla_get_in_addr(tb[CLINK_BACKEND_A_ADDR]);
		be->port = tb[CLINK_BACKEND_A_PORT] ?
			   htons(nla_get_u16(tb[CLINK_BACKEND_A_PORT])) :
			   svc->port;
		if (!clink_vpc_has_addr(svc->vpc, be->addr)) {
			clink_err(extack, a, "backend %pI4 lies outside the CIDRs of VPC %s",
				  &be->addr, svc->vpc->id);
			return -EINVAL;
		}
	}
	if (!svc->n_backends) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "a service needs a backend");
		return -EINVAL;
	}
	return 0;
}

static int parse_snat(struct clink_dev *cd, struct clink_service *svc,
		      struct nlattr *nest, struct netlink_ext_ack *extack)
{
	struct clink_pl_addr *pa;
	struct nlattr *a;
	int rem, ret;
	u8 i;

	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != CLINK_A_SVC_ADDR) {
			NL_SET_ERR_MSG_ATTR(extack, a, "the SNAT list holds addresses");
			return -EINVAL;
		}
		if (svc->n_snat == CLINK_MAX_SNAT) {
			clink_err(extack, a, "a service has at most %u SNAT addresses",
				  CLINK_MAX_SNAT);
			return -ENOSPC;
		}
		pa = &svc->snat[svc->n_snat];
		pa->key.vpc_index = svc->vpc->index;
		pa->key.addr = nla_get_in_addr(a);
		pa->type = CLINK_PL_SNAT;
		pa->svc = svc;
		ret = check_addr_free(cd, svc->vpc, pa->key.addr, a, extack);
		if (ret)
			return ret;
		for (i = 0; i < svc->n_snat; i++) {
			if (svc->snat[i].key.addr == pa->key.addr) {
				clink_err(extack, a, "SNAT address %pI4 is listed twice",
					  &pa->key.addr);
				return -EINVAL;
			}
		}
		svc->n_snat++;
	}
	if (!svc->n_snat) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "a service needs a SNAT address");
		return -EINVAL;
	}
	return 0;
}

static void svc_free(struct clink_service *svc)
{
	kfree(svc->accounts);
	kfree(svc->vpcs);
	kfree(svc);
}

static void svc_free_rcu(struct rcu_head *rcu)
{
	svc_free(container_of(rcu, struct clink_service, rcu));
}

static void unpublish_snat(struct clink_dev *cd, struct clink_service *svc,
			   u8 n)
{
	while (n--)
		rhashtable_remove_fast(&cd->pl_addrs, &svc->snat[n].node,
				       pl_params);
}

int clink_nl_new_service(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **attrs = info->attrs;
	struct clink_dev *cd = clink_nl_dev(info);
	struct clink_service *svc;
	struct clink_vpc *vpc;
	int ret;
	u8 i;

	if (clink_nl_replace(info)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[CLINK_A_REPLACE],
				    "a service cannot be replaced, use set-service");
		return -EOPNOTSUPP;
	}
	svc = kzalloc(sizeof(*svc), CLINK_GFP);
	if (!svc)
		return -ENOMEM;
	INIT_LIST_HEAD(&svc->vpces);
	ret = clink_nl_get_id(info, CLINK_A_SVC_ID, svc->id);
	if (ret)
		goto err_free;
	if (rhashtable_lookup_fast(&cd->services, svc->id, svc_params)) {
		clink_err(info->extack, attrs[CLINK_A_SVC_ID],
			  "service %s already exists", svc->id);
		ret = -EEXIST;
		goto err_free;
	}
	vpc = clink_vpc_lookup(cd, attrs[CLINK_A_VPC_ID], info->extack);
	if (IS_ERR(vpc)) {
		ret = PTR_ERR(vpc);
		goto err_free;
	}
	svc->vpc = vpc;
	ret = -EINVAL;
	if (!clink_nl_require(info, CLINK_A_SVC_PROTO) ||
	    !clink_nl_require(info, CLINK_A_SVC_PORT) ||
	    !clink_nl_require(info, CLINK_A_SVC_BACKENDS) ||
	    !clink_nl_require(info, CLINK_A_SVC_SNAT))
		goto err_free;
	svc->proto = nla_get_u8(attrs[CLINK_A_SVC_PROTO]);
	if (svc->proto != IPPROTO_TCP && svc->proto != IPPROTO_UDP) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[CLINK_A_SVC_PROTO],
				    "the protocol of a service is tcp (6) or udp (17)");
		goto err_free;
	}
	svc->port = htons(nla_get_u16(attrs[CLINK_A_SVC_PORT]));
	svc->accepting = !attrs[CLINK_A_SVC_ACCEPTING] ||
			 nla_get_u8(attrs[CLINK_A_SVC_ACCEPTING]);
	ret = parse_backends(svc, attrs[CLINK_A_SVC_BACKENDS], info->extack);
	if (ret)
		goto err_free;
	ret = parse_snat(cd, svc, attrs[CLINK_A_SVC_SNAT], info->extack);
	if (ret)
		goto err_free;
	if (attrs[CLINK_A_SVC_ALLOW_ACCOUNTS]) {
		ret = parse_principals(attrs[CLINK_A_SVC_ALLOW_ACCOUNTS],
				       &svc->accounts, &svc->n_accounts,
				       info->extack);
		if (ret)
			goto err_free;
	}
	if (attrs[CLINK_A_SVC_ALLOW_VPCS]) {
		ret = parse_principals(attrs[CLINK_A_SVC_ALLOW_VPCS],
				       &svc->vpcs, &svc->n_vpcs, info->extack);
		if (ret)
			goto err_free;
	}
	if (cd->n_services >= CLINK_MAX_SERVICES) {
		clink_err(info->extack, attrs[CLINK_A_SVC_ID],
			  "the gateway has reached its limit of %u services",
			  CLINK_MAX_SERVICES);
		ret = -ENOSPC;
		goto err_free;
	}

	ret = xa_alloc_cyclic(&cd->svcs, &svc->index, svc, xa_limit_32b,
			      &cd->svc_next, CLINK_GFP);
	if (ret < 0)
		goto err_free;
	ret = rhashtable_insert_fast(&cd->services, &svc->node, svc_params);
	if (ret)
		goto err_erase;
	for (i = 0; i < svc->n_snat; i++) {
		ret = rhashtable_insert_fast(&cd->pl_addrs, &svc->snat[i].node,
					     pl_params);
		if (ret)
			goto err_unpublish;
	}
	vpc->n_services++;
	cd->n_services++;
	clink_dev_changed(cd);
	clink_nl_notify(cd, CLINK_CMD_NEW_SERVICE, svc_fill, svc,
			CLINK_EVENT_ADDED);
	return 0;

err_unpublish:
	unpublish_snat(cd, svc, i);
	rhashtable_remove_fast(&cd->services, &svc->node, svc_params);
	xa_erase(&cd->svcs, svc->index);
	/* Published an instant: a packet may have seen a SNAT address. */
	call_rcu(&svc->rcu, svc_free_rcu);
	return ret;
err_erase:
	xa_erase(&cd->svcs, svc->index);
err_free:
	svc_free(svc);
	return ret;
}

int clink_nl_set_service(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *acc = info->attrs[CLINK_A_SVC_ALLOW_ACCOUNTS];
	struct nlattr *vpcs = info->attrs[CLINK_A_SVC_ALLOW_VPCS];
	char (*new_acc)[CLINK_ID_MAXLEN] = NULL, (*new_vpcs)[CLINK_ID_MAXLEN] = NULL;
	struct clink_dev *cd = clink_nl_dev(info);
	u32 n_acc = 0, n_vpcs = 0;
	struct clink_service *svc;
	struct clink_vpce *vpce;
	bool allowed;
	int ret;

	svc = svc_lookup(cd, info->attrs[CLINK_A_SVC_ID], info->extack);
	if (IS_ERR(svc))
		return PTR_ERR(svc);
	if (acc) {
		ret = parse_principals(acc, &new_acc, &n_acc, info->extack);
		if (ret)
			return ret;
	}
	if (vpcs) {
		ret = parse_principals(vpcs, &new_vpcs, &n_vpcs, info->extack);
		if (ret) {
			kfree(new_acc);
			return ret;
		}
	}
	if (acc) {
		swap(svc->accounts, new_acc);
		svc->n_accounts = n_acc;
	}
	if (vpcs) {
		swap(svc->vpcs, new_vpcs);
		svc->n_vpcs = n_vpcs;
	}
	kfree(new_acc);
	kfree(new_vpcs);
	if (info->attrs[CLINK_A_SVC_ACCEPTING])
		WRITE_ONCE(svc->accepting,
			   nla_get_u8(info->attrs[CLINK_A_SVC_ACCEPTING]));
	list_for_each_entry(vpce, &svc->vpces, svc_node) {
		allowed = svc_allows(svc, vpce->vpc);
		if (allowed == vpce->allowed)
			continue;
		WRITE_ONCE(vpce->allowed, allowed);
		if (!allowed)
			clink_session_flush(cd, vpce);
	}
	clink_dev_changed(cd);
	clink_nl_notify(cd, CLINK_CMD_SET_SERVICE, svc_fill, svc,
			CLINK_EVENT_CHANGED);
	return 0;
}

static void destroy_service(struct clink_dev *cd, struct clink_service *svc)
{
	unpublish_snat(cd, svc, svc->n_snat);
	rhashtable_remove_fast(&cd->services, &svc->node, svc_params);
	xa_erase(&cd->svcs, svc->index);
	svc->vpc->n_services--;
	cd->n_services--;
	call_rcu(&svc->rcu, svc_free_rcu);
}

int clink_nl_del_service(struct sk_buff *skb, struct genl_info *info)
{
	struct clink_dev *cd = clink_nl_dev(info);
	struct clink_service *svc;

	svc = svc_lookup(cd, info->attrs[CLINK_A_SVC_ID], info->extack);
	if (IS_ERR(svc))
		return PTR_ERR(svc);
	if (svc->n_vpces) {
		clink_err(info->extack, info->attrs[CLINK_A_SVC_ID],
			  "service %s has %u VPC endpoints", svc->id,
			  svc->n_vpces);
		return -EBUSY;
	}
	clink_nl_notify(cd, CLINK_CMD_DEL_SERVICE, svc_fill, svc,
			CLINK_EVENT_REMOVED);
	destroy_service(cd, svc);
	clink_dev_changed(cd);
	return 0;
}

int clink_nl_get_service(struct sk_buff *skb, struct genl_info *info)
{
	struct clink_service *svc;

	svc = svc_lookup(clink_nl_dev(info), info->attrs[CLINK_A_SVC_ID],
			 info->extack);
	if (IS_ERR(svc))
		return PTR_ERR(svc);
	return clink_nl_reply(info, svc_fill, svc);
}

int clink_nl_dump_service(struct sk_buff *skb, struct netlink_callback *cb)
{
	return clink_nl_dump_xa(skb, cb, offsetof(struct clink_dev, svcs),
				svc_fill);
}

static void vpce_free_rcu(struct rcu_head *rcu)
{
	kfree(container_of(rcu, struct clink_vpce, rcu));
}

int clink_nl_new_vpce(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *addr_attr = info->attrs[CLINK_A_VPCE_ADDR];
	struct clink_dev *cd = clink_nl_dev(info);
	struct clink_service *svc;
	struct clink_vpce *vpce;
	struct clink_vpc *vpc;
	int ret;

	if (clink_nl_replace(info)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[CLINK_A_REPLACE],
				    "a VPC endpoint cannot be replaced");
		return -EOPNOTSUPP;
	}
	vpce = kzalloc(sizeof(*vpce), CLINK_GFP);
	if (!vpce)
		return -ENOMEM;
	ret = clink_nl_get_id(info, CLINK_A_VPCE_ID, vpce->id);
	if (ret)
		goto err_free;
	if (rhashtable_lookup_fast(&cd->vpces, vpce->id, vpce_params)) {
		clink_err(info->extack, info->attrs[CLINK_A_VPCE_ID],
			  "VPC endpoint %s already exists", vpce->id);
		ret = -EEXIST;
		goto err_free;
	}
	vpc = clink_vpc_lookup(cd, info->attrs[CLINK_A_VPC_ID], info->extack);
	if (IS_ERR(vpc)) {
		ret = PTR_ERR(vpc);
		goto err_free;
	}
	ret = -EINVAL;
	if (!clink_nl_require(info, CLINK_A_VPCE_ADDR) ||
	    !clink_nl_require(info, CLINK_A_SVC_ID))
		goto err_free;
	svc = svc_lookup(cd, info->attrs[CLINK_A_SVC_ID], info->extack);
	if (IS_ERR(svc)) {
		ret = PTR_ERR(svc);
		goto err_free;
	}
	vpce->addr.key.vpc_index = vpc->index;
	vpce->addr.key.addr = nla_get_in_addr(addr_attr);
	vpce->addr.type = CLINK_PL_VPCE;
	vpce->addr.vpce = vpce;
	ret = check_addr_free(cd, vpc, vpce->addr.key.addr, addr_attr,
			      info->extack);
	if (ret)
		goto err_free;
	ret = -EXDEV;
	if (strcmp(vpc->region, svc->vpc->region)) {
		clink_err(info->extack, info->attrs[CLINK_A_VPC_ID],
			  "VPC %s is in region %s, service %s in %s", vpc->id,
			  vpc->region, svc->id, svc->vpc->region);
		goto err_free;
	}
	if (!svc_allows(svc, vpc)) {
		clink_err(info->extack, info->attrs[CLINK_A_SVC_ID],
			  "service %s does not allow account %s (VPC %s)",
			  svc->id, vpc->account, vpc->id);
		goto err_free;
	}
	if (cd->n_vpces >= CLINK_MAX_VPCES) {
		clink_err(info->extack, info->attrs[CLINK_A_VPCE_ID],
			  "the gateway has reached its limit of %u VPC endpoints",
			  CLINK_MAX_VPCES);
		ret = -ENOSPC;
		goto err_free;
	}
	vpce->vpc = vpc;
	vpce->svc = svc;
	vpce->allowed = true;
	atomic_set(&vpce->n_sessions, 0);

	ret = xa_alloc_cyclic(&cd->vpce_xa, &vpce->index, vpce, xa_limit_32b,
			      &cd->vpce_next, CLINK_GFP);
	if (ret < 0)
		goto err_free;
	ret = rhashtable_insert_fast(&cd->vpces, &vpce->node, vpce_params);
	if (ret)
		goto err_erase;
	ret = rhashtable_insert_fast(&cd->pl_addrs, &vpce->addr.node,
				     pl_params);
	if (ret)
		goto err_remove;
	list_add_tail(&vpce->svc_node, &svc->vpces);
	svc->n_vpces++;
	vpc->n_vpces++;
	cd->n_vpces++;
	clink_dev_changed(cd);
	clink_nl_notify(cd, CLINK_CMD_NEW_VPCE, vpce_fill, vpce,
			CLINK_EVENT_ADDED);
	return 0;

err_remove:
	rhashtable_remove_fast(&cd->vpces, &vpce->node, vpce_params);
err_erase:
	xa_erase(&cd->vpce_xa, vpce->index);
err_free:
	kfree(vpce);
	return ret;
}

/*
 * Unpublishes @vpce and ends its sessions. With @sync, packets may be in
 * flight: once RCU has seen them through, none can open a session for it.
 */
static void destroy_vpce(struct clink_dev *cd, struct clink_vpce *vpce,
			 bool sync)
{
	rhashtable_remove_fast(&cd->pl_addrs, &vpce->addr.node, pl_params);
	WRITE_ONCE(vpce->dead, true);
	if (sync) {
		synchronize_rcu();
		clink_session_flush(cd, vpce);
	}
	rhashtable_remove_fast(&cd->vpces, &vpce->node, vpce_params);
	xa_erase(&cd->vpce_xa, vpce->index);
	list_del(&vpce->svc_node);
	vpce->svc->n_vpces--;
	vpce->vpc->n_vpces--;
	cd->n_vpces--;
	call_rcu(&vpce->rcu, vpce_free_rcu);
}

int clink_nl_del_vpce(struct sk_buff *skb, struct genl_info *info)
{
	struct clink_dev *cd = clink_nl_dev(info);
	struct clink_vpce *vpce;

	vpce = vpce_lookup(cd, info->attrs[CLINK_A_VPCE_ID], info->extack);
	if (IS_ERR(vpce))
		return PTR_ERR(vpce);
	clink_nl_notify(cd, CLINK_CMD_DEL_VPCE, vpce_fill, vpce,
			CLINK_EVENT_REMOVED);
	destroy_vpce(cd, vpce, true);
	clink_dev_changed(cd);
	return 0;
}

int clink_nl_get_vpce(struct sk_buff *skb, struct genl_info *info)
{
	struct clink_vpce *vpce;

	vpce = vpce_lookup(clink_nl_dev(info), info->attrs[CLINK_A_VPCE_ID],
			   info->extack);
	if (IS_ERR(vpce))
		return PTR_ERR(vpce);
	return clink_nl_reply(info, vpce_fill, vpce);
}

/* By index in cd->vpce_xa, filtered by service. */
int clink_nl_dump_vpce(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct clink_dump_pos *pos = clink_dump_pos(cb);
	struct clink_service *svc = NULL;
	struct clink_vpce *vpce;
	struct nlattr **attrs;
	struct clink_dev *cd;
	unsigned long index;
	int ret = 0;

	cd = clink_nl_dump_begin(cb, &attrs);
	if (IS_ERR(cd))
		return PTR_ERR(cd);
	if (attrs[CLINK_A_SVC_ID]) {
		svc = svc_lookup(cd, attrs[CLINK_A_SVC_ID], cb->extack);
		if (IS_ERR(svc)) {
			ret = PTR_ERR(svc);
			goto out;
		}
	}
	xa_for_each_start(&cd->vpce_xa, index, vpce, pos->index) {
		if (!svc || vpce->svc == svc) {
			ret = clink_nl_dump_obj(skb, cb, cd, vpce_fill, vpce);
			if (ret)
				break;
		}
		pos->index = index + 1;
	}
out:
	clink_nl_dump_end(cd);
	return clink_nl_dump_ret(skb, ret);
}

void clink_pl_free_all(struct clink_dev *cd)
{
	struct clink_service *svc;
	struct clink_vpce *vpce;
	unsigned long index;

	clink_session_stop(cd);
	clink_session_flush(cd, NULL);
	xa_for_each(&cd->vpce_xa, index, vpce)
		destroy_vpce(cd, vpce, false);
	xa_for_each(&cd->svcs, index, svc)
		destroy_service(cd, svc);
}

int clink_pl_init(struct clink_dev *cd)
{
	int ret;

	ret = rhashtable_init(&cd->services, &svc_params);
	if (ret)
		return ret;
	ret = rhashtable_init(&cd->vpces, &vpce_params);
	if (ret)
		goto err_destroy_services;
	ret = rhashtable_init(&cd->pl_addrs, &pl_params);
	if (ret)
		goto err_destroy_vpces;
	ret = clink_session_init(cd);
	if (ret)
		goto err_destroy_addrs;
	xa_init_flags(&cd->svcs, XA_FLAGS_ALLOC | XA_FLAGS_ACCOUNT);
	xa_init_flags(&cd->vpce_xa, XA_FLAGS_ALLOC | XA_FLAGS_ACCOUNT);
	return 0;

err_destroy_addrs:
	rhashtable_destroy(&cd->pl_addrs);
err_destroy_vpces:
	rhashtable_destroy(&cd->vpces);
err_destroy_services:
	rhashtable_destroy(&cd->services);
	return ret;
}

void clink_pl_uninit(struct clink_dev *cd)
{
	clink_session_uninit(cd);
	rhashtable_destroy(&cd->pl_addrs);
	rhashtable_destroy(&cd->vpces);
	rhashtable_destroy(&cd->services);
	xa_destroy(&cd->vpce_xa);
	xa_destroy(&cd->svcs);
}
