/* merkle.h: Bitcoin's merkle root over transaction ids, and branches in it */
#ifndef MERKLE_H
#define MERKLE_H

#include <stddef.h>
#include <stdint.h>

#define MERKLE_MAX_DEPTH 32	/* a block holds fewer than 2^32 transactions */

/*
 * Root of ids (n >= 1, internal byte order); ids has room for n + 1 and
 * is overwritten.
 * Returns 1 when two equal ids were seen at one level (the CVE-2012-2459
 * mutation), else 0.
 */
int merkle_root(unsigned char (*ids)[32], size_t n, unsigned char root[32]);
/* 1 if two of the n ids are equal. ids is sorted in place. */
int ids_have_duplicate(unsigned char (*ids)[32], size_t n);
/*
 * The branch of leaf index (< n) in the tree over ids: its sibling at each
 * level, bottom up; the last node of an odd level is its own sibling.
 * tmp has room for n + 1 ids. Returns the depth, the number of hashes
 * written to branch (at most MERKLE_MAX_DEPTH).
 */
size_t merkle_branch(const unsigned char (*ids)[32], size_t n, size_t index,
    unsigned char (*tmp)[32], unsigned char branch[][32]);
/*
 * The root that leaf and branch lead to: bit k of index says whether the
 * node at level k is the right one (its sibling is hashed first). Returns
 * -1 when a node on the right has a sibling equal to it (the CVE-2012-2459
 * mutation: only the last node of an odd level is repeated, and it stands
 * on the left), else 0.
 */
int merkle_from_branch(const unsigned char leaf[32], uint64_t index,
    const unsigned char branch[][32], size_t depth, unsigned char root[32]);

#endif
