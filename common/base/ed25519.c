/* ed25519.c: Ed25519 with libsodium's strict checks before libcrypto's verify */
#include "ed25519.h"

#include <string.h>

#include <openssl/evp.h>

/* The group order L, little-endian. */
static const unsigned char order[32] = {
	0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2,
	0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
};

static int
scalar_canonical(const unsigned char s[32])
{
	int i;

	for (i = 31; i >= 0; i--)
		if (s[i] != order[i])
			return s[i] < order[i];
	return 0;
}

/*
 * The y of the eight points of small order (8P is the identity), with
 * the sign of x cleared: 1 (order 1), p - 1 (order 2), 0 (order 4, both
 * signs) and the two of order 8 (y(2P) = 0, so y^2 = -x^2; both signs).
 */
static const unsigned char small_y[5][32] = {
	{ 1 },
	{ 0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f },
	{ 0 },
	{ 0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4,
	  0x89, 0xf2, 0xef, 0x98, 0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6,
	  0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05 },
	{ 0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b,
	  0x76, 0x0d, 0x10, 0x67, 0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39,
	  0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a },
};

int
ed_small_order(const unsigned char p[32])
{
	unsigned char y[32];
	size_t i;

	memcpy(y, p, 32);
	y[31] &= 0x7f;
	for (i = 0; i < sizeof small_y / sizeof small_y[0]; i++)
		if (memcmp(y, small_y[i], 32) == 0)
			return 1;
	return 0;
}

int
ed_key_ok(const unsigned char p[32])
{
	return ed_point_canonical(p) && !ed_small_order(p);
}

/* y < p = 2^255 - 19, and x = 0 (y = 1 or y = p - 1) carries no sign bit. */
int
ed_point_canonical(const unsigned char p[32])
{
	unsigned char y[32];
	int i, ones = 1;

	memcpy(y, p, 32);
	y[31] &= 0x7f;
	for (i = 1; i < 31; i++)
		if (y[i] != 0xff)
			ones = 0;
	if (ones && y[31] == 0x7f && y[0] >= 0xed)
		return 0;
	if (p[31] & 0x80) {
		int one = y[0] == 1, pm1 = ones && y[31] == 0x7f && y[0] == 0xec;

		for (i = 1; i < 32 && one; i++)
			if (y[i] != 0)
				one = 0;
		if (one || pm1)
			return 0;
	}
	return 1;
}

int
ed_keygen(unsigned char pub[32], unsigned char sec[32], struct bu_err *e)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);
	EVP_PKEY *k = NULL;
	size_t pl = 32, sl = 32;
	int ok;

	ok = ctx != NULL && EVP_PKEY_keygen_init(ctx) == 1 &&
	    EVP_PKEY_keygen(ctx, &k) == 1 &&
	    EVP_PKEY_get_raw_private_key(k, sec, &sl) == 1 &&
	    EVP_PKEY_get_raw_public_key(k, pub, &pl) == 1 && sl == 32 && pl == 32;
	EVP_PKEY_free(k);
	EVP_PKEY_CTX_free(ctx);
	return ok ? 0 : bu_fail(e, BU_EXIT_SYSTEM, "crypto", "Ed25519 key generation failed");
}

int
ed_public(const unsigned char sec[32], unsigned char pub[32], struct bu_err *e)
{
	EVP_PKEY *k = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, sec, 32);
	size_t pl = 32;
	int ok = k != NULL && EVP_PKEY_get_raw_public_key(k, pub, &pl) == 1;

	EVP_PKEY_free(k);
	return ok ? 0 : bu_fail(e, BU_EXIT_SYSTEM, "crypto", "bad Ed25519 secret key");
}

int
ed_sign(const unsigned char sec[32], const void *msg, size_t len,
    unsigned char sig[64], struct bu_err *e)
{
	EVP_PKEY *k = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, sec, 32);
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	size_t sl = 64;
	int ok;

	ok = k != NULL && m != NULL &&
	    EVP_DigestSignInit(m, NULL, NULL, NULL, k) == 1 &&
	    EVP_DigestSign(m, sig, &sl, msg, len) == 1 && sl == 64;
	EVP_MD_CTX_free(m);
	EVP_PKEY_free(k);
	return ok ? 0 : bu_fail(e, BU_EXIT_SYSTEM, "crypto", "Ed25519 signing failed");
}

int
ed_verify(const unsigned char pub[32], const void *msg, size_t len,
    const unsigned char sig[64])
{
	EVP_PKEY *k;
	EVP_MD_CTX *m;
	int ok;

	if (!ed_key_ok(pub) || !ed_key_ok(sig) || !scalar_canonical(sig + 32))
		return -1;
	k = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, 32);
	m = EVP_MD_CTX_new();
	ok = k != NULL && m != NULL &&
	    EVP_DigestVerifyInit(m, NULL, NULL, NULL, k) == 1 &&
	    EVP_DigestVerify(m, sig, 64, msg, len) == 1;
	EVP_MD_CTX_free(m);
	EVP_PKEY_free(k);
	return ok ? 0 : -1;
}
