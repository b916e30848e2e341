/* record.h: the canonical text of blocks and transactions (SPEC section 3) */
#ifndef RECORD_H
#define RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "bu.h"

#define MAXBLOCK_LIMIT (32u << 20)	/* no chain may allow longer block lines */

enum tx_kind { TX_PARAMS, TX_COINBASE, TX_TRANSFER, TX_DATA, TX_FINAL };
#define TX_KINDS 5

#define SIGNERS_MAX 64	/* keys a permissioned chain lists (SPEC section 7) */
#define SIGNER_TEXT 65	/* a key's 64 hex digits and its '+' */
#define FINAL_ENTRY 194	/* "<key>/<sig>" and its '+' */

struct span {
	const char *p;
	size_t n;
};

struct params {
	struct span name;	/* escaped text, as in the token */
	uint32_t spacing, retarget, powlimit, halving, maturity, maxblock;
	uint64_t subsidy;
	struct span signers;	/* "<key>+<key>..." (empty: a proof-of-work chain) */
	uint32_t nsigners;
	uint32_t quorum;	/* 0: not given (the least SPEC 7 allows) */
};

struct coinbase {
	uint32_t height;
	unsigned char to[32];
	uint64_t amount;
	struct span extra;	/* hex digits */
};

struct transfer {
	unsigned char from[32], to[32];
	uint64_t amount, fee, nonce;
	struct span memo;	/* escaped text */
	unsigned char sig[64];
};

/* final:<height>:<hash>:<key>/<sig>+... (SPEC section 7) */
struct final {
	uint32_t height;
	unsigned char hash[32];	/* internal byte order */
	struct span sigs;	/* the "<key>/<sig>+..." part */
	uint32_t nsigs;
};

struct tx {
	enum tx_kind kind;
	struct span tok;	/* the whole token: what the txid hashes */
	union {
		struct params params;
		struct coinbase cb;
		struct transfer tr;
		struct span data;	/* escaped text */
		struct final fin;
	} u;
};

struct header {
	uint32_t version, time, bits, nonce;
	unsigned char prev[32], merkle[32];	/* internal byte order */
};

struct btc_block;

struct block {
	uint32_t height;
	unsigned char hash[32];	/* as written in the line (checked later) */
	struct header h;
	struct tx *txs;
	size_t ntx, cap;
	int raw;		/* a 160-hex Bitcoin header: no height, hash or txs */
	struct btc_block *btc;	/* a whole raw Bitcoin block behind the header, or NULL */
};

void block_init(struct block *b);
void block_free(struct block *b);

/*
 * Parse one line (without its '\n'). Spans point into line, which must
 * outlive b. Every rejection says which field. raw_ok accepts 160-hex
 * headers. Returns 0 or -1 (e->reason "bad-syntax").
 */
/* One more (unset) transaction slot at b->txs[b->ntx - 1]. */
int block_push_tx(struct block *b, struct bu_err *e);
int block_parse(struct block *b, const char *line, size_t len, int raw_ok,
    struct bu_err *e);
int tx_parse(struct tx *t, const char *tok, size_t len, struct bu_err *e);
/* Signer i (< nsigners) of p. */
void params_signer(const struct params *p, uint32_t i, unsigned char key[32]);
/* Signature i (< nsigs) of a final record: its key and signature. */
void final_sig(const struct final *f, uint32_t i, unsigned char key[32], unsigned char sig[64]);
/* The part of a final token its signatures cover: "final:<height>:<hash>". */
size_t final_signed_len(const struct tx *t);
/* A `tx <token>` line. */
int txline_parse(struct tx *t, const char *line, size_t len, struct bu_err *e);

void header_bytes(unsigned char out[80], const struct header *h);
void header_from_bytes(struct header *h, const unsigned char in[80]);
void header_hash(unsigned char out[32], const struct header *h);
void tx_id(unsigned char out[32], const struct tx *t);

/* Growable output buffer for serializing. */
struct buf {
	char *p;
	size_t n, cap;
	int oom;
};
/* Room for need more bytes and a NUL: 0, or -1 (oom set) when memory ran out. */
int buf_reserve(struct buf *b, size_t need);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_str(struct buf *b, const char *s);
void buf_fmt(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_free(struct buf *b);
/* A hash in display order (64 hex digits), appended. */
void buf_hash(struct buf *b, const unsigned char h[32]);

/* Write the canonical line (with '\n') of b; tokens are copied as they are. */
void block_format(struct buf *out, const struct block *b);
void header_format_fields(struct buf *out, const struct block *b);

/* A token rebuilt from its parsed fields (not copied): canonical by construction. */
void tx_format(struct buf *out, const struct tx *t);

/* Text values: escape raw bytes; check an escaped span is canonical. */
void text_escape(struct buf *out, const void *raw, size_t n);
int text_check(const char *s, size_t n, size_t *bad);
size_t text_unescape(char *out, const char *s, size_t n);	/* s canonical */

/* Token builders: append the token (no "tx=" or "tx " prefix). */
void tok_coinbase(struct buf *out, uint32_t height, const unsigned char to[32],
    uint64_t amount, const char *extra, size_t extralen);
void tok_params(struct buf *out, const struct params *p, const char *rawname,
    size_t rawlen);
/* The transfer token without ":<sig>", which is what is signed after "<chain>:". */
void tok_transfer_unsigned(struct buf *out, const struct transfer *t,
    const void *memo, size_t memolen);

#endif
