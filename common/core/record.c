/* record.c: strict parser and canonical writer for block lines and tx tokens */
#include "record.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"

void
block_init(struct block *b)
{
	memset(b, 0, sizeof *b);
}

void
block_free(struct block *b)
{
	free(b->txs);
	block_init(b);
}

static int
synerr(struct bu_err *e, const char *field, const char *what)
{
	return bu_fail(e, BU_EXIT_INVALID, "bad-syntax", "%s: %s", field, what);
}

/* Must text byte c be written as %XX? */
static int
must_escape(unsigned char c)
{
	return c <= 0x20 || c == '%' || c == ':' || c == ',' || c == '=' ||
	    c == 0x7f;
}

static int
uhex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
text_check(const char *s, size_t n, size_t *bad)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '%') {
			int hi, lo;

			if (i + 2 >= n)
				goto fail;
			hi = uhex(s[i + 1]);
			lo = uhex(s[i + 2]);
			if (hi < 0 || lo < 0 || !must_escape((unsigned char)(hi << 4 | lo)))
				goto fail;
			i += 2;
		} else if (must_escape(c)) {
			goto fail;
		}
	}
	return 0;
fail:
	*bad = i;
	return -1;
}

size_t
text_unescape(char *out, const char *s, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '%') {
			out[o++] = (char)(uhex(s[i + 1]) << 4 | uhex(s[i + 2]));
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	return o;
}

static int
check_text(const char *field, struct span v, struct bu_err *e)
{
	size_t bad;

	if (text_check(v.p, v.n, &bad) != 0)
		return bu_fail(e, BU_EXIT_INVALID, "bad-syntax",
		    "%s: byte %zu is not canonical text (escape 0x00-0x20 %% : , = 0x7f as %%XX, upper-case, nothing else)",
		    field, bad + 1);
	return 0;
}

static int
get_dec(const char *field, struct span v, uint64_t max, uint64_t *out,
    struct bu_err *e)
{
	if (bu_parse_u64(v.p, v.n, max, out) != 0)
		return synerr(e, field, max == UINT32_MAX ?
		    "not a canonical u32 decimal" : "not a canonical u64 decimal");
	return 0;
}

static int
get_u32(const char *field, struct span v, uint32_t *out, struct bu_err *e)
{
	uint64_t x;

	if (get_dec(field, v, UINT32_MAX, &x, e) != 0)
		return -1;
	*out = (uint32_t)x;
	return 0;
}

static int
get_bits(const char *field, struct span v, uint32_t *out, struct bu_err *e)
{
	unsigned char b[4];

	if (bu_unhex(v.p, v.n, b, 4) != 0)
		return synerr(e, field, "not 8 lower-case hex digits");
	*out = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	return 0;
}

static int
get_hash(const char *field, struct span v, unsigned char out[32], struct bu_err *e)
{
	if (bu_unhex_rev(v.p, v.n, out) != 0)
		return synerr(e, field, "not 64 lower-case hex digits");
	return 0;
}

static int
get_key(const char *field, struct span v, unsigned char out[32], struct bu_err *e)
{
	if (bu_unhex(v.p, v.n, out, 32) != 0)
		return synerr(e, field, "not a key of 64 lower-case hex digits");
	return 0;
}

static int
get_hex(const char *field, struct span v, struct bu_err *e)
{
	size_t i;

	if (v.n % 2)
		return synerr(e, field, "odd number of hex digits");
	for (i = 0; i < v.n; i++)
		if (!((v.p[i] >= '0' && v.p[i] <= '9') || (v.p[i] >= 'a' && v.p[i] <= 'f')))
			return synerr(e, field, "not lower-case hex");
	return 0;
}

/* Split at the next sep (or end); advances *cur past it. */
static struct span
next_part(const char **cur, const char *end, char sep, int *more)
{
	struct span s = { *cur, 0 };
	const char *q = memchr(*cur, sep, (size_t)(end - *cur));

	if (q == NULL) {
		s.n = (size_t)(end - *cur);
		*cur = end;
		*more = 0;
	} else {
		s.n = (size_t)(q - *cur);
		*cur = q + 1;
		*more = 1;
	}
	return s;
}

/* Take the next `sep`-separated part, which must be "key=value". */
static int
keyed(const char **cur, const char *end, char sep, const char *key,
    struct span *val, int *more, struct bu_err *e)
{
	size_t kl = strlen(key);
	struct span s;

	if (*cur >= end)
		return synerr(e, key, *more ? "trailing space" : "missing field");
	s = next_part(cur, end, sep, more);
	if (s.n == 0)
		return synerr(e, key, sep == ' ' ? "empty field (double or trailing space?)" : "empty field");
	if (s.n <= kl || memcmp(s.p, key, kl) != 0 || s.p[kl] != '=') {
		const char *eq = memchr(s.p, '=', s.n);
		int l = eq ? (int)(eq - s.p) : (int)s.n;

		if (l > 24)
			l = 24;
		return bu_fail(e, BU_EXIT_INVALID, "bad-syntax",
		    "%s: missing field, found '%.*s' in its place", key, l, s.p);
	}
	val->p = s.p + kl + 1;
	val->n = s.n - kl - 1;
	return 0;
}

static int get_signers(struct span v, uint32_t *n, struct bu_err *e);

static int
parse_params(struct params *p, const char *cur, const char *end, struct bu_err *e)
{
	struct span v;
	uint64_t x;
	int more = 0;

	if (keyed(&cur, end, ',', "name", &p->name, &more, e) ||
	    check_text("params name", p->name, e))
		return -1;
	if (keyed(&cur, end, ',', "spacing", &v, &more, e) ||
	    get_u32("params spacing", v, &p->spacing, e) ||
	    keyed(&cur, end, ',', "retarget", &v, &more, e) ||
	    get_u32("params retarget", v, &p->retarget, e) ||
	    keyed(&cur, end, ',', "powlimit", &v, &more, e) ||
	    get_bits("params powlimit", v, &p->powlimit, e) ||
	    keyed(&cur, end, ',', "subsidy", &v, &more, e) ||
	    get_dec("params subsidy", v, UINT64_MAX, &x, e))
		return -1;
	p->subsidy = x;
	if (keyed(&cur, end, ',', "halving", &v, &more, e) ||
	    get_u32("params halving", v, &p->halving, e) ||
	    keyed(&cur, end, ',', "maturity", &v, &more, e) ||
	    get_u32("params maturity", v, &p->maturity, e) ||
	    keyed(&cur, end, ',', "maxblock", &v, &more, e) ||
	    get_u32("params maxblock", v, &p->maxblock, e))
		return -1;
	p->signers.p = end;
	p->signers.n = 0;
	p->nsigners = p->quorum = 0;
	if (!more)
		return 0;
	if (end - cur < 8 || memcmp(cur, "signers=", 8) != 0)
		return synerr(e, "params", "unknown field after maxblock (signers may follow it)");
	if (keyed(&cur, end, ',', "signers", &p->signers, &more, e) ||
	    get_signers(p->signers, &p->nsigners, e))
		return -1;
	if (!more)
		return 0;
	if (keyed(&cur, end, ',', "quorum", &v, &more, e) ||
	    get_u32("params quorum", v, &p->quorum, e))
		return -1;
	if (p->quorum == 0)
		return synerr(e, "params quorum", "must be at least 1");
	if (more)
		return synerr(e, "params", "unknown field after quorum");
	return 0;
}

/* "<key>+<key>...": 1 to SIGNERS_MAX keys (their order is a rule: params_check). */
static int
get_signers(struct span v, uint32_t *n, struct bu_err *e)
{
	unsigned char key[32];
	size_t i;

	if ((v.n + 1) % SIGNER_TEXT != 0 || (v.n + 1) / SIGNER_TEXT > SIGNERS_MAX)
		return synerr(e, "params signers", "not 1 to 64 keys of 64 hex digits joined by '+'");
	*n = (uint32_t)((v.n + 1) / SIGNER_TEXT);
	for (i = 0; i < *n; i++) {
		struct span k = { v.p + i * SIGNER_TEXT, 64 };

		if ((i + 1 < *n && k.p[64] != '+') || get_key("params signers", k, key, e))
			return i + 1 < *n && k.p[64] != '+' ?
			    synerr(e, "params signers", "keys are joined by '+'") : -1;
	}
	return 0;
}

void
params_signer(const struct params *p, uint32_t i, unsigned char key[32])
{
	bu_unhex(p->signers.p + (size_t)i * SIGNER_TEXT, 64, key, 32);
}

/* final:<height>:<hash>:<key>/<sig>+...: 1 to SIGNERS_MAX signatures (rules: SPEC 7). */
static int
parse_final(struct final *f, const char *cur, const char *end, struct bu_err *e)
{
	unsigned char key[32], sig[64];
	struct span v;
	size_t i;
	int more = 1;

	v = next_part(&cur, end, ':', &more);
	if (get_u32("final height", v, &f->height, e))
		return -1;
	if (!more)
		return synerr(e, "final hash", "missing field");
	v = next_part(&cur, end, ':', &more);
	if (get_hash("final hash", v, f->hash, e))
		return -1;
	if (!more)
		return synerr(e, "final signatures", "missing field");
	f->sigs = next_part(&cur, end, ':', &more);
	if (more)
		return synerr(e, "final", "unknown field after the signatures");
	if ((f->sigs.n + 1) % FINAL_ENTRY != 0 || (f->sigs.n + 1) / FINAL_ENTRY > SIGNERS_MAX)
		return synerr(e, "final signatures",
		    "not 1 to 64 entries <key>/<sig> (64 and 128 hex digits) joined by '+'");
	f->nsigs = (uint32_t)((f->sigs.n + 1) / FINAL_ENTRY);
	for (i = 0; i < f->nsigs; i++) {
		const char *q = f->sigs.p + i * FINAL_ENTRY;

		if (q[64] != '/' || (i + 1 < f->nsigs && q[FINAL_ENTRY - 1] != '+'))
			return synerr(e, "final signatures", "entries are <key>/<sig> joined by '+'");
		if (bu_unhex(q, 64, key, 32) != 0 || bu_unhex(q + 65, 128, sig, 64) != 0)
			return synerr(e, "final signatures", "not lower-case hex");
	}
	return 0;
}

void
final_sig(const struct final *f, uint32_t i, unsigned char key[32], unsigned char sig[64])
{
	const char *q = f->sigs.p + (size_t)i * FINAL_ENTRY;

	bu_unhex(q, 64, key, 32);
	bu_unhex(q + 65, 128, sig, 64);
}

size_t
final_signed_len(const struct tx *t)
{
	return (size_t)(t->u.fin.sigs.p - t->tok.p) - 1;
}

static int
parse_coinbase(struct coinbase *c, const char *cur, const char *end, struct bu_err *e)
{
	struct span v;
	int more = 1;

	v = next_part(&cur, end, ':', &more);
	if (get_u32("coinbase height", v, &c->height, e))
		return -1;
	if (!more)
		return synerr(e, "coinbase to", "missing field");
	v = next_part(&cur, end, ':', &more);
	if (get_key("coinbase to", v, c->to, e))
		return -1;
	if (!more)
		return synerr(e, "coinbase amount", "missing field");
	v = next_part(&cur, end, ':', &more);
	if (get_dec("coinbase amount", v, UINT64_MAX, &c->amount, e))
		return -1;
	if (!more)
		return synerr(e, "coinbase extra", "missing field");
	c->extra = next_part(&cur, end, ':', &more);
	if (more)
		return synerr(e, "coinbase", "unknown field after extra");
	return get_hex("coinbase extra", c->extra, e);
}

static int
parse_transfer(struct transfer *t, const char *cur, const char *end, struct bu_err *e)
{
	static const char *const names[] = { "transfer from", "transfer to",
	    "transfer amount", "transfer fee", "transfer nonce", "transfer memo",
	    "transfer sig" };
	struct span v[7];
	int i, more = 1;

	for (i = 0; i < 7; i++) {
		if (!more)
			return synerr(e, names[i], "missing field");
		v[i] = next_part(&cur, end, ':', &more);
	}
	if (more)
		return synerr(e, "transfer", "unknown field after sig");
	if (get_key(names[0], v[0], t->from, e) || get_key(names[1], v[1], t->to, e) ||
	    get_dec(names[2], v[2], UINT64_MAX, &t->amount, e) ||
	    get_dec(names[3], v[3], UINT64_MAX, &t->fee, e) ||
	    get_dec(names[4], v[4], UINT64_MAX, &t->nonce, e) ||
	    check_text(names[5], v[5], e))
		return -1;
	t->memo = v[5];
	if (bu_unhex(v[6].p, v[6].n, t->sig, 64) != 0)
		return synerr(e, names[6], "not a signature of 128 lower-case hex digits");
	return 0;
}

int
tx_parse(struct tx *t, const char *tok, size_t len, struct bu_err *e)
{
	const char *end = tok + len;

	t->tok.p = tok;
	t->tok.n = len;
	if (len > 7 && memcmp(tok, "params:", 7) == 0) {
		t->kind = TX_PARAMS;
		return parse_params(&t->u.params, tok + 7, end, e);
	}
	if (len > 9 && memcmp(tok, "coinbase:", 9) == 0) {
		t->kind = TX_COINBASE;
		return parse_coinbase(&t->u.cb, tok + 9, end, e);
	}
	if (len > 9 && memcmp(tok, "transfer:", 9) == 0) {
		t->kind = TX_TRANSFER;
		return parse_transfer(&t->u.tr, tok + 9, end, e);
	}
	if (len > 6 && memcmp(tok, "final:", 6) == 0) {
		t->kind = TX_FINAL;
		return parse_final(&t->u.fin, tok + 6, end, e);
	}
	if (len >= 5 && memcmp(tok, "data:", 5) == 0) {
		t->kind = TX_DATA;
		t->u.data.p = tok + 5;
		t->u.data.n = len - 5;
		return check_text("data", t->u.data, e);
	}
	return synerr(e, "tx", "unknown transaction kind (params, coinbase, transfer, data, final)");
}

/* A file with DOS line endings is common enough to be named as such. */
static int
cr_check(const char *line, size_t len, struct bu_err *e)
{
	if (len > 0 && line[len - 1] == '\r')
		return synerr(e, "record",
		    "the line ends in a carriage return (DOS line endings? tr -d '\\r' removes them)");
	return 0;
}

int
txline_parse(struct tx *t, const char *line, size_t len, struct bu_err *e)
{
	if (cr_check(line, len, e) != 0)
		return -1;
	if (len < 3 || memcmp(line, "tx ", 3) != 0)
		return synerr(e, "record", "not a 'tx <token>' line");
	if (memchr(line + 3, ' ', len - 3) != NULL)
		return synerr(e, "tx", "a space inside the token (text such as a memo writes it as "
		    "%20; a tx line is 'tx <token>', one space)");
	return tx_parse(t, line + 3, len - 3, e);
}

static int
parse_raw(struct block *b, const char *line, size_t len, struct bu_err *e)
{
	unsigned char h[80];

	if (bu_unhex(line, len, h, 80) != 0)
		return synerr(e, "header", "not 160 lower-case hex digits");
	header_from_bytes(&b->h, h);
	b->raw = 1;
	b->ntx = 0;
	return 0;
}

int
block_push_tx(struct block *b, struct bu_err *e)
{
	if (b->ntx == b->cap) {
		size_t ncap = b->cap ? 2 * b->cap : 4;	/* most blocks hold a few; walk.c keeps thousands */
		struct tx *n = realloc(b->txs, ncap * sizeof *n);

		if (n == NULL)
			return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
		b->txs = n;
		b->cap = ncap;
	}
	b->ntx++;
	return 0;
}

static int
parse_header_fields(struct block *b, const char **cur, const char *end,
    struct bu_err *e)
{
	struct span v;
	int more = 0;

	if (keyed(cur, end, ' ', "height", &v, &more, e) ||
	    get_u32("height", v, &b->height, e) ||
	    keyed(cur, end, ' ', "hash", &v, &more, e) ||
	    get_hash("hash", v, b->hash, e) ||
	    keyed(cur, end, ' ', "version", &v, &more, e) ||
	    get_u32("version", v, &b->h.version, e) ||
	    keyed(cur, end, ' ', "prev", &v, &more, e) ||
	    get_hash("prev", v, b->h.prev, e) ||
	    keyed(cur, end, ' ', "merkle", &v, &more, e) ||
	    get_hash("merkle", v, b->h.merkle, e) ||
	    keyed(cur, end, ' ', "time", &v, &more, e) ||
	    get_u32("time", v, &b->h.time, e) ||
	    keyed(cur, end, ' ', "bits", &v, &more, e) ||
	    get_bits("bits", v, &b->h.bits, e) ||
	    keyed(cur, end, ' ', "nonce", &v, &more, e) ||
	    get_u32("nonce", v, &b->h.nonce, e))
		return -1;
	if (!more)
		return synerr(e, "tx", "a block has at least one tx");
	return 0;
}

/*
 * After a bad tx field: when the word at next is no "tx=", the likely cause
 * is a space typed into a memo or data record, which text writes as %20.
 */
static int
split_token(struct bu_err *e, const char *line, const char *next, const char *end)
{
	char msg[sizeof e->msg];

	if (next <= line || next >= end || next[-1] != ' ' ||
	    ((size_t)(end - next) >= 3 && memcmp(next, "tx=", 3) == 0))
		return -1;
	memcpy(msg, e->msg, sizeof msg);
	return bu_fail(e, BU_EXIT_INVALID, "bad-syntax",
	    "%.160s (a space inside a transaction? text such as a memo writes it as %%20)", msg);
}

int
block_parse(struct block *b, const char *line, size_t len, int raw_ok,
    struct bu_err *e)
{
	const char *cur = line + 6, *end = line + len;
	int more = 1;

	b->raw = 0;
	b->ntx = 0;
	if (cr_check(line, len, e) != 0)
		return -1;
	if (raw_ok && len == 160 && memchr(line, ' ', len) == NULL)
		return parse_raw(b, line, len, e);
	if (len < 6 || memcmp(line, "block ", 6) != 0)
		return synerr(e, "record", raw_ok ?
		    "neither a block line nor a 160-hex header" : "not a block line");
	if (parse_header_fields(b, &cur, end, e) != 0)
		return -1;
	while (more) {
		struct span v;
		const char *at = cur;

		if (keyed(&cur, end, ' ', "tx", &v, &more, e) != 0)
			return split_token(e, line, at, end);
		if (block_push_tx(b, e) != 0)
			return -1;
		if (tx_parse(&b->txs[b->ntx - 1], v.p, v.n, e) != 0) {
			char inner[sizeof e->msg];

			memcpy(inner, e->msg, sizeof inner);
			bu_fail(e, BU_EXIT_INVALID, "bad-syntax", "tx %zu %.200s",
			    b->ntx - 1, inner);
			return split_token(e, line, cur, end);
		}
	}
	return 0;
}

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

void
header_bytes(unsigned char out[80], const struct header *h)
{
	put32(out, h->version);
	memcpy(out + 4, h->prev, 32);
	memcpy(out + 36, h->merkle, 32);
	put32(out + 68, h->time);
	put32(out + 72, h->bits);
	put32(out + 76, h->nonce);
}

void
header_from_bytes(struct header *h, const unsigned char in[80])
{
	h->version = get32(in);
	memcpy(h->prev, in + 4, 32);
	memcpy(h->merkle, in + 36, 32);
	h->time = get32(in + 68);
	h->bits = get32(in + 72);
	h->nonce = get32(in + 76);
}

void
header_hash(unsigned char out[32], const struct header *h)
{
	unsigned char b[80];

	header_bytes(b, h);
	sha256d(b, sizeof b, out);
}

void
tx_id(unsigned char out[32], const struct tx *t)
{
	sha256d(t->tok.p, t->tok.n, out);
}

int
buf_reserve(struct buf *b, size_t need)
{
	size_t ncap;
	char *n;

	if (b->oom)
		return -1;
	if (b->n + need + 1 <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 256;
	while (ncap < b->n + need + 1)
		ncap *= 2;
	n = realloc(b->p, ncap);
	if (n == NULL) {
		b->oom = 1;
		return -1;
	}
	b->p = n;
	b->cap = ncap;
	return 0;
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
	if (buf_reserve(b, n) != 0)
		return;
	memcpy(b->p + b->n, p, n);
	b->n += n;
	b->p[b->n] = '\0';
}

void
buf_str(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_fmt(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->oom = 1;
		return;
	}
	if (buf_reserve(b, (size_t)n) != 0)
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->n += (size_t)n;
}

void
buf_free(struct buf *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
}

void
text_escape(struct buf *out, const void *raw, size_t n)
{
	const unsigned char *s = raw;
	size_t i;

	for (i = 0; i < n; i++) {
		if (must_escape(s[i]))
			buf_fmt(out, "%%%02X", s[i]);
		else
			buf_add(out, &s[i], 1);
	}
}

void
buf_hash(struct buf *out, const unsigned char h[32])
{
	char hex[65];

	bu_hex_rev(hex, h);
	buf_add(out, hex, 64);
}

static void
buf_key(struct buf *out, const unsigned char k[32])
{
	char hex[65];

	bu_hex(hex, k, 32);
	buf_add(out, hex, 64);
}

void
header_format_fields(struct buf *out, const struct block *b)
{
	buf_fmt(out, "block height=%lu hash=", (unsigned long)b->height);
	buf_hash(out, b->hash);
	buf_fmt(out, " version=%lu prev=", (unsigned long)b->h.version);
	buf_hash(out, b->h.prev);
	buf_str(out, " merkle=");
	buf_hash(out, b->h.merkle);
	buf_fmt(out, " time=%lu bits=%08lx nonce=%lu", (unsigned long)b->h.time,
	    (unsigned long)b->h.bits, (unsigned long)b->h.nonce);
}

void
block_format(struct buf *out, const struct block *b)
{
	size_t i;

	if (b->raw) {
		unsigned char h[80];
		char hex[161];

		header_bytes(h, &b->h);
		bu_hex(hex, h, 80);
		buf_add(out, hex, 160);
		buf_add(out, "\n", 1);
		return;
	}
	header_format_fields(out, b);
	for (i = 0; i < b->ntx; i++) {
		buf_str(out, " tx=");
		buf_add(out, b->txs[i].tok.p, b->txs[i].tok.n);
	}
	buf_add(out, "\n", 1);
}

void
tok_coinbase(struct buf *out, uint32_t height, const unsigned char to[32],
    uint64_t amount, const char *extra, size_t extralen)
{
	buf_fmt(out, "coinbase:%lu:", (unsigned long)height);
	buf_key(out, to);
	buf_fmt(out, ":%llu:", (unsigned long long)amount);
	buf_add(out, extra, extralen);
}

void
tok_params(struct buf *out, const struct params *p, const char *rawname,
    size_t rawlen)
{
	buf_str(out, "params:name=");
	text_escape(out, rawname, rawlen);
	buf_fmt(out, ",spacing=%lu,retarget=%lu,powlimit=%08lx,subsidy=%llu,"
	    "halving=%lu,maturity=%lu,maxblock=%lu", (unsigned long)p->spacing,
	    (unsigned long)p->retarget, (unsigned long)p->powlimit,
	    (unsigned long long)p->subsidy, (unsigned long)p->halving,
	    (unsigned long)p->maturity, (unsigned long)p->maxblock);
	if (p->nsigners > 0) {
		buf_str(out, ",signers=");
		buf_add(out, p->signers.p, p->signers.n);
		if (p->quorum > 0)
			buf_fmt(out, ",quorum=%lu", (unsigned long)p->quorum);
	}
}

void
tok_transfer_unsigned(struct buf *out, const struct transfer *t,
    const void *memo, size_t memolen)
{
	buf_str(out, "transfer:");
	buf_key(out, t->from);
	buf_add(out, ":", 1);
	buf_key(out, t->to);
	buf_fmt(out, ":%llu:%llu:%llu:", (unsigned long long)t->amount,
	    (unsigned long long)t->fee, (unsigned long long)t->nonce);
	text_escape(out, memo, memolen);
}

static const struct span *
tx_text(const struct tx *t)
{
	switch (t->kind) {
	case TX_PARAMS: return &t->u.params.name;
	case TX_TRANSFER: return &t->u.tr.memo;
	case TX_DATA: return &t->u.data;
	default: return NULL;
	}
}

void
tx_format(struct buf *out, const struct tx *t)
{
	const struct span *text = tx_text(t);
	char *raw = malloc(text ? text->n + 1 : 1), sig[129];
	size_t n;

	if (raw == NULL) {
		out->oom = 1;
		return;
	}
	n = text ? text_unescape(raw, text->p, text->n) : 0;
	switch (t->kind) {
	case TX_PARAMS:
		tok_params(out, &t->u.params, raw, n);
		break;
	case TX_COINBASE:
		tok_coinbase(out, t->u.cb.height, t->u.cb.to, t->u.cb.amount,
		    t->u.cb.extra.p, t->u.cb.extra.n);
		break;
	case TX_TRANSFER:
		tok_transfer_unsigned(out, &t->u.tr, raw, n);
		bu_hex(sig, t->u.tr.sig, 64);
		buf_add(out, ":", 1);
		buf_add(out, sig, 128);
		break;
	case TX_DATA:
		buf_str(out, "data:");
		text_escape(out, raw, n);
		break;
	case TX_FINAL:
		buf_fmt(out, "final:%lu:", (unsigned long)t->u.fin.height);
		buf_hash(out, t->u.fin.hash);
		buf_add(out, ":", 1);
		buf_add(out, t->u.fin.sigs.p, t->u.fin.sigs.n);
		break;
	}
	free(raw);
}

