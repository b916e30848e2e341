/* grind_int.h: what the grind kernels share and callers need not see */
#ifndef GRIND_INT_H
#define GRIND_INT_H

#include <stdint.h>

#include "grind.h"

#define GRIND_ROR(x, n)	(((x) >> (n)) | ((x) << (32 - (n))))
#define GRIND_S0(x)	(GRIND_ROR(x, 2) ^ GRIND_ROR(x, 13) ^ GRIND_ROR(x, 22))
#define GRIND_S1(x)	(GRIND_ROR(x, 6) ^ GRIND_ROR(x, 11) ^ GRIND_ROR(x, 25))
#define GRIND_s0(x)	(GRIND_ROR(x, 7) ^ GRIND_ROR(x, 18) ^ ((x) >> 3))
#define GRIND_s1(x)	(GRIND_ROR(x, 17) ^ GRIND_ROR(x, 19) ^ ((x) >> 10))

extern const uint32_t grind_k[64];
extern const uint32_t grind_iv[8];
/* K + W for rounds 4-15 of the header's second block and 8-15 of the second hash. */
extern const uint32_t grind_kw1[16];
extern const uint32_t grind_kw2[16];

/* One SHA-256 compression of a block of sixteen big-endian words, in portable C. */
void grind_compress(uint32_t s[8], const uint32_t block[16]);
/* 1 if nonce's double hash is <= the job's target (the slow, exact check). */
int grind_check(const struct grind_job *, uint32_t nonce);
/* The hash's most significant 32 bits, from its last state word. */
static inline uint32_t
grind_top(uint32_t h7)
{
	return __builtin_bswap32(h7);
}

int grind_cpu_sha(void);
int grind_cpu_avx2(void);
int grind_cpu_avx512(void);

extern const struct grind_kernel grind_kernel_c;
extern const struct grind_kernel grind_kernel_shani;
extern const struct grind_kernel grind_kernel_avx2;
extern const struct grind_kernel grind_kernel_avx512;

#endif
