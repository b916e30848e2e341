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

struct chain_opts {
	int bitcoin;		/* raw headers under Bitcoin mainnet's rules */
	int headers_only;	/* skip the transaction rules (5 and 6) */
	int sliced;		/* first block: a trusted header at start_height */
	uint32_t start_height;
	int64_t now;		/* the clock, for time-too-new */
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

/* Rules any block needs, given its chain's state. */
uint32_t chain_required_bits(const struct chain *c, uint32_t height);
/* Bitcoin's retarget: actual timespan clamped to [T/4, 4T], T = retarget x spacing. */
uint32_t params_retarget(const struct params *p, const u256 *powlimit,
    uint32_t last_bits, int64_t actual);
uint32_t chain_mtp(const struct chain *c);
uint64_t chain_subsidy(const struct params *p, uint32_t height);
int params_check(const struct params *p, struct bu_err *e);
/* The bytes a transfer's signature covers: "<chain id>:<token up to :sig>". */
void transfer_message(struct buf *out, const char idhex[65], const struct tx *t);
/* Full check of one transfer against the ledger (signature included); applies it. */
int chain_transfer(struct chain *c, const struct tx *t, struct bu_err *e);

extern const struct params bitcoin_params;
extern const char bitcoin_genesis_hex[65];

#endif
