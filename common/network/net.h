/* net.h: addresses, sockets and line-buffered connections for the peer tools */
#ifndef NET_H
#define NET_H

#include <stddef.h>
#include <stdint.h>
#include <netdb.h>
#include <sys/socket.h>

#include "bu.h"
#include "record.h"

#define NET_ADDRLEN 64		/* "[v6 address]:port" and NUL */

/* Split "host:port" or "[v6]:port"; port may be missing when defport is set. */
int net_split(const char *s, const char *defport, char *host, size_t hn,
    char *port, size_t pn, struct bu_err *e);
/* Every address of host:port (numeric or a DNS name), as getaddrinfo gives them. */
int net_resolve(const char *hostport, const char *defport, int passive,
    struct addrinfo **res, struct bu_err *e);
/* "1.2.3.4:5" or "[::1]:5" (numeric). */
void net_ntop(const struct sockaddr *sa, char out[NET_ADDRLEN]);
uint16_t net_port(const struct sockaddr *sa);
int net_is_loopback(const struct sockaddr *sa);
/* The same address with another port, as a string. */
void net_with_port(const struct sockaddr *sa, uint16_t port, char out[NET_ADDRLEN]);

int net_nonblock(int fd);
/* No Nagle: each pass's output goes in one write, and must not wait for a delayed ACK. */
void net_nodelay(int fd);
/* A listening socket on host:port (port "0": the kernel's choice). */
int net_listen(const char *host, const char *port, uint16_t *bound, struct bu_err *e);
/* Start a non-blocking connect: the socket, or -1. */
int net_connect_start(const struct sockaddr *sa, socklen_t len, struct bu_err *e);

#define NETIN_READ (128u << 10)	/* bytes one read may take */

/* A line reader over a socket that never buffers more than limit + NETIN_READ bytes. */
struct netin {
	char *buf;
	size_t n, cap, limit, start;
};
/*
 * Read once from fd. 1: data (or nothing yet), 0: end of stream, -1: error
 * (errno). The buffer never grows past limit + NETIN_READ.
 */
int netin_read(struct netin *in, int fd);
/* The same, taking at most max bytes (0: reads nothing, returns 1). */
int netin_read_max(struct netin *in, int fd, size_t max);
/* 1 and the next complete line (no '\n'); 0: none yet; -1: a line over the limit. */
int netin_line(struct netin *in, char **line, size_t *len);
/*
 * The complete lines after those taken, without taking them: *off is 0 at
 * first; 1 and the next one while there is one (the pointer netin_line
 * will give for it), else 0. Valid until the next netin_read.
 */
int netin_peek(const struct netin *in, size_t *off, const char **line, size_t *len);
void netin_free(struct netin *in);

#define NETOUT_KEEP (256u << 10)	/* an empty queue keeps at most this much memory */

/* Queued output; sent as the socket takes it. */
struct netout {
	struct buf b;
	size_t off;
};
void netout_line(struct netout *o, const char *s, size_t n);	/* adds '\n' */
/* The queue's buffer, to append to in place (whole lines only). */
struct buf *netout_tail(struct netout *o);
/* Write what the socket takes: 0, or -1 on a socket error. */
int netout_flush(struct netout *o, int fd);
size_t netout_pending(const struct netout *o);
void netout_free(struct netout *o);

/* Milliseconds (microseconds) of a monotonic clock. */
int64_t net_ms(void);
int64_t net_us(void);

#endif
