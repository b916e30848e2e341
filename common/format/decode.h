/* decode.h: records decoded for people (text) and for scripts (one JSON object each) */
#ifndef DECODE_H
#define DECODE_H

#include <stdint.h>

#include "json.h"
#include "proof.h"
#include "record.h"

/* Where a record was read, for its heading; file NULL: none. */
struct where {
	const char *file;
	uint64_t line;
	int json;
};

/*
 * Each writes one record to out. A block and a proof also show what they
 * compute beside what they store (hash, merkle root, txid, the proof's
 * checks); the return is 1 when something stored differs, else 0.
 * height: the header's height when the reader knows it (-1: unknown).
 */
int decode_block(struct buf *out, const struct block *b, size_t len, const struct where *w);
void decode_header(struct buf *out, const struct header *h, int64_t height,
    const struct where *w);
void decode_tx(struct buf *out, const struct tx *t, const struct where *w);
struct btc_block;
/* A whole raw Bitcoin block: its header, its computed merkle root, its txids. */
int decode_btc_block(struct buf *out, const struct btc_block *b, int64_t height, size_t len,
    const struct where *w);
int decode_proof(struct buf *out, const struct proof *p, int bitcoin, const struct where *w);

/* A transaction's fields inside a record of the caller's: an object under key, or text lines. */
void tx_json(struct json *j, const char *key, const struct tx *t);
void tx_text(struct buf *out, const struct tx *t, const char *indent);
/* A text field: as a string for people (U+FFFD where it is not UTF-8), and exact, its bytes in hex as KEY_hex. */
void text_json(struct json *j, const char *key, struct span s);
/* "1700000000 (2023-11-14 22:13:20 UTC)" */
void time_for_people(struct buf *out, uint32_t t);
/* Escaped canonical text, unescaped and quoted for a terminal: "a\tb", \xNN for non-UTF-8. */
void text_for_people(struct buf *out, const char *escaped, size_t n);

#endif
