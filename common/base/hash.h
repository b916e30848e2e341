/* hash.h: SHA-256, HMAC, random bytes and wiping through libcrypto */
#ifndef HASH_H
#define HASH_H

#include <stddef.h>

/* One piece of a message hashed in pieces. */
struct hash_part {
	const void *p;
	size_t n;
};

void sha256d(const void *data, size_t len, unsigned char out[32]);
void sha256(const void *data, size_t len, unsigned char out[32]);
/* SHA256(SHA256(the parts one after another)). */
void sha256d_parts(const struct hash_part *parts, size_t n, unsigned char out[32]);
/* HMAC-SHA256 of data under key: 0, or -1 when libcrypto fails. */
int hmac_sha256(const void *key, size_t keylen, const void *data, size_t len,
    unsigned char out[32]);
/* n bytes from the system's random source: 0 or -1. */
int random_bytes(void *p, size_t n);
/* Zero memory that held a secret, in a way the compiler keeps. */
void mem_wipe(void *p, size_t n);

#endif
