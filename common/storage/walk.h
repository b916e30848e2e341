/* walk.h: a chain file checked on every core: a reader, workers, the rules in order */
#ifndef WALK_H
#define WALK_H

#include "chain.h"

struct grind_kernel;
struct walker;

/*
 * A pool of threads threads in all, the caller's among them (1: no
 * thread is started), hashing headers with kernel k. NULL with e filled
 * when out of memory or threads.
 */
struct walker *walker_new(unsigned threads, const struct grind_kernel *k, struct bu_err *e);
/*
 * chain_walk(c, path, NULL, NULL, e), with the work spread over the pool:
 * one thread at a time reads a batch of lines; any thread parses a batch,
 * hashes its headers in the grind kernel's lanes, checks its merkle roots
 * and its transfer signatures (these need nothing of the chain below);
 * one thread at a time applies the rules that do, batch after batch in
 * the file's order. The result, and the first error with its file:line,
 * are chain_walk's. The batches in flight are bounded, so memory is too.
 */
int walker_run(struct walker *w, struct chain *c, const char *path, struct bu_err *e);
void walker_free(struct walker *w);

#endif
