/* proof.h: inclusion proofs: one line that ties a transaction to a block header */
#ifndef PROOF_H
#define PROOF_H

#include <stddef.h>
#include <stdint.h>

#include "bu.h"
#include "merkle.h"
#include "record.h"

/*
 * proof chain=<hash> height=<dec> header=<160 hex> txid=<hash> index=<dec>
 *     branch=<hash>+<hash>... tx=<token>
 * (one line; branch is empty for a block of one transaction, and tx is a
 * raw Bitcoin transaction in hex on a Bitcoin network).
 */
struct proof {
	unsigned char chain[32];	/* internal byte order, as every hash here */
	uint32_t height;
	struct header h;
	unsigned char hash[32];		/* of the header */
	unsigned char txid[32];
	uint32_t index;
	size_t depth;
	unsigned char branch[MERKLE_MAX_DEPTH][32];
	struct span tok;
};

/* Parse a proof line (without '\n'); tok points into line. "bad-syntax" names the field. */
int proof_parse(struct proof *p, const char *line, size_t len, struct bu_err *e);
/* The line of p (with '\n'). */
void proof_format(struct buf *out, const struct proof *p);
/*
 * What a proof shows by itself: the header's proof of work against its
 * own bits, the token parses and hashes to the txid, the index and branch
 * lead from the txid to the header's merkle root. bitcoin: the token is a
 * raw Bitcoin transaction. Reasons: high-hash, bad-diffbits, bad-syntax,
 * bad-txns-64byte, bad-proof-txid, bad-proof-index, bad-proof-merkle.
 * Whether the header is in a chain is for the caller to find out.
 */
int proof_check(const struct proof *p, int bitcoin, struct bu_err *e);

#endif
