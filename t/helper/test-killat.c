/*
 * test-killat: SIGKILL a process at a moment a file's size shows, polled every 50 us.
 *
 *	test-killat [-t seconds] [-b below] -s bytes pid|-P pidfile file
 *		waits until file holds at least bytes bytes (after it first
 *		held fewer than below bytes, when -b is given), then kills pid.
 *		With -P the pid is read from pidfile once it appears, so the
 *		watch starts before the process does. With -e, a file that
 *		reaches end bytes before -b armed the watch means the moment
 *		was missed (a busy machine): pid is killed then, exit 2.
 *		Exits 0 when it killed at the moment, 1 when the process ended
 *		or the time ran out first (default 20 s).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static pid_t
read_pid(const char *path)
{
	char b[32];
	FILE *f = fopen(path, "r");
	long v = 0;

	if (f != NULL) {
		if (fgets(b, sizeof b, f) != NULL)
			v = atol(b);
		fclose(f);
	}
	return (pid_t)v;
}

static long long
size_of(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

int
main(int argc, char *argv[])
{
	long long below = -1, bytes = -1, limit = 20, end = -1, sz;
	struct timespec nap = { 0, 50000 }, t0, t;
	const char *pidfile = NULL;
	int ch, armed;
	pid_t pid = 0;

	while ((ch = getopt(argc, argv, "b:e:s:t:P:")) != -1) {
		switch (ch) {
		case 'e': end = atoll(optarg); break;
		case 'b': below = atoll(optarg); break;
		case 's': bytes = atoll(optarg); break;
		case 't': limit = atoll(optarg); break;
		case 'P': pidfile = optarg; break;
		default: goto usage;
		}
	}
	if (argc - optind != 2 - (pidfile != NULL) || bytes < 0 ||
	    (pidfile == NULL && (pid = (pid_t)atol(argv[optind++])) <= 0))
		goto usage;
	armed = below < 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		if (pid <= 0 && (pid = read_pid(pidfile)) <= 0) {
			clock_gettime(CLOCK_MONOTONIC, &t);
			if (t.tv_sec - t0.tv_sec > limit)
				return 1;
			nanosleep(&nap, NULL);
			continue;
		}
		sz = size_of(argv[optind]);
		if (!armed && sz >= 0 && sz < below)
			armed = 1;
		if (armed && sz >= bytes)
			return kill(pid, SIGKILL) == 0 ? 0 : 1;
		if (!armed && end >= 0 && sz >= end)
			return kill(pid, SIGKILL) == 0 ? 2 : 1;
		if (kill(pid, 0) != 0)
			return 1;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec > limit)
			return 1;
		nanosleep(&nap, NULL);
	}
usage:
	fprintf(stderr, "usage: test-killat [-t seconds] [-b below [-e end]] -s bytes pid|-P pidfile file\n");
	return 2;
}
