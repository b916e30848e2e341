/*
 * pool.h: helper threads for a job of independent items. The caller takes
 * the items in order (pool_take) and uses each as it is done; the helpers
 * work ahead of it in the same order, and an item no helper has claimed
 * yet the caller runs itself. An item is run once, by whoever claims it.
 */
#ifndef POOL_H
#define POOL_H

#include <stddef.h>

#include "bu.h"

struct pool;

/* helpers threads beside the caller; 0 is allowed (the caller runs all). */
struct pool *pool_new(unsigned helpers, struct bu_err *e);
void pool_free(struct pool *p);
unsigned pool_helpers(const struct pool *p);
/*
 * A job of n items: fn(arg, i) runs for each item i that pool_take asks
 * for, and perhaps for others (helpers work ahead). fn must touch nothing
 * but item i's own data. Without memory for the job, the caller runs all.
 */
void pool_begin(struct pool *p, size_t n, void (*fn)(void *, size_t), void *arg);
/* When it returns, item i is done (by the caller now, or by a helper). */
void pool_take(struct pool *p, size_t i);
/* The job is over: no helper touches its items once this returns. */
void pool_end(struct pool *p);

#endif
