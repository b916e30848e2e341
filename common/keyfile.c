/* keyfile.c: "key secret=<hex> account=<hex>" files, created 0600 and fsynced */
#include "keyfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "ed25519.h"

#define KEYLINE_LEN (4 + 7 + 64 + 9 + 64 + 1)	/* "key secret=.. account=..\n" */

int
keyfile_create(const char *path, unsigned char pub[32], struct bu_err *e)
{
	unsigned char sec[32];
	char line[KEYLINE_LEN + 1], sh[65], ph[65];
	int fd, rc = 0;

	if (ed_keygen(pub, sec, e) != 0)
		return -1;
	bu_hex(sh, sec, 32);
	bu_hex(ph, pub, 32);
	snprintf(line, sizeof line, "key secret=%s account=%s\n", sh, ph);
	OPENSSL_cleanse(sec, sizeof sec);
	OPENSSL_cleanse(sh, sizeof sh);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		rc = bu_fail(e, BU_EXIT_SYSTEM, "io", "'%s': %s", path, strerror(errno));
	else if (bu_write_all(fd, line, strlen(line)) != 0 || fsync(fd) != 0) {
		rc = bu_fail(e, BU_EXIT_SYSTEM, "io", "'%s': %s", path, strerror(errno));
		unlink(path);
	}
	if (fd >= 0 && close(fd) != 0 && rc == 0)
		rc = bu_fail(e, BU_EXIT_SYSTEM, "io", "'%s': %s", path, strerror(errno));
	OPENSSL_cleanse(line, sizeof line);
	return rc;
}

int
keyfile_read(const char *path, unsigned char sec[32], unsigned char pub[32],
    struct bu_err *e)
{
	char line[KEYLINE_LEN + 2];
	unsigned char derived[32];
	struct stat st;
	ssize_t n;
	int fd, ok;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return bu_fail(e, BU_EXIT_SYSTEM, "io", "'%s': %s", path, strerror(errno));
	if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
		close(fd);
		return bu_fail(e, BU_EXIT_INVALID, "bad-keyfile", "'%s': %s, not a key file", path,
		    S_ISDIR(st.st_mode) ? "a directory" : "not a regular file");
	}
	if (fstat(fd, &st) != 0 || (st.st_mode & 077) != 0) {
		close(fd);
		return bu_fail(e, BU_EXIT_INVALID, "bad-keyfile",
		    "'%s': others may read it (chmod 600)", path);
	}
	n = read(fd, line, sizeof line);
	close(fd);
	ok = n == KEYLINE_LEN && memcmp(line, "key secret=", 11) == 0 &&
	    memcmp(line + 75, " account=", 9) == 0 && line[KEYLINE_LEN - 1] == '\n' &&
	    bu_unhex(line + 11, 64, sec, 32) == 0 && bu_unhex(line + 84, 64, pub, 32) == 0;
	OPENSSL_cleanse(line, sizeof line);
	if (!ok)
		return bu_fail(e, BU_EXIT_INVALID, "bad-keyfile", "'%s': not a key file", path);
	if (ed_public(sec, derived, e) != 0 || memcmp(derived, pub, 32) != 0) {
		OPENSSL_cleanse(sec, 32);
		return bu_fail(e, BU_EXIT_INVALID, "bad-keyfile",
		    "'%s': the account does not match the secret", path);
	}
	return 0;
}

/* Why arg, which names no file, is no account either. */
static int
not_an_account(const char *arg, struct bu_err *e)
{
	size_t n = strlen(arg);

	if (n > 0 && strspn(arg, "0123456789abcdefABCDEF") == n) {
		if (n == 64)
			return bu_fail(e, BU_EXIT_USAGE, "usage",
			    "'%s': an account is written in lower-case hex", arg);
		return bu_fail(e, BU_EXIT_USAGE, "usage",
		    "'%.70s': not an account: %zu hex digits, an account has 64", arg, n);
	}
	return bu_fail(e, BU_EXIT_USAGE, "usage",
	    "'%s': no such key file (an account is a key file's path, or 64 lower-case hex digits)",
	    arg);
}

int
account_arg(const char *arg, unsigned char pub[32], struct bu_err *e)
{
	unsigned char sec[32];
	int rc;

	if (strlen(arg) == 64 && bu_unhex(arg, 64, pub, 32) == 0)
		return 0;
	if (access(arg, F_OK) != 0)
		return not_an_account(arg, e);
	rc = keyfile_read(arg, sec, pub, e);
	OPENSSL_cleanse(sec, sizeof sec);
	return rc;
}
