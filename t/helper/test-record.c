/* test-record: parse lines and write them back from their fields, for round-trip tests */
#include <stdio.h>
#include <string.h>

#include "lines.h"
#include "record.h"

/* A block line rebuilt field by field, every token through tx_format. */
static void
reformat_block(struct buf *out, const struct block *b)
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
main(int argc, char *argv[])
{
	struct lines r;
	struct block b;
	struct bu_err e;
	const char *line;
	size_t len;
	int got;

	if (lines_open(&r, argc > 1 ? argv[1] : "-", MAXBLOCK_LIMIT, &e) != 0)
		return 3;
	block_init(&b);
	while ((got = lines_next(&r, &line, &len, &e)) > 0) {
		struct buf out = { 0 };
		struct tx t;

		if (len >= 3 && memcmp(line, "tx ", 3) == 0) {
			if (txline_parse(&t, line, len, &e) != 0)
				break;
			buf_str(&out, "tx ");
			tx_format(&out, &t);
			buf_add(&out, "\n", 1);
		} else {
			if (block_parse(&b, line, len, 1, &e) != 0)
				break;
			if (b.raw)
				block_format(&out, &b);
			else
				reformat_block(&out, &b);
		}
		fwrite(out.p, 1, out.n, stdout);
		buf_free(&out);
	}
	block_free(&b);
	if (got != 0)
		printf("%llu: %s: %s\n", (unsigned long long)r.lineno, e.reason, e.msg);
	lines_close(&r);
	return got != 0;
}
