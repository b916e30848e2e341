/* fuzz block: block lines; an accepted line re-serializes byte for byte, from its tokens and from its fields */
#include "fuzz.h"

#include "record.h"

/* The line rebuilt field by field, every token through tx_format (not copied). */
static void
rebuild(struct buf *out, const struct block *b)
{
	size_t i;

	header_format_fields(out, b);
	for (i = 0; i < b->ntx; i++) {
		buf_str(out, " tx=");
		tx_format(out, &b->txs[i]);
	}
	buf_add(out, "\n", 1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *line = (const char *)data;
	struct bu_err e;
	struct block b;
	int raw_ok;

	for (raw_ok = 0; raw_ok <= 1; raw_ok++) {
		struct buf copy = { 0 }, again = { 0 };

		block_init(&b);
		if (block_parse(&b, line, size, raw_ok, &e) != 0) {
			FUZZ_CHECK(strcmp(e.reason, "bad-syntax") == 0 ||
			    strcmp(e.reason, "no-memory") == 0);
			block_free(&b);
			continue;
		}
		FUZZ_CHECK(memchr(line, '\n', size) == NULL && memchr(line, '\r', size) == NULL &&
		    memchr(line, '\t', size) == NULL);
		block_format(&copy, &b);
		FUZZ_CHECK(!copy.oom && copy.n == size + 1 && memcmp(copy.p, line, size) == 0);
		if (b.raw) {
			FUZZ_CHECK(raw_ok && size == 160 && b.ntx == 0);
		} else {
			FUZZ_CHECK(b.ntx >= 1);
			rebuild(&again, &b);
			FUZZ_CHECK(!again.oom && again.n == copy.n && memcmp(again.p, copy.p, copy.n) == 0);
		}
		buf_free(&copy);
		buf_free(&again);
		block_free(&b);
	}
	return 0;
}
