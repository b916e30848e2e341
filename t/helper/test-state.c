/*
 * test-state: edit a chain's state cache as an attacker would (one who
 * has the key, for all but forge without KEYFILE).
 *
 *	test-state forge CACHE ACCOUNT BALANCE [KEYFILE]
 *		sets the 8 bytes after the first occurrence of the 32-byte
 *		ACCOUNT (64 hex digits) in CACHE to BALANCE (host order),
 *		then rewrites the last 32 bytes: the SHA-256 of the bytes
 *		before them, or with KEYFILE (64 hex digits and a newline)
 *		their HMAC-SHA256 under that key. Knows nothing else of the
 *		format.
 *
 * The others know the layout of state.c's records (struct account,
 * struct pending, the magic, layout word and struct chain_pos in front)
 * and rewrite the MAC under KEYFILE:
 *
 *	test-state set CACHE ACCOUNT FIELD VALUE KEYFILE
 *		FIELD of ACCOUNT's record (its first occurrence): immature;
 *		or of the first pending coinbase after it that pays ACCOUNT:
 *		pending-height, pending-amount
 *	test-state bump CACHE FIELD KEYFILE
 *		adds 1 to the first byte of FIELD: version (the digit of the
 *		magic), layout, lineno (the lines the cache has checked)
 *	test-state rekey CACHE FROM TO KEYFILE
 *		the first occurrence of key FROM becomes TO
 *	test-state swap CACHE OLD NEW KEYFILE
 *		the first occurrence of the text OLD becomes NEW, as long
 *		(the chain's name, say)
 *	test-state extend CACHE KEYFILE
 *		one zero byte more after the last record
 *	test-state cut-name CACHE KEYFILE
 *		cuts the cache one byte short of the end of the chain name's
 *		8-byte length, sets the 7 bytes left of it to 0xff, and writes
 *		to KEYFILE a new key under which the MAC's first byte is 0xff:
 *		a reader that took one byte past the data would read a name
 *		length of 2^64 - 1
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "bu.h"
#include "hash.h"
#include "ledger.h"
#include "record.h"
#include "state.h"

#define MAGICLEN 19	/* "blockutils-state-N\n" */

static unsigned char *
slurp(const char *path, size_t *n)
{
	unsigned char *p = NULL;
	FILE *f = fopen(path, "rb");
	long len;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || (p = malloc((size_t)len + 2)) == NULL ||
	    fread(p, 1, (size_t)len, f) != (size_t)len) {
		perror(path);
		exit(3);
	}
	fclose(f);
	*n = (size_t)len;
	return p;
}

static void
key_of(const char *s, unsigned char key[32])
{
	if (bu_unhex(s, strlen(s), key, 32) != 0) {
		fprintf(stderr, "test-state: '%s' is not 64 hex digits\n", s);
		exit(2);
	}
}

static unsigned char *
find(unsigned char *p, size_t n, const unsigned char key[32])
{
	size_t i;

	for (i = 0; i + 32 + 32 <= n; i++)
		if (memcmp(p + i, key, 32) == 0)
			return p + i;
	return NULL;
}

/* The MAC (or with keyfile NULL the SHA-256) of the n - 32 bytes before it, then the file. */
static int
seal_and_write(const char *path, unsigned char *p, size_t n, const char *keyfile)
{
	unsigned char key[32];
	FILE *f;

	if (keyfile != NULL) {
		size_t kn;
		unsigned char *k = slurp(keyfile, &kn);

		int bad = kn < 64 || bu_unhex((char *)k, 64, key, 32) != 0 ||
		    hmac_sha256(key, 32, p, n - 32, p + n - 32) != 0;

		free(k);
		if (bad)
			return 1;
	} else {
		sha256(p, n - 32, p + n - 32);
	}
	if ((f = fopen(path, "wb")) == NULL || fwrite(p, 1, n, f) != n || fclose(f) != 0) {
		perror(path);
		return 3;
	}
	return 0;
}

static int
missing(const char *what, const char *path)
{
	fprintf(stderr, "test-state: %s is not in %s\n", what, path);
	return 1;
}

static int
set(char **a, unsigned char *p, size_t n)
{
	unsigned char key[32], *hit, *rec;
	uint64_t v;
	uint32_t h;

	key_of(a[3], key);
	if (bu_parse_u64(a[5], strlen(a[5]), UINT64_MAX, &v) != 0)
		return 2;
	if ((hit = find(p, n, key)) == NULL)
		return missing("the account", a[2]);
	if (strcmp(a[4], "immature") == 0) {
		memcpy(hit + offsetof(struct account, immature) - offsetof(struct account, key),
		    &v, sizeof v);
		return 0;
	}
	hit += sizeof(struct account) - offsetof(struct account, key);
	if ((hit = find(hit, (size_t)(p + n - hit), key)) == NULL)
		return missing("a pending coinbase of the account", a[2]);
	rec = hit - offsetof(struct pending, key);
	if (strcmp(a[4], "pending-amount") == 0) {
		memcpy(rec + offsetof(struct pending, amount), &v, sizeof v);
	} else if (strcmp(a[4], "pending-height") == 0 && v <= UINT32_MAX) {
		h = (uint32_t)v;
		memcpy(rec + offsetof(struct pending, height), &h, sizeof h);
	} else {
		return 2;
	}
	return 0;
}

static int
bump(const char *field, unsigned char *p, size_t n)
{
	size_t at;

	if (strcmp(field, "version") == 0)
		at = MAGICLEN - 2;
	else if (strcmp(field, "layout") == 0)
		at = MAGICLEN;
	else if (strcmp(field, "lineno") == 0)
		at = MAGICLEN + 8 + offsetof(struct chain_pos, lineno);
	else
		return 2;
	if (at + 8 + 32 > n)
		return 1;
	p[at]++;
	return 0;
}

static int
cut_name(const char *keyfile, unsigned char *p, size_t *n)
{
	size_t at = MAGICLEN + 8 + sizeof(struct chain_pos) + sizeof(struct params) + 7;
	unsigned char key[32], mac[32];
	char line[65];
	uint32_t i;
	int fd;

	if (at + 32 > *n)
		return 1;
	memset(p + at - 7, 0xff, 7);
	memset(key, 0, sizeof key);
	for (i = 0;; i++) {
		memcpy(key, &i, sizeof i);
		if (hmac_sha256(key, 32, p, at, mac) != 0)
			return 3;
		if (mac[0] == 0xff)
			break;
	}
	bu_hex(line, key, 32);
	line[64] = '\n';
	if ((fd = open(keyfile, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0 ||
	    write(fd, line, sizeof line) != (ssize_t)sizeof line || close(fd) != 0) {
		perror(keyfile);
		return 3;
	}
	*n = at + 32;
	return 0;
}

/* The work of main; *pp gets the cache read, for main to free. */
static int
run(int argc, char *argv[], unsigned char **pp)
{
	unsigned char acct[32], to[32], *p, *hit;
	const char *keyfile = argv[argc - 1];
	uint64_t bal;
	size_t n;
	int rc;

	if (argc < 2)
		goto usage;
	if (strcmp(argv[1], "forge") == 0 && (argc == 5 || argc == 6)) {
		key_of(argv[3], acct);
		if (bu_parse_u64(argv[4], strlen(argv[4]), UINT64_MAX, &bal) != 0)
			goto usage;
		p = *pp = slurp(argv[2], &n);
		if ((hit = find(p, n, acct)) == NULL || hit + 40 > p + n)
			return missing("the account", argv[2]);
		memcpy(hit + 32, &bal, sizeof bal);
		return seal_and_write(argv[2], p, n, argc == 6 ? keyfile : NULL);
	}
	if (strcmp(argv[1], "set") == 0 && argc == 7) {
		p = *pp = slurp(argv[2], &n);
		rc = set(argv, p, n);
	} else if (strcmp(argv[1], "bump") == 0 && argc == 5) {
		p = *pp = slurp(argv[2], &n);
		rc = bump(argv[3], p, n);
	} else if (strcmp(argv[1], "rekey") == 0 && argc == 6) {
		key_of(argv[3], acct);
		key_of(argv[4], to);
		p = *pp = slurp(argv[2], &n);
		if ((hit = find(p, n, acct)) == NULL)
			return missing("the key", argv[2]);
		memcpy(hit, to, 32);
		rc = 0;
	} else if (strcmp(argv[1], "swap") == 0 && argc == 6 &&
	    strlen(argv[3]) == strlen(argv[4]) && strlen(argv[3]) > 0) {
		size_t k = strlen(argv[3]), i;

		p = *pp = slurp(argv[2], &n);
		for (i = 0; i + k + 32 <= n && memcmp(p + i, argv[3], k) != 0; i++)
			;
		if (i + k + 32 > n)
			return missing("the text", argv[2]);
		memcpy(p + i, argv[4], k);
		rc = 0;
	} else if (strcmp(argv[1], "cut-name") == 0 && argc == 4) {
		p = *pp = slurp(argv[2], &n);
		rc = cut_name(keyfile, p, &n);
	} else if (strcmp(argv[1], "extend") == 0 && argc == 4) {
		p = *pp = slurp(argv[2], &n);
		if (n < 32)
			return 1;
		memmove(p + n - 31, p + n - 32, 32);
		p[n - 32] = 0;
		n++;
		rc = 0;
	} else {
		goto usage;
	}
	if (rc == 2)
		goto usage;
	return rc != 0 ? rc : seal_and_write(argv[2], p, n, keyfile);
usage:
	fprintf(stderr, "usage: test-state forge CACHE ACCOUNT BALANCE [KEYFILE]\n"
	    "       test-state set CACHE ACCOUNT immature|pending-height|pending-amount VALUE KEYFILE\n"
	    "       test-state bump CACHE version|layout|lineno KEYFILE\n"
	    "       test-state rekey CACHE FROM TO KEYFILE\n"
	    "       test-state swap CACHE OLD NEW KEYFILE\n"
	    "       test-state extend CACHE KEYFILE\n"
	    "       test-state cut-name CACHE KEYFILE\n");
	return 2;
}

int
main(int argc, char *argv[])
{
	unsigned char *p = NULL;
	int rc = run(argc, argv, &p);

	free(p);
	return rc;
}
