/* grind_c.c: the portable kernel, four lanes in GNU C vectors the compiler maps to any SIMD */
#include <string.h>

#include "grind_int.h"

#define LANES	4
typedef uint32_t V __attribute__((vector_size(4 * LANES)));

#define VFN
#define VUNROLL		/* unrolled, it runs slower through SSE2 */
#define V_SET1(x)	((V){ 0 } + (x))
#define V_ADD(a, b)	((a) + (b))
#define V_ROR(x, n)	(((x) >> (n)) | ((x) << (32 - (n))))
#define V_SHR(x, n)	((x) >> (n))
#define V_XOR3(a, b, c)	((a) ^ (b) ^ (c))
#define V_AND(a, b)	((a) & (b))
#define V_XOR(a, b)	((a) ^ (b))
#define V_CH(e, f, g)	((((f) ^ (g)) & (e)) ^ (g))
#define V_MAJ(a, b, c)	(((a) & (b)) | (((a) | (b)) & (c)))
#define V_BSWAP(x)	(((x) << 24) | (((x) << 8) & 0xff0000) | (((x) >> 8) & 0xff00) | ((x) >> 24))
#define V_LOAD(v, p)	memcpy(&(v), (p), sizeof(V))
#define V_STORE(p, v)	memcpy((p), &(v), sizeof(V))
#define V_MASK_LEQ(p, t)	c_mask_leq(p, t)

static inline uint32_t
c_mask_leq(const V *x, uint32_t t)
{
	uint32_t m = 0;

	for (int l = 0; l < LANES; l++)
		m |= (uint32_t)((*x)[l] <= t) << l;
	return m;
}

#include "grind_vec.h"

static int
c_supported(void)
{
	return 1;
}

const struct grind_kernel grind_kernel_c = {
	.name = "c", .supported = c_supported, .scan = vec_scan,
	.hash80 = vec_hash80, .compress_n = vec_compress_n, .lanes = LANES,
};
