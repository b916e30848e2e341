/* hex.c: hex decoding by table, and 32 digits at a time with AVX2 */
#include "hex.h"

#include <stdint.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define HEX_X86 1
#endif

/* Lower-case hex digit values; 0x10 marks every other byte. */
static const unsigned char hexval[256] = {
#define X16 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, \
	0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10
	X16, X16, X16,
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10,
	X16, X16,
	0x10, 10, 11, 12, 13, 14, 15, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10,
	X16, X16, X16, X16, X16, X16, X16, X16, X16,
#undef X16
};

static unsigned
table_some(const unsigned char *u, unsigned char *out, size_t len)
{
	unsigned bad = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned hi = hexval[u[2 * i]], lo = hexval[u[2 * i + 1]];

		bad |= hi | lo;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return bad & 0x10;
}

int
hex_decode_table(const char *s, unsigned char *out, size_t len)
{
	return table_some((const unsigned char *)s, out, len) ? -1 : 0;
}

#ifdef HEX_X86
/*
 * 32 digits: a digit is 0x30-0x39 or 0x61-0x66 (signed compares, so bytes
 * above 0x7f fail both); its value is its low nibble, plus 9 for a letter;
 * maddubs joins each pair as 16 x high + low, packus narrows to bytes.
 */
__attribute__((target("avx2")))
static int
avx2_decode(const char *s, unsigned char *out, size_t len)
{
	const __m256i d0 = _mm256_set1_epi8(0x2f), d1 = _mm256_set1_epi8(0x3a);
	const __m256i a0 = _mm256_set1_epi8(0x60), a1 = _mm256_set1_epi8(0x67);
	const __m256i low = _mm256_set1_epi8(0x0f), nine = _mm256_set1_epi8(9);
	const __m256i join = _mm256_set1_epi16(0x0110);
	__m256i bad = _mm256_setzero_si256();
	size_t i = 0;
	int rc;

	for (; i + 16 <= len; i += 16) {
		__m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(s + 2 * i));
		__m256i dig = _mm256_and_si256(_mm256_cmpgt_epi8(v, d0), _mm256_cmpgt_epi8(d1, v));
		__m256i alp = _mm256_and_si256(_mm256_cmpgt_epi8(v, a0), _mm256_cmpgt_epi8(a1, v));
		__m256i nib = _mm256_add_epi8(_mm256_and_si256(v, low), _mm256_and_si256(alp, nine));
		__m256i w = _mm256_maddubs_epi16(nib, join);
		__m256i p = _mm256_permute4x64_epi64(_mm256_packus_epi16(w, w), 0x08);

		bad = _mm256_or_si256(bad, _mm256_andnot_si256(_mm256_or_si256(dig, alp),
		    _mm256_set1_epi8(-1)));
		_mm_storeu_si128((__m128i *)(void *)(out + i), _mm256_castsi256_si128(p));
	}
	rc = _mm256_movemask_epi8(bad) != 0;
	_mm256_zeroupper();	/* GCC leaves it out under a target attribute; SSE code after pays */
	rc |= table_some((const unsigned char *)s + 2 * i, out + i, len - i) != 0;
	return rc ? -1 : 0;
}

int
hex_decode_avx2(const char *s, unsigned char *out, size_t len)
{
	if (!__builtin_cpu_supports("avx2"))
		return -2;
	return avx2_decode(s, out, len);
}

int
hex_decode(const char *s, unsigned char *out, size_t len)
{
	if (len >= 16 && __builtin_cpu_supports("avx2"))
		return avx2_decode(s, out, len);
	return hex_decode_table(s, out, len);
}
#else
int
hex_decode_avx2(const char *s, unsigned char *out, size_t len)
{
	return -2;
}

int
hex_decode(const char *s, unsigned char *out, size_t len)
{
	return hex_decode_table(s, out, len);
}
#endif
