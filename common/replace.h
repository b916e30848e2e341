/* replace.h: replace a small file atomically (storage layer) */
#ifndef REPLACE_H
#define REPLACE_H

#include <stddef.h>

#include "bu.h"

/*
 * Write n bytes to path atomically: a temporary file beside it, fsync,
 * rename over path, fsync of the directory. 0, or -1 with e filled (io,
 * no-memory); path is then as it was.
 */
int file_replace(const char *path, const void *p, size_t n, struct bu_err *e);
/* fsync the directory that holds path: 0, or -1 with errno set. */
int dir_sync(const char *path);

#endif
