// SPDX-License-Identifier: GPL-2.0
/*
 * A small streaming JSON writer: no tree is built, every value goes out as
 * it is printed, so a dump of a million objects needs no memory.
 */

#include <stdarg.h>
#include <string.h>

#include "json.h"

#define MAX_DEPTH 16

static FILE *out;
static bool json, pretty;
static int depth;
static bool has_elem[MAX_DEPTH];	/* the container at this depth is not empty */
static bool list_pending;		/* open_json_list() not printed yet */

void json_setup(FILE *f, bool want_json, bool want_pretty)
{
	out = f;
	json = want_json;
	pretty = want_pretty;
	depth = 0;
	list_pending = false;
}

bool is_json(void)
{
	return json;
}

static void indent(int n)
{
	fputc('\n', out);
	while (n-- > 0)
		fputs("    ", out);
}

/*
 * The length of the well-formed UTF-8 sequence at @s (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF), 0 if there is
 * none.
 */
static int utf8_len(const unsigned char *s)
{
	unsigned int min, cp;
	int n, i;

	if (s[0] < 0x80)
		return 1;
	/* the lead byte says how many follow and what is the least they code */
	if ((s[0] & 0xe0) == 0xc0)
		n = 2;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3;
	else if ((s[0] & 0xf8) == 0xf0)
		n = 4;
	else
		return 0;
	min = n == 2 ? 0x80 : n == 3 ? 0x800 : 0x10000;
	cp = s[0] & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)	/* also stops at the NUL */
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/*
 * A JSON string.  Names come from the kernel as bytes: a byte that is not
 * part of well-formed UTF-8 becomes U+FFFD, so every parser can read the
 * output (the text output shows the bytes as they are).
 */
static void put_escaped(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	int n;

	fputc('"', out);
	while (*s) {
		switch (*s) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		default:
			if (*s < 0x20 || *s == 0x7f) {
				fprintf(out, "\\u%04x", *s);
				break;
			}
			n = utf8_len(s);
			if (!n) {
				fputs("\\ufffd", out);
				break;
			}
			fwrite(s, 1, n, out);
			s += n;
			continue;
		}
		s++;
	}
	fputc('"', out);
}

static void open_container(const char *key, char c);

/* Separator, indentation and key of the next value. */
static void begin_value(const char *key)
{
	if (list_pending) {
		list_pending = false;
		open_container(NULL, '[');
	}
	if (depth > 0) {
		if (has_elem[depth])
			fputc(',', out);
		has_elem[depth] = true;
		if (pretty)
			indent(depth);
	}
	if (key) {
		put_escaped(key);
		fputs(pretty ? ": " : ":", out);
	}
}

static void open_container(const char *key, char c)
{
	if (!json)
		return;
	begin_value(key);
	fputc(c, out);
	if (depth < MAX_DEPTH - 1)
		depth++;
	has_elem[depth] = false;
}

static void close_container(char c)
{
	if (!json)
		return;
	if (depth > 0) {
		if (pretty && has_elem[depth])
			indent(depth - 1);
		depth--;
	}
	fputc(c, out);
	if (depth == 0)
		fputc('\n', out);
}

void open_json_object(const char *key)
{
	open_container(key, '{');
}

void close_json_object(void)
{
	close_container('}');
}

void open_json_array(const char *key)
{
	open_container(key, '[');
}

void close_json_array(void)
{
	close_container(']');
}

void open_json_list(void)
{
	if (json)
		list_pending = true;
}

void close_json_list(int ret)
{
	if (!json)
		return;
	if (list_pending) {
		list_pending = false;
		if (!ret)
			fputs("[]\n", out);
		return;
	}
	close_container(']');
}

void print_string(const char *key, const char *fmt, const char *val)
{
	if (json) {
		begin_value(key);
		put_escaped(val);
	} else if (fmt) {
		fprintf(out, fmt, val);
	}
}

void print_uint(const char *key, const char *fmt, uint64_t val)
{
	if (json) {
		begin_value(key);
		fprintf(out, "%llu", (unsigned long long)val);
	} else if (fmt) {
		fprintf(out, fmt, (unsigned long long)val);
	}
}

void print_onoff(const char *key, const char *fmt, bool val)
{
	if (json) {
		begin_value(key);
		fputs(val ? "true" : "false", out);
	} else if (fmt) {
		fprintf(out, fmt, val ? "on" : "off");
	}
}

void print_text(const char *fmt, ...)
{
	va_list ap;

	if (json)
		return;
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
}
