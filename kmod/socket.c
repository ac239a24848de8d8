// SPDX-License-Identifier: GPL-2.0
/* The UDP socket the VXLAN underlay talks to, bound while the device is up. */

#include <linux/in.h>
#include <linux/net.h>
#include <net/ip.h>
#include <net/udp_tunnel.h>

#include "socket.h"
#include "device.h"
#include "receive.h"

/*
 * udp_sock_create() with IP_FREEBIND: bound to the device's local address
 * when it has one, whether or not that address is configured yet (a
 * cluster's anycast VTEP often comes up after clink0 does; stock vxlan
 * binds to INADDR_ANY and never has to wait).
 */
static int clink_udp_sock_create(struct net *net, __be32 addr, __be16 port,
				 struct socket **sockp)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		/* INADDR_ANY (0) unless the device has a local address */
		.sin_addr.s_addr = addr,
		.sin_port = port,
	};
	struct socket *sock;
	int err;

	err = sock_create_kern(net, AF_INET, SOCK_DGRAM, 0, &sock);
	if (err)
		return err;
	ip_sock_set_freebind(sock->sk);
	sock->sk->sk_no_check_tx = 1;	/* as udp_sock_create(): send.c says */
	err = kernel_bind(sock, (struct sockaddr *)&sin, sizeof(sin));
	if (err) {
		sock_release(sock);
		return err;
	}
	*sockp = sock;
	return 0;
}

int clink_socket_open(struct clink_dev *cd)
{
	struct udp_tunnel_sock_cfg tunnel_cfg = {
		.sk_user_data = cd,
		.encap_type = 1,
		.encap_rcv = clink_udp_encap_recv,
		.encap_err_lookup = clink_udp_encap_err_lookup,
	};
	const struct clink_dp_cfg *dp = clink_dp_cfg(cd);
	struct net *net = dev_net(cd->dev);
	struct socket *sock;
	int err;

	err = clink_udp_sock_create(net, dp->local, dp->port, &sock);
	if (err) {
		if (err == -EADDRINUSE)
			netdev_err(cd->dev, "UDP port %u is already in use\n",
				   ntohs(dp->port));
		else
			netdev_err(cd->dev, "cannot bind UDP port %u: %d\n",
				   ntohs(dp->port), err);
		return err;
	}

	setup_udp_tunnel_sock(net, sock, &tunnel_cfg);
	rcu_assign_pointer(cd->sock, sock);
	return 0;
}

void clink_socket_close(struct clink_dev *cd)
{
	struct socket *sock = rtnl_dereference(cd->sock);

	if (!sock)
		return;
	RCU_INIT_POINTER(cd->sock, NULL);
	synchronize_net();
	udp_tunnel_sock_release(sock);
}
