/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CLINK_PROFILE_H
#define _CLINK_PROFILE_H

#include "device.h"

/*
 * Fills @cfg's classic space, vpc-eligible list and max-links-per-vpc
 * from the profile in @cfg->attr[CLINK_CFG_PROFILE] (a cloud's documented
 * ClassicLink rules), as if they had been given in that attribute; or,
 * for a profile given with any of them, fails with EINVAL. On error the
 * caller frees @cfg's lists.
 */
int clink_profile_apply(struct clink_dev_cfg *cfg,
			struct netlink_ext_ack *extack);

#ifdef DEBUG
bool clink_profile_selftest(void);
#endif

#endif /* _CLINK_PROFILE_H */
