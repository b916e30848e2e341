/* proofcheck.h: checking proof lines against a header file or a chain */
#ifndef PROOFCHECK_H
#define PROOFCHECK_H

#include <stdio.h>

#include "bu.h"
#include "chain.h"
#include "u256.h"

/* What a check of one proof found: kept whole so other formats can print it. */
struct proof_result {
	int ok;
	struct bu_err err;	/* when not ok */
	unsigned char txid[32], chain[32];
	uint32_t height, index;
	uint64_t confirmations;	/* its block and every block after it */
	u256 work;		/* the work of those blocks */
};

/* "ok height=H txid=T index=I confirmations=C work=W chain=ID\n" */
void proof_result_format(FILE *out, const struct proof_result *r);

/*
 * The same as one JSON object (with "ok": true), or the failure: ok false,
 * file, line, height, reason, message.
 */
struct buf;
void proof_result_json(struct buf *out, const struct proof_result *r);

typedef void (*proof_result_fn)(void *arg, const struct proof_result *r);

/*
 * Check every proof line of the files paths[0..n) ("-": standard input)
 * against the headers of the chain file at headers, read under o's rules
 * (headers only: raw headers after the genesis line are taken, and a
 * whole chain's transactions are not checked). Each proof's result goes
 * to each(), in order. Returns the number of proofs rejected, or -1 with
 * e when the header file is invalid or a file cannot be read.
 */
long proofcheck_run(const struct chain_opts *o, const char *headers,
    char *const *paths, size_t n, proof_result_fn each, void *arg, struct bu_err *e);

#endif
