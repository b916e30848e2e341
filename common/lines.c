/* lines.c: buffered line splitting of plain or gzip input, as it arrives */
#include "lines.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#define CHUNK (256 * 1024)

/* At the end of input: did the last gzip member end cleanly? */
static int
zr_done(const z_stream *z)
{
	return z->total_in == 0 && z->total_out == 1;
}

int
lines_fdopen(struct lines *r, int fd, const char *name, size_t limit,
    struct bu_err *e)
{
	memset(r, 0, sizeof *r);
	r->fd = fd;
	r->name = name;
	r->limit = limit;
	if (fd < 0)
		return bu_fail(e, BU_EXIT_SYSTEM, "io", "%s: cannot read", name);
	return 0;
}

int
lines_open(struct lines *r, const char *path, size_t limit, struct bu_err *e)
{
	struct stat st;
	int fd;

	if (strcmp(path, "-") == 0)
		return lines_fdopen(r, dup(STDIN_FILENO), "-", limit, e);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return bu_fail(e, BU_EXIT_SYSTEM, "io", "'%s': %s", path, strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return bu_fail(e, BU_EXIT_SYSTEM, "io", "'%s' is a directory", path);
	}
	return lines_fdopen(r, fd, path, limit, e);
}

static ssize_t
read_some(int fd, void *p, size_t n)
{
	ssize_t got;

	do
		got = read(fd, p, n);
	while (got < 0 && errno == EINTR);
	return got;
}

static int
start_gzip(struct lines *r, struct bu_err *e)
{
	z_stream *z = calloc(1, sizeof *z);

	if (z == NULL || inflateInit2(z, 16 + MAX_WBITS) != Z_OK) {
		free(z);
		return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
	}
	z->next_in = r->raw;
	z->avail_in = (uInt)r->rawn;
	r->zs = z;
	r->mode = 2;
	return 0;
}

/* The first bytes decide: gzip's magic, or plain text. */
static int
sniff(struct lines *r, struct bu_err *e)
{
	ssize_t got;

	if ((r->raw = malloc(CHUNK)) == NULL)
		return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
	while (r->rawn < 2) {
		got = read_some(r->fd, r->raw + r->rawn, CHUNK - r->rawn);
		if (got < 0)
			return bu_fail(e, BU_EXIT_SYSTEM, "io", "%s: read error: %s",
			    r->name, strerror(errno));
		if (got == 0)
			break;
		r->rawn += (size_t)got;
	}
	if (r->rawn >= 2 && r->raw[0] == 0x1f && r->raw[1] == 0x8b)
		return start_gzip(r, e);
	memcpy(r->buf + r->end, r->raw, r->rawn);
	r->end += r->rawn;
	r->eof = r->rawn < 2;
	r->mode = 1;
	return 0;
}

/* Inflate into the buffer; concatenated gzip members are one stream. */
static int
inflate_some(struct lines *r, struct bu_err *e)
{
	z_stream *z = r->zs;
	int zr;

	z->next_out = (Bytef *)r->buf + r->end;
	z->avail_out = CHUNK;
	while (z->avail_out == CHUNK) {
		if (z->avail_in == 0) {
			ssize_t got = read_some(r->fd, r->raw, CHUNK);

			if (got < 0)
				return bu_fail(e, BU_EXIT_SYSTEM, "io", "%s: read error: %s",
				    r->name, strerror(errno));
			if (got == 0) {
				if (zr_done(z))
					break;
				return bu_fail(e, BU_EXIT_INVALID, "bad-gzip",
				    "corrupt gzip data (cut short)");
			}
			z->next_in = r->raw;
			z->avail_in = (uInt)got;
		}
		zr = inflate(z, Z_NO_FLUSH);
		if (zr == Z_STREAM_END) {
			if (inflateReset(z) != Z_OK)
				return bu_fail(e, BU_EXIT_SYSTEM, "io", "%s: zlib error", r->name);
			z->total_out = 1;	/* marks "between members" for zr_done */
		} else if (zr == Z_MEM_ERROR) {
			return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "%s: zlib: out of memory",
			    r->name);
		} else if (zr != Z_OK && zr != Z_BUF_ERROR) {
			return bu_fail(e, BU_EXIT_INVALID, "bad-gzip", "corrupt gzip data: %s",
			    z->msg != NULL ? z->msg : "inflate failed");
		}
	}
	r->end += CHUNK - z->avail_out;
	if (z->avail_out == CHUNK)
		r->eof = 1;
	return 0;
}

static int
fill(struct lines *r, struct bu_err *e)
{
	ssize_t got;

	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	if (r->cap - r->end < CHUNK) {
		size_t ncap = r->cap ? 2 * r->cap : 2 * CHUNK;
		char *nb;

		while (ncap - r->end < CHUNK)
			ncap *= 2;
		if ((nb = realloc(r->buf, ncap)) == NULL)
			return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
		r->buf = nb;
		r->cap = ncap;
	}
	if (r->mode == 0)
		return sniff(r, e);
	if (r->mode == 2)
		return inflate_some(r, e);
	got = read_some(r->fd, r->buf + r->end, CHUNK);
	if (got < 0)
		return bu_fail(e, BU_EXIT_SYSTEM, "io", "%s: read error: %s", r->name,
		    strerror(errno));
	if (got == 0)
		r->eof = 1;
	r->end += (size_t)got;
	return 0;
}

/* Remember the error: the reader is finished, and every later call says so again. */
static int
stop(struct lines *r, const struct bu_err *e)
{
	r->err = *e;
	r->failed = 1;
	return -1;
}

int
lines_next(struct lines *r, const char **line, size_t *len, struct bu_err *e)
{
	struct bu_err mine;
	size_t scanned = 0;

	if (e == NULL)
		e = &mine;
	if (r->failed) {
		*e = r->err;
		return -1;
	}
	for (;;) {
		size_t have = r->end - r->start;
		char *p = have > 0 ? r->buf + r->start : NULL;
		char *nl = have > scanned ? memchr(p + scanned, '\n', have - scanned) : NULL;

		if (nl != NULL && (size_t)(nl - p) + 1 <= r->limit) {
			r->lineno++;
			r->offset = r->next;
			*line = p;
			*len = (size_t)(nl - p);
			r->start += *len + 1;
			r->next += *len + 1;
			return 1;
		}
		if (nl != NULL || have >= r->limit) {	/* no more is read */
			r->lineno++;
			r->offset = r->next;
			bu_fail(e, BU_EXIT_INVALID, "bad-blk-length",
			    "line longer than %zu bytes", r->limit);
			return stop(r, e);
		}
		scanned = have;
		if (r->eof) {
			if (have == 0)
				return 0;
			r->lineno++;
			r->offset = r->next;
			if (r->torn_ok) {
				*line = p;
				*len = have;
				r->start = r->end;
				r->next += have;
				return 1;
			}
			bu_fail(e, BU_EXIT_INVALID, "truncated",
			    "last line has no newline (an interrupted write?)");
			return stop(r, e);
		}
		if (fill(r, e) != 0) {	/* about the line being read */
			r->lineno++;
			r->offset = r->next;
			return stop(r, e);
		}
	}
}

void
lines_close(struct lines *r)
{
	if (r->zs != NULL) {
		inflateEnd(r->zs);
		free(r->zs);
	}
	if (r->fd >= 0)
		close(r->fd);
	free(r->raw);
	free(r->buf);
	memset(r, 0, sizeof *r);
}
