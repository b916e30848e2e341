/* keyfile.h: Ed25519 key files (mode 0600) and account arguments */
#ifndef KEYFILE_H
#define KEYFILE_H

#include "bu.h"

/* Create path (never overwriting) holding a new key; its account in pub. */
int keyfile_create(const char *path, unsigned char pub[32], struct bu_err *e);
/* The bytes of a key file: exactly the one canonical line, its account derived from its secret. */
int keyfile_parse(const char *buf, size_t n, unsigned char sec[32], unsigned char pub[32],
    struct bu_err *e);
/* Read a key file; refuses one that others may read. Wipe sec after use. */
int keyfile_read(const char *path, unsigned char sec[32], unsigned char pub[32],
    struct bu_err *e);
/* An account: 64 lower-case hex digits, or the path of a key file. */
int account_arg(const char *arg, unsigned char pub[32], struct bu_err *e);
/* An account to pay: as account_arg, refusing a key no signature can come from. */
int payee_arg(const char *arg, unsigned char pub[32], struct bu_err *e);

#endif
