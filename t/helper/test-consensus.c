/* test-consensus: compact bits, work, retarget, merkle roots and single rules from the command line */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btc.h"
#include "chain.h"
#include "cmdutil.h"
#include "lines.h"
#include "merkle.h"
#include "u256.h"

static uint32_t
hex32(const char *s)
{
	return (uint32_t)strtoul(s, NULL, 16);
}

static int
compact(const char *arg)
{
	char hex[65];
	u256 t;

	if (compact_decode(hex32(arg), &t) != 0) {
		printf("invalid\n");
		return 0;
	}
	u256_hex(hex, &t);
	printf("%s %08lx\n", hex, (unsigned long)compact_encode(&t));
	return 0;
}

static int
work(const char *arg)
{
	char hex[65], dec[79];
	u256 t, w;

	if (compact_decode(hex32(arg), &t) != 0)
		return 1;
	u256_work(&w, &t);
	u256_hex(hex, &w);
	u256_dec(dec, &w);
	printf("%s %s\n", hex, dec);
	return 0;
}

/* retarget POWLIMIT RETARGET SPACING LASTBITS FIRSTTIME LASTTIME */
static int
retarget(char **a)
{
	struct params p = { .powlimit = hex32(a[0]) };
	u256 lim;

	p.retarget = (uint32_t)strtoul(a[1], NULL, 10);
	p.spacing = (uint32_t)strtoul(a[2], NULL, 10);
	if (compact_decode(p.powlimit, &lim) != 0)
		return 1;
	printf("%08lx\n", (unsigned long)params_retarget(&p, &lim, hex32(a[3]),
	    strtoll(a[5], NULL, 10) - strtoll(a[4], NULL, 10)));
	return 0;
}

/* merkle FILE: txids in display hex, one a line */
static int
merkle(const char *path)
{
	unsigned char (*ids)[32] = NULL, root[32];
	size_t n = 0, cap = 0;
	struct lines r;
	struct bu_err e;
	const char *line;
	size_t len;
	char hex[65];
	int mutated;

	if (lines_open(&r, path, 1024, &e) != 0)
		return 3;
	while (lines_next(&r, &line, &len, &e) > 0) {
		if (n + 2 > cap) {
			cap = cap ? 2 * cap : 64;
			if ((ids = realloc(ids, cap * 32)) == NULL)
				return 3;
		}
		if (bu_unhex_rev(line, len, ids[n++]) != 0)
			return 1;
	}
	lines_close(&r);
	mutated = merkle_root(ids, n, root);
	bu_hex_rev(hex, root);
	printf("%s%s\n", hex, mutated ? " mutated" : "");
	free(ids);
	return 0;
}

/* sig-add-l SIG: the same signature with S + L, a non-canonical S that verifies mathematically */
static int
sig_add_l(const char *hex)
{
	static const unsigned char order[32] = {
		0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2,
		0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
	};
	unsigned char sig[64];
	char out[129];
	unsigned c = 0;
	int i;

	if (bu_unhex(hex, strlen(hex), sig, 64) != 0)
		return 1;
	for (i = 0; i < 32; i++) {
		c += (unsigned)sig[32 + i] + order[i];
		sig[32 + i] = (unsigned char)c;
		c >>= 8;
	}
	bu_hex(out, sig, 64);
	printf("%s\n", out);
	return 0;
}

/* pow HEADERHEX: whether the header's hash meets its own bits */
static int
pow_ok(const char *hex)
{
	unsigned char h[80], hash[32];
	struct header hd;
	u256 t, v;

	if (bu_unhex(hex, strlen(hex), h, 80) != 0)
		return 2;
	header_from_bytes(&hd, h);
	header_hash(hash, &hd);
	u256_from_le(&v, hash);
	if (compact_decode(hd.bits, &t) != 0 || u256_cmp(&v, &t) > 0) {
		printf("high\n");
		return 1;
	}
	printf("ok\n");
	return 0;
}

/*
 * pow-rule BITS HASH: chain_check_header's proof-of-work rule alone, for a
 * HASH (64 hex digits, as verify prints it) that no header need have:
 * "ok", or the reason (powlimit 207fffff)
 */
static int
pow_rule(char **a)
{
	struct chain_opts o = { .now = 0 };
	unsigned char hash[32];
	struct chain c;
	struct block b;
	struct bu_err e;
	u256 t;
	int rc;

	if (bu_unhex_rev(a[1], strlen(a[1]), hash) != 0)
		return 2;
	chain_init(&c, &o);
	c.p.powlimit = 0x207fffff;
	if (compact_decode(c.p.powlimit, &c.powlimit) != 0)
		return 3;
	block_init(&b);
	b.h.bits = hex32(a[0]);
	memcpy(b.hash, hash, 32);
	rc = chain_check_header(&c, NULL, &b, hash, &t, &e);
	printf("%s\n", rc == 0 ? "ok" : e.reason);
	block_free(&b);
	chain_free(&c);
	return rc == 0 ? 0 : 1;
}

/*
 * genesis-hash NET HASH < header: the first block of `verify --chain NET`,
 * a raw header, taken to have the hash HASH (which no header need have):
 * "ok", or the reason
 */
static int
genesis_hash(char **a)
{
	struct chain_opts o = { 0 };
	unsigned char hash[32];
	const char *line;
	struct lines r;
	struct chain c;
	struct block b;
	struct bu_err e;
	size_t len;
	int rc;

	if (bu_unhex_rev(a[1], strlen(a[1]), hash) != 0)
		return 2;
	chain_net_or_exit(&o, a[0]);
	o.now = now_or_exit();
	if (lines_open(&r, "-", 1024, &e) != 0 || lines_next(&r, &line, &len, &e) <= 0)
		return 2;
	chain_init(&c, &o);
	block_init(&b);
	rc = block_parse(&b, line, len, 1, &e) == 0 ? chain_accept_hashed(&c, &b, len, hash, &e) : -1;
	printf("%s\n", rc == 0 ? "ok" : e.reason);
	block_free(&b);
	chain_free(&c);
	lines_close(&r);
	return rc == 0 ? 0 : 1;
}

/* sub A B: A - B modulo 2^256 (hex without leading zeros), the arithmetic of chain work differences */
static int
sub(char **a)
{
	char hex[65];
	u256 x, y;

	if (u256_parse_hex(&x, a[0], strlen(a[0])) != 0 || u256_parse_hex(&y, a[1], strlen(a[1])) != 0)
		return 2;
	u256_sub(&x, &x, &y);
	u256_hex(hex, &x);
	printf("%s\n", hex);
	return 0;
}

/* version NET HEIGHT VERSION: the header version rule alone */
static int
version(char **a)
{
	const struct btc_net *net = btc_net_byname(a[0]);
	struct header h = { .version = (uint32_t)strtoul(a[2], NULL, 0) };
	struct bu_err e;

	if (net == NULL)
		return 2;
	if (btc_header_check(net, (uint32_t)strtoul(a[1], NULL, 10), &h, &e) != 0) {
		printf("%s\n", e.reason);
		return 1;
	}
	printf("ok\n");
	return 0;
}

/* block NET HEIGHT MTP < hex: the block rules alone, as at HEIGHT (no proof of work) */
static int
block(char **a)
{
	const struct btc_net *net = btc_net_byname(a[0]);
	struct btc_block b;
	struct lines r;
	struct bu_err e;
	const char *line;
	size_t len;
	int rc = 0;

	if (net == NULL || lines_open(&r, "-", 2 * BTC_MAX_BLOCK_BYTES + 1, &e) != 0 ||
	    lines_next(&r, &line, &len, &e) <= 0)
		return 2;
	btc_block_init(&b);
	if (btc_block_parse(&b, line, len, &e) != 0 ||
	    btc_block_check(&b, net, (uint32_t)strtoul(a[1], NULL, 10),
	    strtoll(a[2], NULL, 10), &e) != 0) {
		printf("%s\n", e.reason);
		rc = 1;
	} else {
		printf("ok\n");
	}
	btc_block_free(&b);
	lines_close(&r);
	return rc;
}

int
main(int argc, char *argv[])
{
	if (argc == 3 && strcmp(argv[1], "pow") == 0)
		return pow_ok(argv[2]);
	if (argc == 3 && strcmp(argv[1], "sig-add-l") == 0)
		return sig_add_l(argv[2]);
	if (argc == 3 && strcmp(argv[1], "compact") == 0)
		return compact(argv[2]);
	if (argc == 3 && strcmp(argv[1], "work") == 0)
		return work(argv[2]);
	if (argc == 8 && strcmp(argv[1], "retarget") == 0)
		return retarget(argv + 2);
	if (argc == 3 && strcmp(argv[1], "merkle") == 0)
		return merkle(argv[2]);
	if (argc == 5 && strcmp(argv[1], "version") == 0)
		return version(argv + 2);
	if (argc == 5 && strcmp(argv[1], "block") == 0)
		return block(argv + 2);
	if (argc == 4 && strcmp(argv[1], "pow-rule") == 0)
		return pow_rule(argv + 2);
	if (argc == 4 && strcmp(argv[1], "genesis-hash") == 0)
		return genesis_hash(argv + 2);
	if (argc == 4 && strcmp(argv[1], "sub") == 0)
		return sub(argv + 2);
	fprintf(stderr, "usage: test-consensus compact|work BITS | merkle FILE |\n"
	    "       retarget POWLIMIT RETARGET SPACING LASTBITS FIRSTTIME LASTTIME |\n"
	    "       version NET HEIGHT VERSION | block NET HEIGHT MTP < hex |\n"
	    "       pow-rule BITS HASH | genesis-hash NET HASH < header | sub A B\n");
	return 2;
}
