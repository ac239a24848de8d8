// SPDX-License-Identifier: GPL-2.0
/*
 * clinkctl save: print a batch file that recreates a device's
 * configuration (clinkctl -batch FILE replays it). Everything is read
 * first and printed at the end, so a dump that raced a change prints
 * nothing; each section is sorted, so saving the replayed configuration
 * prints the same file again.
 */

#define _GNU_SOURCE
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clinkctl.h"

#define USAGE save_usage
static const char save_usage[] =
"Usage: clinkctl save [ dev NAME ]\n";

struct lines {
	char **v;
	size_t n, cap;
};

enum section {
	S_VPC, S_CIDR, S_ROUTE, S_CLASSICLINK, S_ENDPOINT, S_ACL, S_INSTANCE,
	S_LINK, S_SERVICE, S_VPCE, S_MAX
};

static const char *const section_titles[S_MAX] = {
	"VPCs", "secondary CIDRs", "custom routes", "ClassicLink",
	"endpoints", "network ACLs", "classic instances", "links",
	"PrivateLink services", "PrivateLink VPC endpoints",
};

struct save {
	struct lines sec[S_MAX];
	struct lines vpcs;		/* VPC IDs, for the per-VPC dumps */
	char *dev_line;
	char *ifname;
	int n_devs;
	const char *suffix;		/* " dev NAME" when asked for one */
	bool oom;
};

__attribute__((format(printf, 3, 4)))
static void add_line(struct save *s, struct lines *l, const char *fmt, ...)
{
	va_list ap;
	char *line;

	va_start(ap, fmt);
	if (vasprintf(&line, fmt, ap) < 0)
		line = NULL;
	va_end(ap);
	if (!line) {
		s->oom = true;
		return;
	}
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		char **v = realloc(l->v, cap * sizeof(*v));

		if (!v) {
			free(line);
			s->oom = true;
			return;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = line;
}

static void free_lines(struct lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *str(const struct nlattr *a)
{
	return a ? mnl_attr_get_str(a) : "";
}

/*
 * A string attribute as one batch word: as it is when it needs no quotes,
 * else in double quotes with \" and \\ escaped. Rotates through a few
 * buffers so that one line can quote several values.
 */
static const char *word(const struct nlattr *a)
{
	static char bufs[8][2 * CLINK_ID_MAXLEN + 3];
	static unsigned int next;
	const char *s = str(a), *p;
	char *buf, *o;

	for (p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("._:/+@=-", *p))
			break;
	if (*s && !*p)
		return s;
	buf = bufs[next++ % 8];
	o = buf;
	*o++ = '"';
	for (p = s; *p && o < buf + sizeof(bufs[0]) - 3; p++) {
		if (*p == '"' || *p == '\\')
			*o++ = '\\';
		*o++ = *p;
	}
	*o++ = '"';
	*o = '\0';
	return buf;
}

/* " KEYWORD a,b" into @buf */
static void fmt_list(char *buf, size_t size, const char *keyword,
		     const struct nlattr *nest)
{
	char p[PREFIX_STRLEN];
	struct prefix_list l;
	size_t len;
	int i;

	get_prefix_list(nest, &l);
	len = (size_t)snprintf(buf, size, " %s %s", keyword, l.n ? "" : "none");
	for (i = 0; i < l.n && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? "," : "",
					format_prefix(p, &l.p[i]));
}

static int dev_cb(const struct nlmsghdr *nlh, void *data)
{
	static const struct {
		const char *keyword;
		uint32_t dflt;	/* printed only when different */
		uint16_t attr;
	} maxes[] = {
		{ "max-links-per-vpc", 0, CLINK_A_DEV_MAX_LINKS_PER_VPC },
		{ "max-vpcs", CLINK_DEFAULT_MAX_VPCS, CLINK_A_DEV_MAX_VPCS },
		{ "max-instances", CLINK_DEFAULT_MAX_INSTANCES, CLINK_A_DEV_MAX_INSTANCES },
		{ "max-links", CLINK_DEFAULT_MAX_LINKS, CLINK_A_DEV_MAX_LINKS },
		{ "max-endpoints", CLINK_DEFAULT_MAX_ENDPOINTS, CLINK_A_DEV_MAX_ENDPOINTS },
	};
	struct save *s = data;
	char line[1024], a[ADDR_STRLEN];
	struct prefix_list l;
	size_t len, i;
	clink_tb_t tb;
	bool profile;

	genl_parse(nlh, tb);
	if (s->n_devs++ || !tb[CLINK_A_IFNAME])
		return MNL_CB_OK;
	s->ifname = strdup(mnl_attr_get_str(tb[CLINK_A_IFNAME]));
	len = (size_t)snprintf(line, sizeof(line), "dev set %s", str(tb[CLINK_A_IFNAME]));
	if (tb[CLINK_A_DEV_LOCAL] && get_addr(tb[CLINK_A_DEV_LOCAL]).s_addr)
		len += (size_t)snprintf(line + len, sizeof(line) - len, " local %s",
					format_addr(a, get_addr(tb[CLINK_A_DEV_LOCAL])));
	/* the port can only change while the device is down: leave the default */
	if (tb[CLINK_A_DEV_PORT] &&
	    mnl_attr_get_u16(tb[CLINK_A_DEV_PORT]) != CLINK_DEFAULT_PORT)
		len += (size_t)snprintf(line + len, sizeof(line) - len, " port %u",
					mnl_attr_get_u16(tb[CLINK_A_DEV_PORT]));
	if (*str(tb[CLINK_A_DEV_REGION]))
		len += (size_t)snprintf(line + len, sizeof(line) - len, " region %s",
					word(tb[CLINK_A_DEV_REGION]));
	/* a profile stands for its lists and max-links-per-vpc */
	profile = tb[CLINK_A_DEV_PROFILE] &&
		  mnl_attr_get_u8(tb[CLINK_A_DEV_PROFILE]) != CLINK_PROFILE_CUSTOM;
	if (profile && len < sizeof(line))
		len += (size_t)snprintf(line + len, sizeof(line) - len, " profile %s",
					profile_name(tb[CLINK_A_DEV_PROFILE]));
	for (i = 0; i < sizeof(maxes) / sizeof(maxes[0]) && len < sizeof(line); i++) {
		uint32_t v;

		if (!tb[maxes[i].attr] ||
		    (profile && maxes[i].attr == CLINK_A_DEV_MAX_LINKS_PER_VPC))
			continue;
		v = mnl_attr_get_u32(tb[maxes[i].attr]);
		if (maxes[i].dflt && v == maxes[i].dflt)
			continue;
		len += (size_t)snprintf(line + len, sizeof(line) - len, " %s %u",
					maxes[i].keyword, v);
	}
	if (tb[CLINK_A_DEV_CLASSIC_SPACE] && !profile && len < sizeof(line)) {
		fmt_list(line + len, sizeof(line) - len, "classic-space",
			 tb[CLINK_A_DEV_CLASSIC_SPACE]);
		len = strlen(line);
	}
	get_prefix_list(tb[CLINK_A_DEV_VPC_ELIGIBLE], &l);
	if (l.n && !profile && len < sizeof(line)) {
		fmt_list(line + len, sizeof(line) - len, "vpc-eligible",
			 tb[CLINK_A_DEV_VPC_ELIGIBLE]);
		len = strlen(line);
	}
	/* on is the default: only "off" is worth a word */
	if (tb[CLINK_A_DEV_VTEP_CHECK] && !mnl_attr_get_u8(tb[CLINK_A_DEV_VTEP_CHECK]) &&
	    len < sizeof(line))
		snprintf(line + len, sizeof(line) - len, " vtep-check off");
	s->dev_line = strdup(line);
	if (!s->dev_line || !s->ifname)
		s->oom = true;
	return MNL_CB_OK;
}

/* " dscp N" or " dscp inherit" appended to @buf, when @a is there. */
static void dscp_word(char *buf, size_t size, const struct nlattr *a)
{
	size_t len = strlen(buf);
	uint8_t dscp;

	if (!a)
		return;
	dscp = mnl_attr_get_u8(a);
	if (dscp == CLINK_DSCP_INHERIT)
		snprintf(buf + len, size - len, " dscp inherit");
	else
		snprintf(buf + len, size - len, " dscp %u", dscp);
}

static int vpc_cb(const struct nlmsghdr *nlh, void *data)
{
	char p[PREFIX_STRLEN], extra[256] = "";
	struct save *s = data;
	struct prefix_list l;
	struct prefix cidr, reach;
	const char *id, *qid;
	clink_tb_t tb;
	int i;

	genl_parse(nlh, tb);
	if (!tb[CLINK_A_VPC_ID] || !tb[CLINK_A_VPC_VNI] ||
	    !get_prefix(tb[CLINK_A_VPC_CIDR], &cidr))
		return MNL_CB_OK;
	id = mnl_attr_get_str(tb[CLINK_A_VPC_ID]);
	add_line(s, &s->vpcs, "%s", id);
	qid = word(tb[CLINK_A_VPC_ID]);
	if (*str(tb[CLINK_A_VPC_REGION]))
		snprintf(extra, sizeof(extra), " region %s", word(tb[CLINK_A_VPC_REGION]));
	if (*str(tb[CLINK_A_VPC_ACCOUNT]))
		snprintf(extra + strlen(extra), sizeof(extra) - strlen(extra),
			 " account %s", word(tb[CLINK_A_VPC_ACCOUNT]));
	if (get_prefix(tb[CLINK_A_VPC_REACH], &reach))
		snprintf(extra + strlen(extra), sizeof(extra) - strlen(extra),
			 " reach %s", format_prefix(p, &reach));
	dscp_word(extra, sizeof(extra), tb[CLINK_A_VPC_DSCP]);
	add_line(s, &s->sec[S_VPC], "vpc add %s vni %u cidr %s%s%s", qid,
		 mnl_attr_get_u32(tb[CLINK_A_VPC_VNI]), format_prefix(p, &cidr),
		 extra, s->suffix);
	get_prefix_list(tb[CLINK_A_VPC_SECONDARY], &l);
	for (i = 0; i < l.n; i++)
		add_line(s, &s->sec[S_CIDR], "vpc cidr add %s %s%s", qid,
			 format_prefix(p, &l.p[i]), s->suffix);
	if (tb[CLINK_A_VPC_CLASSICLINK] && mnl_attr_get_u8(tb[CLINK_A_VPC_CLASSICLINK]))
		add_line(s, &s->sec[S_CLASSICLINK], "vpc set %s classiclink on%s",
			 qid, s->suffix);
	if (tb[CLINK_A_VPC_MAX_LINKS] && mnl_attr_get_u32(tb[CLINK_A_VPC_MAX_LINKS]))
		add_line(s, &s->sec[S_CLASSICLINK], "vpc set %s max-links %u%s",
			 qid, mnl_attr_get_u32(tb[CLINK_A_VPC_MAX_LINKS]),
			 s->suffix);
	return MNL_CB_OK;
}

static int route_cb(const struct nlmsghdr *nlh, void *data)
{
	char p[PREFIX_STRLEN];
	struct save *s = data;
	struct prefix dst;
	clink_tb_t tb;

	genl_parse(nlh, tb);
	if (!tb[CLINK_A_VPC_ID] || !tb[CLINK_A_ROUTE_TYPE] || !tb[CLINK_A_ROUTE_NEXTHOP] ||
	    mnl_attr_get_u8(tb[CLINK_A_ROUTE_TYPE]) != CLINK_ROUTE_CUSTOM ||
	    !get_prefix(tb[CLINK_A_ROUTE_DST], &dst))
		return MNL_CB_OK;
	add_line(s, &s->sec[S_ROUTE], "route add vpc %s %s via %s%s",
		 word(tb[CLINK_A_VPC_ID]), format_prefix(p, &dst),
		 nexthop_name(mnl_attr_get_u8(tb[CLINK_A_ROUTE_NEXTHOP])), s->suffix);
	return MNL_CB_OK;
}

static int endpoint_cb(const struct nlmsghdr *nlh, void *data)
{
	char a[ADDR_STRLEN], v[ADDR_STRLEN], m[MAC_STRLEN];
	struct save *s = data;
	clink_tb_t tb;

	genl_parse(nlh, tb);
	if (!tb[CLINK_A_VPC_ID] || !tb[CLINK_A_EP_ADDR] || !tb[CLINK_A_EP_VTEP] ||
	    !tb[CLINK_A_EP_MAC])
		return MNL_CB_OK;
	add_line(s, &s->sec[S_ENDPOINT], "endpoint add vpc %s %s vtep %s mac %s%s",
		 word(tb[CLINK_A_VPC_ID]), format_addr(a, get_addr(tb[CLINK_A_EP_ADDR])),
		 format_addr(v, get_addr(tb[CLINK_A_EP_VTEP])),
		 format_mac(m, mnl_attr_get_payload(tb[CLINK_A_EP_MAC])), s->suffix);
	return MNL_CB_OK;
}

static void fmt_ports(char *buf, size_t size, const char *keyword,
		      const struct nlattr *min, const struct nlattr *max)
{
	unsigned int lo = min ? mnl_attr_get_u16(min) : 0;
	unsigned int hi = max ? mnl_attr_get_u16(max) : 65535;

	if (lo == 0 && hi == 65535)
		return;
	if (lo == hi)
		snprintf(buf, size, " %s %u", keyword, lo);
	else
		snprintf(buf, size, " %s %u-%u", keyword, lo, hi);
}

static int acl_cb(const struct nlmsghdr *nlh, void *data)
{
	char proto[32] = "", src[32] = "", dst[32] = "", sport[32] = "", dport[32] = "";
	char p[PREFIX_STRLEN], pb[PROTO_STRLEN];
	struct save *s = data;
	struct prefix pfx;
	uint8_t num = 0;
	clink_tb_t tb;

	genl_parse(nlh, tb);
	if (!tb[CLINK_A_VPC_ID] || !tb[CLINK_A_ACL_PRIO] || !tb[CLINK_A_ACL_DIR] ||
	    !tb[CLINK_A_ACL_ACTION])
		return MNL_CB_OK;
	if (tb[CLINK_A_ACL_PROTO])
		num = mnl_attr_get_u8(tb[CLINK_A_ACL_PROTO]);
	if (num)
		snprintf(proto, sizeof(proto), " proto %s", format_proto(pb, num));
	if (get_prefix(tb[CLINK_A_ACL_SRC], &pfx) && pfx.len)
		snprintf(src, sizeof(src), " src %s", format_prefix(p, &pfx));
	if (get_prefix(tb[CLINK_A_ACL_DST], &pfx) && pfx.len)
		snprintf(dst, sizeof(dst), " dst %s", format_prefix(p, &pfx));
	if (num == 6 || num == 17) {
		fmt_ports(sport, sizeof(sport), "sport", tb[CLINK_A_ACL_SPORT_MIN],
			  tb[CLINK_A_ACL_SPORT_MAX]);
		fmt_ports(dport, sizeof(dport), "dport", tb[CLINK_A_ACL_DPORT_MIN],
			  tb[CLINK_A_ACL_DPORT_MAX]);
	}
	add_line(s, &s->sec[S_ACL], "acl add vpc %s prio %u dir %s%s%s%s%s%s action %s%s",
		 word(tb[CLINK_A_VPC_ID]), mnl_attr_get_u32(tb[CLINK_A_ACL_PRIO]),
		 acl_dir_name(mnl_attr_get_u8(tb[CLINK_A_ACL_DIR])), proto, src, dst,
		 sport, dport, acl_action_name(mnl_attr_get_u8(tb[CLINK_A_ACL_ACTION])),
		 s->suffix);
	return MNL_CB_OK;
}

static int instance_cb(const struct nlmsghdr *nlh, void *data)
{
	char a[ADDR_STRLEN], extra[256] = "";
	struct save *s = data;
	clink_tb_t tb;

	genl_parse(nlh, tb);
	if (!tb[CLINK_A_INST_ID] || !tb[CLINK_A_INST_ADDR])
		return MNL_CB_OK;
	if (*str(tb[CLINK_A_INST_REGION]))
		snprintf(extra, sizeof(extra), " region %s", word(tb[CLINK_A_INST_REGION]));
	if (*str(tb[CLINK_A_INST_ACCOUNT]))
		snprintf(extra + strlen(extra), sizeof(extra) - strlen(extra),
			 " account %s", word(tb[CLINK_A_INST_ACCOUNT]));
	add_line(s, &s->sec[S_INSTANCE], "instance add %s ip %s%s%s",
		 word(tb[CLINK_A_INST_ID]), format_addr(a, get_addr(tb[CLINK_A_INST_ADDR])),
		 extra, s->suffix);
	return MNL_CB_OK;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct save *s = data;
	char extra[32] = "";
	clink_tb_t tb;

	genl_parse(nlh, tb);
	if (!tb[CLINK_A_INST_ID] || !tb[CLINK_A_VPC_ID])
		return MNL_CB_OK;
	dscp_word(extra, sizeof(extra), tb[CLINK_A_LINK_DSCP]);
	add_line(s, &s->sec[S_LINK], "link add %s vpc %s%s%s", word(tb[CLINK_A_INST_ID]),
		 word(tb[CLINK_A_VPC_ID]), extra, s->suffix);
	return MNL_CB_OK;
}

/* " allow KEYWORD ID" for each entry of an allow list, into @buf */
static void fmt_allow(char *buf, size_t size, const char *keyword,
		      const struct nlattr *list, uint16_t attr)
{
	const struct nlattr *entry, *a;
	size_t len = strlen(buf);

	if (!list)
		return;
	mnl_attr_for_each_nested(entry, list)
		mnl_attr_for_each_nested(a, entry)
			if (mnl_attr_get_type(a) == attr && len < size &&
			    !mnl_attr_validate(a, MNL_TYPE_NUL_STRING))
				len += (size_t)snprintf(buf + len, size - len,
							" allow %s %s", keyword,
							word(a));
}

static int service_cb(const struct nlmsghdr *nlh, void *data)
{
	char line[4096], a[ADDR_STRLEN], pb[PROTO_STRLEN];
	const struct nlattr *entry, *attr;
	struct save *s = data;
	size_t len;
	clink_tb_t tb;

	genl_parse(nlh, tb);
	if (!tb[CLINK_A_SVC_ID] || !tb[CLINK_A_VPC_ID] || !tb[CLINK_A_SVC_PROTO] ||
	    !tb[CLINK_A_SVC_PORT] || !tb[CLINK_A_SVC_BACKENDS] || !tb[CLINK_A_SVC_SNAT])
		return MNL_CB_OK;
	len = (size_t)snprintf(line, sizeof(line), "service add %s vpc %s proto %s port %u",
			       word(tb[CLINK_A_SVC_ID]), word(tb[CLINK_A_VPC_ID]),
			       format_proto(pb, mnl_attr_get_u8(tb[CLINK_A_SVC_PROTO])),
			       mnl_attr_get_u16(tb[CLINK_A_SVC_PORT]));
	mnl_attr_for_each_nested(entry, tb[CLINK_A_SVC_BACKENDS]) {
		struct in_addr addr = { 0 };
		unsigned int port = 0;

		mnl_attr_for_each_nested(attr, entry) {
			if (mnl_attr_get_type(attr) == CLINK_BACKEND_A_ADDR &&
			    mnl_attr_get_payload_len(attr) == 4)
				addr = get_addr(attr);
			else if (mnl_attr_get_type(attr) == CLINK_BACKEND_A_PORT &&
				 !mnl_attr_validate(attr, MNL_TYPE_U16))
				port = mnl_attr_get_u16(attr);
		}
		if (len < sizeof(line))
			len += (size_t)snprintf(line + len, sizeof(line) - len,
						" backend %s:%u", format_addr(a, addr), port);
	}
	mnl_attr_for_each_nested(attr, tb[CLINK_A_SVC_SNAT])
		if (mnl_attr_get_payload_len(attr) == 4 && len < sizeof(line))
			len += (size_t)snprintf(line + len, sizeof(line) - len, " snat %s",
						format_addr(a, get_addr(attr)));
	if (len < sizeof(line)) {
		fmt_allow(line, sizeof(line), "account", tb[CLINK_A_SVC_ALLOW_ACCOUNTS],
			  CLINK_A_VPC_ACCOUNT);
		fmt_allow(line, sizeof(line), "vpc", tb[CLINK_A_SVC_ALLOW_VPCS],
			  CLINK_A_VPC_ID);
		len = strlen(line);
	}
	/* on is the default */
	if (tb[CLINK_A_SVC_ACCEPTING] && !mnl_attr_get_u8(tb[CLINK_A_SVC_ACCEPTING]) &&
	    len < sizeof(line))
		snprintf(line + len, sizeof(line) - len, " accepting off");
	add_line(s, &s->sec[S_SERVICE], "%s%s", line, s->suffix);
	return MNL_CB_OK;
}

static int vpce_cb(const struct nlmsghdr *nlh, void *data)
{
	struct save *s = data;
	char a[ADDR_STRLEN];
	clink_tb_t tb;

	genl_parse(nlh, tb);
	if (!tb[CLINK_A_VPCE_ID] || !tb[CLINK_A_VPC_ID] || !tb[CLINK_A_VPCE_ADDR] ||
	    !tb[CLINK_A_SVC_ID])
		return MNL_CB_OK;
	add_line(s, &s->sec[S_VPCE], "vpce add %s vpc %s ip %s service %s%s",
		 word(tb[CLINK_A_VPCE_ID]), word(tb[CLINK_A_VPC_ID]),
		 format_addr(a, get_addr(tb[CLINK_A_VPCE_ADDR])),
		 word(tb[CLINK_A_SVC_ID]), s->suffix);
	return MNL_CB_OK;
}

/* One request; @vpc adds CLINK_A_VPC_ID. */
static int fetch(struct save *s, uint8_t cmd, uint16_t flags, const char *vpc,
		 nl_cb_t cb)
{
	struct nlmsghdr *nlh = genl_msg(cmd, flags, cur_dev ? cur_dev : s->ifname);

	if (!nlh)
		return EXIT_RUNTIME;
	if (vpc)
		nl_put_strz(nlh, CLINK_A_VPC_ID, vpc);
	return genl_talk(nlh, cb, s);
}

static int collect(struct save *s)
{
	size_t i;
	int ret;

	ret = fetch(s, CLINK_CMD_GET_DEV, cur_dev ? 0 : NLM_F_DUMP, NULL, dev_cb);
	if (ret)
		return ret;
	if (s->n_devs == 0) {
		fprintf(stderr, "Error: no clink device\n");
		return EXIT_RUNTIME;
	}
	if (s->n_devs > 1) {
		fprintf(stderr, "Error: more than one clink device, say which one with \"dev NAME\"\n");
		return EXIT_RUNTIME;
	}
	ret = fetch(s, CLINK_CMD_GET_VPC, NLM_F_DUMP, NULL, vpc_cb);
	for (i = 0; !ret && i < s->vpcs.n; i++) {
		ret = fetch(s, CLINK_CMD_GET_ROUTE, NLM_F_DUMP, s->vpcs.v[i], route_cb);
		if (!ret)
			ret = fetch(s, CLINK_CMD_GET_ACL, NLM_F_DUMP, s->vpcs.v[i], acl_cb);
	}
	if (!ret)
		ret = fetch(s, CLINK_CMD_GET_ENDPOINT, NLM_F_DUMP, NULL, endpoint_cb);
	if (!ret)
		ret = fetch(s, CLINK_CMD_GET_INSTANCE, NLM_F_DUMP, NULL, instance_cb);
	if (!ret)
		ret = fetch(s, CLINK_CMD_GET_LINK, NLM_F_DUMP, NULL, link_cb);
	if (!ret)
		ret = fetch(s, CLINK_CMD_GET_SERVICE, NLM_F_DUMP, NULL, service_cb);
	if (!ret)
		ret = fetch(s, CLINK_CMD_GET_VPCE, NLM_F_DUMP, NULL, vpce_cb);
	return ret;
}

int do_save(int argc, char **argv)
{
	struct save s = { .suffix = "" };
	char *suffix = NULL;
	unsigned int intr = nl_dumps_interrupted;
	size_t i, j;
	int ret;

	for (; argc > 0; argc--, argv++) {
		if (matches(*argv, "dev")) {
			NEXT_ARG();
			DEV_ARG(cur_dev);
		} else if (matches(*argv, "help")) {
			fputs(USAGE, stdout);
			return 0;
		} else {
			return usage_error(USAGE, "unknown argument \"%s\"", *argv);
		}
	}
	if (cur_dev) {
		if (asprintf(&suffix, " dev %s", cur_dev) < 0)
			return EXIT_RUNTIME;
		s.suffix = suffix;
	}

	/* an interrupted dump fails the save as a whole, below */
	nl_warn_interrupted = false;
	ret = collect(&s);
	nl_warn_interrupted = true;
	if (!ret && s.oom) {
		fprintf(stderr, "Error: out of memory\n");
		ret = EXIT_RUNTIME;
	}
	if (!ret && nl_dumps_interrupted != intr) {
		fprintf(stderr, "Error: the configuration changed while it was saved; run save again\n");
		ret = EXIT_RUNTIME;
	}
	if (!ret) {
		printf("# clink configuration of %s, written by clinkctl save.\n"
		       "# Replay with: clinkctl -batch FILE\n%s\n",
		       s.ifname, s.dev_line);
		for (i = 0; i < S_MAX; i++) {
			if (!s.sec[i].n)
				continue;
			qsort(s.sec[i].v, s.sec[i].n, sizeof(char *), cmp_str);
			printf("\n# %s\n", section_titles[i]);
			for (j = 0; j < s.sec[i].n; j++)
				puts(s.sec[i].v[j]);
		}
	}
	for (i = 0; i < S_MAX; i++)
		free_lines(&s.sec[i]);
	free_lines(&s.vpcs);
	free(s.dev_line);
	free(s.ifname);
	free(suffix);
	return ret;
}
