/*
 * bench-base: the baselines of the benchmarks, measured in the same run.
 *
 *	bench-base ed25519 [seconds]	Ed25519 verifications a second on one thread,
 *					straight through libcrypto (EVP), a key made
 *					from its 32 bytes each time as a new account
 *					needs; messages of a transfer's length
 *	bench-base inflate file		zlib's inflate of file on one thread:
 *					"bytes/s lines/s"
 *	bench-base read file		read(2) of file in 256 KiB pieces, and
 *					its lines found: "bytes/s lines/s", what
 *					any reader of it pays first
 */
#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <zlib.h>

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

#define NKEYS 64

static int
ed25519(double seconds)
{
	unsigned char pub[NKEYS][32], sig[NKEYS][64], msg[NKEYS][240];
	uint64_t done = 0;
	double t0, t;

	for (int i = 0; i < NKEYS; i++) {
		EVP_PKEY *k = NULL;
		EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);
		EVP_MD_CTX *m = EVP_MD_CTX_new();
		size_t pl = 32, sl = 64;

		for (size_t j = 0; j < sizeof msg[i]; j++)
			msg[i][j] = (unsigned char)(i * 7 + j);
		if (c == NULL || m == NULL || EVP_PKEY_keygen_init(c) != 1 ||
		    EVP_PKEY_keygen(c, &k) != 1 || EVP_PKEY_get_raw_public_key(k, pub[i], &pl) != 1 ||
		    EVP_DigestSignInit(m, NULL, NULL, NULL, k) != 1 ||
		    EVP_DigestSign(m, sig[i], &sl, msg[i], sizeof msg[i]) != 1)
			errx(3, "Ed25519 signing failed");
		EVP_MD_CTX_free(m);
		EVP_PKEY_free(k);
		EVP_PKEY_CTX_free(c);
	}
	t0 = now();
	do {
		for (int i = 0; i < NKEYS; i++) {
			EVP_PKEY *k = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub[i], 32);
			EVP_MD_CTX *m = EVP_MD_CTX_new();

			if (k == NULL || m == NULL || EVP_DigestVerifyInit(m, NULL, NULL, NULL, k) != 1 ||
			    EVP_DigestVerify(m, sig[i], 64, msg[i], sizeof msg[i]) != 1)
				errx(3, "Ed25519 verification failed");
			EVP_MD_CTX_free(m);
			EVP_PKEY_free(k);
		}
		done += NKEYS;
	} while ((t = now() - t0) < seconds);
	printf("%.0f\n", done / t);
	return 0;
}

static int
inflate_file(const char *path)
{
	gzFile f = gzopen(path, "rb");
	static unsigned char buf[1 << 18];
	uint64_t bytes = 0, lines = 0;
	double t0 = now(), t;
	int n;

	if (f == NULL)
		err(3, "%s", path);
	gzbuffer(f, 1 << 18);
	while ((n = gzread(f, buf, sizeof buf)) > 0) {
		bytes += (uint64_t)n;
		for (unsigned char *p = buf; (p = memchr(p, '\n', (size_t)(buf + n - p))) != NULL; p++)
			lines++;
	}
	if (n < 0)
		errx(1, "%s: corrupt gzip data", path);
	gzclose(f);
	t = now() - t0;
	printf("%.0f %.0f\n", bytes / t, lines / t);
	return 0;
}

static int
read_file(const char *path)
{
	static char buf[1 << 18];
	uint64_t bytes = 0, lines = 0;
	double t0 = now(), t;
	FILE *f = fopen(path, "rb");
	ssize_t n;

	if (f == NULL)
		err(3, "%s", path);
	while ((n = read(fileno(f), buf, sizeof buf)) > 0) {
		bytes += (uint64_t)n;
		for (char *p = buf; (p = memchr(p, '\n', (size_t)(buf + n - p))) != NULL; p++)
			lines++;
	}
	if (n < 0)
		err(3, "%s", path);
	fclose(f);
	t = now() - t0;
	printf("%.0f %.0f\n", bytes / t, lines / t);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "ed25519") == 0)
		return ed25519(argc > 2 ? atof(argv[2]) : 1.0);
	if (argc == 3 && strcmp(argv[1], "inflate") == 0)
		return inflate_file(argv[2]);
	if (argc == 3 && strcmp(argv[1], "read") == 0)
		return read_file(argv[2]);
	fprintf(stderr, "usage: bench-base ed25519 [seconds] | inflate file | read file\n");
	return 2;
}
