// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of clinkctl: value parsers, abbreviations, the batch
 * reader and the JSON writer. No kernel needed. TAP output, then
 * "N passed, N failed".
 */

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/rtnetlink.h>

#include "../../lib/etcd.h"
#include "../../lib/nl.h"
#include "../../lib/record.h"
#include "../../lib/utils.h"
#include "batch.h"
#include "json.h"

static int n_pass, n_fail;

__attribute__((format(printf, 2, 3)))
static void ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d - ", cond ? "ok" : "not ok", n_pass + n_fail + 1);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (cond)
		n_pass++;
	else
		n_fail++;
}

/* The batch runner calls this; record what it was given. */
static char dispatched[64][128];
static int n_dispatched;

static int dispatch(int argc, char **argv)
{
	char *p = dispatched[n_dispatched % 64];
	int i;

	p[0] = '\0';
	for (i = 0; i < argc; i++) {
		strncat(p, argv[i], 127 - strlen(p));
		if (i + 1 < argc)
			strncat(p, "|", 127 - strlen(p));
	}
	n_dispatched++;
	return strcmp(argv[0], "fail") ? 0 : 1;
}

static void test_matches(void)
{
	ok(matches("l", "link"), "matches: l abbreviates link");
	ok(matches("link", "link"), "matches: link is link");
	ok(!matches("links", "link"), "matches: links is not link");
	ok(!matches("", "link"), "matches: the empty word matches nothing");
	ok(!matches("sh", "set"), "matches: sh is not set");
	ok(matches("s", "show"), "matches: s abbreviates show");
}

static void test_numbers(void)
{
	uint32_t v = 0;

	ok(parse_u32("0", &v) == 0 && v == 0, "u32: 0");
	ok(parse_u32("4294967295", &v) == 0 && v == 4294967295u, "u32: max");
	ok(parse_u32("4294967296", &v) < 0, "u32: overflow refused");
	ok(parse_u32("-1", &v) < 0, "u32: negative refused");
	ok(parse_u32("+1", &v) < 0, "u32: sign refused");
	ok(parse_u32(" 1", &v) < 0, "u32: leading blank refused");
	ok(parse_u32("12a", &v) < 0, "u32: trailing junk refused");
	ok(parse_u32("", &v) < 0, "u32: empty refused");
	ok(parse_u32("010", &v) == 0 && v == 10, "u32: decimal, not octal");
	ok(parse_u32_range("32", 0, 32, &v) == 0 && v == 32, "u32 range: upper bound");
	ok(parse_u32_range("33", 0, 32, &v) < 0, "u32 range: above refused");
}

static void test_addr_prefix(void)
{
	char buf[PREFIX_STRLEN];
	struct in_addr a;
	struct prefix p;
	struct prefix_list l;
	char many[512] = "";
	int i;

	ok(parse_addr("10.1.0.5", &a) == 0 && a.s_addr == inet_addr("10.1.0.5"),
	   "addr: dotted quad");
	ok(parse_addr("10.1", &a) < 0, "addr: short form refused");
	ok(parse_addr("256.1.1.1", &a) < 0, "addr: octet > 255 refused");
	ok(parse_addr("10.1.0.5 ", &a) < 0, "addr: trailing blank refused");

	ok(parse_prefix("172.16.0.0/16", &p) == 0 && p.len == 16 &&
	   !strcmp(format_prefix(buf, &p), "172.16.0.0/16"), "prefix: a.b.c.d/16");
	ok(parse_prefix("10.1.0.5", &p) == 0 && p.len == 32, "prefix: bare address is /32");
	ok(parse_prefix("0.0.0.0/0", &p) == 0 && p.len == 0, "prefix: /0");
	ok(parse_prefix("10.0.0.0/33", &p) < 0, "prefix: /33 refused");
	ok(parse_prefix("10.0.0.0/", &p) < 0, "prefix: empty length refused");
	ok(parse_prefix("10.0.0.0/8x", &p) < 0, "prefix: junk length refused");
	ok(parse_prefix("10.0.0/8", &p) < 0, "prefix: short address refused");
	ok(parse_prefix("10.1.2.3/8", &p) == 0, "prefix: host bits left to the kernel");

	ok(parse_prefix_list("10.0.0.0/8,192.168.0.0/16", &l) == 0 && l.n == 2 &&
	   l.p[1].len == 16, "prefix list: two entries");
	ok(parse_prefix_list("none", &l) == 0 && l.n == 0, "prefix list: none is empty");
	ok(parse_prefix_list("10.0.0.0/8,", &l) < 0, "prefix list: trailing comma refused");
	ok(parse_prefix_list("10.0.0.0/8,,10.0.0.0/8", &l) < 0, "prefix list: empty entry refused");
	for (i = 0; i < 17; i++)
		snprintf(many + strlen(many), sizeof(many) - strlen(many), "%s10.%d.0.0/16",
			 i ? "," : "", i);
	ok(parse_prefix_list(many, &l) < 0, "prefix list: 17 entries refused");
	many[strrchr(many, ',') - many] = '\0';
	ok(parse_prefix_list(many, &l) == 0 && l.n == 16, "prefix list: 16 entries taken");
}

static void test_mac_ports_proto(void)
{
	char buf[MAC_STRLEN], pb[PROTO_STRLEN];
	uint8_t mac[6], proto;
	uint16_t lo, hi;
	bool on;

	ok(parse_mac("02:00:00:00:00:10", mac) == 0 && mac[0] == 2 && mac[5] == 0x10,
	   "mac: parsed");
	ok(parse_mac("02:AB:cd:00:00:10", mac) == 0 &&
	   !strcmp(format_mac(buf, mac), "02:ab:cd:00:00:10"), "mac: case, formatted lower");
	ok(parse_mac("02:00:00:00:00", mac) < 0, "mac: five octets refused");
	ok(parse_mac("02-00-00-00-00-10", mac) < 0, "mac: dashes refused");
	ok(parse_mac("02:00:00:00:00:1g", mac) < 0, "mac: non-hex refused");

	ok(parse_port_range("80", &lo, &hi) == 0 && lo == 80 && hi == 80, "ports: single");
	ok(parse_port_range("1000-2000", &lo, &hi) == 0 && lo == 1000 && hi == 2000,
	   "ports: range");
	ok(parse_port_range("0-65535", &lo, &hi) == 0 && lo == 0 && hi == 65535,
	   "ports: full range");
	ok(parse_port_range("2000-1000", &lo, &hi) < 0, "ports: reversed refused");
	ok(parse_port_range("65536", &lo, &hi) < 0, "ports: 65536 refused");
	ok(parse_port_range("-5", &lo, &hi) < 0, "ports: missing low refused");
	ok(parse_port_range("5-", &lo, &hi) < 0, "ports: missing high refused");

	ok(parse_proto("tcp", &proto) == 0 && proto == 6, "proto: tcp");
	ok(parse_proto("udp", &proto) == 0 && proto == 17, "proto: udp");
	ok(parse_proto("icmp", &proto) == 0 && proto == 1, "proto: icmp");
	ok(parse_proto("any", &proto) == 0 && proto == 0, "proto: any");
	ok(parse_proto("47", &proto) == 0 && proto == 47 &&
	   !strcmp(format_proto(pb, 47), "47"), "proto: number");
	ok(parse_proto("256", &proto) < 0, "proto: 256 refused");
	ok(parse_proto("tc", &proto) < 0, "proto: no abbreviation of names");

	ok(parse_onoff("on", &on) == 0 && on, "onoff: on");
	ok(parse_onoff("off", &on) == 0 && !on, "onoff: off");
	ok(parse_onoff("yes", &on) < 0, "onoff: yes refused");
}

/* Read every command of @text, joined as "a|b;c|d" with line numbers. */
static void read_all(const char *text, char *out, size_t size)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	struct batch_reader r;
	int ret, i;

	out[0] = '\0';
	batch_init(&r, f);
	while ((ret = batch_next(&r)) != 0) {
		size_t len = strlen(out);

		if (ret < 0) {
			snprintf(out + len, size - len, "%lu:ERR(%s);", r.cmdline, r.error);
			continue;
		}
		len += (size_t)snprintf(out + len, size - len, "%lu:", r.cmdline);
		for (i = 0; i < r.argc; i++) {
			len += (size_t)snprintf(out + len, size - len, "%s%s", r.argv[i],
						i + 1 < r.argc ? "|" : ";");
		}
	}
	batch_free(&r);
	fclose(f);
}

static void check_batch(const char *text, const char *want, const char *what)
{
	char got[1024];

	read_all(text, got, sizeof(got));
	ok(!strcmp(got, want), "batch: %s", what);
	if (strcmp(got, want))
		printf("#   got  '%s'\n#   want '%s'\n", got, want);
}

static void test_batch_split(void)
{
	check_batch("vpc show\n", "1:vpc|show;", "one line");
	check_batch("vpc show", "1:vpc|show;", "no final newline");
	check_batch("  vpc\t show  \r\n", "1:vpc|show;", "blanks, tabs and CRLF");
	check_batch("# comment\n\n   \ndev show # trailing comment\n",
		    "4:dev|show;", "comments and blank lines, line number");
	check_batch("a#b c\n", "1:a#b|c;", "# inside a word is no comment");
	check_batch("vpc add a \\\n   vni 1\nvpc show\n",
		    "1:vpc|add|a|vni|1;3:vpc|show;", "continuation and the next line number");
	check_batch("ab\\\ncd\n", "1:abcd;", "continuation inside a word");
	check_batch("x \\\n\\\n y\n", "1:x|y;", "continued twice");
	check_batch("instance add \"i 1\" ip '10.0.0.1'\n",
		    "1:instance|add|i 1|ip|10.0.0.1;", "double and single quotes");
	check_batch("a x\"y z\"w 'p q'r\n", "1:a|xy zw|p qr;", "quotes glued to words");
	check_batch("a \"\" ''\n", "1:a||;", "empty quoted words");
	check_batch("a \"q\\\"t\\\\b\\n\"\n", "1:a|q\"t\\b\\n;", "escapes in double quotes");
	check_batch("a 'q\\n'\n", "1:a|q\\n;", "no escapes in single quotes");
	check_batch("a \\# b\n", "1:a|#|b;", "escaped #");
	check_batch("a \"# not a comment\"\n", "1:a|# not a comment;", "# in quotes");
	check_batch("a \"open\nb c\n", "1:ERR(unterminated quote);2:b|c;",
		    "unterminated quote, reading goes on");
	check_batch("a 'open\n", "1:ERR(unterminated quote);", "unterminated single quote");
	check_batch("\n\n# x \\\nvpc show\n", "4:vpc|show;",
		    "a comment does not continue");
	check_batch("", "", "empty file");
}

/* stderr into a file while a test runs, then into @err. */
static int saved_stderr = -1, capture_fd = -1;

static void capture_stderr(void)
{
	char path[] = "/tmp/clinkctl-unit-err-XXXXXX";

	capture_fd = mkstemp(path);
	if (capture_fd < 0)
		return;
	unlink(path);
	fflush(stderr);
	saved_stderr = dup(2);
	dup2(capture_fd, 2);
}

static void captured(char *err, size_t size)
{
	ssize_t n = -1;

	err[0] = '\0';
	if (capture_fd < 0)
		return;
	fflush(stderr);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	n = pread(capture_fd, err, size - 1, 0);
	err[n > 0 ? n : 0] = '\0';
	close(capture_fd);
	capture_fd = -1;
}

static int run_batch_text(const char *text, bool force, char *err, size_t size)
{
	char path[] = "/tmp/clinkctl-unit-XXXXXX";
	int fd = mkstemp(path), ret;
	char *p;

	if (fd < 0)
		return -100;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		return -100;
	close(fd);
	capture_stderr();
	ret = run_batch(path, force, dispatch);
	captured(err, size);
	/* the path varies: keep what follows it */
	for (p = strstr(err, path); p; p = strstr(err, path)) {
		memmove(p + 4, p + strlen(path), strlen(p + strlen(path)) + 1);
		memcpy(p, "FILE", 4);
	}
	unlink(path);
	return ret;
}

static void test_batch_run(void)
{
	const char *text = "ok 1\n# c\nfail 2\nok 3\nfail 4 \\\n  x\nok 5\n";
	char err[512];
	int ret;

	n_dispatched = 0;
	ret = run_batch_text(text, false, err, sizeof(err));
	ok(ret == 1 && n_dispatched == 2 && !strcmp(err, "Command failed FILE:3\n"),
	   "run_batch: stops at the first failure, names its line");
	if (strcmp(err, "Command failed FILE:3\n"))
		printf("#   stderr '%s'\n", err);

	n_dispatched = 0;
	ret = run_batch_text(text, true, err, sizeof(err));
	ok(ret == 1 && n_dispatched == 5 &&
	   !strcmp(err, "Command failed FILE:3\nCommand failed FILE:5\n") &&
	   !strcmp(dispatched[3], "fail|4|x"),
	   "run_batch -force: goes on, every failure reported, exit 1");

	n_dispatched = 0;
	ret = run_batch_text("ok\nok \"x\nok\n", false, err, sizeof(err));
	ok(ret == 1 && n_dispatched == 1 &&
	   !strcmp(err, "Error: unterminated quote\nCommand failed FILE:2\n"),
	   "run_batch: a syntax error fails its line");

	n_dispatched = 0;
	ret = run_batch_text("ok\n\nok\n", false, err, sizeof(err));
	ok(ret == 0 && n_dispatched == 2 && !err[0], "run_batch: success exits 0");

	ret = run_batch("/nonexistent/clinkctl.batch", false, dispatch);
	ok(ret == 1, "run_batch: missing file fails");
}

static char *json_of(bool pretty, void (*fn)(void))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	json_setup(f, true, pretty);
	fn();
	fclose(f);
	return buf;
}

static void json_sample(void)
{
	open_json_array(NULL);
	open_json_object(NULL);
	print_string("id", "%s", "vpc-\"a\"\\\n");
	print_uint("vni", " vni %llu", 100);
	print_onoff("classiclink", " classiclink %s", true);
	open_json_array("secondary");
	print_string(NULL, "%s", "172.17.0.0/16");
	close_json_array();
	open_json_array("empty");
	close_json_array();
	print_text("text only %d", 1);
	close_json_object();
	open_json_object(NULL);
	close_json_object();
	close_json_array();
}

static void json_empty(void)
{
	open_json_array(NULL);
	close_json_array();
}

static void json_list_ok_empty(void)
{
	open_json_list();
	close_json_list(0);
}

static void json_list_failed(void)
{
	open_json_list();
	close_json_list(1);
}

static void json_list_one(void)
{
	open_json_list();
	open_json_object(NULL);
	print_string("id", "%s", "a");
	close_json_object();
	close_json_list(1);
}

/*
 * Well-formed UTF-8 (2, 3 and 4 bytes) as it is; a stray byte, an overlong
 * form, a surrogate and a sequence cut short by the end each as U+FFFD
 * per byte that cannot start a sequence; DEL escaped.
 */
static void json_bytes(void)
{
	print_string(NULL, NULL, "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80|\xff|\xc0\xaf|"
			   "\xed\xa0\x80|\x7f|\xe2\x82");
}

static const char json_bytes_want[] =
	"\"a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80|\\ufffd|\\ufffd\\ufffd|"
	"\\ufffd\\ufffd\\ufffd|\\u007f|\\ufffd\\ufffd\"";

static void test_json(void)
{
	char *s = json_of(false, json_sample);
	const char *want = "[{\"id\":\"vpc-\\\"a\\\"\\\\\\n\",\"vni\":100,"
			   "\"classiclink\":true,\"secondary\":[\"172.17.0.0/16\"],"
			   "\"empty\":[]},{}]\n";
	const char *want_pretty =
		"[\n    {\n        \"id\": \"x\",\n        \"list\": [\n"
		"            \"a\"\n        ]\n    }\n]\n";
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	ok(!strcmp(s, want), "json: compact output and escaping");
	if (strcmp(s, want))
		printf("#   got  %s#   want %s", s, want);
	free(s);

	s = json_of(false, json_empty);
	ok(!strcmp(s, "[]\n"), "json: empty array");
	free(s);

	f = open_memstream(&buf, &len);
	json_setup(f, true, true);
	open_json_array(NULL);
	open_json_object(NULL);
	print_string("id", NULL, "x");
	open_json_array("list");
	print_string(NULL, NULL, "a");
	close_json_array();
	close_json_object();
	close_json_array();
	fclose(f);
	ok(!strcmp(buf, want_pretty), "json: pretty output");
	if (strcmp(buf, want_pretty))
		printf("#   got\n%s", buf);
	free(buf);

	s = json_of(false, json_list_ok_empty);
	ok(!strcmp(s, "[]\n"), "json: a list that succeeded empty is []");
	free(s);
	s = json_of(false, json_list_failed);
	ok(!strcmp(s, ""), "json: a list that failed before any object prints nothing");
	free(s);
	s = json_of(false, json_list_one);
	ok(!strcmp(s, "[{\"id\":\"a\"}]\n"), "json: a list with an object");
	free(s);

	s = json_of(false, json_bytes);
	ok(!strcmp(s, json_bytes_want), "json: UTF-8 kept, bytes that are not UTF-8 become U+FFFD");
	if (strcmp(s, json_bytes_want))
		printf("#   got  %s#   want %s", s, json_bytes_want);
	free(s);

	buf = NULL;
	f = open_memstream(&buf, &len);
	json_setup(f, false, false);
	json_sample();
	fclose(f);
	ok(!strcmp(buf, "vpc-\"a\"\\\n vni 100 classiclink on172.17.0.0/16text only 1"),
	   "json: text mode prints the formats only");
	free(buf);
}

/*
 * The request buffer is 8 KiB: puts that do not fit leave it intact
 * (AddressSanitizer would see an overflow) and the request is refused
 * before it is sent. rtnl_msg() needs only a socket, no module.
 */
static void test_request_overflow(void)
{
	static char big[9000];
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	char err[256];
	uint32_t len;
	int i, ret;

	memset(big, 'a', sizeof(big) - 1);
	nlh = rtnl_msg(RTM_NEWLINK, 0);
	if (!nlh) {
		ok(1, "request overflow # SKIP no rtnetlink socket");
		return;
	}
	len = nlh->nlmsg_len;
	nl_put_strz(nlh, IFLA_IFNAME, big);
	ok(nlh->nlmsg_len == len, "request: a 9000-byte string is not put");
	capture_stderr();
	ret = rtnl_talk(nlh, NULL, NULL);
	captured(err, sizeof(err));
	ok(ret == 1 && !strcmp(err, "Error: the request is too large (an argument too long?)\n"),
	   "request: an overflowed request is refused, not sent");
	if (ret != 1)
		printf("#   ret %d stderr '%s'\n", ret, err);

	nlh = rtnl_msg(RTM_NEWLINK, 0);
	nest = nl_nest_start(nlh, IFLA_LINKINFO);
	for (i = 0; i < 3000; i++)
		nl_put_u32(nlh, IFLA_MTU, (uint32_t)i);
	nl_nest_end(nlh, nest);
	ok(nlh->nlmsg_len <= 8192, "request: puts stop at the buffer's end (%u bytes)",
	   nlh->nlmsg_len);
	capture_stderr();
	ret = rtnl_talk(nlh, NULL, NULL);
	captured(err, sizeof(err));
	ok(ret == 1 && strstr(err, "too large"), "request: a full buffer is refused");

	nlh = rtnl_msg(RTM_NEWLINK, 0);
	len = nlh->nlmsg_len;
	/* exactly to the end: 8 KiB less the headers less the attribute's */
	nl_put(nlh, IFLA_IFALIAS, 8192 - len - 4, big);
	nest = nl_nest_start(nlh, IFLA_LINKINFO);
	nl_nest_end(nlh, nest);
	ok(!nest && nlh->nlmsg_len == 8192,
	   "request: a nest that does not fit is NULL, and ended safely");
	nlh = rtnl_msg(RTM_NEWLINK, 0);
	ok(nlh->nlmsg_len == len, "request: the next request starts afresh");
}

/* Requests are built, never sent (nl_divert): no kernel needed. */
static int no_kernel(struct nlmsghdr *nlh, nl_cb_t cb, void *data)
{
	(void)nlh;
	(void)cb;
	(void)data;
	return 1;
}

/* JSON -> request -> JSON gives the record back, field for field. */
static void check_round_trip(enum rec_kind kind, const char *json,
			     const char *key)
{
	const struct rec_schema *s = rec_schema(kind);
	struct json_object *in = json_tokener_parse(json), *out;
	struct nlmsghdr *nlh = genl_msg(s->new_cmd, 0, NULL);
	char err[256] = "", k[256] = "";
	int ret = rec_to_attrs(s, in, nlh, err, sizeof(err));

	out = rec_from_attrs(s, nlh);
	ok(ret == 0 && json_object_equal(in, out), "record: %s round trip", s->name);
	if (ret || !json_object_equal(in, out))
		printf("#   err '%s' got %s\n", err, json_object_to_json_string(out));
	ok(rec_key(s, in, k, sizeof(k)) == 0 && !strcmp(k, key) &&
	   rec_schema_of_key(k) == s, "record: %s key %s", s->name, key);
	if (strcmp(k, key))
		printf("#   got key '%s'\n", k);
	json_object_put(in);
	json_object_put(out);
}

static void check_bad_record(enum rec_kind kind, const char *json,
			     const char *want)
{
	struct json_object *in = json_tokener_parse(json);
	char err[256] = "";
	int ret = rec_to_attrs(rec_schema(kind), in,
			       genl_msg(rec_schema(kind)->new_cmd, 0, NULL),
			       err, sizeof(err));

	ok(ret < 0 && !strcmp(err, want), "record refused: %s", want);
	if (strcmp(err, want))
		printf("#   got '%s'\n", err);
	json_object_put(in);
}

static void test_records(void)
{
	char buf[KEY_ID_MAX];

	nl_divert = no_kernel;
	check_round_trip(REC_VPC, "{\"vpc-id\":\"vpc-a\",\"vpc-vni\":100,"
			 "\"vpc-cidr\":\"172.16.0.0/16\",\"vpc-secondary\":[\"172.17.0.0/16\"],"
			 "\"vpc-region\":\"r1\",\"vpc-account\":\"\",\"vpc-classiclink\":1}",
			 "vpc/vpc-a");
	check_round_trip(REC_ENDPOINT, "{\"vpc-id\":\"vpc-a\",\"ep-addr\":\"172.16.0.10\","
			 "\"ep-vtep\":\"192.168.100.2\",\"ep-mac\":\"02:00:00:00:00:10\"}",
			 "endpoint/vpc-a/172.16.0.10");
	check_round_trip(REC_ROUTE, "{\"vpc-id\":\"v/1%\",\"route-dst\":\"10.9.0.0/16\","
			 "\"route-nexthop\":\"vpn\"}", "route/v%2F1%25/10.9.0.0_16");
	check_round_trip(REC_ACL, "{\"vpc-id\":\"vpc-a\",\"acl-prio\":10,\"acl-dir\":\"to-vpc\","
			 "\"acl-action\":\"allow\",\"acl-proto\":6,\"acl-src\":\"0.0.0.0/0\","
			 "\"acl-dport-min\":80,\"acl-dport-max\":80}", "acl/vpc-a/0000000010");
	check_round_trip(REC_INSTANCE, "{\"inst-id\":\"i-1\",\"inst-addr\":\"10.1.0.5\","
			 "\"inst-region\":\"r1\",\"inst-account\":\"\"}", "instance/i-1");
	check_round_trip(REC_LINK, "{\"inst-id\":\"i-1\",\"vpc-id\":\"vpc-a\"}", "link/i-1");
	check_round_trip(REC_DEV, "{\"dev-region\":\"r1\",\"dev-local\":\"192.0.2.1\","
			 "\"dev-max-links-per-vpc\":100,\"dev-classic-space\":[\"10.0.0.0/8\"],"
			 "\"dev-vpc-eligible\":[]}", "dev");

	check_bad_record(REC_VPC, "{\"vpc-id\":\"a\",\"vpc-colour\":1}",
			 "unknown field \"vpc-colour\" in a vpc record");
	check_bad_record(REC_LINK, "{\"inst-id\":\"i-1\",\"vpc-vni\":1}",
			 "unknown field \"vpc-vni\" in a link record");
	check_bad_record(REC_VPC, "{\"vpc-id\":\"a\",\"vpc-vni\":\"100\"}",
			 "field \"vpc-vni\": an integer 0..4294967295 expected, not \"100\"");
	check_bad_record(REC_VPC, "{\"vpc-id\":\"a\",\"vpc-classiclink\":256}",
			 "field \"vpc-classiclink\": an integer 0..255 expected, not 256");
	check_bad_record(REC_VPC, "{\"vpc-id\":\"a\",\"vpc-vni\":-1}",
			 "field \"vpc-vni\": an integer 0..4294967295 expected, not -1");
	check_bad_record(REC_ROUTE, "{\"vpc-id\":\"a\",\"route-nexthop\":\"moon\"}",
			 "field \"route-nexthop\": one of the spec's names expected, not \"moon\"");
	check_bad_record(REC_ENDPOINT, "{\"vpc-id\":\"a\",\"ep-mac\":\"02:00\"}",
			 "field \"ep-mac\": a MAC address aa:bb:cc:dd:ee:ff expected, not \"02:00\"");
	check_bad_record(REC_INSTANCE, "{\"inst-addr\":\"10.1.0.5\"}",
			 "field \"inst-id\" missing in a instance record");
	check_bad_record(REC_VPC, "[1]", "a vpc record must be a JSON object");

	ok(key_escape("a b\x01\xff", buf, sizeof(buf)) == 0 &&
	   !strcmp(buf, "a%20b%01%FF"), "key: blanks and bytes outside ASCII escaped");
	ok(key_escape("abc", buf, 4) == 0 && key_escape("abc", buf, 3) < 0 &&
	   key_escape("%", buf, 3) < 0, "key: escapes that do not fit fail");
	ok(!rec_schema_of_key("vpc") && !rec_schema_of_key("dev/x") &&
	   !rec_schema_of_key("frob/x") && rec_schema_of_key("dev") == rec_schema(REC_DEV),
	   "key: schema of a key");
	nl_divert = NULL;
}

static void test_etcd_helpers(void)
{
	static const char *const plain[] = { "", "f", "fo", "foo", "/clink/c1/" };
	char *enc, *dec, *end;
	size_t i, len;
	bool good = true;

	for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		enc = b64_encode(plain[i], strlen(plain[i]));
		dec = enc ? b64_decode(enc, &len) : NULL;
		good &= dec && len == strlen(plain[i]) && !strcmp(dec, plain[i]);
		free(enc);
		free(dec);
	}
	enc = b64_encode("/clink/c1/", 10);
	ok(good && !strcmp(enc, "L2NsaW5rL2MxLw=="), "base64: round trips, padding");
	free(enc);
	dec = b64_decode("a*b", &len);
	ok(!dec, "base64: a character outside the alphabet is refused");
	end = etcd_prefix_end("/clink/c1/");
	ok(end && !strcmp(end, "/clink/c10"), "etcd: a prefix's range end");
	free(end);
	end = etcd_prefix_end("a\xff");
	ok(end && !strcmp(end, "b"), "etcd: range end past a 0xff byte");
	free(end);
}

int main(void)
{
	printf("TAP version 13\n");
	test_matches();
	test_numbers();
	test_addr_prefix();
	test_mac_ports_proto();
	test_batch_split();
	test_batch_run();
	test_json();
	test_request_overflow();
	test_records();
	test_etcd_helpers();
	printf("1..%d\n", n_pass + n_fail);
	printf("%d passed, %d failed\n", n_pass, n_fail);
	return n_fail ? 1 : 0;
}
