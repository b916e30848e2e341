/*
 * test-flood: many connections to a node, each saying hello and sending a
 * line many times, reading the answers or never reading them.
 *
 *	test-flood [-n conns] [-c count] [-g chain] [-p port] [-s srcaddr]
 *	    [-m line | -M file] [-r] [-R] [-w seconds] [-f readyfile] host:port
 *
 * -g: say hello for this chain id first (-p: the port it claims, 0 for a
 * client); -m: the line sent count times on each connection (none: only the
 * hello, or nothing without -g); -M: the file's bytes instead, sent as they
 * are (a file without a last newline sends a line begun and not finished); -r: read what the node sends and answer its
 * pings (default: never read, with a small receive buffer); -R: open a new
 * connection for each one the node closes, until the time is up; -w: hold
 * the connections this long (default 5 s); -f: write "ready" to the file
 * once every connection has sent everything, or as many full sends as
 * there are connections were made (renamed into place).
 * Prints "opened N closed M" at the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net.h"

#define MAXC 1024

struct fl {
	int fd;
	char hello[200];	/* its own nonce: the node closes a second connection of one node */
	size_t hn, sent;	/* bytes of hello, then of out, sent */
	int once;		/* it sent everything at least once */
};

static const char *chain, *src, *msg, *msgfile;
static int port, readit;
static long count = 1;
static char *out;
static size_t outn;

/* The -M file's bytes (a malloc'd string) and their length in *len. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *p = NULL;
	long sz;

	if (fp == NULL || fseek(fp, 0, SEEK_END) != 0 || (sz = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) != 0 || (p = malloc((size_t)sz + 1)) == NULL ||
	    fread(p, 1, (size_t)sz, fp) != (size_t)sz)
		exit(3);
	fclose(fp);
	*len = (size_t)sz;
	return p;
}

static void
build_out(void)
{
	size_t ml = msg ? strlen(msg) + 1 : 0, fl = 0;
	char *fb = msgfile ? slurp(msgfile, &fl) : NULL;
	long k;

	if (fb != NULL) {
		msg = fb;
		ml = fl;
	}
	out = malloc(ml * (size_t)count + 1);
	if (out == NULL)
		exit(3);
	for (k = 0; msg != NULL && k < count; k++) {
		if (fb != NULL) {
			memcpy(out + outn, fb, fl);
		} else {
			memcpy(out + outn, msg, ml - 1);
			out[outn + ml - 1] = '\n';
		}
		outn += ml;
	}
	free(fb);
}

static void
start(struct fl *f)
{
	static unsigned long seq;

	f->sent = 0;
	f->hello[0] = '\0';
	if (chain != NULL)
		snprintf(f->hello, sizeof f->hello, "hello chain=%s height=0 work=0 port=%d "
		    "nonce=%08lx%08lx agent=flood\n", chain, port, (unsigned long)getpid(), ++seq);
	f->hn = strlen(f->hello);
}

static int
open_one(const struct addrinfo *ai)
{
	int fd = socket(ai->ai_family, SOCK_STREAM, 0), small = 4096;

	if (fd < 0)
		return -1;
	if (!readit)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
	if (src != NULL && ai->ai_family == AF_INET) {
		struct sockaddr_in sin = { .sin_family = AF_INET };

		if (inet_pton(AF_INET, src, &sin.sin_addr) != 1 ||
		    bind(fd, (struct sockaddr *)&sin, sizeof sin) != 0) {
			close(fd);
			return -1;
		}
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0 && errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	return fd;	/* POLLOUT says when it is connected */
}

/* Read what came, answering pings; 0 when the node closed the connection. */
static int
drain(int fd)
{
	char buf[65536], *p, *nl;
	ssize_t n = read(fd, buf, sizeof buf - 1);

	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
		return 0;
	if (n < 0)
		return 1;
	buf[n] = '\0';
	for (p = buf; (nl = strchr(p, '\n')) != NULL; p = nl + 1)
		if (strncmp(p, "ping ", 5) == 0 && nl - p == 21) {
			char pong[32];

			snprintf(pong, sizeof pong, "pong %.16s\n", p + 5);
			if (write(fd, pong, strlen(pong)) < 0)
				return 0;
		}
	return 1;
}

int
main(int argc, char *argv[])
{
	static struct fl c[MAXC];
	static struct pollfd pf[MAXC];
	struct addrinfo *res;
	struct bu_err e;
	const char *ready = NULL;
	long n = 1, wait_s = 5, opened = 0, closed = 0, done = 0, i;
	int ch, again = 0, told = 0;
	int64_t end;

	while ((ch = getopt(argc, argv, "n:c:g:p:s:m:M:rRw:f:")) != -1) {
		switch (ch) {
		case 'n': n = atol(optarg); break;
		case 'c': count = atol(optarg); break;
		case 'g': chain = optarg; break;
		case 'p': port = atoi(optarg); break;
		case 's': src = optarg; break;
		case 'm': msg = optarg; break;
		case 'M': msgfile = optarg; break;
		case 'r': readit = 1; break;
		case 'R': again = 1; break;
		case 'w': wait_s = atol(optarg); break;
		case 'f': ready = optarg; break;
		default: goto usage;
		}
	}
	if (argc - optind != 1 || n < 1 || n > MAXC || count < 0 ||
	    net_resolve(argv[optind], NULL, 0, &res, &e) != 0)
		goto usage;
	build_out();
	for (i = 0; i < n; i++) {
		c[i].fd = open_one(res);
		start(&c[i]);
		opened += c[i].fd >= 0;
	}
	end = net_ms() + wait_s * 1000;
	while (net_ms() < end) {
		int pending = 0;

		for (i = 0; i < n; i++) {
			struct fl *f = &c[i];

			if (f->fd < 0 && again && (f->fd = open_one(res)) >= 0) {
				start(f);
				f->once = 0;
				opened++;
			}
			pf[i].fd = f->fd;
			pf[i].events = (short)((readit ? POLLIN : 0) |
			    (f->sent < f->hn + outn ? POLLOUT : 0));
			pf[i].revents = 0;
			if (f->fd >= 0 && f->sent == f->hn + outn && !f->once) {
				f->once = 1;
				done++;
			}
			pending += f->fd >= 0 && !f->once;
		}
		if ((!pending || done >= n) && !told && ready != NULL) {
			char tmp[4200];
			FILE *fp;

			snprintf(tmp, sizeof tmp, "%s.tmp", ready);
			if ((fp = fopen(tmp, "w")) != NULL) {
				fprintf(fp, "ready\n");
				fclose(fp);
				rename(tmp, ready);
			}
			told = 1;
		}
		if (poll(pf, (nfds_t)n, 20) < 0 && errno != EINTR)
			break;
		for (i = 0; i < n; i++) {
			struct fl *f = &c[i];
			int gone = 0;

			if (f->fd < 0)
				continue;
			if (pf[i].revents & POLLOUT) {
				ssize_t w = f->sent < f->hn ?
				    send(f->fd, f->hello + f->sent, f->hn - f->sent, MSG_NOSIGNAL) :
				    send(f->fd, out + f->sent - f->hn, f->hn + outn - f->sent, MSG_NOSIGNAL);

				if (w > 0)
					f->sent += (size_t)w;
				else if (w < 0 && errno != EAGAIN && errno != EINTR)
					gone = 1;
			}
			if ((pf[i].revents & (POLLERR | POLLHUP)) && !(pf[i].revents & POLLIN))
				gone = 1;
			if (!gone && (pf[i].revents & POLLIN) && !drain(f->fd))
				gone = 1;
			if (gone) {
				close(f->fd);
				f->fd = -1;
				closed++;
			}
		}
	}
	printf("opened %ld closed %ld\n", opened, closed);
	freeaddrinfo(res);
	return 0;
usage:
	fprintf(stderr, "usage: test-flood [-n conns] [-c count] [-g chain] [-p port] "
	    "[-s srcaddr] [-m line | -M file] [-r] [-R] [-w seconds] [-f readyfile] host:port\n");
	return 2;
}
