/* u256.c: 256-bit arithmetic for targets, compact bits, work and retarget */
#include "u256.h"

#include <string.h>

/* Written so that compilers make one load of it. */
static uint64_t
le64(const unsigned char *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
	    (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
	    (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

void
u256_from_le(u256 *r, const unsigned char b[32])
{
	int i;

	for (i = 0; i < 4; i++)
		r->w[i] = le64(b + 8 * i);
}

void
u256_to_le(unsigned char b[32], const u256 *a)
{
	int i, j;

	for (i = 0; i < 4; i++)
		for (j = 0; j < 8; j++)
			b[8 * i + j] = (unsigned char)(a->w[i] >> (8 * j));
}

int
u256_cmp(const u256 *a, const u256 *b)
{
	int i;

	for (i = 3; i >= 0; i--)
		if (a->w[i] != b->w[i])
			return a->w[i] < b->w[i] ? -1 : 1;
	return 0;
}

int
u256_is_zero(const u256 *a)
{
	return (a->w[0] | a->w[1] | a->w[2] | a->w[3]) == 0;
}

int
u256_add(u256 *r, const u256 *a, const u256 *b)
{
	unsigned __int128 c = 0;
	int i;

	for (i = 0; i < 4; i++) {
		c += (unsigned __int128)a->w[i] + b->w[i];
		r->w[i] = (uint64_t)c;
		c >>= 64;
	}
	return c != 0;
}

static int
bitlen(const u256 *a)
{
	int i;

	for (i = 3; i >= 0; i--)
		if (a->w[i])
			return 64 * i + 64 - __builtin_clzll(a->w[i]);
	return 0;
}

static void
shl(u256 *r, const u256 *a, unsigned n)
{
	u256 t = {{0, 0, 0, 0}};
	unsigned limbs = n / 64, bits = n % 64;
	int i;

	for (i = 3; i >= (int)limbs; i--) {
		t.w[i] = a->w[i - limbs] << bits;
		if (bits && i - (int)limbs - 1 >= 0)
			t.w[i] |= a->w[i - limbs - 1] >> (64 - bits);
	}
	*r = t;
}

static void
shr(u256 *r, const u256 *a, unsigned n)
{
	u256 t = {{0, 0, 0, 0}};
	unsigned limbs = n / 64, bits = n % 64;
	unsigned i;

	for (i = 0; i + limbs < 4; i++) {
		t.w[i] = a->w[i + limbs] >> bits;
		if (bits && i + limbs + 1 < 4)
			t.w[i] |= a->w[i + limbs + 1] << (64 - bits);
	}
	*r = t;
}

void
u256_hex(char out[65], const u256 *a)
{
	static const char d[] = "0123456789abcdef";
	int n = (bitlen(a) + 3) / 4, i;

	if (n == 0)
		n = 1;
	for (i = 0; i < n; i++)
		out[n - 1 - i] = d[(a->w[i / 16] >> (4 * (i % 16))) & 15];
	out[n] = '\0';
}

int
u256_parse_hex(u256 *r, const char *s, unsigned long n)
{
	unsigned long i;

	if (n == 0 || n > 64 || (n > 1 && s[0] == '0'))
		return -1;
	memset(r, 0, sizeof *r);
	for (i = 0; i < n; i++) {
		char c = s[n - 1 - i];
		uint64_t v;

		if (c >= '0' && c <= '9')
			v = (uint64_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = (uint64_t)(c - 'a' + 10);
		else
			return -1;
		r->w[i / 16] |= v << (4 * (i % 16));
	}
	return 0;
}

static uint32_t
divmod_small(u256 *a, uint32_t d)
{
	unsigned __int128 rem = 0;
	int i;

	for (i = 3; i >= 0; i--) {
		unsigned __int128 cur = rem << 64 | a->w[i];

		a->w[i] = (uint64_t)(cur / d);
		rem = cur % d;
	}
	return (uint32_t)rem;
}

void
u256_dec(char out[79], const u256 *a)
{
	char tmp[79];
	u256 t = *a;
	int n = 0, i;

	do
		tmp[n++] = (char)('0' + divmod_small(&t, 10));
	while (!u256_is_zero(&t));
	for (i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
}

static int
decode(uint32_t bits, u256 *target)
{
	unsigned size = bits >> 24;
	uint32_t word = bits & 0x007fffff;
	u256 t = {{0, 0, 0, 0}};

	/* as Bitcoin's SetCompact: shift first, then judge sign and overflow */
	if (size <= 3)
		word >>= 8 * (3 - size);
	if (word != 0 && (bits & 0x00800000))
		return -1;
	if (word != 0 && (size > 34 || (word > 0xff && size > 33) ||
	    (word > 0xffff && size > 32)))
		return -1;
	t.w[0] = word;
	if (size > 3)
		shl(&t, &t, 8 * (size - 3));
	if (u256_is_zero(&t))
		return -1;
	*target = t;
	return 0;
}

/* Block after block carries the same bits: each thread keeps the last it decoded. */
int
compact_decode(uint32_t bits, u256 *target)
{
	static _Thread_local int have;
	static _Thread_local uint32_t last;
	static _Thread_local u256 t;

	if (!have || bits != last) {
		if (decode(bits, &t) != 0) {
			have = 0;
			return -1;
		}
		last = bits;
		have = 1;
	}
	*target = t;
	return 0;
}

uint32_t
compact_encode(const u256 *target)
{
	unsigned size = (unsigned)(bitlen(target) + 7) / 8;
	uint32_t c;

	if (size <= 3) {
		c = (uint32_t)(target->w[0] << (8 * (3 - size)));
	} else {
		u256 t;

		shr(&t, target, 8 * (size - 3));
		c = (uint32_t)t.w[0];
	}
	if (c & 0x00800000) {
		c >>= 8;
		size++;
	}
	return c | (uint32_t)size << 24;
}

static void
u256_not(u256 *r, const u256 *a)
{
	int i;

	for (i = 0; i < 4; i++)
		r->w[i] = ~a->w[i];
}

int
u256_sub(u256 *r, const u256 *a, const u256 *b)
{
	uint64_t borrow = 0;
	int i;

	for (i = 0; i < 4; i++) {
		uint64_t x = a->w[i], y = b->w[i];
		uint64_t d = x - y - borrow;

		borrow = (x < y) || (x - y < borrow);
		r->w[i] = d;
	}
	return (int)borrow;
}

/* q = n / d by shift and subtract (d != 0). */
static void
u256_div(u256 *q, const u256 *n, const u256 *d)
{
	u256 num = *n, div = *d, res = {{0, 0, 0, 0}};
	int shift = bitlen(n) - bitlen(d);

	if (shift < 0) {
		*q = res;
		return;
	}
	shl(&div, &div, (unsigned)shift);
	for (; shift >= 0; shift--) {
		if (u256_cmp(&num, &div) >= 0) {
			u256_sub(&num, &num, &div);
			res.w[shift / 64] |= (uint64_t)1 << (shift % 64);
		}
		shr(&div, &div, 1);
	}
	*q = res;
}

void
u256_work(u256 *work, const u256 *target)
{
	u256 inv, plus1 = *target, one = {{1, 0, 0, 0}};

	/* 2^256 / (t+1) = ~t / (t+1) + 1, as Bitcoin's GetBlockProof */
	if (u256_add(&plus1, target, &one)) {
		*work = one;
		return;
	}
	u256_not(&inv, target);
	u256_div(work, &inv, &plus1);
	u256_add(work, work, &one);
}

uint32_t
retarget_bits(uint32_t last_bits, uint64_t timespan, uint64_t span,
    const u256 *powlimit)
{
	uint64_t wide[5] = {0, 0, 0, 0, 0};
	unsigned __int128 c = 0, rem = 0;
	u256 t, res;
	int i;

	if (compact_decode(last_bits, &t) != 0)
		return compact_encode(powlimit);
	for (i = 0; i < 4; i++) {
		c += (unsigned __int128)t.w[i] * timespan;
		wide[i] = (uint64_t)c;
		c >>= 64;
	}
	wide[4] = (uint64_t)c;
	for (i = 4; i >= 0; i--) {
		unsigned __int128 cur = rem << 64 | wide[i];

		wide[i] = (uint64_t)(cur / span);
		rem = cur % span;
	}
	if (wide[4] != 0)
		return compact_encode(powlimit);
	memcpy(res.w, wide, sizeof res.w);
	if (u256_cmp(&res, powlimit) > 0)
		res = *powlimit;
	return compact_encode(&res);
}

double
u256_double(const u256 *a)
{
	const double two64 = 18446744073709551616.0;

	return (((double)a->w[3] * two64 + (double)a->w[2]) * two64 + (double)a->w[1]) *
	    two64 + (double)a->w[0];
}

double
compact_difficulty(uint32_t bits)
{
	int shift = (int)(bits >> 24 & 0xff);
	double d;

	if ((bits & 0x00ffffff) == 0)
		return 0.0;
	/* Bitcoin Core's GetDifficulty, to the same double */
	d = (double)0x0000ffff / (double)(bits & 0x00ffffff);
	while (shift < 29) {
		d *= 256.0;
		shift++;
	}
	while (shift > 29) {
		d /= 256.0;
		shift--;
	}
	return d;
}
