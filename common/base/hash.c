/*
 * hash.c: SHA-256 on the SHA instructions where the CPU has them, else
 * through libcrypto's EVP interface (in portable C if that fails); HMAC,
 * randomness, wiping
 */
#include "hash_int.h"

#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "grind_int.h"

static pthread_once_t once = PTHREAD_ONCE_INIT, evp_once = PTHREAD_ONCE_INIT;
static int use_shani;
static EVP_MD *md;		/* fetched once: no per-call lookup */
static pthread_key_t ctx_key;	/* frees a thread's context when it ends */
static int have_key;
static _Thread_local EVP_MD_CTX *ctx;

static void
ctx_free(void *p)
{
	EVP_MD_CTX_free(p);
}

/* The SHA instructions unless the CPU lacks them or BLOCKUTILS_KERNEL names another kernel. */
static void
setup(void)
{
	const char *k = getenv("BLOCKUTILS_KERNEL");

	use_shani = hash_shani_ok() && (k == NULL || *k == '\0' || strcmp(k, "sha-ni") == 0);
}

/* The EVP path's digest and key, made only when a process first takes that path. */
static void
setup_evp(void)
{
	md = EVP_MD_fetch(NULL, "SHA256", NULL);
	have_key = pthread_key_create(&ctx_key, ctx_free) == 0;
}

int
hash_uses_shani(void)
{
	return pthread_once(&once, setup) == 0 && use_shani;
}

/* This thread's context, made at its first hash; NULL if libcrypto cannot make one. */
static EVP_MD_CTX *
thread_ctx(void)
{
	if (ctx == NULL && md != NULL && have_key && (ctx = EVP_MD_CTX_new()) != NULL &&
	    pthread_setspecific(ctx_key, ctx) != 0) {
		EVP_MD_CTX_free(ctx);
		ctx = NULL;
	}
	return ctx;
}

/* One 64-byte block into the state, in portable C. */
static void
c_block(uint32_t st[8], const unsigned char *p)
{
	uint32_t w[16];

	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		    (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	grind_compress(st, w);
}

void
hash_c_parts(const struct hash_part *parts, size_t n, unsigned char out[32])
{
	uint32_t st[8];
	unsigned char buf[128];
	uint64_t len = 0;
	size_t have = 0, i, k;

	memcpy(st, grind_iv, sizeof st);
	for (i = 0; i < n; i++) {
		const unsigned char *p = parts[i].p;

		len += parts[i].n;
		for (k = 0; k < parts[i].n; k++) {
			buf[have++] = p[k];
			if (have == 64) {
				c_block(st, buf);
				have = 0;
			}
		}
	}
	buf[have++] = 0x80;
	k = have <= 56 ? 64 : 128;
	memset(buf + have, 0, k - have);
	for (i = 0; i < 8; i++)
		buf[k - 1 - i] = (unsigned char)((len << 3) >> (8 * i));
	c_block(st, buf);
	if (k == 128)
		c_block(st, buf + 64);
	for (i = 0; i < 8; i++) {
		out[4 * i] = (unsigned char)(st[i] >> 24);
		out[4 * i + 1] = (unsigned char)(st[i] >> 16);
		out[4 * i + 2] = (unsigned char)(st[i] >> 8);
		out[4 * i + 3] = (unsigned char)st[i];
	}
}

/*
 * Through EVP; when libcrypto cannot give this thread a context (out of
 * memory), in portable C: a digest is never missing and never made up.
 */
void
hash_evp_parts(const struct hash_part *parts, size_t n, unsigned char out[32])
{
	EVP_MD_CTX *c;
	unsigned int len = 0;
	size_t i;

	if (pthread_once(&evp_once, setup_evp) != 0 || (c = thread_ctx()) == NULL || EVP_DigestInit_ex2(c, md, NULL) != 1)
		goto portable;
	for (i = 0; i < n; i++)
		if (EVP_DigestUpdate(c, parts[i].p, parts[i].n) != 1)
			goto portable;
	if (EVP_DigestFinal_ex(c, out, &len) == 1 && len == 32)
		return;
portable:
	hash_c_parts(parts, n, out);
}

void
sha256(const void *data, size_t len, unsigned char out[32])
{
	struct hash_part p = { data, len };

	if (hash_uses_shani())
		hash_shani(data, len, out);
	else
		hash_evp_parts(&p, 1, out);
}

void
sha256d(const void *data, size_t len, unsigned char out[32])
{
	unsigned char first[32];

	sha256(data, len, first);
	sha256(first, sizeof first, out);
}

void
sha256d_parts(const struct hash_part *parts, size_t n, unsigned char out[32])
{
	unsigned char first[32];

	if (hash_uses_shani())
		hash_shani_parts(parts, n, first);
	else
		hash_evp_parts(parts, n, first);
	sha256(first, sizeof first, out);
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
