/* store.h: the node's block store: the header tree, the best chain, the chain file, side blocks */
#ifndef STORE_H
#define STORE_H

#include <stddef.h>
#include <stdint.h>

#include "bu.h"
#include "chain.h"
#include "record.h"
#include "u256.h"

#define STORE_HEADERS_MAX 2000	/* headers a message holds; fewer means "my tip" */
#define STORE_LOCATOR 64	/* hashes in a locator */
#define STORE_SIDE_MAX 1024	/* side blocks kept without more work than the tip */
#define STORE_SIDE_BYTES (64u << 20)	/* and their bytes */
#define STORE_COMMIT_STEP 1024	/* presync: one commitment every this many heights */
#define STORE_COMMITS_MAX 16384	/* presync gives up on a fork longer than step x this */

/*
 * The store knows headers, blocks and the chain file; it knows nothing of
 * peers or connections. Every call that changes it runs between
 * store_lock and store_unlock.
 */
struct store;
struct hsync;

struct store_hooks {
	void *arg;
	void (*log)(void *arg, int level, const char *msg);
	/* A block joined or left the best chain (in that order during a reorg). */
	void (*connected)(void *arg, const struct block *b);
	void (*disconnected)(void *arg, const struct block *b);
	/* A stored block turned out invalid; source is what store_block was given. */
	void (*invalid)(void *arg, uint32_t source, const struct bu_err *e);
};

/*
 * Open dir (chain.blk must exist): take the directory's lock, check the
 * chain file, load dir/side.blk, and follow the most-work chain it holds.
 */
int store_open(struct store **sp, const char *dir, int64_t now,
    const struct store_hooks *hooks, struct bu_err *e);
/* Write what is queued, save the state cache, release the lock. */
void store_close(struct store *s);
void store_set_now(struct store *s, int64_t now);
struct chain *store_chain(struct store *s);

/* Lock the chain file and take in what another program appended. */
int store_lock(struct store *s, struct bu_err *e);
/* Write the queued lines; fsync them when sync is set. */
int store_unlock(struct store *s, int sync, struct bu_err *e);
/* Accepted lines are not yet synced to disk. */
int store_dirty(const struct store *s);

/* The index. */
int32_t store_find(const struct store *s, const unsigned char h[32]);
size_t store_count(const struct store *s);
int32_t store_tip(const struct store *s);
int32_t store_best_header(const struct store *s);
int32_t store_main_at(const struct store *s, uint32_t height);	/* height <= the tip's */
const unsigned char *store_hash(const struct store *s, int32_t i);
uint32_t store_height(const struct store *s, int32_t i);
int32_t store_parent(const struct store *s, int32_t i);	/* -1 for the genesis */
const u256 *store_work(const struct store *s, int32_t i);
int store_on_main(const struct store *s, int32_t i);
int store_has_data(const struct store *s, int32_t i);
size_t store_line_len(const struct store *s, int32_t i);	/* '\n' not counted; 0: no data */
int store_failed(const struct store *s, int32_t i);
/* The block line of entry i (no '\n'), appended to out; -1 when the store has no data for it. */
int store_line(struct store *s, int32_t i, struct buf *out);
/* The lines of count best-chain blocks from height on, each with its '\n', in one read. */
int store_main_lines(struct store *s, uint32_t height, size_t count, struct buf *out);
/* " <hash> ..." of a locator on the chain ending at entry i. */
void store_locator(const struct store *s, int32_t i, struct buf *out);
/* The best-chain height after which to answer a locator (0 when none is on it). */
uint32_t store_locate(const struct store *s, const unsigned char (*loc)[32], size_t n);
/* " <160 hex>" for up to max best-chain headers from height on; the count. */
size_t store_headers_from(const struct store *s, uint32_t height, size_t max, struct buf *out);
/* " <160 hex>" of entry i. */
void store_header_hex(const struct store *s, int32_t i, struct buf *out);

/* New best-chain blocks since the last call, in chain order. */
size_t store_take_announce(struct store *s, const int32_t **v);

/* What a headers message led to. */
struct hdr_result {
	int invalid;			/* the peer sent invalid headers: e says why */
	int unconnected;		/* the first header's parent is unknown */
	int ask;			/* ask the peer again, from ask_hash */
	unsigned char ask_hash[32];
	int32_t best;			/* the peer's best header now stored, or -1 */
	size_t stored;			/* new headers stored */
};

/* The per-peer state of a header sync (presync of low-work forks). */
struct hsync *hsync_new(void);
void hsync_free(struct hsync *p);

/*
 * Take a headers message of n headers from the peer p follows. A header
 * chain is stored only when it reaches more work than the tip; a longer
 * fork that has not yet is followed without storing (presync, as Bitcoin
 * Core's headerssync), then asked again and stored once its commitments
 * match. 0, or -1 on a system error.
 */
int store_headers(struct store *s, struct hsync *p, const struct header *hv, size_t n,
    struct hdr_result *r, struct bu_err *e);
/* The same with the headers' hashes given (hh[k] of hv[k], as header_hash makes it). */
int store_headers_hashed(struct store *s, struct hsync *p, const struct header *hv,
    const unsigned char (*hh)[32], size_t n, struct hdr_result *r, struct bu_err *e);

enum blk_outcome {
	BLK_ACCEPTED,	/* on the best chain */
	BLK_SIDE,	/* stored on a side branch */
	BLK_DUP,	/* known already */
	BLK_ORPHAN,	/* its parent is unknown: not stored */
	BLK_LOWWORK,	/* less work than the tip, or the side store is full: not stored */
	BLK_LATER,	/* too far ahead of the clock: not stored, not invalid */
	BLK_INVALID,
	BLK_ERROR,	/* a system error: e says which */
};

/* What store_block found. */
struct blk_result {
	unsigned char hash[32];	/* the block's (all zero when the line does not parse) */
	int32_t idx;		/* its entry, or -1 when it is not stored */
	int punish;		/* the block itself is invalid: its sender misbehaved */
};

/*
 * Check and store one block line. forced: store it even when its chain
 * has less work than the tip (a block submitted by a client), within the
 * side bounds; a block on the way to the best header is always stored.
 */
enum blk_outcome store_block(struct store *s, const char *line, size_t len, int forced,
    uint32_t source, struct blk_result *r, struct bu_err *e);

/*
 * A block line's checks that need no chain: the line parsed and its merkle
 * rules, made by store_prepare on any thread (it touches p alone) for
 * store_block_pre to take instead of doing them again.
 */
struct store_pre {
	struct block b;
	int parsed;		/* block_parse's result: 0, or -1 with perr */
	int merkle;		/* when parsed: block_check_merkle's, -1 with merr */
	struct bu_err perr, merr;
	unsigned char (*ids)[32];
	size_t idcap;
};
void store_pre_init(struct store_pre *p);
void store_pre_free(struct store_pre *p);
void store_prepare(struct store_pre *p, const char *line, size_t len);
/* store_block of the line p was prepared from (NULL: as store_block). */
enum blk_outcome store_block_pre(struct store *s, const char *line, size_t len, int forced,
    uint32_t source, const struct store_pre *p, struct blk_result *r, struct bu_err *e);

/*
 * Up to max entries to download on the way to target, lowest first: no
 * data, not failed, skip() false, at most window heights above the first
 * one missing. The count.
 */
size_t store_missing(struct store *s, int32_t target, uint32_t window, int32_t *out,
    size_t max, int (*skip)(void *, int32_t), void *arg);
/* Bytes of side blocks stored. */
uint64_t store_side_bytes(const struct store *s);

#endif
