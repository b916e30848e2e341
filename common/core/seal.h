/* seal.h: the signatures of permissioned chains (SPEC section 7): seals and finality */
#ifndef SEAL_H
#define SEAL_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"

#define SEAL_HEX 128		/* a seal is the coinbase's whole extra: a signature in hex */
#define SEAL_HEADER 76		/* the header bytes a seal covers: all but the nonce */
#define SEAL_MSG (64 + 6 + SEAL_HEADER)	/* "<chain id>:seal:" and those bytes */

/*
 * The merkle root b would have with its coinbase's extra empty (merkle' of
 * SPEC section 7); *ids is scratch. 0, or -1 when memory ran out.
 */
int seal_root(const struct block *b, unsigned char (**ids)[32], size_t *idcap,
    unsigned char root[32]);
/* The bytes a seal signs: "<chain id>:seal:" and h's first 76 bytes with merkle root. */
void seal_message(unsigned char out[SEAL_MSG], const char idhex[65], const struct header *h,
    const unsigned char root[32]);
/*
 * b's seal under chain idhex: its coinbase's extra is a valid strict
 * Ed25519 signature by the key the coinbase pays. 0 valid, -1 not
 * (no coinbase, an extra that is not 128 hex digits, a bad signature),
 * -2 out of memory.
 */
int seal_check(const char idhex[65], const struct block *b, unsigned char (**ids)[32],
    size_t *idcap);
/* The bytes a final record's signatures cover: "<chain id>:final:<height>:<hash>". */
void final_message(struct buf *out, const char idhex[65], uint32_t height,
    const unsigned char hash[32]);

#endif
