/* mine.h: finding a nonce for block lines and raw headers, on many threads */
#ifndef MINE_H
#define MINE_H

#include <signal.h>
#include <stdint.h>

#include "bu.h"
#include "grind.h"
#include "record.h"

struct mine_opts {
	const struct grind_kernel *kernel;
	unsigned threads;
	uint32_t start, stride;	/* this process tries start + stride * i */
	double max_seconds;	/* 0: no limit */
	int progress;		/* target, hash rate and eta on standard error */
	const volatile sig_atomic_t *interrupt;	/* set: stop (reason "interrupted") */
};

struct mine_stats {
	uint64_t hashes;
	double seconds;
	int shown;		/* a progress line is on standard error, not yet ended */
};

/*
 * Find a nonce for b, whose header is taken as given (its merkle root is
 * not recomputed). When this process's share of the 2^32 nonces runs out,
 * roll an extranonce in the coinbase's extra field (8 more bytes, a
 * big-endian counter), or the time for a raw header or a genesis; the
 * midstate is computed once per roll. The answer does not depend on the
 * number of threads. out gets the mined line. Fails with code
 * BU_EXIT_GAVEUP when the time limit or every roll runs out, and with
 * reason "interrupted" when *o->interrupt is set.
 */
int mine_block(const struct mine_opts *o, struct block *b, struct buf *out,
    struct mine_stats *st, struct bu_err *e);

#endif
