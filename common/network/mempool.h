/* mempool.h: valid unconfirmed transactions, in arrival order, bounded */
#ifndef MEMPOOL_H
#define MEMPOOL_H

#include <stddef.h>
#include <stdint.h>

#include "bu.h"
#include "chain.h"

#define MEMPOOL_MAX 5000	/* transactions */

struct mtx {
	unsigned char id[32];
	char *tok;
	size_t n;
	uint64_t seq;		/* its place in arrival order, from 1 */
};

/* v is in arrival order: seq grows along it. */
struct mempool {
	struct mtx *v;
	size_t n, cap;
	uint64_t seq;		/* the last seq given */
};

const struct mtx *mempool_get(const struct mempool *m, const unsigned char id[32]);
/*
 * Check the token (a transfer or a data record) on top of c's tip ledger
 * after the transfers already in the pool, and add it. c is left as it was.
 */
int mempool_add(struct mempool *m, struct chain *c, const char *tok, size_t n,
    struct bu_err *e);
/* The index of the first transaction that arrived after seq (m->n: none). */
size_t mempool_after(const struct mempool *m, uint64_t seq);
/* Drop what a block confirmed, and what no longer applies on c's tip. */
void mempool_drop_block(struct mempool *m, const struct block *b);
void mempool_revalidate(struct mempool *m, struct chain *c);
void mempool_free(struct mempool *m);

#endif
