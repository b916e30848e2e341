/* btc.h: raw Bitcoin blocks and transactions: parsing, txids, the block rules */
#ifndef BTC_H
#define BTC_H

#include <stddef.h>
#include <stdint.h>

#include "bu.h"
#include "record.h"

#define BTC_MAX_WEIGHT 4000000
#define BTC_MAX_BLOCK_BYTES 4000000	/* serialized, witness included */
#define BTC_MAX_SIGOPS_COST 80000
#define BTC_MAX_MONEY 2100000000000000LL

/* A built-in Bitcoin network: the header rules and when each block rule starts. */
struct btc_net {
	const char *name;
	struct params p;	/* spacing, retarget and powlimit as chain.c applies them */
	char genesis[65];	/* display hex */
	uint32_t bip34, bip66, bip65, csv, segwit;	/* first height of each rule */
};

extern const struct btc_net btc_mainnet, btc_regtest;
/* "bitcoin" or "regtest"; NULL for any other name. */
const struct btc_net *btc_net_byname(const char *name);

/* One transaction inside a block's bytes. */
struct btc_tx {
	size_t off, len;	/* its serialization, witness included */
	size_t io_off, io_len;	/* inputs and outputs (the txid skips marker, flag, witness) */
	int witness;		/* serialized with marker, flag and witness */
	int coinbase;		/* one input, spending the null outpoint */
	uint32_t locktime;
	int final_seq;		/* every input's sequence is ffffffff */
	unsigned char txid[32], wtxid[32];	/* internal byte order */
};

/* What the rules need of the coinbase beyond its txid. */
struct btc_coinbase {
	size_t sig_off, sig_len;	/* scriptSig */
	size_t commit_off;		/* the 32 bytes of the last BIP141 commitment; 0: none */
	uint64_t nwit;			/* witness items of its input */
	size_t wit0_off, wit0_len;	/* the first of them */
};

struct btc_block {
	unsigned char *raw;	/* the block's bytes */
	size_t n, rawcap;
	struct header h;
	struct btc_tx *tx;
	size_t ntx, txcap;
	size_t base;		/* serialized size without witness data */
	uint64_t sigops;	/* legacy count, as CheckBlock counts them */
	struct btc_coinbase cb;
	int txbad;		/* a transaction broke a rule of its own ... */
	struct bu_err txerr;	/* ... reported in Bitcoin Core's order */
	unsigned char (*ids)[32];	/* scratch for trees and sorts */
	size_t idcap;
	unsigned char (*outs)[36];	/* scratch: one transaction's outpoints */
	size_t outcap;
	uint32_t *slots;		/* scratch: a hash table of txids */
	size_t slotcap;
};

void btc_block_init(struct btc_block *b);
void btc_block_free(struct btc_block *b);
/*
 * Parse a block from hex (a line without '\n'), computing every txid and
 * wtxid. Only the serialization is checked here ("bad-syntax");
 * btc_block_check applies the rules.
 */
int btc_block_parse(struct btc_block *b, const char *hex, size_t len, struct bu_err *e);
/*
 * The rules a header alone cannot show, for a block at height on net, in
 * Bitcoin Core's order: merkle root, mutation and duplicates, size,
 * coinbase, each transaction, sigops, lock times, BIP34 height, BIP141
 * commitment, weight. mtp is the median time past of the blocks before
 * (-1: unknown, and lock times by time are then not checked after BIP113).
 * Scripts and the UTXO set are not looked at.
 */
int btc_block_check(struct btc_block *b, const struct btc_net *net, uint32_t height,
    int64_t mtp, struct bu_err *e);
/* The header version rule (BIP34, BIP66, BIP65 heights). */
int btc_header_check(const struct btc_net *net, uint32_t height, const struct header *h,
    struct bu_err *e);
/*
 * One whole transaction in hex: its txid (without witness data) and the
 * size of its serialization without witness.
 */
int btc_tx_hex_id(const char *hex, size_t len, unsigned char txid[32], size_t *base,
    struct bu_err *e);

#endif
