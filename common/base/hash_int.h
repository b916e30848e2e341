/* hash_int.h: hash.c's SHA-256 paths, for hash.c and its test helper only */
#ifndef HASH_INT_H
#define HASH_INT_H

#include <stddef.h>

#include "hash.h"

/* 1 if this CPU has the SHA instructions hash_shani needs. */
int hash_shani_ok(void);
/* SHA-256 of len bytes (of the parts one after another) on the SHA instructions; only where hash_shani_ok(). */
void hash_shani(const void *data, size_t len, unsigned char out[32]);
void hash_shani_parts(const struct hash_part *parts, size_t n, unsigned char out[32]);
/* The same through libcrypto's EVP interface (any CPU; in C when libcrypto fails). */
void hash_evp_parts(const struct hash_part *parts, size_t n, unsigned char out[32]);
/* The same in portable C, what the EVP path falls back to. */
void hash_c_parts(const struct hash_part *parts, size_t n, unsigned char out[32]);
/* 1 if sha256() takes the SHA instructions' path here (CPU and BLOCKUTILS_KERNEL). */
int hash_uses_shani(void);

#endif
