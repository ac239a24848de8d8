// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel log as the C selftests judge it (lib_kmsg.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib_kmsg.h"

#define MAX_PATTERNS	64

static regex_t patterns[MAX_PATTERNS];
static int npatterns;

static int read_patterns(char *why, int whysz)
{
	char path[PATH_MAX], exe[PATH_MAX], line[256];
	const char *env = getenv("SPLAT_PATTERNS");
	ssize_t n;
	FILE *fp;
	char *p;

	if (npatterns)
		return 0;
	if (env && *env) {
		snprintf(path, sizeof(path), "%s", env);
	} else {
		n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		if (n < 0) {
			snprintf(why, whysz, "/proc/self/exe: %s", strerror(errno));
			return -1;
		}
		exe[n] = '\0';
		p = strrchr(exe, '/');
		*(p ? p : exe) = '\0';
		snprintf(path, sizeof(path), "%s/splat-patterns", p ? exe : ".");
	}
	fp = fopen(path, "r");
	if (!fp) {
		snprintf(why, whysz, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), fp)) {
		line[strcspn(line, "\n")] = '\0';
		p = line + strspn(line, " \t");
		if (!*p || *p == '#')
			continue;
		if (npatterns == MAX_PATTERNS ||
		    regcomp(&patterns[npatterns], p, REG_EXTENDED | REG_NOSUB)) {
			snprintf(why, whysz, "%s: cannot use pattern '%s'", path, p);
			fclose(fp);
			return -1;
		}
		npatterns++;
	}
	fclose(fp);
	if (!npatterns) {
		snprintf(why, whysz, "%s: no patterns", path);
		return -1;
	}
	return 0;
}

int kmsg_open(char *why, int whysz)
{
	int fd;

	if (read_patterns(why, whysz))
		return -2;
	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

static bool is_splat(const char *msg)
{
	int i;

	for (i = 0; i < npatterns; i++)
		if (!regexec(&patterns[i], msg, 0, NULL, 0))
			return true;
	return false;
}

int kmsg_splats(int fd)
{
	char rec[8192], *msg;
	ssize_t len;
	int n = 0;

	if (fd < 0)
		return 0;
	for (;;) {
		len = read(fd, rec, sizeof(rec) - 1);
		if (len < 0 && errno == EPIPE)	/* overwritten: read on */
			continue;
		if (len <= 0)
			break;
		rec[len] = '\0';
		/* "prio,seq,time,flags;message\n" and " KEY=value" lines */
		msg = strchr(rec, ';');
		msg = msg ? msg + 1 : rec;
		msg[strcspn(msg, "\n")] = '\0';
		if (is_splat(msg)) {
			fprintf(stderr, "# kernel: %s\n", msg);
			n++;
		}
	}
	return n;
}
