/* grind_shani.c: the SHA-NI kernel, several nonces interleaved to hide sha256rnds2's latency */
#include "grind_int.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#ifndef NS
#define NS	2	/* streams in flight */
#endif
#define SFN	__attribute__((target("sha,sse4.1,ssse3"), always_inline)) inline
#define UNROLL	_Pragma("GCC unroll 16")

typedef __m128i X;

/* What a scan needs from the job, as the SHA instructions want it. */
struct shani_job {
	X abef3, cdgh3;		/* state before round 4, less the nonce in a and e */
	X m0;			/* words 0-3 of the second block, less the nonce */
	X mid_abef, mid_cdgh;
	X kw[4];		/* K + W for rounds 4-15 (kw[0] unused) */
};

static SFN X
ld(const uint32_t *p)
{
	return _mm_loadu_si128((const X *)(const void *)p);
}

static SFN void
to_abef(const uint32_t s[8], X *abef, X *cdgh)
{
	X abcd = _mm_shuffle_epi32(ld(s), 0xb1), efgh = _mm_shuffle_epi32(ld(s + 4), 0x1b);

	*abef = _mm_alignr_epi8(abcd, efgh, 8);
	*cdgh = _mm_blend_epi16(efgh, abcd, 0xf0);
}

static SFN void
shani_setup(const struct grind_job *j, struct shani_job *sj)
{
	uint32_t s[8] = {
		j->r3a, j->st3[0], j->st3[1], j->st3[2], j->r3e, j->st3[4], j->st3[5], j->st3[6]
	};

	to_abef(s, &sj->abef3, &sj->cdgh3);
	to_abef(j->mid, &sj->mid_abef, &sj->mid_cdgh);
	sj->m0 = ld(j->w);
	for (int g = 1; g < 4; g++)
		sj->kw[g] = ld(grind_kw1 + 4 * g);
}

/* Two rounds on each stream, then two more with the high words of kw. */
static SFN void
rnds4(X abef[NS], X cdgh[NS], const X kw[NS])
{
	UNROLL
	for (int s = 0; s < NS; s++)
		cdgh[s] = _mm_sha256rnds2_epu32(cdgh[s], abef[s], kw[s]);
	UNROLL
	for (int s = 0; s < NS; s++)
		abef[s] = _mm_sha256rnds2_epu32(abef[s], cdgh[s], _mm_shuffle_epi32(kw[s], 0x0e));
}

static SFN void
rnds4c(X abef[NS], X cdgh[NS], X kw)
{
	X k[NS];

	UNROLL
	for (int s = 0; s < NS; s++)
		k[s] = kw;
	rnds4(abef, cdgh, k);
}

/* The next four schedule words from the last sixteen, m[0] oldest; shifts m. */
static SFN X
sched(X m[4])
{
	X n = _mm_sha256msg2_epu32(_mm_add_epi32(_mm_sha256msg1_epu32(m[0], m[1]),
	    _mm_alignr_epi8(m[3], m[2], 4)), m[3]);

	m[0] = m[1];
	m[1] = m[2];
	m[2] = m[3];
	m[3] = n;
	return n;
}

/* Rounds 16..last+3 of a block whose first sixteen words are in m. */
static SFN void
rounds_from16(X abef[NS], X cdgh[NS], X m[NS][4], int groups)
{
	UNROLL
	for (int g = 4; g < 4 + groups; g++) {
		X kw[NS];

		UNROLL
		for (int s = 0; s < NS; s++)
			kw[s] = _mm_add_epi32(sched(m[s]), ld(grind_k + 4 * g));
		rnds4(abef, cdgh, kw);
	}
}

/* The first hash of NS nonces (word 3 byte-swapped in nw), as the second block's words. */
static SFN void
hash1(const struct shani_job *sj, const uint32_t nw[NS], X abef[NS], X cdgh[NS])
{
	X m[NS][4];

	UNROLL
	for (int s = 0; s < NS; s++) {
		abef[s] = _mm_add_epi32(sj->abef3, _mm_set_epi32((int)nw[s], 0, (int)nw[s], 0));
		cdgh[s] = sj->cdgh3;
		m[s][0] = _mm_add_epi32(sj->m0, _mm_set_epi32((int)nw[s], 0, 0, 0));
		m[s][1] = _mm_set_epi32(0, 0, 0, (int)0x80000000);
		m[s][2] = _mm_setzero_si128();
		m[s][3] = _mm_set_epi32(640, 0, 0, 0);
	}
	for (int g = 1; g < 4; g++)
		rnds4c(abef, cdgh, sj->kw[g]);
	rounds_from16(abef, cdgh, m, 12);
	UNROLL
	for (int s = 0; s < NS; s++) {
		abef[s] = _mm_add_epi32(abef[s], sj->mid_abef);
		cdgh[s] = _mm_add_epi32(cdgh[s], sj->mid_cdgh);
	}
}

/* ABEF/CDGH back to words a-d and e-h. */
static SFN void
from_abef(X abef, X cdgh, X *abcd, X *efgh)
{
	X feba = _mm_shuffle_epi32(abef, 0x1b), hgdc = _mm_shuffle_epi32(cdgh, 0xb1);

	*abcd = _mm_blend_epi16(feba, hgdc, 0xf0);
	*efgh = _mm_alignr_epi8(hgdc, feba, 8);
}

/* The second hash's last state word for each stream, from its first 62 rounds. */
static SFN void
hash2_h7(X abef[NS], X cdgh[NS], uint32_t h7[NS])
{
	static const uint32_t iv_abef[4] = { 0x9b05688c, 0x510e527f, 0xbb67ae85, 0x6a09e667 };
	static const uint32_t iv_cdgh[4] = { 0x5be0cd19, 0x1f83d9ab, 0xa54ff53a, 0x3c6ef372 };
	X m[NS][4], kw[NS];

	UNROLL
	for (int s = 0; s < NS; s++) {
		from_abef(abef[s], cdgh[s], &m[s][0], &m[s][1]);
		m[s][2] = _mm_set_epi32(0, 0, 0, (int)0x80000000);
		m[s][3] = _mm_set_epi32(256, 0, 0, 0);
		abef[s] = ld(iv_abef);
		cdgh[s] = ld(iv_cdgh);
	}
	for (int g = 0; g < 2; g++) {
		UNROLL
		for (int s = 0; s < NS; s++)
			kw[s] = _mm_add_epi32(m[s][g], ld(grind_k + 4 * g));
		rnds4(abef, cdgh, kw);
	}
	for (int g = 2; g < 4; g++)
		rnds4c(abef, cdgh, ld(grind_kw2 + 4 * g));
	rounds_from16(abef, cdgh, m, 11);
	UNROLL
	for (int s = 0; s < NS; s++) {
		X k = _mm_add_epi32(sched(m[s]), ld(grind_k + 60));

		abef[s] = _mm_sha256rnds2_epu32(cdgh[s], abef[s], k);
		h7[s] = (uint32_t)_mm_cvtsi128_si32(abef[s]) + grind_iv[7];
	}
}

__attribute__((target("sha,sse4.1,ssse3")))
static int
shani_scan(const struct grind_job *j, uint32_t first, uint32_t step,
    uint32_t count, uint32_t *found)
{
	struct shani_job sj;

	shani_setup(j, &sj);
	for (uint64_t done = 0; done < count; done += NS) {
		uint32_t nw[NS], h7[NS];
		X abef[NS], cdgh[NS];

		UNROLL
		for (int s = 0; s < NS; s++)
			nw[s] = __builtin_bswap32(first + (uint32_t)(done + s) * step);
		hash1(&sj, nw, abef, cdgh);
		hash2_h7(abef, cdgh, h7);
		for (int s = 0; s < NS && done + s < count; s++) {
			uint32_t nonce = first + (uint32_t)(done + s) * step;

			if (grind_top(h7[s]) <= j->target[7] && grind_check(j, nonce)) {
				*found = nonce;
				return 1;
			}
		}
	}
	return 0;
}

/* One whole compression of each stream's block m (big-endian words), onto its state. */
static SFN void
compress(X abef[NS], X cdgh[NS], X m[NS][4])
{
	X a0[NS], c0[NS], kw[NS];

	UNROLL
	for (int s = 0; s < NS; s++) {
		a0[s] = abef[s];
		c0[s] = cdgh[s];
	}
	for (int g = 0; g < 4; g++) {
		UNROLL
		for (int s = 0; s < NS; s++)
			kw[s] = _mm_add_epi32(m[s][g], ld(grind_k + 4 * g));
		rnds4(abef, cdgh, kw);
	}
	rounds_from16(abef, cdgh, m, 12);
	UNROLL
	for (int s = 0; s < NS; s++) {
		abef[s] = _mm_add_epi32(abef[s], a0[s]);
		cdgh[s] = _mm_add_epi32(cdgh[s], c0[s]);
	}
}

/* NS headers (the last repeated past n) to their double hashes. */
static SFN void
hash80_ns(const unsigned char *hdr, size_t n, unsigned char *out)
{
	static const uint32_t iv_abef[4] = { 0x9b05688c, 0x510e527f, 0xbb67ae85, 0x6a09e667 };
	static const uint32_t iv_cdgh[4] = { 0x5be0cd19, 0x1f83d9ab, 0xa54ff53a, 0x3c6ef372 };
	const X bswap = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3);
	X abef[NS], cdgh[NS], m[NS][4];

	UNROLL
	for (int s = 0; s < NS; s++) {
		const unsigned char *p = hdr + 80 * ((size_t)s < n ? (size_t)s : 0);

		for (int g = 0; g < 4; g++)
			m[s][g] = _mm_shuffle_epi8(_mm_loadu_si128((const X *)(const void *)(p + 16 * g)), bswap);
		abef[s] = ld(iv_abef);
		cdgh[s] = ld(iv_cdgh);
	}
	compress(abef, cdgh, m);
	UNROLL
	for (int s = 0; s < NS; s++) {
		const unsigned char *p = hdr + 80 * ((size_t)s < n ? (size_t)s : 0);

		m[s][0] = _mm_shuffle_epi8(_mm_loadu_si128((const X *)(const void *)(p + 64)), bswap);
		m[s][1] = _mm_set_epi32(0, 0, 0, (int)0x80000000);
		m[s][2] = _mm_setzero_si128();
		m[s][3] = _mm_set_epi32(640, 0, 0, 0);
	}
	compress(abef, cdgh, m);
	UNROLL
	for (int s = 0; s < NS; s++) {
		from_abef(abef[s], cdgh[s], &m[s][0], &m[s][1]);
		m[s][2] = _mm_set_epi32(0, 0, 0, (int)0x80000000);
		m[s][3] = _mm_set_epi32(256, 0, 0, 0);
		abef[s] = ld(iv_abef);
		cdgh[s] = ld(iv_cdgh);
	}
	compress(abef, cdgh, m);
	for (int s = 0; s < NS && (size_t)s < n; s++) {
		X abcd, efgh;

		from_abef(abef[s], cdgh[s], &abcd, &efgh);
		_mm_storeu_si128((X *)(void *)(out + 32 * s), _mm_shuffle_epi8(abcd, bswap));
		_mm_storeu_si128((X *)(void *)(out + 32 * s + 16), _mm_shuffle_epi8(efgh, bswap));
	}
}

__attribute__((target("sha,sse4.1,ssse3")))
static void
shani_hash80(const unsigned char *hdr, size_t n, unsigned char *out)
{
	for (size_t done = 0; done < n; done += NS)
		hash80_ns(hdr + 80 * done, n - done, out + 32 * done);
}

__attribute__((target("sha,sse4.1,ssse3")))
static void
shani_compress_n(uint64_t n, uint32_t *out)
{
	X abef[NS], cdgh[NS], m[NS][4], blk[NS][4], acc = _mm_setzero_si128();

	for (int s = 0; s < NS; s++)
		for (int g = 0; g < 4; g++)
			blk[s][g] = _mm_set_epi32(4 * g + s, (int)(0x9e3779b9u * (unsigned)g), s, g);
	/* Independent blocks (as the nonces of a scan are): a counter in word 0, the results summed. */
	for (uint64_t k = 0; k < n; k++) {
		for (int s = 0; s < NS; s++) {
			blk[s][0] = _mm_add_epi32(blk[s][0], _mm_set_epi32(0, 0, 0, 1));
			for (int g = 0; g < 4; g++)
				m[s][g] = blk[s][g];
			abef[s] = _mm_set_epi32(0x6a09e667, (int)0xbb67ae85, 0x510e527f, (int)0x9b05688c);
			cdgh[s] = _mm_set_epi32(0x3c6ef372, (int)0xa54ff53a, 0x1f83d9ab, 0x5be0cd19);
		}
		compress(abef, cdgh, m);
		for (int s = 0; s < NS; s++)
			acc = _mm_add_epi32(acc, abef[s]);
	}
	*out = (uint32_t)_mm_cvtsi128_si32(acc);
}

const struct grind_kernel grind_kernel_shani = {
	.name = "sha-ni", .supported = grind_cpu_sha, .scan = shani_scan,
	.hash80 = shani_hash80, .compress_n = shani_compress_n, .lanes = NS,
};
#endif
