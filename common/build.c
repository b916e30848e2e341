/* build.c: genesis and next blocks, with every transfer checked on the way in */
#include "build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lines.h"
#include "merkle.h"

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
    uint64_t *fees, struct bu_err *e)
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
	return toks_add(t, tx.tok.p, tx.tok.n, e);
}

static int
read_txs(struct chain *c, const char *path, int data, int skip, struct toks *t,
    uint64_t *fees, struct bu_err *e)
{
	struct lines r;
	const char *line;
	size_t len;
	int got, rc = 0;

	if (lines_open(&r, path, c->p.maxblock, e) != 0)
		return -1;
	r.torn_ok = 1;
	while ((got = lines_next(&r, &line, &len, e)) != 0) {
		if (got > 0 && take_line(c, t, line, len, data, fees, e) == 0)
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
	if (next_time(c, n->time, &b.h.time, e) != 0 ||
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
