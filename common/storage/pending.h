/* pending.h: the nonces a sender's transfers not yet in a block already take */
#ifndef PENDING_H
#define PENDING_H

#include <stdint.h>

#include "bu.h"

/*
 * Read the tx lines of path ("-": standard input; a mempool as
 * `peer-send --mempool` prints it) and set *next to the smallest nonce
 * at least from that none of from's transfers there uses. Other lines
 * of other senders and data records are skipped; a line that is not a
 * tx line is an error naming it.
 */
int pending_next_nonce(const char *path, const unsigned char from[32], uint64_t start,
    uint64_t *next, struct bu_err *e);

#endif
