/* grind_avx512.c: the AVX-512 kernel, sixteen lanes, rotates and three-input logic in one op */
#include <string.h>

#include "grind_int.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define LANES	16
typedef __m512i V;

#define VFN	__attribute__((target("avx512f,avx512bw,avx512vl")))
#define V_SET1(x)	_mm512_set1_epi32((int)(x))
#define V_ADD(a, b)	_mm512_add_epi32(a, b)
#define V_ROR(x, n)	_mm512_ror_epi32(x, n)
#define V_SHR(x, n)	_mm512_srli_epi32(x, n)
#define V_XOR3(a, b, c)	_mm512_ternarylogic_epi32(a, b, c, 0x96)
#define V_CH(e, f, g)	_mm512_ternarylogic_epi32(e, f, g, 0xca)
#define V_MAJ(a, b, c)	_mm512_ternarylogic_epi32(a, b, c, 0xe8)
#define V_BSWAP(x)	_mm512_shuffle_epi8(x, _mm512_set4_epi32( \
			    0x0c0d0e0f, 0x08090a0b, 0x04050607, 0x00010203))
#define V_LOAD(v, p)	((v) = _mm512_loadu_si512((const void *)(p)))
#define V_STORE(p, v)	_mm512_storeu_si512((void *)(p), v)
#define V_MASK_LEQ(p, t)	((uint32_t)_mm512_cmple_epu32_mask(*(p), V_SET1(t)))

#include "grind_vec.h"

const struct grind_kernel grind_kernel_avx512 = {
	.name = "avx512", .supported = grind_cpu_avx512, .scan = vec_scan,
	.hash80 = vec_hash80, .compress_n = vec_compress_n, .lanes = LANES,
};
#endif
