/*
 * test-hash: sha256(), sha256d_parts() and their paths (the SHA
 * instructions, libcrypto's EVP, portable C) against published vectors and each other.
 *
 *     test-hash [SEED]	check; prints the seed, checks, failures
 *     test-hash --path	print the path sha256() takes here: sha-ni or evp
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash_int.h"
#include "hex.h"

static uint64_t seed = 0x5eed0510;
static unsigned long checks, failures;

static uint64_t
rnd(void)
{
	uint64_t z = (seed += 0x9e3779b97f4a7c15);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
	return z ^ (z >> 31);
}

static void
expect(const unsigned char got[32], const unsigned char want[32], const char *what, size_t len)
{
	checks++;
	if (memcmp(got, want, 32) != 0) {
		failures++;
		if (failures <= 10)
			printf("FAIL %s at length %zu\n", what, len);
	}
}

/* A published vector: SHA-256 of n repeats of s. */
static void
vector(const char *s, size_t n, const char *hex)
{
	size_t l = strlen(s), len = l * n;
	unsigned char *m = malloc(len + 1), want[32], got[32];
	struct hash_part p = { m, len };

	if (m == NULL || hex_decode(hex, want, 32) != 0) {
		puts("FAIL setup");
		exit(2);
	}
	for (size_t i = 0; i < n; i++)
		memcpy(m + i * l, s, l);
	sha256(m, len, got);
	expect(got, want, "sha256 vector", len);
	hash_evp_parts(&p, 1, got);
	expect(got, want, "evp vector", len);
	hash_c_parts(&p, 1, got);
	expect(got, want, "c vector", len);
	if (hash_shani_ok()) {
		hash_shani(m, len, got);
		expect(got, want, "sha-ni vector", len);
	}
	free(m);
}

/* Every path and every way to cut m agree with the EVP hash of m whole. */
static void
agree(const unsigned char *m, size_t len)
{
	unsigned char want[32], got[32], d1[32], d2[32];
	struct hash_part whole = { m, len }, p[3];
	size_t a = len ? (size_t)(rnd() % (len + 1)) : 0, b = a + (len > a ? rnd() % (len - a + 1) : 0);

	hash_evp_parts(&whole, 1, want);
	sha256(m, len, got);
	expect(got, want, "sha256", len);
	if (hash_shani_ok()) {
		hash_shani(m, len, got);
		expect(got, want, "sha-ni", len);
	}
	p[0] = (struct hash_part){ m, a };
	p[1] = (struct hash_part){ m + a, b - a };
	p[2] = (struct hash_part){ m + b, len - b };
	hash_evp_parts(p, 3, got);
	expect(got, want, "evp in parts", len);
	hash_c_parts(p, 3, got);
	expect(got, want, "c in parts", len);
	if (hash_shani_ok()) {
		hash_shani_parts(p, 3, got);
		expect(got, want, "sha-ni in parts", len);
	}
	sha256d(m, len, d1);
	sha256(want, 32, d2);
	expect(d1, d2, "sha256d", len);
	sha256d_parts(p, 3, d1);
	expect(d1, d2, "sha256d_parts", len);
}

int
main(int argc, char **argv)
{
	static unsigned char m[4200];

	if (argc == 2 && strcmp(argv[1], "--path") == 0) {
		puts(hash_uses_shani() ? "sha-ni" : "evp");
		return 0;
	}
	if (argc == 2)
		seed = strtoull(argv[1], NULL, 0);
	printf("seed %#" PRIx64 "\n", seed);
	if (!hash_shani_ok())
		puts("skip: this CPU has no SHA instructions; the sha-ni path is not checked");
	vector("", 1, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	vector("abc", 1, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	vector("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1,
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	vector("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
	    "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu", 1,
	    "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
	vector("a", 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	for (size_t i = 0; i < sizeof m; i++)
		m[i] = (unsigned char)rnd();
	for (size_t len = 0; len <= sizeof m; len++)
		agree(m, len);
	for (int i = 0; i < 2000; i++)
		agree(m, (size_t)(rnd() % (sizeof m + 1)));
	printf("checks %lu failures %lu\n", checks, failures);
	return failures != 0;
}
