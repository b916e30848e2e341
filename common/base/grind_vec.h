/* grind_vec.h: the body of a lane-parallel kernel, included once by each vector kernel */

/*
 * The including file defines V (a vector of LANES uint32_t), VFN (the
 * attributes of every function here) and the operations V_SET1, V_ADD,
 * V_ROR, V_SHR, V_XOR3, V_CH, V_MAJ, V_BSWAP, V_LOAD (v from LANES words),
 * V_STORE (v to LANES words), optionally V_AND and V_XOR, and V_MASK_LEQ (a bit per lane whose word is
 * <= a scalar); VUNROLL may be defined empty where unrolling the loops does
 * not pay. The kernel's scan is vec_scan, its batch hash vec_hash80.
 */
#define VS0(x)	V_XOR3(V_ROR(x, 2), V_ROR(x, 13), V_ROR(x, 22))
#define VS1(x)	V_XOR3(V_ROR(x, 6), V_ROR(x, 11), V_ROR(x, 25))
#define Vs0(x)	V_XOR3(V_ROR(x, 7), V_ROR(x, 18), V_SHR(x, 3))
#define Vs1(x)	V_XOR3(V_ROR(x, 17), V_ROR(x, 19), V_SHR(x, 10))
#define VC(x)	V_SET1((uint32_t)(x))
#ifndef VUNROLL
#define VUNROLL	_Pragma("GCC unroll 64")	/* straight-line rounds keep the state in registers */
#endif

#ifdef V_AND	/* with V_XOR, where Maj is not one instruction */
/*
 * Maj(a, b, c) = b ^ ((a ^ b) & (b ^ c)), and this round's b ^ c is the
 * round before's a ^ b: three operations where V_MAJ takes four. A
 * function of rounds starts with VMAJ_INIT(b, c) of its first round.
 */
#define VMAJ_INIT(b, c)	V bc_ = V_XOR(b, c)
#define VR(a, b, c, d, e, f, g, h, kw) do { \
	V t1_ = V_ADD(V_ADD(h, (kw)), V_ADD(VS1(e), V_CH(e, f, g))); \
	V ab_ = V_XOR(a, b); \
	d = V_ADD(d, t1_); \
	h = V_ADD(t1_, V_ADD(VS0(a), V_XOR(b, V_AND(ab_, bc_)))); \
	bc_ = ab_; \
} while (0)
#else
#define VMAJ_INIT(b, c)	do { } while (0)
#define VR(a, b, c, d, e, f, g, h, kw) do { \
	V t1_ = V_ADD(V_ADD(h, (kw)), V_ADD(VS1(e), V_CH(e, f, g))); \
	d = V_ADD(d, t1_); \
	h = V_ADD(t1_, V_ADD(VS0(a), V_MAJ(a, b, c))); \
} while (0)
#endif
#define VRE(a, b, c, d, e, f, g, h, kw) do { \
	d = V_ADD(V_ADD(d, V_ADD(h, (kw))), V_ADD(VS1(e), V_CH(e, f, g))); \
} while (0)
/* Eight rounds from i; KW(n) gives round n's K + W. */
#define VR8(i, KW) do { \
	VR(a, b, c, d, e, f, g, h, KW((i) + 0)); \
	VR(h, a, b, c, d, e, f, g, KW((i) + 1)); \
	VR(g, h, a, b, c, d, e, f, KW((i) + 2)); \
	VR(f, g, h, a, b, c, d, e, KW((i) + 3)); \
	VR(e, f, g, h, a, b, c, d, KW((i) + 4)); \
	VR(d, e, f, g, h, a, b, c, KW((i) + 5)); \
	VR(c, d, e, f, g, h, a, b, KW((i) + 6)); \
	VR(b, c, d, e, f, g, h, a, KW((i) + 7)); \
} while (0)
#define KW_W(n)		kw[n]
#define KW_1(n)		VC(grind_kw1[n])
#define KW_2(n)		VC(grind_kw2[n])

#define VSCHED(i) \
	(w[i] = V_ADD(V_ADD(Vs1(w[(i) - 2]), w[(i) - 7]), V_ADD(Vs0(w[(i) - 15]), w[(i) - 16])))

/* K + W for rounds 16-63 of the header's second block; nw is word 3 (the nonce). */
static VFN inline void
vec_schedule1(const struct grind_job *j, const V *nw, V kw[64])
{
	V w[64];

	w[16] = VC(j->w16);
	w[17] = VC(j->w17);
	w[18] = V_ADD(VC(j->w18c), Vs0(*nw));
	w[19] = V_ADD(VC(j->w19c), *nw);
	w[20] = V_ADD(Vs1(w[18]), VC(0x80000000));
	w[21] = Vs1(w[19]);
	w[22] = V_ADD(Vs1(w[20]), VC(640));
	VUNROLL
	for (int i = 23; i < 30; i++)
		w[i] = V_ADD(Vs1(w[i - 2]), w[i - 7]);
	w[30] = V_ADD(V_ADD(Vs1(w[28]), w[23]), VC(GRIND_s0(640u)));
	w[31] = V_ADD(V_ADD(Vs1(w[29]), w[24]), VC(j->w31c));
	w[32] = V_ADD(V_ADD(Vs1(w[30]), w[25]), VC(j->w32c));
	VUNROLL
	for (int i = 33; i < 64; i++)
		VSCHED(i);
	VUNROLL
	for (int i = 16; i < 64; i++)
		kw[i] = V_ADD(w[i], VC(grind_k[i]));
}

/* The first hash: the eight words of the second hash's block. */
static VFN inline void
vec_hash1(const struct grind_job *j, const V *nw, V x[8])
{
	V kw[64];
	/* Named so that round 4 finds a..h where an 8-round group expects them. */
	V e = V_ADD(VC(j->r3a), *nw), f = VC(j->st3[0]), g = VC(j->st3[1]), h = VC(j->st3[2]);
	V a = V_ADD(VC(j->r3e), *nw), b = VC(j->st3[4]), c = VC(j->st3[5]), d = VC(j->st3[6]);
	VMAJ_INIT(f, g);

	vec_schedule1(j, nw, kw);
	VR(e, f, g, h, a, b, c, d, KW_1(4));
	VR(d, e, f, g, h, a, b, c, KW_1(5));
	VR(c, d, e, f, g, h, a, b, KW_1(6));
	VR(b, c, d, e, f, g, h, a, KW_1(7));
	VR8(8, KW_1);
	VUNROLL
	for (int i = 16; i < 64; i += 8)
		VR8(i, KW_W);
	x[0] = V_ADD(a, VC(j->mid[0]));
	x[1] = V_ADD(b, VC(j->mid[1]));
	x[2] = V_ADD(c, VC(j->mid[2]));
	x[3] = V_ADD(d, VC(j->mid[3]));
	x[4] = V_ADD(e, VC(j->mid[4]));
	x[5] = V_ADD(f, VC(j->mid[5]));
	x[6] = V_ADD(g, VC(j->mid[6]));
	x[7] = V_ADD(h, VC(j->mid[7]));
}

/* K + W for rounds 0-7 and 16-60 of the second hash of block x. */
static VFN inline void
vec_schedule2(const V x[8], V kw[61])
{
	V w[61];

	VUNROLL
	for (int i = 0; i < 8; i++)
		w[i] = x[i];
	w[16] = V_ADD(Vs0(w[1]), w[0]);
	w[17] = V_ADD(V_ADD(VC(GRIND_s1(256u)), Vs0(w[2])), w[1]);
	VUNROLL
	for (int i = 18; i < 22; i++)
		w[i] = V_ADD(V_ADD(Vs1(w[i - 2]), Vs0(w[i - 15])), w[i - 16]);
	w[22] = V_ADD(V_ADD(Vs1(w[20]), VC(256)), V_ADD(Vs0(w[7]), w[6]));
	w[23] = V_ADD(V_ADD(Vs1(w[21]), w[16]), V_ADD(VC(GRIND_s0(0x80000000u)), w[7]));
	w[24] = V_ADD(V_ADD(Vs1(w[22]), w[17]), VC(0x80000000));
	VUNROLL
	for (int i = 25; i < 30; i++)
		w[i] = V_ADD(Vs1(w[i - 2]), w[i - 7]);
	w[30] = V_ADD(V_ADD(Vs1(w[28]), w[23]), VC(GRIND_s0(256u)));
	w[31] = V_ADD(V_ADD(Vs1(w[29]), w[24]), V_ADD(Vs0(w[16]), VC(256)));
	VUNROLL
	for (int i = 32; i < 61; i++)
		VSCHED(i);
	VUNROLL
	for (int i = 0; i < 61; i++)
		if (i < 8 || i >= 16)
			kw[i] = V_ADD(w[i], VC(grind_k[i]));
}

/* The second hash's last state word, from its first 61 rounds. */
static VFN inline void
vec_hash2_h7(const V x[8], V *h7)
{
	V kw[61];
	V a = VC(grind_iv[0]), b = VC(grind_iv[1]), c = VC(grind_iv[2]), d = VC(grind_iv[3]);
	V e = VC(grind_iv[4]), f = VC(grind_iv[5]), g = VC(grind_iv[6]), h = VC(grind_iv[7]);
	VMAJ_INIT(b, c);

	vec_schedule2(x, kw);
	VR8(0, KW_W);
	VR8(8, KW_2);
	VUNROLL
	for (int i = 16; i < 56; i += 8)
		VR8(i, KW_W);
	VR(a, b, c, d, e, f, g, h, kw[56]);
	VRE(h, a, b, c, d, e, f, g, kw[57]);
	VRE(g, h, a, b, c, d, e, f, kw[58]);
	VRE(f, g, h, a, b, c, d, e, kw[59]);
	VRE(e, f, g, h, a, b, c, d, kw[60]);
	*h7 = V_ADD(h, VC(grind_iv[7]));
}

/* Lanes of nonce vector n whose hash may meet the target: a bit each. */
static VFN inline uint32_t
vec_candidates(const struct grind_job *j, const V *n)
{
	V nw = V_BSWAP(*n), x[8], h7, top;

	vec_hash1(j, &nw, x);
	vec_hash2_h7(x, &h7);
	top = V_BSWAP(h7);
	return V_MASK_LEQ(&top, j->target[7]);
}

static VFN int
vec_scan(const struct grind_job *j, uint32_t first, uint32_t step,
    uint32_t count, uint32_t *found)
{
	uint32_t lane[LANES];
	V n, inc = VC((uint32_t)LANES * step);

	for (int l = 0; l < LANES; l++)
		lane[l] = first + (uint32_t)l * step;
	V_LOAD(n, lane);
	for (uint64_t done = 0; done < count; done += LANES, n = V_ADD(n, inc)) {
		uint32_t m = vec_candidates(j, &n);

		for (; m != 0; m &= m - 1) {
			uint64_t i = done + (uint64_t)__builtin_ctz(m);
			uint32_t nonce = first + (uint32_t)i * step;

			if (i >= count)
				break;
			if (grind_check(j, nonce)) {
				*found = nonce;
				return 1;
			}
		}
	}
	return 0;
}

/* One whole compression of LANES blocks: the same rounds, no shortcut. */
static VFN inline void
vec_compress(V st[8], const V blk[16])
{
	V w[64], kw[64];
	V a = st[0], b = st[1], c = st[2], d = st[3], e = st[4], f = st[5], g = st[6], h = st[7];
	VMAJ_INIT(b, c);

	VUNROLL
	for (int i = 0; i < 16; i++)
		w[i] = blk[i];
	VUNROLL
	for (int i = 16; i < 64; i++)
		VSCHED(i);
	VUNROLL
	for (int i = 0; i < 64; i++)
		kw[i] = V_ADD(w[i], VC(grind_k[i]));
	VUNROLL
	for (int i = 0; i < 64; i += 8)
		VR8(i, KW_W);
	st[0] = V_ADD(st[0], a);
	st[1] = V_ADD(st[1], b);
	st[2] = V_ADD(st[2], c);
	st[3] = V_ADD(st[3], d);
	st[4] = V_ADD(st[4], e);
	st[5] = V_ADD(st[5], f);
	st[6] = V_ADD(st[6], g);
	st[7] = V_ADD(st[7], h);
}

/* Header words (big-endian) of LANES headers from hdr, lane by lane; lanes past n repeat the first. */
static VFN inline void
vec_load80(const unsigned char *hdr, size_t n, V wd[20])
{
	uint32_t t[20][LANES];

	for (int l = 0; l < LANES; l++) {
		const unsigned char *p = hdr + 80 * ((size_t)l < n ? (size_t)l : 0);

		for (int i = 0; i < 20; i++)
			memcpy(&t[i][l], p + 4 * i, 4);
	}
	for (int i = 0; i < 20; i++) {
		V_LOAD(wd[i], t[i]);
		wd[i] = V_BSWAP(wd[i]);
	}
}

static VFN void
vec_hash80(const unsigned char *hdr, size_t n, unsigned char *out)
{
	for (size_t done = 0; done < n; done += LANES) {
		size_t m = n - done < LANES ? n - done : LANES;
		uint32_t t[8][LANES];
		V wd[20], blk[16], s[8];

		vec_load80(hdr + 80 * done, m, wd);
		for (int i = 0; i < 8; i++)
			s[i] = VC(grind_iv[i]);
		vec_compress(s, wd);
		for (int i = 0; i < 16; i++)
			blk[i] = VC(i == 4 ? 0x80000000u : i == 15 ? 640u : 0u);
		for (int i = 0; i < 4; i++)
			blk[i] = wd[16 + i];
		vec_compress(s, blk);
		for (int i = 0; i < 16; i++)
			blk[i] = i < 8 ? s[i] : VC(i == 8 ? 0x80000000u : i == 15 ? 256u : 0u);
		for (int i = 0; i < 8; i++)
			s[i] = VC(grind_iv[i]);
		vec_compress(s, blk);
		for (int i = 0; i < 8; i++) {
			V x = V_BSWAP(s[i]);

			V_STORE(t[i], x);
		}
		for (size_t l = 0; l < m; l++)
			for (int i = 0; i < 8; i++)
				memcpy(out + 32 * (done + l) + 4 * i, &t[i][l], 4);
	}
}

static VFN void
vec_compress_n(uint64_t n, uint32_t *out)
{
	uint32_t t[LANES];
	V s[8], blk[16], acc = VC(0);

	for (int i = 0; i < 16; i++) {
		for (int l = 0; l < LANES; l++)
			t[l] = (uint32_t)(i * 0x9e3779b9u + (uint32_t)l);
		V_LOAD(blk[i], t);
	}
	/* Independent blocks (as the nonces of a scan are): a counter in word 0, the results summed. */
	for (uint64_t k = 0; k < n; k++) {
		for (int i = 0; i < 8; i++)
			s[i] = VC(grind_iv[i]);
		blk[0] = V_ADD(blk[0], VC(1));
		vec_compress(s, blk);
		acc = V_ADD(acc, s[7]);
	}
	V_STORE(t, acc);
	*out = t[0];
}
