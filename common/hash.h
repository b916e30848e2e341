/* hash.h: double SHA-256 through libcrypto */
#ifndef HASH_H
#define HASH_H

#include <stddef.h>

void sha256d(const void *data, size_t len, unsigned char out[32]);
void sha256(const void *data, size_t len, unsigned char out[32]);

#endif
