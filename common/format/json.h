/* json.h: one JSON object per record, written into a buf; escaping done here only */
#ifndef JSON_H
#define JSON_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"

#define JSON_MAXDEPTH 8

/*
 * Numbers: u32 and counts are JSON numbers; u64 amounts, fees, nonces and
 * balances are strings of decimal digits, as bx prints them, because most
 * JSON readers (jq among them) hold a number in a double, exact only up
 * to 2^53. Hashes are strings in display order, as the text shows them.
 */
struct json {
	struct buf *out;
	int depth;
	int more[JSON_MAXDEPTH];	/* a value was written at this depth: next needs a comma */
	char close[JSON_MAXDEPTH];	/* '}' or ']' for each open value */
};

void json_start(struct json *j, struct buf *out);	/* "{" */
void json_finish(struct json *j);			/* "}\n" */
/* Nested values; key is NULL inside an array. */
void json_obj(struct json *j, const char *key);
void json_arr(struct json *j, const char *key);
void json_close(struct json *j);			/* "}" or "]" */

/* Bytes as a JSON string: invalid UTF-8 becomes U+FFFD, controls are escaped. */
void json_str(struct json *j, const char *key, const void *s, size_t n);
void json_cstr(struct json *j, const char *key, const char *s);
void json_num(struct json *j, const char *key, uint64_t v);	/* exact below 2^53 */
void json_int(struct json *j, const char *key, int64_t v);
void json_u64(struct json *j, const char *key, uint64_t v);	/* "digits" */
void json_dbl(struct json *j, const char *key, double v);	/* null when not finite */
void json_bool(struct json *j, const char *key, int v);
void json_null(struct json *j, const char *key);
void json_hash(struct json *j, const char *key, const unsigned char h[32]);	/* display order */
void json_hex(struct json *j, const char *key, const unsigned char *p, size_t n);

/* The length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
size_t utf8_len(const unsigned char *s, size_t n);

#endif
