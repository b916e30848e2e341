/* node.h: the peer-to-peer node, as peer-listen runs it: options, open, run, close */
#ifndef NODE_H
#define NODE_H

#include <signal.h>
#include <stdint.h>

#include "bu.h"

#define NODE_MAXLIST 32		/* --listen, --connect, --addnode, --seed each */
#define NODE_MAXCONN 256	/* connections of every kind */
#define NODE_MAXIN 150		/* --max-in at most; inbound never takes outbound slots */
#define NODE_MAXOUT 32		/* --max-out at most, besides --connect and --addnode */
#define NODE_DEFAULT_PORT "8433"

struct node_opts {
	const char *dir;
	const char *listen[NODE_MAXLIST];
	size_t nlisten;
	const char *port;
	const char *portfile;
	const char *connect[NODE_MAXLIST], *addnode[NODE_MAXLIST], *seed[NODE_MAXLIST];
	size_t nconnect, naddnode, nseed;
	unsigned max_in, max_out;
	unsigned hello_timeout;	/* seconds */
	int64_t bantime;	/* seconds */
	int verbosity;		/* -1 quiet, 0 events, 1 messages */
	unsigned threads;	/* the loop's and its helpers' (block lines parsed ahead); 0 as 1 */
};

struct node;

/* Open the data directory, the listeners and the peer list; *np is set even on failure. */
int node_open(struct node **np, const struct node_opts *o, struct bu_err *e);
/* Run until *stop is set (by a signal) or a system error. */
int node_run(struct node *n, volatile sig_atomic_t *stop, struct bu_err *e);
void node_close(struct node *n);

#endif
