/*
 * test-kill: run a command and kill -9 it after a given time, as a crash would.
 *
 *	test-kill USEC CMD [ARG ...]
 *		runs CMD (standard input, output and error inherited) and
 *		sends it SIGKILL USEC microseconds after it started, unless
 *		it has exited by then. Prints "killed" or "exited N" on
 *		standard error and exits 0; 2 on a usage error.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
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

int
main(int argc, char *argv[])
{
	long long usec, end;
	int status;
	pid_t pid, w;

	if (argc < 3 || (usec = atoll(argv[1])) < 0) {
		fprintf(stderr, "usage: test-kill USEC CMD [ARG ...]\n");
		return 2;
	}
	end = now_us() + usec;
	if ((pid = fork()) < 0)
		return 3;
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		_exit(127);
	}
	for (;;) {
		long long left = end - now_us();
		struct timespec ts;

		w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR)
			return 3;
		if (left <= 0) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			break;
		}
		ts.tv_sec = 0;
		ts.tv_nsec = (left < 50 ? left : 50) * 1000;
		nanosleep(&ts, NULL);
	}
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
		fprintf(stderr, "killed\n");
	else
		fprintf(stderr, "exited %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return 0;
}
