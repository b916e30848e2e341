/* append.h: appending checked blocks to a chain file, durably and under a lock */
#ifndef APPEND_H
#define APPEND_H

#include <stdio.h>

#include "bu.h"

/*
 * Append each block line of input ("-": standard input) to the chain file
 * path, after checking it against the tip and the ledger; write the hash
 * of each to ack once the line is on disk. Stops at the first rejected
 * line. A missing file is created by a valid genesis line only. A last
 * line left unfinished by a crash is cut away first (warn says so).
 */
int chain_append(const char *path, const char *input, int64_t now, FILE *ack,
    FILE *warn, struct bu_err *e);

#endif
