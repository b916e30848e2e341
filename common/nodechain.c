/* nodechain.c: the node's block index, its chain file, side branches and reorgs */
#include "node.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "chainfile.h"
#include "lines.h"
#include "merkle.h"
#include "peers.h"
#include "state.h"

static int
syserr(struct bu_err *e, const char *path, const char *what)
{
	return bu_fail(e, BU_EXIT_SYSTEM, "io", "'%s': %s: %s", path, what, strerror(errno));
}

/* Write the queued lines; they end at n->end. */
int
nc_flush(struct node *n, struct bu_err *e)
{
	uint64_t at = n->end - n->pend.n;
	size_t done = 0;

	while (done < n->pend.n) {
		ssize_t w = pwrite(n->chainfd, n->pend.p + done, n->pend.n - done,
		    (off_t)(at + done));

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			int saved = w < 0 ? errno : EIO;

			if (ftruncate(n->chainfd, (off_t)at) != 0)
				saved = errno;
			errno = saved;
			n->pend.n = 0;
			return syserr(e, n->chainpath, "write");
		}
		done += (size_t)w;
	}
	n->pend.n = 0;
	return 0;
}

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
nc_find(const struct node *n, const unsigned char h[32])
{
	uint32_t t = tag(h);
	size_t i;

	if (n->tabcap == 0)
		return -1;
	for (i = slot(h, n->tabcap); n->tab[i].i >= 0; i = (i + 1) & (n->tabcap - 1))
		if (n->tab[i].tag == t && memcmp(n->ix[n->tab[i].i].hash, h, 32) == 0)
			return n->tab[i].i;
	return -1;
}

static void
tab_put(struct ixslot *t, size_t cap, const unsigned char h[32], int32_t i)
{
	size_t s;

	for (s = slot(h, cap); t[s].i >= 0; s = (s + 1) & (cap - 1))
		;
	t[s].i = i;
	t[s].tag = tag(h);
}

static int
grow_tab(struct node *n)
{
	size_t ncap = n->tabcap ? 2 * n->tabcap : 4096, i;
	struct ixslot *t = malloc(ncap * sizeof *t);

	if (t == NULL)
		return -1;
	memset(t, 0xff, ncap * sizeof *t);
	for (i = 0; i < n->nix; i++)
		tab_put(t, ncap, n->ix[i].hash, (int32_t)i);
	free(n->tab);
	n->tab = t;
	n->tabcap = ncap;
	return 0;
}

/* A new index entry (zeroed but for hash and parent), or -1. */
static int32_t
ix_add(struct node *n, const unsigned char h[32], int32_t parent)
{
	struct bent *x;

	if (n->nix >= INT32_MAX - 1)
		return -1;
	if (2 * (n->nix + 1) > n->tabcap && grow_tab(n) != 0)
		return -1;
	if (n->nix == n->capix) {
		size_t ncap = n->capix ? 2 * n->capix : 4096;
		struct bent *nv = realloc(n->ix, ncap * sizeof *nv);

		if (nv == NULL)
			return -1;
		n->ix = nv;
		n->capix = ncap;
	}
	x = &n->ix[n->nix];
	memset(x, 0, sizeof *x);
	memcpy(x->hash, h, 32);
	x->parent = parent;
	tab_put(n->tab, n->tabcap, h, (int32_t)n->nix);
	return (int32_t)n->nix++;
}

static int
set_main(struct node *n, uint32_t height, int32_t i)
{
	if (height >= n->capmain) {
		size_t ncap = n->capmain ? 2 * n->capmain : 4096;
		int32_t *nv;

		while (ncap <= height)
			ncap *= 2;
		if ((nv = realloc(n->mainv, ncap * sizeof *nv)) == NULL)
			return -1;
		n->mainv = nv;
		n->capmain = ncap;
	}
	n->mainv[height] = i;
	n->ix[i].main = 1;
	return 0;
}

static int
announce(struct node *n, int32_t i)
{
	if (n->nann == n->capann) {
		size_t ncap = n->capann ? 2 * n->capann : 64;
		int32_t *nv = realloc(n->announce, ncap * sizeof *nv);

		if (nv == NULL)
			return -1;
		n->announce = nv;
		n->capann = ncap;
	}
	n->announce[n->nann++] = i;
	return 0;
}

/* Record a block chain_accept just took as the new tip, at offset off. */
static int
index_tip(struct node *n, const unsigned char h[32], uint64_t off, size_t len)
{
	int32_t parent = n->chain.height == 0 ? -1 : n->mainv[n->chain.height - 1];
	int32_t i = nc_find(n, h);

	if (i < 0 && (i = ix_add(n, h, parent)) < 0)
		return -1;
	n->ix[i].height = n->chain.height;
	n->ix[i].work = n->chain.work;
	n->ix[i].off = off;
	n->ix[i].len = (uint32_t)len;
	free(n->ix[i].line);
	n->ix[i].line = NULL;
	return set_main(n, n->chain.height, i);
}

static int
load_each(void *arg, const struct block *b, const char *line, size_t len,
    const struct lines *r)
{
	struct node *n = arg;

	(void)line;
	n->end = r->next;
	return index_tip(n, b->hash, r->offset, len) == 0 ? 0 : -2;
}

/* Walk fd from the byte n->end on, through chain_accept, indexing each block. */
/* A line reader over the chain file from byte off, on a descriptor of its own. */
static int
reader_at(struct node *n, uint64_t off, struct lines *r, struct bu_err *e)
{
	int dfd;

	if ((dfd = dup(n->chainfd)) < 0 || lseek(dfd, (off_t)off, SEEK_SET) < 0) {
		if (dfd >= 0)
			close(dfd);
		return syserr(e, n->chainpath, "read");
	}
	if (lines_fdopen(r, dfd, n->chainpath, MAXBLOCK_LIMIT, e) != 0) {
		close(dfd);
		return -1;
	}
	return 0;
}

static int
walk_from(struct node *n, int announce_new, struct bu_err *e)
{
	struct lines r;
	size_t before = n->chain.empty ? 0 : n->chain.height + 1, h;
	int rc;

	if (reader_at(n, n->end, &r, e) != 0)
		return -1;
	r.next = n->end;
	r.lineno = before;
	rc = chain_walk_lines(&n->chain, &r, load_each, n, e);
	lines_close(&r);
	if (rc == -2)
		return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
	if (rc != 0 && strcmp(e->reason, "truncated") == 0) {
		if (ftruncate(n->chainfd, (off_t)n->end) != 0 || fsync(n->chainfd) != 0)
			return syserr(e, n->chainpath, "cutting an unfinished last line");
		rc = 0;
	}
	for (h = before; rc == 0 && announce_new && !n->chain.empty && h <= n->chain.height; h++)
		if (announce(n, n->mainv[h]) != 0)
			return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
	return rc;
}

static int
open_file(struct node *n, struct bu_err *e)
{
	struct stat st;

	if ((n->chainfd = open(n->chainpath, O_RDWR | O_CLOEXEC)) < 0)
		return syserr(e, n->chainpath, "open (start it with chain-append and a genesis block)");
	if (fstat(n->chainfd, &st) != 0)
		return syserr(e, n->chainpath, "stat");
	n->ino = st.st_ino;
	return 0;
}

int
nc_lock(struct node *n, struct bu_err *e)
{
	if (!n->locked && flock(n->chainfd, LOCK_EX) != 0)
		return syserr(e, n->chainpath, "lock");
	n->locked = 1;
	return 0;
}

int
nc_unlock(struct node *n, struct bu_err *e)
{
	int rc = nc_flush(n, e);

	if (rc == 0 && n->dirty && n->must_sync) {
		if (fsync(n->chainfd) != 0)
			rc = syserr(e, n->chainpath, "fsync");
		n->dirty = 0;
	}
	n->must_sync = 0;
	if (n->locked)
		flock(n->chainfd, LOCK_UN);
	n->locked = 0;
	return rc;
}

int
nc_open(struct node *n, struct bu_err *e)
{
	struct chain_opts o = { .now = n->now };
	int rc;

	chain_init(&n->chain, &o);
	n->chainfd = -1;
	if (open_file(n, e) != 0 || nc_lock(n, e) != 0)
		return -1;
	rc = walk_from(n, 0, e);
	if (nc_unlock(n, rc == 0 ? e : NULL) != 0)
		rc = -1;
	if (rc == 0 && n->chain.empty)
		return bu_fail(e, BU_EXIT_INVALID, "empty", "'%s': no genesis block",
		    n->chainpath);
	return rc;
}

int
nc_ingest(struct node *n, struct bu_err *e)
{
	struct stat st;

	if (nc_flush(n, e) != 0)
		return -1;
	if (fstat(n->chainfd, &st) != 0)
		return syserr(e, n->chainpath, "stat");
	if ((uint64_t)st.st_size == n->end)
		return 0;
	if ((uint64_t)st.st_size < n->end)
		return bu_fail(e, BU_EXIT_SYSTEM, "io", "'%s': the file shrank under the node",
		    n->chainpath);
	return walk_from(n, 1, e);
}

int
nc_save_state(struct node *n)
{
	struct chain_pos pos = { 0 };
	const struct bent *t = &n->ix[n->mainv[n->chain.height]];
	struct bu_err e;

	if (nc_flush(n, &e) != 0) {
		bu_report(&e);
		return -1;
	}
	pos.end = n->end;
	pos.lineno = n->chain.height + 1;
	pos.lastlen = t->len + 1;
	return state_save(&n->chain, n->chainpath, &pos, NULL);
}

void
nc_close(struct node *n)
{
	size_t i;

	for (i = 0; i < n->nix; i++)
		free(n->ix[i].line);
	for (i = 0; i < n->norph; i++)
		free(n->orph[i].line);
	free(n->ix);
	free(n->tab);
	free(n->mainv);
	free(n->announce);
	buf_free(&n->pend);
	chain_free(&n->chain);
	if (n->chainfd >= 0)
		close(n->chainfd);
	n->chainfd = -1;
	if (n->sidefd >= 0)
		close(n->sidefd);
	n->sidefd = -1;
}

/* Offer each line of dir/side.blk as if a peer sent it, counting them; 0, or -1 on a system error. */
static int
side_load(struct node *n, size_t *kept, size_t *nread, struct bu_err *e)
{
	struct lines r;
	const char *line;
	size_t len;
	unsigned char h[32];
	struct bu_err le;
	int got;

	if (access(n->sidepath, F_OK) != 0)
		return 0;
	if (lines_open(&r, n->sidepath, MAXBLOCK_LIMIT, &le) != 0) {
		node_log(n, 0, "warning: %s", le.msg);
		return 0;
	}
	while ((got = lines_next(&r, &line, &len, &le)) > 0) {
		enum blk_outcome o = nc_block(n, line, len, h, &le);

		(*nread)++;
		if (o == BLK_ERROR) {
			*e = le;
			lines_close(&r);
			return -1;
		}
		*kept += o == BLK_SIDE || o == BLK_ACCEPTED;
	}
	if (got < 0) {
		(*nread)++;	/* the torn line: rewrite the file without it */
		node_log(n, 0, "warning: %s:%lu: %s: the rest is dropped", n->sidepath,
		    (unsigned long)r.lineno, le.reason);
	}
	lines_close(&r);
	return 0;
}

int
nc_side_open(struct node *n, struct bu_err *e)
{
	struct buf b = { 0 };
	size_t i, kept = 0, nread = 0;
	int rc;

	n->sidefd = -1;
	if (nc_lock(n, e) != 0)
		return -1;
	rc = side_load(n, &kept, &nread, e);
	if (nc_unlock(n, rc == 0 ? e : NULL) != 0)
		rc = -1;
	if (rc != 0)
		return -1;
	for (i = 0; i < (size_t)n->nix; i++)	/* index order: parents first */
		if (n->ix[i].line != NULL) {
			buf_add(&b, n->ix[i].line, n->ix[i].len);
			buf_add(&b, "\n", 1);
		}
	if (kept > 0)
		node_log(n, 1, "%s: %lu side blocks", n->sidepath, (unsigned long)kept);
	/* an empty or missing file needs no rewrite (and no fsync at start) */
	if ((nread > 0 && (b.oom || file_replace(n->sidepath, b.p ? b.p : "", b.n, e) != 0)) ||
	    (n->sidefd = open(n->sidepath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)) < 0) {
		node_log(n, 0, "warning: %s: cannot rewrite it; side blocks are kept in memory only",
		    n->sidepath);
		n->sidefd = -1;
	}
	buf_free(&b);
	return 0;
}

int
nc_line(struct node *n, int32_t i, struct buf *out)
{
	const struct bent *x = &n->ix[i];

	if (!x->main) {
		buf_add(out, x->line, x->len);
		return out->oom ? -1 : 0;
	}
	if (x->off >= n->end - n->pend.n) {
		buf_add(out, n->pend.p + (x->off - (n->end - n->pend.n)), x->len);
		return out->oom ? -1 : 0;
	}
	if (buf_reserve(out, x->len) != 0 ||
	    pread(n->chainfd, out->p + out->n, x->len, (off_t)x->off) != (ssize_t)x->len)
		return -1;
	out->n += x->len;
	out->p[out->n] = '\0';
	return 0;
}

void
nc_locator(const struct node *n, const unsigned char *first, struct buf *out)
{
	char hex[65];
	uint64_t h = n->chain.height, step = 1;
	int k = 0;

	buf_str(out, "getblocks");
	if (first != NULL) {
		bu_hex_rev(hex, first);
		buf_fmt(out, " %s", hex);
		k++;
	}
	for (;;) {
		bu_hex_rev(hex, n->ix[n->mainv[h]].hash);
		buf_fmt(out, " %s", hex);
		if (h == 0 || ++k == NODE_LOCATOR - 1)
			break;
		if (k >= 10)
			step *= 2;
		h = h > step ? h - step : 0;
	}
	if (h != 0) {
		bu_hex_rev(hex, n->ix[n->mainv[0]].hash);
		buf_fmt(out, " %s", hex);
	}
}

int
nc_has_orphan(const struct node *n, const unsigned char h[32])
{
	size_t i;

	for (i = 0; i < n->norph; i++)
		if (memcmp(n->orph[i].hash, h, 32) == 0)
			return 1;
	return 0;
}

static void
add_orphan(struct node *n, const struct block *b, const char *line, size_t len)
{
	struct orphan *o;
	char *copy;

	if (nc_has_orphan(n, b->hash) || (copy = malloc(len)) == NULL)
		return;
	memcpy(copy, line, len);
	if (n->norph == NODE_ORPHANS) {	/* forget the oldest */
		free(n->orph[0].line);
		memmove(&n->orph[0], &n->orph[1], (NODE_ORPHANS - 1) * sizeof n->orph[0]);
		n->norph--;
	}
	o = &n->orph[n->norph++];
	memcpy(o->hash, b->hash, 32);
	memcpy(o->prev, b->h.prev, 32);
	o->line = copy;
	o->len = len;
}

/* Queue an accepted tip line for the chain file (written by nc_flush, synced by nc_unlock). */
static int
append_line(struct node *n, const char *line, size_t len, uint64_t *off, struct bu_err *e)
{
	buf_add(&n->pend, line, len);
	buf_add(&n->pend, "\n", 1);
	if (n->pend.oom)
		return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
	*off = n->end;
	n->end += len + 1;
	n->dirty = 1;
	return 0;
}

static void
mempool_after_block(struct node *n, const struct block *b)
{
	mempool_drop_block(&n->mp, b);
	mempool_revalidate(&n->mp, &n->chain);
}

/* The block extends the tip: the full rules, then the file. */
static enum blk_outcome
extend_tip(struct node *n, const struct block *b, const char *line, size_t len,
    struct bu_err *e)
{
	uint64_t off = 0;

	if (chain_accept(&n->chain, b, len, e) != 0)
		return e->code == BU_EXIT_SYSTEM ? BLK_ERROR : BLK_INVALID;
	if (append_line(n, line, len, &off, e) != 0) {
		/* the file no longer matches the state: reload it */
		return BLK_ERROR;
	}
	if (index_tip(n, b->hash, off, len) != 0 || announce(n, n->mainv[n->chain.height]) != 0) {
		bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
		return BLK_ERROR;
	}
	mempool_after_block(n, b);
	return BLK_ACCEPTED;
}

/* What can be checked without the parent's state: hash, work, merkle, size. */
static int
side_check(struct node *n, const struct block *b, size_t len, const struct bent *parent,
    u256 *work, struct bu_err *e)
{
	unsigned char h[32], root[32], (*ids)[32];
	u256 target, hv, w;
	size_t i;
	int dup;

	header_hash(h, &b->h);
	if (memcmp(h, b->hash, 32) != 0)
		return bu_fail(e, BU_EXIT_INVALID, "bad-hash", "the hash field does not match the header");
	if (compact_decode(b->h.bits, &target) != 0 || u256_cmp(&target, &n->chain.powlimit) > 0)
		return bu_fail(e, BU_EXIT_INVALID, "bad-diffbits", "bits are not a valid target");
	u256_from_le(&hv, h);
	if (u256_cmp(&hv, &target) > 0)
		return bu_fail(e, BU_EXIT_INVALID, "high-hash", "proof of work fails");
	if (b->height != parent->height + 1)
		return bu_fail(e, BU_EXIT_INVALID, "bad-height", "height does not follow the parent");
	if (len + 1 > n->chain.p.maxblock)
		return bu_fail(e, BU_EXIT_INVALID, "bad-blk-length", "block line over maxblock");
	if (b->ntx == 0 || (ids = malloc((2 * b->ntx + 1) * 32)) == NULL)
		return bu_fail(e, BU_EXIT_INVALID, "bad-syntax", "no transactions");
	for (i = 0; i < b->ntx; i++)
		tx_id(ids[i], &b->txs[i]);
	memcpy(ids + b->ntx, ids, b->ntx * 32);
	merkle_root(ids + b->ntx, b->ntx, root);
	dup = ids_have_duplicate(ids, b->ntx);
	free(ids);
	if (memcmp(root, b->h.merkle, 32) != 0 || dup)
		return bu_fail(e, BU_EXIT_INVALID, "bad-merkle", "merkle root does not match");
	u256_work(&w, &target);
	u256_add(work, &parent->work, &w);
	return 0;
}

static int reorg(struct node *n, int32_t tip, struct bu_err *e);

/*
 * Side blocks also go to dir/side.blk, so that a restart does not forget a
 * branch that may yet win. It is a cache: no fsync, and a write error only
 * stops it (with a warning); a torn last line is dropped at the next start.
 */
static void
side_keep(struct node *n, int32_t i)
{
	const struct bent *x = &n->ix[i];
	struct iovec iov[2] = { { x->line, x->len }, { "\n", 1 } };

	if (n->sidefd < 0 || x->line == NULL)
		return;
	if (writev(n->sidefd, iov, 2) != (ssize_t)x->len + 1) {
		node_log(n, 0, "warning: %s: %s; side blocks are kept in memory only",
		    n->sidepath, strerror(errno));
		close(n->sidefd);
		n->sidefd = -1;
	}
}

static enum blk_outcome
add_side(struct node *n, const struct block *b, const char *line, size_t len,
    int32_t parent, struct bu_err *e)
{
	u256 work;
	int32_t i;

	if (side_check(n, b, len, &n->ix[parent], &work, e) != 0)
		return BLK_INVALID;
	if ((i = ix_add(n, b->hash, parent)) < 0 || (n->ix[i].line = malloc(len)) == NULL) {
		bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
		return BLK_ERROR;
	}
	memcpy(n->ix[i].line, line, len);
	n->ix[i].len = (uint32_t)len;
	n->ix[i].height = b->height;
	n->ix[i].work = work;
	if (u256_cmp(&work, &n->chain.work) <= 0) {
		side_keep(n, i);
		return BLK_SIDE;
	}
	if (reorg(n, i, e) != 0)
		return e->code == BU_EXIT_SYSTEM ? BLK_ERROR : BLK_INVALID;
	return BLK_ACCEPTED;
}

static enum blk_outcome
block_one(struct node *n, const char *line, size_t len, struct block *b,
    struct bu_err *e)
{
	int32_t parent;

	if (block_parse(b, line, len, 0, e) != 0)
		return BLK_INVALID;
	if (nc_find(n, b->hash) >= 0 || nc_has_orphan(n, b->hash)) {
		bu_fail(e, BU_EXIT_INVALID, "duplicate", "the block is known already");
		return BLK_DUP;
	}
	if (memcmp(b->h.prev, n->chain.tip, 32) == 0)
		return extend_tip(n, b, line, len, e);
	if ((parent = nc_find(n, b->h.prev)) < 0) {
		if (b->height <= n->chain.height + NODE_ORPHANS * 4)
			add_orphan(n, b, line, len);
		bu_fail(e, BU_EXIT_NOTTIP, "bad-prevblk", "the parent is unknown");
		return BLK_ORPHAN;
	}
	if (n->ix[parent].invalid) {
		bu_fail(e, BU_EXIT_INVALID, "bad-prevblk", "the parent is invalid");
		return BLK_INVALID;
	}
	return add_side(n, b, line, len, parent, e);
}

/* Orphans whose parent just arrived, and theirs, in turn. */
static void
adopt_orphans(struct node *n, const unsigned char h[32])
{
	unsigned char stack[64][32], hash[32];
	size_t top = 0, i;
	struct block b;
	struct bu_err e;

	memcpy(stack[top++], h, 32);
	block_init(&b);
	while (top > 0) {
		unsigned char p[32];

		memcpy(p, stack[--top], 32);
		for (i = 0; i < n->norph; i++) {
			struct orphan o = n->orph[i];
			enum blk_outcome r;

			if (memcmp(o.prev, p, 32) != 0)
				continue;
			memmove(&n->orph[i], &n->orph[i + 1], (n->norph - i - 1) * sizeof o);
			n->norph--;
			i--;
			r = block_one(n, o.line, o.len, &b, &e);
			memcpy(hash, b.hash, 32);
			free(o.line);
			if ((r == BLK_ACCEPTED || r == BLK_SIDE) && top < 64)
				memcpy(stack[top++], hash, 32);
		}
	}
	block_free(&b);
}

enum blk_outcome
nc_block(struct node *n, const char *line, size_t len, unsigned char hash[32],
    struct bu_err *e)
{
	struct block b;
	enum blk_outcome r;

	block_init(&b);
	n->chain.o.now = n->now;
	memset(hash, 0, 32);
	r = block_one(n, line, len, &b, e);
	if (r != BLK_INVALID || b.ntx > 0)
		memcpy(hash, b.hash, 32);
	block_free(&b);
	if ((r == BLK_ACCEPTED || r == BLK_SIDE) && n->norph > 0)
		adopt_orphans(n, hash);
	return r;
}

/* ---- reorganization ---- */

struct replay {
	uint32_t upto;
	uint64_t end;
};

static int
replay_each(void *arg, const struct block *b, const char *line, size_t len,
    const struct lines *r)
{
	struct replay *rp = arg;

	(void)line;
	(void)len;
	rp->end = r->next;
	return b->height >= rp->upto ? 1 : 0;
}

/* c: the main chain's state at height upto, replayed from the file. */
static int
replay_to(struct node *n, struct chain *c, uint32_t upto, struct bu_err *e)
{
	struct replay rp = { upto, 0 };
	struct lines r;
	int rc;

	if (reader_at(n, 0, &r, e) != 0)
		return -1;
	rc = chain_walk_lines(c, &r, replay_each, &rp, e);
	lines_close(&r);
	if (rc == 1)
		return 0;
	return rc != 0 ? -1 : bu_fail(e, BU_EXIT_SYSTEM, "io", "replay ended early");
}

/* Copy the first len bytes of the chain file to fd. */
static int
copy_prefix(struct node *n, int fd, uint64_t len)
{
	char buf[65536];
	uint64_t at = 0;

	while (at < len) {
		size_t want = len - at < sizeof buf ? (size_t)(len - at) : sizeof buf;
		ssize_t got = pread(n->chainfd, buf, want, (off_t)at);

		if (got <= 0 || bu_write_all(fd, buf, (size_t)got) != 0)
			return -1;
		at += (size_t)got;
	}
	return 0;
}

/* Write the new chain file beside the old one and move it into place. */
static int
rewrite(struct node *n, uint64_t prefix, const int32_t *branch, size_t nb,
    struct bu_err *e)
{
	char tmp[4200];
	uint64_t off = prefix;
	size_t k;
	int fd;

	snprintf(tmp, sizeof tmp, "%s.reorg", n->chainpath);
	fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || copy_prefix(n, fd, prefix) != 0)
		goto fail;
	for (k = 0; k < nb; k++) {
		struct bent *x = &n->ix[branch[k]];

		if (bu_write_all(fd, x->line, x->len) != 0 || bu_write_all(fd, "\n", 1) != 0)
			goto fail;
	}
	if (fsync(fd) != 0 || rename(tmp, n->chainpath) != 0)
		goto fail;
	dir_sync(n->chainpath);
	for (k = 0; k < nb; k++) {
		struct bent *x = &n->ix[branch[k]];

		x->off = off;
		off += x->len + 1;
	}
	close(n->chainfd);
	n->chainfd = fd;
	n->end = off;
	n->ino = 0;
	{
		struct stat st;

		if (fstat(fd, &st) == 0)
			n->ino = st.st_ino;
	}
	flock(fd, LOCK_EX);
	n->locked = 1;
	return 0;
fail:
	syserr(e, tmp, "writing the reorganized chain");
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return -1;
}

/* Keep the lines of the blocks that leave the best chain, as side blocks. */
static int
detach(struct node *n, uint32_t fork, struct buf *txs)
{
	uint32_t h;

	for (h = fork + 1; h <= n->chain.height; h++) {
		struct bent *x = &n->ix[n->mainv[h]];
		struct buf line = { 0 };
		struct block b;
		struct bu_err e;
		size_t k;

		if (nc_line(n, n->mainv[h], &line) != 0) {
			buf_free(&line);
			return -1;
		}
		block_init(&b);
		if (block_parse(&b, line.p, line.n, 0, &e) == 0)
			for (k = 1; k < b.ntx; k++) {
				buf_add(txs, b.txs[k].tok.p, b.txs[k].tok.n);
				buf_add(txs, "\n", 1);
			}
		block_free(&b);
		x->line = line.p;	/* owned now */
		x->len = (uint32_t)line.n;
	}
	return 0;
}

static void
switch_index(struct node *n, uint32_t fork, const int32_t *branch, size_t nb)
{
	uint32_t h;
	size_t k;

	for (h = fork + 1; h <= n->chain.height; h++)
		n->ix[n->mainv[h]].main = 0;
	for (k = 0; k < nb; k++) {
		struct bent *x = &n->ix[branch[k]];

		set_main(n, x->height, branch[k]);
		free(x->line);
		x->line = NULL;
		announce(n, branch[k]);
	}
}

static void
restore_mempool(struct node *n, const struct buf *txs)
{
	const char *p = txs->p, *end = txs->p + txs->n, *nl;
	struct bu_err e;

	mempool_revalidate(&n->mp, &n->chain);
	while (p != NULL && p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		mempool_add(&n->mp, &n->chain, p, (size_t)(nl - p), &e);
		p = nl + 1;
	}
}

/* Apply the branch blocks to c; mark the first bad one (and its descendants) invalid. */
static int
apply_branch(struct node *n, struct chain *c, const int32_t *branch, size_t nb,
    struct bu_err *e)
{
	struct block b;
	size_t k;
	int rc = 0;

	block_init(&b);
	for (k = 0; k < nb && rc == 0; k++) {
		struct bent *x = &n->ix[branch[k]];

		if (block_parse(&b, x->line, x->len, 0, e) != 0 ||
		    chain_accept(c, &b, x->len, e) != 0) {
			e->height = x->height;
			for (; k < nb; k++)
				n->ix[branch[k]].invalid = 1;
			rc = -1;
		}
	}
	block_free(&b);
	return rc;
}

static int
reorg(struct node *n, int32_t tip, struct bu_err *e)
{
	struct chain c;
	struct chain_opts o = n->chain.o;
	struct buf txs = { 0 };
	int32_t *branch, i;
	uint32_t fork, depth;
	size_t nb = 0, k;
	uint64_t prefix;
	int rc = -1, moved = 0;

	if (nc_flush(n, e) != 0)
		return -1;
	for (i = tip; !n->ix[i].main; i = n->ix[i].parent)
		nb++;
	fork = n->ix[i].height;
	prefix = n->ix[i].off + n->ix[i].len + 1;
	depth = n->chain.height - fork;
	if ((branch = malloc(nb * sizeof *branch)) == NULL)
		return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
	for (k = nb, i = tip; k > 0; i = n->ix[i].parent)
		branch[--k] = i;
	chain_init(&c, &o);
	if (replay_to(n, &c, fork, e) != 0 || apply_branch(n, &c, branch, nb, e) != 0)
		goto out;
	if (detach(n, fork, &txs) != 0) {
		bu_fail(e, BU_EXIT_SYSTEM, "io", "reading the blocks that leave the chain");
		goto out;
	}
	if (rewrite(n, prefix, branch, nb, e) != 0)
		goto out;
	for (k = fork + 1; k <= n->chain.height; k++)
		side_keep(n, n->mainv[k]);	/* the branch that lost */
	for (k = 0; k < nb; k++) {
		struct block b;
		struct bu_err e2;

		block_init(&b);
		if (block_parse(&b, n->ix[branch[k]].line, n->ix[branch[k]].len, 0, &e2) == 0)
			mempool_drop_block(&n->mp, &b);
		block_free(&b);
	}
	switch_index(n, fork, branch, nb);
	chain_free(&n->chain);
	n->chain = c;
	moved = 1;
	restore_mempool(n, &txs);
	node_log(n, 0, "reorg depth=%lu fork=%lu height=%lu", (unsigned long)depth,
	    (unsigned long)fork, (unsigned long)n->chain.height);
	{
		char sp[4200];

		state_path(sp, sizeof sp, n->chainpath);
		unlink(sp);
	}
	rc = 0;
out:
	if (!moved)
		chain_free(&c);
	free(branch);
	buf_free(&txs);
	return rc;
}
