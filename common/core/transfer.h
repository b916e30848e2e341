/* transfer.h: building and signing transfer lines */
#ifndef TRANSFER_H
#define TRANSFER_H

#include "bu.h"
#include "record.h"

/*
 * Append "tx <token>\n" for a transfer signed by sec under the chain whose
 * genesis hash (display hex) is idhex. t->from must be sec's account.
 * Refuses a transfer whose amount + fee overflows u64, and checks the
 * signature it made as every verifier will.
 */
int transfer_sign(struct buf *out, const char idhex[65], const unsigned char sec[32],
    const struct transfer *t, const char *memo, struct bu_err *e);

#endif
