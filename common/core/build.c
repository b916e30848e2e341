/* build.c: genesis and next blocks, with every transfer checked on the way in */
#include "build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lines.h"
#include "ed25519.h"
#include "merkle.h"
#include "seal.h"

int
toks_add(struct toks *t, const char *tok, size_t n, struct bu_err *e)
{
	if (t->n == t->cap) {
		size_t ncap = t->cap ? 2 * t->cap : 16;
		size_t *o = realloc(t->off, ncap * sizeof *o);

		if (o == NULL)
			return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
		t->off = o;
		if ((o = realloc(t->len, ncap * sizeof *o)) == NULL)
			return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
		t->len = o;
		t->cap = ncap;
	}
	t->off[t->n] = t->text.n;
	t->len[t->n] = n;
	buf_add(&t->text, tok, n);
	if (t->text.oom)
		return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
	t->n++;
	return 0;
}

void
toks_free(struct toks *t)
{
	buf_free(&t->text);
	free(t->off);
	free(t->len);
	memset(t, 0, sizeof *t);
}

int
toks_add_data(struct toks *t, const char *raw, size_t n, struct bu_err *e)
{
	struct buf tok = { 0 };
	int rc;

	buf_str(&tok, "data:");
	text_escape(&tok, raw, n);
	rc = tok.oom ? bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory") :
	    toks_add(t, tok.p, tok.n, e);
	buf_free(&tok);
	return rc;
}

int
toks_read_data(struct toks *t, const char *path, struct bu_err *e)
{
	struct lines r;
	const char *line;
	size_t len;
	int got;

	if (lines_open(&r, path, MAXBLOCK_LIMIT, e) != 0)
		return -1;
	r.torn_ok = 1;
	while ((got = lines_next(&r, &line, &len, e)) > 0)
		if (toks_add_data(t, line, len, e) != 0)
			break;
	if (got != 0 && e->code != BU_EXIT_SYSTEM) {
		e->file = r.name;
		e->line = r.lineno;
	}
	lines_close(&r);
	return got == 0 ? 0 : -1;
}

int
block_seal(struct block *b, const struct toks *t, struct bu_err *e)
{
	unsigned char (*ids)[32];
	size_t i;
	int dup;

	b->ntx = 0;
	for (i = 0; i < t->n; i++) {
		if (block_push_tx(b, e) != 0 ||
		    tx_parse(&b->txs[b->ntx - 1], t->text.p + t->off[i], t->len[i], e) != 0)
			return -1;
		if (t->len[i] == 64)
			return bu_fail(e, BU_EXIT_INVALID, "bad-txns-64byte",
			    "tx %zu is exactly 64 bytes", i);
	}
	if ((ids = malloc((2 * t->n + 1) * 32)) == NULL)
		return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
	for (i = 0; i < t->n; i++)
		tx_id(ids[i], &b->txs[i]);
	memcpy(ids + t->n, ids, t->n * 32);
	merkle_root(ids + t->n, t->n, b->h.merkle);
	dup = ids_have_duplicate(ids, t->n);
	free(ids);
	if (dup)
		return bu_fail(e, BU_EXIT_INVALID, "bad-txns-duplicate",
		    "two transactions have the same txid");
	header_hash(b->hash, &b->h);
	return 0;
}

static int
finish(struct block *b, const struct toks *t, uint32_t maxblock, struct buf *out,
    struct bu_err *e)
{
	if (block_seal(b, t, e) != 0)
		return -1;
	block_format(out, b);
	if (out->oom)
		return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
	if (out->n > maxblock)
		return bu_fail(e, BU_EXIT_INVALID, "bad-blk-length",
		    "the block would be %zu bytes, more than maxblock %lu", out->n,
		    (unsigned long)maxblock);
	return 0;
}

int
build_genesis(const struct genesis_opts *g, struct toks *data, struct buf *out,
    struct bu_err *e)
{
	struct toks t = { 0 };
	struct buf ptok = { 0 };
	struct block b;
	u256 target, lim;
	size_t i;
	int rc = -1;

	if (params_check(&g->p, e) != 0)
		return -1;
	compact_decode(g->p.powlimit, &lim);
	if (compact_decode(g->bits, &target) != 0 || u256_cmp(&target, &lim) > 0)
		return bu_fail(e, BU_EXIT_INVALID, "bad-diffbits",
		    "bits %08lx are not a valid target at most powlimit %08lx",
		    (unsigned long)g->bits, (unsigned long)g->p.powlimit);
	block_init(&b);
	b.h.version = g->version;
	b.h.time = g->time;
	b.h.bits = g->bits;
	tok_params(&ptok, &g->p, g->name, strlen(g->name));
	if (ptok.oom) {
		bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
		goto out;
	}
	if (toks_add(&t, ptok.p, ptok.n, e) != 0)
		goto out;
	for (i = 0; data != NULL && i < data->n; i++)
		if (toks_add(&t, data->text.p + data->off[i], data->len[i], e) != 0)
			goto out;
	rc = finish(&b, &t, g->p.maxblock, out, e);
out:
	buf_free(&ptok);
	toks_free(&t);
	block_free(&b);
	return rc;
}

/* One input line as a token: a data record, or a `tx` line checked against c. */
static int
take_line(struct chain *c, struct toks *t, const char *line, size_t len, int data,
    uint64_t *fees, uint32_t *floor, struct bu_err *e)
{
	struct ledger_mark m;
	struct tx tx;

	if (data)
		return toks_add_data(t, line, len, e);
	if (txline_parse(&tx, line, len, e) != 0)
		return -1;
	if (tx.kind == TX_COINBASE || tx.kind == TX_PARAMS)
		return bu_fail(e, BU_EXIT_INVALID, tx.kind == TX_COINBASE ?
		    "bad-cb-multiple" : "bad-txns-params",
		    "mkblock writes the coinbase itself; params belong in a genesis block");
	if (tx.kind == TX_TRANSFER) {
		m = ledger_mark(&c->ledger);
		if (chain_transfer(c, &tx, e) != 0) {
			ledger_rollback(&c->ledger, m);
			return -1;
		}
		if (tx.u.tr.fee > UINT64_MAX - *fees) {
			ledger_rollback(&c->ledger, m);
			return bu_fail(e, BU_EXIT_INVALID, "bad-txns-overflow", "fees overflow u64");
		}
		*fees += tx.u.tr.fee;
	}
	if (tx.kind == TX_FINAL && chain_final_check(c, &tx, floor, e) != 0)
		return -1;
	return toks_add(t, tx.tok.p, tx.tok.n, e);
}

static int
read_txs(struct chain *c, const char *path, int data, int skip, struct toks *t,
    uint64_t *fees, struct bu_err *e)
{
	struct lines r;
	const char *line;
	size_t len;
	uint32_t floor;
	int got, rc = 0;

	if (!chain_final_height(c, &floor))
		floor = UINT32_MAX;
	if (lines_open(&r, path, c->p.maxblock, e) != 0)
		return -1;
	r.torn_ok = 1;
	while ((got = lines_next(&r, &line, &len, e)) != 0) {
		if (got > 0 && take_line(c, t, line, len, data, fees, &floor, e) == 0)
			continue;
		if (e->code == BU_EXIT_SYSTEM) {
			rc = -1;
			break;
		}
		e->file = r.name;
		e->line = r.lineno;
		if (!skip || got < 0) {	/* the reader's errors end the input */
			rc = -1;
			break;
		}
		fprintf(stderr, "%s: %s:%llu: %s: skipped: %s\n", bu_progname, e->file,
		    (unsigned long long)e->line, e->reason, e->msg);
	}
	lines_close(&r);
	return rc;
}

/* The clock, kept above median time past; a time given explicitly must be above it. */
static int
next_time(const struct chain *c, int64_t want, uint32_t *out, struct bu_err *e)
{
	int64_t mtp = (int64_t)chain_mtp(c);

	if (want >= 0 && want <= mtp)
		return bu_fail(e, BU_EXIT_INVALID, "time-too-old",
		    "time %lld is not after the median time past %lld",
		    (long long)want, (long long)mtp);
	if (want < 0 && (want = bu_now()) < 0)
		want = 0;
	if (want <= mtp)
		want = mtp + 1;
	*out = want > UINT32_MAX ? UINT32_MAX : (uint32_t)want;
	return 0;
}

/* On a permissioned chain: the coinbase pays a signer whose turn it is, with the extra empty. */
static int
permissioned_coinbase(const struct chain *c, const struct next_opts *n, struct bu_err *e)
{
	uint32_t last;
	char who[17];
	int idx;

	if (!chain_permissioned(c))
		return 0;
	bu_hex(who, n->coinbase, 8);
	if ((idx = chain_signer_index(c, n->coinbase)) < 0)
		return bu_fail(e, BU_EXIT_INVALID, "bad-seal", "the coinbase account %s... is not a "
		    "signer of this chain: only a signer may make a block", who);
	if (n->extra[0] != '\0')
		return bu_fail(e, BU_EXIT_INVALID, "bad-seal", "on a permissioned chain the coinbase's "
		    "extra is the seal: mkblock leaves it empty for seal(1)");
	if (!chain_rotation_ok(c, idx, &last))
		return bu_fail(e, BU_EXIT_INVALID, "bad-seal-rotation", "signer %s... sealed block "
		    "%lu: it may seal one block of any %lu in a row", who, (unsigned long)last,
		    (unsigned long)(c->p.nsigners / 2 + 1));
	return 0;
}

int
build_next(struct chain *c, const struct next_opts *n, const char *path,
    int data, struct buf *out, struct bu_err *e)
{
	struct toks rest = { 0 }, t = { 0 };
	struct buf cb = { 0 };
	struct block b;
	uint32_t height = c->height + 1;
	uint64_t fees = 0, amount;
	size_t i;
	int rc = -1;

	block_init(&b);
	if (permissioned_coinbase(c, n, e) != 0 || next_time(c, n->time, &b.h.time, e) != 0 ||
	    ledger_mature(&c->ledger, height, e) != 0 ||
	    read_txs(c, path, data, n->skip_invalid, &rest, &fees, e) != 0)
		goto out;
	amount = chain_subsidy(&c->p, height);
	amount = fees > UINT64_MAX - amount ? UINT64_MAX : amount + fees;
	tok_coinbase(&cb, height, n->coinbase, amount, n->extra, strlen(n->extra));
	if (cb.oom) {
		bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
		goto out;
	}
	if (toks_add(&t, cb.p, cb.n, e) != 0)
		goto out;
	for (i = 0; i < rest.n; i++)
		if (toks_add(&t, rest.text.p + rest.off[i], rest.len[i], e) != 0)
			goto out;
	b.height = height;
	b.h.version = n->version;
	memcpy(b.h.prev, c->tip, 32);
	b.h.bits = chain_required_bits(c, height);
	rc = finish(&b, &t, c->p.maxblock, out, e);
out:
	buf_free(&cb);
	toks_free(&rest);
	toks_free(&t);
	block_free(&b);
	return rc;
}

int
build_seal(const struct chain *c, const unsigned char sec[32], const unsigned char pub[32],
    const char *line, size_t len, struct buf *out, struct bu_err *e)
{
	unsigned char msg[SEAL_MSG], root[32], sig[64], (*ids)[32] = NULL;
	char hex[SEAL_HEX + 1], who[17];
	struct toks t = { 0 };
	struct buf cb = { 0 };
	struct block b;
	const struct coinbase *k;
	size_t i, idcap = 0;
	uint32_t last;
	int rc = -1, idx;

	block_init(&b);
	bu_hex(who, pub, 8);
	if (block_parse(&b, line, len, 0, e) != 0)
		goto out;
	if (b.height != c->height + 1 || memcmp(b.h.prev, c->tip, 32) != 0) {
		bu_fail(e, BU_EXIT_NOTTIP, "bad-prevblk", "block %lu does not extend the chain's tip "
		    "at height %lu", (unsigned long)b.height, (unsigned long)c->height);
		goto out;
	}
	if (b.txs[0].kind != TX_COINBASE) {
		bu_fail(e, BU_EXIT_INVALID, "bad-cb-missing", "the first transaction is not a coinbase");
		goto out;
	}
	k = &b.txs[0].u.cb;
	if (memcmp(k->to, pub, 32) != 0 || (idx = chain_signer_index(c, pub)) < 0) {
		bu_fail(e, BU_EXIT_INVALID, "bad-seal", memcmp(k->to, pub, 32) != 0 ?
		    "a signer seals its own block: the coinbase does not pay the key's account %s..." :
		    "the key's account %s... is not a signer of this chain", who);
		goto out;
	}
	if (k->extra.n != 0) {
		bu_fail(e, BU_EXIT_INVALID, "bad-seal", "the coinbase's extra is not empty (sealed "
		    "already?): the seal is all of it");
		goto out;
	}
	if (!chain_rotation_ok(c, idx, &last)) {
		bu_fail(e, BU_EXIT_INVALID, "bad-seal-rotation", "signer %s... sealed block %lu: it "
		    "may seal one block of any %lu in a row", who, (unsigned long)last,
		    (unsigned long)(c->p.nsigners / 2 + 1));
		goto out;
	}
	if (seal_root(&b, &ids, &idcap, root) != 0) {
		bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
		goto out;
	}
	seal_message(msg, c->idhex, &b.h, root);
	if (ed_sign(sec, msg, sizeof msg, sig, e) != 0)
		goto out;
	bu_hex(hex, sig, 64);
	tok_coinbase(&cb, k->height, k->to, k->amount, hex, SEAL_HEX);
	if (cb.oom) {
		bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
		goto out;
	}
	if (toks_add(&t, cb.p, cb.n, e) != 0)
		goto out;
	for (i = 1; i < b.ntx; i++)
		if (toks_add(&t, b.txs[i].tok.p, b.txs[i].tok.n, e) != 0)
			goto out;
	rc = finish(&b, &t, c->p.maxblock, out, e);
out:
	free(ids);
	buf_free(&cb);
	toks_free(&t);
	block_free(&b);
	return rc;
}

/* A final record for block height of c is possible: on the chain, not below its last final. */
static int
final_target(const struct chain *c, uint32_t height, struct bu_err *e)
{
	uint32_t floor;

	if (!chain_permissioned(c))
		return bu_fail(e, BU_EXIT_INVALID, "bad-final", "the chain lists no signers: "
		    "nothing on it is final");
	if (height > c->height)
		return bu_fail(e, BU_EXIT_INVALID, "bad-final", "height %lu is above the chain's tip "
		    "%lu", (unsigned long)height, (unsigned long)c->height);
	if (chain_final_height(c, &floor) && height < floor)
		return bu_fail(e, BU_EXIT_INVALID, "bad-final", "height %lu is below the last final "
		    "height %lu", (unsigned long)height, (unsigned long)floor);
	return 0;
}

int
final_sign(const struct chain *c, const unsigned char sec[32], const unsigned char pub[32],
    uint32_t height, struct buf *out, struct bu_err *e)
{
	unsigned char sig[64];
	struct buf m = { 0 };
	char hex[129];
	int rc;

	if (final_target(c, height, e) != 0)
		return -1;
	if (chain_signer_index(c, pub) < 0)
		return bu_fail(e, BU_EXIT_INVALID, "bad-final", "the key's account is not a signer "
		    "of this chain");
	final_message(&m, c->idhex, height, c->hashes[height]);
	rc = m.oom ? bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory") :
	    ed_sign(sec, m.p, m.n, sig, e);
	buf_free(&m);
	if (rc != 0)
		return -1;
	buf_fmt(out, "tx final:%lu:", (unsigned long)height);
	buf_hash(out, c->hashes[height]);
	bu_hex(hex, pub, 32);
	buf_fmt(out, ":%.64s/", hex);
	bu_hex(hex, sig, 64);
	buf_add(out, hex, 128);
	buf_add(out, "\n", 1);
	return out->oom ? bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory") : 0;
}

struct signed_by {
	unsigned char key[32], sig[64];
};

static int
cmp_signed(const void *a, const void *b)
{
	return memcmp(a, b, 32);
}

/* Take the signatures of one final line into v (checked against c), unless a key is there. */
static int
join_line(const struct chain *c, const struct tx *t, const struct tx *first,
    struct signed_by *v, size_t *n, struct bu_err *e)
{
	const struct final *f = &t->u.fin;
	struct buf m = { 0 };
	struct signed_by x;
	size_t i, k;
	int rc = 0;

	if (t->kind != TX_FINAL)
		return bu_fail(e, BU_EXIT_INVALID, "bad-final", "not a final record");
	if (f->height != first->u.fin.height || memcmp(f->hash, first->u.fin.hash, 32) != 0)
		return bu_fail(e, BU_EXIT_INVALID, "bad-final", "a final for another block than the "
		    "first line's (height %lu)", (unsigned long)first->u.fin.height);
	if (final_target(c, f->height, e) != 0)
		return -1;
	if (memcmp(c->hashes[f->height], f->hash, 32) != 0)
		return bu_fail(e, BU_EXIT_INVALID, "bad-final", "a final for a block that is not the "
		    "chain's block at height %lu", (unsigned long)f->height);
	final_message(&m, c->idhex, f->height, f->hash);
	if (m.oom)
		rc = bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
	for (i = 0; rc == 0 && i < f->nsigs; i++) {
		final_sig(f, i, x.key, x.sig);
		for (k = 0; k < *n && memcmp(v[k].key, x.key, 32) != 0; k++)
			;
		if (k < *n)
			continue;	/* signed already */
		if (chain_signer_index(c, x.key) < 0)
			rc = bu_fail(e, BU_EXIT_INVALID, "bad-final", "signature %zu: its key is not a "
			    "signer of the chain", i + 1);
		else if (ed_verify(x.key, m.p, m.n, x.sig) != 0)
			rc = bu_fail(e, BU_EXIT_INVALID, "bad-final", "signature %zu is not its key's "
			    "signature of this block", i + 1);
		else
			v[(*n)++] = x;
	}
	buf_free(&m);
	return rc;
}

int
final_join(const struct chain *c, const char *path, struct buf *out, struct bu_err *e)
{
	struct signed_by v[SIGNERS_MAX];
	struct buf firstline = { 0 };
	struct tx t, first;
	struct lines r;
	const char *line;
	size_t len, n = 0, i;
	char hex[129];
	int got, rc = 0;

	if (lines_open(&r, path, 1u << 16, e) != 0)
		return -1;
	while (rc == 0 && (got = lines_next(&r, &line, &len, e)) > 0) {
		if (firstline.n == 0) {
			buf_add(&firstline, line, len);
			if (firstline.oom) {
				rc = bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
				break;
			}
			if (txline_parse(&first, firstline.p, firstline.n, e) != 0) {
				rc = -1;
				break;
			}
		}
		if (txline_parse(&t, line, len, e) != 0 || join_line(c, &t, &first, v, &n, e) != 0)
			rc = -1;
	}
	if (rc == 0 && got < 0)
		rc = -1;
	if (rc != 0 && e->code != BU_EXIT_SYSTEM) {
		e->file = r.name;
		e->line = r.lineno;
	}
	if (rc == 0 && n == 0)
		rc = bu_fail(e, BU_EXIT_INVALID, "bad-final", "%s: no final lines to join", r.name);
	lines_close(&r);
	if (rc == 0 && n < c->quorum)
		rc = bu_fail(e, BU_EXIT_INVALID, "bad-final", "%zu signers, fewer than the quorum %lu: "
		    "%lu more must sign", n, (unsigned long)c->quorum, (unsigned long)(c->quorum - n));
	if (rc == 0) {
		qsort(v, n, sizeof v[0], cmp_signed);
		buf_fmt(out, "tx final:%lu:", (unsigned long)first.u.fin.height);
		buf_hash(out, first.u.fin.hash);
		for (i = 0; i < n; i++) {
			bu_hex(hex, v[i].key, 32);
			buf_fmt(out, "%c%.64s/", i == 0 ? ':' : '+', hex);
			bu_hex(hex, v[i].sig, 64);
			buf_add(out, hex, 128);
		}
		buf_add(out, "\n", 1);
		if (out->oom)
			rc = bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
	}
	buf_free(&firstline);
	return rc;
}
