/* lines.h: a streaming line reader for plain and .gz files that counts lines */
#ifndef LINES_H
#define LINES_H

#include <stddef.h>
#include <stdint.h>

#include "bu.h"

struct lines {
	int fd;
	int mode;		/* 0 not yet known, 1 plain, 2 gzip */
	void *zs;		/* z_stream, gzip only */
	void *zp;		/* the thread that inflates it, if one could be started */
	unsigned char *raw;	/* compressed input, gzip only */
	size_t rawn;
	const char *name;	/* for messages: the path, or "-" */
	char *buf;
	size_t cap, start, end;
	size_t limit;		/* longest line accepted, '\n' included */
	uint64_t lineno;	/* of the line last returned */
	uint64_t offset;	/* bytes before the line last returned */
	uint64_t next;		/* bytes consumed through its '\n' */
	int eof;
	int failed;		/* an error was returned; err is returned again */
	struct bu_err err;
	int torn_ok;		/* a last line without '\n' is a line: input that is no chain file */
};

/*
 * path "-" is standard input. Gzip input (by its magic bytes) is inflated,
 * on a thread of its own beside the caller's, at most 1 MiB ahead of the
 * lines taken; anything else is read as it comes, so a line that arrives
 * through a pipe is returned at once, not when a buffer fills.
 */
int lines_open(struct lines *r, const char *path, size_t limit, struct bu_err *e);
int lines_fdopen(struct lines *r, int fd, const char *name, size_t limit, struct bu_err *e);
/*
 * 1 and the next line (without '\n'); 0 at the end; -1 on error:
 * "bad-blk-length" as soon as a line passes the limit (nothing more is
 * read or inflated), "truncated" for a last line without '\n' (unless
 * torn_ok is set: transactions and data typed or piped in), "bad-gzip"
 * for corrupt compressed data (exit 1), "io" for a read error (exit 3).
 * After an error every call returns the same error.
 */
int lines_next(struct lines *r, const char **line, size_t *len, struct bu_err *e);
/*
 * Whether lines_next would answer now without waiting for input: a whole
 * line is buffered, or arrives with what can be read without blocking
 * (which it reads), or the input has ended or failed.
 */
int lines_pending(struct lines *r);
void lines_close(struct lines *r);

#endif
