/* headerfile.h: a chain's headers alone, the file a light client keeps */
#ifndef HEADERFILE_H
#define HEADERFILE_H

#include <stdio.h>

#include "bu.h"
#include "chain.h"

/*
 * Check the chain file at path under o's rules and write its header file
 * to out: the genesis line as it is (it carries the chain's params), then
 * each later block as a raw 160-hex header; on a Bitcoin network every
 * line is a raw header. Nothing is written past the first invalid block.
 */
int headerfile_write(const struct chain_opts *o, const char *path, FILE *out,
    struct bu_err *e);

#endif
