// SPDX-License-Identifier: GPL-2.0
/*
 * clinkd: the clink gateway agent.  Keeps one clink device equal to the
 * configuration a cluster keeps in etcd, and registers the gateway there.
 *
 *   read config/ at revision R --> reconcile the kernel --> watch from R+1
 *        ^                                                     |
 *        +---- lost watch, compaction, SIGHUP, any doubt ------+
 *
 * One event loop: libcurl's multi interface polls etcd's sockets and a
 * signalfd; netlink requests are synchronous with a receive timeout.  No
 * threads.  Losing etcd changes nothing in the kernel: the agent only
 * applies what it has read, and keeps retrying with backoff.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/signalfd.h>

#include "clinkd.h"
#include "etcd.h"
#include "log.h"
#include "kernel.h"
#include "record.h"
#include "sync.h"

#define EXIT_REFUSED	1	/* --once: some records were refused */
#define EXIT_FAILED	2	/* etcd or the kernel could not be used */
#define EXIT_USAGE	64

#define RANGE_TIMEOUT_MS 30000
#define STOP_TIMEOUT_MS	3000

int log_level = 6;

void log_msg(int level, const char *fmt, ...)
{
	char line[2048];
	va_list ap;

	if (level > log_level)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* one event, one line: a record's text must not split it */
	for (char *p = line; *p; p++)
		if (*p == '\n')
			*p = ' ';
	fprintf(stderr, "<%d>%s\n", level, line);
}

static struct {
	char *etcd, *cluster, *dev, *name;
	bool once;
	long ttl, resync, range_limit;
} opt = { .ttl = 30, .resync = 300, .range_limit = 10000 };

static char prefix[256];		/* /clink/<cluster>/ */
static struct config cfg, next_cfg;
static struct sync_result result;
static int64_t revision, applied;

static enum { ST_READ, ST_READING, ST_WATCHING } state;
static int64_t read_started;
static unsigned int read_keys;
static int64_t retry_at, resync_at;
static unsigned int backoff_ms;
static bool have_synced;
static int once_exit = -1;

static bool stopping;
static int64_t stop_deadline;

static bool etcd_down;

/*
 * etcd failed (@err -EIO: no member answered) or worked: the first
 * failure is a warning, the ones after it while etcd stays down are
 * debug messages, and its return is a notice.
 */
bool etcd_failed(int err, const char *what, const char *msg)
{
	if (err == -EIO) {
		if (!etcd_down)
			log_warn("etcd: %s failed: %s; the kernel keeps its state, retrying",
				 what, msg);
		else
			log_debug("etcd: %s failed: %s", what, msg);
		etcd_down = true;
		return true;
	}
	if (etcd_down)
		log_notice("etcd: %s answers again", etcd_url());
	etcd_down = false;
	if (err)
		log_warn("etcd: %s failed: %s", what, msg);
	return err != 0;
}

int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void retry_later(void)
{
	backoff_ms = backoff_ms ? backoff_ms * 2 : BACKOFF_MIN_MS;
	if (backoff_ms > BACKOFF_MAX_MS)
		backoff_ms = BACKOFF_MAX_MS;
	state = ST_READ;
	retry_at = now_ms() + backoff_ms;
	if (opt.once && !have_synced)
		once_exit = EXIT_FAILED;
}

/* Sync ------------------------------------------------------------------ */

/* A full sync, or one of @keys only. */
static void do_sync(const char *why, struct json_object *keys)
{
	int64_t t0 = now_ms();
	int ret;

	ret = keys ? sync_keys(&cfg, keys, &result) : sync_run(&cfg, &result);
	if (ret) {
		log_err("sync (%s) failed: the kernel could not be read; retrying",
			why);
		etcd_watch_cancel();
		retry_later();
		return;
	}
	applied = revision;
	have_synced = true;
	resync_at = opt.resync ? now_ms() + opt.resync * 1000 : 0;
	log_msg(result.changes || result.errors ? 5 : 6,
		"sync (%s): revision %lld: %u changes, %u records refused, %lld ms",
		why, (long long)revision, result.changes, result.errors,
		(long long)(now_ms() - t0));
	reg_changed();
	if (opt.once)
		once_exit = result.errors ? EXIT_REFUSED : 0;
}

static const char *config_rel(const char *key, size_t len)
{
	size_t plen = strlen(prefix);

	if (len <= plen + 7 || strncmp(key, prefix, plen) ||
	    strncmp(key + plen, "config/", 7))
		return NULL;
	return key + plen + 7;
}

/*
 * Apply one kv (put) or delete (@del) of a range or watch reply; its key
 * goes into @keys when given.
 */
static bool take_kv(struct config *c, struct json_object *kv, bool del,
		    struct json_object *keys)
{
	bool region_changed = false;
	char norm[512];
	const char *kb = json_object_get_string(json_object_object_get(kv, "key"));
	struct json_object *vo = json_object_object_get(kv, "value");
	size_t klen, vlen = 0;
	char *key, *val = NULL;
	const char *rel;

	key = kb ? b64_decode(kb, &klen) : NULL;
	if (!key)
		return false;
	rel = config_rel(key, klen);
	if (rel && strlen(rel) == klen - (size_t)(rel - key)) {
		if (!del)
			val = vo ? b64_decode(json_object_get_string(vo), &vlen)
				 : strdup("");
		if (del || val)
			region_changed = config_set(c, rel, val, vlen);
		if (keys && !record_norm_key(rel, norm, sizeof(norm)))
			json_object_object_add(keys, norm, NULL);
	}
	free(val);
	free(key);
	return region_changed;
}

static void watch_cb(struct json_object *res, void *arg);

static void start_watch(void)
{
	char key[300], end[300];

	snprintf(key, sizeof(key), "%sconfig/", prefix);
	snprintf(end, sizeof(end), "%sconfig0", prefix);	/* '/' + 1 */
	if (etcd_watch(key, end, revision + 1, watch_cb, NULL)) {
		retry_later();
		return;
	}
	state = ST_WATCHING;
}

/*
 * A full read: config/dev first (its region is the default of the records
 * read after it, and its reply fixes the revision R), then one paginated
 * range per kind, all at R and all at once, so that etcd serialises some
 * while the agent parses others.
 */
static const char *const pieces[] = {
	"config/", "config/endpoint/", "config/instance/", "config/link/",
	"config/route/", "config/vpc/", "config0",	/* '/' + 1: the end */
};

struct range_req {
	unsigned int gen;		/* of the read it belongs to */
	const char *piece;		/* the end, below the prefix; NULL: one key */
	char end[300];
};

static unsigned int read_gen, read_pending;
static bool read_failed;
static int64_t read_rev;

static void range_page(const char *from, size_t len, const char *end,
		       int64_t rev);

static void read_done(void)
{
	config_free(&cfg);
	cfg = next_cfg;
	memset(&next_cfg, 0, sizeof(next_cfg));
	revision = read_rev;
	log_info("etcd %s: read %u keys at revision %lld in %lld ms", etcd_url(),
		 read_keys, (long long)read_rev,
		 (long long)(now_ms() - read_started));
	backoff_ms = 0;
	do_sync("full", NULL);
	if (state == ST_READING && !opt.once)
		start_watch();
}

static void range_cb(int err, struct json_object *resp, const char *msg,
		     void *arg)
{
	struct range_req *rr = arg;
	struct json_object *kvs, *more;
	char from[300];
	size_t i, n, klen;
	char *last;

	/* a reply of an abandoned read, or after a sibling failed */
	if (stopping || rr->gen != read_gen || read_failed) {
		free(rr);
		return;
	}
	read_pending--;
	if (etcd_failed(err, "reading the configuration", msg)) {
		read_failed = true;
		config_free(&next_cfg);
		retry_later();
		free(rr);
		return;
	}
	if (!read_rev)
		read_rev = etcd_int(json_object_object_get(resp, "header"), "revision");
	kvs = json_object_object_get(resp, "kvs");
	n = kvs ? json_object_array_length(kvs) : 0;
	more = json_object_object_get(resp, "more");
	/* ask for what follows first: etcd works while we parse */
	if (!rr->end[0]) {
		for (i = 0; i + 1 < sizeof(pieces) / sizeof(pieces[0]); i++) {
			snprintf(from, sizeof(from), "%s%s", prefix, pieces[i]);
			range_page(from, strlen(from), pieces[i + 1], read_rev);
		}
	} else if (more && json_object_get_boolean(more) && n) {
		/* the next page starts right after the last key, ends as this */
		last = b64_decode(json_object_get_string(json_object_object_get(
			json_object_array_get_idx(kvs, n - 1), "key")), &klen);
		range_page(last, klen + 1, rr->piece, read_rev);
		free(last);
	}
	for (i = 0; i < n; i++)
		take_kv(&next_cfg, json_object_array_get_idx(kvs, i), false, NULL);
	if (rr->end[0])		/* config/dev comes again with its piece */
		read_keys += (unsigned int)n;
	free(rr);
	if (!read_pending && !read_failed)
		read_done();
}

/*
 * [@from, @prefix@end) at @rev, in pages of --range-limit keys; @end NULL:
 * the key @from alone.  @end is one of pieces[].
 */
static void range_page(const char *from, size_t len, const char *end,
		       int64_t rev)
{
	struct json_object *body = json_object_new_object();
	struct range_req *rr = calloc(1, sizeof(*rr));
	char *k, *e;

	rr->gen = read_gen;
	rr->piece = end;
	k = b64_encode(from, len);
	json_object_object_add(body, "key", json_object_new_string(k));
	free(k);
	if (end) {
		snprintf(rr->end, sizeof(rr->end), "%s%s", prefix, end);
		e = b64_encode(rr->end, strlen(rr->end));
		json_object_object_add(body, "range_end", json_object_new_string(e));
		json_object_object_add(body, "limit", json_object_new_int64(opt.range_limit));
		free(e);
	}
	if (rev)
		json_object_object_add(body, "revision", json_object_new_int64(rev));
	if (etcd_post("/v3/kv/range", body, RANGE_TIMEOUT_MS, range_cb, rr)) {
		free(rr);
		if (!read_failed) {
			read_failed = true;
			config_free(&next_cfg);
			retry_later();
		}
		return;
	}
	read_pending++;
}

static void start_read(void)
{
	char key[300], region[64];

	etcd_watch_cancel();
	/* records without a region take the device's, as the kernel does */
	if (sync_dev_region(region, sizeof(region))) {
		log_err("device %s cannot be read; retrying", opt.dev);
		retry_later();
		return;
	}
	config_free(&next_cfg);
	config_init(&next_cfg, region);
	state = ST_READING;
	read_started = now_ms();
	read_keys = 0;
	read_gen++;
	read_pending = 0;
	read_failed = false;
	read_rev = 0;
	snprintf(key, sizeof(key), "%sconfig/dev", prefix);
	range_page(key, strlen(key), NULL, 0);
}

static void watch_cb(struct json_object *res, void *arg)
{
	struct json_object *events, *hdr, *keys;
	bool region = false;
	size_t i, n;

	(void)arg;
	if (!res) {
		if (!stopping) {
			log_warn("etcd: watch lost; full resync");
			retry_later();
		}
		return;
	}
	etcd_failed(0, NULL, NULL);
	if (json_object_get_boolean(json_object_object_get(res, "canceled")) ||
	    etcd_int(res, "compact_revision")) {
		log_warn("etcd: watch canceled (compacted at %lld); full resync",
			 (long long)etcd_int(res, "compact_revision"));
		etcd_watch_cancel();
		state = ST_READ;
		retry_at = now_ms();
		return;
	}
	if (json_object_get_boolean(json_object_object_get(res, "created"))) {
		log_info("etcd %s: watching %sconfig/ from revision %lld",
			 etcd_url(), prefix, (long long)revision + 1);
		return;
	}
	hdr = json_object_object_get(res, "header");
	events = json_object_object_get(res, "events");
	n = events ? json_object_array_length(events) : 0;
	keys = json_object_new_object();
	for (i = 0; i < n; i++) {
		struct json_object *ev = json_object_array_get_idx(events, i);
		const char *type = json_object_get_string(json_object_object_get(ev, "type"));

		if (take_kv(&cfg, json_object_object_get(ev, "kv"),
			    type && !strcmp(type, "DELETE"), keys))
			region = true;
	}
	if (etcd_int(hdr, "revision") > revision)
		revision = etcd_int(hdr, "revision");
	if (region) {
		/* every record without a region has a new default */
		log_info("the device's region changes: full resync");
		etcd_watch_cancel();
		state = ST_READ;
		retry_at = 0;
	} else if (json_object_object_length(keys)) {
		do_sync("watch", keys);
	}
	json_object_put(keys);
}

/* Main ------------------------------------------------------------------ */

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: clinkd --etcd URL[,URL...] --cluster NAME --dev DEV [--name GW]\n"
		"              [--once] [--config FILE] [--lease-ttl SECONDS]\n"
		"              [--resync SECONDS] [--range-limit KEYS] [--verbose]\n"
		"       clinkd --help | --version\n");
}

enum { O_ETCD = 256, O_CLUSTER, O_DEV, O_NAME, O_ONCE, O_CONFIG, O_TTL,
       O_RESYNC, O_RANGE_LIMIT, O_VERBOSE, O_HELP, O_VERSION };

static const struct option long_opts[] = {
	{ "etcd", required_argument, NULL, O_ETCD },
	{ "cluster", required_argument, NULL, O_CLUSTER },
	{ "dev", required_argument, NULL, O_DEV },
	{ "name", required_argument, NULL, O_NAME },
	{ "once", no_argument, NULL, O_ONCE },
	{ "config", required_argument, NULL, O_CONFIG },
	{ "lease-ttl", required_argument, NULL, O_TTL },
	{ "resync", required_argument, NULL, O_RESYNC },
	{ "range-limit", required_argument, NULL, O_RANGE_LIMIT },
	{ "verbose", no_argument, NULL, O_VERBOSE },
	{ "help", no_argument, NULL, O_HELP },
	{ "version", no_argument, NULL, O_VERSION },
	{ NULL, 0, NULL, 0 }
};

static int set_long(long *v, const char *s, long min, long max)
{
	char *end;

	errno = 0;
	*v = strtol(s, &end, 10);
	return errno || *end || !*s || *v < min || *v > max ? -1 : 0;
}

/* One option; @file: from the configuration file (never overrides). */
static int set_opt(int o, const char *arg, bool file)
{
	char **s = NULL;

	switch (o) {
	case O_ETCD: s = &opt.etcd; break;
	case O_CLUSTER: s = &opt.cluster; break;
	case O_DEV: s = &opt.dev; break;
	case O_NAME: s = &opt.name; break;
	case O_ONCE: opt.once = true; return 0;
	case O_VERBOSE: log_level = 7; return 0;
	case O_TTL: return set_long(&opt.ttl, arg, 5, 3600);
	case O_RESYNC: return set_long(&opt.resync, arg, 0, 86400);
	case O_RANGE_LIMIT: return set_long(&opt.range_limit, arg, 1, 1000000);
	default: return -1;
	}
	if (file && *s)
		return 0;
	free(*s);
	*s = strdup(arg);
	return 0;
}

/* "option value" lines, as the long options; # starts a comment. */
static int read_config(const char *path)
{
	char line[1024];
	int lineno = 0;
	FILE *f = fopen(path, "re");

	if (!f) {
		fprintf(stderr, "clinkd: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *name = line, *val, *end;
		const struct option *o;

		lineno++;
		name[strcspn(name, "#\n")] = '\0';
		name += strspn(name, " \t");
		if (!*name)
			continue;
		val = name + strcspn(name, " \t=");
		if (*val)
			*val++ = '\0';
		val += strspn(val, " \t=");
		for (end = val + strlen(val); end > val && (end[-1] == ' ' || end[-1] == '\t');)
			*--end = '\0';
		for (o = long_opts; o->name; o++)
			if (!strcmp(o->name, name))
				break;
		if (!o->name || o->val == O_CONFIG || o->val >= O_HELP ||
		    (o->has_arg && !*val) || set_opt(o->val, val, true)) {
			fprintf(stderr, "clinkd: %s:%d: invalid line\n", path, lineno);
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return 0;
}

static int parse_args(int argc, char **argv)
{
	const char *config = NULL;
	char host[256];
	int o;

	while ((o = getopt_long(argc, argv, "", long_opts, NULL)) != -1) {
		switch (o) {
		case O_HELP:
			usage(stdout);
			exit(0);
		case O_VERSION:
			printf("clinkd %s\n", CLINKD_VERSION);
			exit(0);
		case O_CONFIG:
			config = optarg;
			break;
		default:
			if (set_opt(o, optarg, false)) {
				if (o != '?')
					fprintf(stderr, "clinkd: invalid value \"%s\"\n", optarg);
				usage(stderr);
				return -1;
			}
		}
	}
	if (optind < argc) {
		fprintf(stderr, "clinkd: unexpected argument \"%s\"\n", argv[optind]);
		usage(stderr);
		return -1;
	}
	if (config && read_config(config))
		return -1;
	if (!opt.etcd || !opt.cluster || !opt.dev) {
		fprintf(stderr, "clinkd: --etcd, --cluster and --dev are required\n");
		usage(stderr);
		return -1;
	}
	if (!opt.name) {
		if (gethostname(host, sizeof(host)))
			snprintf(host, sizeof(host), "gateway");
		host[sizeof(host) - 1] = '\0';
		opt.name = strdup(host);
	}
	if (strchr(opt.cluster, '/') || strchr(opt.name, '/') ||
	    !*opt.cluster || !*opt.name) {
		fprintf(stderr, "clinkd: cluster and gateway names may not contain '/'\n");
		return -1;
	}
	return 0;
}

static void handle_signals(int sfd)
{
	struct signalfd_siginfo si;

	while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGHUP:
			log_notice("SIGHUP: full resync");
			etcd_watch_cancel();
			state = ST_READ;
			retry_at = 0;
			backoff_ms = 0;
			break;
		case SIGTERM:
		case SIGINT:
			if (stopping)
				break;
			log_notice("stopping");
			stopping = true;
			stop_deadline = now_ms() + STOP_TIMEOUT_MS;
			etcd_watch_cancel();
			reg_revoke();
			break;
		}
	}
}

static int64_t min_deadline(int64_t a, int64_t b)
{
	return !a ? b : !b ? a : a < b ? a : b;
}

int main(int argc, char **argv)
{
	struct pollfd pfd;
	sigset_t mask;
	int ret;

	if (parse_args(argc, argv))
		return EXIT_USAGE;
	snprintf(prefix, sizeof(prefix), "/clink/%s/", opt.cluster);

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	pfd.fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	pfd.events = POLLIN;

	ret = kernel_open(opt.dev);
	if (ret) {
		log_err("netlink: %s", nl_error.msg);
		return EXIT_FAILED;
	}
	if (etcd_init(opt.etcd)) {
		log_err("bad --etcd URL list \"%s\"", opt.etcd);
		return EXIT_USAGE;
	}
	reg_init(opt.name, prefix, opt.ttl, &result, &revision, &applied);
	log_notice("clinkd %s: cluster %s, device %s, gateway %s, etcd %s",
		   CLINKD_VERSION, opt.cluster, opt.dev, opt.name, opt.etcd);

	state = ST_READ;
	for (;;) {
		int64_t now = now_ms(), wake = 0;

		if (once_exit >= 0)
			break;
		if (stopping && ((!reg_held() && !etcd_busy()) || now >= stop_deadline))
			break;
		if (!stopping) {
			if (state == ST_READ && now >= retry_at)
				start_read();
			if (!opt.once)
				reg_tick();
			if (state == ST_WATCHING && resync_at && now >= resync_at)
				do_sync("periodic", NULL);
			if (state == ST_READ)
				wake = retry_at;
			if (!opt.once)
				wake = min_deadline(wake, reg_wake());
			if (state == ST_WATCHING)
				wake = min_deadline(wake, resync_at);
		} else {
			wake = stop_deadline;
		}
		wake = wake ? wake - now_ms() : 1000;
		if (wake < 0)
			wake = 0;
		if (wake > 1000)
			wake = 1000;
		if (etcd_poll(&pfd, 1, (int)wake))
			break;
		if (pfd.revents & POLLIN)
			handle_signals(pfd.fd);
	}

	etcd_cleanup();
	kernel_close();
	config_free(&cfg);
	config_free(&next_cfg);
	json_object_put(result.errlist);
	if (opt.once)
		return once_exit < 0 ? EXIT_FAILED : once_exit;
	return 0;
}
