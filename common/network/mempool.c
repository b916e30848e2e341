/* mempool.c: the pool of unconfirmed transactions a node serves and relays */
#include "mempool.h"

#include <stdlib.h>
#include <string.h>

const struct mtx *
mempool_get(const struct mempool *m, const unsigned char id[32])
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (memcmp(m->v[i].id, id, 32) == 0)
			return &m->v[i];
	return NULL;
}

/* Apply the pool's transfers (already checked, signatures too) to the ledger. */
static int
apply_pool(struct mempool *m, struct chain *c, size_t upto, int keep_valid)
{
	struct bu_err e;
	struct tx t;
	size_t i, j = 0;

	for (i = 0; i < upto; i++) {
		int ok = tx_parse(&t, m->v[i].tok, m->v[i].n, &e) == 0;

		if (ok && t.kind == TX_TRANSFER)
			ok = ledger_transfer(&c->ledger, &t.u.tr, &e) == 0;
		if (!keep_valid) {
			if (!ok)
				return -1;
			continue;
		}
		if (ok)
			m->v[j++] = m->v[i];
		else
			free(m->v[i].tok);
	}
	if (keep_valid)
		m->n = j;
	return 0;
}

static int
check(struct mempool *m, struct chain *c, const struct tx *t, struct bu_err *e)
{
	struct ledger_mark mark;
	int rc;

	if (t->kind == TX_DATA)
		return t->tok.n == 64 ? bu_fail(e, BU_EXIT_INVALID, "bad-txns-64byte",
		    "a transaction of exactly 64 bytes") : 0;
	if (t->kind != TX_TRANSFER)
		return bu_fail(e, BU_EXIT_INVALID, "bad-txns-kind",
		    "only transfers and data records travel alone");
	mark = ledger_mark(&c->ledger);
	rc = ledger_mature(&c->ledger, c->height + 1, e);
	if (rc == 0 && apply_pool(m, c, m->n, 0) != 0)
		rc = bu_fail(e, BU_EXIT_SYSTEM, "mempool", "the pool does not apply");
	if (rc == 0)
		rc = chain_transfer(c, t, e);
	ledger_rollback(&c->ledger, mark);
	return rc;
}

/*
 * A transfer that does not apply: when the pool holds another from the same
 * sender with the same nonce, say which (Bitcoin Core's txn-mempool-conflict).
 */
static int
conflict(const struct mempool *m, const struct transfer *tr, struct bu_err *e)
{
	struct bu_err pe;
	struct tx t;
	char hex[65];
	size_t i;

	for (i = 0; i < m->n; i++)
		if (tx_parse(&t, m->v[i].tok, m->v[i].n, &pe) == 0 && t.kind == TX_TRANSFER &&
		    memcmp(t.u.tr.from, tr->from, 32) == 0 && t.u.tr.nonce == tr->nonce) {
			bu_hex_rev(hex, m->v[i].id);
			return bu_fail(e, BU_EXIT_INVALID, "txn-mempool-conflict",
			    "the pool holds transfer %s from this sender with nonce %llu", hex,
			    (unsigned long long)tr->nonce);
		}
	return -1;
}

int
mempool_add(struct mempool *m, struct chain *c, const char *tok, size_t n,
    struct bu_err *e)
{
	unsigned char id[32];
	struct tx t;
	char *copy;

	if (tx_parse(&t, tok, n, e) != 0)
		return -1;
	tx_id(id, &t);
	if (mempool_get(m, id) != NULL)
		return bu_fail(e, BU_EXIT_INVALID, "txn-already-in-mempool",
		    "the transaction is already in the pool");
	if (m->n >= MEMPOOL_MAX)
		return bu_fail(e, BU_EXIT_INVALID, "mempool-full", "the pool is full");
	if (check(m, c, &t, e) != 0)
		return t.kind == TX_TRANSFER ? conflict(m, &t.u.tr, e) : -1;
	if (m->n == m->cap) {
		size_t ncap = m->cap ? 2 * m->cap : 64;
		struct mtx *nv = realloc(m->v, ncap * sizeof *nv);

		if (nv == NULL)
			return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
		m->v = nv;
		m->cap = ncap;
	}
	if ((copy = malloc(n + 1)) == NULL)
		return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
	memcpy(copy, tok, n);
	copy[n] = '\0';
	memcpy(m->v[m->n].id, id, 32);
	m->v[m->n].tok = copy;
	m->v[m->n].n = n;
	m->v[m->n].seq = ++m->seq;
	m->n++;
	return 0;
}

size_t
mempool_after(const struct mempool *m, uint64_t seq)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->v[mid].seq <= seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void
mempool_drop_block(struct mempool *m, const struct block *b)
{
	unsigned char id[32];
	size_t i, k;

	for (k = 1; k < b->ntx; k++) {
		tx_id(id, &b->txs[k]);
		for (i = 0; i < m->n; i++) {
			if (memcmp(m->v[i].id, id, 32) != 0)
				continue;
			free(m->v[i].tok);
			memmove(&m->v[i], &m->v[i + 1], (m->n - i - 1) * sizeof m->v[0]);
			m->n--;
			break;
		}
	}
}

void
mempool_revalidate(struct mempool *m, struct chain *c)
{
	struct ledger_mark mark;
	struct bu_err e;

	if (m->n == 0 || c->empty)
		return;
	mark = ledger_mark(&c->ledger);
	if (ledger_mature(&c->ledger, c->height + 1, &e) == 0)
		apply_pool(m, c, m->n, 1);
	ledger_rollback(&c->ledger, mark);
}

void
mempool_free(struct mempool *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->v[i].tok);
	free(m->v);
	memset(m, 0, sizeof *m);
}
