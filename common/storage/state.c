/* state.c: a keyed snapshot of the chain state, so appends cost O(accounts) */
#include "state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chainfile.h"
#include "hash.h"
#include "replace.h"

#define MAGIC "blockutils-state-3\n"
#define MACLEN 32
#define KEYLINE 65		/* 64 hex digits and '\n' */
#define STATE_MAX (1LL << 34)
/* A cache written by a build with other struct layouts is ignored. */
#define LAYOUT ((uint64_t)sizeof(struct params) << 48 | \
	(uint64_t)sizeof(struct account) << 32 | \
	(uint64_t)sizeof(struct pending) << 16 | sizeof(struct chain_pos))

void
state_path(char *out, size_t n, const char *chain)
{
	snprintf(out, n, "%s.state", chain);
}

void
state_key_path(char *out, size_t n, const char *chain)
{
	snprintf(out, n, "%s.state.key", chain);
}

static void
put(struct buf *b, const void *p, size_t n)
{
	buf_add(b, p, n);
}

static void
put_account(const struct account *a, void *arg)
{
	put(arg, a, sizeof *a);
}

void
state_encode(const struct chain *c, const struct chain_pos *pos, struct buf *b)
{
	const struct ledger *l = &c->ledger;
	uint64_t n = c->p.name.n, k, layout = LAYOUT;

	put(b, MAGIC, sizeof MAGIC - 1);
	put(b, &layout, sizeof layout);
	put(b, pos, sizeof *pos);
	put(b, &c->p, sizeof c->p);
	put(b, &n, sizeof n);
	put(b, c->pname, n);
	put(b, c->id, 32);
	put(b, &c->height, sizeof c->height);
	put(b, c->tip, 32);
	put(b, &c->tip_bits, sizeof c->tip_bits);
	put(b, c->times, sizeof c->times);
	put(b, &c->ntimes, sizeof c->ntimes);
	put(b, &c->tpos, sizeof c->tpos);
	put(b, &c->anchor_time, sizeof c->anchor_time);
	put(b, &c->anchor_height, sizeof c->anchor_height);
	put(b, &c->have_anchor, sizeof c->have_anchor);
	put(b, &c->work, sizeof c->work);
	put(b, &c->ntx, sizeof c->ntx);
	n = l->count;
	put(b, &n, sizeof n);
	ledger_each(l, put_account, b);
	n = l->qpush - l->qpop;
	put(b, &n, sizeof n);
	for (k = l->qpop; k < l->qpush; k++)
		put(b, &l->q[k % l->qcap], sizeof l->q[0]);
}

/* Regular, ours, and none of the forbidden mode bits: else not to be trusted. */
static int
trusted(int fd, mode_t forbid, struct stat *st)
{
	return fstat(fd, st) == 0 && S_ISREG(st->st_mode) && st->st_uid == geteuid() &&
	    (st->st_mode & forbid) == 0;
}

static int
open_nofollow(const char *path)
{
	return open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
}

/* The key beside the cache, when it is ours alone. 0 or -1. */
static int
read_key(const char *chain, unsigned char key[MACLEN])
{
	char kp[BU_PATHBUF], line[KEYLINE + 1];
	struct stat st;
	ssize_t got;
	int fd, ok;

	state_key_path(kp, sizeof kp, chain);
	if ((fd = open_nofollow(kp)) < 0)
		return -1;
	ok = trusted(fd, 077, &st) && st.st_size == KEYLINE &&
	    (got = read(fd, line, sizeof line)) == KEYLINE && line[KEYLINE - 1] == '\n' &&
	    bu_unhex(line, 2 * MACLEN, key, MACLEN) == 0;
	close(fd);
	mem_wipe(line, sizeof line);
	return ok ? 0 : -1;
}

/* A new random key; one that is not ours alone is replaced. */
static int
make_key(const char *chain, unsigned char key[MACLEN], struct bu_err *e)
{
	char kp[BU_PATHBUF], line[KEYLINE + 1];
	int rc;

	if (random_bytes(key, MACLEN) != 0)
		return bu_fail(e, BU_EXIT_SYSTEM, "crypto", "no random bytes for the cache key");
	state_key_path(kp, sizeof kp, chain);
	bu_hex(line, key, MACLEN);
	line[KEYLINE - 1] = '\n';
	rc = file_replace(kp, line, KEYLINE, REPLACE_PRIVATE, e);
	mem_wipe(line, sizeof line);
	return rc;
}

int
state_save(const struct chain *c, const char *path, const struct chain_pos *pos,
    struct bu_err *e)
{
	unsigned char key[MACLEN], mac[MACLEN];
	char sp[BU_PATHBUF];
	struct buf b = { 0 };
	int rc = -1;

	if (chain_permissioned(c))	/* its per-height state is not cached: replayed in full */
		return 0;
	state_path(sp, sizeof sp, path);
	if (read_key(path, key) != 0 && make_key(path, key, e) != 0)
		return -1;
	state_encode(c, pos, &b);
	if (b.oom) {
		bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
	} else if (hmac_sha256(key, MACLEN, b.p, b.n, mac) != 0) {
		bu_fail(e, BU_EXIT_SYSTEM, "crypto", "HMAC-SHA256 failed");
	} else {
		buf_add(&b, mac, MACLEN);
		rc = b.oom ? bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory") :
		    file_replace(sp, b.p, b.n, REPLACE_PRIVATE, e);
	}
	mem_wipe(key, sizeof key);
	buf_free(&b);
	return rc;
}

struct reader {
	const unsigned char *p;
	size_t n, at;
	int bad;
};

static void
get(struct reader *r, void *out, size_t n)
{
	if (r->bad || r->n - r->at < n) {
		r->bad = 1;
		memset(out, 0, n);
		return;
	}
	memcpy(out, r->p + r->at, n);
	r->at += n;
}

/* Each account's immature balance is the sum of its pending coinbases. */
static int
pending_match(const struct ledger *l)
{
	struct ledger sums;
	uint64_t k;
	int ok = 1;

	if (ledger_init(&sums, 1) != 0)
		return 0;
	for (k = l->qpop; ok && k < l->qpush; k++) {
		const struct pending *p = &l->q[k % l->qcap];
		const struct account *a = ledger_get(l, p->key), *s = ledger_get(&sums, p->key);
		uint64_t sofar = s ? s->immature : 0;	/* at most a->immature */
		struct account t;

		if (a == NULL || p->amount == 0 || p->amount > a->immature - sofar) {
			ok = 0;
			break;
		}
		memset(&t, 0, sizeof t);
		memcpy(t.key, p->key, 32);
		t.immature = sofar + p->amount;
		ok = ledger_put(&sums, &t) == 0;
	}
	for (k = 0; ok && k < l->cap; k++) {
		const struct account *a = &l->tab[k], *s;

		if (a->used && a->immature > 0)
			ok = (s = ledger_get(&sums, a->key)) != NULL && s->immature == a->immature;
	}
	ledger_free(&sums);
	return ok;
}

static int
get_ledger(struct chain *c, struct reader *r)
{
	uint64_t n, i, last = 0;

	if (ledger_init(&c->ledger, c->p.maturity) != 0)
		return -1;
	get(r, &n, sizeof n);
	for (i = 0; i < n && !r->bad; i++) {
		struct account a;

		get(r, &a, sizeof a);
		if (r->bad || a.balance > UINT64_MAX - a.immature)
			return -1;
		if (ledger_put(&c->ledger, &a) != 0 || c->ledger.count != i + 1)
			return -1;	/* out of memory, or a key twice */
	}
	get(r, &n, sizeof n);
	for (i = 0; i < n && !r->bad; i++) {
		struct pending p;

		get(r, &p, sizeof p);
		if (r->bad || p.height > c->height || p.height < last ||
		    (uint64_t)p.height + c->ledger.maturity <= c->height ||
		    ledger_put_pending(&c->ledger, &p) != 0)
			return -1;
		last = p.height;
	}
	ledger_commit(&c->ledger);
	return r->bad || r->at != r->n || !pending_match(&c->ledger) ? -1 : 0;
}

/* What no chain state can be, whoever wrote the cache. */
static int
sane(const struct chain *c, const struct chain_pos *pos)
{
	size_t bad;
	u256 t;

	return params_check(&c->p, NULL) == 0 &&
	    text_check(c->pname, c->p.name.n, &bad) == 0 &&
	    c->ntimes == (c->height < MTP_SPAN - 1 ? c->height + 1 : MTP_SPAN) &&
	    c->tpos == (c->height + 1) % MTP_SPAN &&
	    compact_decode(c->tip_bits, &t) == 0 && u256_cmp(&t, &c->powlimit) <= 0 &&
	    !u256_is_zero(&c->work) && c->ntx > c->height &&
	    c->have_anchor == (c->p.retarget > 0) &&
	    (c->p.retarget == 0 || c->anchor_height == c->height - c->height % c->p.retarget) &&
	    pos->lineno == (uint64_t)c->height + 1 &&
	    pos->lastlen >= 80 && pos->lastlen <= c->p.maxblock && pos->lastlen <= pos->end &&
	    pos->end == pos->size;
}

int
state_decode(struct chain *c, const unsigned char *p, size_t n, struct chain_pos *pos)
{
	struct reader r = { p, n, 0, 0 };
	uint64_t len;

	if (n < sizeof MAGIC - 1 || memcmp(p, MAGIC, sizeof MAGIC - 1) != 0)
		return -1;
	r.at = sizeof MAGIC - 1;
	get(&r, &len, sizeof len);
	if (len != LAYOUT)
		return -1;
	get(&r, pos, sizeof *pos);
	get(&r, &c->p, sizeof c->p);
	if (c->p.nsigners != 0)	/* never written (state_save): not to be trusted */
		return -1;
	get(&r, &len, sizeof len);
	if (r.bad || len > n - r.at || (c->pname = malloc(len + 1)) == NULL)
		return -1;
	get(&r, c->pname, len);
	c->pname[len] = '\0';
	c->p.name.p = c->pname;
	c->p.name.n = len;
	get(&r, c->id, 32);
	bu_hex_rev(c->idhex, c->id);
	get(&r, &c->height, sizeof c->height);
	get(&r, c->tip, 32);
	get(&r, &c->tip_bits, sizeof c->tip_bits);
	get(&r, c->times, sizeof c->times);
	get(&r, &c->ntimes, sizeof c->ntimes);
	get(&r, &c->tpos, sizeof c->tpos);
	get(&r, &c->anchor_time, sizeof c->anchor_time);
	get(&r, &c->anchor_height, sizeof c->anchor_height);
	get(&r, &c->have_anchor, sizeof c->have_anchor);
	get(&r, &c->work, sizeof c->work);
	get(&r, &c->ntx, sizeof c->ntx);
	if (r.bad || compact_decode(c->p.powlimit, &c->powlimit) != 0 || !sane(c, pos))
		return -1;
	c->empty = 0;
	return get_ledger(c, &r);
}

int
state_stamp(int fd, struct chain_pos *pos)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		return -1;
	pos->dev = (uint64_t)st.st_dev;
	pos->ino = (uint64_t)st.st_ino;
	pos->size = (uint64_t)st.st_size;
	pos->mtime_s = (uint64_t)st.st_mtim.tv_sec;
	pos->mtime_ns = (uint64_t)st.st_mtim.tv_nsec;
	return 0;
}

/* The whole cache file, when it and its key are ours alone and its MAC holds. */
static unsigned char *
read_cache(const char *path, size_t *n)
{
	unsigned char key[MACLEN], mac[MACLEN], *data = NULL;
	char sp[BU_PATHBUF];
	struct stat st;
	size_t got = 0;
	ssize_t k = 1;
	int sfd, ok;

	state_path(sp, sizeof sp, path);
	if ((sfd = open_nofollow(sp)) < 0)
		return NULL;
	ok = trusted(sfd, 022, &st) && st.st_size > MACLEN && st.st_size < STATE_MAX &&
	    read_key(path, key) == 0 && (data = malloc((size_t)st.st_size)) != NULL;
	while (ok && got < (size_t)st.st_size && k > 0)
		if ((k = read(sfd, data + got, (size_t)st.st_size - got)) > 0)
			got += (size_t)k;
	close(sfd);
	ok = ok && got == (size_t)st.st_size &&
	    hmac_sha256(key, MACLEN, data, got - MACLEN, mac) == 0 &&
	    bu_equal_ct(mac, data + got - MACLEN, MACLEN);
	mem_wipe(key, sizeof key);
	if (!ok) {
		free(data);
		return NULL;
	}
	*n = got - MACLEN;
	return data;
}

/*
 * The cache, if the file is exactly as the cache saw it (same file, size
 * and modification time) and its last line carries the cached tip hash.
 */
static int
load_cache(struct chain *c, int fd, const char *path, struct chain_pos *pos)
{
	char hashfield[6 + 64 + 64];
	unsigned char *data, h[32];
	size_t n;
	ssize_t got;
	int ok = 0;

	if ((data = read_cache(path, &n)) != NULL) {
		ok = state_decode(c, data, n, pos) == 0;
		free(data);
	}
	/* the tip line: "block height=N hash=H ..." ending at pos->end */
	if (ok) {
		struct chain_pos now = *pos;

		ok = state_stamp(fd, &now) == 0 && now.dev == pos->dev &&
		    now.ino == pos->ino && now.size == pos->size &&
		    now.mtime_s == pos->mtime_s && now.mtime_ns == pos->mtime_ns;
	}
	if (ok) {
		char *hp;

		got = pread(fd, hashfield, sizeof hashfield - 1,
		    (off_t)(pos->end - pos->lastlen));
		hashfield[got > 0 ? got : 0] = '\0';
		hp = strstr(hashfield, " hash=");
		ok = hp != NULL && bu_unhex_rev(hp + 6, 64, h) == 0 &&
		    memcmp(h, c->tip, 32) == 0;
	}
	if (!ok) {
		struct chain_opts o = c->o;

		chain_free(c);
		chain_init(c, &o);
		memset(pos, 0, sizeof *pos);
		return -1;
	}
	return 0;
}

static int
remember(void *arg, const struct block *b, const char *line, size_t len,
    const struct lines *r)
{
	struct chain_pos *pos = arg;

	(void)b;
	(void)line;
	pos->end = r->next;
	pos->lineno = r->lineno;
	pos->lastlen = len + 1;
	return 0;
}

int
chain_load_fd(struct chain *c, int fd, const char *path, struct chain_pos *pos,
    struct bu_err *e)
{
	struct lines r;
	int dfd, rc;

	memset(pos, 0, sizeof *pos);
	load_cache(c, fd, path, pos);
	if ((dfd = dup(fd)) < 0)
		return bu_fail(e, BU_EXIT_SYSTEM, "io", "'%s': %s", path, strerror(errno));
	if (lseek(dfd, (off_t)pos->end, SEEK_SET) < 0) {
		rc = errno;
		close(dfd);
		return bu_fail(e, BU_EXIT_SYSTEM, "io", "'%s': %s", path, strerror(rc));
	}
	if (lines_fdopen(&r, dfd, path, MAXBLOCK_LIMIT, e) != 0)
		return -1;	/* only when dfd < 0 */
	r.lineno = pos->lineno;
	r.next = pos->end;
	rc = chain_walk_lines(c, &r, remember, pos, e);
	if (rc != 0 && e->cls == BU_C_TRUNCATED) {
		pos->partial = 1;
		rc = 0;
	}
	lines_close(&r);
	return rc;
}

int
chain_load(struct chain *c, const char *path, struct bu_err *e)
{
	struct chain_pos pos;
	struct stat st;
	size_t n = strlen(path);
	int fd, rc;

	if (strcmp(path, "-") == 0 || (n > 3 && strcmp(path + n - 3, ".gz") == 0))
		return chain_walk(c, path, NULL, NULL, e);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return bu_fail(e, BU_EXIT_SYSTEM, "io", "'%s': %s", path, strerror(errno));
	if (fstat(fd, &st) != 0 || flock(fd, LOCK_SH) != 0) {
		close(fd);
		return bu_fail(e, BU_EXIT_SYSTEM, "io", "'%s': lock: %s", path, strerror(errno));
	}
	if (!S_ISREG(st.st_mode)) {	/* a pipe or a device: no cache, no seeking */
		struct lines r;

		if (lines_fdopen(&r, fd, path, MAXBLOCK_LIMIT, e) != 0)
			return -1;
		rc = chain_walk_lines(c, &r, NULL, NULL, e);
		lines_close(&r);
		return rc;
	}
	rc = chain_load_fd(c, fd, path, &pos, e);
	close(fd);
	if (rc == 0 && pos.partial)
		return bu_fail(e, BU_EXIT_INVALID, "truncated",
		    "'%s': its last line has no newline (chain-append repairs it)", path);
	return rc;
}
