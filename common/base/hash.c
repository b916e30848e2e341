/* hash.c: SHA-256 with libcrypto's low-level interface (no per-call fetch), HMAC, randomness */
#define OPENSSL_SUPPRESS_DEPRECATED
#include "hash.h"

#include <limits.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

void
sha256(const void *data, size_t len, unsigned char out[32])
{
	SHA256_CTX c;

	SHA256_Init(&c);
	SHA256_Update(&c, data, len);
	SHA256_Final(out, &c);
}

void
sha256d(const void *data, size_t len, unsigned char out[32])
{
	unsigned char once[32];

	sha256(data, len, once);
	sha256(once, sizeof once, out);
}

void
sha256d_parts(const struct hash_part *parts, size_t n, unsigned char out[32])
{
	unsigned char once[32];
	SHA256_CTX c;
	size_t i;

	SHA256_Init(&c);
	for (i = 0; i < n; i++)
		SHA256_Update(&c, parts[i].p, parts[i].n);
	SHA256_Final(once, &c);
	sha256(once, sizeof once, out);
}

int
hmac_sha256(const void *key, size_t keylen, const void *data, size_t len,
    unsigned char out[32])
{
	unsigned int n = 0;

	if (keylen > INT_MAX)
		return -1;
	return HMAC(EVP_sha256(), key, (int)keylen, data, len, out, &n) != NULL && n == 32 ?
	    0 : -1;
}

int
random_bytes(void *p, size_t n)
{
	return n <= INT_MAX && RAND_bytes(p, (int)n) == 1 ? 0 : -1;
}

void
mem_wipe(void *p, size_t n)
{
	OPENSSL_cleanse(p, n);
}
