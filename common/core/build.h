/* build.h: assembling new blocks: genesis, or the next block on a chain */
#ifndef BUILD_H
#define BUILD_H

#include <stdint.h>

#include "bu.h"
#include "chain.h"
#include "record.h"

/* Tokens collected in one buffer; spans are made when the block is sealed. */
struct toks {
	struct buf text;
	size_t *off, *len;
	size_t n, cap;
};

int toks_add(struct toks *t, const char *tok, size_t n, struct bu_err *e);
void toks_free(struct toks *t);
/* A data record holding the raw bytes of one line. */
int toks_add_data(struct toks *t, const char *raw, size_t n, struct bu_err *e);
/* Every line of path as a data record. */
int toks_read_data(struct toks *t, const char *path, struct bu_err *e);

/*
 * Point b's transactions at the tokens, then set its merkle root and its
 * hash (of the header as it is). Checks the 64-byte and duplicate rules.
 */
int block_seal(struct block *b, const struct toks *t, struct bu_err *e);

struct genesis_opts {
	struct params p;
	const char *name;	/* raw bytes; escaped on output */
	uint32_t bits, time, version;
};

int build_genesis(const struct genesis_opts *g, struct toks *data, struct buf *out,
    struct bu_err *e);

struct next_opts {
	unsigned char coinbase[32];
	const char *extra;	/* hex */
	uint32_t version;
	int64_t time;		/* -1: the clock, kept above median time past */
	int skip_invalid;	/* drop invalid transfers with a warning instead of failing */
};

/*
 * Build the block after c's tip from tx lines read from path; with data,
 * every input line is a data record instead. Applies them to c's ledger.
 */
int build_next(struct chain *c, const struct next_opts *n, const char *path,
    int data, struct buf *out, struct bu_err *e);

/*
 * Seal the block line (the next block of c, its coinbase paying pub with
 * the extra empty) with signer key sec: the seal goes into the extra, and
 * merkle root and hash are computed again (SPEC section 7). The new line,
 * with its '\n', is appended to out.
 */
int build_seal(const struct chain *c, const unsigned char sec[32], const unsigned char pub[32],
    const char *line, size_t len, struct buf *out, struct bu_err *e);
/* One signer's final line for block height of c: "tx final:<height>:<hash>:<key>/<sig>\n". */
int final_sign(const struct chain *c, const unsigned char sec[32], const unsigned char pub[32],
    uint32_t height, struct buf *out, struct bu_err *e);
/*
 * Join the final lines of path (one block's, each with one or more
 * signatures, each checked against c) into one final record of at least
 * c's quorum of signers in ascending order, appended to out as a tx line.
 */
int final_join(const struct chain *c, const char *path, struct buf *out, struct bu_err *e);

#endif
