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

/* "key secret=<64 hex> account=<64 hex>\n" */
#define KEY_SECRET_AT	11			/* after "key secret=" */
#define KEY_ACCOUNT	(KEY_SECRET_AT + 64)	/* " account=" */
#define KEY_ACCOUNT_AT	(KEY_ACCOUNT + 9)
#define KEYLINE_LEN	(KEY_ACCOUNT_AT + 64 + 1)

int
keyfile_create(const char *path, unsigned char pub[32], struct bu_err *e)
{
	unsigned char sec[32];
	char line[KEYLINE_LEN + 1], sh[65], ph[65];
	int fd, rc = 0;

	if (ed_keygen(pub, sec, e) != 0)
		return -1;
	if (!ed_key_ok(pub)) {	/* never from a sound generator; never written */
		OPENSSL_cleanse(sec, sizeof sec);
		return bu_fail(e, BU_EXIT_SYSTEM, "crypto", "Ed25519 key generation gave a weak key");
	}
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
keyfile_parse(const char *buf, size_t n, unsigned char sec[32], unsigned char pub[32],
    struct bu_err *e)
{
	unsigned char derived[32];

	if (n != KEYLINE_LEN || memcmp(buf, "key secret=", KEY_SECRET_AT) != 0 ||
	    memcmp(buf + KEY_ACCOUNT, " account=", KEY_ACCOUNT_AT - KEY_ACCOUNT) != 0 ||
	    buf[KEYLINE_LEN - 1] != '\n' || bu_unhex(buf + KEY_SECRET_AT, 64, sec, 32) != 0 ||
	    bu_unhex(buf + KEY_ACCOUNT_AT, 64, pub, 32) != 0) {
		OPENSSL_cleanse(sec, 32);
		return bu_fail(e, BU_EXIT_INVALID, "bad-keyfile", "not a key file");
	}
	if (ed_public(sec, derived, e) != 0 || memcmp(derived, pub, 32) != 0) {
		OPENSSL_cleanse(sec, 32);
		return bu_fail(e, BU_EXIT_INVALID, "bad-keyfile",
		    "the account does not match the secret");
	}
	return 0;
}

int
keyfile_read(const char *path, unsigned char sec[32], unsigned char pub[32],
    struct bu_err *e)
{
	char line[KEYLINE_LEN + 2], msg[sizeof e->msg];
	struct stat st;
	ssize_t n;
	int fd, rc;

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
	rc = keyfile_parse(line, n < 0 ? 0 : (size_t)n, sec, pub, e);
	OPENSSL_cleanse(line, sizeof line);
	if (rc != 0 && e != NULL && e->code == BU_EXIT_INVALID) {
		memcpy(msg, e->msg, sizeof msg);
		bu_fail(e, BU_EXIT_INVALID, "bad-keyfile", "'%s': %.200s", path, msg);
	}
	return rc;
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

int
payee_arg(const char *arg, unsigned char pub[32], struct bu_err *e)
{
	if (account_arg(arg, pub, e) != 0)
		return -1;
	if (!ed_point_canonical(pub))
		return bu_fail(e, BU_EXIT_INVALID, "bad-account",
		    "'%.64s' is not a canonical key (y >= 2^255 - 19, or x = 0 with a sign): "
		    "no signature by it is ever valid", arg);
	if (ed_small_order(pub))
		return bu_fail(e, BU_EXIT_INVALID, "bad-account",
		    "'%.64s' is a point of small order: no signature by it is ever valid, "
		    "so what is paid to it can never be spent", arg);
	return 0;
}
