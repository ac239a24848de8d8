// SPDX-License-Identifier: GPL-2.0
/*
 * -batch: a file of clinkctl commands, one per line, run with one netlink
 * socket and one family lookup for the whole file.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"

void batch_init(struct batch_reader *r, FILE *f)
{
	memset(r, 0, sizeof(*r));
	r->f = f;
}

void batch_free(struct batch_reader *r)
{
	free(r->buf);
	free(r->argv);
	free(r->offs);
	r->buf = NULL;
	r->argv = NULL;
	r->offs = NULL;
}

static void put_char(struct batch_reader *r, char c)
{
	if (r->len == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 256;
		char *p = realloc(r->buf, cap);

		if (!p) {
			perror("clinkctl");
			exit(1);
		}
		r->buf = p;
		r->cap = cap;
	}
	r->buf[r->len++] = c;
}

/* Words are kept as offsets while the buffer may still move. */
static void end_word(struct batch_reader *r, size_t start)
{
	if (r->argc + 1 >= r->argv_cap) {
		int cap = r->argv_cap ? 2 * r->argv_cap : 16;
		size_t *o = realloc(r->offs, (size_t)cap * sizeof(*o));
		char **v = o ? realloc(r->argv, (size_t)cap * sizeof(*v)) : NULL;

		if (o)
			r->offs = o;
		if (!v) {
			perror("clinkctl");
			exit(1);
		}
		r->argv = v;
		r->argv_cap = cap;
	}
	put_char(r, '\0');
	r->offs[r->argc++] = start;
}

/* Skip to the end of the current physical line. */
static void skip_line(struct batch_reader *r)
{
	int c;

	do {
		c = getc(r->f);
	} while (c != EOF && c != '\n');
	if (c == '\n')
		r->lineno++;
}

static int fail(struct batch_reader *r, const char *why, int c)
{
	r->error = why;
	if (c != '\n' && c != EOF)
		skip_line(r);
	else if (c == '\n')
		r->lineno++;
	return -1;
}

int batch_next(struct batch_reader *r)
{
	enum { BLANK, WORD, DQUOTE, SQUOTE } state = BLANK;
	size_t start = 0;
	int c, i;

	r->len = 0;
	r->argc = 0;
	r->error = NULL;
	r->cmdline = r->lineno + 1;

	for (;;) {
		c = getc(r->f);
		switch (state) {
		case SQUOTE:
			if (c == EOF || c == '\n')
				return fail(r, "unterminated quote", c);
			if (c == '\'')
				state = WORD;
			else
				put_char(r, (char)c);
			continue;
		case DQUOTE:
			if (c == EOF || c == '\n')
				return fail(r, "unterminated quote", c);
			if (c == '"') {
				state = WORD;
			} else if (c == '\\') {
				c = getc(r->f);
				if (c == '\n')
					r->lineno++;
				else if (c == '"' || c == '\\')
					put_char(r, (char)c);
				else if (c == EOF)
					return fail(r, "unterminated quote", c);
				else {
					put_char(r, '\\');
					put_char(r, (char)c);
				}
			} else {
				put_char(r, (char)c);
			}
			continue;
		case BLANK:
		case WORD:
			break;
		}

		if (c == EOF || c == '\n') {
			if (state == WORD)
				end_word(r, start);
			if (c == '\n')
				r->lineno++;
			if (r->argc > 0)
				break;
			if (c == EOF)
				return 0;
			/* a blank or comment line: the next command starts later */
			r->cmdline = r->lineno + 1;
			state = BLANK;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
			if (state == WORD)
				end_word(r, start);
			state = BLANK;
			continue;
		}
		if (state == BLANK) {
			if (c == '#') {
				/* a comment line counts as blank; else it ends the command */
				skip_line(r);
				if (r->argc > 0)
					break;
				if (feof(r->f))
					return 0;
				r->cmdline = r->lineno + 1;
				continue;
			}
			start = r->len;
			state = WORD;
		}
		if (c == '\\') {
			c = getc(r->f);
			if (c == '\n') {
				/* continuation: the word (if any) goes on */
				r->lineno++;
				if (start == r->len)
					state = BLANK;
				continue;
			}
			if (c == EOF) {
				if (start == r->len)
					state = BLANK;
				continue;
			}
			put_char(r, (char)c);
		} else if (c == '"') {
			state = DQUOTE;
		} else if (c == '\'') {
			state = SQUOTE;
		} else {
			put_char(r, (char)c);
		}
	}

	for (i = 0; i < r->argc; i++)
		r->argv[i] = r->buf + r->offs[i];
	r->argv[r->argc] = NULL;
	return 1;
}

int run_batch(const char *name, bool force, batch_cmd_fn run)
{
	struct batch_reader r;
	FILE *f = stdin;
	int failed = 0, ret;

	if (strcmp(name, "-")) {
		f = fopen(name, "r");
		if (!f) {
			fprintf(stderr, "Error: cannot open batch file \"%s\": %s\n",
				name, strerror(errno));
			return 1;
		}
	}
	batch_init(&r, f);
	while ((ret = batch_next(&r)) != 0) {
		if (ret > 0)
			ret = run(r.argc, r.argv);
		else
			fprintf(stderr, "Error: %s\n", r.error);
		if (ret) {
			fflush(stdout);
			fprintf(stderr, "Command failed %s:%lu\n", name, r.cmdline);
			failed = 1;
			if (!force)
				break;
		}
	}
	batch_free(&r);
	if (f != stdin)
		fclose(f);
	return failed;
}
