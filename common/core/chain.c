/* chain.c: validity of a chain, block by block, in constant memory */
#include "chain.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "btc.h"
#include "ed25519.h"
#include "hash.h"
#include "merkle.h"
#include "seal.h"

static const struct btc_net *
net_of(const struct chain *c)
{
	return c->o.net ? c->o.net : &btc_mainnet;
}

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
	free(c->keys);
	free(c->signers);
	free(c->hashes);
	free(c->sealer);
	free(c->finals);
	ledger_free(&c->ledger);
	memset(c, 0, sizeof *c);
}

static int bad(struct bu_err *e, const char *reason, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A rule broken: bu_fail with the exit status of invalid input. */
static int
bad(struct bu_err *e, const char *reason, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = bu_vfail(e, BU_EXIT_INVALID, reason, fmt, ap);
	va_end(ap);
	return rc;
}

/* The least quorum of n signers: more than two thirds of them. */
static uint32_t
quorum_min(uint32_t n)
{
	return 2 * n / 3 + 1;
}

/* SPEC section 7: distinct keys in ascending order, each able to sign; the quorum in range. */
static int
signers_check(const struct params *p, struct bu_err *e)
{
	unsigned char key[32];
	uint32_t i, n = p->nsigners;

	if (n == 0)
		return p->quorum == 0 ? 0 : bad(e, "bad-params", "quorum without signers");
	if (n > SIGNERS_MAX)
		return bad(e, "bad-params", "more than %d signers", SIGNERS_MAX);
	for (i = 0; i < n; i++) {
		if (i > 0 && memcmp(p->signers.p + (i - 1) * SIGNER_TEXT,
		    p->signers.p + i * SIGNER_TEXT, 64) >= 0)
			return bad(e, "bad-params", "signer %lu is not above signer %lu: the keys "
			    "must be distinct and in ascending order", (unsigned long)i + 1,
			    (unsigned long)i);
		params_signer(p, i, key);
		if (!ed_key_ok(key))
			return bad(e, "bad-params", "signer %lu is not a key that can sign (a point "
			    "of small order, or not canonical)", (unsigned long)i + 1);
	}
	if (p->quorum != 0 && (p->quorum < quorum_min(n) || p->quorum > n))
		return bad(e, "bad-params", "quorum %lu of %lu signers: it must be from %lu to %lu",
		    (unsigned long)p->quorum, (unsigned long)n, (unsigned long)quorum_min(n),
		    (unsigned long)n);
	return 0;
}

int
params_check(const struct params *p, struct bu_err *e)
{
	u256 t;

	if (compact_decode(p->powlimit, &t) != 0)
		return bu_fail(e, BU_EXIT_INVALID, "bad-params",
		    "powlimit %08lx is not a valid compact target", (unsigned long)p->powlimit);
	if (p->retarget > 0 && p->spacing == 0)
		return bad(e, "bad-params", "spacing must be positive when retarget is set");
	if (p->maxblock == 0 || p->maxblock > MAXBLOCK_LIMIT)
		return bu_fail(e, BU_EXIT_INVALID, "bad-params",
		    "maxblock must be from 1 to %u", MAXBLOCK_LIMIT);
	return signers_check(p, e);
}

uint64_t
chain_subsidy(const struct params *p, uint32_t height)
{
	uint32_t halvings = p->halving ? height / p->halving : 0;

	return halvings >= 64 ? 0 : p->subsidy >> halvings;
}

static uint32_t
median_time(const uint32_t *times, unsigned n)
{
	uint32_t t[MTP_SPAN];
	unsigned i, j;

	for (i = 0; i < n; i++) {
		uint32_t v = times[i];

		for (j = i; j > 0 && t[j - 1] > v; j--)
			t[j] = t[j - 1];
		t[j] = v;
	}
	return t[n / 2];
}

/* time > the median of times[0..n) (n > 0): more than half of them are below it. */
static int
after_median(const uint32_t *times, unsigned n, uint32_t time)
{
	unsigned below = 0, i;

	for (i = 0; i < n; i++)
		below += times[i] < time;
	return below >= n / 2 + 1;
}

uint32_t
chain_mtp(const struct chain *c)
{
	return median_time(c->times, c->ntimes);
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

void
chain_hctx(const struct chain *c, struct hctx *x)
{
	x->height = c->height + 1;
	memcpy(x->prev, c->tip, 32);
	x->prev_bits = c->tip_bits;
	x->prev_time = c->times[(c->tpos + MTP_SPAN - 1) % MTP_SPAN];
	memcpy(x->times, c->times, sizeof x->times);
	x->ntimes = c->ntimes;
	x->have_first = c->have_anchor && c->p.retarget != 0 &&
	    (uint64_t)c->anchor_height + c->p.retarget == x->height;
	x->first_time = c->anchor_time;
}

uint32_t
chain_hctx_bits(const struct chain *c, const struct hctx *x)
{
	if (c->p.retarget == 0 || x->height % c->p.retarget != 0)
		return x->prev_bits;
	if (!x->have_first)
		return 0;
	return params_retarget(&c->p, &c->powlimit, x->prev_bits,
	    (int64_t)x->prev_time - (int64_t)x->first_time);
}

/* The bits block `height` must carry; 0 when its window is outside a slice. */
uint32_t
chain_required_bits(const struct chain *c, uint32_t height)
{
	struct hctx x;

	chain_hctx(c, &x);
	x.height = height;
	x.have_first = c->have_anchor && c->p.retarget != 0 &&
	    (uint64_t)c->anchor_height + c->p.retarget == height;
	return chain_hctx_bits(c, &x);
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
		return bad(e, "high-hash", "proof of work fails: hash above the target of bits");
	return 0;
}

int
chain_time_too_new(const struct chain *c, uint32_t time)
{
	return (int64_t)time > c->o.now + MAX_FUTURE;
}

static int
check_time(const struct chain *c, const struct hctx *x, const struct block *b,
    struct bu_err *e)
{
	uint32_t mtp;

	if (x != NULL && x->ntimes > 0 && !after_median(x->times, x->ntimes, b->h.time)) {
		mtp = median_time(x->times, x->ntimes);
		return bu_fail(e, BU_EXIT_INVALID, "time-too-old",
		    "time %lu is not after the median time past %lu",
		    (unsigned long)b->h.time, (unsigned long)mtp);
	}
	if (chain_time_too_new(c, b->h.time))
		return bu_fail(e, BU_EXIT_INVALID, "time-too-new",
		    "time %lu is more than two hours after the clock %lld",
		    (unsigned long)b->h.time, (long long)c->o.now);
	return 0;
}

static int
check_link(const struct chain *c, const struct hctx *x, const struct block *b,
    struct bu_err *e)
{
	char want[65];
	uint32_t bits;

	if (memcmp(b->h.prev, x->prev, 32) != 0) {
		bu_hex_rev(want, x->prev);
		return bu_fail(e, BU_EXIT_NOTTIP, "bad-prevblk",
		    "prev is not the tip %s", want);
	}
	if (!b->raw && b->height != x->height)
		return bu_fail(e, BU_EXIT_INVALID, "bad-height",
		    "height %lu, but the parent is at %lu",
		    (unsigned long)b->height, (unsigned long)(x->height - 1));
	bits = chain_hctx_bits(c, x);
	if (bits != 0 && b->h.bits != bits)
		return bu_fail(e, BU_EXIT_INVALID, "bad-diffbits",
		    "bits %08lx, but the chain requires %08lx",
		    (unsigned long)b->h.bits, (unsigned long)bits);
	return 0;
}

int
chain_check_header(const struct chain *c, const struct hctx *x, const struct block *b,
    const unsigned char hash[32], u256 *target, struct bu_err *e)
{
	if (x != NULL && check_link(c, x, b, e) != 0)
		return -1;
	if (check_pow(c, b, hash, target, e) != 0)
		return -1;
	if (c->o.bitcoin && btc_header_check(net_of(c), x != NULL ? x->height :
	    c->o.sliced ? c->o.start_height : 0, &b->h, e) != 0)
		return -1;
	if (!b->raw && memcmp(b->hash, hash, 32) != 0)
		return bad(e, "bad-hash", "the hash field does not match the header");
	return check_time(c, x, b, e);
}

int
block_check_merkle(const struct block *b, unsigned char (**ids)[32], size_t *idcap,
    struct bu_err *e)
{
	unsigned char root[32], (*tree)[32];
	size_t i, n = b->ntx;

	if (2 * n + 1 > *idcap) {
		size_t ncap = 2 * (2 * n + 1);
		void *p = realloc(*ids, ncap * 32);

		if (p == NULL)
			return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
		*ids = p;
		*idcap = ncap;
	}
	tree = *ids + n;
	for (i = 0; i < n; i++) {
		if (b->txs[i].tok.n == 64)
			return bu_fail(e, BU_EXIT_INVALID, "bad-txns-64byte",
			    "tx %zu is exactly 64 bytes (it could pose as an inner node)", i);
		tx_id((*ids)[i], &b->txs[i]);
	}
	memcpy(tree, *ids, n * 32);
	merkle_root(tree, n, root);
	if (memcmp(root, b->h.merkle, 32) != 0)
		return bad(e, "bad-merkle", "merkle root does not match the transactions");
	if (ids_have_duplicate(*ids, n))
		return bad(e, "bad-txns-duplicate", "two transactions have the same txid");
	return 0;
}

/* The merkle rules, or what a worker found of them (pre). */
static int
check_merkle(struct chain *c, const struct block *b, const struct chain_pre *pre,
    struct bu_err *e)
{
	if (pre == NULL)
		return block_check_merkle(b, &c->ids, &c->idcap, e);
	if (pre->merkle != NULL) {
		*e = *pre->merkle;
		return -1;
	}
	return 0;
}

/* A transfer's token ends with ":" and its signature in 128 hex: the part that is not signed. */
#define TRANSFER_SIG_TAIL (1 + 128)

void
transfer_message(struct buf *out, const char idhex[65], const struct tx *t)
{
	buf_add(out, idhex, 64);
	buf_add(out, ":", 1);
	buf_add(out, t->tok.p, t->tok.n - TRANSFER_SIG_TAIL);
}

int
transfer_sig_check(const char idhex[65], const struct tx *t, struct buf *scratch)
{
	scratch->n = 0;
	scratch->oom = 0;
	transfer_message(scratch, idhex, t);
	if (scratch->oom)
		return -2;
	return ed_verify(t->u.tr.from, scratch->p, scratch->n, t->u.tr.sig) == 0 ? 0 : -1;
}

/* The signature (or what a worker found of it: sig 1 valid, 0 not), then the ledger. */
static int
transfer_pre(struct chain *c, const struct tx *t, int sig, struct bu_err *e)
{
	struct buf m = { 0 };

	if (sig < 0) {
		sig = transfer_sig_check(c->idhex, t, &m);
		buf_free(&m);
		if (sig == -2)
			return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
		sig = sig == 0;
	}
	if (!sig)
		return bu_fail(e, BU_EXIT_INVALID, "bad-txns-sig",
		    "transfer signature is not valid: it covers this chain's id %.16s... and every "
		    "field, so a transfer signed for another chain, or changed since, fails",
		    c->idhex);
	return ledger_transfer(&c->ledger, &t->u.tr, e);
}

int
chain_transfer(struct chain *c, const struct tx *t, struct bu_err *e)
{
	return transfer_pre(c, t, -1, e);
}

static int
txerr(struct bu_err *e, size_t i)
{
	char inner[sizeof e->msg], reason[sizeof e->reason];

	memcpy(inner, e->msg, sizeof inner);
	memcpy(reason, e->reason, sizeof reason);
	return bu_fail(e, e->code, reason, "tx %zu: %.200s", i, inner);
}

/* Coinbase first with the block's height; no second coinbase, no params. */
static int
check_shape(const struct block *b, uint32_t height, struct bu_err *e)
{
	const struct tx *cb = &b->txs[0];
	size_t i;

	if (cb->kind != TX_COINBASE)
		return bad(e, "bad-cb-missing", "the first transaction is not a coinbase");
	if (cb->u.cb.height != height)
		return bu_fail(e, BU_EXIT_INVALID, "bad-cb-height",
		    "coinbase height %lu in block %lu",
		    (unsigned long)cb->u.cb.height, (unsigned long)height);
	for (i = 1; i < b->ntx; i++) {
		if (b->txs[i].kind == TX_COINBASE)
			return bu_fail(e, BU_EXIT_INVALID, "bad-cb-multiple",
			    "tx %zu: a second coinbase", i);
		if (b->txs[i].kind == TX_PARAMS)
			return bu_fail(e, BU_EXIT_INVALID, "bad-txns-params",
			    "tx %zu: params outside the genesis block", i);
	}
	return 0;
}

/* Rules 5 and 6 against the ledger. */
static int
apply_txs(struct chain *c, const struct block *b, uint32_t height, const struct chain_pre *pre,
    struct bu_err *e)
{
	const struct tx *cb = &b->txs[0];
	uint64_t fees = 0, limit;
	size_t i;

	if (ledger_mature(&c->ledger, height, e) != 0)
		return -1;
	for (i = 1; i < b->ntx; i++) {
		const struct tx *t = &b->txs[i];

		if (t->kind != TX_TRANSFER)
			continue;
		if (transfer_pre(c, t, pre != NULL && pre->sig != NULL ? pre->sig[i] : -1, e) != 0)
			return txerr(e, i);
		if (t->u.tr.fee > UINT64_MAX - fees)
			return bad(e, "bad-txns-overflow", "the block's fees overflow u64");
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

/* The signers of the params just taken: their keys and text owned by c. */
static int
take_signers(struct chain *c, struct bu_err *e)
{
	uint32_t i, n = c->p.nsigners;

	free(c->keys);
	free(c->signers);
	c->keys = malloc((size_t)n * 32);
	c->signers = malloc(c->p.signers.n + 1);
	if (c->keys == NULL || c->signers == NULL)
		return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
	memcpy(c->signers, c->p.signers.p, c->p.signers.n);
	c->signers[c->p.signers.n] = '\0';
	c->p.signers.p = c->signers;
	for (i = 0; i < n; i++)
		params_signer(&c->p, i, c->keys[i]);
	c->quorum = c->p.quorum ? c->p.quorum : quorum_min(n);
	return 0;
}

/* Forget the signers (a failed first block set them). */
static void
drop_signers(struct chain *c)
{
	free(c->keys);
	free(c->signers);
	c->keys = NULL;
	c->signers = NULL;
	c->quorum = 0;
}

int
chain_final_height(const struct chain *c, uint32_t *height)
{
	if (c->nfinals == 0)
		return 0;
	*height = c->finals[c->nfinals - 1].height;
	return 1;
}

int
chain_signer_index(const struct chain *c, const unsigned char key[32])
{
	uint32_t lo = 0, hi = c->keys != NULL ? c->p.nsigners : 0;

	while (lo < hi) {	/* the keys are ascending */
		uint32_t mid = lo + (hi - lo) / 2;
		int d = memcmp(c->keys[mid], key, 32);

		if (d == 0)
			return (int)mid;
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Clique's rule: one block of any n/2 + 1 in a row; *last: the height it sealed last. */
int
chain_rotation_ok(const struct chain *c, int idx, uint32_t *last)
{
	uint32_t span = c->p.nsigners / 2 + 1, k;

	for (k = 0; k + 1 < span && k < c->height; k++)	/* heights tip down to 1 */
		if (c->sealer[c->height - k] == idx) {
			*last = c->height - k;
			return 0;
		}
	return 1;
}

/* The seal of block `height`: a listed signer, its signature, its turn. */
static int
check_seal(struct chain *c, const struct block *b, const struct chain_pre *pre, struct bu_err *e)
{
	const struct coinbase *cb = &b->txs[0].u.cb;
	int idx, ok = pre != NULL && pre->sig != NULL ? pre->sig[0] : -1;
	uint32_t last;
	char who[17];

	bu_hex(who, cb->to, 8);
	if ((idx = chain_signer_index(c, cb->to)) < 0)
		return bad(e, "bad-seal", "the coinbase pays %s..., which is not a signer of the "
		    "chain: only a signer may seal a block", who);
	if (cb->extra.n != SEAL_HEX)
		return bad(e, "bad-seal", "the coinbase's extra is %zu hex digits, not a seal of %d",
		    cb->extra.n, SEAL_HEX);
	if (ok < 0) {
		ok = seal_check(c->idhex, b, &c->ids, &c->idcap);
		if (ok == -2)
			return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
		ok = ok == 0;
	}
	if (!ok)
		return bad(e, "bad-seal", "the seal is not %s...'s signature of this chain's id "
		    "and the header with the extra empty (changed since it was sealed?)", who);
	if (!chain_rotation_ok(c, idx, &last))
		return bu_fail(e, BU_EXIT_INVALID, "bad-seal-rotation",
		    "signer %s... sealed block %lu: it may seal one block of any %lu in a row",
		    who, (unsigned long)last, (unsigned long)(c->p.nsigners / 2 + 1));
	c->next_sealer = (uint8_t)idx;
	return 0;
}

/* The signatures of final record f: a quorum of signers, ascending, each valid. */
static int
check_final_sigs(const struct chain *c, const struct final *f, struct bu_err *e)
{
	unsigned char key[32], prev[32], sig[64];
	struct buf m = { 0 };
	uint32_t i;
	int rc = 0;

	if (f->nsigs < c->quorum)
		return bad(e, "bad-final", "%lu signatures, fewer than the quorum %lu",
		    (unsigned long)f->nsigs, (unsigned long)c->quorum);
	final_message(&m, c->idhex, f->height, f->hash);
	if (m.oom)
		rc = bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
	for (i = 0; rc == 0 && i < f->nsigs; i++) {
		final_sig(f, i, key, sig);
		if (i > 0 && memcmp(prev, key, 32) >= 0)
			rc = bad(e, "bad-final", "signature %lu: its key is not above the one "
			    "before: the signers must be distinct and in ascending order",
			    (unsigned long)i + 1);
		else if (chain_signer_index(c, key) < 0)
			rc = bad(e, "bad-final", "signature %lu: its key is not a signer of the chain",
			    (unsigned long)i + 1);
		else if (ed_verify(key, m.p, m.n, sig) != 0)
			rc = bad(e, "bad-final", "signature %lu is not its key's signature of "
			    "\"<chain id>:final:%lu:<hash>\"", (unsigned long)i + 1,
			    (unsigned long)f->height);
		memcpy(prev, key, 32);
	}
	buf_free(&m);
	return rc;
}

int
chain_final_check(struct chain *c, const struct tx *t, uint32_t *floor, struct bu_err *e)
{
	const struct final *f = &t->u.fin;
	uint32_t height = c->height + 1;

	if (!chain_permissioned(c))
		return bad(e, "bad-final", "a final record on a chain without signers");
	if (f->height >= height)
		return bad(e, "bad-final", "final for height %lu in block %lu: it must name a "
		    "block below the one that carries it", (unsigned long)f->height,
		    (unsigned long)height);
	if (memcmp(c->hashes[f->height], f->hash, 32) != 0)
		return bad(e, "bad-final", "final for a block that is not this chain's block at "
		    "height %lu", (unsigned long)f->height);
	if (*floor != UINT32_MAX && f->height < *floor)
		return bad(e, "bad-final", "final for height %lu, below the last final height %lu",
		    (unsigned long)f->height, (unsigned long)*floor);
	if (check_final_sigs(c, f, e) != 0)
		return -1;
	*floor = f->height;
	return 0;
}

/* SPEC section 7 for a block after genesis: its seal, then its final records in order. */
static int
check_consortium(struct chain *c, const struct block *b, const struct chain_pre *pre,
    struct bu_err *e)
{
	uint32_t floor;
	size_t i;

	c->next_final = UINT32_MAX;
	if (chain_permissioned(c) && check_seal(c, b, pre, e) != 0)
		return -1;
	if (!chain_final_height(c, &floor))
		floor = UINT32_MAX;
	for (i = 1; i < b->ntx; i++) {
		if (b->txs[i].kind != TX_FINAL)
			continue;
		if (chain_final_check(c, &b->txs[i], &floor, e) != 0)
			return txerr(e, i);
		c->next_final = floor;
	}
	return 0;
}

/* Room for height's entries in the per-height arrays of a permissioned chain. */
static int
grow_heights(struct chain *c, uint32_t height)
{
	size_t ncap;
	void *p, *q;

	if (height < c->hcap)
		return 0;
	ncap = c->hcap ? 2 * c->hcap : 1024;
	while (ncap <= height)
		ncap *= 2;
	if ((p = realloc(c->hashes, ncap * 32)) == NULL)
		return -1;
	c->hashes = p;
	if ((q = realloc(c->sealer, ncap)) == NULL)
		return -1;
	c->sealer = q;
	c->hcap = ncap;
	return 0;
}

/* Remember what a permissioned block leaves: its hash, its sealer, a new final height. */
static int
record_consortium(struct chain *c, uint32_t height, const unsigned char hash[32])
{
	if (grow_heights(c, height) != 0)
		return -1;
	memcpy(c->hashes[height], hash, 32);
	c->sealer[height] = height == 0 ? UINT8_MAX : c->next_sealer;
	if (height == 0 || c->next_final == UINT32_MAX)
		return 0;
	if (c->nfinals == c->fcap) {
		size_t ncap = c->fcap ? 2 * c->fcap : 16;
		void *p = realloc(c->finals, ncap * sizeof *c->finals);

		if (p == NULL)
			return -1;
		c->finals = p;
		c->fcap = ncap;
	}
	c->finals[c->nfinals].at = height;
	c->finals[c->nfinals++].height = c->next_final;
	return 0;
}

static int
genesis_params(struct chain *c, const struct block *b, struct bu_err *e)
{
	size_t i;

	if (b->ntx == 0 || b->txs[0].kind != TX_PARAMS)
		return bad(e, "bad-genesis", "the genesis block's first transaction is not params");
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
	return c->p.nsigners > 0 ? take_signers(c, e) : 0;
}

/* Set the rules from the first block: a genesis, or a trusted slice start. */
static int
start_chain(struct chain *c, const struct block *b, struct bu_err *e)
{
	static const unsigned char zero[32];

	if (c->o.bitcoin) {
		c->p = net_of(c)->p;
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
		return bad(e, "bad-genesis", "the genesis block's prev is not zero");
	return 0;
}

static int
check_genesis_id(const struct chain *c, const unsigned char hash[32], struct bu_err *e)
{
	unsigned char want[32];

	if (!c->o.bitcoin || c->o.sliced)
		return 0;
	bu_unhex_rev(net_of(c)->genesis, 64, want);
	if (memcmp(want, hash, 32) != 0)
		return bu_fail(e, BU_EXIT_INVALID, "bad-genesis", "not the genesis block %s of %s",
		    net_of(c)->genesis, net_of(c)->name);
	return 0;
}

static void
advance(struct chain *c, const struct block *b, uint32_t height,
    const unsigned char hash[32], const u256 *target)
{
	if (c->empty) {
		if (c->o.bitcoin)
			bu_unhex_rev(net_of(c)->genesis, 64, c->id);
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
	c->ntx += b->btc != NULL ? b->btc->ntx : b->ntx;
}

static int
check_header(struct chain *c, const struct block *b, const unsigned char hash[32],
    u256 *target, struct bu_err *e)
{
	struct hctx x;

	if (c->o.bitcoin && !b->raw)
		return bad(e, "bad-syntax", "--chain bitcoin reads raw Bitcoin headers and blocks only");
	if (!c->empty && memcmp(hash, c->tip, 32) == 0) {
		char hex[65];

		bu_hex_rev(hex, hash);
		bu_fail(e, BU_EXIT_NOTTIP, "duplicate",
		    "block %s is already in the chain, its tip at height %lu", hex,
		    (unsigned long)c->height);
		e->height = c->height;
		return -1;
	}
	if (c->empty)
		return chain_check_header(c, NULL, b, hash, target, e);
	chain_hctx(c, &x);
	return chain_check_header(c, &x, b, hash, target, e);
}

static int
check_length(const struct chain *c, const struct block *b, size_t len, struct bu_err *e)
{
	if (!b->raw && len + 1 > c->p.maxblock)
		return bu_fail(e, BU_EXIT_INVALID, "bad-blk-length",
		    "block line is %zu bytes, more than maxblock %lu", len + 1,
		    (unsigned long)c->p.maxblock);
	return 0;
}

/* Merkle and shape; the genesis block's shape was checked with its params. */
static int
check_txs(struct chain *c, const struct block *b, uint32_t height, const struct chain_pre *pre,
    int *mutated, struct bu_err *e)
{
	*mutated = 0;
	if (b->raw)
		return 0;
	if (check_merkle(c, b, pre, e) != 0) {
		*mutated = 1;
		return -1;
	}
	if (c->o.headers_only || (height == 0 && !c->o.sliced))
		return 0;
	return check_shape(b, height, e);
}

int
chain_check_block_pre(struct chain *c, const struct block *b, uint32_t height, size_t len,
    const struct chain_pre *pre, int *mutated, struct bu_err *e)
{
	*mutated = 0;
	if (check_length(c, b, len, e) != 0)
		return -1;
	return check_txs(c, b, height, pre, mutated, e);
}

int
chain_check_block(struct chain *c, const struct block *b, uint32_t height, size_t len,
    int *mutated, struct bu_err *e)
{
	return chain_check_block_pre(c, b, height, len, NULL, mutated, e);
}

static int
check_body(struct chain *c, const struct block *b, uint32_t height, const struct chain_pre *pre,
    struct bu_err *e)
{
	int mutated;

	if (b->raw)
		return b->btc != NULL ? btc_block_check(b->btc, net_of(c), height,
		    c->ntimes > 0 ? (int64_t)chain_mtp(c) : -1, e) : 0;
	if (check_txs(c, b, height, pre, &mutated, e) != 0)
		return -1;
	if (b->raw || c->o.headers_only || (height == 0 && !c->o.sliced))
		return 0;
	if (check_consortium(c, b, pre, e) != 0)
		return -1;
	return apply_txs(c, b, height, pre, e);
}

void
chain_rewind(struct chain *c, const struct chain_tip *t, struct ledger_mark m)
{
	unsigned i;

	c->height = t->height;
	memcpy(c->tip, t->hash, 32);
	c->tip_bits = t->bits;
	for (i = 0; i < t->ntimes; i++)
		c->times[i] = t->times[i];
	c->ntimes = t->ntimes;
	c->tpos = t->ntimes % MTP_SPAN;
	c->have_anchor = t->have_anchor;
	c->anchor_time = t->anchor_time;
	c->anchor_height = t->anchor_height;
	c->work = t->work;
	c->ntx = t->ntx;
	while (c->nfinals > 0 && c->finals[c->nfinals - 1].at > t->height)
		c->nfinals--;
	ledger_rollback(&c->ledger, m);
}

/*
 * chain_accept with the header's hash known; checked: the header and body
 * rules hold already; pre: what a worker checked already (or NULL).
 */
static int
accept(struct chain *c, const struct block *b, size_t len, const unsigned char hash[32],
    int checked, const struct chain_pre *pre, struct bu_err *e)
{
	uint32_t height = c->empty ? (c->o.sliced ? c->o.start_height : 0) : c->height + 1;
	struct ledger_mark mark;
	u256 target;

	if (!c->empty && c->height == UINT32_MAX)
		return bad(e, "bad-height", "the chain is at the last u32 height");
	if (c->empty && start_chain(c, b, e) != 0)
		goto fail;
	if (c->empty && !c->o.bitcoin && ledger_init(&c->ledger, c->p.maturity) != 0) {
		bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
		goto fail;
	}
	if (!checked && check_length(c, b, len, e) != 0)
		goto fail;
	mark = ledger_mark(&c->ledger);
	if (checked && (c->empty || memcmp(b->h.prev, c->tip, 32) != 0 ||
	    compact_decode(b->h.bits, &target) != 0)) {
		bu_fail(e, BU_EXIT_NOTTIP, "bad-prevblk", "the block does not extend the tip");
		goto fail;
	}
	if ((!checked && (check_header(c, b, hash, &target, e) != 0 ||
	    (c->empty && check_genesis_id(c, hash, e) != 0) ||
	    check_body(c, b, height, pre, e) != 0)) ||
	    (checked && !b->raw && !c->o.headers_only &&
	    (check_consortium(c, b, NULL, e) != 0 ||
	    apply_txs(c, b, height, NULL, e) != 0))) {
		if (c->ledger.tab != NULL)
			ledger_rollback(&c->ledger, mark);
		goto fail;
	}
	if (chain_permissioned(c) && !b->raw && !c->o.headers_only &&
	    record_consortium(c, height, hash) != 0) {
		ledger_rollback(&c->ledger, mark);
		bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
		goto fail;
	}
	if (!c->o.undo)
		ledger_commit(&c->ledger);
	advance(c, b, height, hash, &target);
	return 0;
fail:
	if (c->empty) {	/* forget the rules the failed first block set */
		free(c->pname);
		c->pname = NULL;
		drop_signers(c);
		ledger_free(&c->ledger);
		memset(&c->p, 0, sizeof c->p);
	}
	return -1;
}

int
chain_accept(struct chain *c, const struct block *b, size_t len, struct bu_err *e)
{
	unsigned char hash[32];

	header_hash(hash, &b->h);
	return accept(c, b, len, hash, 0, NULL, e);
}

int
chain_accept_hashed(struct chain *c, const struct block *b, size_t len,
    const unsigned char hash[32], struct bu_err *e)
{
	return accept(c, b, len, hash, 0, NULL, e);
}

int
chain_accept_pre(struct chain *c, const struct block *b, size_t len, const struct chain_pre *pre,
    struct bu_err *e)
{
	return accept(c, b, len, pre->hash, 0, pre, e);
}

int
chain_advance_header(struct chain *c, const struct block *b, const unsigned char hash[32],
    struct bu_err *e)
{
	u256 target;

	if (c->empty || !b->raw || b->btc != NULL || c->height == UINT32_MAX ||
	    compact_decode(b->h.bits, &target) != 0)
		return bu_fail(e, BU_EXIT_SYSTEM, "internal",
		    "a header taken as checked cannot be (the walk's own error)");
	advance(c, b, c->height + 1, hash, &target);
	return 0;
}

int
chain_connect(struct chain *c, const struct block *b, size_t len, const unsigned char hash[32],
    struct bu_err *e)
{
	return accept(c, b, len, hash, 1, NULL, e);
}
