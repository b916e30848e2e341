/* merkle.h: Bitcoin's merkle root over transaction ids */
#ifndef MERKLE_H
#define MERKLE_H

#include <stddef.h>

/*
 * Root of ids (n >= 1, internal byte order); ids has room for n + 1 and
 * is overwritten.
 * Returns 1 when two equal ids were seen at one level (the CVE-2012-2459
 * mutation), else 0.
 */
int merkle_root(unsigned char (*ids)[32], size_t n, unsigned char root[32]);
/* 1 if two of the n ids are equal. ids is sorted in place. */
int ids_have_duplicate(unsigned char (*ids)[32], size_t n);

#endif
