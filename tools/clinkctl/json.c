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

static void put_escaped(const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
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
			if (c < 0x20)
				fprintf(out, "\\u%04x", c);
			else
				fputc(c, out);
		}
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
