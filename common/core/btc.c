/* btc.c: Bitcoin's serialization of blocks and transactions, and CheckBlock's rules */
#include "btc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "merkle.h"

#define MAX_SIZE 0x02000000u	/* Bitcoin's bound on every compact size */
#define WITNESS_SCALE 4

const struct btc_net btc_mainnet = {
	.name = "bitcoin",
	.p = { .name = { "bitcoin", 7 }, .spacing = 600, .retarget = 2016,
	    .powlimit = 0x1d00ffff, .halving = 210000, .maturity = 100,
	    .maxblock = MAXBLOCK_LIMIT, .subsidy = 5000000000ULL },
	.genesis = "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f",
	.bip34 = 227931, .bip66 = 363725, .bip65 = 388381, .csv = 419328, .segwit = 481824,
};

/* Bitcoin Core's regtest: no retarget, every rule from the start. */
const struct btc_net btc_regtest = {
	.name = "regtest",
	.p = { .name = { "regtest", 7 }, .spacing = 600, .retarget = 0,
	    .powlimit = 0x207fffff, .halving = 150, .maturity = 100,
	    .maxblock = MAXBLOCK_LIMIT, .subsidy = 5000000000ULL },
	.genesis = "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206",
	.bip34 = 1, .bip66 = 1, .bip65 = 1, .csv = 1, .segwit = 0,
};

const struct btc_net *
btc_net_byname(const char *name)
{
	if (strcmp(name, btc_mainnet.name) == 0)
		return &btc_mainnet;
	if (strcmp(name, btc_regtest.name) == 0)
		return &btc_regtest;
	return NULL;
}

void
btc_block_init(struct btc_block *b)
{
	memset(b, 0, sizeof *b);
}

void
btc_block_free(struct btc_block *b)
{
	free(b->raw);
	free(b->tx);
	free(b->ids);
	free(b->outs);
	free(b->slots);
	btc_block_init(b);
}

/* A cursor over bytes; every read is bounds-checked. */
struct rd {
	const unsigned char *p;
	size_t n, at;
	size_t tx;		/* the transaction being read, for messages */
};

#define IN_BLOCK ((size_t)-1)	/* rd.tx while reading the block's own fields */

/* "tx N" or "block", for messages. */
static const char *
scope(const struct rd *r, char buf[32])
{
	if (r->tx == IN_BLOCK)
		return "block";
	snprintf(buf, 32, "tx %zu", r->tx);
	return buf;
}

static int
short_data(const struct rd *r, const char *what, struct bu_err *e)
{
	char s[32];

	return bu_fail(e, BU_EXIT_INVALID, "bad-syntax",
	    "%s: the data ends inside its %s (byte %zu of %zu)", scope(r, s), what,
	    r->at, r->n);
}

static int
skip(struct rd *r, size_t k, const char *what, struct bu_err *e)
{
	if (r->n - r->at < k)
		return short_data(r, what, e);
	r->at += k;
	return 0;
}

static uint64_t
le(const unsigned char *p, int k)
{
	uint64_t v = 0;

	while (k-- > 0)
		v = v << 8 | p[k];
	return v;
}

/* Bitcoin's CompactSize: the shortest form only, at most MAX_SIZE. */
static int
varint(struct rd *r, uint64_t *v, const char *what, struct bu_err *e)
{
	static const uint64_t least[] = { 0xfd, 0x10000, 0x100000000ULL };
	char s[32];
	int k, i;

	if (skip(r, 1, what, e) != 0)
		return -1;
	i = r->p[r->at - 1];
	if (i < 0xfd) {
		*v = (uint64_t)i;
		return 0;
	}
	k = i == 0xfd ? 2 : i == 0xfe ? 4 : 8;
	if (skip(r, (size_t)k, what, e) != 0)
		return -1;
	*v = le(r->p + r->at - k, k);
	if (*v < least[i - 0xfd])
		return bu_fail(e, BU_EXIT_INVALID, "bad-syntax",
		    "%s: %s: a compact size not in its shortest form", scope(r, s), what);
	if (*v > MAX_SIZE)
		return bu_fail(e, BU_EXIT_INVALID, "bad-syntax",
		    "%s: %s: compact size %llu is more than %u", scope(r, s), what,
		    (unsigned long long)*v, MAX_SIZE);
	return 0;
}

/* A script or witness item: compact size, then that many bytes. */
static int
bytes(struct rd *r, size_t *off, size_t *len, const char *what, struct bu_err *e)
{
	uint64_t n;

	if (varint(r, &n, what, e) != 0)
		return -1;
	*off = r->at;
	*len = (size_t)n;
	return skip(r, (size_t)n, what, e);
}

/* The legacy sigop count of a script (GetSigOpCount(false)): stops where a push overruns it. */
static uint64_t
sigops(const unsigned char *s, size_t n)
{
	uint64_t count = 0;
	size_t i = 0;

	while (i < n) {
		unsigned op = s[i++];
		size_t push = 0, k = 0;

		if (op < 0x4c)
			push = op;
		else if (op <= 0x4e)
			k = op == 0x4c ? 1 : op == 0x4d ? 2 : 4;
		if (k > 0) {
			if (n - i < k)
				break;
			push = (size_t)le(s + i, (int)k);
			i += k;
		}
		if (n - i < push)
			break;
		i += push;
		if (op == 0xac || op == 0xad)
			count += 1;
		else if (op == 0xae || op == 0xaf)
			count += 20;
	}
	return count;
}

/* What CheckTransaction finds in one transaction, before anything else is known. */
struct txinfo {
	uint64_t nin, nout, nnull, nonfinal;
	int64_t total;
	const char *bad, *why;	/* the first rule it breaks */
	size_t sig_off, sig_len;	/* the first input's scriptSig */
	size_t commit_off;
	uint64_t sigops;
};

static void
tx_bad(struct txinfo *t, const char *reason, const char *why)
{
	if (t->bad == NULL) {
		t->bad = reason;
		t->why = why;
	}
}

/* Room for n outpoints, grown as inputs are read (never from a count read). */
static int
outpoint_room(struct btc_block *b, uint64_t n, struct bu_err *e)
{
	size_t ncap = b->outcap ? 2 * b->outcap : 64;
	void *p;

	if (n <= b->outcap)
		return 0;
	if ((p = realloc(b->outs, ncap * 36)) == NULL)
		return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
	b->outs = p;
	b->outcap = ncap;
	return 0;
}

static int
read_inputs(struct btc_block *b, struct rd *r, uint64_t nin, struct txinfo *t,
    struct bu_err *e)
{
	static const unsigned char null[32];
	size_t off, len;
	uint64_t i;

	for (i = 0; i < nin; i++) {
		const unsigned char *op = r->p + r->at;

		if (skip(r, 36, "outpoint", e) != 0 || bytes(r, &off, &len, "scriptSig", e) != 0 ||
		    skip(r, 4, "sequence", e) != 0)
			return -1;
		if (outpoint_room(b, i + 1, e) != 0)
			return -1;
		memcpy(b->outs[i], op, 36);
		if (memcmp(op, null, 32) == 0 && le(op + 32, 4) == 0xffffffffu)
			t->nnull++;
		if (le(r->p + r->at - 4, 4) != 0xffffffffu)
			t->nonfinal++;
		if (i == 0) {
			t->sig_off = off;
			t->sig_len = len;
		}
		t->sigops += sigops(r->p + off, len);
	}
	return 0;
}

/* Outputs: values in range, the running total too; the last BIP141 commitment. */
static int
read_outputs(struct rd *r, uint64_t nout, struct txinfo *t, struct bu_err *e)
{
	static const unsigned char tag[6] = { 0x6a, 0x24, 0xaa, 0x21, 0xa9, 0xed };
	size_t off, len;
	uint64_t i;

	for (i = 0; i < nout; i++) {
		int64_t v;

		if (skip(r, 8, "output value", e) != 0)
			return -1;
		v = (int64_t)le(r->p + r->at - 8, 8);
		if (bytes(r, &off, &len, "scriptPubKey", e) != 0)
			return -1;
		if (v < 0)
			tx_bad(t, "bad-txns-vout-negative", "an output value is negative");
		else if (v > BTC_MAX_MONEY)
			tx_bad(t, "bad-txns-vout-toolarge", "an output value is above 21 million coins");
		else if ((t->total += v) > BTC_MAX_MONEY)
			tx_bad(t, "bad-txns-txouttotal-toolarge", "the outputs add up to more than 21 million coins");
		if (len >= 38 && memcmp(r->p + off, tag, 6) == 0)
			t->commit_off = off + 6;
		t->sigops += sigops(r->p + off, len);
	}
	return 0;
}

/* Each input's witness stack; *any is set when one of them is not empty. */
static int
read_witness(struct rd *r, uint64_t nin, struct btc_coinbase *cb, int *any,
    struct bu_err *e)
{
	uint64_t i, k, items;
	size_t off, len;

	*any = 0;
	for (i = 0; i < nin; i++) {
		if (varint(r, &items, "witness", e) != 0)
			return -1;
		if (i == 0) {
			cb->nwit = items;
			cb->wit0_off = cb->wit0_len = 0;
		}
		for (k = 0; k < items; k++) {
			if (bytes(r, &off, &len, "witness item", e) != 0)
				return -1;
			if (i == 0 && k == 0) {
				cb->wit0_off = off;
				cb->wit0_len = len;
			}
		}
		*any |= items > 0;
	}
	return 0;
}

static int
cmp36(const void *a, const void *b)
{
	return memcmp(a, b, 36);
}

/* Two equal outpoints among the n read: pairwise when few, else sorted. */
static int
inputs_repeat(struct btc_block *b, uint64_t n)
{
	uint64_t i, j;

	if (n <= 16) {
		for (i = 1; i < n; i++)
			for (j = 0; j < i; j++)
				if (memcmp(b->outs[i], b->outs[j], 36) == 0)
					return 1;
		return 0;
	}
	qsort(b->outs, (size_t)n, 36, cmp36);
	for (i = 1; i < n; i++)
		if (memcmp(b->outs[i - 1], b->outs[i], 36) == 0)
			return 1;
	return 0;
}

/* CheckTransaction's own rules, in its order, once the transaction is read. */
static void
tx_rules(struct btc_block *b, const struct btc_tx *tx, struct txinfo *t)
{
	const char *bad = t->bad, *why = t->why;

	t->bad = NULL;
	if (t->nin == 0)
		tx_bad(t, "bad-txns-vin-empty", "it has no inputs");
	if (t->nout == 0)
		tx_bad(t, "bad-txns-vout-empty", "it has no outputs");
	if (bad != NULL)
		tx_bad(t, bad, why);
	if (inputs_repeat(b, t->nin))
		tx_bad(t, "bad-txns-inputs-duplicate", "it spends one outpoint twice");
	if (tx->coinbase && (t->sig_len < 2 || t->sig_len > 100))
		tx_bad(t, "bad-cb-length", "the coinbase scriptSig is not 2 to 100 bytes");
	if (!tx->coinbase && t->nnull > 0)
		tx_bad(t, "bad-txns-prevout-null", "it spends the null outpoint");
}

static void
tx_ids(struct btc_tx *tx, const unsigned char *raw)
{
	const unsigned char *p = raw + tx->off;

	if (!tx->witness) {
		sha256d(p, tx->len, tx->txid);
		memcpy(tx->wtxid, tx->txid, 32);
		return;
	}
	{
		struct hash_part parts[3] = {
			{ p, 4 }, { raw + tx->io_off, tx->io_len }, { p + tx->len - 4, 4 },
		};

		sha256d_parts(parts, 3, tx->txid);
		sha256d(p, tx->len, tx->wtxid);
	}
}

/*
 * One transaction at r, as Bitcoin Core reads it: an empty input list
 * followed by a non-zero byte is the segwit marker, and that byte the
 * flags, of which only the witness bit is known.
 */
static int
read_tx(struct btc_block *b, struct rd *r, struct btc_tx *tx, struct txinfo *t,
    struct btc_coinbase *cb, struct bu_err *e)
{
	unsigned flags = 0;
	size_t wstart;
	int any;

	memset(t, 0, sizeof *t);
	tx->off = r->at;
	if (skip(r, 4, "version", e) != 0 || varint(r, &t->nin, "input count", e) != 0)
		return -1;
	if (t->nin == 0) {
		if (skip(r, 1, "flags", e) != 0)
			return -1;
		flags = r->p[r->at - 1];
		tx->io_off = r->at;
		if (flags != 0 && varint(r, &t->nin, "input count", e) != 0)
			return -1;
	}
	if (read_inputs(b, r, t->nin, t, e) != 0 ||
	    ((t->nin > 0 || flags != 0) && varint(r, &t->nout, "output count", e) != 0) ||
	    read_outputs(r, t->nout, t, e) != 0)
		return -1;
	wstart = r->at;
	tx->witness = (flags & 1) != 0;
	if (tx->witness) {
		if (read_witness(r, t->nin, cb, &any, e) != 0)
			return -1;
		if (!any)
			return bu_fail(e, BU_EXIT_INVALID, "bad-syntax",
			    "tx %zu: a witness flag but every witness is empty (superfluous witness record)", r->tx);
	}
	if (flags & ~1u)
		return bu_fail(e, BU_EXIT_INVALID, "bad-syntax",
		    "tx %zu: unknown flags %02x (only the witness flag 01 is defined)", r->tx, flags);
	if (skip(r, 4, "lock time", e) != 0)
		return -1;
	tx->len = r->at - tx->off;
	tx->locktime = (uint32_t)le(r->p + r->at - 4, 4);
	tx->final_seq = t->nonfinal == 0;
	if (!tx->witness)
		tx->io_off = tx->off + 4;
	tx->io_len = tx->witness ? wstart - tx->io_off : tx->len - 8;
	tx->coinbase = t->nin == 1 && t->nnull == 1;
	tx_rules(b, tx, t);
	return 0;
}

static int
push_tx(struct btc_block *b, struct bu_err *e)
{
	if (b->ntx == b->txcap) {
		size_t ncap = b->txcap ? 2 * b->txcap : 64;
		void *p = realloc(b->tx, ncap * sizeof *b->tx);

		if (p == NULL)
			return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
		b->tx = p;
		b->txcap = ncap;
	}
	b->ntx++;
	return 0;
}

static void
note_tx(struct btc_block *b, const struct btc_tx *tx, const struct txinfo *t, size_t i)
{
	b->sigops += t->sigops;
	b->base += 8 + tx->io_len;
	if (i == 0) {
		b->cb.sig_off = t->sig_off;
		b->cb.sig_len = t->sig_len;
		b->cb.commit_off = t->commit_off;
	}
	if (t->bad != NULL && !b->txbad) {
		b->txbad = 1;
		bu_fail(&b->txerr, BU_EXIT_INVALID, t->bad, "tx %zu: %s", i, t->why);
	}
}

static int
read_txs(struct btc_block *b, struct rd *r, uint64_t ntx, struct bu_err *e)
{
	struct btc_coinbase other;
	struct txinfo t;
	uint64_t i;

	for (i = 0; i < ntx; i++) {
		struct btc_tx *tx;

		r->tx = (size_t)i;
		if (push_tx(b, e) != 0)
			return -1;
		tx = &b->tx[b->ntx - 1];
		if (read_tx(b, r, tx, &t, i == 0 ? &b->cb : &other, e) != 0)
			return -1;
		note_tx(b, tx, &t, (size_t)i);
		tx_ids(tx, b->raw);
	}
	return 0;
}

int
btc_block_parse(struct btc_block *b, const char *hex, size_t len, struct bu_err *e)
{
	struct rd r;
	uint64_t ntx;

	b->ntx = 0;
	b->base = 0;
	b->sigops = 0;
	b->txbad = 0;
	memset(&b->cb, 0, sizeof b->cb);
	if (len % 2 || len < 2 * 81)
		return bu_fail(e, BU_EXIT_INVALID, "bad-syntax",
		    "block: %zu hex digits, not an 80-byte header and transactions", len);
	if (len / 2 > b->rawcap) {
		void *p = realloc(b->raw, len / 2);

		if (p == NULL)
			return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
		b->raw = p;
		b->rawcap = len / 2;
	}
	b->n = len / 2;
	if (bu_unhex(hex, len, b->raw, b->n) != 0)
		return bu_fail(e, BU_EXIT_INVALID, "bad-syntax", "block: not lower-case hex");
	header_from_bytes(&b->h, b->raw);
	r = (struct rd){ b->raw, b->n, 80, IN_BLOCK };
	if (varint(&r, &ntx, "transaction count", e) != 0)
		return -1;
	b->base = r.at;
	if (read_txs(b, &r, ntx, e) != 0)
		return -1;
	if (r.at != b->n)
		return bu_fail(e, BU_EXIT_INVALID, "bad-syntax",
		    "block: %zu bytes after its last transaction", b->n - r.at);
	return 0;
}

static int
id_room(struct btc_block *b, size_t n, struct bu_err *e)
{
	void *p;

	if (n <= b->idcap)
		return 0;
	if ((p = realloc(b->ids, n * 32)) == NULL)
		return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
	b->ids = p;
	b->idcap = n;
	return 0;
}

/*
 * Two equal txids, found in a table the txids index themselves (their
 * first bytes are uniform): linear, where sorting a million of them is not.
 */
static int
txids_repeat(struct btc_block *b, struct bu_err *e)
{
	size_t i, mask = 1023;
	void *p;

	while (mask < 2 * b->ntx)
		mask = 2 * mask + 1;
	if (mask + 1 > b->slotcap) {
		if ((p = realloc(b->slots, (mask + 1) * sizeof *b->slots)) == NULL)
			return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
		b->slots = p;
		b->slotcap = mask + 1;
	}
	memset(b->slots, 0, (mask + 1) * sizeof *b->slots);
	for (i = 0; i < b->ntx; i++) {
		const unsigned char *id = b->tx[i].txid;
		size_t k = ((size_t)id[0] | (size_t)id[1] << 8 | (size_t)id[2] << 16 |
		    (size_t)id[3] << 24) & mask;

		for (; b->slots[k] != 0; k = (k + 1) & mask)
			if (memcmp(b->tx[b->slots[k] - 1].txid, id, 32) == 0)
				return 1;
		b->slots[k] = (uint32_t)i + 1;
	}
	return 0;
}

static int
check_merkle(struct btc_block *b, struct bu_err *e)
{
	unsigned char root[32] = { 0 };
	size_t i, n = b->ntx;
	int mutated = 0;

	if (id_room(b, n + 1, e) != 0)
		return -1;
	for (i = 0; i < n; i++)
		memcpy(b->ids[i], b->tx[i].txid, 32);
	if (n > 0)
		mutated = merkle_root(b->ids, n, root);
	if (memcmp(root, b->h.merkle, 32) != 0)
		return bu_fail(e, BU_EXIT_INVALID, "bad-txnmrklroot",
		    "the merkle root of the %zu txids is not the header's", n);
	if (mutated)
		return bu_fail(e, BU_EXIT_INVALID, "bad-txns-duplicate",
		    "repeated transactions leave the merkle root as it was (CVE-2012-2459)");
	if ((mutated = txids_repeat(b, e)) != 0)
		return mutated < 0 ? -1 : bu_fail(e, BU_EXIT_INVALID, "bad-txns-duplicate",
		    "two transactions have the same txid");
	return 0;
}

static int
check_shape(const struct btc_block *b, struct bu_err *e)
{
	size_t i;

	if (b->ntx == 0 || b->ntx > BTC_MAX_WEIGHT / WITNESS_SCALE ||
	    b->base > BTC_MAX_WEIGHT / WITNESS_SCALE)
		return bu_fail(e, BU_EXIT_INVALID, "bad-blk-length",
		    "%zu transactions, %zu bytes without witness data: the size limits fail",
		    b->ntx, b->base);
	if (!b->tx[0].coinbase)
		return bu_fail(e, BU_EXIT_INVALID, "bad-cb-missing",
		    "the first transaction is not a coinbase");
	for (i = 1; i < b->ntx; i++)
		if (b->tx[i].coinbase)
			return bu_fail(e, BU_EXIT_INVALID, "bad-cb-multiple",
			    "tx %zu: a second coinbase", i);
	if (b->txbad) {
		*e = b->txerr;
		return -1;
	}
	if (b->sigops * WITNESS_SCALE > BTC_MAX_SIGOPS_COST)
		return bu_fail(e, BU_EXIT_INVALID, "bad-blk-sigops",
		    "%llu legacy sigops, more than %d", (unsigned long long)b->sigops,
		    BTC_MAX_SIGOPS_COST / WITNESS_SCALE);
	return 0;
}

/* CScript() << height: the push that BIP34 puts first in the coinbase. */
static size_t
height_push(uint32_t h, unsigned char out[6])
{
	size_t n = 0;

	if (h <= 16) {
		out[0] = (unsigned char)(h == 0 ? 0 : 0x50 + h);
		return 1;
	}
	while (h > 0) {
		out[1 + n++] = (unsigned char)h;
		h >>= 8;
	}
	if (out[n] & 0x80)
		out[1 + n++] = 0;
	out[0] = (unsigned char)n;
	return n + 1;
}

static int
check_height(const struct btc_block *b, uint32_t height, struct bu_err *e)
{
	unsigned char want[6];
	size_t n = height_push(height, want);

	if (b->cb.sig_len < n || memcmp(b->raw + b->cb.sig_off, want, n) != 0)
		return bu_fail(e, BU_EXIT_INVALID, "bad-cb-height",
		    "the coinbase does not start with the height %lu (BIP34)",
		    (unsigned long)height);
	return 0;
}

/* BIP141: the commitment, when the coinbase has one; else no witness at all. */
static int
check_witness(struct btc_block *b, int active, struct bu_err *e)
{
	unsigned char root[32], both[64];
	size_t i;

	if (active && b->cb.commit_off != 0) {
		if (b->cb.nwit != 1 || b->cb.wit0_len != 32)
			return bu_fail(e, BU_EXIT_INVALID, "bad-witness-nonce-size",
			    "the coinbase witness is not one 32-byte reserved value");
		if (id_room(b, b->ntx + 1, e) != 0)
			return -1;
		memset(b->ids[0], 0, 32);
		for (i = 1; i < b->ntx; i++)
			memcpy(b->ids[i], b->tx[i].wtxid, 32);
		merkle_root(b->ids, b->ntx, root);
		memcpy(both, root, 32);
		memcpy(both + 32, b->raw + b->cb.wit0_off, 32);
		sha256d(both, sizeof both, root);
		if (memcmp(root, b->raw + b->cb.commit_off, 32) != 0)
			return bu_fail(e, BU_EXIT_INVALID, "bad-witness-merkle-match",
			    "the coinbase's witness commitment does not match the wtxids");
		return 0;
	}
	for (i = 0; i < b->ntx; i++)
		if (b->tx[i].witness)
			return bu_fail(e, BU_EXIT_INVALID, "unexpected-witness",
			    "tx %zu has witness data, but the block commits to none", i);
	return 0;
}

/* IsFinalTx: a lock time below the height (or the cutoff time) or final sequences. */
static int
check_final(const struct btc_block *b, uint32_t height, int64_t cutoff, struct bu_err *e)
{
	size_t i;

	for (i = 0; i < b->ntx; i++) {
		const struct btc_tx *t = &b->tx[i];
		int by_time = t->locktime >= 500000000u;

		if (t->locktime == 0 || t->final_seq || (by_time && cutoff < 0))
			continue;
		if ((int64_t)t->locktime < (by_time ? cutoff : (int64_t)height))
			continue;
		return bu_fail(e, BU_EXIT_INVALID, "bad-txns-nonfinal",
		    "tx %zu: locked until %s %lu", i, by_time ? "time" : "height",
		    (unsigned long)t->locktime);
	}
	return 0;
}

int
btc_block_check(struct btc_block *b, const struct btc_net *net, uint32_t height,
    int64_t mtp, struct bu_err *e)
{
	uint64_t weight;

	if (check_merkle(b, e) != 0 || check_shape(b, e) != 0)
		return -1;
	if (check_final(b, height, height >= net->csv ? mtp : (int64_t)b->h.time, e) != 0)
		return -1;
	if (height >= net->bip34 && check_height(b, height, e) != 0)
		return -1;
	if (check_witness(b, height >= net->segwit, e) != 0)
		return -1;
	weight = (uint64_t)b->base * (WITNESS_SCALE - 1) + b->n;
	if (weight > BTC_MAX_WEIGHT)
		return bu_fail(e, BU_EXIT_INVALID, "bad-blk-weight",
		    "weight %llu is more than %d", (unsigned long long)weight, BTC_MAX_WEIGHT);
	return 0;
}

int
btc_header_check(const struct btc_net *net, uint32_t height, const struct header *h,
    struct bu_err *e)
{
	int64_t v = h->version >= 0x80000000u ? (int64_t)h->version - 0x100000000LL :
	    (int64_t)h->version;

	if ((v < 2 && height >= net->bip34) || (v < 3 && height >= net->bip66) ||
	    (v < 4 && height >= net->bip65))
		return bu_fail(e, BU_EXIT_INVALID, "bad-version",
		    "version %lld is obsolete at this height (BIP34, BIP66, BIP65)", (long long)v);
	return 0;
}

int
btc_tx_hex_id(const char *hex, size_t len, unsigned char txid[32], size_t *base,
    struct bu_err *e)
{
	struct btc_block b;
	struct btc_coinbase cb;
	struct btc_tx tx;
	struct txinfo t;
	struct rd r;
	int rc = -1;

	btc_block_init(&b);
	if (len % 2 || len == 0 || (b.raw = malloc(len / 2)) == NULL) {
		if (len % 2 || len == 0)
			bu_fail(e, BU_EXIT_INVALID, "bad-syntax", "tx: not whole bytes of hex");
		else
			bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
		goto out;
	}
	if (bu_unhex(hex, len, b.raw, len / 2) != 0) {
		bu_fail(e, BU_EXIT_INVALID, "bad-syntax", "tx: not lower-case hex");
		goto out;
	}
	r = (struct rd){ b.raw, len / 2, 0, 0 };
	if (read_tx(&b, &r, &tx, &t, &cb, e) != 0)
		goto out;
	if (r.at != r.n) {
		bu_fail(e, BU_EXIT_INVALID, "bad-syntax", "tx: %zu bytes after its lock time",
		    r.n - r.at);
		goto out;
	}
	tx_ids(&tx, b.raw);
	memcpy(txid, tx.txid, 32);
	*base = 8 + tx.io_len;
	rc = 0;
out:
	btc_block_free(&b);
	return rc;
}
