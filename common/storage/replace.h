/* replace.h: replace a small file atomically (storage layer) */
#ifndef REPLACE_H
#define REPLACE_H

#include <stddef.h>

#include "bu.h"

#define REPLACE_DURABLE 1	/* fsync the file and its directory: it survives a crash */
#define REPLACE_PRIVATE 2	/* mode 0600, not 0644 */

/*
 * Write n bytes to path atomically: a new temporary file beside it
 * (never through a symbolic link), rename over path; flags as above.
 * 0, or -1 with e filled (io, no-memory); path is then as it was.
 */
int file_replace(const char *path, const void *p, size_t n, int flags, struct bu_err *e);
/* fsync the directory that holds path: 0, or -1 with errno set. */
int dir_sync(const char *path);

#endif
