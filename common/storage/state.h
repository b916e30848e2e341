/* state.h: the chain state at the tip, cached beside the chain file */
#ifndef STATE_H
#define STATE_H

#include <stdint.h>

#include "chain.h"

/* Where the walk of a chain file ended. */
struct chain_pos {
	uint64_t end;		/* bytes of whole lines checked */
	uint64_t lineno;	/* lines checked */
	uint64_t lastlen;	/* length of the last line, '\n' included */
	int partial;		/* a last line without '\n' starts at end */
	/* the file as the cache saw it: any change since means a full walk */
	uint64_t dev, ino, size, mtime_s, mtime_ns;
};

/* "<chain>.state", and "<chain>.state.key", the key of its MAC */
void state_path(char *out, size_t n, const char *chain);
void state_key_path(char *out, size_t n, const char *chain);
/*
 * The state of the chain in fd (a plain file named path), from the cache
 * when it matches the file and by walking the rest; a cache that does not
 * match is ignored. A last line without '\n' is reported in pos, not as
 * an error.
 */
int chain_load_fd(struct chain *c, int fd, const char *path, struct chain_pos *pos,
    struct bu_err *e);
/* Open path read-only under a shared lock (plain files) and load it; .gz and "-" are walked. */
int chain_load(struct chain *c, const char *path, struct bu_err *e);
/* Record in pos what the chain file in fd looks like now. */
int state_stamp(int fd, struct chain_pos *pos);
/*
 * Write the cache atomically (temporary file, rename), mode 0600, with an
 * HMAC-SHA256 under the key beside it; a key that is missing, or not the
 * running user's alone, is made anew (32 random bytes, mode 0600).
 */
int state_save(const struct chain *c, const char *path, const struct chain_pos *pos,
    struct bu_err *e);
/*
 * The cache's bytes without the MAC, and back: state_decode (into a chain
 * from chain_init) refuses what no chain state can be (a layout of another
 * build, a key twice, immature balances that are not the sum of the
 * pending coinbases, ...). 0 or -1; on -1, chain_free c.
 */
void state_encode(const struct chain *c, const struct chain_pos *pos, struct buf *b);
int state_decode(struct chain *c, const unsigned char *p, size_t n, struct chain_pos *pos);

#endif
