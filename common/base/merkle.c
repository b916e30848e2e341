/* merkle.c: Bitcoin's merkle tree (odd levels repeat their last node) */
#include "merkle.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"

int
merkle_root(unsigned char (*ids)[32], size_t n, unsigned char root[32])
{
	int mutated = 0;

	while (n > 1) {
		size_t i;

		for (i = 0; i + 1 < n; i += 2)
			if (memcmp(ids[i], ids[i + 1], 32) == 0)
				mutated = 1;
		if (n % 2) {
			memcpy(ids[n], ids[n - 1], 32);
			n++;
		}
		for (i = 0; i < n / 2; i++)
			sha256d(ids[2 * i], 64, ids[i]);
		n /= 2;
	}
	memcpy(root, ids[0], 32);
	return mutated;
}

static int
cmp32(const void *a, const void *b)
{
	return memcmp(a, b, 32);
}

int
ids_have_duplicate(unsigned char (*ids)[32], size_t n)
{
	size_t i;

	qsort(ids, n, 32, cmp32);
	for (i = 1; i < n; i++)
		if (memcmp(ids[i - 1], ids[i], 32) == 0)
			return 1;
	return 0;
}

size_t
merkle_branch(const unsigned char (*ids)[32], size_t n, size_t index,
    unsigned char (*tmp)[32], unsigned char branch[][32])
{
	size_t depth = 0, i;

	memcpy(tmp, ids, n * 32);
	while (n > 1) {
		size_t sib = index ^ 1;

		if (n % 2) {
			memcpy(tmp[n], tmp[n - 1], 32);
			n++;
		}
		memcpy(branch[depth++], tmp[sib], 32);
		for (i = 0; i < n / 2; i++)
			sha256d(tmp[2 * i], 64, tmp[i]);
		n /= 2;
		index /= 2;
	}
	return depth;
}

int
merkle_from_branch(const unsigned char leaf[32], uint64_t index,
    const unsigned char branch[][32], size_t depth, unsigned char root[32])
{
	unsigned char pair[64];
	size_t k;
	int rc = 0;

	memcpy(root, leaf, 32);
	for (k = 0; k < depth; k++, index >>= 1) {
		if (index & 1) {
			if (memcmp(branch[k], root, 32) == 0)
				rc = -1;
			memcpy(pair, branch[k], 32);
			memcpy(pair + 32, root, 32);
		} else {
			memcpy(pair, root, 32);
			memcpy(pair + 32, branch[k], 32);
		}
		sha256d(pair, sizeof pair, root);
	}
	return rc;
}
