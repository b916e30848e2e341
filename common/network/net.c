/* net.c: address parsing, listening and connecting sockets, line buffers */
#include "net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int
net_split(const char *s, const char *defport, char *host, size_t hn,
    char *port, size_t pn, struct bu_err *e)
{
	const char *p, *hs = s;
	size_t hl;

	if (s[0] == '[') {
		if ((p = strchr(s, ']')) == NULL)
			return bu_fail(e, BU_EXIT_USAGE, "bad-addr", "'%s': no ']'", s);
		hs = s + 1;
		hl = (size_t)(p - hs);
		p++;
		if (*p != '\0' && *p != ':')
			return bu_fail(e, BU_EXIT_USAGE, "bad-addr", "'%s': junk after ']'", s);
	} else {
		p = strrchr(s, ':');
		if (p != NULL && strchr(s, ':') != p)
			return bu_fail(e, BU_EXIT_USAGE, "bad-addr",
			    "'%s': write an IPv6 address as [addr]:port", s);
		hl = p ? (size_t)(p - s) : strlen(s);
	}
	if (hl == 0 || hl >= hn)
		return bu_fail(e, BU_EXIT_USAGE, "bad-addr", "'%s': bad host", s);
	memcpy(host, hs, hl);
	host[hl] = '\0';
	if (p == NULL || *p == '\0') {
		if (defport == NULL)
			return bu_fail(e, BU_EXIT_USAGE, "bad-addr",
			    "'%s': no port (write host:port)", s);
		snprintf(port, pn, "%s", defport);
		return 0;
	}
	p++;
	if (*p == '\0' || strlen(p) >= pn || strspn(p, "0123456789") != strlen(p) ||
	    strlen(p) > 5 || atoi(p) > 65535)
		return bu_fail(e, BU_EXIT_USAGE, "bad-addr",
		    "'%s': bad port (write host:port, a port up to 65535)", s);
	snprintf(port, pn, "%s", p);
	return 0;
}

int
net_resolve(const char *hostport, const char *defport, int passive,
    struct addrinfo **res, struct bu_err *e)
{
	struct addrinfo hints;
	char host[256], port[8];
	int rc;

	if (net_split(hostport, defport, host, sizeof host, port, sizeof port, e) != 0)
		return -1;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = passive ? AI_PASSIVE : 0;
	if ((rc = getaddrinfo(host, port, &hints, res)) != 0)
		return bu_fail(e, BU_EXIT_SYSTEM, "resolve", "'%s': %s", hostport,
		    gai_strerror(rc));
	return 0;
}

uint16_t
net_port(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)(const void *)sa)->sin6_port);
	return ntohs(((const struct sockaddr_in *)(const void *)sa)->sin_port);
}

void
net_with_port(const struct sockaddr *sa, uint16_t port, char out[NET_ADDRLEN])
{
	char h[INET6_ADDRSTRLEN];

	if (sa->sa_family == AF_INET6) {
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
		    h, sizeof h);
		snprintf(out, NET_ADDRLEN, "[%s]:%u", h, (unsigned)port);
	} else if (sa->sa_family == AF_INET) {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
		    h, sizeof h);
		snprintf(out, NET_ADDRLEN, "%s:%u", h, (unsigned)port);
	} else {
		snprintf(out, NET_ADDRLEN, "unknown:%u", (unsigned)port);
	}
}

void
net_ntop(const struct sockaddr *sa, char out[NET_ADDRLEN])
{
	net_with_port(sa, net_port(sa), out);
}

int
net_is_loopback(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;

		if (IN6_IS_ADDR_V4MAPPED(a))
			return a->s6_addr[12] == 127;
		return IN6_IS_ADDR_LOOPBACK(a);
	}
	return (ntohl(((const struct sockaddr_in *)(const void *)sa)->sin_addr.s_addr) >> 24) == 127;
}

int
net_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

void
net_nodelay(int fd)
{
	int one = 1;

	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

int
net_listen(const char *host, const char *port, uint16_t *bound, struct bu_err *e)
{
	struct addrinfo hints, *res;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	int fd, one = 1, rc;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rc = getaddrinfo(host, port, &hints, &res)) != 0)
		return bu_fail(e, BU_EXIT_SYSTEM, "resolve", "'%s': %s", host, gai_strerror(rc));
	fd = socket(res->ai_family, res->ai_socktype | SOCK_CLOEXEC, 0);
	if (fd >= 0 && res->ai_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
	    bind(fd, res->ai_addr, res->ai_addrlen) != 0 || listen(fd, SOMAXCONN) != 0 ||
	    net_nonblock(fd) != 0 || getsockname(fd, (struct sockaddr *)&ss, &sl) != 0) {
		bu_fail(e, BU_EXIT_SYSTEM, "io", "listen on %s port %s: %s", host, port,
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		freeaddrinfo(res);
		return -1;
	}
	freeaddrinfo(res);
	*bound = net_port((struct sockaddr *)&ss);
	return fd;
}

int
net_connect_start(const struct sockaddr *sa, socklen_t len, struct bu_err *e)
{
	char name[NET_ADDRLEN];
	int fd = socket(sa->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd >= 0 && net_nonblock(fd) == 0 &&
	    (net_nodelay(fd), connect(fd, sa, len) == 0 || errno == EINPROGRESS))
		return fd;
	net_ntop(sa, name);
	bu_fail(e, BU_EXIT_SYSTEM, "connect", "%s: %s", name, strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

/*
 * The buffer holds what is unread and room for one read: it grows by a read
 * at a time (never doubling past what a line needs), and once a long line
 * is gone it gives the memory back.
 */
static int
netin_room(struct netin *in)
{
	size_t top = in->limit + NETIN_READ, want = in->n + NETIN_READ;
	int grow, shrink;
	char *nb;

	if (want > top)
		want = top;
	grow = in->cap - in->n < NETIN_READ / 4 && in->cap < want;
	shrink = in->cap > 2 * NETIN_READ && want <= NETIN_READ + NETIN_READ / 2;
	if (!grow && !shrink)
		return 0;
	if ((nb = realloc(in->buf, want)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	in->buf = nb;
	in->cap = want;
	return 0;
}

int
netin_read_max(struct netin *in, int fd, size_t max)
{
	size_t room;
	ssize_t got;

	if (in->start > 0) {
		memmove(in->buf, in->buf + in->start, in->n - in->start);
		in->n -= in->start;
		in->start = 0;
	}
	if (netin_room(in) != 0)
		return -1;
	room = in->cap - in->n;
	if (room > max)
		room = max;
	if (room == 0)
		return 1;	/* full without a newline: netin_line reports it */
	got = read(fd, in->buf + in->n, room);
	if (got < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 1 : -1;
	if (got == 0)
		return 0;
	in->n += (size_t)got;
	return 1;
}

int
netin_read(struct netin *in, int fd)
{
	return netin_read_max(in, fd, NETIN_READ);
}

int
netin_peek(const struct netin *in, size_t *off, const char **line, size_t *len)
{
	size_t at = in->start + *off;
	const char *nl;

	if (at >= in->n || (nl = memchr(in->buf + at, '\n', in->n - at)) == NULL)
		return 0;
	*line = in->buf + at;
	*len = (size_t)(nl - *line);
	*off += *len + 1;
	return 1;
}

int
netin_line(struct netin *in, char **line, size_t *len)
{
	const char *p;
	size_t off = 0;

	if (!netin_peek(in, &off, &p, len))	/* none complete (perhaps no buffer yet) */
		return in->n > in->start && in->n - in->start >= in->limit ? -1 : 0;
	*line = in->buf + in->start;
	(*line)[*len] = '\0';
	in->start += off;
	if (in->start == in->n)
		in->start = in->n = 0;
	return 1;
}

void
netin_free(struct netin *in)
{
	free(in->buf);
	memset(in, 0, sizeof *in);
}

/*
 * The queue's buffer, to append to. What was sent is dropped once it is
 * half the buffer (so a peer that stays a little behind does not grow it to
 * all it was ever sent), and a large buffer is given back once it is empty.
 */
struct buf *
netout_tail(struct netout *o)
{
	if (o->off > 0 && o->off == o->b.n) {
		o->off = o->b.n = 0;
		if (o->b.cap > NETOUT_KEEP)
			buf_free(&o->b);
	} else if (o->off > 0 && o->off >= o->b.n / 2) {
		memmove(o->b.p, o->b.p + o->off, o->b.n - o->off);
		o->b.n -= o->off;
		o->off = 0;
	}
	return &o->b;
}

void
netout_line(struct netout *o, const char *s, size_t n)
{
	buf_add(netout_tail(o), s, n);
	buf_add(&o->b, "\n", 1);
}

int
netout_flush(struct netout *o, int fd)
{
	while (o->off < o->b.n) {
		ssize_t w = send(fd, o->b.p + o->off, o->b.n - o->off, MSG_NOSIGNAL);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
		}
		o->off += (size_t)w;
	}
	o->off = o->b.n = 0;
	if (o->b.cap > NETOUT_KEEP)
		buf_free(&o->b);
	return 0;
}

size_t
netout_pending(const struct netout *o)
{
	return o->b.n - o->off;
}

void
netout_free(struct netout *o)
{
	buf_free(&o->b);
	memset(o, 0, sizeof *o);
}

int64_t
net_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
net_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}
