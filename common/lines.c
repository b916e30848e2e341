/* lines.c: buffered line splitting over zlib's transparent reader */
#include "lines.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#define CHUNK (256 * 1024)

int
lines_fdopen(struct lines *r, int fd, const char *name, size_t limit,
    struct bu_err *e)
{
	memset(r, 0, sizeof *r);
	r->name = name;
	r->limit = limit;
	r->gz = gzdopen(fd, "rb");
	if (r->gz == NULL)
		return bu_fail(e, BU_EXIT_SYSTEM, "io", "%s: cannot read", name);
	gzbuffer(r->gz, CHUNK);
	return 0;
}

int
lines_open(struct lines *r, const char *path, size_t limit, struct bu_err *e)
{
	int fd;

	if (strcmp(path, "-") == 0)
		return lines_fdopen(r, dup(STDIN_FILENO), "-", limit, e);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return bu_fail(e, BU_EXIT_SYSTEM, "io", "'%s': %s", path, strerror(errno));
	if (lines_fdopen(r, fd, path, limit, e) != 0) {
		close(fd);
		return -1;
	}
	return 0;
}

static int
fill(struct lines *r, struct bu_err *e)
{
	int n;

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
	n = gzread(r->gz, r->buf + r->end, CHUNK);
	if (n < 0) {
		int zerr;
		const char *m = gzerror(r->gz, &zerr);

		return bu_fail(e, BU_EXIT_SYSTEM, "io", "%s: read error: %s",
		    r->name, zerr == Z_ERRNO ? strerror(errno) : m);
	}
	if (n == 0) {
		int zerr;

		gzerror(r->gz, &zerr);
		if (zerr != Z_OK && zerr != Z_BUF_ERROR)
			return bu_fail(e, BU_EXIT_INVALID, "io", "%s: corrupt gzip data", r->name);
		r->eof = 1;
	}
	r->end += (size_t)n;
	return 0;
}

/* Drop bytes up to and including the next '\n' without keeping them. */
static int
skip_rest(struct lines *r, struct bu_err *e)
{
	for (;;) {
		char *nl = memchr(r->buf + r->start, '\n', r->end - r->start);

		if (nl != NULL) {
			r->next += (uint64_t)(nl + 1 - (r->buf + r->start));
			r->start = (size_t)(nl + 1 - r->buf);
			return 0;
		}
		r->next += r->end - r->start;
		r->start = r->end = 0;
		if (r->eof)
			return 0;
		if (fill(r, e) != 0)
			return -1;
	}
}

int
lines_next(struct lines *r, const char **line, size_t *len, struct bu_err *e)
{
	size_t scanned = 0;

	for (;;) {
		char *p = r->buf + r->start;
		size_t have = r->end - r->start;
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
		if (nl != NULL || have >= r->limit) {
			r->lineno++;
			r->offset = r->next;
			if (skip_rest(r, e) != 0)
				return -1;
			return bu_fail(e, BU_EXIT_INVALID, "bad-blk-length",
			    "line longer than %zu bytes", r->limit);
		}
		scanned = have;
		if (r->eof) {
			if (have == 0)
				return 0;
			r->lineno++;
			r->offset = r->next;
			return bu_fail(e, BU_EXIT_INVALID, "truncated",
			    "last line has no newline (an interrupted write?)");
		}
		if (fill(r, e) != 0)
			return -1;
	}
}

void
lines_close(struct lines *r)
{
	if (r->gz != NULL)
		gzclose(r->gz);
	free(r->buf);
	memset(r, 0, sizeof *r);
}
