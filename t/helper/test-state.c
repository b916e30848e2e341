/*
 * test-state: edit a chain's state cache as an attacker would.
 *
 *	test-state forge CACHE ACCOUNT BALANCE [KEYFILE]
 *		sets the 8 bytes after the first occurrence of the 32-byte
 *		ACCOUNT (64 hex digits) in CACHE to BALANCE (host order),
 *		then rewrites the last 32 bytes: the SHA-256 of the bytes
 *		before them, or with KEYFILE (64 hex digits and a newline)
 *		their HMAC-SHA256 under that key. Knows nothing else of the
 *		format.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bu.h"
#include "hash.h"

static unsigned char *
slurp(const char *path, size_t *n)
{
	unsigned char *p = NULL;
	FILE *f = fopen(path, "rb");
	long len;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || (p = malloc((size_t)len + 1)) == NULL ||
	    fread(p, 1, (size_t)len, f) != (size_t)len) {
		perror(path);
		exit(3);
	}
	fclose(f);
	*n = (size_t)len;
	return p;
}

int
main(int argc, char *argv[])
{
	unsigned char acct[32], key[32], *p, *hit = NULL;
	uint64_t bal;
	size_t n, i;
	FILE *f;

	if ((argc != 5 && argc != 6) || strcmp(argv[1], "forge") != 0 ||
	    bu_unhex(argv[3], strlen(argv[3]), acct, 32) != 0 ||
	    bu_parse_u64(argv[4], strlen(argv[4]), UINT64_MAX, &bal) != 0) {
		fprintf(stderr, "usage: test-state forge CACHE ACCOUNT BALANCE [KEYFILE]\n");
		return 2;
	}
	p = slurp(argv[2], &n);
	for (i = 0; i + 40 <= n && hit == NULL; i++)
		if (memcmp(p + i, acct, 32) == 0)
			hit = p + i;
	if (hit == NULL || n < 32 + 40) {
		fprintf(stderr, "test-state: the account is not in %s\n", argv[2]);
		return 1;
	}
	memcpy(hit + 32, &bal, sizeof bal);
	if (argc == 6) {
		size_t kn;
		unsigned char *k = slurp(argv[5], &kn);

		if (kn < 64 || bu_unhex((char *)k, 64, key, 32) != 0 ||
		    hmac_sha256(key, 32, p, n - 32, p + n - 32) != 0)
			return 1;
		free(k);
	} else {
		sha256(p, n - 32, p + n - 32);
	}
	if ((f = fopen(argv[2], "r+b")) == NULL || fwrite(p, 1, n, f) != n || fclose(f) != 0) {
		perror(argv[2]);
		return 3;
	}
	free(p);
	return 0;
}
