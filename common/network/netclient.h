/* netclient.h: a short conversation with a node, as peer-send holds it */
#ifndef NETCLIENT_H
#define NETCLIENT_H

#include <stdio.h>

#include "bu.h"
#include "net.h"

struct client {
	int fd;
	int timeout_ms;
	char chain[65];		/* the node's chain id, from its hello */
	struct netin in;
	uint64_t pings;
	int json;		/* verdicts and info as JSON objects, one a line */
};

/* Connect (within timeout_ms), read the node's hello, answer as a client (port=0). */
int client_open(struct client *cl, const char *hostport, int timeout_ms, struct bu_err *e);
/* The same on a connected socket fd (which cl then owns); name is for messages. */
int client_attach(struct client *cl, int fd, int timeout_ms, const char *name,
    struct bu_err *e);
void client_close(struct client *cl);
int client_send(struct client *cl, const char *line, size_t len, struct bu_err *e);
/* The next line from the node; pings are answered on the way. */
int client_recv(struct client *cl, char **line, size_t *len, struct bu_err *e);

/*
 * Each block or tx line of in, sent; the verdicts on out. 0 all accepted,
 * 1 some not, -1 on error: a line of in over 32 MiB or unfinished
 * (bad-blk-length, truncated) is refused before it is buffered whole.
 */
int client_submit(struct client *cl, FILE *in, FILE *out, struct bu_err *e);
/*
 * The node's best chain as a chain file; with since (a block hash in
 * display order), only the blocks after it. -1 on error, with code 1
 * (not-found) when since is not on the node's best chain.
 */
int client_chain(struct client *cl, const char *since, FILE *out, struct bu_err *e);
/* The node's status line: chain, height, tip, work, peers, mempool, agent. */
int client_info(struct client *cl, FILE *out, struct bu_err *e);
/* Its mempool as tx lines. */
int client_mempool(struct client *cl, FILE *out, struct bu_err *e);
/* Its known peers, one host:port a line. */
int client_peers(struct client *cl, FILE *out, struct bu_err *e);
/* A ping and the round trip in milliseconds. */
int client_ping(struct client *cl, FILE *out, struct bu_err *e);

#endif
