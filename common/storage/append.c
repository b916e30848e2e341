/* append.c: flock, repair, check, write whole, fsync once a group, acknowledge */
#include "append.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chainfile.h"
#include "state.h"

static int
syserr(struct bu_err *e, const char *path, const char *what)
{
	return bu_fail(e, BU_EXIT_SYSTEM, "io", "'%s': %s: %s", path, what, strerror(errno));
}

static int
is_gzip(int fd)
{
	unsigned char m[2];

	return pread(fd, m, 2, 0) == 2 && m[0] == 0x1f && m[1] == 0x8b;
}

static int
is_regular(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

static int
still_named(int fd, const char *path)
{
	struct stat a, b;

	return fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev &&
	    a.st_ino == b.st_ino;
}

/* The file, locked; created only when line is a valid genesis block. */
static int
open_chain(const char *path, const char *line, size_t len, int64_t now,
    struct bu_err *e)
{
	struct chain_opts o = { .now = now };
	struct chain scratch;
	struct block b;
	int fd, rc;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		static const char first[] = "block height=";
		size_t k = sizeof first - 1;

		if (len > k && memcmp(line, first, k) == 0 && line[k] != '0')
			return bu_fail(e, BU_EXIT_NOTTIP, "bad-prevblk",
			    "'%s' does not exist: its first block must be a genesis", path);
		chain_init(&scratch, &o);
		block_init(&b);
		rc = block_parse(&b, line, len, 0, e) == 0 &&
		    chain_accept(&scratch, &b, len, e) == 0 ? 0 : -1;
		block_free(&b);
		chain_free(&scratch);
		if (rc != 0)
			return -1;
		fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd < 0 && errno == EEXIST)
			fd = open(path, O_RDWR | O_CLOEXEC);
	}
	if (fd < 0)
		return syserr(e, path, "open");
	if (flock(fd, LOCK_EX) != 0) {
		syserr(e, path, "lock");
		close(fd);
		return -1;
	}
	if (!still_named(fd, path)) {	/* replaced (a node's reorg) while we waited */
		close(fd);
		return open_chain(path, line, len, now, e);
	}
	if (!is_regular(fd)) {
		close(fd);
		return bu_fail(e, BU_EXIT_USAGE, "usage",
		    "'%s' is not a regular file: chain-append writes plain files only", path);
	}
	if (is_gzip(fd)) {
		close(fd);
		return bu_fail(e, BU_EXIT_USAGE, "usage",
		    "'%s' is gzip-compressed: chain-append writes plain files only", path);
	}
	return fd;
}

static int
repair(int fd, const char *path, struct chain_pos *pos, FILE *warn,
    struct bu_err *e)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		return syserr(e, path, "stat");
	if ((uint64_t)st.st_size == pos->end)
		return 0;
	if (ftruncate(fd, (off_t)pos->end) != 0 || fsync(fd) != 0)
		return syserr(e, path, "cutting an unfinished last line");
	pos->partial = 0;
	if (warn != NULL)
		fprintf(warn, "%s: %s: cut %llu bytes of an unfinished last line\n",
		    bu_progname, path, (unsigned long long)st.st_size - pos->end);
	return 0;
}

/*
 * Lines checked and not yet written: a group is written at once, fsynced
 * once, and only then acknowledged, hash after hash.
 */
struct group {
	struct buf text;	/* the lines, each with its '\n' */
	unsigned char (*hash)[32];
	size_t n, cap, lastlen;
};

#define GROUP_LINES	10000
#define GROUP_BYTES	(16u << 20)

static int
group_add(struct group *g, const char *line, size_t len, const unsigned char hash[32],
    struct bu_err *e)
{
	if (g->n == g->cap) {
		size_t ncap = g->cap ? 2 * g->cap : 64;
		void *p = realloc(g->hash, ncap * 32);

		if (p == NULL)
			return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
		g->hash = p;
		g->cap = ncap;
	}
	buf_add(&g->text, line, len);
	buf_add(&g->text, "\n", 1);
	if (g->text.oom)
		return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
	memcpy(g->hash[g->n++], hash, 32);
	g->lastlen = len + 1;
	return 0;
}

static int
ack_group(const struct group *g, FILE *ack, struct bu_err *e)
{
	char hex[65];
	size_t i;

	for (i = 0; i < g->n; i++) {
		bu_hex_rev(hex, g->hash[i]);
		if (fprintf(ack, "%s\n", hex) < 0)
			break;
	}
	if (i < g->n || fflush(ack) != 0)
		return bu_fail(e, BU_EXIT_SYSTEM, "io", "standard output: %s", strerror(errno));
	return 0;
}

/* The group at pos->end, one fsync, then its hashes; on failure the file is left as it was. */
static int
commit(struct group *g, int fd, const char *path, struct chain_pos *pos, FILE *ack,
    struct bu_err *e)
{
	if (g->n == 0)
		return 0;
	if (lseek(fd, (off_t)pos->end, SEEK_SET) < 0 ||
	    bu_write_all(fd, g->text.p, g->text.n) != 0 || fsync(fd) != 0) {
		int saved = errno;

		if (ftruncate(fd, (off_t)pos->end) == 0)
			fsync(fd);
		errno = saved;
		return syserr(e, path, "write");
	}
	pos->end += g->text.n;
	pos->lineno += g->n;
	pos->lastlen = g->lastlen;
	if (ack_group(g, ack, e) != 0)
		return -1;
	g->n = 0;
	g->text.n = 0;
	return 0;
}

/* The hash field of the line at height h of the chain in fd; 0, or -1 if none. */
static int
hash_at(int fd, const char *path, uint32_t h, unsigned char out[32])
{
	char want[40];
	const char *line;
	struct lines r;
	struct bu_err e;
	size_t len, n;
	int got, rc = -1;

	if (lines_fdopen(&r, dup(fd), path, MAXBLOCK_LIMIT, &e) != 0 ||
	    lseek(r.fd, 0, SEEK_SET) < 0) {
		lines_close(&r);
		return -1;
	}
	n = (size_t)snprintf(want, sizeof want, "block height=%lu hash=", (unsigned long)h);
	while ((got = lines_next(&r, &line, &len, &e)) > 0 && r.lineno <= (uint64_t)h + 1) {
		if (r.lineno == (uint64_t)h + 1) {
			if (len >= n + 64 && memcmp(line, want, n) == 0)
				rc = bu_unhex_rev(line + n, 64, out);
			break;
		}
	}
	lines_close(&r);
	return rc;
}

/*
 * Why b does not extend c: c is empty, b is in it already, or b's parent is
 * elsewhere. The tip itself chain_accept has named; the file is read only
 * for a block below it.
 */
static int
why_not(const struct chain *c, int fd, const char *path, const struct block *b,
    struct bu_err *e)
{
	unsigned char hash[32], there[32];
	char hex[65];

	if (c->empty)
		return bu_fail(e, BU_EXIT_NOTTIP, "bad-prevblk",
		    "'%s' is empty: its first block must be a genesis", path);
	if (e->cls != BU_C_NOTTIP || b->height >= c->height)
		return -1;
	header_hash(hash, &b->h);
	if (hash_at(fd, path, b->height, there) != 0 || memcmp(hash, there, 32) != 0)
		return -1;
	bu_hex_rev(hex, hash);
	bu_fail(e, BU_EXIT_NOTTIP, "duplicate", "block %s is already in the chain at height %lu",
	    hex, (unsigned long)b->height);
	e->height = b->height;
	return -1;
}

/* Check one line against the chain and apply it; a block that does not extend the tip says why. */
static int
accept_line(struct chain *c, int fd, const char *path, struct block *b,
    const char *line, size_t len, struct bu_err *e)
{
	if (block_parse(b, line, len, 0, e) != 0)
		return -1;
	if (c->empty && b->height != 0)
		return why_not(c, fd, path, b, e);
	if (chain_accept(c, b, len, e) != 0)
		return e->code == BU_EXIT_NOTTIP ? why_not(c, fd, path, b, e) : -1;
	return 0;
}

/*
 * Check lines while more of them are already waiting (up to a group's
 * bounds), then write, fsync and acknowledge them together; a line with
 * nothing behind it goes to disk before the next is read. *behind: the
 * chain in c holds blocks the file does not (a write failed).
 */
static int
append_lines(struct chain *c, int fd, const char *path, struct chain_pos *pos,
    struct lines *in, const char *line, size_t len, FILE *ack, int *behind,
    struct bu_err *e)
{
	struct group g;
	struct bu_err we;
	struct block b;
	int got = 1, rc = 0;

	memset(&g, 0, sizeof g);
	block_init(&b);
	while (got > 0) {
		if (accept_line(c, fd, path, &b, line, len, e) != 0) {
			rc = -1;
			break;
		}
		if (group_add(&g, line, len, b.hash, e) != 0) {
			*behind = 1;
			rc = -1;
			break;
		}
		in->limit = chain_line_limit(c);
		if ((g.n >= GROUP_LINES || g.text.n >= GROUP_BYTES || !lines_pending(in)) &&
		    commit(&g, fd, path, pos, ack, e) != 0) {
			*behind = 1;
			rc = -1;
			break;
		}
		got = lines_next(in, &line, &len, e);
	}
	if (got < 0)
		rc = -1;
	if (!*behind && commit(&g, fd, path, pos, ack, &we) != 0) {	/* what came before the stop */
		*behind = 1;
		*e = we;
		rc = -1;
	}
	buf_free(&g.text);
	free(g.hash);
	if (rc != 0 && e->code != BU_EXIT_SYSTEM) {
		e->file = in->name;
		e->line = in->lineno;
		if (e->height < 0)
			e->height = c->empty ? 0 : (int64_t)c->height + 1;
	}
	block_free(&b);
	return rc;
}

/* The cache only saves time: failing to write it loses nothing. */
static void
save_cache(const struct chain *c, int fd, const char *path, struct chain_pos *pos,
    FILE *warn)
{
	struct bu_err e;

	if (state_stamp(fd, pos) != 0 || state_save(c, path, pos, &e) != 0) {
		if (warn != NULL)
			fprintf(warn, "%s: %s: state cache not written (the next run rebuilds it)\n",
			    bu_progname, path);
	}
}

int
chain_append(const char *path, const char *input, int64_t now, FILE *ack,
    FILE *warn, struct bu_err *e)
{
	struct chain_opts o = { .now = now };
	struct chain_pos pos;
	struct chain c;
	struct lines in;
	const char *line;
	size_t len;
	int fd, got, rc = -1, behind = 0;

	if (lines_open(&in, input, MAXBLOCK_LIMIT, e) != 0)
		return -1;
	if ((got = lines_next(&in, &line, &len, e)) <= 0) {
		if (got < 0 && e->code != BU_EXIT_SYSTEM) {
			e->file = input;
			e->line = in.lineno;
		}
		lines_close(&in);
		return got;
	}
	chain_init(&c, &o);
	if ((fd = open_chain(path, line, len, now, e)) < 0) {
		if (e->code != BU_EXIT_SYSTEM && e->code != BU_EXIT_USAGE) {
			e->file = in.name;
			e->line = in.lineno;
			e->height = 0;
		}
		goto out;
	}
	if (chain_load_fd(&c, fd, path, &pos, e) != 0 ||
	    repair(fd, path, &pos, warn, e) != 0)
		goto out_fd;
	rc = append_lines(&c, fd, path, &pos, &in, line, len, ack, &behind, e);
	if (!c.empty && !behind)
		save_cache(&c, fd, path, &pos, warn);
out_fd:
	close(fd);
out:
	chain_free(&c);
	lines_close(&in);
	return rc;
}
