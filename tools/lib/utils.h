/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CLINK_UTILS_H
#define _CLINK_UTILS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#define PREFIX_LIST_MAX	16	/* CLINK_MAX_PREFIXES */

struct prefix {
	struct in_addr addr;	/* network order */
	uint8_t len;
};

struct prefix_list {
	int n;
	struct prefix p[PREFIX_LIST_MAX];
};

/*
 * iproute2's abbreviation rule: @arg names @pattern when it is a non-empty
 * prefix of it. Returns true on a match (unlike iproute2, which returns 0).
 */
bool matches(const char *arg, const char *pattern);

int parse_u32(const char *s, uint32_t *v);
int parse_u32_range(const char *s, uint32_t min, uint32_t max, uint32_t *v);
int parse_addr(const char *s, struct in_addr *a);
int parse_prefix(const char *s, struct prefix *p);
int parse_prefix_list(const char *s, struct prefix_list *l);
int parse_mac(const char *s, uint8_t mac[6]);
int parse_port_range(const char *s, uint16_t *min, uint16_t *max);
int parse_onoff(const char *s, bool *on);
int parse_proto(const char *s, uint8_t *proto);

#define ADDR_STRLEN	16
#define PREFIX_STRLEN	20
#define MAC_STRLEN	18
#define PROTO_STRLEN	8

const char *format_addr(char *buf, struct in_addr a);
const char *format_prefix(char *buf, const struct prefix *p);
const char *format_mac(char *buf, const uint8_t mac[6]);
const char *format_proto(char *buf, uint8_t proto);

#endif /* _CLINK_UTILS_H */
