/* test-reseal: recompute a block line's merkle root and hash, checking nothing else */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lines.h"
#include "merkle.h"
#include "record.h"

/* Usage: test-reseal [-m] < lines; -m keeps the merkle field, rehashing only. */
int
main(int argc, char *argv[])
{
	int keep = argc > 1 && strcmp(argv[1], "-m") == 0;
	unsigned char (*ids)[32];
	struct lines r;
	struct block b;
	struct bu_err e;
	const char *line;
	size_t len, i;

	if (lines_open(&r, "-", MAXBLOCK_LIMIT, &e) != 0)
		return 3;
	block_init(&b);
	while (lines_next(&r, &line, &len, &e) > 0) {
		struct buf out = { 0 };

		if (block_parse(&b, line, len, 0, &e) != 0) {
			fprintf(stderr, "test-reseal: %s\n", e.msg);
			block_free(&b);
			lines_close(&r);
			return 1;
		}
		if (!keep) {
			if ((ids = malloc((b.ntx + 1) * 32)) == NULL)
				return 3;
			for (i = 0; i < b.ntx; i++)
				tx_id(ids[i], &b.txs[i]);
			merkle_root(ids, b.ntx, b.h.merkle);
			free(ids);
		}
		header_hash(b.hash, &b.h);
		block_format(&out, &b);
		fwrite(out.p, 1, out.n, stdout);
		buf_free(&out);
	}
	block_free(&b);
	lines_close(&r);
	return 0;
}
