// SPDX-License-Identifier: GPL-2.0
/* The UDP socket the VXLAN underlay talks to, bound while the device is up. */

#include <linux/in.h>
#include <net/udp_tunnel.h>

#include "socket.h"
#include "device.h"
#include "receive.h"

int clink_socket_open(struct clink_dev *cd)
{
	struct udp_port_cfg port_cfg = {
		.family = AF_INET,
		/* INADDR_ANY (0) unless the device has a local address */
		.local_ip.s_addr = cd->local,
		.local_udp_port = cd->port,
	};
	struct udp_tunnel_sock_cfg tunnel_cfg = {
		.sk_user_data = cd,
		.encap_type = 1,
		.encap_rcv = clink_udp_encap_recv,
		.encap_err_lookup = clink_udp_encap_err_lookup,
	};
	struct net *net = dev_net(cd->dev);
	struct socket *sock;
	int err;

	err = udp_sock_create(net, &port_cfg, &sock);
	if (err) {
		if (err == -EADDRINUSE)
			netdev_err(cd->dev, "UDP port %u is already in use\n",
				   ntohs(cd->port));
		else
			netdev_err(cd->dev, "cannot bind UDP port %u: %d\n",
				   ntohs(cd->port), err);
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
