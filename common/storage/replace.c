/* replace.c: replace a small file atomically: temporary, (fsync,) rename, (fsync of the directory) */
#include "replace.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
dir_sync(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *d;
	int fd, rc, saved;

	if (slash == NULL)
		d = strdup(".");
	else
		d = strndup(path, slash == path ? 1 : (size_t)(slash - path));
	if (d == NULL)
		return -1;
	fd = open(d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	saved = errno;
	free(d);
	if (fd < 0) {
		errno = saved;
		return -1;
	}
	rc = fsync(fd);
	saved = errno;
	if (close(fd) != 0 && rc == 0)
		return -1;
	errno = saved;
	return rc;
}

/* Write (and fsync, when durable) a new temporary file tmp; 0 or -1 with errno set (tmp then removed). */
static int
write_tmp(const char *tmp, const void *p, size_t n, int flags)
{
	int fd, saved;

	unlink(tmp);	/* a stale one, or a link someone left there */
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
	    flags & REPLACE_PRIVATE ? 0600 : 0644);
	if (fd < 0)
		return -1;
	if (bu_write_all(fd, p, n) != 0 || ((flags & REPLACE_DURABLE) && fsync(fd) != 0)) {
		saved = errno;
		close(fd);
		unlink(tmp);
		errno = saved;
		return -1;
	}
	if (close(fd) != 0) {
		saved = errno;
		unlink(tmp);
		errno = saved;
		return -1;
	}
	return 0;
}

int
file_replace(const char *path, const void *p, size_t n, int flags, struct bu_err *e)
{
	size_t len = strlen(path) + sizeof ".tmp";
	char *tmp = malloc(len);
	int rc = 0;

	if (tmp == NULL)
		return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
	snprintf(tmp, len, "%s.tmp", path);
	if (write_tmp(tmp, p, n, flags) != 0)
		rc = bu_fail(e, BU_EXIT_SYSTEM, "io", "'%s': %s", tmp, strerror(errno));
	else if (rename(tmp, path) != 0) {
		rc = bu_fail(e, BU_EXIT_SYSTEM, "io", "'%s': rename: %s", path, strerror(errno));
		unlink(tmp);
	} else if ((flags & REPLACE_DURABLE) && dir_sync(path) != 0)
		rc = bu_fail(e, BU_EXIT_SYSTEM, "io", "'%s': fsync of its directory: %s", path,
		    strerror(errno));
	free(tmp);
	return rc;
}
