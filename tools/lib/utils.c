// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing and formatting of the values clinkctl takes on its command line.
 * Every parser accepts the whole string or nothing, and returns 0 or -1.
 */

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utils.h"

bool matches(const char *arg, const char *pattern)
{
	size_t len = strlen(arg);

	return len > 0 && len <= strlen(pattern) &&
	       strncmp(arg, pattern, len) == 0;
}

int parse_u32(const char *s, uint32_t *v)
{
	unsigned long long n;
	char *end;

	/* strtoull would take a sign and leading blanks: refuse both */
	if (!isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno || *end || n > UINT32_MAX)
		return -1;
	*v = (uint32_t)n;
	return 0;
}

int parse_u32_range(const char *s, uint32_t min, uint32_t max, uint32_t *v)
{
	uint32_t n;

	if (parse_u32(s, &n) || n < min || n > max)
		return -1;
	*v = n;
	return 0;
}

/* Only the four-part dotted quad: "10.1" is not an address here. */
int parse_addr(const char *s, struct in_addr *a)
{
	return inet_pton(AF_INET, s, a) == 1 ? 0 : -1;
}

/* ADDR/LEN, or ADDR alone for a /32. Host bits are left to the kernel. */
int parse_prefix(const char *s, struct prefix *p)
{
	char buf[ADDR_STRLEN];
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	uint32_t len = 32;

	if (alen >= sizeof(buf))
		return -1;
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	if (parse_addr(buf, &p->addr))
		return -1;
	if (slash && parse_u32_range(slash + 1, 0, 32, &len))
		return -1;
	p->len = (uint8_t)len;
	return 0;
}

/* PREFIX[,PREFIX...]; "none" (or "") is the empty list. */
int parse_prefix_list(const char *s, struct prefix_list *l)
{
	char buf[PREFIX_STRLEN];
	const char *p = s;

	l->n = 0;
	if (!*s || !strcmp(s, "none"))
		return 0;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);

		if (len == 0 || len >= sizeof(buf) || l->n == PREFIX_LIST_MAX)
			return -1;
		memcpy(buf, p, len);
		buf[len] = '\0';
		if (parse_prefix(buf, &l->p[l->n]))
			return -1;
		l->n++;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* xx:xx:xx:xx:xx:xx, two hex digits each (as `ip link` prints them). */
int parse_mac(const char *s, uint8_t mac[6])
{
	int i;

	if (strlen(s) != 17)
		return -1;
	for (i = 0; i < 6; i++) {
		const char *p = s + (size_t)i * 3;
		int hi = hexval((unsigned char)p[0]);
		int lo = hexval((unsigned char)p[1]);

		if (hi < 0 || lo < 0 || (i < 5 && p[2] != ':'))
			return -1;
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

/* N or N-M, 0 <= N <= M <= 65535. */
int parse_port_range(const char *s, uint16_t *min, uint16_t *max)
{
	char buf[8];
	const char *dash = strchr(s, '-');
	uint32_t lo, hi;

	if (!dash) {
		if (parse_u32_range(s, 0, 65535, &lo))
			return -1;
		*min = *max = (uint16_t)lo;
		return 0;
	}
	if ((size_t)(dash - s) >= sizeof(buf))
		return -1;
	memcpy(buf, s, (size_t)(dash - s));
	buf[dash - s] = '\0';
	if (parse_u32_range(buf, 0, 65535, &lo) ||
	    parse_u32_range(dash + 1, 0, 65535, &hi) || lo > hi)
		return -1;
	*min = (uint16_t)lo;
	*max = (uint16_t)hi;
	return 0;
}

int parse_onoff(const char *s, bool *on)
{
	if (!strcmp(s, "on")) {
		*on = true;
		return 0;
	}
	if (!strcmp(s, "off")) {
		*on = false;
		return 0;
	}
	return -1;
}

static const struct {
	const char *name;
	uint8_t num;
} protos[] = {
	{ "any", 0 }, { "icmp", 1 }, { "tcp", 6 }, { "udp", 17 },
};

/* tcp, udp, icmp, any or an IP protocol number 0..255. */
int parse_proto(const char *s, uint8_t *proto)
{
	uint32_t n;
	size_t i;

	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
		if (!strcmp(s, protos[i].name)) {
			*proto = protos[i].num;
			return 0;
		}
	}
	if (parse_u32_range(s, 0, 255, &n))
		return -1;
	*proto = (uint8_t)n;
	return 0;
}

const char *format_proto(char *buf, uint8_t proto)
{
	size_t i;

	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (protos[i].num == proto)
			return protos[i].name;
	snprintf(buf, PROTO_STRLEN, "%u", proto);
	return buf;
}

const char *format_addr(char *buf, struct in_addr a)
{
	return inet_ntop(AF_INET, &a, buf, ADDR_STRLEN);
}

const char *format_prefix(char *buf, const struct prefix *p)
{
	char a[ADDR_STRLEN];

	snprintf(buf, PREFIX_STRLEN, "%s/%u", format_addr(a, p->addr), p->len);
	return buf;
}

const char *format_mac(char *buf, const uint8_t mac[6])
{
	snprintf(buf, MAC_STRLEN, "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	return buf;
}
