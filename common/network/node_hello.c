/* node_hello.c: the node's handshake */
#include "node_int.h"

static void
peer_learned(struct node *n, struct conn *c)
{
	struct peer *p;

	if (c->outbound) {
		if ((p = peers_find(&n->peers, c->listen)) != NULL) {
			p->successes++;
			p->seen = n->now;
		}
	} else if (c->listen[0] && (p = peers_add(&n->peers, c->listen)) != NULL) {
		p->seen = n->now;
	}
	n->peers_dirty = 1;
}

/* An inv of our tip: a peer that lacks it asks for the headers. */
static void
announce_tip(struct conn *c, const struct chain *ch)
{
	char hex[65];

	bu_hex_rev(hex, ch->tip);
	node_sendf(c, "inv block %s", hex);
}

static int
other_with_nonce(const struct node *n, const struct conn *c, uint64_t nonce)
{
	size_t i;

	for (i = 0; i < n->nc; i++)
		if (n->c[i] != c && n->c[i]->st == C_READY && n->c[i]->nonce == nonce)
			return 1;
	return 0;
}

void
node_on_hello(struct node *n, struct conn *c, const char *s, const char *end)
{
	const struct chain *ch = store_chain(n->st);
	struct hello h;
	char key[NET_ADDRLEN];
	struct peer *p;

	if (c->st == C_READY) {
		node_misbehave(n, c, 10, "second-hello");
		return;
	}
	if (node_parse_hello(s, end, &h) != 0) {
		node_misbehave(n, c, NODE_BAN_SCORE, "bad-hello");
		return;
	}
	if (memcmp(h.chain, ch->id, 32) != 0) {
		node_sendf(c, "reject hello bad-chain this node follows chain %s", ch->idhex);
		node_conn_close(n, c, "another chain");
		return;
	}
	if (h.nonce == n->nonce) {
		if (c->outbound && (p = peers_find(&n->peers, c->listen)) != NULL)
			p->self = 1;
		node_conn_close(n, c, "a connection to itself");
		return;
	}
	if (other_with_nonce(n, c, h.nonce)) {
		c->nonce = h.nonce;	/* a success: that node is reachable */
		node_conn_close(n, c, "already connected to that node");
		return;
	}
	c->client = h.port == 0;
	if (!c->outbound && h.port != 0)
		net_with_port((struct sockaddr *)&c->sa, (uint16_t)h.port, c->listen);
	node_ban_key(c, key);
	if (bans_has(&n->bans, key, n->now)) {
		node_log(n, 0, "refused %s: banned", key);
		node_conn_close(n, c, "banned");
		return;
	}
	c->nonce = h.nonce;
	c->work = h.work;
	c->st = C_READY;
	c->in.limit = store_chain(n->st)->p.maxblock > NODE_MIN_LINE ?
	    store_chain(n->st)->p.maxblock : NODE_MIN_LINE;
	if (!c->client) {
		node_log(n, 0, "%s %s height=%lu", c->outbound ? "connected" : "accepted",
		    c->outbound ? c->listen : c->name, (unsigned long)h.height);
		peer_learned(n, c);
	}
	if (c->outbound) {
		node_sendf(c, "getaddr");
		c->sent_getaddr = 1;
	}
	if (!c->client && u256_cmp(&c->work, &ch->work) > 0)
		node_send_getheaders(n, c, NULL);
	else if (!c->client && u256_cmp(&ch->work, &c->said_work) > 0 &&
	    u256_cmp(&ch->work, &c->work) > 0)
		announce_tip(c, ch);	/* our hello is stale: blocks came during the handshake */
}
