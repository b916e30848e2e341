/* ed25519.h: account keys and strict signatures through libcrypto */
#ifndef ED25519_H
#define ED25519_H

#include <stddef.h>

#include "bu.h"

int ed_keygen(unsigned char pub[32], unsigned char sec[32], struct bu_err *e);
int ed_public(const unsigned char sec[32], unsigned char pub[32], struct bu_err *e);
int ed_sign(const unsigned char sec[32], const void *msg, size_t len,
    unsigned char sig[64], struct bu_err *e);
/*
 * 0 when sig is a valid signature of msg by pub under libsodium's strict
 * rules: the key and R canonical encodings (y < p, no negative zero) and
 * neither of small order, and S canonical (S < L); -1 otherwise.
 */
int ed_verify(const unsigned char pub[32], const void *msg, size_t len,
    const unsigned char sig[64]);
int ed_point_canonical(const unsigned char p[32]);
/* Whether the (canonical) encoding p is one of the eight points of small order. */
int ed_small_order(const unsigned char p[32]);
/* A key that can sign under ed_verify: canonical and not of small order. */
int ed_key_ok(const unsigned char p[32]);

#endif
