/* decode.c: what inspect and chain-info show of a record, as text and as JSON */
#include "decode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "btc.h"
#include "hash.h"
#include "merkle.h"
#include "u256.h"

static const char *const kinds[] = { "params", "coinbase", "transfer", "data", "final" };

static void
label(struct buf *o, const char *indent, const char *name)
{
	buf_fmt(o, "%s%-12s", indent, name);
}

static void
line_hash(struct buf *o, const char *indent, const char *name, const unsigned char h[32])
{
	label(o, indent, name);
	buf_hash(o, h);
	buf_add(o, "\n", 1);
}

static void
line_u64(struct buf *o, const char *indent, const char *name, uint64_t v)
{
	label(o, indent, name);
	buf_fmt(o, "%llu\n", (unsigned long long)v);
}

static void
line_hex(struct buf *o, const char *indent, const char *name, const unsigned char *p,
    size_t n)
{
	label(o, indent, name);
	if (buf_reserve(o, 2 * n) == 0) {
		bu_hex(o->p + o->n, p, n);
		o->n += 2 * n;
	}
	buf_add(o, "\n", 1);
}

void
text_for_people(struct buf *o, const char *escaped, size_t n)
{
	struct buf raw = { 0 };
	size_t i = 0, l;

	if (buf_reserve(&raw, n) != 0) {
		o->oom = 1;
		return;
	}
	raw.n = text_unescape(raw.p, escaped, n);
	buf_add(o, "\"", 1);
	while (i < raw.n) {
		unsigned char c = (unsigned char)raw.p[i];

		if (c == '"' || c == '\\')
			buf_fmt(o, "\\%c", c);
		else if (c == '\n')
			buf_str(o, "\\n");
		else if (c == '\t')
			buf_str(o, "\\t");
		else if (c < 0x20 || c == 0x7f || (l = utf8_len((unsigned char *)raw.p + i, raw.n - i)) == 0)
			buf_fmt(o, "\\x%02x", c);
		else {
			buf_add(o, raw.p + i, l);
			i += l;
			continue;
		}
		i++;
	}
	buf_add(o, "\"", 1);
	buf_free(&raw);
}

static void
line_text(struct buf *o, const char *indent, const char *name, struct span s)
{
	label(o, indent, name);
	text_for_people(o, s.p, s.n);
	buf_add(o, "\n", 1);
}

void
time_for_people(struct buf *o, uint32_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char s[40];

	if (gmtime_r(&tt, &tm) != NULL && strftime(s, sizeof s, "%Y-%m-%d %H:%M:%S UTC", &tm) > 0)
		buf_fmt(o, "%lu (%s)", (unsigned long)t, s);
	else
		buf_fmt(o, "%lu", (unsigned long)t);
}

static void
time_text(struct buf *o, const char *indent, uint32_t t)
{
	label(o, indent, "time");
	time_for_people(o, t);
	buf_add(o, "\n", 1);
}

/* Target, difficulty and work of bits, or why there are none. */
static void
pow_text(struct buf *o, const char *indent, uint32_t bits)
{
	unsigned char le[32];
	char dec[79], hex[65];
	u256 t, w;

	label(o, indent, "bits");
	buf_fmt(o, "%08lx\n", (unsigned long)bits);
	if (compact_decode(bits, &t) != 0) {
		label(o, indent, "target");
		buf_str(o, "none: the bits are negative, zero or overflow\n");
		return;
	}
	u256_to_le(le, &t);
	line_hash(o, indent, "target", le);
	label(o, indent, "difficulty");
	buf_fmt(o, "%.10g\n", compact_difficulty(bits));
	u256_work(&w, &t);
	u256_dec(dec, &w);
	u256_hex(hex, &w);
	label(o, indent, "work");
	buf_fmt(o, "%s (hex %s)\n", dec, hex);
}

static void
pow_json(struct json *j, uint32_t bits)
{
	unsigned char le[32];
	char hex[65], b[9];
	u256 t, w;

	snprintf(b, sizeof b, "%08lx", (unsigned long)bits);
	json_cstr(j, "bits", b);
	if (compact_decode(bits, &t) != 0) {
		json_null(j, "target");
		json_null(j, "difficulty");
		json_null(j, "work");
		return;
	}
	u256_to_le(le, &t);
	json_hash(j, "target", le);
	json_dbl(j, "difficulty", compact_difficulty(bits));
	u256_work(&w, &t);
	u256_hex(hex, &w);
	json_cstr(j, "work", hex);
}

/* stored beside computed; 1 when they differ. */
static int
compare_text(struct buf *o, const char *name, const unsigned char stored[32],
    const unsigned char computed[32])
{
	int differ = memcmp(stored, computed, 32) != 0;

	line_hash(o, "  ", name, stored);
	label(o, "  ", "");
	buf_hash(o, computed);
	buf_str(o, differ ? " computed: DIFFERS\n" : " computed: the same\n");
	return differ;
}

static int
compare_json(struct json *j, const char *name, const unsigned char stored[32],
    const unsigned char computed[32])
{
	char key[32];
	int differ = memcmp(stored, computed, 32) != 0;

	json_hash(j, name, stored);
	snprintf(key, sizeof key, "%s_computed", name);
	json_hash(j, key, computed);
	snprintf(key, sizeof key, "%s_ok", name);
	json_bool(j, key, !differ);
	return differ;
}

static void
where_text(struct buf *o, const char *what, const struct where *w)
{
	buf_str(o, what);
	if (w->file != NULL)
		buf_fmt(o, " (%s:%llu)", w->file, (unsigned long long)w->line);
	buf_add(o, "\n", 1);
}

static void
where_json(struct json *j, struct buf *o, const char *type, const struct where *w)
{
	json_start(j, o);
	json_cstr(j, "type", type);
	if (w->file != NULL) {
		json_cstr(j, "file", w->file);
		json_num(j, "line", w->line);
	}
}

static void
tx_fields_text(struct buf *o, const struct tx *t, const char *in)
{
	const struct params *p = &t->u.params;
	const struct coinbase *cb = &t->u.cb;
	const struct transfer *tr = &t->u.tr;
	unsigned char key[32], sig[64];
	uint32_t i;

	switch (t->kind) {
	case TX_PARAMS:
		line_text(o, in, "name", p->name);
		line_u64(o, in, "spacing", p->spacing);
		line_u64(o, in, "retarget", p->retarget);
		label(o, in, "powlimit");
		buf_fmt(o, "%08lx\n", (unsigned long)p->powlimit);
		line_u64(o, in, "subsidy", p->subsidy);
		line_u64(o, in, "halving", p->halving);
		line_u64(o, in, "maturity", p->maturity);
		line_u64(o, in, "maxblock", p->maxblock);
		for (i = 0; i < p->nsigners; i++) {
			params_signer(p, i, key);
			line_hex(o, in, "signer", key, 32);
		}
		if (p->quorum > 0)
			line_u64(o, in, "quorum", p->quorum);
		break;
	case TX_COINBASE:
		line_u64(o, in, "height", cb->height);
		line_hex(o, in, "to", cb->to, 32);
		line_u64(o, in, "amount", cb->amount);
		label(o, in, "extra");
		if (cb->extra.n > 0)
			buf_fmt(o, "%.*s\n", (int)cb->extra.n, cb->extra.p);
		else
			buf_str(o, "(empty)\n");
		break;
	case TX_TRANSFER:
		line_hex(o, in, "from", tr->from, 32);
		line_hex(o, in, "to", tr->to, 32);
		line_u64(o, in, "amount", tr->amount);
		line_u64(o, in, "fee", tr->fee);
		line_u64(o, in, "nonce", tr->nonce);
		line_text(o, in, "memo", tr->memo);
		line_hex(o, in, "sig", tr->sig, 64);
		break;
	case TX_DATA:
		line_text(o, in, "data", t->u.data);
		break;
	case TX_FINAL:
		line_u64(o, in, "height", t->u.fin.height);
		label(o, in, "hash");
		buf_hash(o, t->u.fin.hash);
		buf_add(o, "\n", 1);
		for (i = 0; i < t->u.fin.nsigs; i++) {
			final_sig(&t->u.fin, i, key, sig);
			line_hex(o, in, "signer", key, 32);
			line_hex(o, in, "sig", sig, 64);
		}
		break;
	}
}

void
tx_text(struct buf *o, const struct tx *t, const char *indent)
{
	unsigned char id[32];
	char in[32];

	tx_id(id, t);
	buf_fmt(o, "%s%s txid ", indent, kinds[t->kind]);
	buf_hash(o, id);
	buf_add(o, "\n", 1);
	snprintf(in, sizeof in, "%s    ", indent);
	tx_fields_text(o, t, in);
}

void
text_json(struct json *j, const char *key, struct span s)
{
	struct buf raw = { 0 };
	char hexkey[32];

	if (buf_reserve(&raw, s.n) != 0) {
		j->out->oom = 1;
		return;
	}
	raw.n = text_unescape(raw.p, s.p, s.n);
	json_str(j, key, raw.p, raw.n);
	snprintf(hexkey, sizeof hexkey, "%s_hex", key);
	json_hex(j, hexkey, (const unsigned char *)raw.p, raw.n);
	buf_free(&raw);
}

static void
tx_fields_json(struct json *j, const struct tx *t)
{
	const struct params *p = &t->u.params;
	const struct transfer *tr = &t->u.tr;
	unsigned char key[32], sig[64];
	uint32_t i;
	char b[9];

	switch (t->kind) {
	case TX_PARAMS:
		text_json(j, "name", p->name);
		json_num(j, "spacing", p->spacing);
		json_num(j, "retarget", p->retarget);
		snprintf(b, sizeof b, "%08lx", (unsigned long)p->powlimit);
		json_cstr(j, "powlimit", b);
		json_u64(j, "subsidy", p->subsidy);
		json_num(j, "halving", p->halving);
		json_num(j, "maturity", p->maturity);
		json_num(j, "maxblock", p->maxblock);
		if (p->nsigners > 0) {
			json_arr(j, "signers");
			for (i = 0; i < p->nsigners; i++) {
				params_signer(p, i, key);
				json_hex(j, NULL, key, 32);
			}
			json_close(j);
			json_num(j, "quorum", p->quorum);
		}
		break;
	case TX_COINBASE:
		json_num(j, "height", t->u.cb.height);
		json_hex(j, "to", t->u.cb.to, 32);
		json_u64(j, "amount", t->u.cb.amount);
		json_str(j, "extra", t->u.cb.extra.p, t->u.cb.extra.n);
		break;
	case TX_TRANSFER:
		json_hex(j, "from", tr->from, 32);
		json_hex(j, "to", tr->to, 32);
		json_u64(j, "amount", tr->amount);
		json_u64(j, "fee", tr->fee);
		json_u64(j, "nonce", tr->nonce);
		text_json(j, "memo", tr->memo);
		json_hex(j, "sig", tr->sig, 64);
		break;
	case TX_DATA:
		text_json(j, "data", t->u.data);
		break;
	case TX_FINAL:
		json_num(j, "height", t->u.fin.height);
		json_hash(j, "hash", t->u.fin.hash);
		json_arr(j, "signatures");
		for (i = 0; i < t->u.fin.nsigs; i++) {
			final_sig(&t->u.fin, i, key, sig);
			json_obj(j, NULL);
			json_hex(j, "key", key, 32);
			json_hex(j, "sig", sig, 64);
			json_close(j);
		}
		json_close(j);
		break;
	}
}

void
tx_json(struct json *j, const char *key, const struct tx *t)
{
	unsigned char id[32];

	tx_id(id, t);
	json_obj(j, key);
	json_cstr(j, "kind", kinds[t->kind]);
	json_hash(j, "txid", id);
	tx_fields_json(j, t);
	json_close(j);
}

void
decode_tx(struct buf *o, const struct tx *t, const struct where *w)
{
	struct json j;

	if (!w->json) {
		where_text(o, "tx", w);
		tx_text(o, t, "  ");
		return;
	}
	where_json(&j, o, "tx", w);
	tx_json(&j, "tx", t);
	json_finish(&j);
}

/* The computed merkle root of b's transactions; 0, or -1 when memory ran out. */
static int
block_merkle(const struct block *b, unsigned char root[32])
{
	unsigned char (*ids)[32] = malloc((b->ntx + 1) * sizeof *ids);
	size_t i;

	if (ids == NULL)
		return -1;
	for (i = 0; i < b->ntx; i++)
		tx_id(ids[i], &b->txs[i]);
	merkle_root(ids, b->ntx, root);
	free(ids);
	return 0;
}

static void
header_rest_text(struct buf *o, const struct header *h)
{
	time_text(o, "  ", h->time);
	pow_text(o, "  ", h->bits);
	line_u64(o, "  ", "nonce", h->nonce);
}

static void
header_rest_json(struct json *j, const struct header *h)
{
	json_num(j, "time", h->time);
	pow_json(j, h->bits);
	json_num(j, "nonce", h->nonce);
}

static int
block_text(struct buf *o, const struct block *b, size_t len, const unsigned char hash[32],
    const unsigned char root[32], const struct where *w)
{
	int differ;
	size_t i;

	where_text(o, "block", w);
	line_u64(o, "  ", "height", b->height);
	differ = compare_text(o, "hash", b->hash, hash);
	line_u64(o, "  ", "version", b->h.version);
	line_hash(o, "  ", "prev", b->h.prev);
	differ |= compare_text(o, "merkle", b->h.merkle, root);
	header_rest_text(o, &b->h);
	label(o, "  ", "size");
	buf_fmt(o, "%zu bytes\n", len + 1);
	line_u64(o, "  ", "txs", b->ntx);
	for (i = 0; i < b->ntx; i++) {
		char in[32];

		snprintf(in, sizeof in, "  tx %zu ", i);
		buf_fmt(o, "%-14s", in);
		tx_text(o, &b->txs[i], "");
		if (buf_reserve(o, 0) != 0)
			break;
	}
	return differ;
}

static int
block_json(struct buf *o, const struct block *b, size_t len, const unsigned char hash[32],
    const unsigned char root[32], const struct where *w)
{
	struct json j;
	int differ;
	size_t i;

	where_json(&j, o, "block", w);
	json_num(&j, "height", b->height);
	differ = compare_json(&j, "hash", b->hash, hash);
	json_num(&j, "version", b->h.version);
	json_hash(&j, "prev", b->h.prev);
	differ |= compare_json(&j, "merkle", b->h.merkle, root);
	header_rest_json(&j, &b->h);
	json_num(&j, "size", len + 1);
	json_arr(&j, "txs");
	for (i = 0; i < b->ntx; i++)
		tx_json(&j, NULL, &b->txs[i]);
	json_close(&j);
	json_finish(&j);
	return differ;
}

int
decode_block(struct buf *o, const struct block *b, size_t len, const struct where *w)
{
	unsigned char hash[32], root[32];

	header_hash(hash, &b->h);
	if (block_merkle(b, root) != 0) {
		o->oom = 1;
		return 0;
	}
	if (w->json)
		return block_json(o, b, len, hash, root, w);
	return block_text(o, b, len, hash, root, w);
}

static void
height_text(struct buf *o, int64_t height)
{
	label(o, "  ", "height");
	if (height >= 0)
		buf_fmt(o, "%lld\n", (long long)height);
	else
		buf_str(o, "unknown (no parent read before it)\n");
}

static void
height_json(struct json *j, int64_t height)
{
	if (height >= 0)
		json_int(j, "height", height);
	else
		json_null(j, "height");
}

void
decode_header(struct buf *o, const struct header *h, int64_t height, const struct where *w)
{
	unsigned char hash[32];
	struct json j;

	header_hash(hash, h);
	if (!w->json) {
		where_text(o, "header", w);
		height_text(o, height);
		line_hash(o, "  ", "hash", hash);
		line_u64(o, "  ", "version", h->version);
		line_hash(o, "  ", "prev", h->prev);
		line_hash(o, "  ", "merkle", h->merkle);
		header_rest_text(o, h);
		return;
	}
	where_json(&j, o, "header", w);
	height_json(&j, height);
	json_hash(&j, "hash", hash);
	json_num(&j, "version", h->version);
	json_hash(&j, "prev", h->prev);
	json_hash(&j, "merkle", h->merkle);
	header_rest_json(&j, h);
	json_finish(&j);
}

/* What a proof computes: its transaction's id and the root its branch leads to. */
struct proof_facts {
	unsigned char txid[32], root[32];
	int have_txid, have_root, ok;
	struct tx t;
	int have_tx;
	struct bu_err err;
};

static void
proof_facts(const struct proof *p, int bitcoin, struct proof_facts *f)
{
	size_t base;

	memset(f, 0, sizeof *f);
	f->ok = proof_check(p, bitcoin, &f->err) == 0;
	f->have_root = merkle_from_branch(p->txid, p->index, p->branch, p->depth, f->root) == 0;
	if (bitcoin) {
		f->have_txid = btc_tx_hex_id(p->tok.p, p->tok.n, f->txid, &base, NULL) == 0;
		return;
	}
	f->have_tx = tx_parse(&f->t, p->tok.p, p->tok.n, NULL) == 0;
	sha256d(p->tok.p, p->tok.n, f->txid);
	f->have_txid = 1;
}

static void
proof_text(struct buf *o, const struct proof *p, const struct proof_facts *f,
    const struct where *w)
{
	size_t i;

	where_text(o, "proof", w);
	line_hash(o, "  ", "chain", p->chain);
	line_u64(o, "  ", "height", p->height);
	line_hash(o, "  ", "hash", p->hash);
	line_u64(o, "  ", "version", p->h.version);
	line_hash(o, "  ", "prev", p->h.prev);
	line_hash(o, "  ", "merkle", p->h.merkle);
	header_rest_text(o, &p->h);
	if (f->have_txid)
		compare_text(o, "txid", p->txid, f->txid);
	else
		line_hash(o, "  ", "txid", p->txid);
	line_u64(o, "  ", "index", p->index);
	for (i = 0; i < p->depth; i++)
		line_hash(o, "  ", i == 0 ? "branch" : "", p->branch[i]);
	if (p->depth == 0)
		line_u64(o, "  ", "branch", 0);
	if (f->have_root) {
		label(o, "  ", "root");
		buf_hash(o, f->root);
		buf_str(o, memcmp(f->root, p->h.merkle, 32) == 0 ?
		    " from the branch: the header's merkle\n" : " from the branch: DIFFERS from the header's merkle\n");
	}
	label(o, "  ", "check");
	if (f->ok)
		buf_str(o, "ok (the header's proof of work, the txid, the branch)\n");
	else
		buf_fmt(o, "%s: %s\n", f->err.reason, f->err.msg);
	if (f->have_tx) {
		buf_fmt(o, "%-14s", "  tx");
		tx_text(o, &f->t, "");
	} else {
		label(o, "  ", "tx");
		buf_fmt(o, "%zu hex digits (a raw Bitcoin transaction)\n", p->tok.n);
	}
}

static void
proof_json(struct buf *o, const struct proof *p, const struct proof_facts *f,
    const struct where *w)
{
	struct json j;
	size_t i;

	where_json(&j, o, "proof", w);
	json_hash(&j, "chain", p->chain);
	json_num(&j, "height", p->height);
	json_hash(&j, "hash", p->hash);
	json_num(&j, "version", p->h.version);
	json_hash(&j, "prev", p->h.prev);
	json_hash(&j, "merkle", p->h.merkle);
	header_rest_json(&j, &p->h);
	if (f->have_txid)
		compare_json(&j, "txid", p->txid, f->txid);
	else
		json_hash(&j, "txid", p->txid);
	json_num(&j, "index", p->index);
	json_arr(&j, "branch");
	for (i = 0; i < p->depth; i++)
		json_hash(&j, NULL, p->branch[i]);
	json_close(&j);
	if (f->have_root) {
		json_hash(&j, "root_computed", f->root);
		json_bool(&j, "root_ok", memcmp(f->root, p->h.merkle, 32) == 0);
	}
	json_bool(&j, "ok", f->ok);
	if (!f->ok) {
		json_cstr(&j, "reason", f->err.reason);
		json_cstr(&j, "message", f->err.msg);
	}
	if (f->have_tx)
		tx_json(&j, "tx", &f->t);
	else
		json_str(&j, "tx_hex", p->tok.p, p->tok.n);
	json_finish(&j);
}

int
decode_proof(struct buf *o, const struct proof *p, int bitcoin, const struct where *w)
{
	struct proof_facts f;

	proof_facts(p, bitcoin, &f);
	if (w->json)
		proof_json(o, p, &f, w);
	else
		proof_text(o, p, &f, w);
	return !f.ok;
}

static void
btc_text(struct buf *o, const struct btc_block *b, int64_t height, size_t len,
    const unsigned char hash[32], const unsigned char root[32], const struct where *w)
{
	size_t i;

	where_text(o, "bitcoin block", w);
	height_text(o, height);
	line_hash(o, "  ", "hash", hash);
	line_u64(o, "  ", "version", b->h.version);
	line_hash(o, "  ", "prev", b->h.prev);
	compare_text(o, "merkle", b->h.merkle, root);
	header_rest_text(o, &b->h);
	label(o, "  ", "size");
	buf_fmt(o, "%zu bytes (%zu hex digits)\n", len / 2, len);
	line_u64(o, "  ", "txs", b->ntx);
	for (i = 0; i < b->ntx; i++)
		line_hash(o, "  ", i == 0 ? "txids" : "", b->tx[i].txid);
}

static void
btc_json(struct buf *o, const struct btc_block *b, int64_t height, size_t len,
    const unsigned char hash[32], const unsigned char root[32], const struct where *w)
{
	struct json j;
	size_t i;

	where_json(&j, o, "bitcoin-block", w);
	height_json(&j, height);
	json_hash(&j, "hash", hash);
	json_num(&j, "version", b->h.version);
	json_hash(&j, "prev", b->h.prev);
	compare_json(&j, "merkle", b->h.merkle, root);
	header_rest_json(&j, &b->h);
	json_num(&j, "size", len / 2);
	json_arr(&j, "txids");
	for (i = 0; i < b->ntx; i++)
		json_hash(&j, NULL, b->tx[i].txid);
	json_close(&j);
	json_finish(&j);
}

int
decode_btc_block(struct buf *o, const struct btc_block *b, int64_t height, size_t len,
    const struct where *w)
{
	unsigned char hash[32], root[32], (*ids)[32];
	size_t i;

	if ((ids = malloc((b->ntx + 1) * sizeof *ids)) == NULL) {
		o->oom = 1;
		return 0;
	}
	for (i = 0; i < b->ntx; i++)
		memcpy(ids[i], b->tx[i].txid, 32);
	merkle_root(ids, b->ntx, root);
	free(ids);
	header_hash(hash, &b->h);
	if (w->json)
		btc_json(o, b, height, len, hash, root, w);
	else
		btc_text(o, b, height, len, hash, root, w);
	return memcmp(root, b->h.merkle, 32) != 0;
}
