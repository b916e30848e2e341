/* node_dial.c: the node dials out: which address next, how often, and what a failure costs */
#include "node_int.h"

void
node_peer_done(struct node *n, const struct conn *c, int ok)
{
	struct peer *p;

	if (!c->outbound || (p = peers_find(&n->peers, c->listen)) == NULL)
		return;
	p->busy = 0;
	if (ok) {
		p->fails = 0;
		p->next_ms = n->ms + (p->pinned ? NODE_REDIAL_MS : NODE_REVISIT_MS);
		return;
	}
	p->fails++;
	p->next_ms = n->ms + (p->pinned ? NODE_REDIAL_MS :
	    1000 * (int64_t)(p->fails < NODE_BACKOFF_MAX ? p->fails : NODE_BACKOFF_MAX));
	n->peers_dirty = 1;
}

static void
dial(struct node *n, struct peer *p)
{
	struct addrinfo *res;
	struct bu_err e;
	struct conn *c;
	int fd;

	p->attempts++;
	n->peers_dirty = 1;
	p->next_ms = n->ms + NODE_REDIAL_MS;
	if (net_resolve(p->addr, NULL, 0, &res, &e) != 0) {
		p->fails++;
		return;
	}
	fd = net_connect_start(res->ai_addr, res->ai_addrlen, &e);
	if (fd >= 0 && (c = node_conn_new(n, fd, 1, res->ai_addr, res->ai_addrlen)) != NULL) {
		snprintf(c->listen, sizeof c->listen, "%s", p->addr);
		p->busy = 1;
		node_log(n, 1, "connecting to %s", p->addr);
	} else {
		p->fails++;
	}
	freeaddrinfo(res);
}

static int
dialable(struct node *n, const struct peer *p)
{
	return !p->busy && !p->self && p->next_ms <= n->ms &&
	    !bans_has(&n->bans, p->addr, n->now);
}

void
node_dial_more(struct node *n)
{
	size_t i;
	int out = node_count_conns(n, 1);

	for (i = 0; i < n->peers.n; i++) {
		struct peer *p = &n->peers.v[i];

		if (p->pinned && dialable(n, p))
			dial(n, p);
	}
	if (n->o.nconnect > 0)
		return;
	for (i = 0; i < n->peers.n && out < (int)n->o.max_out; i++) {
		struct peer *p = &n->peers.v[i];

		if (!p->pinned && dialable(n, p)) {
			dial(n, p);
			out++;
		}
	}
}
