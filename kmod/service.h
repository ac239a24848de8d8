/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CLINK_SERVICE_H
#define _CLINK_SERVICE_H

#include "device.h"

struct clink_vpc;
struct clink_service;
struct clink_vpce;

/* An address the gateway owns inside a VPC: cd->pl_addrs. */
struct clink_pl_key {
	u32 vpc_index;			/* clink_vpc.index */
	__be32 addr;
};

enum clink_pl_type {
	CLINK_PL_VPCE,			/* a VPC endpoint's IP, consumer side */
	CLINK_PL_SNAT,			/* a service's SNAT address, provider side */
};

struct clink_pl_addr {
	struct rhash_head node;		/* cd->pl_addrs */
	struct clink_pl_key key;
	enum clink_pl_type type;
	union {
		struct clink_vpce *vpce;
		struct clink_service *svc;
	};
};

struct clink_backend {
	__be32 addr;
	__be16 port;
};

/* An endpoint service. The datapath reads what never changes, and accepting. */
struct clink_service {
	struct rhash_head node;		/* cd->services, key id */
	char id[CLINK_ID_MAXLEN];
	u32 index;			/* in cd->svcs */
	struct clink_vpc *vpc;		/* provider */
	u8 proto;
	__be16 port;
	bool accepting;			/* READ_ONCE in the datapath */
	u8 n_backends, n_snat;
	struct clink_backend backends[CLINK_MAX_BACKENDS];
	struct clink_pl_addr snat[CLINK_MAX_SNAT];
	/* under cd->lock only */
	char (*accounts)[CLINK_ID_MAXLEN];
	char (*vpcs)[CLINK_ID_MAXLEN];
	u32 n_accounts, n_vpcs;
	struct list_head vpces;		/* struct clink_vpce */
	u32 n_vpces;
	struct rcu_head rcu;
};

/* A VPC endpoint: an address of a consumer VPC that reaches a service. */
struct clink_vpce {
	struct rhash_head node;		/* cd->vpces, key id */
	char id[CLINK_ID_MAXLEN];
	u32 index;			/* in cd->vpce_xa */
	struct clink_vpc *vpc;		/* consumer */
	struct clink_service *svc;
	struct list_head svc_node;	/* svc->vpces */
	struct clink_pl_addr addr;
	bool allowed;			/* by the service, READ_ONCE */
	bool dead;			/* no new sessions, READ_ONCE */
	atomic_t n_sessions;
	struct rcu_head rcu;
};

/* Caller holds rcu_read_lock(). */
struct clink_pl_addr *clink_pl_addr_find(struct clink_dev *cd, u32 vpc_index,
					 __be32 addr);

extern const struct nla_policy clink_backend_list_policy[CLINK_A_SVC_BACKEND + 1];
extern const struct nla_policy clink_snat_list_policy[CLINK_A_SVC_ADDR + 1];
extern const struct nla_policy clink_principal_list_policy[CLINK_A_SVC_PRINCIPAL + 1];

int clink_pl_init(struct clink_dev *cd);
void clink_pl_uninit(struct clink_dev *cd);
/* Device teardown, cd->lock held and no packet in flight. */
void clink_pl_free_all(struct clink_dev *cd);

#endif /* _CLINK_SERVICE_H */
