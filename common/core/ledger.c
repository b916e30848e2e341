/* ledger.c: accounts in an open-addressing table, with an undo journal */
#include "ledger.h"

#include <stdlib.h>
#include <string.h>

int
ledger_init(struct ledger *l, uint32_t maturity)
{
	memset(l, 0, sizeof *l);
	l->maturity = maturity ? maturity : 1;
	l->cap = 64;
	l->tab = calloc(l->cap, sizeof *l->tab);
	return l->tab ? 0 : -1;
}

void
ledger_free(struct ledger *l)
{
	free(l->tab);
	free(l->q);
	free(l->j);
	memset(l, 0, sizeof *l);
}

static size_t
slot_of(const struct ledger *l, const unsigned char key[32])
{
	uint64_t h;
	size_t i;

	memcpy(&h, key, sizeof h);	/* keys are uniformly random points */
	for (i = (size_t)h & (l->cap - 1);; i = (i + 1) & (l->cap - 1))
		if (!l->tab[i].used || memcmp(l->tab[i].key, key, 32) == 0)
			return i;
}

const struct account *
ledger_get(const struct ledger *l, const unsigned char key[32])
{
	size_t i = slot_of(l, key);

	return l->tab[i].used ? &l->tab[i] : NULL;
}

static int
grow(struct ledger *l)
{
	struct account *old = l->tab;
	size_t oldcap = l->cap, i;

	l->tab = calloc(2 * oldcap, sizeof *l->tab);
	if (l->tab == NULL) {
		l->tab = old;
		return -1;
	}
	l->cap = 2 * oldcap;
	for (i = 0; i < oldcap; i++)
		if (old[i].used)
			l->tab[slot_of(l, old[i].key)] = old[i];
	free(old);
	return 0;
}

static int
journal(struct ledger *l, const struct account *before, const unsigned char key[32])
{
	if (l->jn == l->jcap) {
		size_t ncap = l->jcap ? 2 * l->jcap : 64;
		struct jentry *n = realloc(l->j, ncap * sizeof *n);

		if (n == NULL)
			return -1;
		l->j = n;
		l->jcap = ncap;
	}
	if (before != NULL) {
		l->j[l->jn].old = *before;
	} else {
		memset(&l->j[l->jn].old, 0, sizeof l->j[l->jn].old);
		memcpy(l->j[l->jn].old.key, key, 32);
	}
	l->jn++;
	return 0;
}

/* The account for key, created if need be, journaled before any change. */
static struct account *
touch(struct ledger *l, const unsigned char key[32], struct bu_err *e)
{
	size_t i;

	if (2 * (l->count + 1) > l->cap && grow(l) != 0)
		goto oom;
	i = slot_of(l, key);
	if (journal(l, l->tab[i].used ? &l->tab[i] : NULL, key) != 0)
		goto oom;
	if (!l->tab[i].used) {
		memset(&l->tab[i], 0, sizeof l->tab[i]);
		memcpy(l->tab[i].key, key, 32);
		l->tab[i].used = 1;
		l->count++;
	}
	return &l->tab[i];
oom:
	bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
	return NULL;
}

/* Backward-shift deletion keeps linear probing correct without tombstones. */
static void
remove_at(struct ledger *l, size_t i)
{
	size_t j = i;

	l->tab[i].used = 0;
	l->count--;
	for (;;) {
		size_t home;
		uint64_t h;

		j = (j + 1) & (l->cap - 1);
		if (!l->tab[j].used)
			return;
		memcpy(&h, l->tab[j].key, sizeof h);
		home = (size_t)h & (l->cap - 1);
		if ((j > i && (home <= i || home > j)) || (j < i && (home <= i && home > j))) {
			l->tab[i] = l->tab[j];
			l->tab[j].used = 0;
			i = j;
		}
	}
}

struct ledger_mark
ledger_mark(struct ledger *l)
{
	struct ledger_mark m = { l->jn, l->qpop, l->qpush };

	if (l->jn == 0)
		l->qkeep = l->qpop;
	return m;
}

void
ledger_rollback(struct ledger *l, struct ledger_mark m)
{
	while (l->jn > m.jn) {
		const struct account *old = &l->j[--l->jn].old;
		size_t i = slot_of(l, old->key);

		if (old->used)
			l->tab[i] = *old;
		else if (l->tab[i].used)
			remove_at(l, i);
	}
	l->qpop = m.qpop;
	l->qpush = m.qpush;
}

void
ledger_commit(struct ledger *l)
{
	l->jn = 0;
	l->qkeep = l->qpop;
}

int
ledger_mature(struct ledger *l, uint32_t height, struct bu_err *e)
{
	while (l->qpop < l->qpush) {
		struct pending *p = &l->q[l->qpop % l->qcap];
		struct account *a;

		if ((uint64_t)p->height + l->maturity > height)
			break;
		if ((a = touch(l, p->key, e)) == NULL)
			return -1;
		a->immature -= p->amount;
		a->balance += p->amount;
		l->qpop++;
	}
	return 0;
}

static int
fail_tx(struct bu_err *e, const char *reason, const char *msg)
{
	return bu_fail(e, BU_EXIT_INVALID, reason, "%s", msg);
}

int
ledger_transfer(struct ledger *l, const struct transfer *t, struct bu_err *e)
{
	const struct account *from = ledger_get(l, t->from), *to;
	uint64_t cost, have = from ? from->balance : 0;
	struct account *a;

	if (t->nonce != (from ? from->nonce : 0))
		return bu_fail(e, BU_EXIT_INVALID, "bad-txns-nonce",
		    "transfer nonce %llu, but the sender has made %llu transfers",
		    (unsigned long long)t->nonce,
		    (unsigned long long)(from ? from->nonce : 0));
	if (t->amount > UINT64_MAX - t->fee)
		return fail_tx(e, "bad-txns-overflow", "amount + fee overflows u64");
	cost = t->amount + t->fee;
	if (have < cost) {
		if (from && from->immature > 0 && from->balance + from->immature >= cost)
			return bu_fail(e, BU_EXIT_INVALID, "bad-txns-premature-spend-of-coinbase",
			    "spendable balance %llu < %llu: the rest is an immature coinbase",
			    (unsigned long long)have, (unsigned long long)cost);
		return bu_fail(e, BU_EXIT_INVALID, "bad-txns-balance",
		    "spendable balance %llu < amount + fee %llu",
		    (unsigned long long)have, (unsigned long long)cost);
	}
	to = ledger_get(l, t->to);
	if (to && memcmp(t->to, t->from, 32) != 0 &&
	    t->amount > UINT64_MAX - to->balance - to->immature)
		return fail_tx(e, "bad-txns-overflow", "recipient's balance would overflow u64");
	if ((a = touch(l, t->from, e)) == NULL)
		return -1;
	a->balance -= cost;
	a->nonce++;
	if ((a = touch(l, t->to, e)) == NULL)
		return -1;
	a->balance += t->amount;
	return 0;
}

/* Grows before a push could overwrite an entry a rollback may restore. */
static int
queue_push(struct ledger *l, const struct pending *p)
{
	if (l->qpush - l->qkeep == l->qcap) {
		uint64_t ncap = l->qcap ? 2 * l->qcap : 64, k;
		struct pending *n = realloc(l->q, ncap * sizeof *n);

		if (n == NULL)
			return -1;
		/*
		 * Entry k was at k % qcap and goes to k % ncap, the same slot or
		 * qcap above it: only into the new half, which holds nothing.
		 */
		for (k = l->qkeep; k < l->qpush && l->qcap > 0; k++)
			if (k % ncap != k % l->qcap)
				n[k % ncap] = n[k % l->qcap];
		l->q = n;
		l->qcap = ncap;
	}
	l->q[l->qpush % l->qcap] = *p;
	l->qpush++;
	return 0;
}

int
ledger_coinbase(struct ledger *l, uint32_t height, const unsigned char to[32],
    uint64_t amount, struct bu_err *e)
{
	const struct account *cur = ledger_get(l, to);
	struct pending p;
	struct account *a;

	if (amount == 0)
		return 0;
	if (cur && amount > UINT64_MAX - cur->balance - cur->immature)
		return fail_tx(e, "bad-cb-overflow", "coinbase would overflow the recipient's u64 balance");
	p.height = height;
	memcpy(p.key, to, 32);
	p.amount = amount;
	if (queue_push(l, &p) != 0)
		return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
	if ((a = touch(l, to, e)) == NULL)
		return -1;
	a->immature += amount;
	return 0;
}

int
ledger_put(struct ledger *l, const struct account *a)
{
	struct account *t = touch(l, a->key, NULL);

	if (t == NULL)
		return -1;
	*t = *a;
	t->used = 1;
	l->jn = 0;
	return 0;
}

int
ledger_put_pending(struct ledger *l, const struct pending *p)
{
	return queue_push(l, p);
}

void
ledger_each(const struct ledger *l, void (*fn)(const struct account *, void *),
    void *arg)
{
	size_t i;

	for (i = 0; i < l->cap; i++)
		if (l->tab[i].used)
			fn(&l->tab[i], arg);
}
