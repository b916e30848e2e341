/* prove.h: proof lines from a chain file; merkle branches from a list of txids */
#ifndef PROVE_H
#define PROVE_H

#include <stddef.h>
#include <stdio.h>

#include "bu.h"
#include "chain.h"

enum prove_kind { PQ_TXID, PQ_DATA, PQ_DIGEST };

/* A transaction to prove: by txid (display hex), or a data record by its text or digest. */
struct prove_query {
	enum prove_kind kind;
	const char *arg;
};

/* How the library hands a diagnostic to the command. */
typedef void (*prove_report_fn)(const struct bu_err *e);

/*
 * Walk the chain file at path under o's rules and write one proof line to
 * out for each query, in order, then for each txid line of the file list
 * (NULL: none), from the first block that holds it. A query no block
 * answers is reported ("not-in-chain") and makes the result 1. -1 with e:
 * the chain is invalid or unreadable, or a query is malformed.
 */
int prove_run(const struct chain_opts *o, const char *path, const struct prove_query *q,
    size_t nq, const char *list, FILE *out, prove_report_fn report, struct bu_err *e);

/*
 * Bitcoin's merkle tree over the txids of path (display hex, one a line):
 * "merkle root=<hash> txs=<n>", or with txids, for each of them
 * "branch txid=<hash> index=<n> branch=<hash>+... root=<hash>".
 * A repeated txid (CVE-2012-2459) is refused as bad-txns-duplicate.
 */
int prove_txids(const char *path, char *const *txids, size_t n, FILE *out,
    struct bu_err *e);

#endif
