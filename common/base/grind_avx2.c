/* grind_avx2.c: the AVX2 kernel, eight lanes of 32 bits */
#include <string.h>

#include "grind_int.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define LANES	8
typedef __m256i V;

#define VFN	__attribute__((target("avx2")))
#define V_SET1(x)	_mm256_set1_epi32((int)(x))
#define V_ADD(a, b)	_mm256_add_epi32(a, b)
#define V_ROR(x, n)	_mm256_or_si256(_mm256_srli_epi32(x, n), _mm256_slli_epi32(x, 32 - (n)))
#define V_SHR(x, n)	_mm256_srli_epi32(x, n)
#define V_XOR3(a, b, c)	_mm256_xor_si256(_mm256_xor_si256(a, b), c)
#define V_AND(a, b)	_mm256_and_si256(a, b)
#define V_XOR(a, b)	_mm256_xor_si256(a, b)
#define V_CH(e, f, g)	_mm256_xor_si256(_mm256_and_si256(_mm256_xor_si256(f, g), e), g)
#define V_MAJ(a, b, c)	_mm256_or_si256(_mm256_and_si256(a, b), \
			    _mm256_and_si256(_mm256_or_si256(a, b), c))
#define V_BSWAP(x)	_mm256_shuffle_epi8(x, _mm256_set_epi8( \
			    12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3, \
			    12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3))
#define V_LOAD(v, p)	((v) = _mm256_loadu_si256((const __m256i *)(const void *)(p)))
#define V_STORE(p, v)	_mm256_storeu_si256((__m256i *)(void *)(p), v)
#define V_MASK_LEQ(p, t)	avx2_mask_leq(p, t)

/* Unsigned x <= t is max(x, t) == t. */
static VFN inline uint32_t
avx2_mask_leq(const V *x, uint32_t t)
{
	V tv = V_SET1(t);
	V le = _mm256_cmpeq_epi32(_mm256_max_epu32(*x, tv), tv);

	return (uint32_t)_mm256_movemask_ps(_mm256_castsi256_ps(le));
}

#include "grind_vec.h"

const struct grind_kernel grind_kernel_avx2 = {
	.name = "avx2", .supported = grind_cpu_avx2, .scan = vec_scan,
	.hash80 = vec_hash80, .compress_n = vec_compress_n, .lanes = LANES,
};
#endif
