/* store.c: the block store: header tree, best chain, chain file, side blocks, reorgs */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "chainfile.h"
#include "grind.h"
#include "hash.h"
#include "lines.h"
#include "state.h"

#define F_MAIN 1	/* on the best chain, in the chain file */
#define F_DATA 2	/* the store has the block */
#define F_CHAIN 4	/* and every block below it */
#define F_FAILED 8	/* it or an ancestor broke a rule */
#define F_LOW 16	/* side data counted against STORE_SIDE_MAX and _BYTES */

enum { D_NONE, D_MAIN, D_SIDE, D_MEM };

#define SIDE_COMPACT_MIN (16u << 20)	/* dead bytes in side.blk before a rewrite */
#define STORE_KEEP_TXS 4096	/* store_block keeps room for this many transactions */
#define PATHLEN BU_PATHBUF

struct sent {
	unsigned char hash[32];
	struct header h;
	u256 work;		/* cumulative */
	uint64_t off;		/* D_MAIN: in the chain file; D_SIDE: in side.blk */
	uint64_t ntx;		/* transactions up to here, main only */
	int32_t parent, child, sibling;
	uint32_t height, len, source;
	uint8_t flags, where;
};

struct ixslot {
	int32_t i;
	uint32_t tag;
};

struct ivec {
	int32_t *v;
	size_t n, cap;
};

struct store {
	struct store_hooks hk;
	char chainpath[PATHLEN], sidepath[PATHLEN], lockpath[PATHLEN];
	int lockfd, chainfd, sidefd;
	uint64_t end;		/* bytes of the chain file that are ours, pend included */
	struct buf pend;	/* accepted lines not written yet */
	dev_t dev;
	ino_t ino;
	int locked, dirty;
	uint64_t side_end, side_live, low_bytes;
	size_t nlow;
	struct chain chain;	/* the best chain's state at its tip, with undo */
	struct chain hc;	/* scratch: a header chain at some entry */
	struct ledger_mark *marks;	/* height -> the ledger after that block */
	struct sent *ix;
	size_t nix, capix;
	struct ixslot *tab;
	size_t tabcap;
	int32_t *mainv;
	size_t capmain;
	int32_t best;		/* the most-work header not failed */
	struct ivec cand;	/* entries with F_CHAIN that may have more work than the tip */
	struct ivec ann;	/* new best-chain blocks to announce */
	struct ivec path;	/* best's ancestors above the best chain, lowest first */
	uint32_t path_base;	/* height of path.v[0] */
	size_t path_lo;		/* below it every path entry has data */
	struct ivec scratch;
	const char *cur;	/* the line store_block is handling */
	size_t curlen;
	const struct block *curb;	/* and that line parsed */
	struct block b;		/* a block read back */
	struct block inb;	/* the block store_block takes, its room kept from call to call */
	struct ivec br;		/* the branch a reorganization connects */
	unsigned char (*hh)[32];	/* scratch of store_headers */
	unsigned char *hb;	/* and their 80 bytes each, for the kernel's lanes */
	const struct grind_kernel *k;	/* hashes headers side by side */
	u256 *works;
	struct buf line;	/* a line read back from a file */
	int loading;		/* side.blk is being read: keep lines where they are */
	uint64_t load_off;
	unsigned char salt[16];
	int32_t failed_i;	/* the last entry fail_mark marked, and why */
	uint32_t final_h;	/* the highest final block the best chain has had (SPEC 7) */
	struct bu_err failed_e;
};

static void slog(struct store *s, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
slog(struct store *s, int level, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (s->hk.log == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	s->hk.log(s->hk.arg, level, msg);
}

static int
syserr(struct bu_err *e, const char *path, const char *what)
{
	return bu_fail(e, BU_EXIT_SYSTEM, "io", "'%s': %s: %s", path, what, strerror(errno));
}

static int
oom(struct bu_err *e)
{
	return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
}

static int
ivec_push(struct ivec *v, int32_t x)
{
	if (v->n == v->cap) {
		size_t ncap = v->cap ? 2 * v->cap : 64;
		int32_t *nv = realloc(v->v, ncap * sizeof *nv);

		if (nv == NULL)
			return -1;
		v->v = nv;
		v->cap = ncap;
	}
	v->v[v->n++] = x;
	return 0;
}

/* ---- the index ---- */

static size_t
slot(const unsigned char h[32], size_t cap)
{
	uint64_t k;

	memcpy(&k, h, 8);
	return (size_t)(k ^ (k >> 29)) & (cap - 1);
}

/* Four more bytes of the hash kept in the table: a probe rarely touches ix. */
static uint32_t
tag(const unsigned char h[32])
{
	uint32_t t;

	memcpy(&t, h + 8, 4);
	return t;
}

int32_t
store_find(const struct store *s, const unsigned char h[32])
{
	uint32_t t = tag(h);
	size_t i;

	if (s->tabcap == 0)
		return -1;
	for (i = slot(h, s->tabcap); s->tab[i].i >= 0; i = (i + 1) & (s->tabcap - 1))
		if (s->tab[i].tag == t && memcmp(s->ix[s->tab[i].i].hash, h, 32) == 0)
			return s->tab[i].i;
	return -1;
}

static void
tab_put(struct ixslot *t, size_t cap, const unsigned char h[32], int32_t i)
{
	size_t k;

	for (k = slot(h, cap); t[k].i >= 0; k = (k + 1) & (cap - 1))
		;
	t[k].i = i;
	t[k].tag = tag(h);
}

static int
grow_tab(struct store *s)
{
	size_t ncap = s->tabcap ? 2 * s->tabcap : 4096, i;
	struct ixslot *t = malloc(ncap * sizeof *t);

	if (t == NULL)
		return -1;
	memset(t, 0xff, ncap * sizeof *t);
	for (i = 0; i < s->nix; i++)
		tab_put(t, ncap, s->ix[i].hash, (int32_t)i);
	free(s->tab);
	s->tab = t;
	s->tabcap = ncap;
	return 0;
}

/* A new entry for header h (hash given) below parent, or -1 when memory ran out. */
static int32_t
ix_add(struct store *s, const unsigned char hash[32], const struct header *h,
    int32_t parent, const u256 *work)
{
	struct sent *x;
	int32_t i;

	if (s->nix >= INT32_MAX - 1)
		return -1;
	if (2 * (s->nix + 1) > s->tabcap && grow_tab(s) != 0)
		return -1;
	if (s->nix == s->capix) {
		size_t ncap = s->capix ? 2 * s->capix : 4096;
		struct sent *nv = realloc(s->ix, ncap * sizeof *nv);

		if (nv == NULL)
			return -1;
		s->ix = nv;
		s->capix = ncap;
	}
	i = (int32_t)s->nix++;
	x = &s->ix[i];
	memset(x, 0, sizeof *x);
	memcpy(x->hash, hash, 32);
	x->h = *h;
	x->work = *work;
	x->parent = parent;
	x->child = x->sibling = -1;
	if (parent >= 0) {
		x->height = s->ix[parent].height + 1;
		x->sibling = s->ix[parent].child;
		s->ix[parent].child = i;
	}
	tab_put(s->tab, s->tabcap, hash, i);
	if (s->best < 0 || (!(s->ix[s->best].flags & F_FAILED) &&
	    u256_cmp(work, &s->ix[s->best].work) > 0))
		s->best = i;
	return i;
}

static int32_t
ancestor(const struct store *s, int32_t i, uint32_t height)
{
	const struct ivec *p = &s->path;
	uint32_t top = s->ix[i].height;

	if (p->n > 0 && top >= s->path_base && top - s->path_base < p->n &&
	    p->v[top - s->path_base] == i && height <= top)	/* on the best path */
		return height >= s->path_base ? p->v[height - s->path_base] : s->mainv[height];
	while (!(s->ix[i].flags & F_MAIN) && s->ix[i].height > height)
		i = s->ix[i].parent;
	if (s->ix[i].height == height)
		return i;
	return s->mainv[height];
}

/* The state chain_accept would have after entry i. */
static void
tipstate(const struct store *s, int32_t i, struct chain_tip *t)
{
	const struct sent *x = &s->ix[i];
	uint32_t tmp[MTP_SPAN];
	unsigned n = 0, k;
	int32_t j;

	memset(t, 0, sizeof *t);
	t->height = x->height;
	t->bits = x->h.bits;
	memcpy(t->hash, x->hash, 32);
	t->work = x->work;
	t->ntx = x->ntx;
	for (j = i; j >= 0 && n < MTP_SPAN; j = s->ix[j].parent)
		tmp[n++] = s->ix[j].h.time;
	for (k = 0; k < n; k++)
		t->times[k] = tmp[n - 1 - k];
	t->ntimes = n;
	if (s->chain.p.retarget != 0) {
		t->have_anchor = 1;
		t->anchor_height = x->height - x->height % s->chain.p.retarget;
		t->anchor_time = s->ix[ancestor(s, i, t->anchor_height)].h.time;
	}
}

/* A chain of headers only, at entry i, with the best chain's rules. */
static void
hchain_at(const struct store *s, struct chain *hc, int32_t i)
{
	struct chain_tip t;
	struct ledger_mark none = { 0, 0, 0 };

	memset(hc, 0, sizeof *hc);
	hc->o = s->chain.o;
	hc->o.undo = 0;
	hc->p = s->chain.p;	/* the name points into s->chain: hc never frees it */
	hc->powlimit = s->chain.powlimit;
	memcpy(hc->id, s->chain.id, 32);
	memcpy(hc->idhex, s->chain.idhex, sizeof hc->idhex);
	tipstate(s, i, &t);
	chain_rewind(hc, &t, none);
}

/* Check a raw header (hash its hash) on top of hc and advance it. */
static int
hchain_next(struct chain *hc, const struct header *h, const unsigned char hash[32],
    struct bu_err *e)
{
	struct block b = { .raw = 1 };	/* no transactions: nothing to free */

	b.h = *h;
	return chain_accept_hashed(hc, &b, 0, hash, e);
}

static void note_final(struct store *s);

static int
set_main(struct store *s, uint32_t height, int32_t i)
{
	if (height >= s->capmain) {
		size_t ncap = s->capmain ? 2 * s->capmain : 4096;
		int32_t *nv;
		struct ledger_mark *nm;

		while (ncap <= height)
			ncap *= 2;
		if ((nv = realloc(s->mainv, ncap * sizeof *nv)) == NULL)
			return -1;
		s->mainv = nv;
		if ((nm = realloc(s->marks, ncap * sizeof *nm)) == NULL)
			return -1;
		s->marks = nm;
		s->capmain = ncap;
	}
	s->mainv[height] = i;
	s->marks[height] = ledger_mark(&s->chain.ledger);
	s->ix[i].flags |= F_MAIN | F_CHAIN | F_DATA;
	s->ix[i].ntx = s->chain.ntx;
	note_final(s);
	return 0;
}

static void
unlow(struct store *s, struct sent *x)
{
	if (x->flags & F_LOW) {
		x->flags &= (uint8_t)~F_LOW;
		s->nlow--;
		s->low_bytes -= x->len + 1;
	}
}

/* Entry i, with data at off in the chain file, is the new tip (chain_accept took it). */
static int
index_main(struct store *s, int32_t i, const struct block *b, uint64_t off, size_t len)
{
	struct sent *x;

	if (i < 0) {
		int32_t parent = s->chain.height == 0 ? -1 : s->mainv[s->chain.height - 1];

		if ((i = ix_add(s, b->hash, &b->h, parent, &s->chain.work)) < 0)
			return -1;
	}
	x = &s->ix[i];
	if (x->where == D_SIDE)
		s->side_live -= x->len + 1;
	unlow(s, x);
	x->where = D_MAIN;
	x->off = off;
	x->len = (uint32_t)len;
	return set_main(s, s->chain.height, i);
}

struct walkarg {
	struct store *s;
	int announce;
};

static int
walk_each(void *arg, const struct block *b, const char *line, size_t len,
    const struct lines *r)
{
	struct walkarg *w = arg;
	struct store *s = w->s;

	(void)line;
	s->end = r->next;
	if (index_main(s, store_find(s, b->hash), b, r->offset, len) != 0)
		return -2;
	if (w->announce && ivec_push(&s->ann, s->mainv[s->chain.height]) != 0)
		return -2;
	return 0;
}

/* A line reader over the chain file from byte off, on a descriptor of its own. */
static int
reader_at(struct store *s, uint64_t off, struct lines *r, struct bu_err *e)
{
	int dfd;

	if ((dfd = dup(s->chainfd)) < 0 || lseek(dfd, (off_t)off, SEEK_SET) < 0) {
		if (dfd >= 0)
			close(dfd);
		return syserr(e, s->chainpath, "read");
	}
	if (lines_fdopen(r, dfd, s->chainpath, MAXBLOCK_LIMIT, e) != 0) {
		close(dfd);
		return -1;
	}
	return 0;
}

/* Check and index the chain file's lines from s->end on; a torn last line is cut. */
static int
walk_from(struct store *s, int announce, struct bu_err *e)
{
	struct walkarg w = { s, announce };
	struct lines r;
	int rc;

	if (reader_at(s, s->end, &r, e) != 0)
		return -1;
	r.next = s->end;
	r.lineno = s->chain.empty ? 0 : s->chain.height + 1;
	rc = chain_walk_lines(&s->chain, &r, walk_each, &w, e);
	lines_close(&r);
	if (rc == -2)
		return oom(e);
	if (rc != 0 && e->cls == BU_C_TRUNCATED) {
		slog(s, 0, "warning: %s:%llu: cut an unfinished last line", s->chainpath,
		    (unsigned long long)r.lineno);
		if (ftruncate(s->chainfd, (off_t)s->end) != 0 || fsync(s->chainfd) != 0)
			return syserr(e, s->chainpath, "cutting an unfinished last line");
		rc = 0;
	}
	return rc;
}

/* ---- the chain file ---- */

static int
flush_pend(struct store *s, struct bu_err *e)
{
	uint64_t at = s->end - s->pend.n;
	size_t done = 0;

	while (done < s->pend.n) {
		ssize_t w = pwrite(s->chainfd, s->pend.p + done, s->pend.n - done,
		    (off_t)(at + done));

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			int saved = w < 0 ? errno : EIO;

			if (ftruncate(s->chainfd, (off_t)at) != 0)
				saved = errno;
			errno = saved;
			s->pend.n = 0;
			return syserr(e, s->chainpath, "write");
		}
		done += (size_t)w;
	}
	s->pend.n = 0;
	return 0;
}

int
store_lock(struct store *s, struct bu_err *e)
{
	struct stat st, named;

	if (s->locked)
		return 0;
	if (flock(s->chainfd, LOCK_EX) != 0)
		return syserr(e, s->chainpath, "lock");
	s->locked = 1;
	if (fstat(s->chainfd, &st) != 0)
		return syserr(e, s->chainpath, "stat");
	if (stat(s->chainpath, &named) != 0 || named.st_ino != s->ino || named.st_dev != s->dev)
		return bu_fail(e, BU_EXIT_SYSTEM, "io",
		    "'%s' was replaced under the node; restart it", s->chainpath);
	if ((uint64_t)st.st_size < s->end)
		return bu_fail(e, BU_EXIT_SYSTEM, "io", "'%s' shrank under the node", s->chainpath);
	if ((uint64_t)st.st_size > s->end) {
		size_t before = s->ann.n;

		if (walk_from(s, 1, e) != 0)
			return -1;
		if (s->ann.n > before)
			slog(s, 0, "chain file grew: height=%lu", (unsigned long)s->chain.height);
	}
	return 0;
}

static void side_maybe_compact(struct store *s);

int
store_unlock(struct store *s, int sync, struct bu_err *e)
{
	int rc = flush_pend(s, e);

	if (rc == 0)
		side_maybe_compact(s);
	if (rc == 0 && s->dirty && sync) {
		if (fsync(s->chainfd) != 0)
			rc = syserr(e, s->chainpath, "fsync");
		s->dirty = 0;
	}
	if (s->locked)
		flock(s->chainfd, LOCK_UN);
	s->locked = 0;
	return rc;
}

int
store_dirty(const struct store *s)
{
	return s->dirty;
}

/* Queue an accepted tip line; its offset in the chain file. */
static int
append_line(struct store *s, const char *line, size_t len, uint64_t *off)
{
	buf_add(&s->pend, line, len);
	buf_add(&s->pend, "\n", 1);
	if (s->pend.oom)
		return -1;
	*off = s->end;
	s->end += len + 1;
	s->dirty = 1;
	return 0;
}

/* Cut the chain file after entry i (on the best chain). */
static int
cut_after(struct store *s, int32_t i, struct bu_err *e)
{
	uint64_t at = s->ix[i].off + s->ix[i].len + 1, written = s->end - s->pend.n;
	char sp[PATHLEN + 8];

	if (at >= written) {
		s->pend.n = (size_t)(at - written);
	} else {
		s->pend.n = 0;
		if (ftruncate(s->chainfd, (off_t)at) != 0)
			return syserr(e, s->chainpath, "cutting the chain file for a reorganization");
	}
	s->end = at;
	s->dirty = 1;
	state_path(sp, sizeof sp, s->chainpath);
	unlink(sp);
	return 0;
}

/* ---- side.blk ---- */

static int
side_append(struct store *s, const char *line, size_t len, uint64_t *off)
{
	struct iovec iov[2] = { { (void *)line, len }, { "\n", 1 } };

	if (s->loading) {
		*off = s->load_off;
		return 0;
	}
	if (s->sidefd < 0)
		return -1;
	if (writev(s->sidefd, iov, 2) != (ssize_t)len + 1) {
		slog(s, 0, "warning: %s: %s; side blocks are no longer kept", s->sidepath,
		    strerror(errno));
		close(s->sidefd);
		s->sidefd = -1;
		return -1;
	}
	*off = s->side_end;
	s->side_end += len + 1;
	return 0;
}

/* Rewrite side.blk with the side blocks the index still points to. */
static int
side_compact(struct store *s, struct bu_err *e)
{
	char tmp[PATHLEN + 8];
	uint64_t *noff, at = 0;
	size_t i;
	int fd, rc = -1;

	snprintf(tmp, sizeof tmp, "%s.tmp", s->sidepath);
	if ((noff = calloc(s->nix ? s->nix : 1, sizeof *noff)) == NULL)
		return oom(e);
	fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		goto out;
	for (i = 0; i < s->nix; i++) {
		struct sent *x = &s->ix[i];

		if (x->where != D_SIDE)
			continue;
		s->line.n = 0;
		if (store_line(s, (int32_t)i, &s->line) != 0 || buf_reserve(&s->line, 1) != 0)
			goto out;
		s->line.p[s->line.n++] = '\n';
		if (bu_write_all(fd, s->line.p, s->line.n) != 0)
			goto out;
		noff[i] = at;
		at += s->line.n;
	}
	if (fsync(fd) != 0 || rename(tmp, s->sidepath) != 0)
		goto out;
	for (i = 0; i < s->nix; i++)
		if (s->ix[i].where == D_SIDE)
			s->ix[i].off = noff[i];
	if (s->sidefd >= 0)
		close(s->sidefd);
	s->sidefd = fd;
	fd = -1;
	s->side_end = s->side_live = at;
	rc = 0;
out:
	if (rc != 0) {
		syserr(e, tmp, "rewriting side blocks");
		unlink(tmp);
	}
	if (fd >= 0)
		close(fd);
	free(noff);
	return rc;
}

static void
side_maybe_compact(struct store *s)
{
	struct bu_err e;
	uint64_t dead = s->side_end - s->side_live;

	if (s->sidefd < 0 || dead < SIDE_COMPACT_MIN || dead < s->side_live)
		return;
	if (side_compact(s, &e) != 0)
		slog(s, 0, "warning: %s", e.msg);
}

/* ---- reading lines back ---- */

int
store_line(struct store *s, int32_t i, struct buf *out)
{
	const struct sent *x = &s->ix[i];
	int fd;

	switch (x->where) {
	case D_MEM:
		buf_add(out, s->cur, s->curlen);
		return out->oom ? -1 : 0;
	case D_MAIN:
		if (x->off >= s->end - s->pend.n) {
			buf_add(out, s->pend.p + (x->off - (s->end - s->pend.n)), x->len);
			return out->oom ? -1 : 0;
		}
		fd = s->chainfd;
		break;
	case D_SIDE:
		fd = s->sidefd;
		break;
	default:
		return -1;
	}
	if (fd < 0 || buf_reserve(out, x->len) != 0 ||
	    pread(fd, out->p + out->n, x->len, (off_t)x->off) != (ssize_t)x->len)
		return -1;
	out->n += x->len;
	out->p[out->n] = '\0';
	return 0;
}

int
store_main_lines(struct store *s, uint32_t height, size_t count, struct buf *out)
{
	const struct sent *a, *z;
	uint64_t from, to, written = s->end - s->pend.n, disk;
	size_t at = out->n;

	if (count == 0 || height + count - 1 > s->chain.height)
		return -1;
	a = &s->ix[s->mainv[height]];
	z = &s->ix[s->mainv[height + count - 1]];
	from = a->off;
	to = z->off + z->len + 1;
	if (buf_reserve(out, (size_t)(to - from)) != 0)
		return -1;
	disk = to < written ? to : written;
	if (from < disk && pread(s->chainfd, out->p + at, (size_t)(disk - from), (off_t)from) !=
	    (ssize_t)(disk - from))
		return -1;
	if (to > written) {
		uint64_t p0 = from > written ? from : written;

		memcpy(out->p + at + (p0 - from), s->pend.p + (p0 - written), (size_t)(to - p0));
	}
	out->n += (size_t)(to - from);
	out->p[out->n] = '\0';
	return 0;
}

/* ---- best header, download path, candidates ---- */

static int
more_work(const struct store *s, int32_t i)
{
	return u256_cmp(&s->ix[i].work, &s->chain.work) > 0;
}

/* The path from the best chain up to best, lowest first; extended when it can be. */
static int
update_path(struct store *s)
{
	struct ivec *p = &s->path;
	int32_t b = s->best, j;
	size_t k, old = p->n;

	if (old > 0 && s->ix[b].height >= s->path_base + old &&
	    ancestor(s, b, s->path_base + (uint32_t)old - 1) == p->v[old - 1]) {
		s->scratch.n = 0;
		for (j = b; j != p->v[old - 1]; j = s->ix[j].parent)
			if (ivec_push(&s->scratch, j) != 0)
				return -1;
	} else {
		s->scratch.n = 0;
		for (j = b; !(s->ix[j].flags & F_MAIN); j = s->ix[j].parent)
			if (ivec_push(&s->scratch, j) != 0)
				return -1;
		p->n = old = 0;
		s->path_lo = 0;
		s->path_base = s->ix[j].height + 1;
	}
	for (k = s->scratch.n; k > 0; k--)
		if (ivec_push(p, s->scratch.v[k - 1]) != 0)
			return -1;
	return 0;
}

static void
recompute_best(struct store *s)
{
	size_t i;

	s->best = s->mainv[s->chain.height];
	for (i = 0; i < s->nix; i++)
		if (!(s->ix[i].flags & F_FAILED) &&
		    u256_cmp(&s->ix[i].work, &s->ix[s->best].work) > 0)
			s->best = (int32_t)i;
	s->path.n = 0;
}

/* Whether i is below a header with more work than the tip (so its data is wanted). */
static int
wanted(const struct store *s, int32_t i)
{
	uint32_t h = s->ix[i].height;

	return more_work(s, s->best) && h >= s->path_base && h - s->path_base < s->path.n &&
	    s->path.v[h - s->path_base] == i;
}

/* i has data now: it, and its children with data, may have every block below. */
static int
chain_up(struct store *s, int32_t i)
{
	s->scratch.n = 0;
	if (s->ix[i].parent >= 0 && !(s->ix[s->ix[i].parent].flags & F_CHAIN))
		return 0;
	if (ivec_push(&s->scratch, i) != 0)
		return -1;
	while (s->scratch.n > 0) {
		int32_t j = s->scratch.v[--s->scratch.n], c;

		s->ix[j].flags |= F_CHAIN;
		if (ivec_push(&s->cand, j) != 0)
			return -1;
		for (c = s->ix[j].child; c >= 0; c = s->ix[c].sibling)
			if ((s->ix[c].flags & (F_DATA | F_CHAIN | F_FAILED)) == F_DATA &&
			    ivec_push(&s->scratch, c) != 0)
				return -1;
	}
	return 0;
}

/* Mark i and every descendant invalid for good. */
static void
mark_subtree(struct store *s, int32_t i)
{
	s->scratch.n = 0;
	if (ivec_push(&s->scratch, i) == 0)
		while (s->scratch.n > 0) {
			int32_t j = s->scratch.v[--s->scratch.n], c;

			s->ix[j].flags |= F_FAILED;
			for (c = s->ix[j].child; c >= 0; c = s->ix[c].sibling)
				if (ivec_push(&s->scratch, c) != 0)
					break;
		}
	if (s->ix[s->best].flags & F_FAILED)
		recompute_best(s);
}

/* Entry i broke a rule: it and every descendant are invalid for good. */
static void
fail_mark(struct store *s, int32_t i, const struct bu_err *e)
{
	char hex[65];

	bu_hex_rev(hex, s->ix[i].hash);
	slog(s, 0, "block %s height=%lu invalid: %s: %s", hex, (unsigned long)s->ix[i].height,
	    e->reason, e->msg);
	mark_subtree(s, i);
	s->failed_i = i;
	s->failed_e = *e;
	if (s->hk.invalid != NULL)
		s->hk.invalid(s->hk.arg, s->ix[i].source, e);
}

/*
 * SPEC section 7: whether a branch through entry i holds the last final
 * block, so that the node may follow it (a new child of i included).
 */
static int
holds_final(const struct store *s, int32_t i)
{
	uint32_t f = s->final_h;

	return f == 0 || (s->ix[i].height >= f && ancestor(s, i, f) == s->mainv[f]);
}

static int
below_final(const struct store *s, int32_t i, struct bu_err *e)
{
	if (holds_final(s, i))
		return 0;
	return bu_fail(e, BU_EXIT_INVALID, "reorg-below-final",
	    "the branch leaves the best chain below its last final block, height %lu",
	    (unsigned long)s->final_h);
}

/*
 * The best chain's final height rose (set_main saw it): it stays, even if a
 * reorganization above it drops the block with the final record; every
 * branch that forks below it is invalid now, without blame on who sent it.
 */
static void
note_final(struct store *s)
{
	uint32_t f, h;
	int32_t c;

	if (!chain_permissioned(&s->chain) || !chain_final_height(&s->chain, &f) ||
	    f <= s->final_h)
		return;
	for (h = s->final_h; h < f; h++)
		for (c = s->ix[s->mainv[h]].child; c >= 0; c = s->ix[c].sibling)
			if (c != s->mainv[h + 1] && !(s->ix[c].flags & F_FAILED))
				mark_subtree(s, c);
	s->final_h = f;
	slog(s, 1, "final height=%lu", (unsigned long)f);
}

/* The candidate with the most work, above the tip; -1 when none. */
static int32_t
best_candidate(struct store *s)
{
	int32_t b = -1;
	size_t k, j = 0;

	for (k = 0; k < s->cand.n; k++) {
		int32_t i = s->cand.v[k];
		const struct sent *x = &s->ix[i];

		if ((x->flags & (F_MAIN | F_FAILED)) || !more_work(s, i))
			continue;
		s->cand.v[j++] = i;
		if (b < 0 || u256_cmp(&x->work, &s->ix[b].work) > 0)
			b = i;
	}
	s->cand.n = j;
	return b;
}

/* ---- connecting and disconnecting ---- */

/* Connect entry i, whose parent is the tip: 0, 1 when it breaks a rule (e), -1 on a system error. */
static int
connect_one(struct store *s, int32_t i, struct bu_err *e)
{
	struct sent *x = &s->ix[i];
	const struct block *b = s->curb;
	const char *line = s->cur;
	unsigned char hash[32];
	uint64_t off;
	size_t len = x->len;

	memcpy(hash, x->hash, 32);
	if (x->where != D_MEM) {
		s->line.n = 0;
		if (store_line(s, i, &s->line) != 0)
			return syserr(e, s->sidepath, "reading a side block");
		line = s->line.p;
		if (block_parse(&s->b, line, len, 0, e) != 0)
			return bu_fail(e, BU_EXIT_SYSTEM, "io", "'%s': a stored block no longer parses",
			    s->sidepath);
		b = &s->b;
	}
	if (chain_connect(&s->chain, b, len, hash, e) != 0) {
		e->height = x->height;
		return e->code == BU_EXIT_SYSTEM ? -1 : 1;
	}
	if (append_line(s, line, len, &off) != 0 || ivec_push(&s->ann, i) != 0)
		return oom(e);
	x = &s->ix[i];
	if (x->where == D_SIDE)
		s->side_live -= len + 1;
	unlow(s, x);
	x->where = D_MAIN;
	x->off = off;
	if (set_main(s, x->height, i) != 0)
		return oom(e);
	if (s->hk.connected != NULL)
		s->hk.connected(s->hk.arg, b);
	return 0;
}

/* Copy the lines above height fork to side.blk, parents first, before they leave the chain. */
static int
save_detached(struct store *s, uint32_t fork, struct bu_err *e)
{
	uint32_t h;

	for (h = fork + 1; h <= s->chain.height; h++) {
		struct sent *x = &s->ix[s->mainv[h]];
		uint64_t off;

		s->line.n = 0;
		if (store_line(s, s->mainv[h], &s->line) != 0)
			return syserr(e, s->chainpath, "reading a block that leaves the best chain");
		if (side_append(s, s->line.p, s->line.n, &off) == 0) {
			x->where = D_SIDE;
			x->off = off;
			s->side_live += s->line.n + 1;
		} else {
			x->where = D_NONE;	/* the file is unusable: forget the data */
		}
	}
	if (s->sidefd >= 0 && fsync(s->sidefd) != 0)
		slog(s, 0, "warning: %s: fsync: %s", s->sidepath, strerror(errno));
	return 0;
}

/* Take the tip off the best chain (its line was saved by save_detached). */
static void
disconnect_tip(struct store *s)
{
	uint32_t h = s->chain.height;
	int32_t i = s->mainv[h];
	struct chain_tip t;
	struct block b;
	struct bu_err e;

	s->line.n = 0;
	block_init(&b);
	if (store_line(s, i, &s->line) == 0 && block_parse(&b, s->line.p, s->line.n, 0, &e) == 0 &&
	    s->hk.disconnected != NULL)
		s->hk.disconnected(s->hk.arg, &b);
	block_free(&b);
	s->ix[i].flags &= (uint8_t)~F_MAIN;
	if (s->ix[i].where == D_NONE)
		s->ix[i].flags &= (uint8_t)~(F_DATA | F_CHAIN);
	tipstate(s, s->ix[i].parent, &t);
	chain_rewind(&s->chain, &t, s->marks[h - 1]);
}

static void keep_side(struct store *s, int32_t i, int keep_mem);

/* Make t the tip: back to the fork, then forward along t's branch. */
static int
reorg_to(struct store *s, int32_t t, struct bu_err *e)
{
	struct ivec *br = &s->br;
	struct bu_err fe0;
	uint32_t fork, depth;
	int32_t j, old = s->mainv[s->chain.height];
	size_t k;
	int rc = 0;

	br->n = 0;
	for (j = t; !(s->ix[j].flags & F_MAIN); j = s->ix[j].parent)
		if (ivec_push(br, j) != 0)
			return oom(e);
	fork = s->ix[j].height;
	depth = s->chain.height - fork;
	if (br->n > 0 && below_final(s, j, &fe0) != 0) {	/* not reached: each way in checks */
		fail_mark(s, br->v[br->n - 1], &fe0);
		return 0;
	}
	if (depth > 0) {
		for (k = 0; k < br->n; k++)	/* a restart must find the whole branch */
			keep_side(s, br->v[k], 1);
		if (save_detached(s, fork, e) != 0)
			return -1;
		while (s->chain.height > fork)
			disconnect_tip(s);
		if (cut_after(s, j, e) != 0 || ivec_push(&s->cand, old) != 0)
			return -1;
	}
	for (k = br->n; k > 0 && rc == 0; k--) {
		struct bu_err fe;

		rc = connect_one(s, br->v[k - 1], &fe);
		if (rc < 0)
			*e = fe;
		else if (rc > 0)
			fail_mark(s, br->v[k - 1], &fe);
	}
	if (depth > 0)
		slog(s, 0, "reorg depth=%lu fork=%lu height=%lu", (unsigned long)depth,
		    (unsigned long)fork, (unsigned long)s->chain.height);
	return rc < 0 ? -1 : 0;
}

/* Follow the most-work chain the store has every block of. */
static int
activate(struct store *s, struct bu_err *e)
{
	int32_t t;

	while ((t = best_candidate(s)) >= 0)
		if (reorg_to(s, t, e) != 0)
			return -1;
	return 0;
}

/* ---- headers ---- */

struct hsync {
	int phase;		/* 0 none, 1 presync, 2 redownload */
	struct chain hc;	/* at the last header followed */
	int32_t fork;		/* the stored entry the fork leaves from */
	uint32_t fork_height;
	uint32_t *commit;	/* at heights fork_height rounded up to the step, then every step */
	size_t ncommit, capcommit;
	uint32_t target_height;
	unsigned char target[32];
	struct hdr_pend {
		struct header h;
		unsigned char hash[32];
		u256 work;
	} *pend;
	size_t npend;
};

struct hsync *
hsync_new(void)
{
	return calloc(1, sizeof(struct hsync));
}

static void
hsync_reset(struct hsync *p)
{
	free(p->commit);
	free(p->pend);
	memset(p, 0, sizeof *p);
}

void
hsync_free(struct hsync *p)
{
	if (p != NULL)
		hsync_reset(p);
	free(p);
}

static uint32_t
commitment(const struct store *s, const unsigned char hash[32])
{
	unsigned char in[48], out[32];
	uint32_t c;

	memcpy(in, s->salt, 16);
	memcpy(in + 16, hash, 32);
	sha256(in, sizeof in, out);
	memcpy(&c, out, 4);
	return c;
}

static size_t
commit_slot(const struct hsync *p, uint32_t height)
{
	return height / STORE_COMMIT_STEP - p->fork_height / STORE_COMMIT_STEP - 1;
}

/* Presync: remember the header at height (a multiple of the step). */
static int
commit_add(const struct store *s, struct hsync *p, uint32_t height,
    const unsigned char hash[32])
{
	size_t k = commit_slot(p, height);

	if (k >= STORE_COMMITS_MAX)
		return -1;
	if (k >= p->capcommit) {
		size_t ncap = p->capcommit ? 2 * p->capcommit : 64;
		uint32_t *nv;

		while (ncap <= k)
			ncap *= 2;
		if ((nv = realloc(p->commit, ncap * sizeof *nv)) == NULL)
			return -1;
		p->commit = nv;
		p->capcommit = ncap;
	}
	p->commit[k] = commitment(s, hash);
	p->ncommit = k + 1;
	return 0;
}

static void
header_hashes(const struct store *s, const struct header *hv, size_t n, unsigned char (*hh)[32])
{
	size_t i;

	for (i = 0; i < n; i++)
		header_bytes(s->hb + 80 * i, &hv[i]);
	s->k->hash80(s->hb, n, &hh[0][0]);
}

/* Store new headers hv[0..n) (checked already) below parent; the last entry or -1. */
static int32_t
store_run(struct store *s, int32_t parent, const struct header *hv,
    const unsigned char (*hh)[32], const u256 *works, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)	/* the parent is new: so is each child */
		if ((parent = ix_add(s, hh[k], &hv[k], parent, &works[k])) < 0)
			return -1;
	return parent;
}

static int
path_after_best_changed(struct store *s, int32_t before, struct bu_err *e)
{
	if (s->best != before && update_path(s) != 0)
		return oom(e);
	return 0;
}

/* The rules for hv[0..n) on top of hc; works get the cumulative works. The number that passed. */
static size_t
check_run(struct chain *hc, const struct header *hv, const unsigned char (*hh)[32], size_t n,
    u256 *works, int *later, struct bu_err *e)
{
	size_t k;

	*later = 0;
	for (k = 0; k < n; k++) {
		if (chain_time_too_new(hc, hv[k].time)) {
			*later = 1;
			bu_fail(e, BU_EXIT_INVALID, "time-too-new",
			    "a header is more than two hours ahead of the clock");
			break;
		}
		if (hchain_next(hc, &hv[k], hh[k], e) != 0)
			break;
		works[k] = hc->work;
	}
	return k;
}

static void
start_presync(struct store *s, struct hsync *p, int32_t fork, const struct chain *hc,
    const unsigned char (*hh)[32], const struct header *hv, size_t n)
{
	size_t k;

	hsync_reset(p);
	p->phase = 1;
	p->fork = fork;
	p->fork_height = s->ix[fork].height;
	p->hc = *hc;
	for (k = 0; k < n; k++) {
		uint32_t h = p->fork_height + 1 + (uint32_t)k;

		if (h % STORE_COMMIT_STEP == 0 && commit_add(s, p, h, hh[k]) != 0) {
			hsync_reset(p);
			return;
		}
	}
	(void)hv;
}

/* Presync goes on: headers that follow the last one followed. */
static int
presync_more(struct store *s, struct hsync *p, const struct header *hv,
    const unsigned char (*hh)[32], u256 *works, size_t n, struct hdr_result *r,
    struct bu_err *e)
{
	size_t k, ok;
	int later;

	if (below_final(s, p->fork, e) != 0) {	/* a block became final meanwhile */
		r->invalid = 1;
		hsync_reset(p);
		return 0;
	}
	ok = check_run(&p->hc, hv, hh, n, works, &later, e);
	if (ok < n) {
		r->invalid = !later;
		hsync_reset(p);
		return 0;
	}
	for (k = 0; k < n; k++) {
		uint32_t h = p->hc.height - (uint32_t)(n - 1 - k);

		if (h % STORE_COMMIT_STEP == 0 && commit_add(s, p, h, hh[k]) != 0) {
			slog(s, 0, "a low-work fork of over %lu headers: given up",
			    (unsigned long)STORE_COMMIT_STEP * STORE_COMMITS_MAX);
			hsync_reset(p);
			return 0;
		}
	}
	if (u256_cmp(&p->hc.work, &s->chain.work) > 0) {
		p->phase = 2;
		p->target_height = p->hc.height;
		memcpy(p->target, p->hc.tip, 32);
		hchain_at(s, &p->hc, p->fork);
		p->npend = 0;
		r->ask = 1;
		memcpy(r->ask_hash, s->ix[p->fork].hash, 32);
		slog(s, 1, "presync: a fork of %lu headers has more work; asking again",
		    (unsigned long)(p->target_height - p->fork_height));
		return 0;
	}
	if (n == STORE_HEADERS_MAX) {
		r->ask = 1;
		memcpy(r->ask_hash, hh[n - 1], 32);
	} else {
		hsync_reset(p);
	}
	return 0;
}

/* Redownload: store the pending headers up to the last matched commitment. */
static int
redownload_flush(struct store *s, struct hsync *p, struct hdr_result *r)
{
	int32_t parent = store_find(s, p->pend[0].h.prev), i;
	size_t k;

	for (k = 0; k < p->npend; k++) {
		if ((i = store_find(s, p->pend[k].hash)) < 0 &&
		    (i = ix_add(s, p->pend[k].hash, &p->pend[k].h, parent, &p->pend[k].work)) < 0)
			return -1;
		parent = i;
		r->stored++;
	}
	r->best = parent;
	p->npend = 0;
	return 0;
}

static int
redownload_more(struct store *s, struct hsync *p, const struct header *hv,
    const unsigned char (*hh)[32], size_t n, size_t *used, struct hdr_result *r,
    struct bu_err *e)
{
	size_t k;

	if (below_final(s, p->fork, e) != 0) {
		r->invalid = 1;
		hsync_reset(p);
		*used = n;
		return 0;
	}
	for (k = 0; k < n; k++) {
		int32_t known = store_find(s, hh[k]);
		uint32_t h;

		if (known >= 0 && p->npend == 0) {
			hchain_at(s, &p->hc, known);
			continue;
		}
		if (memcmp(hv[k].prev, p->hc.tip, 32) != 0 || hchain_next(&p->hc, &hv[k], hh[k], e) != 0)
			goto mismatch;
		if (p->pend == NULL &&
		    (p->pend = malloc((STORE_COMMIT_STEP + 1) * sizeof *p->pend)) == NULL)
			return oom(e);
		p->pend[p->npend].h = hv[k];
		memcpy(p->pend[p->npend].hash, hh[k], 32);
		p->pend[p->npend].work = p->hc.work;
		p->npend++;
		h = p->hc.height;
		if (h % STORE_COMMIT_STEP == 0 && h < p->target_height) {
			if (commit_slot(p, h) >= p->ncommit ||
			    p->commit[commit_slot(p, h)] != commitment(s, hh[k]))
				goto mismatch;
			if (redownload_flush(s, p, r) != 0)
				return oom(e);
		}
		if (h == p->target_height) {
			if (memcmp(hh[k], p->target, 32) != 0)
				goto mismatch;
			if (redownload_flush(s, p, r) != 0)
				return oom(e);
			hsync_reset(p);
			*used = k + 1;
			return 0;
		}
	}
	*used = n;
	if (n == STORE_HEADERS_MAX) {
		r->ask = 1;
		memcpy(r->ask_hash, hh[n - 1], 32);
	} else {
		hsync_reset(p);
	}
	return 0;
mismatch:
	slog(s, 0, "presync: the headers sent again do not match; given up");
	hsync_reset(p);
	*used = n;
	return 0;
}

/* Headers whose first parent is stored: store what reaches more work, or presync. */
static int
headers_known(struct store *s, struct hsync *p, const struct header *hv,
    const unsigned char (*hh)[32], u256 *works, size_t n, struct hdr_result *r,
    struct bu_err *e)
{
	int32_t last = store_find(s, hv[0].prev), top;
	size_t i = 0, ok;
	int later = 0, low;

	for (; i < n && (top = store_find(s, hh[i])) >= 0; i++)
		last = top;
	if (s->ix[last].flags & F_FAILED) {
		r->invalid = 1;
		if (below_final(s, last, e) == 0)
			bu_fail(e, BU_EXIT_INVALID, "bad-prevblk",
			    "the headers build on an invalid block");
		return 0;
	}
	if (i < n && below_final(s, last, e) != 0) {
		r->invalid = 1;
		return 0;
	}
	if (i == n) {
		r->best = last;
	} else {
		hchain_at(s, &s->hc, last);
		ok = check_run(&s->hc, hv + i, hh + i, n - i, works + i, &later, e);
		r->invalid = ok < n - i && !later;
		if (ok == 0)
			return 0;
		low = u256_cmp(&works[i + ok - 1], &s->chain.work);
		if (low > 0 || (low == 0 && s->nlow + ok <= STORE_SIDE_MAX)) {
			if ((top = store_run(s, last, hv + i, hh + i, works + i, ok)) < 0)
				return oom(e);
			r->best = top;
			r->stored += ok;
		} else if (ok == n - i && n == STORE_HEADERS_MAX) {
			start_presync(s, p, last, &s->hc, hh + i, hv + i, ok);
		} else {
			slog(s, 1, "%lu headers of a fork with less work than the tip: not stored",
			    (unsigned long)ok);
			return 0;
		}
	}
	if (!r->invalid && !later && n == STORE_HEADERS_MAX) {
		r->ask = 1;
		memcpy(r->ask_hash, hh[n - 1], 32);
	}
	return 0;
}

int
store_headers(struct store *s, struct hsync *p, const struct header *hv, size_t n,
    struct hdr_result *r, struct bu_err *e)
{
	return store_headers_hashed(s, p, hv, NULL, n, r, e);
}

int
store_headers_hashed(struct store *s, struct hsync *p, const struct header *hv,
    const unsigned char (*given)[32], size_t n, struct hdr_result *r, struct bu_err *e)
{
	const unsigned char (*hh)[32] = given;
	u256 *works;
	int32_t before = s->best;
	size_t k, used = 0;
	int rc = 0;

	memset(r, 0, sizeof *r);
	r->best = -1;
	if (n == 0)
		return 0;
	if (n > STORE_HEADERS_MAX)
		return bu_fail(e, BU_EXIT_INVALID, "bad-headers", "more than %u headers",
		    STORE_HEADERS_MAX);
	if (s->hh == NULL && ((s->hh = malloc(STORE_HEADERS_MAX * sizeof *s->hh)) == NULL ||
	    (s->hb = malloc(STORE_HEADERS_MAX * 80)) == NULL ||
	    (s->works = malloc(STORE_HEADERS_MAX * sizeof *s->works)) == NULL))
		return oom(e);
	works = s->works;
	if (hh == NULL) {
		header_hashes(s, hv, n, s->hh);
		hh = (const unsigned char (*)[32])s->hh;
	}
	for (k = 1; k < n; k++)
		if (memcmp(hv[k].prev, hh[k - 1], 32) != 0) {
			r->invalid = 1;
			bu_fail(e, BU_EXIT_INVALID, "bad-headers", "the headers do not form a chain");
			goto out;
		}
	if (p->phase == 2)
		rc = redownload_more(s, p, hv, hh, n, &used, r, e);
	else if (p->phase == 1 && memcmp(hv[0].prev, p->hc.tip, 32) == 0)
		rc = presync_more(s, p, hv, hh, works, n, r, e);
	else
		used = 0;
	if (rc == 0 && p->phase != 1 && used < n && !r->ask && !r->invalid) {
		if (p->phase == 1)
			hsync_reset(p);
		if (store_find(s, hv[used].prev) < 0)
			r->unconnected = 1;
		else
			rc = headers_known(s, p, hv + used, hh + used, works + used, n - used, r, e);
	}
	if (rc == 0)
		rc = path_after_best_changed(s, before, e);
out:
	return rc;
}

/* ---- blocks ---- */

/* The header of block b (its computed hash h) below parent, checked and stored. */
static enum blk_outcome
add_header(struct store *s, const struct block *b, const unsigned char h[32], int32_t parent,
    int forced, int32_t *out, int *punish, struct bu_err *e)
{
	struct hctx x;
	u256 target, w, work;
	int cmp;

	if (below_final(s, parent, e) != 0) {
		*punish = 1;
		return BLK_INVALID;
	}
	if (s->ix[parent].flags & F_FAILED) {
		*punish = 1;
		bu_fail(e, BU_EXIT_INVALID, "bad-prevblk", "the parent is invalid");
		return BLK_INVALID;
	}
	hchain_at(s, &s->hc, parent);
	if (chain_time_too_new(&s->hc, b->h.time)) {
		bu_fail(e, BU_EXIT_INVALID, "time-too-new",
		    "time %lu is more than two hours after the clock %lld: not yet",
		    (unsigned long)b->h.time, (long long)s->hc.o.now);
		return BLK_LATER;
	}
	chain_hctx(&s->hc, &x);
	if (chain_check_header(&s->hc, &x, b, h, &target, e) != 0) {
		*punish = 1;
		return BLK_INVALID;
	}
	u256_work(&w, &target);
	u256_add(&work, &s->ix[parent].work, &w);
	cmp = u256_cmp(&work, &s->chain.work);
	if (cmp < 0 && !forced) {
		bu_fail(e, BU_EXIT_INVALID, "low-work", "its chain has less work than the tip");
		return BLK_LOWWORK;
	}
	if ((*out = ix_add(s, h, &b->h, parent, &work)) < 0) {
		oom(e);
		return BLK_ERROR;
	}
	return BLK_SIDE;
}

/* Room for the data of i when it does not lead to more work than the tip. */
static enum blk_outcome
take_room(struct store *s, int32_t i, size_t len, int forced, struct bu_err *e)
{
	struct sent *x = &s->ix[i];

	if (more_work(s, i) || wanted(s, i))
		return BLK_SIDE;
	if (u256_cmp(&x->work, &s->chain.work) < 0 && !forced) {
		bu_fail(e, BU_EXIT_INVALID, "low-work", "its chain has less work than the tip");
		return BLK_LOWWORK;
	}
	if (s->nlow >= STORE_SIDE_MAX || s->low_bytes + len + 1 > STORE_SIDE_BYTES) {
		bu_fail(e, BU_EXIT_INVALID, "side-full",
		    "side blocks without more work than the tip are full (%u blocks, %u bytes)",
		    STORE_SIDE_MAX, STORE_SIDE_BYTES);
		return BLK_LOWWORK;
	}
	x->flags |= F_LOW;
	s->nlow++;
	s->low_bytes += len + 1;
	return BLK_SIDE;
}

/* A block held in memory goes to side.blk (or stays in memory, or is dropped when that fails). */
static void
keep_side(struct store *s, int32_t i, int keep_mem)
{
	struct sent *x = &s->ix[i];
	uint64_t off;

	if (x->where != D_MEM)
		return;
	if (side_append(s, s->cur, s->curlen, &off) == 0) {
		x->where = D_SIDE;
		x->off = off;
		s->side_live += x->len + 1;
		return;
	}
	if (keep_mem)
		return;
	unlow(s, x);
	x->where = D_NONE;
	x->flags &= (uint8_t)~(F_DATA | F_CHAIN);
}

static int
is_zero(const unsigned char h[32])
{
	static const unsigned char zero[32];

	return memcmp(h, zero, 32) == 0;
}

/*
 * pre: what store_prepare found of b (NULL: check it all here). *at: the
 * block's entry once it has one (entries are never taken out), else -1.
 */
static enum blk_outcome
block_in(struct store *s, const struct block *b, const struct chain_pre *pre, const char *line,
    size_t len, int forced, uint32_t source, unsigned char h[32], int32_t *at, int *punish,
    struct bu_err *e)
{
	int32_t i, parent, before = s->best;
	enum blk_outcome o;
	int mutated;

	i = store_find(s, b->hash);
	if (i >= 0 && memcmp(&s->ix[i].h, &b->h, sizeof b->h) == 0) {
		memcpy(h, b->hash, 32);	/* the header stored under that hash: no need to hash it */
	} else {
		header_hash(h, &b->h);
		if ((i = store_find(s, h)) >= 0 && memcmp(b->hash, h, 32) != 0) {
			*punish = 1;	/* a new header's rules say so in their order */
			bu_fail(e, BU_EXIT_INVALID, "bad-hash",
			    "the hash field does not match the header");
			return BLK_INVALID;
		}
	}
	if (i >= 0 && (s->ix[i].flags & F_FAILED)) {
		if (!holds_final(s, i))
			return (void)below_final(s, i, e), BLK_INVALID;
		bu_fail(e, BU_EXIT_INVALID, "duplicate-invalid", "the block is known to be invalid");
		return BLK_INVALID;
	}
	if (i >= 0 && (s->ix[i].flags & F_DATA)) {
		bu_fail(e, BU_EXIT_INVALID, "duplicate", (s->ix[i].flags & F_MAIN) ?
		    "the block is on the best chain already" : "the block is stored already");
		return BLK_DUP;
	}
	if (i < 0) {
		if ((parent = store_find(s, b->h.prev)) < 0 && is_zero(b->h.prev)) {
			char id[65];

			bu_hex_rev(id, h);
			bu_fail(e, BU_EXIT_INVALID, "bad-chain",
			    "the genesis block of chain %s; this node follows chain %s", id,
			    s->chain.idhex);
			return BLK_INVALID;
		}
		if (parent < 0) {
			bu_fail(e, BU_EXIT_NOTTIP, "bad-prevblk",
			    "the parent is unknown (blocks missing below it, or another chain)");
			return BLK_ORPHAN;
		}
		if ((o = add_header(s, b, h, parent, forced, &i, punish, e)) != BLK_SIDE)
			return o;
		if (path_after_best_changed(s, before, e) != 0)
			return BLK_ERROR;
	} else if (b->height != s->ix[i].height) {
		*punish = 1;
		bu_fail(e, BU_EXIT_INVALID, "bad-height", "height %lu, but the parent is at %lu",
		    (unsigned long)b->height, (unsigned long)s->ix[i].height - 1);
		return BLK_INVALID;
	}
	*at = i;
	if (chain_check_block_pre(&s->chain, b, s->ix[i].height, len, pre, &mutated, e) != 0) {
		*punish = 1;
		e->height = s->ix[i].height;
		if (!mutated)
			fail_mark(s, i, e);
		return BLK_INVALID;
	}
	if ((o = take_room(s, i, len, forced, e)) != BLK_SIDE)
		return o;
	s->ix[i].flags |= F_DATA;
	s->ix[i].where = D_MEM;
	s->ix[i].len = (uint32_t)len;
	s->ix[i].source = source;
	s->cur = line;
	s->curlen = len;
	s->curb = b;
	if (chain_up(s, i) != 0) {
		oom(e);
		return BLK_ERROR;
	}
	if (!s->loading && activate(s, e) != 0)
		return BLK_ERROR;
	if (s->ix[i].flags & F_FAILED) {
		if (s->failed_i == i) {
			*punish = 1;
			*e = s->failed_e;
		} else {
			bu_fail(e, BU_EXIT_INVALID, "bad-prevblk", "a block below it is invalid");
		}
	}
	keep_side(s, i, 0);
	if (s->ix[i].flags & F_FAILED)
		return BLK_INVALID;
	return (s->ix[i].flags & F_MAIN) ? BLK_ACCEPTED : BLK_SIDE;
}

void
store_pre_init(struct store_pre *p)
{
	memset(p, 0, sizeof *p);
	block_init(&p->b);
}

void
store_pre_free(struct store_pre *p)
{
	block_free(&p->b);
	free(p->ids);
	store_pre_init(p);
}

static void
keep_room(struct block *b)
{
	if (b->cap > STORE_KEEP_TXS) {	/* a very large block's room goes back */
		block_free(b);
		block_init(b);
	}
}

void
store_prepare(struct store_pre *p, const char *line, size_t len)
{
	bu_err_clear(&p->perr);
	bu_err_clear(&p->merr);
	keep_room(&p->b);
	p->parsed = block_parse(&p->b, line, len, 0, &p->perr);
	p->merkle = p->parsed == 0 ? block_check_merkle(&p->b, &p->ids, &p->idcap, &p->merr) : 0;
}

enum blk_outcome
store_block_pre(struct store *s, const char *line, size_t len, int forced, uint32_t source,
    const struct store_pre *p, struct blk_result *r, struct bu_err *e)
{
	const struct block *b = p != NULL ? &p->b : &s->inb;
	struct chain_pre pre = { .merkle = NULL, .sig = NULL };
	int parsed;
	enum blk_outcome o;

	r->punish = 0;
	r->idx = -1;
	memset(r->hash, 0, 32);
	if (p == NULL) {
		parsed = block_parse(&s->inb, line, len, 0, e);
	} else if ((parsed = p->parsed) != 0) {
		*e = p->perr;
	} else if (p->merkle != 0) {
		pre.merkle = &p->merr;
	}
	if (parsed != 0) {
		r->punish = 1;
		o = BLK_INVALID;
	} else {
		int32_t at = -1;

		o = block_in(s, b, p != NULL ? &pre : NULL, line, len, forced, source, r->hash,
		    &at, &r->punish, e);
		if (o != BLK_ORPHAN && o != BLK_LOWWORK && o != BLK_LATER)
			r->idx = at >= 0 ? at : store_find(s, r->hash);
	}
	keep_room(&s->inb);
	s->cur = NULL;
	s->curb = NULL;
	return o;
}

enum blk_outcome
store_block(struct store *s, const char *line, size_t len, int forced, uint32_t source,
    struct blk_result *r, struct bu_err *e)
{
	return store_block_pre(s, line, len, forced, source, NULL, r, e);
}

size_t
store_missing(struct store *s, int32_t target, uint32_t window, int32_t *out, size_t max,
    int (*skip)(void *, int32_t), void *arg)
{
	const int32_t *v;
	size_t n, k, got = 0;
	uint32_t limit = 0;
	int32_t j;

	if (target < 0 || !more_work(s, target) || (s->ix[target].flags & F_FAILED))
		return 0;
	if (target == s->best && s->path.n > 0) {
		while (s->path_lo < s->path.n && (s->ix[s->path.v[s->path_lo]].flags & F_DATA))
			s->path_lo++;
		v = s->path.v + s->path_lo;
		n = s->path.n - s->path_lo;
	} else {
		s->scratch.n = 0;
		for (j = target; !(s->ix[j].flags & F_MAIN); j = s->ix[j].parent)
			if (ivec_push(&s->scratch, j) != 0)
				return 0;
		for (k = 0; k < s->scratch.n / 2; k++) {
			int32_t t = s->scratch.v[k];

			s->scratch.v[k] = s->scratch.v[s->scratch.n - 1 - k];
			s->scratch.v[s->scratch.n - 1 - k] = t;
		}
		v = s->scratch.v;
		n = s->scratch.n;
	}
	for (k = 0; k < n && got < max; k++) {
		const struct sent *x = &s->ix[v[k]];

		if (x->flags & F_DATA)
			continue;
		if (limit == 0)
			limit = x->height + window;
		if (x->height > limit)
			break;
		if (!(x->flags & F_FAILED) && (skip == NULL || !skip(arg, v[k])))
			out[got++] = v[k];
	}
	return got;
}

uint64_t
store_side_bytes(const struct store *s)
{
	return s->side_live - s->low_bytes;
}

/* ---- lookups and serving ---- */

size_t
store_count(const struct store *s)
{
	return s->nix;
}

int32_t
store_tip(const struct store *s)
{
	return s->mainv[s->chain.height];
}

int32_t
store_main_at(const struct store *s, uint32_t height)
{
	return s->mainv[height];
}

int32_t
store_best_header(const struct store *s)
{
	return s->best;
}

const unsigned char *
store_hash(const struct store *s, int32_t i)
{
	return s->ix[i].hash;
}

uint32_t
store_height(const struct store *s, int32_t i)
{
	return s->ix[i].height;
}

int32_t
store_parent(const struct store *s, int32_t i)
{
	return s->ix[i].parent;
}

const u256 *
store_work(const struct store *s, int32_t i)
{
	return &s->ix[i].work;
}

int
store_on_main(const struct store *s, int32_t i)
{
	return (s->ix[i].flags & F_MAIN) != 0;
}

int
store_has_data(const struct store *s, int32_t i)
{
	return (s->ix[i].flags & F_DATA) != 0;
}

size_t
store_line_len(const struct store *s, int32_t i)
{
	return (s->ix[i].flags & F_DATA) ? s->ix[i].len : 0;
}

int
store_failed(const struct store *s, int32_t i)
{
	return (s->ix[i].flags & F_FAILED) != 0;
}

struct chain *
store_chain(struct store *s)
{
	return &s->chain;
}

void
store_set_now(struct store *s, int64_t now)
{
	s->chain.o.now = now;
}

size_t
store_take_announce(struct store *s, const int32_t **v)
{
	size_t n = s->ann.n;

	*v = s->ann.v;
	s->ann.n = 0;
	return n;
}

void
store_locator(const struct store *s, int32_t i, struct buf *out)
{
	uint32_t h = s->ix[i].height, step = 1;
	int k = 0;

	for (;;) {
		i = ancestor(s, i, h);
		buf_add(out, " ", 1);
		buf_hash(out, s->ix[i].hash);
		if (h == 0 || ++k == STORE_LOCATOR - 1)
			break;
		if (k >= 10)
			step *= 2;
		h = h > step ? h - step : 0;
	}
	if (h != 0) {
		buf_add(out, " ", 1);
		buf_hash(out, s->ix[s->mainv[0]].hash);
	}
}

uint32_t
store_locate(const struct store *s, const unsigned char (*loc)[32], size_t n)
{
	size_t k;

	for (k = 0; k < n; k++) {
		int32_t i = store_find(s, loc[k]);

		if (i >= 0 && (s->ix[i].flags & F_MAIN))
			return s->ix[i].height;
	}
	return 0;
}

void
store_header_hex(const struct store *s, int32_t i, struct buf *out)
{
	unsigned char raw[80];

	if (buf_reserve(out, 161) != 0)
		return;
	header_bytes(raw, &s->ix[i].h);
	out->p[out->n++] = ' ';
	bu_hex(out->p + out->n, raw, 80);
	out->n += 160;
}

size_t
store_headers_from(const struct store *s, uint32_t height, size_t max, struct buf *out)
{
	size_t k;

	for (k = 0; k < max && height + k <= s->chain.height; k++)
		store_header_hex(s, s->mainv[height + k], out);
	return k;
}

/* ---- open and close ---- */

static int
lock_dir(struct store *s, const char *dir, struct bu_err *e)
{
	char pid[32];
	ssize_t got;

	snprintf(s->lockpath, sizeof s->lockpath, "%s/lock", dir);
	if ((s->lockfd = open(s->lockpath, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0)
		return syserr(e, s->lockpath, "open");
	if (flock(s->lockfd, LOCK_EX | LOCK_NB) != 0) {
		int saved = errno;

		got = pread(s->lockfd, pid, sizeof pid - 1, 0);
		pid[got > 0 ? got : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		close(s->lockfd);
		s->lockfd = -1;
		if (saved == EWOULDBLOCK)
			return bu_fail(e, BU_EXIT_SYSTEM, "locked",
			    "'%s' is in use by another peer-listen (pid %s)", dir,
			    pid[0] ? pid : "unknown");
		errno = saved;
		return syserr(e, s->lockpath, "lock");
	}
	snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(s->lockfd, 0) != 0 || pwrite(s->lockfd, pid, strlen(pid), 0) < 0)
		return syserr(e, s->lockpath, "write");
	return 0;
}

static void
random_salt(unsigned char salt[16])
{
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	size_t k;

	if (fd < 0 || read(fd, salt, 16) != 16)
		for (k = 0; k < 16; k++)
			salt[k] = (unsigned char)(getpid() >> (k % 4 * 8) ^ k * 77);
	if (fd >= 0)
		close(fd);
}

static int
open_chain(struct store *s, struct bu_err *e)
{
	struct stat st;
	int rc;

	if ((s->chainfd = open(s->chainpath, O_RDWR | O_CLOEXEC)) < 0)
		return syserr(e, s->chainpath, "open (start it with chain-append and a genesis block)");
	if (fstat(s->chainfd, &st) != 0)
		return syserr(e, s->chainpath, "stat");
	s->ino = st.st_ino;
	s->dev = st.st_dev;
	if (flock(s->chainfd, LOCK_EX) != 0)
		return syserr(e, s->chainpath, "lock");
	s->locked = 1;
	rc = walk_from(s, 0, e);
	if (rc == 0 && s->chain.empty)
		rc = bu_fail(e, BU_EXIT_INVALID, "empty", "'%s': no genesis block", s->chainpath);
	return rc;
}

/* Offer each line of side.blk again; then rewrite the file with what is kept. */
static int
load_side(struct store *s, struct bu_err *e)
{
	struct lines r;
	const char *line;
	size_t len, kept = 0, nread = 0;
	struct blk_result br;
	struct bu_err le;
	int got;

	if ((s->sidefd = open(s->sidepath, O_RDONLY | O_CLOEXEC)) < 0)
		return errno == ENOENT ? 0 : syserr(e, s->sidepath, "open");
	if (lines_open(&r, s->sidepath, MAXBLOCK_LIMIT, &le) != 0) {
		slog(s, 0, "warning: %s", le.msg);
		return 0;
	}
	s->loading = 1;
	while ((got = lines_next(&r, &line, &len, &le)) > 0) {
		enum blk_outcome o;

		nread++;
		s->load_off = r.offset;
		o = store_block(s, line, len, 1, 0, &br, &le);
		if (o == BLK_ERROR) {
			*e = le;
			break;
		}
		if (o == BLK_SIDE || o == BLK_ACCEPTED)
			kept++;
		else if (o != BLK_DUP)
			slog(s, 0, "warning: %s:%lu: %s: %s; dropped", s->sidepath,
			    (unsigned long)r.lineno, le.reason, le.msg);
	}
	if (got < 0) {
		nread++;
		slog(s, 0, "warning: %s:%lu: %s: %s; dropped", s->sidepath,
		    (unsigned long)r.lineno, le.reason, le.msg);
	}
	s->loading = 0;
	lines_close(&r);
	if (got > 0)
		return -1;
	if (kept > 0)
		slog(s, 1, "%s: %lu side blocks", s->sidepath, (unsigned long)kept);
	if (nread > 0)
		return side_compact(s, e);
	close(s->sidefd);	/* read-only: store_open opens it for appending */
	s->sidefd = -1;
	return 0;
}

int
store_open(struct store **sp, const char *dir, int64_t now, const struct store_hooks *hooks,
    struct bu_err *e)
{
	struct chain_opts o = { .now = now, .undo = 1 };
	struct store *s;
	char stray[PATHLEN + 16];
	int rc;

	if ((*sp = s = calloc(1, sizeof *s)) == NULL)
		return oom(e);
	s->hk = *hooks;
	s->lockfd = s->chainfd = s->sidefd = -1;
	s->best = -1;
	s->failed_i = -1;
	s->k = grind_hasher();
	block_init(&s->b);
	block_init(&s->inb);
	random_salt(s->salt);
	chain_init(&s->chain, &o);
	snprintf(s->chainpath, sizeof s->chainpath, "%s/chain.blk", dir);
	snprintf(s->sidepath, sizeof s->sidepath, "%s/side.blk", dir);
	if (lock_dir(s, dir, e) != 0)
		return -1;
	snprintf(stray, sizeof stray, "%s.reorg", s->chainpath);
	unlink(stray);
	snprintf(stray, sizeof stray, "%s.tmp", s->sidepath);
	unlink(stray);
	rc = open_chain(s, e);
	if (rc == 0)
		rc = update_path(s) == 0 ? load_side(s, e) : oom(e);
	if (rc == 0 && s->sidefd < 0 &&
	    (s->sidefd = open(s->sidepath, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644)) < 0)
		slog(s, 0, "warning: %s: %s; side blocks are kept in memory only", s->sidepath,
		    strerror(errno));
	if (rc == 0 && (rc = update_path(s)) != 0)
		oom(e);
	if (rc == 0)
		rc = activate(s, e);
	if (store_unlock(s, 1, rc == 0 ? e : NULL) != 0)
		rc = -1;
	s->ann.n = 0;
	return rc;
}

static void
save_state(struct store *s)
{
	struct chain_pos pos = { 0 };
	struct bu_err e;

	pos.end = s->end;
	pos.lineno = s->chain.height + 1;
	pos.lastlen = s->ix[store_tip(s)].len + 1;
	if (state_stamp(s->chainfd, &pos) == 0 && state_save(&s->chain, s->chainpath, &pos, &e) != 0)
		slog(s, 0, "warning: %s", e.msg);
}

void
store_close(struct store *s)
{
	struct bu_err e;

	if (s == NULL)
		return;
	if (s->chainfd >= 0 && !s->chain.empty) {
		if (store_unlock(s, 1, &e) != 0)
			slog(s, 0, "%s", e.msg);
		else if (s->nix > 0)
			save_state(s);
	}
	if (s->chainfd >= 0)
		close(s->chainfd);
	if (s->sidefd >= 0)
		close(s->sidefd);
	if (s->lockfd >= 0)
		close(s->lockfd);
	chain_free(&s->chain);
	free(s->marks);
	free(s->ix);
	free(s->tab);
	free(s->mainv);
	free(s->cand.v);
	free(s->ann.v);
	free(s->path.v);
	free(s->scratch.v);
	free(s->br.v);
	free(s->hh);
	free(s->hb);
	free(s->works);
	block_free(&s->b);
	block_free(&s->inb);
	buf_free(&s->pend);
	buf_free(&s->line);
	free(s);
}
