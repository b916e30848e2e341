/*
 * fuzz state: the chain state cache as state_decode reads it (the MAC is
 * checked before, so this is what a holder of the key could write). A
 * state it accepts encodes and decodes to the same state.
 */
#include "fuzz.h"

#include "state.h"

static uint64_t
ledger_digest(const struct ledger *l)
{
	uint64_t d = 0;
	size_t i;

	for (i = 0; i < l->cap; i++) {
		const struct account *a = &l->tab[i];
		uint64_t k;

		if (!a->used)
			continue;
		memcpy(&k, a->key, sizeof k);
		d += (k ^ a->balance * 3 ^ a->immature * 5 ^ a->nonce * 7) * 0x9e3779b97f4a7c15ULL;
	}
	return d;
}

static void
same(const struct chain *a, const struct chain *b)
{
	const struct ledger *la = &a->ledger, *lb = &b->ledger;
	uint64_t k;
	size_t i;

	FUZZ_CHECK(a->p.spacing == b->p.spacing && a->p.retarget == b->p.retarget &&
	    a->p.powlimit == b->p.powlimit && a->p.halving == b->p.halving &&
	    a->p.maturity == b->p.maturity && a->p.maxblock == b->p.maxblock &&
	    a->p.subsidy == b->p.subsidy && a->p.name.n == b->p.name.n &&
	    memcmp(a->pname, b->pname, a->p.name.n) == 0);
	FUZZ_CHECK(memcmp(a->id, b->id, 32) == 0 && a->height == b->height &&
	    memcmp(a->tip, b->tip, 32) == 0 && a->tip_bits == b->tip_bits &&
	    memcmp(a->times, b->times, sizeof a->times) == 0 && a->ntimes == b->ntimes &&
	    a->tpos == b->tpos && a->anchor_time == b->anchor_time &&
	    a->anchor_height == b->anchor_height && a->have_anchor == b->have_anchor &&
	    memcmp(&a->work, &b->work, sizeof a->work) == 0 && a->ntx == b->ntx);
	FUZZ_CHECK(la->count == lb->count && ledger_digest(la) == ledger_digest(lb));
	for (i = 0; i < la->cap; i++) {
		const struct account *x = &la->tab[i], *y;

		if (!x->used)
			continue;
		FUZZ_CHECK((y = ledger_get(lb, x->key)) != NULL && y->balance == x->balance &&
		    y->immature == x->immature && y->nonce == x->nonce);
		FUZZ_CHECK(x->balance <= UINT64_MAX - x->immature);
	}
	FUZZ_CHECK(la->qpush - la->qpop == lb->qpush - lb->qpop);
	for (k = 0; k < la->qpush - la->qpop; k++)
		FUZZ_CHECK(memcmp(&la->q[(la->qpop + k) % la->qcap], &lb->q[(lb->qpop + k) % lb->qcap],
		    sizeof la->q[0]) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct chain_opts o = { 0 };
	struct chain c1, c2;
	struct chain_pos p1, p2;
	struct buf b = { 0 };

	chain_init(&c1, &o);
	chain_init(&c2, &o);
	if (state_decode(&c1, data, size, &p1) == 0) {
		state_encode(&c1, &p1, &b);
		FUZZ_CHECK(!b.oom);
		FUZZ_CHECK(state_decode(&c2, (const unsigned char *)b.p, b.n, &p2) == 0);
		FUZZ_CHECK(memcmp(&p1, &p2, sizeof p1) == 0);
		same(&c1, &c2);
	}
	buf_free(&b);
	chain_free(&c1);
	chain_free(&c2);
	return 0;
}
