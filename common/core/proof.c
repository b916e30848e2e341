/* proof.c: the proof line, and what a proof shows without the chain */
#include "proof.h"

#include <string.h>

#include "btc.h"
#include "hash.h"
#include "u256.h"

#define SEARCH_DEPTH 16	/* deepest branch whose every index is tried to explain a mismatch */

static int
synerr(struct bu_err *e, const char *field, const char *what)
{
	return bu_fail(e, BU_EXIT_INVALID, "bad-syntax", "%s: %s", field, what);
}

/* The next " key=value" of the line; only branch may have an empty value. */
static int
take(const char **cur, const char *end, const char *key, struct span *v,
    struct bu_err *e)
{
	size_t kl = strlen(key);
	const char *sp;

	if (*cur >= end)
		return synerr(e, key, "missing field");
	sp = memchr(*cur, ' ', (size_t)(end - *cur));
	v->p = *cur;
	v->n = (size_t)((sp ? sp : end) - *cur);
	*cur = sp ? sp + 1 : end;
	if (sp != NULL && *cur == end)
		return synerr(e, key, "trailing space");
	if (v->n < kl + 1 || memcmp(v->p, key, kl) != 0 || v->p[kl] != '=')
		return synerr(e, key, v->n == 0 ? "empty field (double space?)" : "missing field");
	v->p += kl + 1;
	v->n -= kl + 1;
	if (v->n == 0 && strcmp(key, "branch") != 0)
		return synerr(e, key, "empty value");
	return 0;
}

static int
get_hash(const char *key, struct span v, unsigned char out[32], struct bu_err *e)
{
	if (bu_unhex_rev(v.p, v.n, out) != 0)
		return synerr(e, key, "not 64 lower-case hex digits");
	return 0;
}

static int
get_u32(const char *key, struct span v, uint32_t *out, struct bu_err *e)
{
	uint64_t x;

	if (bu_parse_u64(v.p, v.n, UINT32_MAX, &x) != 0)
		return synerr(e, key, "not a canonical u32 decimal");
	*out = (uint32_t)x;
	return 0;
}

static int
get_branch(struct proof *p, struct span v, struct bu_err *e)
{
	size_t i;

	p->depth = 0;
	if (v.n == 0)
		return 0;
	if ((v.n + 1) % 65 != 0 || (v.n + 1) / 65 > MERKLE_MAX_DEPTH)
		return synerr(e, "branch", "not 0 to 32 hashes of 64 hex digits joined by '+'");
	for (i = 0; i < (v.n + 1) / 65; i++) {
		if (i > 0 && v.p[65 * i - 1] != '+')
			return synerr(e, "branch", "hashes are joined by '+'");
		if (bu_unhex_rev(v.p + 65 * i, 64, p->branch[i]) != 0)
			return synerr(e, "branch", "a hash is not 64 lower-case hex digits");
	}
	p->depth = i;
	return 0;
}

int
proof_parse(struct proof *p, const char *line, size_t len, struct bu_err *e)
{
	const char *cur = line + 6, *end = line + len;
	unsigned char raw[80];
	struct span v;

	if (len < 6 || memcmp(line, "proof ", 6) != 0)
		return synerr(e, "record", "not a proof line");
	if (take(&cur, end, "chain", &v, e) || get_hash("chain", v, p->chain, e) ||
	    take(&cur, end, "height", &v, e) || get_u32("height", v, &p->height, e) ||
	    take(&cur, end, "header", &v, e))
		return -1;
	if (bu_unhex(v.p, v.n, raw, 80) != 0)
		return synerr(e, "header", "not 160 lower-case hex digits");
	header_from_bytes(&p->h, raw);
	sha256d(raw, sizeof raw, p->hash);
	if (take(&cur, end, "txid", &v, e) || get_hash("txid", v, p->txid, e) ||
	    take(&cur, end, "index", &v, e) || get_u32("index", v, &p->index, e) ||
	    take(&cur, end, "branch", &v, e) || get_branch(p, v, e) ||
	    take(&cur, end, "tx", &p->tok, e))
		return -1;
	if (cur != end)
		return synerr(e, "proof", "unknown field after tx (a token has no spaces)");
	return 0;
}

void
proof_format(struct buf *out, const struct proof *p)
{
	unsigned char raw[80];
	char hex[161];
	size_t i;

	bu_hex_rev(hex, p->chain);
	buf_fmt(out, "proof chain=%s height=%lu header=", hex, (unsigned long)p->height);
	header_bytes(raw, &p->h);
	bu_hex(hex, raw, 80);
	buf_add(out, hex, 160);
	bu_hex_rev(hex, p->txid);
	buf_fmt(out, " txid=%s index=%lu branch=", hex, (unsigned long)p->index);
	for (i = 0; i < p->depth; i++) {
		bu_hex_rev(hex, p->branch[i]);
		if (i > 0)
			buf_add(out, "+", 1);
		buf_add(out, hex, 64);
	}
	buf_str(out, " tx=");
	buf_add(out, p->tok.p, p->tok.n);
	buf_add(out, "\n", 1);
}

static int
check_pow(const struct proof *p, struct bu_err *e)
{
	u256 target, h;

	if (compact_decode(p->h.bits, &target) != 0)
		return bu_fail(e, BU_EXIT_INVALID, "bad-diffbits",
		    "the header's bits %08lx are not a valid target", (unsigned long)p->h.bits);
	u256_from_le(&h, p->hash);
	if (u256_cmp(&h, &target) > 0)
		return bu_fail(e, BU_EXIT_INVALID, "high-hash",
		    "the header's hash is above the target of its bits");
	return 0;
}

/* The token: a transaction of the kind the chain holds, whose id is the txid. */
static int
check_token(const struct proof *p, int bitcoin, struct bu_err *e)
{
	unsigned char id[32];
	char want[65], got[65];
	size_t base;
	struct tx t;

	if (bitcoin) {
		if (btc_tx_hex_id(p->tok.p, p->tok.n, id, &base, e) != 0)
			return -1;
	} else {
		if (tx_parse(&t, p->tok.p, p->tok.n, e) != 0) {
			char inner[sizeof e->msg];

			memcpy(inner, e->msg, sizeof inner);
			return bu_fail(e, BU_EXIT_INVALID, "bad-syntax", "tx %.200s", inner);
		}
		base = p->tok.n;
		sha256d(p->tok.p, p->tok.n, id);
	}
	if (base == 64)
		return bu_fail(e, BU_EXIT_INVALID, "bad-txns-64byte",
		    "the transaction is 64 bytes, the size of an inner node of the tree");
	if (memcmp(id, p->txid, 32) != 0) {
		bu_hex_rev(want, p->txid);
		bu_hex_rev(got, id);
		return bu_fail(e, BU_EXIT_INVALID, "bad-proof-txid",
		    "the transaction hashes to %s, not to txid %s", got, want);
	}
	return 0;
}

/* Some index whose path through branch reaches root (depth first, both sides a level). */
static int
other_index(const unsigned char cur[32], const struct proof *p, size_t k,
    uint64_t bits, const unsigned char root[32], uint64_t *found)
{
	unsigned char pair[64], next[32];
	int side;

	if (k == p->depth) {
		*found = bits;
		return memcmp(cur, root, 32) == 0;
	}
	for (side = 0; side < 2; side++) {
		if (side == 1 && memcmp(p->branch[k], cur, 32) == 0)
			break;
		memcpy(pair + 32 * side, cur, 32);
		memcpy(pair + 32 * !side, p->branch[k], 32);
		sha256d(pair, sizeof pair, next);
		if (other_index(next, p, k + 1, bits | (uint64_t)side << k, root, found))
			return 1;
	}
	return 0;
}

static int
check_branch(const struct proof *p, struct bu_err *e)
{
	unsigned char root[32];
	uint64_t other;

	if (p->depth < 32 && (uint64_t)p->index >> p->depth != 0)
		return bu_fail(e, BU_EXIT_INVALID, "bad-proof-index",
		    "index %lu does not fit a branch of %zu levels", (unsigned long)p->index,
		    p->depth);
	if (merkle_from_branch(p->txid, p->index, p->branch, p->depth, root) != 0)
		return bu_fail(e, BU_EXIT_INVALID, "bad-proof-index",
		    "at index %lu a node is repeated on the right (only the last node of an odd level repeats, on the left)",
		    (unsigned long)p->index);
	if (memcmp(root, p->h.merkle, 32) == 0)
		return 0;
	if (p->depth <= SEARCH_DEPTH && other_index(p->txid, p, 0, 0, p->h.merkle, &other))
		return bu_fail(e, BU_EXIT_INVALID, "bad-proof-index",
		    "the branch leads to the header's merkle root from index %llu, not %lu",
		    (unsigned long long)other, (unsigned long)p->index);
	return bu_fail(e, BU_EXIT_INVALID, "bad-proof-merkle",
	    "the branch does not lead from the txid to the header's merkle root");
}

int
proof_check(const struct proof *p, int bitcoin, struct bu_err *e)
{
	if (check_pow(p, e) != 0 || check_token(p, bitcoin, e) != 0)
		return -1;
	return check_branch(p, e);
}
