/* chain.c: validity of a chain, block by block, in constant memory */
#include "chain.h"

#include <stdlib.h>
#include <string.h>

#include "ed25519.h"
#include "hash.h"
#include "merkle.h"

const struct params bitcoin_params = {
	.name = { "bitcoin", 7 }, .spacing = 600, .retarget = 2016,
	.powlimit = 0x1d00ffff, .halving = 210000, .maturity = 100,
	.maxblock = MAXBLOCK_LIMIT, .subsidy = 5000000000ULL,
};
const char bitcoin_genesis_hex[65] =
    "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f";

void
chain_init(struct chain *c, const struct chain_opts *o)
{
	memset(c, 0, sizeof *c);
	c->o = *o;
	c->empty = 1;
}

void
chain_free(struct chain *c)
{
	free(c->pname);
	free(c->ids);
	ledger_free(&c->ledger);
	memset(c, 0, sizeof *c);
}

static int
bad(struct bu_err *e, const char *reason, const char *fmt, const char *arg)
{
	return bu_fail(e, BU_EXIT_INVALID, reason, fmt, arg);
}

int
params_check(const struct params *p, struct bu_err *e)
{
	u256 t;

	if (compact_decode(p->powlimit, &t) != 0)
		return bu_fail(e, BU_EXIT_INVALID, "bad-params",
		    "powlimit %08lx is not a valid compact target", (unsigned long)p->powlimit);
	if (p->retarget > 0 && p->spacing == 0)
		return bad(e, "bad-params", "spacing must be positive when retarget is set%s", "");
	if (p->maxblock == 0 || p->maxblock > MAXBLOCK_LIMIT)
		return bu_fail(e, BU_EXIT_INVALID, "bad-params",
		    "maxblock must be from 1 to %u", MAXBLOCK_LIMIT);
	return 0;
}

uint64_t
chain_subsidy(const struct params *p, uint32_t height)
{
	uint32_t halvings = p->halving ? height / p->halving : 0;

	return halvings >= 64 ? 0 : p->subsidy >> halvings;
}

uint32_t
chain_mtp(const struct chain *c)
{
	uint32_t t[MTP_SPAN];
	unsigned i, j;

	for (i = 0; i < c->ntimes; i++) {
		uint32_t v = c->times[i];

		for (j = i; j > 0 && t[j - 1] > v; j--)
			t[j] = t[j - 1];
		t[j] = v;
	}
	return t[c->ntimes / 2];
}

uint32_t
params_retarget(const struct params *p, const u256 *powlimit, uint32_t last_bits,
    int64_t actual)
{
	uint64_t span = (uint64_t)p->retarget * p->spacing, ts, lo, hi;

	lo = span / 4;
	hi = span > UINT64_MAX / 4 ? UINT64_MAX : span * 4;
	ts = actual < 0 ? 0 : (uint64_t)actual;
	if (ts < lo)
		ts = lo;
	if (ts > hi)
		ts = hi;
	return retarget_bits(last_bits, ts, span, powlimit);
}

/* The bits block `height` must carry; 0 when its window is outside a slice. */
uint32_t
chain_required_bits(const struct chain *c, uint32_t height)
{
	int64_t actual;

	if (c->p.retarget == 0 || height % c->p.retarget != 0)
		return c->tip_bits;
	if (!c->have_anchor || (uint64_t)c->anchor_height + c->p.retarget != height)
		return 0;
	actual = (int64_t)c->times[(c->tpos + MTP_SPAN - 1) % MTP_SPAN] -
	    (int64_t)c->anchor_time;
	return params_retarget(&c->p, &c->powlimit, c->tip_bits, actual);
}

static void
add_work(struct chain *c, uint32_t bits, const u256 *target)
{
	if (bits != c->wbits || u256_is_zero(&c->wwork)) {
		u256_work(&c->wwork, target);
		c->wbits = bits;
	}
	u256_add(&c->work, &c->work, &c->wwork);
}

static int
check_pow(const struct chain *c, const struct block *b, const unsigned char hash[32],
    u256 *target, struct bu_err *e)
{
	u256 h;

	if (compact_decode(b->h.bits, target) != 0)
		return bu_fail(e, BU_EXIT_INVALID, "bad-diffbits",
		    "bits %08lx are not a valid target", (unsigned long)b->h.bits);
	if (u256_cmp(target, &c->powlimit) > 0)
		return bu_fail(e, BU_EXIT_INVALID, "bad-diffbits",
		    "bits %08lx are easier than powlimit %08lx",
		    (unsigned long)b->h.bits, (unsigned long)c->p.powlimit);
	u256_from_le(&h, hash);
	if (u256_cmp(&h, target) > 0)
		return bad(e, "high-hash", "proof of work fails: hash above the target of bits%s", "");
	return 0;
}

static int
check_link(const struct chain *c, const struct block *b, uint32_t height,
    struct bu_err *e)
{
	char want[65];

	if (memcmp(b->h.prev, c->tip, 32) != 0) {
		bu_hex_rev(want, c->tip);
		return bu_fail(e, BU_EXIT_NOTTIP, "bad-prevblk",
		    "prev is not the tip %s", want);
	}
	if (!b->raw && b->height != height)
		return bu_fail(e, BU_EXIT_INVALID, "bad-height",
		    "height %lu, but the parent is at %lu",
		    (unsigned long)b->height, (unsigned long)(height - 1));
	return 0;
}

static int
check_time(const struct chain *c, const struct block *b, struct bu_err *e)
{
	if (c->ntimes > 0 && b->h.time <= chain_mtp(c))
		return bu_fail(e, BU_EXIT_INVALID, "time-too-old",
		    "time %lu is not after the median time past %lu",
		    (unsigned long)b->h.time, (unsigned long)chain_mtp(c));
	if ((int64_t)b->h.time > c->o.now + MAX_FUTURE)
		return bu_fail(e, BU_EXIT_INVALID, "time-too-new",
		    "time %lu is more than two hours after the clock %lld",
		    (unsigned long)b->h.time, (long long)c->o.now);
	return 0;
}

static int
check_merkle(struct chain *c, const struct block *b, struct bu_err *e)
{
	unsigned char root[32], (*tree)[32];
	size_t i, n = b->ntx;

	if (2 * n + 1 > c->idcap) {
		size_t ncap = 2 * (2 * n + 1);
		void *p = realloc(c->ids, ncap * 32);

		if (p == NULL)
			return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
		c->ids = p;
		c->idcap = ncap;
	}
	tree = c->ids + n;
	for (i = 0; i < n; i++) {
		if (b->txs[i].tok.n == 64)
			return bu_fail(e, BU_EXIT_INVALID, "bad-txns-64byte",
			    "tx %zu is exactly 64 bytes (it could pose as an inner node)", i);
		tx_id(c->ids[i], &b->txs[i]);
	}
	memcpy(tree, c->ids, n * 32);
	merkle_root(tree, n, root);
	if (memcmp(root, b->h.merkle, 32) != 0)
		return bad(e, "bad-merkle", "merkle root does not match the transactions%s", "");
	if (ids_have_duplicate(c->ids, n))
		return bad(e, "bad-txns-duplicate", "two transactions have the same txid%s", "");
	return 0;
}

void
transfer_message(struct buf *out, const char idhex[65], const struct tx *t)
{
	buf_add(out, idhex, 64);
	buf_add(out, ":", 1);
	buf_add(out, t->tok.p, t->tok.n - 129);
}

int
chain_transfer(struct chain *c, const struct tx *t, struct bu_err *e)
{
	struct buf m = { 0 };
	int ok;

	transfer_message(&m, c->idhex, t);
	if (m.oom)
		return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
	ok = ed_verify(t->u.tr.from, m.p, m.n, t->u.tr.sig) == 0;
	buf_free(&m);
	if (!ok)
		return bad(e, "bad-txns-sig", "transfer signature is not valid%s", "");
	return ledger_transfer(&c->ledger, &t->u.tr, e);
}

static int
txerr(struct bu_err *e, size_t i)
{
	char inner[sizeof e->msg], reason[sizeof e->reason];

	memcpy(inner, e->msg, sizeof inner);
	memcpy(reason, e->reason, sizeof reason);
	return bu_fail(e, e->code, reason, "tx %zu: %.200s", i, inner);
}

static int
check_txs(struct chain *c, const struct block *b, uint32_t height, struct bu_err *e)
{
	const struct tx *cb = &b->txs[0];
	uint64_t fees = 0, limit;
	size_t i;

	if (cb->kind != TX_COINBASE)
		return bad(e, "bad-cb-missing", "the first transaction is not a coinbase%s", "");
	if (cb->u.cb.height != height)
		return bu_fail(e, BU_EXIT_INVALID, "bad-cb-height",
		    "coinbase height %lu in block %lu",
		    (unsigned long)cb->u.cb.height, (unsigned long)height);
	if (ledger_mature(&c->ledger, height, e) != 0)
		return -1;
	for (i = 1; i < b->ntx; i++) {
		const struct tx *t = &b->txs[i];

		if (t->kind == TX_COINBASE)
			return bu_fail(e, BU_EXIT_INVALID, "bad-cb-multiple",
			    "tx %zu: a second coinbase", i);
		if (t->kind == TX_PARAMS)
			return bu_fail(e, BU_EXIT_INVALID, "bad-txns-params",
			    "tx %zu: params outside the genesis block", i);
		if (t->kind != TX_TRANSFER)
			continue;
		if (chain_transfer(c, t, e) != 0)
			return txerr(e, i);
		if (t->u.tr.fee > UINT64_MAX - fees)
			return bad(e, "bad-txns-overflow", "the block's fees overflow u64%s", "");
		fees += t->u.tr.fee;
	}
	limit = chain_subsidy(&c->p, height);
	limit = fees > UINT64_MAX - limit ? UINT64_MAX : limit + fees;
	if (cb->u.cb.amount > limit)
		return bu_fail(e, BU_EXIT_INVALID, "bad-cb-amount",
		    "coinbase pays %llu, more than subsidy + fees %llu",
		    (unsigned long long)cb->u.cb.amount, (unsigned long long)limit);
	return ledger_coinbase(&c->ledger, height, cb->u.cb.to, cb->u.cb.amount, e);
}

static int
genesis_params(struct chain *c, const struct block *b, struct bu_err *e)
{
	size_t i;

	if (b->ntx == 0 || b->txs[0].kind != TX_PARAMS)
		return bad(e, "bad-genesis", "the genesis block's first transaction is not params%s", "");
	for (i = 1; i < b->ntx; i++)
		if (b->txs[i].kind != TX_DATA)
			return bu_fail(e, BU_EXIT_INVALID, "bad-genesis",
			    "tx %zu: the genesis block holds only params and data", i);
	if (params_check(&b->txs[0].u.params, e) != 0)
		return -1;
	c->p = b->txs[0].u.params;
	free(c->pname);
	if ((c->pname = malloc(c->p.name.n + 1)) == NULL)
		return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
	memcpy(c->pname, c->p.name.p, c->p.name.n);
	c->pname[c->p.name.n] = '\0';
	c->p.name.p = c->pname;
	return 0;
}

/* Set the rules from the first block: a genesis, or a trusted slice start. */
static int
start_chain(struct chain *c, const struct block *b, struct bu_err *e)
{
	static const unsigned char zero[32];

	if (c->o.bitcoin) {
		c->p = bitcoin_params;
	} else {
		if (genesis_params(c, b, e) != 0)
			return -1;
	}
	compact_decode(c->p.powlimit, &c->powlimit);
	if (c->o.sliced)
		return 0;
	if (!b->raw && b->height != 0)
		return bu_fail(e, BU_EXIT_INVALID, "bad-height",
		    "the first block has height %lu, not 0", (unsigned long)b->height);
	if (memcmp(b->h.prev, zero, 32) != 0)
		return bad(e, "bad-genesis", "the genesis block's prev is not zero%s", "");
	return 0;
}

static int
check_genesis_id(const struct chain *c, const unsigned char hash[32], struct bu_err *e)
{
	unsigned char want[32];

	if (!c->o.bitcoin || c->o.sliced)
		return 0;
	bu_unhex_rev(bitcoin_genesis_hex, 64, want);
	if (memcmp(want, hash, 32) != 0)
		return bad(e, "bad-genesis", "not Bitcoin's genesis block %s", bitcoin_genesis_hex);
	return 0;
}

static void
advance(struct chain *c, const struct block *b, uint32_t height,
    const unsigned char hash[32], const u256 *target)
{
	if (c->empty) {
		if (c->o.bitcoin)
			bu_unhex_rev(bitcoin_genesis_hex, 64, c->id);
		else
			memcpy(c->id, hash, 32);
		bu_hex_rev(c->idhex, c->id);
		c->empty = 0;
	}
	c->height = height;
	memcpy(c->tip, hash, 32);
	c->tip_bits = b->h.bits;
	c->times[c->tpos] = b->h.time;
	c->tpos = (c->tpos + 1) % MTP_SPAN;
	if (c->ntimes < MTP_SPAN)
		c->ntimes++;
	if (c->p.retarget && height % c->p.retarget == 0) {
		c->anchor_time = b->h.time;
		c->anchor_height = height;
		c->have_anchor = 1;
	}
	add_work(c, b->h.bits, target);
	c->ntx += b->ntx;
}

static int
check_header(struct chain *c, const struct block *b, uint32_t height,
    const unsigned char hash[32], u256 *target, struct bu_err *e)
{
	int trusted = c->empty && c->o.sliced;

	if (c->o.bitcoin && !b->raw)
		return bad(e, "bad-syntax", "--chain bitcoin reads raw 160-hex headers only%s", "");
	if (!c->empty && memcmp(hash, c->tip, 32) == 0) {
		char hex[65];

		bu_hex_rev(hex, hash);
		bu_fail(e, BU_EXIT_NOTTIP, "duplicate",
		    "block %s is already in the chain, its tip at height %lu", hex,
		    (unsigned long)c->height);
		e->height = c->height;
		return -1;
	}
	if (!c->empty && check_link(c, b, height, e) != 0)
		return -1;
	if (!c->empty) {
		uint32_t want = chain_required_bits(c, height);

		if (want != 0 && b->h.bits != want)
			return bu_fail(e, BU_EXIT_INVALID, "bad-diffbits",
			    "bits %08lx, but the chain requires %08lx",
			    (unsigned long)b->h.bits, (unsigned long)want);
	}
	if (check_pow(c, b, hash, target, e) != 0)
		return -1;
	if (!b->raw && memcmp(b->hash, hash, 32) != 0)
		return bad(e, "bad-hash", "the hash field does not match the header%s", "");
	if (trusted && (int64_t)b->h.time > c->o.now + MAX_FUTURE)
		return bad(e, "time-too-new", "time is more than two hours after the clock%s", "");
	return trusted ? 0 : check_time(c, b, e);
}

static int
check_body(struct chain *c, const struct block *b, uint32_t height, struct bu_err *e)
{
	if (b->raw)
		return 0;
	if (check_merkle(c, b, e) != 0)
		return -1;
	if (c->o.headers_only)
		return 0;
	if (height == 0 && !c->o.sliced)
		return 0;
	return check_txs(c, b, height, e);
}

int
chain_accept(struct chain *c, const struct block *b, size_t len, struct bu_err *e)
{
	uint32_t height = c->empty ? (c->o.sliced ? c->o.start_height : 0) : c->height + 1;
	struct ledger_mark mark;
	unsigned char hash[32];
	u256 target;

	if (!c->empty && c->height == UINT32_MAX)
		return bad(e, "bad-height", "the chain is at the last u32 height%s", "");
	if (c->empty && start_chain(c, b, e) != 0)
		goto fail;
	if (c->empty && !c->o.bitcoin && ledger_init(&c->ledger, c->p.maturity) != 0) {
		bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
		goto fail;
	}
	if (!b->raw && len + 1 > c->p.maxblock) {
		bu_fail(e, BU_EXIT_INVALID, "bad-blk-length",
		    "block line is %zu bytes, more than maxblock %lu", len + 1,
		    (unsigned long)c->p.maxblock);
		goto fail;
	}
	mark = ledger_mark(&c->ledger);
	header_hash(hash, &b->h);
	if (check_header(c, b, height, hash, &target, e) != 0 ||
	    (c->empty && check_genesis_id(c, hash, e) != 0) ||
	    check_body(c, b, height, e) != 0) {
		if (c->ledger.tab != NULL)
			ledger_rollback(&c->ledger, mark);
		goto fail;
	}
	ledger_commit(&c->ledger);
	advance(c, b, height, hash, &target);
	return 0;
fail:
	if (c->empty) {	/* forget the rules the failed first block set */
		free(c->pname);
		c->pname = NULL;
		ledger_free(&c->ledger);
		memset(&c->p, 0, sizeof c->p);
	}
	return -1;
}
