/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * clink: a ClassicLink gateway.
 *
 * Documentation
 * =============
 *
 * A clink device (created with `ip link add clink0 type clink`) joins the
 * flat "classic" IPv4 network to VPCs that live behind a VXLAN underlay.
 * Everything the gateway knows (VPCs, their route tables, endpoints and
 * ACLs, classic instances and their links) belongs to one clink device and
 * is managed through the generic netlink family CLINK_GENL_NAME, version
 * CLINK_GENL_VERSION. The family is netns-aware: a request acts on the
 * devices of the sender's network namespace only. Every command, reads
 * (GET and dumps) included, needs CAP_NET_ADMIN in the user namespace that
 * owns that network namespace (GENL_UNS_ADMIN_PERM), and so does joining
 * the events group (GENL_MCAST_CAP_NET_ADMIN): EPERM otherwise.
 *
 * All addresses are IPv4, in network byte order, 4 bytes
 * (NLA_POLICY_EXACT_LEN(4)). Strings are NUL-terminated.
 *
 * Selecting the device
 * --------------------
 * Every request carries CLINK_A_IFINDEX or CLINK_A_IFNAME at the top level.
 * If neither is given and the namespace holds exactly one clink device, that
 * device is used; otherwise the request fails with ENODEV (no device) or
 * EINVAL ("more than one clink device, say which one"). Naming a device
 * that is not a clink device, or one being deleted, fails with ENODEV;
 * CLINK_A_IFINDEX and CLINK_A_IFNAME naming two devices, with EINVAL.
 *
 * Prefixes
 * --------
 * A prefix is a nested attribute:
 *
 *    CLINK_PREFIX_A_ADDR: 4 bytes, the network address; host bits must be 0
 *    CLINK_PREFIX_A_LEN: u8, 0..32
 *
 * A prefix list (CLINK_A_DEV_CLASSIC_SPACE, CLINK_A_DEV_VPC_ELIGIBLE,
 * CLINK_A_VPC_SECONDARY) is a nest holding up to CLINK_MAX_PREFIXES
 * CLINK_A_PREFIX_ENTRY nests, each one prefix. An empty nest clears the list.
 *
 * Message headers
 * ---------------
 * genlmsghdr.reserved must be 0, and nlmsg_flags may hold only
 * NLM_F_REQUEST, NLM_F_ACK, NLM_F_ECHO and NLM_F_DUMP: the generic netlink
 * core refuses anything else in a request of this family with EINVAL
 * ("genlmsghdr.reserved field is not 0", "ambiguous or reserved bits set
 * in nlmsg_flags"), before any command runs. NLM_F_CREATE, NLM_F_EXCL and
 * NLM_F_REPLACE in particular are refused: replacing is an attribute.
 *
 * Replacing
 * ---------
 * NEW_VPC, NEW_INSTANCE, NEW_ENDPOINT, NEW_ROUTE and NEW_ACL fail with EEXIST
 * when the object exists, unless the request has the top-level flag
 * attribute CLINK_A_REPLACE, in which case the object is updated in place
 * (what `ip route replace` does) or created when it does not exist. A
 * controller can therefore re-apply its whole configuration idempotently.
 * A replace sets every attribute of the request; optional attributes it
 * lacks take their defaults, not their old values. NEW_LINK honours it
 * for a link's own attributes only (see there). Other commands ignore
 * CLINK_A_REPLACE.
 * SET_VPC with the current ClassicLink setting and SET_INSTANCE with the
 * current address succeed and change nothing (no event).
 *
 * Errors
 * ------
 * Every rejection carries an extended ack message (and, where one attribute
 * is at fault, its offset) in words an operator understands, and leaves the
 * state unchanged. The errno classes are: EINVAL (malformed or contradictory
 * request), ENOENT (named object does not exist), EEXIST (already exists),
 * EBUSY (object in use: linked instances, device up), ENOSPC (a limit would
 * be exceeded; the message names the limit), EPERM (missing CAP_NET_ADMIN),
 * EADDRINUSE (a classic IP or VNI is already taken), EXDEV (region or
 * account mismatch).
 *
 * Attributes are checked against the family's policy by the netlink core
 * before any command runs, with the core's own errnos and messages: an
 * unknown or output-only attribute, a wrong type or a string too long is
 * EINVAL; a wrong length (an address not 4 bytes, a MAC not 6) or a value
 * out of its range (VNI 0 or above 2^24, prefix length 33, an enum beyond
 * its last value, a limit 0 or above its maximum) is ERANGE. Both carry
 * the attribute's offset. The same holds for IFLA_CLINK_* in rtnetlink.
 *
 * Commands
 * ========
 *
 * CLINK_CMD_GET_DEV
 *   do or dump. Replies with:
 *    CLINK_A_IFINDEX, CLINK_A_IFNAME
 *    CLINK_A_DEV_VERSION: string, module version
 *    CLINK_A_DEV_LOCAL: underlay source address (0.0.0.0: chosen by route);
 *                       when set, the UDP socket is bound to it, so VXLAN
 *                       to the gateway's other addresses is not received
 *    CLINK_A_DEV_PORT: u16, UDP destination port (host order), default 4789
 *    CLINK_A_DEV_REGION: string
 *    CLINK_A_DEV_MAC: 6 bytes, the gateway's MAC on the inner Ethernet
 *    CLINK_A_DEV_MAX_LINKS_PER_VPC: u32 (default 100, 1..65536)
 *    CLINK_A_DEV_MAX_VPCS, CLINK_A_DEV_MAX_INSTANCES,
 *    CLINK_A_DEV_MAX_LINKS, CLINK_A_DEV_MAX_ENDPOINTS: u32, memory bounds
 *                (defaults CLINK_DEFAULT_MAX_*; 1..16777216)
 *    CLINK_A_DEV_CLASSIC_SPACE: prefix list (default 10.0.0.0/8)
 *    CLINK_A_DEV_VPC_ELIGIBLE: prefix list (default empty: any prefix
 *                              outside the classic space)
 *    CLINK_A_DEV_VTEP_CHECK: u8 0|1 (default 1). On, a packet or ARP
 *                request from the underlay is accepted only when its inner
 *                source is an endpoint of the VNI's VPC whose VTEP is the
 *                outer source address (else CLINK_DROP_VTEP_MISMATCH): no
 *                underlay host can speak for a VPC address it does not
 *                host. Off: any VTEP may send for any address of the
 *                VPC, as with the stock vxlan driver.
 *    CLINK_A_DEV_PROFILE: u8, enum clink_profile (default
 *                CLINK_PROFILE_CUSTOM): the cloud whose ClassicLink rules
 *                the classic space, vpc-eligible list and
 *                max-links-per-vpc are, see CLINK_CMD_SET_DEV.
 *    CLINK_A_DEV_N_VPCS, CLINK_A_DEV_N_INSTANCES, CLINK_A_DEV_N_LINKS,
 *    CLINK_A_DEV_N_ENDPOINTS: u32, current counts
 *    CLINK_A_DEV_GENERATION: u32, bumped by every change, never 0
 *    CLINK_A_STATS: nest of CLINK_STATS_A_* (device totals)
 *    CLINK_A_DROPS: nest, one u64 per drop reason, attribute type =
 *                   enum clink_drop_reason (CLINK_DROP_UNSPEC is the pad)
 *   The dump lists every clink device of the namespace.
 *
 * CLINK_CMD_SET_DEV
 *   Changes any of CLINK_A_DEV_LOCAL, _PORT (only while the device is down:
 *   EBUSY otherwise), _REGION, _MAC, _MAX_LINKS_PER_VPC (not below the
 *   number of links of any VPC whose own CLINK_A_VPC_MAX_LINKS is 0),
 *   _MAX_VPCS/_INSTANCES/_LINKS/_ENDPOINTS (not below the current count),
 *   _CLASSIC_SPACE and _VPC_ELIGIBLE (only while no VPC has ClassicLink
 *   enabled) and _VTEP_CHECK. All or nothing. EBUSY applies only to a value
 *   that changes: re-applying the current local address, port or lists is
 *   fine. _REGION cannot change while a VPC of another region has
 *   ClassicLink enabled (EBUSY). The classic space cannot be empty
 *   (EINVAL); an empty vpc-eligible list means any prefix outside the
 *   classic space. _MAC must be a unicast address. The same attributes
 *   (but _MAC) are accepted in IFLA_INFO_DATA of RTM_NEWLINK and
 *   RTM_CHANGELINK, see IFLA_CLINK_* below.
 *
 *   _PROFILE other than CLINK_PROFILE_CUSTOM sets the classic space, the
 *   vpc-eligible list and max-links-per-vpc to the cloud's documented
 *   rules, in one step and under the rules above (EBUSY while a VPC has
 *   ClassicLink enabled, unless the lists do not change):
 *    TENCENT: classic space 10.0.0.0/8 but 10.0.0.0/16-10.47.0.0/16,
 *             vpc-eligible 10.0.0.0/11 and 10.32.0.0/12 (VPCs within
 *             10.0.0.0/16-10.47.0.0/16), 100 links per VPC
 *    ALIBABA: classic space 10.0.0.0/8 but 10.111.0.0/16, vpc-eligible
 *             10.111.0.0/16, 172.16.0.0/12 and 192.168.0.0/16 (a VPC of
 *             10.0.0.0/8 with a CLINK_A_VPC_REACH in 10.111.0.0/16),
 *             1000 links per VPC
 *    AWS:     classic space 10.0.0.0/8 but 10.0.0.0/16 and 10.1.0.0/16,
 *             vpc-eligible empty (a VPC in 10.0.0.0/8 only in those two),
 *             CLINK_MAX_LINKS_PER_VPC links per VPC (AWS documents none)
 *   It may not come with _CLASSIC_SPACE, _VPC_ELIGIBLE or
 *   _MAX_LINKS_PER_VPC (EINVAL). Setting any of those three by hand makes
 *   the profile CLINK_PROFILE_CUSTOM; setting CUSTOM changes nothing else.
 *
 * CLINK_CMD_NEW_VPC (CLINK_A_REPLACE honoured)
 *    CLINK_A_VPC_ID: string, 1..63 chars, required
 *    CLINK_A_VPC_VNI: u32, 1..16777215, required, unique per device
 *                     (EADDRINUSE)
 *    CLINK_A_VPC_CIDR: prefix, the primary CIDR, required
 *    CLINK_A_VPC_REGION: string, default: the device's region
 *    CLINK_A_VPC_ACCOUNT: string, default: empty
 *    CLINK_A_VPC_MAX_LINKS: u32, 0..CLINK_MAX_LINKS_PER_VPC, default 0: the
 *                           VPC's own limit of linked instances; 0 means
 *                           the device's max-links-per-vpc. It may be above
 *                           or below the device's value.
 *    CLINK_A_VPC_REACH: prefix inside the primary CIDR (EINVAL otherwise),
 *                       default 0.0.0.0/0: the whole primary CIDR. What
 *                       linked instances reach: ClassicLink's eligibility
 *                       checks apply to it instead of the primary CIDR,
 *                       and the datapath drops (CLINK_DROP_OUTSIDE_REACH)
 *                       packets of linked instances to VPC addresses
 *                       outside it and VPC packets to them from outside
 *                       it (Alibaba's vSwitch rule: a VPC of 10.0.0.0/8
 *                       talks to the classic network from 10.111.0.0/16).
 *    CLINK_A_VPC_DSCP: u8, 0..63, or CLINK_DSCP_INHERIT (the default): the
 *                      DSCP of the outer IPv4 header of what the gateway
 *                      encapsulates into the VPC; CLINK_DSCP_INHERIT copies
 *                      the inner packet's DSCP, as the gateway always did.
 *                      A link's CLINK_A_LINK_DSCP overrides it. ECN is
 *                      copied from the inner header either way (RFC 6040).
 *                      Any other value fails with ERANGE ("DSCP must be
 *                      0..63, or 255 to copy the inner packet's").
 *   A new VPC has ClassicLink disabled. Its route table holds one `local`
 *   route per CIDR. Replacing a VPC that has linked instances may not change
 *   its VNI, CIDR, region or account (EBUSY), nor bring its limit of links
 *   (_MAX_LINKS, or the device's when 0) below its current number of links
 *   (EBUSY, as SET_VPC). Replacing the CIDR fails
 *   with EBUSY while an endpoint would lie outside the VPC's CIDRs, and,
 *   with ClassicLink enabled, unless the new CIDR (or reach) and region
 *   pass the checks of SET_VPC.
 *
 * CLINK_CMD_SET_VPC
 *    CLINK_A_VPC_ID (required), and one or more of
 *    CLINK_A_VPC_CLASSICLINK: u8 0|1
 *    CLINK_A_VPC_MAX_LINKS: u32, as in NEW_VPC (0: the device's limit)
 *    CLINK_A_VPC_REACH: prefix, as in NEW_VPC (0.0.0.0/0: none)
 *    CLINK_A_VPC_DSCP: u8, as in NEW_VPC (CLINK_DSCP_INHERIT: back to
 *                      copying the inner DSCP)
 *   All or nothing. Enabling ClassicLink fails (EINVAL) when the primary
 *   CIDR (the reach prefix when the VPC has one) overlaps the classic
 *   space, lies outside every vpc-eligible prefix (when that list is set),
 *   or a secondary CIDR or a custom route of the
 *   VPC overlaps the classic space, or the VPC's region differs from the
 *   device's (EXDEV). Disabling fails with EBUSY while instances are
 *   linked. A limit of links below the VPC's current number of links fails
 *   with EBUSY (the message names the VPC, its count and the limit): as
 *   with the device's limits, lowering a quota never unlinks anyone; unlink
 *   first. That includes 0 when the device's max-links-per-vpc is below the
 *   count. A request without _MAX_LINKS leaves the quota as it is, one
 *   without _REACH the reach prefix, one without _DSCP the DSCP. Changing
 *   the reach prefix while ClassicLink is (or becomes) enabled runs the
 *   checks above again on the new one; linked instances stay linked.
 *
 * CLINK_CMD_DEL_VPC
 *    CLINK_A_VPC_ID. EBUSY while instances are linked. Frees its routes,
 *    endpoints and ACL rules.
 *
 * CLINK_CMD_GET_VPC
 *   do (CLINK_A_VPC_ID) or dump. Replies with CLINK_A_VPC_ID, _VNI, _CIDR,
 *   _SECONDARY, _REGION, _ACCOUNT, _CLASSICLINK, _MAX_LINKS (0: the
 *   device's max-links-per-vpc applies), _REACH (only when set), _DSCP
 *   (only when not CLINK_DSCP_INHERIT), _N_LINKS,
 *   _N_ENDPOINTS, _N_ROUTES, _N_ACLS and CLINK_A_STATS (per-VPC traffic). _N_ROUTES
 *   counts every route GET_ROUTE lists: local, classiclink and custom.
 *
 * CLINK_CMD_NEW_CIDR, CLINK_CMD_DEL_CIDR
 *    CLINK_A_VPC_ID, CLINK_A_VPC_CIDR: a secondary CIDR to add or remove.
 *   At most CLINK_MAX_SECONDARY per VPC (ENOSPC); it may not overlap the
 *   primary or another secondary CIDR (EINVAL; the same CIDR again:
 *   EEXIST), nor be the prefix of a custom route, nor, with ClassicLink
 *   enabled, overlap the classic space (EINVAL). DEL_CIDR fails for the
 *   primary CIDR (EINVAL) and while endpoints lie in the CIDR (EBUSY).
 *   Linked instances never reach secondary CIDRs. The CIDR's local route
 *   is announced as NEW_ROUTE / DEL_ROUTE.
 *
 * CLINK_CMD_NEW_ENDPOINT (CLINK_A_REPLACE honoured), CLINK_CMD_DEL_ENDPOINT
 *    CLINK_A_VPC_ID, CLINK_A_EP_ADDR: the VPC IP (required);
 *    CLINK_A_EP_VTEP: underlay address of the hypervisor (NEW: required),
 *    CLINK_A_EP_MAC: 6 bytes, the VM's MAC (NEW: required).
 *   The address must lie in one of the VPC's CIDRs, and not be a VPC
 *   endpoint's or SNAT address of the VPC (EADDRINUSE).
 *
 * CLINK_CMD_GET_ENDPOINT
 *   dump, optionally filtered by CLINK_A_VPC_ID; do with CLINK_A_VPC_ID and
 *   CLINK_A_EP_ADDR. Replies with CLINK_A_VPC_ID, CLINK_A_EP_*.
 *
 * CLINK_CMD_NEW_ROUTE (CLINK_A_REPLACE honoured), CLINK_CMD_DEL_ROUTE
 *    CLINK_A_VPC_ID, CLINK_A_ROUTE_DST: prefix;
 *    CLINK_A_ROUTE_NEXTHOP: u8, enum clink_nexthop (NEW: required).
 *   Only `custom` routes can be added or deleted; `local` and `classiclink`
 *   routes belong to the kernel (EINVAL, "route is managed by the kernel").
 *   The same goes for a custom route to the prefix of a local or
 *   classiclink route. While ClassicLink is enabled, a custom route
 *   overlapping the classic space is refused. At most CLINK_MAX_ROUTES
 *   custom routes per VPC. The longest prefix wins: a custom route inside
 *   the primary CIDR takes its addresses out of linked instances' reach.
 *
 * CLINK_CMD_GET_ROUTE
 *   dump with CLINK_A_VPC_ID (required). One message per route:
 *    CLINK_A_VPC_ID, CLINK_A_ROUTE_DST, CLINK_A_ROUTE_TYPE (enum
 *    clink_route_type), CLINK_A_ROUTE_NEXTHOP (custom routes),
 *    CLINK_A_INST_ID (classiclink routes: the linked instance).
 *
 * CLINK_CMD_NEW_INSTANCE (CLINK_A_REPLACE honoured)
 *    CLINK_A_INST_ID: string 1..63 chars, required
 *    CLINK_A_INST_ADDR: the classic private IP, required; must lie in the
 *                       classic space; unique per device (EADDRINUSE)
 *    CLINK_A_INST_REGION: default: the device's region
 *    CLINK_A_INST_ACCOUNT: default: empty
 *   Replacing with a different address (or region or account) invalidates
 *   the instance's link, exactly as SET_INSTANCE does (the reason is
 *   CLINK_EVENT_IP_CHANGED for an address, CLINK_EVENT_CHANGED otherwise).
 *   A later change of the classic space leaves instances as they are;
 *   NEW_LINK checks the address again.
 *
 * CLINK_CMD_SET_INSTANCE
 *    CLINK_A_INST_ID, CLINK_A_INST_ADDR. The address obeys the rules of
 *    NEW_INSTANCE. Changing the address of a linked instance unlinks it
 *    (its /32 is withdrawn from the VPC route table) and emits DEL_LINK
 *    and DEL_ROUTE with CLINK_EVENT_IP_CHANGED.
 *
 * CLINK_CMD_DEL_INSTANCE
 *    CLINK_A_INST_ID. Unlinks first (DEL_LINK event with
 *    CLINK_EVENT_INSTANCE_DELETED).
 *
 * CLINK_CMD_GET_INSTANCE
 *   do (CLINK_A_INST_ID) or dump. Replies with CLINK_A_INST_ID, _ADDR,
 *   _REGION, _ACCOUNT, and CLINK_A_VPC_ID when linked.
 *
 * CLINK_CMD_NEW_LINK (CLINK_A_REPLACE honoured, see below)
 *    CLINK_A_INST_ID, CLINK_A_VPC_ID, and optionally
 *    CLINK_A_LINK_DSCP: u8, 0..63 or CLINK_DSCP_INHERIT, the outer DSCP of
 *                       this link's traffic into the VPC, overriding the
 *                       VPC's CLINK_A_VPC_DSCP (CLINK_DSCP_INHERIT: copy the
 *                       inner DSCP whatever the VPC says). Without it the
 *                       VPC's setting applies.
 *   With CLINK_A_REPLACE, an instance already linked to the same VPC only
 *   gets the request's CLINK_A_LINK_DSCP (none: the VPC's again); linked
 *   to another VPC, it fails with EEXIST as without.
 *   Fails unless both exist (ENOENT),
 *    the VPC has ClassicLink enabled (EINVAL), the instance IP lies in the
 *    classic space (EINVAL), regions match (EXDEV), accounts match (EXDEV),
 *    the instance is not linked yet (EEXIST; the message names its VPC) and
 *    the VPC is below its limit of links (ENOSPC; the message names the
 *    VPC, the limit and its value: the VPC's own CLINK_A_VPC_MAX_LINKS when
 *    non-zero, else the device's max-links-per-vpc) and the device below
 *    max-links. Injects the instance's /32 as a
 *    `classiclink` route into the VPC's route table.
 *
 * CLINK_CMD_DEL_LINK
 *    CLINK_A_INST_ID. ENOENT when not linked. Withdraws the /32. With
 *    CLINK_A_VPC_ID, also ENOENT when the instance is linked to another VPC.
 *
 * CLINK_CMD_FLUSH_LINKS
 *    CLINK_A_VPC_ID. Unlinks every instance of the VPC in one request
 *    (DEL_LINK events with CLINK_EVENT_FLUSHED).
 *
 * CLINK_CMD_GET_LINK
 *   dump, optionally filtered by CLINK_A_VPC_ID and/or CLINK_A_INST_ADDR.
 *   One message per link: CLINK_A_INST_ID, CLINK_A_INST_ADDR,
 *   CLINK_A_VPC_ID, CLINK_A_LINK_DSCP (only when the link has its own),
 *   CLINK_A_STATS (traffic of this link).
 *
 * CLINK_CMD_NEW_ACL (CLINK_A_REPLACE honoured), CLINK_CMD_DEL_ACL
 *    CLINK_A_VPC_ID, CLINK_A_ACL_PRIO: u32 (required, unique per VPC; lower
 *    is evaluated first). NEW also takes:
 *    CLINK_A_ACL_DIR: u8 enum clink_acl_dir (required)
 *    CLINK_A_ACL_ACTION: u8 enum clink_acl_action (required)
 *    CLINK_A_ACL_PROTO: u8 IP protocol, 0 = any (default)
 *    CLINK_A_ACL_SRC, CLINK_A_ACL_DST: prefix (default 0.0.0.0/0)
 *    CLINK_A_ACL_SPORT_MIN, _SPORT_MAX, _DPORT_MIN, _DPORT_MAX: u16
 *      (host order, default 0..65535; only with proto tcp or udp)
 *   The first matching rule decides; no match allows. At most
 *   CLINK_MAX_ACLS rules per VPC. A port range may not end before it
 *   starts (EINVAL). Replacing a rule restarts its hit counter.
 *
 * CLINK_CMD_GET_ACL
 *   dump with CLINK_A_VPC_ID. One message per rule, all CLINK_A_ACL_* and
 *   CLINK_A_ACL_HITS (u64).
 *
 * CLINK_CMD_NEW_SERVICE
 *   A PrivateLink endpoint service: a protocol and port served in a
 *   provider VPC by backends that the gateway reaches through fullnat.
 *    CLINK_A_SVC_ID: string 1..63 chars, required, unique per device
 *    CLINK_A_VPC_ID: the provider VPC, required
 *    CLINK_A_SVC_PROTO: u8, IPPROTO_TCP or IPPROTO_UDP, required
 *    CLINK_A_SVC_PORT: u16 (host order), 1..65535, required: the port
 *                      consumers connect to
 *    CLINK_A_SVC_BACKENDS: nest of 1..CLINK_MAX_BACKENDS
 *                          CLINK_A_SVC_BACKEND nests, each:
 *        CLINK_BACKEND_A_ADDR: 4 bytes, inside the provider VPC's CIDRs
 *        CLINK_BACKEND_A_PORT: u16 (host order), default CLINK_A_SVC_PORT
 *    CLINK_A_SVC_SNAT: nest of 1..CLINK_MAX_SNAT CLINK_A_SVC_ADDR (4 bytes),
 *                      required: the gateway's addresses inside the
 *                      provider VPC's CIDRs, the sources backends see
 *                      and answer to; the gateway answers ARP for them
 *    CLINK_A_SVC_ALLOW_ACCOUNTS: nest of up to CLINK_MAX_PRINCIPALS
 *                      CLINK_A_SVC_PRINCIPAL nests, each holding a
 *                      CLINK_A_VPC_ACCOUNT: the accounts whose VPCs may
 *                      have endpoints of the service
 *    CLINK_A_SVC_ALLOW_VPCS: nest of up to CLINK_MAX_PRINCIPALS
 *                      CLINK_A_SVC_PRINCIPAL nests, each holding a
 *                      CLINK_A_VPC_ID: VPCs allowed too
 *    CLINK_A_SVC_ACCEPTING: u8 0|1, default 1: 0 refuses new sessions
 *   A VPC of the provider VPC's account is always allowed. A backend or
 *   SNAT address outside the provider VPC's CIDRs is EINVAL, a SNAT
 *   address that is already a VPC endpoint's or another service's
 *   EADDRINUSE. At most CLINK_MAX_SERVICES services per device (ENOSPC).
 *   CLINK_A_REPLACE is refused (EOPNOTSUPP): SET_SERVICE changes what
 *   may change.
 *
 * CLINK_CMD_SET_SERVICE
 *    CLINK_A_SVC_ID (required) and any of CLINK_A_SVC_ALLOW_ACCOUNTS,
 *    CLINK_A_SVC_ALLOW_VPCS (replacing the list; an empty nest clears it)
 *    and CLINK_A_SVC_ACCEPTING. VPC endpoints the new lists no longer
 *    allow stay, their sessions end, and their traffic is dropped
 *    (CLINK_DROP_PL_NOT_ALLOWED) until the service allows them again.
 *
 * CLINK_CMD_DEL_SERVICE
 *    CLINK_A_SVC_ID. EBUSY while VPC endpoints use the service.
 *
 * CLINK_CMD_GET_SERVICE
 *   do (CLINK_A_SVC_ID) or dump. Replies with every CLINK_A_SVC_* of
 *   NEW_SERVICE, CLINK_A_VPC_ID and CLINK_A_SVC_N_VPCES.
 *
 * CLINK_CMD_NEW_VPCE
 *   A VPC endpoint: an address in a consumer VPC that reaches a service.
 *    CLINK_A_VPCE_ID: string 1..63 chars, required, unique per device
 *    CLINK_A_VPC_ID: the consumer VPC, required
 *    CLINK_A_VPCE_ADDR: 4 bytes, required: the endpoint IP, inside the
 *                       consumer VPC's CIDRs (EINVAL), not an endpoint
 *                       (CLINK_CMD_NEW_ENDPOINT), VPC endpoint or SNAT
 *                       address of that VPC already (EADDRINUSE)
 *    CLINK_A_SVC_ID: the service, required (ENOENT)
 *   The consumer VPC must be in the provider VPC's region (EXDEV) and be
 *   allowed by the service (EXDEV otherwise, naming the account). At most
 *   CLINK_MAX_VPCES per device (ENOSPC). The gateway answers ARP for the
 *   endpoint IP in the consumer VPC. CLINK_A_REPLACE is refused
 *   (EOPNOTSUPP).
 *
 * CLINK_CMD_DEL_VPCE
 *    CLINK_A_VPCE_ID. Its sessions end at once.
 *
 * CLINK_CMD_GET_VPCE
 *   do (CLINK_A_VPCE_ID) or dump, optionally filtered by CLINK_A_SVC_ID.
 *   Replies with CLINK_A_VPCE_ID, CLINK_A_VPC_ID, CLINK_A_VPCE_ADDR,
 *   CLINK_A_SVC_ID, CLINK_A_VPCE_ALLOWED (u8: whether the service allows
 *   it now) and CLINK_A_VPCE_N_SESSIONS (u32).
 *
 *   A VPC with services or VPC endpoints cannot be deleted (EBUSY).
 *
 * PrivateLink datapath (fullnat)
 * ------------------------------
 * A packet from a consumer VM (consumer VNI) to a VPC endpoint's IP, of
 * the service's protocol and port, or an ICMP echo request, opens a
 * session: a backend is chosen by hashing the flow, a SNAT address by the
 * flow and a free SNAT port (ICMP: echo id) at random; both addresses and
 * both ports are rewritten and the packet goes to the backend's VTEP (its
 * CLINK_CMD_NEW_ENDPOINT in the provider VPC) with the provider VNI, its
 * TTL decremented. The backend's answers to the SNAT address and port are
 * translated back and go to the consumer VM's VTEP with the consumer VNI.
 * Sessions expire when idle: TCP 30 s before an answer, 300 s once
 * established and 10 s after a FIN or RST; UDP 30 s; ICMP 10 s. At most
 * CLINK_MAX_SESSIONS per device (CLINK_DROP_PL_SESSION_LIMIT).
 *
 * Events
 * ======
 * Every change is multicast to the group CLINK_MCGRP_EVENTS as a message
 * with the command of the change (NEW_VPC, SET_VPC, DEL_VPC, NEW_INSTANCE,
 * SET_INSTANCE, DEL_INSTANCE, NEW_LINK, DEL_LINK, NEW_ROUTE, DEL_ROUTE,
 * NEW_ENDPOINT, DEL_ENDPOINT, NEW_ACL, DEL_ACL, SET_DEV, NEW_SERVICE,
 * SET_SERVICE, DEL_SERVICE, NEW_VPCE, DEL_VPCE), the device's
 * CLINK_A_IFINDEX/IFNAME, the object's attributes as in its GET reply, and
 * CLINK_A_EVENT_REASON (u8 enum clink_event_reason). Injected and withdrawn
 * classiclink routes are announced as NEW_ROUTE / DEL_ROUTE with
 * CLINK_A_ROUTE_TYPE = CLINK_ROUTE_CLASSICLINK, the input a BGP speaker
 * needs. The reason is CLINK_EVENT_ADDED, _CHANGED or _REMOVED, except for
 * links removed as a side effect (IP_CHANGED, INSTANCE_DELETED, FLUSHED)
 * and for the DEL_LINK and DEL_ROUTE of every link of a device that goes
 * away (DEV_DELETED). Deleting a linked instance emits DEL_LINK and
 * DEL_ROUTE (INSTANCE_DELETED), then DEL_INSTANCE (REMOVED).
 * An event that cannot be delivered (no memory for it, or a listener's
 * receive buffer is full) makes the listener's next recv() fail with
 * ENOBUFS, as rtnetlink does: the listener has missed events and must dump
 * again. A change is never undone because its event was lost.
 *
 * Dumps
 * =====
 * Dumps resume across messages and are checked with the device's
 * generation counter: a dump that raced a change is flagged with
 * NLM_F_DUMP_INTR and should be retried. Each part of a dump is consistent
 * in itself (taken under the device's lock), and a dump resumes by key
 * (device ifindex, the order in which objects were created, ACL priority,
 * route prefix), never by position: an object deleted or added between two
 * parts never makes the dump skip or repeat another one.
 *
 * Traffic statistics (CLINK_A_STATS nest)
 * =======================================
 *    CLINK_STATS_A_TO_VPC_PACKETS, _TO_VPC_BYTES: classic -> VPC
 *    CLINK_STATS_A_TO_CLASSIC_PACKETS, _TO_CLASSIC_BYTES: VPC -> classic
 *   all u64 (NLA_PAD aligned with CLINK_STATS_A_PAD).
 */

#ifndef _UAPI_LINUX_CLINK_H
#define _UAPI_LINUX_CLINK_H

#define CLINK_GENL_NAME		"clink"
#define CLINK_GENL_VERSION	1
#define CLINK_MCGRP_EVENTS	"events"

#define CLINK_ID_MAXLEN		64	/* including the NUL */
#define CLINK_MAX_PREFIXES	16	/* per prefix list */
#define CLINK_MAX_SECONDARY	4	/* secondary CIDRs per VPC */
#define CLINK_MAX_ROUTES	256	/* custom routes per VPC */
#define CLINK_MAX_ACLS		256	/* ACL rules per VPC */
#define CLINK_DEFAULT_PORT	4789
#define CLINK_DEFAULT_MAX_LINKS_PER_VPC	100
#define CLINK_MAX_LINKS_PER_VPC	65536
#define CLINK_DEFAULT_MAX_VPCS		65536
#define CLINK_DEFAULT_MAX_INSTANCES	1048576
#define CLINK_DEFAULT_MAX_LINKS		1048576
#define CLINK_DEFAULT_MAX_ENDPOINTS	1048576
#define CLINK_DSCP_MAX		63
#define CLINK_DSCP_INHERIT	255	/* copy the inner packet's DSCP */
#define CLINK_MAX_BACKENDS	16	/* per service */
#define CLINK_MAX_SNAT		16	/* SNAT addresses per service */
#define CLINK_MAX_PRINCIPALS	16	/* per allow list of a service */
#define CLINK_MAX_SERVICES	4096	/* per device */
#define CLINK_MAX_VPCES		65536	/* per device */
#define CLINK_MAX_SESSIONS	262144	/* per device */

enum clink_cmd {
	CLINK_CMD_UNSPEC,
	CLINK_CMD_GET_DEV,
	CLINK_CMD_SET_DEV,
	CLINK_CMD_NEW_VPC,
	CLINK_CMD_SET_VPC,
	CLINK_CMD_DEL_VPC,
	CLINK_CMD_GET_VPC,
	CLINK_CMD_NEW_CIDR,
	CLINK_CMD_DEL_CIDR,
	CLINK_CMD_NEW_ENDPOINT,
	CLINK_CMD_DEL_ENDPOINT,
	CLINK_CMD_GET_ENDPOINT,
	CLINK_CMD_NEW_ROUTE,
	CLINK_CMD_DEL_ROUTE,
	CLINK_CMD_GET_ROUTE,
	CLINK_CMD_NEW_INSTANCE,
	CLINK_CMD_SET_INSTANCE,
	CLINK_CMD_DEL_INSTANCE,
	CLINK_CMD_GET_INSTANCE,
	CLINK_CMD_NEW_LINK,
	CLINK_CMD_DEL_LINK,
	CLINK_CMD_GET_LINK,
	CLINK_CMD_FLUSH_LINKS,
	CLINK_CMD_NEW_ACL,
	CLINK_CMD_DEL_ACL,
	CLINK_CMD_GET_ACL,
	CLINK_CMD_NEW_SERVICE,
	CLINK_CMD_SET_SERVICE,
	CLINK_CMD_DEL_SERVICE,
	CLINK_CMD_GET_SERVICE,
	CLINK_CMD_NEW_VPCE,
	CLINK_CMD_DEL_VPCE,
	CLINK_CMD_GET_VPCE,

	__CLINK_CMD_MAX
};

#define CLINK_CMD_MAX (__CLINK_CMD_MAX - 1)

enum clink_attr {
	CLINK_A_UNSPEC,
	CLINK_A_PAD,
	CLINK_A_IFINDEX,		/* u32 */
	CLINK_A_IFNAME,			/* string, < IFNAMSIZ */

	CLINK_A_DEV_VERSION,		/* string */
	CLINK_A_DEV_LOCAL,		/* 4 bytes */
	CLINK_A_DEV_PORT,		/* u16 */
	CLINK_A_DEV_REGION,		/* string */
	CLINK_A_DEV_MAC,		/* 6 bytes */
	CLINK_A_DEV_MAX_LINKS_PER_VPC,	/* u32 */
	CLINK_A_DEV_MAX_VPCS,		/* u32 */
	CLINK_A_DEV_MAX_INSTANCES,	/* u32 */
	CLINK_A_DEV_MAX_LINKS,		/* u32 */
	CLINK_A_DEV_MAX_ENDPOINTS,	/* u32 */
	CLINK_A_DEV_CLASSIC_SPACE,	/* prefix list */
	CLINK_A_DEV_VPC_ELIGIBLE,	/* prefix list */
	CLINK_A_DEV_N_VPCS,		/* u32 */
	CLINK_A_DEV_N_INSTANCES,	/* u32 */
	CLINK_A_DEV_N_LINKS,		/* u32 */
	CLINK_A_DEV_N_ENDPOINTS,	/* u32 */
	CLINK_A_DEV_GENERATION,		/* u32 */

	CLINK_A_VPC_ID,			/* string */
	CLINK_A_VPC_VNI,		/* u32 */
	CLINK_A_VPC_CIDR,		/* prefix */
	CLINK_A_VPC_SECONDARY,		/* prefix list */
	CLINK_A_VPC_REGION,		/* string */
	CLINK_A_VPC_ACCOUNT,		/* string */
	CLINK_A_VPC_CLASSICLINK,	/* u8 0|1 */
	CLINK_A_VPC_N_LINKS,		/* u32 */
	CLINK_A_VPC_N_ENDPOINTS,	/* u32 */
	CLINK_A_VPC_N_ROUTES,		/* u32 */
	CLINK_A_VPC_N_ACLS,		/* u32 */

	CLINK_A_EP_ADDR,		/* 4 bytes */
	CLINK_A_EP_VTEP,		/* 4 bytes */
	CLINK_A_EP_MAC,			/* 6 bytes */

	CLINK_A_ROUTE_DST,		/* prefix */
	CLINK_A_ROUTE_TYPE,		/* u8, enum clink_route_type */
	CLINK_A_ROUTE_NEXTHOP,		/* u8, enum clink_nexthop */

	CLINK_A_INST_ID,		/* string */
	CLINK_A_INST_ADDR,		/* 4 bytes */
	CLINK_A_INST_REGION,		/* string */
	CLINK_A_INST_ACCOUNT,		/* string */

	CLINK_A_ACL_PRIO,		/* u32 */
	CLINK_A_ACL_DIR,		/* u8, enum clink_acl_dir */
	CLINK_A_ACL_ACTION,		/* u8, enum clink_acl_action */
	CLINK_A_ACL_PROTO,		/* u8 */
	CLINK_A_ACL_SRC,		/* prefix */
	CLINK_A_ACL_DST,		/* prefix */
	CLINK_A_ACL_SPORT_MIN,		/* u16 */
	CLINK_A_ACL_SPORT_MAX,		/* u16 */
	CLINK_A_ACL_DPORT_MIN,		/* u16 */
	CLINK_A_ACL_DPORT_MAX,		/* u16 */
	CLINK_A_ACL_HITS,		/* u64 */

	CLINK_A_STATS,			/* nest, CLINK_STATS_A_* */
	CLINK_A_DROPS,			/* nest, u64 per enum clink_drop_reason */
	CLINK_A_EVENT_REASON,		/* u8, enum clink_event_reason */
	CLINK_A_PREFIX_ENTRY,		/* prefix, inside prefix lists */
	CLINK_A_DEV_VTEP_CHECK,		/* u8 0|1 */
	CLINK_A_REPLACE,		/* flag, in NEW_* requests */
	CLINK_A_VPC_MAX_LINKS,		/* u32, 0 = the device's limit */
	CLINK_A_VPC_REACH,		/* prefix, 0.0.0.0/0 = the primary CIDR */
	CLINK_A_DEV_PROFILE,		/* u8, enum clink_profile */
	CLINK_A_VPC_DSCP,		/* u8, 0..63 or CLINK_DSCP_INHERIT */
	CLINK_A_LINK_DSCP,		/* u8, 0..63 or CLINK_DSCP_INHERIT */
	CLINK_A_SVC_ID,			/* string */
	CLINK_A_SVC_PROTO,		/* u8, IPPROTO_TCP or IPPROTO_UDP */
	CLINK_A_SVC_PORT,		/* u16 */
	CLINK_A_SVC_BACKENDS,		/* nest of CLINK_A_SVC_BACKEND */
	CLINK_A_SVC_BACKEND,		/* nest, CLINK_BACKEND_A_* */
	CLINK_A_SVC_SNAT,		/* nest of CLINK_A_SVC_ADDR */
	CLINK_A_SVC_ADDR,		/* 4 bytes, inside CLINK_A_SVC_SNAT */
	CLINK_A_SVC_ALLOW_ACCOUNTS,	/* nest of CLINK_A_SVC_PRINCIPAL */
	CLINK_A_SVC_ALLOW_VPCS,		/* nest of CLINK_A_SVC_PRINCIPAL */
	CLINK_A_SVC_PRINCIPAL,		/* nest, inside allow lists */
	CLINK_A_SVC_ACCEPTING,		/* u8 0|1 */
	CLINK_A_SVC_N_VPCES,		/* u32 */
	CLINK_A_VPCE_ID,		/* string */
	CLINK_A_VPCE_ADDR,		/* 4 bytes */
	CLINK_A_VPCE_ALLOWED,		/* u8 0|1 */
	CLINK_A_VPCE_N_SESSIONS,	/* u32 */

	__CLINK_A_MAX
};

#define CLINK_A_MAX (__CLINK_A_MAX - 1)

enum clink_prefix_attr {
	CLINK_PREFIX_A_UNSPEC,
	CLINK_PREFIX_A_ADDR,		/* 4 bytes */
	CLINK_PREFIX_A_LEN,		/* u8, 0..32 */

	__CLINK_PREFIX_A_MAX
};

#define CLINK_PREFIX_A_MAX (__CLINK_PREFIX_A_MAX - 1)

enum clink_backend_attr {
	CLINK_BACKEND_A_UNSPEC,
	CLINK_BACKEND_A_ADDR,		/* 4 bytes */
	CLINK_BACKEND_A_PORT,		/* u16, host order */

	__CLINK_BACKEND_A_MAX
};

#define CLINK_BACKEND_A_MAX (__CLINK_BACKEND_A_MAX - 1)

enum clink_stats_attr {
	CLINK_STATS_A_UNSPEC,
	CLINK_STATS_A_PAD,
	CLINK_STATS_A_TO_VPC_PACKETS,
	CLINK_STATS_A_TO_VPC_BYTES,
	CLINK_STATS_A_TO_CLASSIC_PACKETS,
	CLINK_STATS_A_TO_CLASSIC_BYTES,

	__CLINK_STATS_A_MAX
};

#define CLINK_STATS_A_MAX (__CLINK_STATS_A_MAX - 1)

/*
 * Why the datapath dropped a packet. Each has a counter (CLINK_A_DROPS) and
 * counts into the device's rx_dropped or tx_dropped.
 */
enum clink_drop_reason {
	CLINK_DROP_UNSPEC,
	CLINK_DROP_NO_LINK,		/* classic source is not a linked instance */
	CLINK_DROP_SECONDARY_CIDR,	/* destination in a secondary CIDR */
	CLINK_DROP_NO_TRANSIT,		/* destination outside the VPC or via a custom route */
	CLINK_DROP_ACL_DENY,		/* a network ACL rule denied it */
	CLINK_DROP_NO_ENDPOINT,		/* no endpoint for the VPC destination */
	CLINK_DROP_UNKNOWN_VNI,		/* VXLAN VNI of no VPC */
	CLINK_DROP_NOT_LINKED,		/* VPC -> classic IP not linked to this VPC */
	CLINK_DROP_SPOOFED_SOURCE,	/* inner source outside the VPC primary CIDR */
	CLINK_DROP_MALFORMED,		/* bad VXLAN header or inner frame */
	CLINK_DROP_NOT_IPV4,		/* inner frame neither IPv4 nor ARP */
	CLINK_DROP_MTU,			/* too big, ICMP frag-needed sent */
	CLINK_DROP_NO_ROUTE,		/* no underlay route to the VTEP */
	CLINK_DROP_TTL,			/* inner TTL expired (time exceeded sent) */
	CLINK_DROP_NOMEM,		/* allocation or headroom failure */
	CLINK_DROP_VTEP_MISMATCH,	/* inner source not an endpoint behind the outer source */
	CLINK_DROP_OUTSIDE_REACH,	/* VPC address outside the VPC's reach prefix */
	CLINK_DROP_PL_NO_SERVICE,	/* to a VPC endpoint, not its service's proto/port */
	CLINK_DROP_PL_NOT_ALLOWED,	/* service does not allow the consumer or accept */
	CLINK_DROP_PL_NO_SESSION,	/* to a SNAT address, no session */
	CLINK_DROP_PL_SNAT_EXHAUSTED,	/* no free SNAT port */
	CLINK_DROP_PL_SESSION_LIMIT,	/* CLINK_MAX_SESSIONS reached */

	__CLINK_DROP_MAX
};

#define CLINK_DROP_MAX (__CLINK_DROP_MAX - 1)

/* The ClassicLink rules of a cloud, CLINK_A_DEV_PROFILE. */
enum clink_profile {
	CLINK_PROFILE_CUSTOM,		/* the lists and limit as set */
	CLINK_PROFILE_TENCENT,
	CLINK_PROFILE_ALIBABA,
	CLINK_PROFILE_AWS,

	__CLINK_PROFILE_MAX
};

#define CLINK_PROFILE_MAX (__CLINK_PROFILE_MAX - 1)

enum clink_route_type {
	CLINK_ROUTE_LOCAL,		/* a VPC CIDR, automatic */
	CLINK_ROUTE_CLASSICLINK,	/* a linked instance's /32, automatic */
	CLINK_ROUTE_CUSTOM,		/* user route to a next hop outside the VPC */

	__CLINK_ROUTE_TYPE_MAX
};

enum clink_nexthop {
	CLINK_NEXTHOP_NONE,		/* local and classiclink routes */
	CLINK_NEXTHOP_VPN,
	CLINK_NEXTHOP_NAT,
	CLINK_NEXTHOP_PEERING,
	CLINK_NEXTHOP_DC,		/* direct connect */
	CLINK_NEXTHOP_INSTANCE,

	__CLINK_NEXTHOP_MAX
};

#define CLINK_NEXTHOP_MAX (__CLINK_NEXTHOP_MAX - 1)

enum clink_acl_dir {
	CLINK_ACL_TO_VPC,		/* classic -> VPC */
	CLINK_ACL_TO_CLASSIC,		/* VPC -> classic */

	__CLINK_ACL_DIR_MAX
};

#define CLINK_ACL_DIR_MAX (__CLINK_ACL_DIR_MAX - 1)

enum clink_acl_action {
	CLINK_ACL_ALLOW,
	CLINK_ACL_DENY,

	__CLINK_ACL_ACTION_MAX
};

#define CLINK_ACL_ACTION_MAX (__CLINK_ACL_ACTION_MAX - 1)

enum clink_event_reason {
	CLINK_EVENT_ADDED,
	CLINK_EVENT_REMOVED,
	CLINK_EVENT_CHANGED,
	CLINK_EVENT_IP_CHANGED,		/* link invalidated: instance IP changed */
	CLINK_EVENT_INSTANCE_DELETED,	/* link removed with its instance */
	CLINK_EVENT_FLUSHED,		/* link removed by FLUSH_LINKS */
	CLINK_EVENT_DEV_DELETED,	/* device (or its netns) went away */

	__CLINK_EVENT_MAX
};

#define CLINK_EVENT_MAX (__CLINK_EVENT_MAX - 1)

/* rtnetlink: IFLA_INFO_DATA of `ip link add NAME type clink` */
enum {
	IFLA_CLINK_UNSPEC,
	IFLA_CLINK_LOCAL,		/* 4 bytes */
	IFLA_CLINK_PORT,		/* u16, host order */
	IFLA_CLINK_REGION,		/* string */
	IFLA_CLINK_MAX_LINKS_PER_VPC,	/* u32 */
	IFLA_CLINK_MAX_VPCS,		/* u32 */
	IFLA_CLINK_MAX_INSTANCES,	/* u32 */
	IFLA_CLINK_MAX_LINKS,		/* u32 */
	IFLA_CLINK_MAX_ENDPOINTS,	/* u32 */
	IFLA_CLINK_CLASSIC_SPACE,	/* prefix list */
	IFLA_CLINK_VPC_ELIGIBLE,	/* prefix list */
	IFLA_CLINK_VTEP_CHECK,		/* u8 0|1 */
	IFLA_CLINK_PROFILE,		/* u8, enum clink_profile */

	__IFLA_CLINK_MAX
};

#define IFLA_CLINK_MAX (__IFLA_CLINK_MAX - 1)

#endif /* _UAPI_LINUX_CLINK_H */
