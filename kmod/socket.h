/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CLINK_SOCKET_H
#define _CLINK_SOCKET_H

struct clink_dev;

/* ndo_open / ndo_stop: bind and release the VXLAN UDP socket (RTNL held). */
int clink_socket_open(struct clink_dev *cd);
void clink_socket_close(struct clink_dev *cd);

#endif /* _CLINK_SOCKET_H */
