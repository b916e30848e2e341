/*
 * test-lines: the line reader's own contract, where no tool shows it.
 *
 *	test-lines close-twice
 *		reads standard input to its end through the reader, closes
 *		the reader twice, and says whether standard input is still
 *		open ("stdin open", exit 0) or not ("stdin closed", exit 1)
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lines.h"

int
main(int argc, char *argv[])
{
	struct lines r;
	struct bu_err e;
	const char *line;
	size_t len, n = 0;
	int got;

	if (argc != 2 || strcmp(argv[1], "close-twice") != 0) {
		fprintf(stderr, "usage: test-lines close-twice\n");
		return 2;
	}
	if (lines_open(&r, "-", 1 << 20, &e) != 0) {
		fprintf(stderr, "test-lines: %s\n", e.msg);
		return 2;
	}
	while ((got = lines_next(&r, &line, &len, &e)) > 0)
		n++;
	lines_close(&r);
	lines_close(&r);
	if (fcntl(STDIN_FILENO, F_GETFD) < 0) {
		printf("stdin closed\n");
		return 1;
	}
	printf("stdin open\nlines %zu\n", n);
	return got < 0 ? 2 : 0;
}
