/* u256.h: 256-bit targets and work: compact bits, proof, retarget */
#ifndef U256_H
#define U256_H

#include <stdint.h>

/* Little-endian 64-bit limbs: w[0] least significant. */
typedef struct { uint64_t w[4]; } u256;

void u256_from_le(u256 *r, const unsigned char b[32]);
void u256_to_le(unsigned char b[32], const u256 *a);
int u256_cmp(const u256 *a, const u256 *b);
int u256_is_zero(const u256 *a);
/* r = a + b; returns 1 on overflow (r then wraps). */
int u256_add(u256 *r, const u256 *a, const u256 *b);
/* r = a - b; returns 1 when b > a (r then wraps). */
int u256_sub(u256 *r, const u256 *a, const u256 *b);
/* Minimal lower-case hex, "0" for zero; out holds 65 bytes. */
void u256_hex(char out[65], const u256 *a);
/* Decimal; out holds 79 bytes. */
void u256_dec(char out[79], const u256 *a);
int u256_parse_hex(u256 *r, const char *s, unsigned long n);

/* Bitcoin's SetCompact: 0, or -1 when bits are negative, zero or overflow. */
int compact_decode(uint32_t bits, u256 *target);
/* Bitcoin's GetCompact (never sets the sign bit). */
uint32_t compact_encode(const u256 *target);
/* floor(2^256 / (target + 1)). */
void u256_work(u256 *work, const u256 *target);
/*
 * Bitcoin's retarget, exact: target(last_bits) * timespan / span, capped
 * at powlimit; the product is kept in 320 bits so an easy powlimit cannot
 * wrap. timespan is already clamped; span > 0.
 */
uint32_t retarget_bits(uint32_t last_bits, uint64_t timespan, uint64_t span,
    const u256 *powlimit);

/* The nearest double, for rates and plots (exactness stays with the u256). */
double u256_double(const u256 *a);
/*
 * Bitcoin's difficulty: the 1d00ffff target over the target of bits,
 * computed from bits as Bitcoin Core's GetDifficulty does.
 */
double compact_difficulty(uint32_t bits);

#endif
