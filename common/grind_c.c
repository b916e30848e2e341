/* grind_c.c: the portable kernel, one nonce at a time with the per-job work hoisted */
#include "grind_int.h"

#define CH(e, f, g)	((((f) ^ (g)) & (e)) ^ (g))
#define MAJ(a, b, c)	(((a) & (b)) | (((a) | (b)) & (c)))

/* One round: d and h take the new e and a; callers rotate the names. */
#define R(a, b, c, d, e, f, g, h, kw) do { \
	uint32_t t1_ = h + GRIND_S1(e) + CH(e, f, g) + (kw); \
	d += t1_; \
	h = t1_ + GRIND_S0(a) + MAJ(a, b, c); \
} while (0)
/* A round whose new a nobody reads. */
#define RE(a, b, c, d, e, f, g, h, kw) do { \
	d += h + GRIND_S1(e) + CH(e, f, g) + (kw); \
} while (0)
#define R8(i, kw) do { \
	R(a, b, c, d, e, f, g, h, (kw)[(i) + 0]); \
	R(h, a, b, c, d, e, f, g, (kw)[(i) + 1]); \
	R(g, h, a, b, c, d, e, f, (kw)[(i) + 2]); \
	R(f, g, h, a, b, c, d, e, (kw)[(i) + 3]); \
	R(e, f, g, h, a, b, c, d, (kw)[(i) + 4]); \
	R(d, e, f, g, h, a, b, c, (kw)[(i) + 5]); \
	R(c, d, e, f, g, h, a, b, (kw)[(i) + 6]); \
	R(b, c, d, e, f, g, h, a, (kw)[(i) + 7]); \
} while (0)

/* K + W for rounds 16-63 of the header's second block, the nonce in word 3. */
static void
schedule1(const struct grind_job *j, uint32_t n, uint32_t w[64])
{
	w[16] = j->w16;
	w[17] = j->w17;
	w[18] = j->w18c + GRIND_s0(n);
	w[19] = j->w19c + n;
	w[20] = GRIND_s1(w[18]) + 0x80000000;
	w[21] = GRIND_s1(w[19]);
	w[22] = GRIND_s1(w[20]) + 640;
	for (int i = 23; i < 30; i++)
		w[i] = GRIND_s1(w[i - 2]) + w[i - 7];
	w[30] = GRIND_s1(w[28]) + w[23] + GRIND_s0(640u);
	w[31] = GRIND_s1(w[29]) + w[24] + j->w31c;
	w[32] = GRIND_s1(w[30]) + w[25] + j->w32c;
	for (int i = 33; i < 64; i++)
		w[i] = GRIND_s1(w[i - 2]) + w[i - 7] + GRIND_s0(w[i - 15]) + w[i - 16];
	for (int i = 16; i < 64; i++)
		w[i] += grind_k[i];
}

/* The first hash with n as word 3 (the nonce, byte-swapped): the 8 words of the second hash's block. */
static void
hash1(const struct grind_job *j, uint32_t n, uint32_t out[8])
{
	uint32_t w[64];
	/* Named so that round 4 finds a..h where an 8-round group expects them. */
	uint32_t e = j->r3a + n, f = j->st3[0], g = j->st3[1], h = j->st3[2];
	uint32_t a = j->r3e + n, b = j->st3[4], c = j->st3[5], d = j->st3[6];

	schedule1(j, n, w);
	R(e, f, g, h, a, b, c, d, grind_kw1[4]);
	R(d, e, f, g, h, a, b, c, grind_kw1[5]);
	R(c, d, e, f, g, h, a, b, grind_kw1[6]);
	R(b, c, d, e, f, g, h, a, grind_kw1[7]);
	R8(8, grind_kw1);
	for (int i = 16; i < 64; i += 8)
		R8(i, w);
	out[0] = j->mid[0] + a;
	out[1] = j->mid[1] + b;
	out[2] = j->mid[2] + c;
	out[3] = j->mid[3] + d;
	out[4] = j->mid[4] + e;
	out[5] = j->mid[5] + f;
	out[6] = j->mid[6] + g;
	out[7] = j->mid[7] + h;
}

/* K + W for rounds 0-7 and 16-60 of the second hash of block x. */
static void
schedule2(const uint32_t x[8], uint32_t w[61])
{
	for (int i = 0; i < 8; i++)
		w[i] = x[i];
	w[16] = GRIND_s0(w[1]) + w[0];
	w[17] = GRIND_s1(256u) + GRIND_s0(w[2]) + w[1];
	for (int i = 18; i < 22; i++)
		w[i] = GRIND_s1(w[i - 2]) + GRIND_s0(w[i - 15]) + w[i - 16];
	w[22] = GRIND_s1(w[20]) + 256 + GRIND_s0(w[7]) + w[6];
	w[23] = GRIND_s1(w[21]) + w[16] + GRIND_s0(0x80000000u) + w[7];
	w[24] = GRIND_s1(w[22]) + w[17] + 0x80000000;
	for (int i = 25; i < 30; i++)
		w[i] = GRIND_s1(w[i - 2]) + w[i - 7];
	w[30] = GRIND_s1(w[28]) + w[23] + GRIND_s0(256u);
	w[31] = GRIND_s1(w[29]) + w[24] + GRIND_s0(w[16]) + 256;
	for (int i = 32; i < 61; i++)
		w[i] = GRIND_s1(w[i - 2]) + w[i - 7] + GRIND_s0(w[i - 15]) + w[i - 16];
	for (int i = 0; i < 61; i++)
		if (i < 8 || i >= 16)
			w[i] += grind_k[i];
}

/* The last state word of the second hash, from its first 61 rounds. */
static uint32_t
hash2_h7(const uint32_t x[8])
{
	uint32_t w[61];
	uint32_t a = grind_iv[0], b = grind_iv[1], c = grind_iv[2], d = grind_iv[3];
	uint32_t e = grind_iv[4], f = grind_iv[5], g = grind_iv[6], h = grind_iv[7];

	schedule2(x, w);
	R8(0, w);
	R8(8, grind_kw2);
	for (int i = 16; i < 56; i += 8)
		R8(i, w);
	R(a, b, c, d, e, f, g, h, w[56]);
	RE(h, a, b, c, d, e, f, g, w[57]);
	RE(g, h, a, b, c, d, e, f, w[58]);
	RE(f, g, h, a, b, c, d, e, w[59]);
	RE(e, f, g, h, a, b, c, d, w[60]);
	return grind_iv[7] + h;
}

static int
c_scan(const struct grind_job *j, uint32_t first, uint32_t step,
    uint32_t count, uint32_t *found)
{
	uint32_t n = first, x[8];

	for (uint32_t i = 0; i < count; i++, n += step) {
		hash1(j, __builtin_bswap32(n), x);
		if (grind_top(hash2_h7(x)) <= j->target[7] && grind_check(j, n)) {
			*found = n;
			return 1;
		}
	}
	return 0;
}

static int
c_supported(void)
{
	return 1;
}

const struct grind_kernel grind_kernel_c = { "c", c_supported, c_scan };
