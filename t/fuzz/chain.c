/*
 * fuzz chain: block lines through the rules (chain_accept), after a fixed
 * genesis whose powlimit 207fffff lets half of all headers pass. An
 * accepted block carries the hash of its header and becomes the tip; a
 * rejected one changes nothing: not the tip, the work, nor any balance.
 */
#include "fuzz.h"

#include "chain.h"

static const char genesis[] =
    "block height=0 hash=1250c14e8e2435730db5c543dafe1bd0f57b86e2cba4e3250feef6dbb799efff version=1 prev=0000000000000000000000000000000000000000000000000000000000000000 merkle=996083bc0f9873a43a0f9857d02ec322158e5de80ad8f71c9383948c4c7e3ddf time=1700000000 bits=207fffff nonce=1 tx=params:name=fuzz,spacing=600,retarget=4,powlimit=207fffff,subsidy=5000000000,halving=210000,maturity=1,maxblock=1000000";

struct snap {
	uint32_t height;
	unsigned char tip[32];
	u256 work;
	uint64_t ntx, digest;
	size_t accounts, pending;
};

static void
take(const struct chain *c, struct snap *s)
{
	const struct ledger *l = &c->ledger;
	size_t i;

	memset(s, 0, sizeof *s);
	s->height = c->height;
	memcpy(s->tip, c->tip, 32);
	s->work = c->work;
	s->ntx = c->ntx;
	s->accounts = l->count;
	s->pending = (size_t)(l->qpush - l->qpop);
	for (i = 0; i < l->cap; i++) {
		const struct account *a = &l->tab[i];
		uint64_t k;

		if (!a->used)
			continue;
		FUZZ_CHECK(a->balance <= UINT64_MAX - a->immature);
		memcpy(&k, a->key, sizeof k);
		s->digest += (k ^ a->balance * 3 ^ a->immature * 5 ^ a->nonce * 7) *
		    0x9e3779b97f4a7c15ULL;
	}
}

static int
accept(struct chain *c, struct block *b, const char *line, size_t len, struct bu_err *e)
{
	return block_parse(b, line, len, 0, e) == 0 && chain_accept(c, b, len, e) == 0 ? 0 : -1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct chain_opts o = { .now = 1700000000 + 86400 };
	const char *p = (const char *)data, *end = p + size;
	struct bu_err e;
	struct block b;
	struct chain c;

	chain_init(&c, &o);
	block_init(&b);
	FUZZ_CHECK(accept(&c, &b, genesis, sizeof genesis - 1, &e) == 0);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct snap before, after;
		unsigned char h[32];

		take(&c, &before);
		if (accept(&c, &b, p, len, &e) == 0) {
			header_hash(h, &b.h);
			FUZZ_CHECK(memcmp(h, b.hash, 32) == 0 && memcmp(c.tip, h, 32) == 0);
			FUZZ_CHECK(c.height == before.height + 1 && b.height == c.height);
			FUZZ_CHECK(c.ntx == before.ntx + b.ntx && u256_cmp(&c.work, &before.work) > 0);
			FUZZ_CHECK(len + 1 <= c.p.maxblock);
		} else {
			take(&c, &after);
			FUZZ_CHECK(memcmp(&before, &after, sizeof before) == 0);
		}
		p += len + 1;
	}
	block_free(&b);
	chain_free(&c);
	return 0;
}
