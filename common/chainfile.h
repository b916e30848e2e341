/* chainfile.h: walking a chain file through the rules, block by block */
#ifndef CHAINFILE_H
#define CHAINFILE_H

#include "chain.h"
#include "lines.h"

/* Called after each accepted block; non-zero stops the walk with that value. */
typedef int (*chain_each_fn)(void *arg, const struct block *b, const char *line,
    size_t len, const struct lines *r);

/*
 * Check every line of path ("-": standard input) and apply it to c.
 * On failure e carries the file, line and height of the bad record.
 */
int chain_walk(struct chain *c, const char *path, chain_each_fn each, void *arg,
    struct bu_err *e);
int chain_walk_lines(struct chain *c, struct lines *r, chain_each_fn each,
    void *arg, struct bu_err *e);
/* The next line's limit once the rules are known. */
size_t chain_line_limit(const struct chain *c);

#endif
