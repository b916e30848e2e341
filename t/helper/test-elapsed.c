/*
 * test-elapsed: time a command in microseconds, without a fork per poll.
 *
 *	test-elapsed [-t seconds] CMD [ARG ...]
 *		runs CMD and prints the microseconds until it exits;
 *		exits 0 when CMD succeeded, 1 otherwise.
 *	test-elapsed [-t seconds] -f FILE -s BYTES CMD [ARG ...]
 *		runs CMD and prints the microseconds until FILE holds at
 *		least BYTES bytes (polled every 100 us); then stops CMD
 *		with SIGTERM if it still runs. Exits 0 when the size was
 *		reached, 1 on the time limit (default 30 s).
 *	-r	also print the command's peak resident set size in KiB,
 *		after the microseconds, on the same line.
 *	-c	also print the CPU microseconds (user and system) it used,
 *		last on the line.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int
usage(void)
{
	fprintf(stderr, "usage: test-elapsed [-cr] [-t seconds] [-f file -s bytes] cmd [arg ...]\n");
	return 2;
}

int
main(int argc, char *argv[])
{
	const char *file = NULL;
	long long bytes = 0, t0, limit = 30;
	int ch, st = 0, reached = 0, running, rss = 0, cpu = 0;
	pid_t pid;

	while ((ch = getopt(argc, argv, "+cf:rs:t:")) != -1) {
		switch (ch) {
		case 'c': cpu = 1; break;
		case 'r': rss = 1; break;
		case 'f': file = optarg; break;
		case 's': bytes = atoll(optarg); break;
		case 't': limit = atoll(optarg); break;
		default: return usage();
		}
	}
	if (optind >= argc || (file != NULL) != (bytes > 0) || limit <= 0)
		return usage();
	t0 = now_us();
	if ((pid = fork()) < 0) {
		perror("test-elapsed: fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "test-elapsed: %s: %s\n", argv[optind], strerror(errno));
		_exit(127);
	}
	running = 1;
	for (;;) {
		struct stat sb;
		struct timespec pause = { 0, 100000 };

		if (file != NULL && stat(file, &sb) == 0 && sb.st_size >= bytes) {
			reached = 1;
			break;
		}
		if (running && waitpid(pid, &st, file ? WNOHANG : 0) == pid) {
			running = 0;
			if (file == NULL)
				break;
		}
		if (now_us() - t0 > limit * 1000000) {
			fprintf(stderr, "test-elapsed: gave up after %lld s\n", limit);
			break;
		}
		nanosleep(&pause, NULL);
	}
	t0 = now_us() - t0;
	if (running && file != NULL) {
		kill(pid, SIGTERM);
		waitpid(pid, &st, 0);
	}
	{
		struct rusage ru;

		getrusage(RUSAGE_CHILDREN, &ru);
		printf("%lld", t0);
		if (rss)
			printf(" %ld", ru.ru_maxrss);
		if (cpu)
			printf(" %lld", (long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 +
			    ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
		printf("\n");
	}
	if (file != NULL)
		return reached ? 0 : 1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
}
