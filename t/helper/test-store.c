/* test-store: drive the node's block store directly, a command a line */
/*
 * Usage: test-store [-j threads] DIR < commands
 *	block LINE	offer a block as a peer would, unasked
 *	submit LINE	a block that is stored even with less work (asked, or a client's)
 *	headers P HEX...	a headers message from peer P (0-7)
 *	tip, best	the best chain's tip, the best header: "tip HEIGHT HASH"
 *	missing N	the next N heights to download towards the best header
 *	count		entries in the index
 * Each command prints one line; invalid blocks found later print
 * "invalid REASON". With -j, each run of block and submit commands is
 * parsed ahead by threads - 1 helpers (store_prepare, as the node's -j),
 * which must change no answer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pool.h"
#include "store.h"

struct ahead {
	struct pool *pool;
	struct store_pre *pre;
	char **line;
	size_t n, at;
};

static const char *const outcome[] = {
	"accepted", "side", "dup", "orphan", "lowwork", "later", "invalid", "error",
};

static void
on_log(void *arg, int level, const char *msg)
{
	(void)arg;
	if (level == 0)
		fprintf(stderr, "test-store: %s\n", msg);
}

static void
on_invalid(void *arg, uint32_t source, const struct bu_err *e)
{
	(void)arg;
	(void)source;
	printf("invalid %s\n", e->reason);
}

static void
show(struct store *s, const char *what, int32_t i)
{
	char hex[65];

	bu_hex_rev(hex, store_hash(s, i));
	printf("%s %lu %s\n", what, (unsigned long)store_height(s, i), hex);
}

static void
prep_one(void *arg, size_t i)
{
	struct ahead *a = arg;

	store_prepare(&a->pre[i], a->line[i], strlen(a->line[i]));
}

static void
do_block(struct store *s, const char *line, int forced, struct ahead *a)
{
	const struct store_pre *pre = NULL;
	struct blk_result r;
	struct bu_err e;
	enum blk_outcome o;

	if (a->pool != NULL) {
		pool_take(a->pool, a->at);
		pre = &a->pre[a->at++];
	}
	bu_err_clear(&e);
	o = store_block_pre(s, line, strlen(line), forced, 1, pre, &r, &e);
	if (o == BLK_ACCEPTED || o == BLK_SIDE || o == BLK_DUP)
		printf("%s\n", outcome[o]);
	else
		printf("%s %s%s\n", outcome[o], e.reason, r.punish ? " punish" : "");
}

static void
do_headers(struct store *s, struct hsync **peers, char *args)
{
	static struct header hv[STORE_HEADERS_MAX];
	struct hdr_result r;
	struct bu_err e;
	char *tok, *save = NULL, hex[65];
	size_t n = 0;
	int p;

	if ((tok = strtok_r(args, " ", &save)) == NULL || (p = atoi(tok)) < 0 || p > 7)
		exit(2);
	if (peers[p] == NULL && (peers[p] = hsync_new()) == NULL)
		exit(3);
	while ((tok = strtok_r(NULL, " ", &save)) != NULL && n < STORE_HEADERS_MAX) {
		unsigned char raw[80];

		if (bu_unhex(tok, strlen(tok), raw, 80) != 0)
			exit(2);
		header_from_bytes(&hv[n++], raw);
	}
	if (store_headers(s, peers[p], hv, n, &r, &e) != 0) {
		bu_report(&e);
		exit(3);
	}
	printf("stored=%lu best=%ld", (unsigned long)r.stored,
	    r.best >= 0 ? (long)store_height(s, r.best) : -1L);
	if (r.ask) {
		bu_hex_rev(hex, r.ask_hash);
		printf(" ask=%s", hex);
	}
	if (r.unconnected)
		printf(" unconnected");
	if (r.invalid)
		printf(" invalid=%s", e.reason);
	putchar('\n');
}

static void
do_missing(struct store *s, long n)
{
	int32_t *v = malloc((size_t)n * sizeof *v);
	size_t k, got;

	if (v == NULL)
		exit(3);
	got = store_missing(s, store_best_header(s), 100000, v, (size_t)n, NULL, NULL);
	printf("missing");
	for (k = 0; k < got; k++)
		printf(" %lu", (unsigned long)store_height(s, v[k]));
	putchar('\n');
	free(v);
}

static int
is_block(const char *cmd)
{
	return strncmp(cmd, "block ", 6) == 0 || strncmp(cmd, "submit ", 7) == 0;
}

/* With helpers: the run of block commands from cmd[i] on, handed to them. */
static void
ahead_begin(struct ahead *a, char **cmd, size_t i, size_t n)
{
	size_t k;

	if (a->pool == NULL || a->at < a->n)
		return;
	pool_end(a->pool);
	for (k = 0; i + k < n && is_block(cmd[i + k]) && k < 256; k++)
		a->line[k] = cmd[i + k] + (cmd[i + k][0] == 'b' ? 6 : 7);
	a->n = k;
	a->at = 0;
	if (k > 0)
		pool_begin(a->pool, k, prep_one, a);
}

/* All of standard input, a command a line. */
static char **
read_commands(size_t *np)
{
	char **v = NULL, *line = NULL;
	size_t n = 0, cap = 0, lcap = 0;
	ssize_t len;

	while ((len = getline(&line, &lcap, stdin)) > 0) {
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (n == cap && (v = realloc(v, (cap = cap ? 2 * cap : 64) * sizeof *v)) == NULL)
			exit(3);
		if ((v[n++] = strdup(line)) == NULL)
			exit(3);
	}
	free(line);
	*np = n;
	return v;
}

int
main(int argc, char *argv[])
{
	static struct store_pre pre[256];
	static char *pline[256];
	struct store_hooks hk = { NULL, on_log, NULL, NULL, on_invalid };
	struct hsync *peers[8] = { 0 };
	struct ahead a = { NULL, pre, pline, 0, 0 };
	struct store *s;
	struct bu_err e;
	char **cmd, *line;
	size_t i, n;
	int k;

	bu_setprogname(argv[0]);
	if (argc == 4 && strcmp(argv[1], "-j") == 0 && atoi(argv[2]) > 1) {
		if ((a.pool = pool_new((unsigned)atoi(argv[2]) - 1, &e)) == NULL)
			return 3;
		pool_begin(a.pool, 0, prep_one, &a);
		argv += 2;
		argc -= 2;
	}
	if (argc != 2)
		return 2;
	if (store_open(&s, argv[1], bu_now(), &hk, &e) != 0) {
		bu_report(&e);
		store_close(s);
		return e.code;
	}
	cmd = read_commands(&n);
	for (i = 0; i < n; i++) {
		line = cmd[i];
		if (store_lock(s, &e) != 0) {
			bu_report(&e);
			return 3;
		}
		if (is_block(line))
			ahead_begin(&a, cmd, i, n);
		if (strncmp(line, "block ", 6) == 0)
			do_block(s, line + 6, 0, &a);
		else if (strncmp(line, "submit ", 7) == 0)
			do_block(s, line + 7, 1, &a);
		else if (strncmp(line, "headers ", 8) == 0)
			do_headers(s, peers, line + 8);
		else if (strcmp(line, "tip") == 0)
			show(s, "tip", store_tip(s));
		else if (strcmp(line, "best") == 0)
			show(s, "best", store_best_header(s));
		else if (strncmp(line, "missing ", 8) == 0)
			do_missing(s, atol(line + 8));
		else if (strcmp(line, "count") == 0)
			printf("count %lu\n", (unsigned long)store_count(s));
		else
			return 2;
		if (store_unlock(s, 0, &e) != 0) {
			bu_report(&e);
			return 3;
		}
		fflush(stdout);
	}
	if (a.pool != NULL) {
		pool_end(a.pool);
		pool_free(a.pool);
	}
	for (i = 0; i < n; i++)
		free(cmd[i]);
	free(cmd);
	for (k = 0; k < 256; k++)
		store_pre_free(&pre[k]);
	for (k = 0; k < 8; k++)
		hsync_free(peers[k]);
	store_close(s);
	return 0;
}
