/* chaininfo.h: what a whole chain says of itself: intervals, work, retarget, supply */
#ifndef CHAININFO_H
#define CHAININFO_H

#include <stddef.h>
#include <stdint.h>

#include "bu.h"
#include "chain.h"
#include "u256.h"

/* Called for each transaction of each block, in chain order. */
typedef void (*chaininfo_tx_fn)(void *arg, const struct chain *c, const unsigned char block[32],
    size_t index, const struct tx *t);

struct chaininfo {
	uint32_t first;			/* the height of the first block read */
	uint32_t *time, *bits;		/* of each block from first on */
	size_t n, cap;
	uint64_t kinds[TX_KINDS];		/* transactions of each enum tx_kind */
	u256 minted, fees;		/* coinbase amounts; the fees they collected (not new coins) */
	chaininfo_tx_fn each;		/* optional */
	void *arg;
};

struct chain_stats {
	double mean, median;		/* seconds between blocks, over the whole file */
	double period_mean;		/* over the last period_blocks intervals */
	uint32_t period_blocks;		/* the last retarget period's length (0: no retarget) */
	double hashrate;		/* hashes a second: work over time of the last blocks */
	uint32_t hashrate_blocks;	/* as Bitcoin Core's getnetworkhashps: 120 */
	int have_hashrate;
	int64_t retarget_height;	/* the next one; -1: the chain never retargets */
	uint32_t retarget_in, retarget_bits;	/* blocks to it, and the bits predicted there */
	u256 scheduled;			/* the subsidies of every height up to the tip */
};

void chaininfo_free(struct chaininfo *ci);
/* Check path under c's rules (as verify does) and gather what chaininfo_stats needs. */
int chaininfo_walk(struct chaininfo *ci, struct chain *c, const char *path, struct bu_err *e);
/* 0, or -1 when memory ran out. */
int chaininfo_stats(const struct chaininfo *ci, const struct chain *c, struct chain_stats *s);

#endif
