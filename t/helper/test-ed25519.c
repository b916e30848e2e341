/* test-ed25519: strict and plain Ed25519 verification, and signatures built to attack them */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/evp.h>

#include "ed25519.h"

/* The eight points of small order (8P is the identity), as t/t5100/small-order lists them. */
static const char *const small_order[8] = {
	"0100000000000000000000000000000000000000000000000000000000000000",
	"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	"0000000000000000000000000000000000000000000000000000000000000000",
	"0000000000000000000000000000000000000000000000000000000000000080",
	"26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
	"26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
	"c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
	"c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
};

static const char order_hex[] =
    "1000000000000000000000000000000014def9dea2f79cd65812631a5cf5d3ed";

static void
hex_or_die(const char *s, unsigned char *out, size_t n)
{
	if (bu_unhex(s, strlen(s), out, n) != 0) {
		fprintf(stderr, "test-ed25519: '%s' is not %zu bytes of hex\n", s, n);
		exit(2);
	}
}

/* The message argument: hex when it starts with "x:", the bytes of the text otherwise. */
static unsigned char *
message(const char *arg, size_t *n)
{
	unsigned char *m;

	if (strncmp(arg, "x:", 2) != 0) {
		*n = strlen(arg);
		return (unsigned char *)strdup(arg);
	}
	*n = strlen(arg + 2) / 2;
	if ((m = malloc(*n + 1)) == NULL)
		exit(3);
	hex_or_die(arg + 2, m, *n);
	return m;
}

/* libcrypto's verify alone, without the strict checks of ed_verify. */
static int
plain_verify(const unsigned char pub[32], const unsigned char *m, size_t n,
    const unsigned char sig[64])
{
	EVP_PKEY *k = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, 32);
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	int ok = k != NULL && c != NULL &&
	    EVP_DigestVerifyInit(c, NULL, NULL, NULL, k) == 1 &&
	    EVP_DigestVerify(c, sig, 64, m, n) == 1;

	EVP_MD_CTX_free(c);
	EVP_PKEY_free(k);
	return ok ? 0 : -1;
}

static void
print_hex(const unsigned char *p, size_t n)
{
	char *h = malloc(2 * n + 1);

	if (h == NULL)
		exit(3);
	bu_hex(h, p, n);
	printf("%s\n", h);
	free(h);
}

/* Little-endian bytes to a BIGNUM and back. */
static BIGNUM *
bn_le(const unsigned char *p, size_t n)
{
	unsigned char be[64];
	size_t i;

	for (i = 0; i < n; i++)
		be[i] = p[n - 1 - i];
	return BN_bin2bn(be, (int)n, NULL);
}

static void
bn_to_le32(const BIGNUM *x, unsigned char out[32])
{
	unsigned char be[32];
	int i;

	BN_bn2binpad(x, be, 32);
	for (i = 0; i < 32; i++)
		out[i] = be[31 - i];
}

static void
sha512(const void *a, size_t an, const void *b, size_t bn, const void *c, size_t cn,
    unsigned char out[64])
{
	EVP_MD_CTX *x = EVP_MD_CTX_new();

	if (x == NULL || EVP_DigestInit_ex(x, EVP_sha512(), NULL) != 1 ||
	    EVP_DigestUpdate(x, a, an) != 1 || EVP_DigestUpdate(x, b, bn) != 1 ||
	    EVP_DigestUpdate(x, c, cn) != 1 || EVP_DigestFinal_ex(x, out, NULL) != 1)
		exit(3);
	EVP_MD_CTX_free(x);
}

/*
 * r-small SEC R MSG: the signature (R, S = k * a mod L), k = H(R || A || M),
 * a the secret scalar. With R the identity, [S]B = R + [k]A holds: a second
 * valid signature of any message by a real key, unless R's order is checked.
 */
static int
r_small(const char *sechex, const char *rhex, const char *msgarg)
{
	unsigned char sec[32], pub[32], h[64], k[64], sig[64], *m;
	BIGNUM *a, *kk, *l = NULL, *s;
	BN_CTX *ctx = BN_CTX_new();
	struct bu_err e;
	size_t n;

	hex_or_die(sechex, sec, 32);
	hex_or_die(rhex, sig, 32);
	m = message(msgarg, &n);
	if (ed_public(sec, pub, &e) != 0 || ctx == NULL)
		return 3;
	sha512(sec, 32, "", 0, "", 0, h);
	h[0] &= 248;
	h[31] &= 127;
	h[31] |= 64;
	sha512(sig, 32, pub, 32, m, n, k);
	a = bn_le(h, 32);
	kk = bn_le(k, 64);
	s = BN_new();
	if (a == NULL || kk == NULL || s == NULL || BN_hex2bn(&l, order_hex) == 0 ||
	    BN_mod_mul(s, kk, a, l, ctx) != 1)
		return 3;
	bn_to_le32(s, sig + 32);
	print_hex(sig, 64);
	BN_free(a);
	BN_free(kk);
	BN_free(l);
	BN_free(s);
	BN_CTX_free(ctx);
	free(m);
	return 0;
}

/*
 * forge KEY MSG: for a key of small order, a signature (R, 0) that plain
 * libcrypto accepts: R is one of the eight small-order points, and it
 * holds when R = -[k]A, k = H(R || A || M). Each R has its chance, so the
 * message is MSG with 0, 1, 2, ... appended until one holds (MSG alone
 * first). Prints the signature, then the suffix (an empty line for none).
 */
static int
forge(const char *keyhex, const char *msgarg)
{
	unsigned char pub[32], sig[64], *m, *mm;
	size_t n;
	int i, tries;

	hex_or_die(keyhex, pub, 32);
	m = message(msgarg, &n);
	if ((mm = malloc(n + 16)) == NULL)
		exit(3);
	memcpy(mm, m, n);
	memset(sig, 0, sizeof sig);
	for (tries = -1; tries < 1000; tries++) {
		char suffix[16] = "";

		if (tries >= 0)
			snprintf(suffix, sizeof suffix, "%d", tries);
		memcpy(mm + n, suffix, strlen(suffix));
		for (i = 0; i < 8; i++) {
			hex_or_die(small_order[i], sig, 32);
			if (plain_verify(pub, mm, n + strlen(suffix), sig) == 0) {
				print_hex(sig, 64);
				printf("%s\n", suffix);
				free(m);
				free(mm);
				return 0;
			}
		}
	}
	free(m);
	free(mm);
	return 1;
}

/*
 * forge-full KEY MSG: for a key of small order, a signature (R, S) with R
 * of full order that plain libcrypto accepts: R = [S]B for a fixed S, so
 * [S]B = R + [k]A holds when [k]A is the identity, k = H(R || A || M):
 * for one message in (the order of A), MSG with 0, 1, 2, ... appended
 * (MSG alone first). Only a check of the key itself refuses it. Prints the
 * signature, then the suffix (an empty line for none).
 */
static int
forge_full(const char *keyhex, const char *msgarg)
{
	unsigned char sec[32], h[64], pub[32], sig[64], *m, *mm;
	BIGNUM *a, *l = NULL, *s = BN_new();
	BN_CTX *ctx = BN_CTX_new();
	struct bu_err e;
	size_t n;
	int tries, rc = 1;

	hex_or_die(keyhex, pub, 32);
	m = message(msgarg, &n);
	memset(sec, 0x42, sizeof sec);
	sha512(sec, 32, "", 0, "", 0, h);
	h[0] &= 248;
	h[31] &= 127;
	h[31] |= 64;
	a = bn_le(h, 32);
	if ((mm = malloc(n + 16)) == NULL || ctx == NULL || a == NULL || s == NULL ||
	    BN_hex2bn(&l, order_hex) == 0 || BN_nnmod(s, a, l, ctx) != 1 ||
	    ed_public(sec, sig, &e) != 0)
		exit(3);
	bn_to_le32(s, sig + 32);
	memcpy(mm, m, n);
	for (tries = -1; tries < 1000 && rc != 0; tries++) {
		char suffix[16] = "";

		if (tries >= 0)
			snprintf(suffix, sizeof suffix, "%d", tries);
		memcpy(mm + n, suffix, strlen(suffix));
		if (plain_verify(pub, mm, n + strlen(suffix), sig) == 0) {
			print_hex(sig, 64);
			printf("%s\n", suffix);
			rc = 0;
		}
	}
	BN_free(a);
	BN_free(l);
	BN_free(s);
	BN_CTX_free(ctx);
	free(m);
	free(mm);
	return rc;
}

/* verify|plain PUB MSG SIG: "ok" (exit 0) or "bad" (exit 1). */
static int
check(int strict, const char *pubhex, const char *msgarg, const char *sighex)
{
	unsigned char pub[32], sig[64], *m;
	size_t n;
	int ok;

	hex_or_die(pubhex, pub, 32);
	hex_or_die(sighex, sig, 64);
	m = message(msgarg, &n);
	ok = (strict ? ed_verify(pub, m, n, sig) : plain_verify(pub, m, n, sig)) == 0;
	free(m);
	printf("%s\n", ok ? "ok" : "bad");
	return !ok;
}

/* sign SEC MSG: the signature; pub SEC: the public key. */
static int
sign(const char *sechex, const char *msgarg)
{
	unsigned char sec[32], sig[64], *m;
	struct bu_err e;
	size_t n;
	int rc;

	hex_or_die(sechex, sec, 32);
	m = message(msgarg, &n);
	rc = ed_sign(sec, m, n, sig, &e);
	free(m);
	if (rc != 0)
		return 3;
	print_hex(sig, 64);
	return 0;
}

static int
pub(const char *sechex)
{
	unsigned char sec[32], p[32];
	struct bu_err e;

	hex_or_die(sechex, sec, 32);
	if (ed_public(sec, p, &e) != 0)
		return 3;
	print_hex(p, 32);
	return 0;
}

/* key KEY: "ok" when KEY may be an account (canonical, not of small order). */
static int
key(const char *keyhex)
{
	unsigned char k[32];
	int ok;

	hex_or_die(keyhex, k, 32);
	ok = ed_key_ok(k);
	printf("%s\n", ok ? "ok" : "bad");
	return !ok;
}

int
main(int argc, char *argv[])
{
	if (argc == 5 && strcmp(argv[1], "verify") == 0)
		return check(1, argv[2], argv[3], argv[4]);
	if (argc == 5 && strcmp(argv[1], "plain") == 0)
		return check(0, argv[2], argv[3], argv[4]);
	if (argc == 4 && strcmp(argv[1], "sign") == 0)
		return sign(argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "pub") == 0)
		return pub(argv[2]);
	if (argc == 3 && strcmp(argv[1], "key") == 0)
		return key(argv[2]);
	if (argc == 4 && strcmp(argv[1], "forge") == 0)
		return forge(argv[2], argv[3]);
	if (argc == 4 && strcmp(argv[1], "forge-full") == 0)
		return forge_full(argv[2], argv[3]);
	if (argc == 5 && strcmp(argv[1], "r-small") == 0)
		return r_small(argv[2], argv[3], argv[4]);
	fprintf(stderr, "usage: test-ed25519 verify|plain PUB MSG SIG | sign SEC MSG | pub SEC |\n"
	    "       key KEY | forge KEY MSG | forge-full KEY MSG | r-small SEC R MSG\n"
	    "       (MSG: text, or x:HEX)\n");
	return 2;
}
