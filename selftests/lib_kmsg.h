/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel log as the C selftests judge it: splats are the lines of
 * selftests/splat-patterns (one list for lib.sh, these and vm/summarize),
 * read from /dev/kmsg since kmsg_open().
 */
#ifndef _LIB_KMSG_H
#define _LIB_KMSG_H

/*
 * Reads the splat patterns and opens /dev/kmsg at its end.  The patterns
 * are in $SPLAT_PATTERNS or next to the program (the VM has both in
 * /clink/selftests).  Returns the kmsg fd, -1 when /dev/kmsg cannot be
 * read, or -2 when the patterns cannot be read or compiled (@why says
 * which): a test must fail then, not pass unchecked.
 */
int kmsg_open(char *why, int whysz);

/* Counts (and prints) the splats logged since kmsg_open(); 0 for fd < 0. */
int kmsg_splats(int fd);

#endif /* _LIB_KMSG_H */
