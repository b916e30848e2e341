/* lines.c: buffered line splitting of plain or gzip input, as it arrives; inflating on a thread */
#include "lines.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#define CHUNK (256 * 1024)
#define NZ 4	/* inflated chunks the thread may be ahead of the reader */

/* The inflating thread and the chunks it hands over, oldest at head. */
struct zpipe {
	pthread_t tid;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct lines *r;	/* its zs, raw and fd are the thread's alone */
	unsigned char *chunk[NZ];
	size_t len[NZ];
	unsigned head, count;
	int done, rc, quit;
	struct bu_err err;
};

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

static void start_thread(struct lines *r);

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
	start_thread(r);
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

/*
 * Inflate up to CHUNK bytes into out, as soon as there are any: *got
 * of them (0 at the clean end). Concatenated gzip members are one stream.
 */
static int
inflate_into(struct lines *r, unsigned char *out, size_t *got_out, struct bu_err *e)
{
	z_stream *z = r->zs;
	int zr;

	z->next_out = out;
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
	*got_out = CHUNK - z->avail_out;
	return 0;
}

static void *
zthread(void *arg)
{
	struct zpipe *p = arg;
	struct bu_err e;
	unsigned slot;
	size_t got;
	int rc;

	bu_err_clear(&e);
	pthread_mutex_lock(&p->mu);
	while (!p->quit && !p->done) {
		if (p->count == NZ) {
			pthread_cond_wait(&p->cv, &p->mu);
			continue;
		}
		slot = (p->head + p->count) % NZ;
		pthread_mutex_unlock(&p->mu);
		rc = inflate_into(p->r, p->chunk[slot], &got, &e);
		pthread_mutex_lock(&p->mu);
		if (rc == 0 && got > 0) {
			p->len[slot] = got;
			p->count++;
		} else {
			p->done = 1;
			p->rc = rc;
			p->err = e;
		}
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

static void
free_pipe(struct zpipe *p)
{
	unsigned i;

	for (i = 0; i < NZ; i++)
		free(p->chunk[i]);
	free(p);
}

/* Inflate on a thread of its own when one can be had; else inflate_some does it inline. */
static void
start_thread(struct lines *r)
{
	struct zpipe *p = calloc(1, sizeof *p);
	unsigned i;

	if (p == NULL)
		return;
	p->r = r;
	for (i = 0; i < NZ; i++)
		if ((p->chunk[i] = malloc(CHUNK)) == NULL) {
			free_pipe(p);
			return;
		}
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	if (pthread_create(&p->tid, NULL, zthread, p) != 0) {
		pthread_cond_destroy(&p->cv);
		pthread_mutex_destroy(&p->mu);
		free_pipe(p);
		return;
	}
	r->zp = p;
}

static void
stop_thread(struct lines *r)
{
	struct zpipe *p = r->zp;

	pthread_mutex_lock(&p->mu);
	p->quit = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->tid, NULL);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	free_pipe(p);
	r->zp = NULL;
}

/* The next chunk the thread inflated, in order; its error once the chunks before it are taken. */
static int
take_chunk(struct lines *r, struct bu_err *e)
{
	struct zpipe *p = r->zp;
	unsigned head;
	size_t n;

	pthread_mutex_lock(&p->mu);
	while (p->count == 0 && !p->done)
		pthread_cond_wait(&p->cv, &p->mu);
	if (p->count == 0) {
		int rc = p->rc;

		if (rc != 0 && e != NULL)
			*e = p->err;
		pthread_mutex_unlock(&p->mu);
		if (rc == 0)
			r->eof = 1;
		return rc;
	}
	head = p->head;
	n = p->len[head];
	pthread_mutex_unlock(&p->mu);
	memcpy(r->buf + r->end, p->chunk[head], n);
	r->end += n;
	pthread_mutex_lock(&p->mu);
	p->head = (head + 1) % NZ;
	p->count--;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	return 0;
}

static int
inflate_some(struct lines *r, struct bu_err *e)
{
	size_t got;

	if (r->zp != NULL)
		return take_chunk(r, e);
	if (inflate_into(r, (unsigned char *)r->buf + r->end, &got, e) != 0)
		return -1;
	r->end += got;
	if (got == 0)
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

static int
chunk_ready(struct lines *r)
{
	struct zpipe *p = r->zp;
	int ready;

	pthread_mutex_lock(&p->mu);
	ready = p->count > 0 || p->done;
	pthread_mutex_unlock(&p->mu);
	return ready;
}

static int
has_line(const struct lines *r)
{
	return r->end > r->start && memchr(r->buf + r->start, '\n', r->end - r->start) != NULL;
}

int
lines_pending(struct lines *r)
{
	struct pollfd p = { .fd = r->fd, .events = POLLIN };

	if (has_line(r) || r->eof || r->end - r->start >= r->limit)
		return 1;
	if (r->mode == 0)
		return 0;
	if (r->mode == 2 ? r->zp == NULL || !chunk_ready(r) : poll(&p, 1, 0) != 1)
		return 0;
	if (fill(r, NULL) != 0)
		return 1;	/* lines_next meets it again and says what it is */
	return has_line(r) || r->eof;
}

void
lines_close(struct lines *r)
{
	if (r->zp != NULL)
		stop_thread(r);
	if (r->zs != NULL) {
		inflateEnd(r->zs);
		free(r->zs);
	}
	if (r->fd >= 0)
		close(r->fd);
	free(r->raw);
	free(r->buf);
	memset(r, 0, sizeof *r);
	r->fd = -1;	/* closed: a second lines_close must not close fd 0 */
}
