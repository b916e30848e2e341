/* test-headers: a chain file's headers as wire messages, "headers <160 hex> ..." */
/*
 * Usage: test-headers [-n per-message] [-f first-height] chain
 * Prints the headers after the genesis (or from first-height on), at most
 * per-message (default 2000) a line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "lines.h"
#include "record.h"

int
main(int argc, char *argv[])
{
	struct lines r;
	struct block b;
	struct bu_err e;
	const char *line;
	size_t len;
	long per = 2000, first = 1, k = 0;
	int ch, got;

	while ((ch = getopt(argc, argv, "n:f:")) != -1) {
		switch (ch) {
		case 'n': per = atol(optarg); break;
		case 'f': first = atol(optarg); break;
		default:
			fprintf(stderr, "usage: test-headers [-n per-message] [-f first] chain\n");
			return 2;
		}
	}
	if (argc - optind != 1 || per <= 0 || lines_open(&r, argv[optind], MAXBLOCK_LIMIT, &e) != 0)
		return 2;
	block_init(&b);
	while ((got = lines_next(&r, &line, &len, &e)) > 0) {
		unsigned char raw[80];
		char hex[161];

		if (block_parse(&b, line, len, 0, &e) != 0) {
			bu_report(&e);
			return 1;
		}
		if ((long)b.height < first)
			continue;
		header_bytes(raw, &b.h);
		bu_hex(hex, raw, 80);
		printf("%s%s", k % per == 0 ? (k ? "\nheaders " : "headers ") : " ", hex);
		k++;
	}
	if (k > 0)
		putchar('\n');
	block_free(&b);
	lines_close(&r);
	return got < 0 || fflush(stdout) != 0 ? 1 : 0;
}
