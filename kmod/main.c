// SPDX-License-Identifier: GPL-2.0
/*
 * clink: a ClassicLink gateway. Module init and exit.
 */

#include <linux/module.h>
#include <net/genetlink.h>
#include <net/rtnetlink.h>

#include "acl.h"
#include "device.h"
#include "netlink.h"
#include "profile.h"
#include "route.h"

static int __init clink_mod_init(void)
{
	int ret;

#ifdef DEBUG
	if (!clink_route_selftest() || !clink_acl_selftest() ||
	    !clink_profile_selftest())
		return -ENOTRECOVERABLE;
#endif
	ret = clink_device_init();
	if (ret)
		return ret;
	ret = clink_genl_init();
	if (ret)
		goto err_uninit_device;
	pr_info("clink " CLINK_VERSION " loaded\n");
	return 0;

err_uninit_device:
	clink_device_uninit();
	return ret;
}

static void __exit clink_mod_exit(void)
{
	clink_genl_uninit();
	clink_device_uninit();
	/* Objects of deleted devices are freed by RCU callbacks in this module. */
	rcu_barrier();
}

module_init(clink_mod_init);
module_exit(clink_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ClassicLink gateway: classic IPv4 network to VXLAN VPCs");
MODULE_VERSION(CLINK_VERSION);
MODULE_ALIAS_RTNL_LINK(KBUILD_MODNAME);
MODULE_ALIAS_GENL_FAMILY(CLINK_GENL_NAME);
