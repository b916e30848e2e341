/* test-btcblock: assemble and grind a raw Bitcoin block from transactions in hex */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "btc.h"
#include "hash.h"
#include "lines.h"
#include "merkle.h"
#include "u256.h"

static void
die(const char *what)
{
	fprintf(stderr, "test-btcblock: %s\n", what);
	exit(1);
}

static void
put_varint(struct buf *b, size_t n)
{
	unsigned char v[5];

	if (n < 0xfd) {
		v[0] = (unsigned char)n;
		buf_add(b, v, 1);
		return;
	}
	v[0] = n <= 0xffff ? 0xfd : 0xfe;
	v[1] = (unsigned char)n;
	v[2] = (unsigned char)(n >> 8);
	v[3] = (unsigned char)(n >> 16);
	v[4] = (unsigned char)(n >> 24);
	buf_add(b, v, n <= 0xffff ? 3 : 5);
}

/* The block's bytes: 80 header bytes to fill in, the count, the transactions. */
static void
assemble(const char *path, struct buf *raw)
{
	struct buf txs = { 0 };
	unsigned char zero[80] = { 0 };
	struct lines r;
	struct bu_err e;
	const char *line;
	size_t len, n = 0;

	if (lines_open(&r, path, 2 * BTC_MAX_BLOCK_BYTES + 1, &e) != 0)
		die("cannot read the transactions");
	while (lines_next(&r, &line, &len, &e) > 0) {
		if (len % 2 || buf_reserve(&txs, len / 2) != 0 ||
		    bu_unhex(line, len, (unsigned char *)txs.p + txs.n, len / 2) != 0)
			die("a line is not lower-case hex of whole bytes");
		txs.n += len / 2;
		n++;
	}
	lines_close(&r);
	buf_add(raw, zero, 80);
	put_varint(raw, n);
	buf_add(raw, txs.p, txs.n);
	buf_free(&txs);
	if (raw->oom)
		die("out of memory");
}

static void
parse(struct btc_block *b, const struct buf *raw)
{
	struct buf hex = { 0 };
	struct bu_err e;

	if (buf_reserve(&hex, 2 * raw->n) != 0)
		die("out of memory");
	bu_hex(hex.p, (const unsigned char *)raw->p, raw->n);
	if (btc_block_parse(b, hex.p, 2 * raw->n, &e) != 0) {
		fprintf(stderr, "test-btcblock: %s\n", e.msg);
		exit(1);
	}
	buf_free(&hex);
}

/* -c: the coinbase's BIP141 commitment output gets the right 32 bytes. */
static void
commit(struct btc_block *b, struct buf *raw)
{
	unsigned char (*ids)[32], both[64];
	size_t i;

	if (b->cb.commit_off == 0 || b->cb.nwit < 1 || b->cb.wit0_len != 32)
		die("-c: the coinbase has no commitment output or no 32-byte witness");
	if ((ids = calloc(b->ntx + 1, 32)) == NULL)
		die("out of memory");
	for (i = 1; i < b->ntx; i++)
		memcpy(ids[i], b->tx[i].wtxid, 32);
	merkle_root(ids, b->ntx, both);
	memcpy(both + 32, b->raw + b->cb.wit0_off, 32);
	sha256d(both, sizeof both, (unsigned char *)raw->p + b->cb.commit_off);
	free(ids);
}

static void
grind(struct header *h)
{
	unsigned char hash[32];
	u256 target, v;

	if (compact_decode(h->bits, &target) != 0)
		die("bad bits");
	for (h->nonce = 0;; h->nonce++) {
		header_hash(hash, h);
		u256_from_le(&v, hash);
		if (u256_cmp(&v, &target) <= 0)
			return;
		if (h->nonce == UINT32_MAX)
			die("no nonce");
	}
}

/* Usage: test-btcblock [-c] [-p prev] [-t time] [-v version] [-b bits] < txs */
int
main(int argc, char *argv[])
{
	struct header h = { .version = 0x20000000, .time = 1296689202, .bits = 0x207fffff };
	struct buf raw = { 0 }, hex = { 0 };
	struct btc_block b;
	unsigned char (*ids)[32];
	int ch, fill = 0;
	size_t i;

	while ((ch = getopt(argc, argv, "cp:t:v:b:")) != -1) {
		switch (ch) {
		case 'c': fill = 1; break;
		case 'p':
			if (bu_unhex_rev(optarg, strlen(optarg), h.prev) != 0)
				die("-p: not a hash");
			break;
		case 't': h.time = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'v': h.version = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'b': h.bits = (uint32_t)strtoul(optarg, NULL, 16); break;
		default: die("usage: test-btcblock [-c] [-p prev] [-t time] [-v version] [-b bits] < txs");
		}
	}
	btc_block_init(&b);
	assemble("-", &raw);
	parse(&b, &raw);
	if (fill) {
		commit(&b, &raw);
		parse(&b, &raw);
	}
	if ((ids = malloc((b.ntx + 1) * 32)) == NULL)
		die("out of memory");
	for (i = 0; i < b.ntx; i++)
		memcpy(ids[i], b.tx[i].txid, 32);
	if (b.ntx > 0)
		merkle_root(ids, b.ntx, h.merkle);
	free(ids);
	grind(&h);
	header_bytes((unsigned char *)raw.p, &h);
	if (buf_reserve(&hex, 2 * raw.n + 1) != 0)
		die("out of memory");
	bu_hex(hex.p, (const unsigned char *)raw.p, raw.n);
	hex.p[2 * raw.n] = '\n';
	fwrite(hex.p, 1, 2 * raw.n + 1, stdout);
	btc_block_free(&b);
	buf_free(&raw);
	buf_free(&hex);
	return fflush(stdout) == 0 ? 0 : 3;
}
