/* state.c: a checksummed snapshot of the chain state, so appends cost O(accounts) */
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

#define MAGIC "blockutils-state-2\n"
/* A cache written by a build with other struct layouts is ignored. */
#define LAYOUT ((uint64_t)sizeof(struct params) << 48 | \
	(uint64_t)sizeof(struct account) << 32 | \
	(uint64_t)sizeof(struct pending) << 16 | sizeof(struct chain_pos))

void
state_path(char *out, size_t n, const char *chain)
{
	snprintf(out, n, "%s.state", chain);
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

static void
serialize(const struct chain *c, const struct chain_pos *pos, struct buf *b)
{
	const struct ledger *l = &c->ledger;
	uint64_t n = c->p.name.n, k, layout = LAYOUT;
	unsigned char sum[32];

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
	sha256(b->p, b->n, sum);
	put(b, sum, sizeof sum);
}

int
state_save(const struct chain *c, const char *path, const struct chain_pos *pos,
    struct bu_err *e)
{
	char sp[4096], tmp[4200];
	struct buf b = { 0 };
	int fd, rc;

	state_path(sp, sizeof sp, path);
	snprintf(tmp, sizeof tmp, "%s.%ld.tmp", sp, (long)getpid());
	serialize(c, pos, &b);
	if (b.oom) {
		buf_free(&b);
		return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	rc = fd >= 0 && bu_write_all(fd, b.p, b.n) == 0 ? 0 : -1;
	if (fd >= 0 && close(fd) != 0)
		rc = -1;
	if (rc == 0 && rename(tmp, sp) != 0)
		rc = -1;
	if (rc != 0) {
		bu_fail(e, BU_EXIT_SYSTEM, "io", "'%s': %s", sp, strerror(errno));
		unlink(tmp);
	}
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

static int
get_ledger(struct chain *c, struct reader *r)
{
	uint64_t n, i;

	if (ledger_init(&c->ledger, c->p.maturity) != 0)
		return -1;
	get(r, &n, sizeof n);
	for (i = 0; i < n && !r->bad; i++) {
		struct account a;

		get(r, &a, sizeof a);
		if (!r->bad && ledger_put(&c->ledger, &a) != 0)
			return -1;
	}
	get(r, &n, sizeof n);
	for (i = 0; i < n && !r->bad; i++) {
		struct pending p;

		get(r, &p, sizeof p);
		if (!r->bad && ledger_put_pending(&c->ledger, &p) != 0)
			return -1;
	}
	ledger_commit(&c->ledger);
	return r->bad || r->at != r->n ? -1 : 0;
}

static int
deserialize(struct chain *c, const unsigned char *p, size_t n, struct chain_pos *pos)
{
	struct reader r = { p, n - 32, 0, 0 };
	unsigned char sum[32];
	uint64_t len;

	if (n < sizeof MAGIC - 1 + 32 || memcmp(p, MAGIC, sizeof MAGIC - 1) != 0)
		return -1;
	sha256(p, n - 32, sum);
	if (memcmp(sum, p + n - 32, 32) != 0)
		return -1;
	r.at = sizeof MAGIC - 1;
	get(&r, &len, sizeof len);
	if (len != LAYOUT)
		return -1;
	get(&r, pos, sizeof *pos);
	get(&r, &c->p, sizeof c->p);
	get(&r, &len, sizeof len);
	if (r.bad || len > MAXBLOCK_LIMIT || (c->pname = malloc(len + 1)) == NULL)
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
	if (r.bad || c->ntimes > MTP_SPAN || c->tpos >= MTP_SPAN ||
	    compact_decode(c->p.powlimit, &c->powlimit) != 0)
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

/*
 * The cache, if the file is exactly as the cache saw it (same file, size
 * and modification time) and its last line carries the cached tip hash.
 */
static int
load_cache(struct chain *c, int fd, const char *path, struct chain_pos *pos)
{
	char sp[4096], hashfield[6 + 64 + 64];
	unsigned char *data = NULL, h[32];
	struct stat st;
	ssize_t got;
	int sfd, ok = 0;

	state_path(sp, sizeof sp, path);
	if ((sfd = open(sp, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if (fstat(sfd, &st) == 0 && st.st_size > 0 && st.st_size < (1LL << 34) &&
	    (data = malloc((size_t)st.st_size)) != NULL &&
	    read(sfd, data, (size_t)st.st_size) == st.st_size &&
	    deserialize(c, data, (size_t)st.st_size, pos) == 0)
		ok = 1;
	close(sfd);
	free(data);
	/* the tip line: "block height=N hash=H ..." ending at pos->end */
	if (ok) {
		struct chain_pos now = *pos;

		ok = state_stamp(fd, &now) == 0 && now.dev == pos->dev &&
		    now.ino == pos->ino && now.size == pos->size &&
		    now.mtime_s == pos->mtime_s && now.mtime_ns == pos->mtime_ns &&
		    pos->size == pos->end && pos->lastlen <= pos->end && pos->lastlen >= 80;
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
	if ((dfd = dup(fd)) < 0 || lseek(dfd, (off_t)pos->end, SEEK_SET) < 0)
		return bu_fail(e, BU_EXIT_SYSTEM, "io", "'%s': %s", path, strerror(errno));
	if (lines_fdopen(&r, dfd, path, MAXBLOCK_LIMIT, e) != 0) {
		close(dfd);
		return -1;
	}
	r.lineno = pos->lineno;
	r.next = pos->end;
	rc = chain_walk_lines(c, &r, remember, pos, e);
	if (rc != 0 && strcmp(e->reason, "truncated") == 0) {
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
