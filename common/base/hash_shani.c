/* hash_shani.c: SHA-256 of any message on one stream of the SHA instructions */
#include "hash_int.h"

#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#include "grind_int.h"

#define SFN	__attribute__((target("sha,sse4.1,ssse3")))
#define SFNI	__attribute__((target("sha,sse4.1,ssse3"), always_inline)) inline

typedef __m128i X;

static const uint32_t iv_abef[4] = { 0x9b05688c, 0x510e527f, 0xbb67ae85, 0x6a09e667 };
static const uint32_t iv_cdgh[4] = { 0x5be0cd19, 0x1f83d9ab, 0xa54ff53a, 0x3c6ef372 };

static SFNI X
ld(const void *p)
{
	return _mm_loadu_si128((const X *)p);
}

static SFNI X
bswap(void)
{
	return _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3);
}

/* Compress n 64-byte blocks at p into the state (ABEF, CDGH form). */
static SFNI void
blocks(X *st, const unsigned char *p, size_t n)
{
	const X bs = bswap();
	X abef = st[0], cdgh = st[1];

	for (; n > 0; n--, p += 64) {
		X m[4], a0 = abef, c0 = cdgh;

		for (int g = 0; g < 4; g++)
			m[g] = _mm_shuffle_epi8(ld(p + 16 * g), bs);
		_Pragma("GCC unroll 16")
		for (int g = 0; g < 16; g++) {
			X w, kw;

			if (g < 4) {
				w = m[g];
			} else {
				w = _mm_sha256msg2_epu32(_mm_add_epi32(_mm_sha256msg1_epu32(m[0], m[1]),
				    _mm_alignr_epi8(m[3], m[2], 4)), m[3]);
				m[0] = m[1];
				m[1] = m[2];
				m[2] = m[3];
				m[3] = w;
			}
			kw = _mm_add_epi32(w, ld(grind_k + 4 * g));
			cdgh = _mm_sha256rnds2_epu32(cdgh, abef, kw);
			abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(kw, 0x0e));
		}
		abef = _mm_add_epi32(abef, a0);
		cdgh = _mm_add_epi32(cdgh, c0);
	}
	st[0] = abef;
	st[1] = cdgh;
}

/* The padded tail (the last len % 64 bytes, total len), then the digest. */
static SFNI void
finish(X *st, const unsigned char *tail, size_t n, uint64_t len, unsigned char out[32])
{
	unsigned char pad[128];
	size_t k = n < 56 ? 64 : 128;
	uint64_t bits = len << 3;
	X feba, hgdc;

	memcpy(pad, tail, n);
	pad[n] = 0x80;
	memset(pad + n + 1, 0, k - n - 1 - 8);
	for (int i = 0; i < 8; i++)
		pad[k - 1 - i] = (unsigned char)(bits >> (8 * i));
	blocks(st, pad, k / 64);
	feba = _mm_shuffle_epi32(st[0], 0x1b);
	hgdc = _mm_shuffle_epi32(st[1], 0xb1);
	_mm_storeu_si128((X *)(void *)out, _mm_shuffle_epi8(_mm_blend_epi16(feba, hgdc, 0xf0), bswap()));
	_mm_storeu_si128((X *)(void *)(out + 16),
	    _mm_shuffle_epi8(_mm_alignr_epi8(hgdc, feba, 8), bswap()));
}

SFN void
hash_shani(const void *data, size_t len, unsigned char out[32])
{
	X st[2] = { ld(iv_abef), ld(iv_cdgh) };
	const unsigned char *p = data;

	blocks(st, p, len / 64);
	finish(st, p + (len & ~(size_t)63), len % 64, len, out);
}

SFN void
hash_shani_parts(const struct hash_part *parts, size_t n, unsigned char out[32])
{
	X st[2] = { ld(iv_abef), ld(iv_cdgh) };
	unsigned char buf[64];
	size_t have = 0;
	uint64_t len = 0;

	for (size_t i = 0; i < n; i++) {
		const unsigned char *p = parts[i].p;
		size_t left = parts[i].n, k;

		len += left;
		if (have > 0) {
			k = left < 64 - have ? left : 64 - have;
			memcpy(buf + have, p, k);
			have += k;
			p += k;
			left -= k;
			if (have < 64)
				continue;
			blocks(st, buf, 1);
			have = 0;
		}
		blocks(st, p, left / 64);
		memcpy(buf, p + (left & ~(size_t)63), left % 64);
		have = left % 64;
	}
	finish(st, buf, have, len, out);
}

int
hash_shani_ok(void)
{
	return grind_cpu_sha();
}

#else

void
hash_shani(const void *data, size_t len, unsigned char out[32])
{
	(void)data;
	(void)len;
	(void)out;
}

void
hash_shani_parts(const struct hash_part *parts, size_t n, unsigned char out[32])
{
	(void)parts;
	(void)n;
	(void)out;
}

int
hash_shani_ok(void)
{
	return 0;
}

#endif
