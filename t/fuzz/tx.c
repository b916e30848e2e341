/* fuzz tx: transaction tokens and tx lines; an accepted one re-serializes byte for byte */
#include "fuzz.h"

#include "record.h"

static void
check_token(const char *tok, size_t n)
{
	struct buf out = { 0 };
	struct bu_err e;
	struct tx t;
	unsigned char id1[32], id2[32];

	if (tx_parse(&t, tok, n, &e) != 0) {
		FUZZ_CHECK(strcmp(e.reason, "bad-syntax") == 0);
		return;
	}
	FUZZ_CHECK(t.tok.p == tok && t.tok.n == n);
	FUZZ_CHECK(memchr(tok, ' ', n) == NULL && memchr(tok, '\n', n) == NULL);
	tx_format(&out, &t);
	FUZZ_CHECK(!out.oom && out.n == n && memcmp(out.p, tok, n) == 0);
	tx_id(id1, &t);
	{
		struct tx u = { .tok = { out.p, out.n } };

		tx_id(id2, &u);
	}
	FUZZ_CHECK(memcmp(id1, id2, 32) == 0);
	buf_free(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct buf line = { 0 };
	struct bu_err e;
	struct tx t;
	int tok_ok, line_ok;

	check_token(s, size);
	/* the same bytes as a "tx <token>" line: accepted exactly when the token is, without spaces */
	buf_str(&line, "tx ");
	buf_add(&line, s, size);
	FUZZ_CHECK(!line.oom);
	tok_ok = tx_parse(&t, s, size, &e) == 0;
	line_ok = txline_parse(&t, line.p, line.n, &e) == 0;
	FUZZ_CHECK(line_ok == (tok_ok && memchr(s, ' ', size) == NULL));
	if (line_ok) {
		struct buf out = { 0 };

		buf_str(&out, "tx ");
		tx_format(&out, &t);
		FUZZ_CHECK(!out.oom && out.n == line.n && memcmp(out.p, line.p, line.n) == 0);
		buf_free(&out);
	}
	if (size >= 3 && memcmp(s, "tx ", 3) == 0 && txline_parse(&t, s, size, &e) == 0)
		check_token(s + 3, size - 3);
	buf_free(&line);
	return 0;
}
