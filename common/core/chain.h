/* chain.h: the validity rules of SPEC section 4, applied block by block */
#ifndef CHAIN_H
#define CHAIN_H

#include <stddef.h>
#include <stdint.h>

#include "bu.h"
#include "ledger.h"
#include "record.h"
#include "u256.h"

#define MTP_SPAN 11
#define MAX_FUTURE 7200

struct btc_net;

struct chain_opts {
	int bitcoin;		/* raw headers and blocks under a Bitcoin network's rules */
	const struct btc_net *net;	/* that network; NULL: mainnet */
	int headers_only;	/* skip the transaction rules (5 and 6); take raw headers after genesis */
	int sliced;		/* first block: a trusted header at start_height */
	uint32_t start_height;
	int64_t now;		/* the clock, for time-too-new */
	int undo;		/* keep the ledger's journal across blocks, for chain_rewind */
};

struct chain {
	struct chain_opts o;
	struct params p;
	char *pname;		/* params name, escaped, owned */
	u256 powlimit;
	unsigned char id[32];	/* genesis hash */
	char idhex[65];
	int empty;
	uint32_t height;
	unsigned char tip[32];
	uint32_t tip_bits;
	uint32_t times[MTP_SPAN];	/* ring of the last times */
	unsigned ntimes, tpos;
	uint32_t anchor_time, anchor_height;	/* last block at a retarget multiple */
	int have_anchor;
	u256 work;
	uint64_t ntx;
	struct ledger ledger;
	uint32_t wbits;		/* work of the last bits seen, cached */
	u256 wwork;
	unsigned char (*ids)[32];
	size_t idcap;
	/* SPEC section 7, when the params list signers (keys is NULL otherwise) */
	unsigned char (*keys)[32];	/* the signers, ascending */
	char *signers;		/* their text, owned: p.signers points here */
	uint32_t quorum;	/* the quorum in force: the params', or the least allowed */
	unsigned char (*hashes)[32];	/* height -> its block's hash */
	uint8_t *sealer;	/* height -> the index of the signer that sealed it */
	size_t hcap;
	struct chain_final {
		uint32_t at, height;	/* a final record in block `at` made `height` final */
	} *finals;
	size_t nfinals, fcap;
	uint8_t next_sealer;	/* found by the checks of the block being accepted */
	uint32_t next_final;	/* its highest final target, or UINT32_MAX */
};

/* A chain whose params list signers (SPEC section 7). */
#define chain_permissioned(c) ((c)->keys != NULL)
/* The last final height of c: 1 and *height, or 0 when no block is final yet. */
int chain_final_height(const struct chain *c, uint32_t *height);
/* The index of key among c's signers, or -1. */
int chain_signer_index(const struct chain *c, const unsigned char key[32]);
/* Whether signer idx may seal the block after c's tip (the rotation rule). */
int chain_rotation_ok(const struct chain *c, int idx, uint32_t *last);
/* Check a final record t against c as if in the block after its tip (signatures included). */
int chain_final_check(struct chain *c, const struct tx *t, uint32_t *floor, struct bu_err *e);

/* What the rules of a header need from the chain below it (SPEC section 4, rules 1-4). */
struct hctx {
	uint32_t height;		/* of the header checked */
	unsigned char prev[32];		/* its parent's hash */
	uint32_t prev_bits, prev_time;
	uint32_t times[MTP_SPAN];	/* up to 11 times ending with the parent's, any order */
	unsigned ntimes;
	int have_first;			/* at a retarget height: the time of block height - retarget */
	uint32_t first_time;
};

/* The tip state chain_accept leaves after a block: what chain_rewind restores. */
struct chain_tip {
	uint32_t height, bits;
	unsigned char hash[32];
	uint32_t times[MTP_SPAN];	/* oldest first, ending with the tip's */
	unsigned ntimes;
	int have_anchor;		/* the last block at a multiple of retarget */
	uint32_t anchor_time, anchor_height;
	u256 work;
	uint64_t ntx;
};

void chain_init(struct chain *c, const struct chain_opts *o);
void chain_free(struct chain *c);
/*
 * Check b (parsed from line, len bytes without '\n') against the tip and
 * apply it. On failure nothing changes; e->reason is the rule's word and
 * e->code BU_EXIT_NOTTIP when b does not extend the tip ("duplicate", with
 * e->height the tip's, when b is the tip itself).
 */
int chain_accept(struct chain *c, const struct block *b, size_t len, struct bu_err *e);
/* The same, with the header's hash already computed. */
int chain_accept_hashed(struct chain *c, const struct block *b, size_t len,
    const unsigned char hash[32], struct bu_err *e);
/*
 * What can be checked of a block before its turn, knowing nothing of the
 * chain below it (worker threads do it): its header's hash, the merkle
 * rules (block_check_merkle) and the transfer signatures.
 */
struct chain_pre {
	unsigned char hash[32];
	const struct bu_err *merkle;	/* NULL: the merkle rules hold; else how they fail */
	const signed char *sig;		/* per tx: 1 valid, 0 not, -1 not checked; NULL: none checked;
					   sig[0], the coinbase's: its seal (SPEC section 7) */
};
/* chain_accept, with what pre says taken for checked, in the order chain_accept checks. */
int chain_accept_pre(struct chain *c, const struct block *b, size_t len, const struct chain_pre *pre,
    struct bu_err *e);
/*
 * Move the tip over a raw header (no transactions) whose rules 1-4 hold on
 * top of it: chain_check_header passed it in the context chain_hctx gives.
 */
int chain_advance_header(struct chain *c, const struct block *b, const unsigned char hash[32],
    struct bu_err *e);
/* The merkle rules of b alone: its 64-byte tokens, its root, duplicate txids; *ids is scratch. */
int block_check_merkle(const struct block *b, unsigned char (**ids)[32], size_t *idcap,
    struct bu_err *e);
/*
 * Connect a block on top of the tip whose header (chain_check_header in its
 * context) and block rules (chain_check_block) were checked already: the
 * ledger's rules (5 and 6), then the tip moves. As chain_accept otherwise.
 */
int chain_connect(struct chain *c, const struct block *b, size_t len, const unsigned char hash[32],
    struct bu_err *e);

/* Rules any block needs, given its chain's state. */
uint32_t chain_required_bits(const struct chain *c, uint32_t height);
/* The context of the block that would follow c's tip. */
void chain_hctx(const struct chain *c, struct hctx *x);
/* The bits a header at x->height must carry; 0 when x cannot tell (a slice's first window). */
uint32_t chain_hctx_bits(const struct chain *c, const struct hctx *x);
/*
 * Rules 1-4 for the header of b, whose computed hash is hash, on top of x
 * (NULL: the first block of a file, which has no parent); target gets its
 * target. The same code checks every header, in a file or off the wire.
 */
int chain_check_header(const struct chain *c, const struct hctx *x, const struct block *b,
    const unsigned char hash[32], u256 *target, struct bu_err *e);
/* Rule 4's second half: more than two hours ahead of the clock (not yet acceptable). */
int chain_time_too_new(const struct chain *c, uint32_t time);
/*
 * The rules that need only the block and its height: its length, merkle
 * root, the 64-byte and duplicate-txid rules, and the shape of its
 * transactions (coinbase first, no second coinbase or params). On a
 * failure *mutated says whether the transactions do not match the header
 * (the header may still be good) rather than the block being invalid.
 */
int chain_check_block(struct chain *c, const struct block *b, uint32_t height, size_t len,
    int *mutated, struct bu_err *e);
/* The same, with the merkle rules as pre found them (pre->hash and pre->sig unused). */
int chain_check_block_pre(struct chain *c, const struct block *b, uint32_t height, size_t len,
    const struct chain_pre *pre, int *mutated, struct bu_err *e);
/* Back to an earlier tip of the same chain: t from the caller's index, m the ledger's mark then. */
void chain_rewind(struct chain *c, const struct chain_tip *t, struct ledger_mark m);
/* Bitcoin's retarget: actual timespan clamped to [T/4, 4T], T = retarget x spacing. */
uint32_t params_retarget(const struct params *p, const u256 *powlimit,
    uint32_t last_bits, int64_t actual);
uint32_t chain_mtp(const struct chain *c);
uint64_t chain_subsidy(const struct params *p, uint32_t height);
int params_check(const struct params *p, struct bu_err *e);
/* The bytes a transfer's signature covers: "<chain id>:<token up to :sig>". */
void transfer_message(struct buf *out, const char idhex[65], const struct tx *t);
/* A transfer's signature under chain idhex: 0 valid, -1 not, -2 out of memory; scratch is reused. */
int transfer_sig_check(const char idhex[65], const struct tx *t, struct buf *scratch);
/* Full check of one transfer against the ledger (signature included); applies it. */
int chain_transfer(struct chain *c, const struct tx *t, struct bu_err *e);

extern const struct params bitcoin_params;
extern const char bitcoin_genesis_hex[65];

#endif
