/*
 * test-feed: write bytes to standard output and say how many the reader took.
 *
 *	test-feed [-n max] [file]
 *		copies file (endless zero bytes without one) to standard
 *		output, at most max bytes, in 64 KiB writes; stops early when
 *		the reader closes the pipe; then prints "fed N" on standard
 *		error, N the bytes written (the reader took them, or they sit
 *		in the pipe's buffer).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char *argv[])
{
	static char buf[65536];
	unsigned long long fed = 0, max = ~0ULL;
	int ch, fd = -1;

	while ((ch = getopt(argc, argv, "n:")) != -1) {
		if (ch != 'n')
			return 2;
		max = strtoull(optarg, NULL, 10);
	}
	if (argc - optind > 1)
		return 2;
	if (argc - optind == 1 && (fd = open(argv[optind], O_RDONLY)) < 0) {
		perror(argv[optind]);
		return 3;
	}
	signal(SIGPIPE, SIG_IGN);
	while (fed < max) {
		size_t want = max - fed < sizeof buf ? (size_t)(max - fed) : sizeof buf;
		ssize_t got = fd < 0 ? (ssize_t)want : read(fd, buf, want), w, off = 0;

		if (got <= 0)
			break;
		while (off < got) {
			w = write(STDOUT_FILENO, buf + off, (size_t)(got - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				goto done;
			off += w;
			fed += (unsigned long long)w;
		}
	}
done:
	fprintf(stderr, "fed %llu\n", fed);
	return 0;
}
