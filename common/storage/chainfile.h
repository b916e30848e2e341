/* chainfile.h: walking a chain file through the rules, block by block */
#ifndef CHAINFILE_H
#define CHAINFILE_H

#include "chain.h"
#include "lines.h"

struct btc_block;

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
/*
 * One line as a block under o (empty: it is the first line): a chain's
 * own line, a raw header, or a whole raw Bitcoin block into bb; with bb
 * NULL such a block is left alone and the return is 1. Else 0 or -1.
 */
int chain_parse_line(const struct chain_opts *o, int empty, struct block *b,
    struct btc_block *bb, const char *line, size_t len, struct bu_err *e);
/* Say where e happened: line lineno of name, at the height after c's tip. -1. */
int chain_error_at(struct bu_err *e, const char *name, uint64_t lineno, const struct chain *c);
/* The next line's limit once the rules are known. */
size_t chain_line_limit(const struct chain *c);

#endif
