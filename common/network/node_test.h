/* node_test.h: what tests and fuzz targets drive a node with, besides node.h */
#ifndef NODE_TEST_H
#define NODE_TEST_H

#include "node.h"

/* One pass of the node's loop, waiting at most max_ms for the wire. */
int node_pass(struct node *n, int max_ms, struct bu_err *e);
/* fd (a socket, say one end of a socketpair) as an inbound connection. */
int node_attach(struct node *n, int fd);
/* Forget bans and scores, so that one input does not ban the next. */
void node_forget_bans(struct node *n);

#endif
