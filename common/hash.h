/* hash.h: double SHA-256 through libcrypto */
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

#endif
