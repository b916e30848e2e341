/* test-netcat: send standard input to host:port, copy what comes back until the peer closes */
/*
 * Usage: test-netcat [-w seconds] [-u text] [-s srcaddr] host:port
 * -w: give up after this long (10 s); -u: stop once what came back holds
 * text (say the pong of a ping sent last: a node answers in order); -s:
 * connect from this local IPv4 address (127.0.0.0/8 plays other hosts).
 * The connection stays open after standard input ends, until the peer
 * closes it or the time is up.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net.h"

/* Whether text ends within the last n bytes of got (n new bytes appended). */
static int
seen(const char *got, size_t len, size_t n, const char *text)
{
	size_t tl = strlen(text), from = len > n + tl ? len - n - tl : 0, i;

	for (i = from; i + tl <= len; i++)
		if (memcmp(got + i, text, tl) == 0)
			return 1;
	return 0;
}

static int
bind_to(int fd, const char *ip)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	if (inet_pton(AF_INET, ip, &sin.sin_addr) != 1)
		return -1;
	return bind(fd, (struct sockaddr *)&sin, sizeof sin);
}

int
main(int argc, char *argv[])
{
	const char *until = NULL, *src = NULL;
	char *got = NULL;
	size_t glen = 0;
	struct addrinfo *res;
	struct bu_err e;
	char buf[65536];
	int fd, wait_s = 10, in_open = 1;
	int64_t end;

	bu_setprogname(argv[0]);
	while (argc >= 4 && (strcmp(argv[1], "-w") == 0 || strcmp(argv[1], "-u") == 0 ||
	    strcmp(argv[1], "-s") == 0)) {
		if (argv[1][1] == 'w')
			wait_s = atoi(argv[2]);
		else if (argv[1][1] == 's')
			src = argv[2];
		else
			until = argv[2];
		argv += 2;
		argc -= 2;
	}
	if (argc != 2 || net_resolve(argv[1], NULL, 0, &res, &e) != 0)
		return 2;
	fd = socket(res->ai_family, SOCK_STREAM, 0);
	if (fd < 0 || (src != NULL && bind_to(fd, src) != 0) ||
	    connect(fd, res->ai_addr, res->ai_addrlen) != 0)
		return 3;
	freeaddrinfo(res);
	end = net_ms() + wait_s * 1000;
	while (net_ms() < end) {
		struct pollfd p[2] = { { fd, POLLIN, 0 }, { 0, POLLIN, 0 } };
		ssize_t n;

		if (poll(p, in_open ? 2 : 1, 100) < 0)
			break;
		if (p[0].revents) {
			if ((n = read(fd, buf, sizeof buf)) <= 0)
				break;
			fwrite(buf, 1, (size_t)n, stdout);
			fflush(stdout);	/* a test may wait for what came back */
			if (until != NULL) {
				if ((got = realloc(got, glen + (size_t)n)) == NULL)
					return 3;
				memcpy(got + glen, buf, (size_t)n);
				glen += (size_t)n;
				if (seen(got, glen, (size_t)n, until))
					break;
			}
		}
		if (in_open && p[1].revents) {
			if ((n = read(0, buf, sizeof buf)) <= 0)
				in_open = 0;
			else if (bu_write_all(fd, buf, (size_t)n) != 0)
				break;
		}
	}
	close(fd);
	free(got);
	return 0;
}
