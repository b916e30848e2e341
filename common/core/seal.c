/* seal.c: seals and final signatures of permissioned chains (SPEC section 7) */
#include "seal.h"

#include <stdlib.h>
#include <string.h>

#include "ed25519.h"
#include "hash.h"
#include "merkle.h"

int
seal_root(const struct block *b, unsigned char (**ids)[32], size_t *idcap,
    unsigned char root[32])
{
	const struct tx *cb = &b->txs[0];
	size_t i, n = b->ntx;

	if (n + 1 > *idcap) {
		void *p = realloc(*ids, (n + 1) * 32);

		if (p == NULL)
			return -1;
		*ids = p;
		*idcap = n + 1;
	}
	sha256d(cb->tok.p, cb->tok.n - cb->u.cb.extra.n, (*ids)[0]);
	for (i = 1; i < n; i++)
		tx_id((*ids)[i], &b->txs[i]);
	merkle_root(*ids, n, root);
	return 0;
}

void
seal_message(unsigned char out[SEAL_MSG], const char idhex[65], const struct header *h,
    const unsigned char root[32])
{
	struct header x = *h;
	unsigned char hdr[80];

	memcpy(x.merkle, root, 32);
	header_bytes(hdr, &x);
	memcpy(out, idhex, 64);
	memcpy(out + 64, ":seal:", 6);
	memcpy(out + 70, hdr, SEAL_HEADER);
}

int
seal_check(const char idhex[65], const struct block *b, unsigned char (**ids)[32],
    size_t *idcap)
{
	unsigned char msg[SEAL_MSG], root[32], sig[64];
	const struct coinbase *cb;

	if (b->ntx == 0 || b->txs[0].kind != TX_COINBASE)
		return -1;
	cb = &b->txs[0].u.cb;
	if (cb->extra.n != SEAL_HEX || bu_unhex(cb->extra.p, SEAL_HEX, sig, 64) != 0)
		return -1;
	if (seal_root(b, ids, idcap, root) != 0)
		return -2;
	seal_message(msg, idhex, &b->h, root);
	return ed_verify(cb->to, msg, sizeof msg, sig) == 0 ? 0 : -1;
}

void
final_message(struct buf *out, const char idhex[65], uint32_t height,
    const unsigned char hash[32])
{
	buf_add(out, idhex, 64);
	buf_fmt(out, ":final:%lu:", (unsigned long)height);
	buf_hash(out, hash);
}
