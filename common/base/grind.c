/* grind.c: per-job precomputation, the exact check, and the choice of kernel */
#include "grind_int.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define GRIND_X86 1
#endif

const uint32_t grind_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

const uint32_t grind_iv[8] = {
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

/* K + W for the rounds whose message words are padding, less the nonce. */
const uint32_t grind_kw1[16] = {
	[4] = 0x3956c25bu + 0x80000000u, [5] = 0x59f111f1, [6] = 0x923f82a4, [7] = 0xab1c5ed5,
	[8] = 0xd807aa98, [9] = 0x12835b01, [10] = 0x243185be, [11] = 0x550c7dc3,
	[12] = 0x72be5d74, [13] = 0x80deb1fe, [14] = 0x9bdc06a7, [15] = 0xc19bf174u + 640,
};
const uint32_t grind_kw2[16] = {
	[8] = 0xd807aa98u + 0x80000000u, [9] = 0x12835b01, [10] = 0x243185be, [11] = 0x550c7dc3,
	[12] = 0x72be5d74, [13] = 0x80deb1fe, [14] = 0x9bdc06a7, [15] = 0xc19bf174u + 256,
};

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* Rounds [from, to) on state s (a..h) with message words w. */
static void
rounds(uint32_t s[8], const uint32_t w[64], int from, int to)
{
	for (int i = from; i < to; i++) {
		uint32_t e = s[4], a = s[0];
		uint32_t t1 = s[7] + GRIND_S1(e) + ((e & s[5]) ^ (~e & s[6])) + grind_k[i] + w[i];
		uint32_t t2 = GRIND_S0(a) + ((a & s[1]) ^ (a & s[2]) ^ (s[1] & s[2]));

		memmove(s + 1, s, 7 * sizeof s[0]);
		s[4] += t1;
		s[0] = t1 + t2;
	}
}

void
grind_compress(uint32_t s[8], const uint32_t block[16])
{
	uint32_t w[64], v[8];

	memcpy(w, block, 16 * sizeof w[0]);
	for (int i = 16; i < 64; i++)
		w[i] = GRIND_s1(w[i - 2]) + w[i - 7] + GRIND_s0(w[i - 15]) + w[i - 16];
	memcpy(v, s, sizeof v);
	rounds(v, w, 0, 64);
	for (int i = 0; i < 8; i++)
		s[i] += v[i];
}

static void
prepare_schedule(struct grind_job *j)
{
	const uint32_t *w = j->w;

	j->w16 = GRIND_s0(w[1]) + w[0];
	j->w17 = GRIND_s1(w[15]) + GRIND_s0(w[2]) + w[1];
	j->w18c = GRIND_s1(j->w16) + w[2];
	j->w19c = GRIND_s1(j->w17) + GRIND_s0(w[4]);
	j->w31c = GRIND_s0(j->w16) + w[15];
	j->w32c = GRIND_s0(j->w17) + j->w16;
}

/* The first three rounds of the second block, and round 3 less its nonce. */
static void
prepare_rounds(struct grind_job *j)
{
	uint32_t s[8], w[64] = { 0 };

	memcpy(w, j->w, sizeof j->w);
	memcpy(s, j->mid, sizeof s);
	rounds(s, w, 0, 3);
	memcpy(j->st3, s, sizeof s);
	uint32_t e = s[4], a = s[0];
	uint32_t t1 = s[7] + GRIND_S1(e) + ((e & s[5]) ^ (~e & s[6])) + grind_k[3];
	uint32_t t2 = GRIND_S0(a) + ((a & s[1]) ^ (a & s[2]) ^ (s[1] & s[2]));
	j->r3a = t1 + t2;
	j->r3e = s[3] + t1;
}

void
grind_prepare(struct grind_job *j, const unsigned char header[80],
    const unsigned char target[32])
{
	uint32_t w[16];

	memset(j, 0, sizeof *j);
	for (int i = 0; i < 16; i++)
		w[i] = be32(header + 4 * i);
	memcpy(j->mid, grind_iv, sizeof j->mid);
	grind_compress(j->mid, w);
	for (int i = 0; i < 3; i++)
		j->w[i] = be32(header + 64 + 4 * i);
	j->w[4] = 0x80000000;
	j->w[15] = 640;
	prepare_schedule(j);
	prepare_rounds(j);
	for (int i = 0; i < 8; i++)
		j->target[i] = le32(target + 4 * i);
}

int
grind_check(const struct grind_job *j, uint32_t nonce)
{
	uint32_t s[8], w[16], h[8];

	memcpy(w, j->w, sizeof w);
	w[3] = __builtin_bswap32(nonce);
	memcpy(s, j->mid, sizeof s);
	grind_compress(s, w);
	memset(w, 0, sizeof w);
	memcpy(w, s, sizeof s);
	w[8] = 0x80000000;
	w[15] = 256;
	memcpy(h, grind_iv, sizeof h);
	grind_compress(h, w);
	for (int i = 7; i >= 0; i--) {
		uint32_t x = grind_top(h[i]);

		if (x != j->target[i])
			return x < j->target[i];
	}
	return 1;
}

#ifdef GRIND_X86
static uint64_t
xcr0(void)
{
	uint32_t lo, hi;

	__asm__ volatile ("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return (uint64_t)hi << 32 | lo;
}

/* Leaf 7 EBX, or 0; *osx set to the OS-enabled XSAVE state (XCR0) or 0. */
static uint32_t
cpu_leaf7(uint32_t *ecx1, uint64_t *osx)
{
	unsigned a, b, c, d;

	*ecx1 = 0;
	*osx = 0;
	if (!__get_cpuid(1, &a, &b, &c, &d))
		return 0;
	*ecx1 = c;
	if (c & bit_OSXSAVE)
		*osx = xcr0();
	if (__get_cpuid_max(0, NULL) < 7)
		return 0;
	__cpuid_count(7, 0, a, b, c, d);
	return b;
}

int
grind_cpu_sha(void)
{
	uint32_t c1;
	uint64_t x;
	uint32_t b7 = cpu_leaf7(&c1, &x);

	return (b7 & bit_SHA) && (c1 & bit_SSE4_1) && (c1 & bit_SSSE3);
}

int
grind_cpu_avx2(void)
{
	uint32_t c1;
	uint64_t x;
	uint32_t b7 = cpu_leaf7(&c1, &x);

	return (b7 & bit_AVX2) && (c1 & bit_AVX) && (x & 0x6) == 0x6;
}

int
grind_cpu_avx512(void)
{
	uint32_t c1;
	uint64_t x;
	uint32_t b7 = cpu_leaf7(&c1, &x);
	uint32_t need = bit_AVX512F | bit_AVX512BW | bit_AVX512VL;

	return (b7 & need) == need && (x & 0xe6) == 0xe6;
}
#endif

static const struct grind_kernel *const kernels[] = {
#ifdef GRIND_X86
	&grind_kernel_avx512,
	&grind_kernel_shani,
	&grind_kernel_avx2,
#endif
	&grind_kernel_c,
	NULL,
};

const struct grind_kernel *const *
grind_kernels(void)
{
	return kernels;
}

const struct grind_kernel *
grind_find(const char *name)
{
	for (int i = 0; kernels[i] != NULL; i++)
		if (strcmp(kernels[i]->name, name) == 0)
			return kernels[i];
	return NULL;
}

const struct grind_kernel *
grind_best(void)
{
	const char *want = getenv("BLOCKUTILS_KERNEL");
	const struct grind_kernel *k;

	if (want != NULL && *want != '\0') {
		k = grind_find(want);
		return k != NULL && k->supported() ? k : NULL;
	}
	for (int i = 0; kernels[i] != NULL; i++)
		if (kernels[i]->supported())
			return kernels[i];
	return NULL;
}

const struct grind_kernel *
grind_hasher(void)
{
	const struct grind_kernel *k = grind_best();

	return k != NULL ? k : grind_find("c");
}
