/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CLINKCTL_BATCH_H
#define _CLINKCTL_BATCH_H

#include <stdbool.h>
#include <stdio.h>

/*
 * Reads a batch file one command at a time. A command is one line, or
 * several joined by a backslash before the newline; words are split on
 * blanks; "..." (where \" \\ and \<newline> are escapes) and '...' quote;
 * a '#' at the start of a word comments out the rest of the line.
 */
struct batch_reader {
	FILE *f;
	unsigned long lineno;	/* physical lines read so far */
	unsigned long cmdline;	/* line the current command starts on */
	const char *error;	/* why batch_next() returned -1 */
	char *buf;		/* the words, NUL-separated */
	size_t len, cap;
	size_t *offs;		/* where each word starts in buf */
	char **argv;
	int argc, argv_cap;
};

void batch_init(struct batch_reader *r, FILE *f);
void batch_free(struct batch_reader *r);
/* 1: r->argc/r->argv hold a command; 0: end of file; -1: syntax error */
int batch_next(struct batch_reader *r);

/* Runs one command; 0 on success, else its exit status. */
typedef int (*batch_cmd_fn)(int argc, char **argv);

/*
 * Runs every command of @name ("-": stdin) through @run, stopping at the
 * first failure unless @force; 0, or 1 when any command failed.
 */
int run_batch(const char *name, bool force, batch_cmd_fn run);

#endif /* _CLINKCTL_BATCH_H */
