/* node_relay.c: relaying blocks and transactions, and the block store's hooks */
#include "node_int.h"

static void
relay(struct node *n, const struct conn *from, const char *line, size_t len)
{
	size_t i;

	for (i = 0; i < n->nc; i++) {
		struct conn *c = n->c[i];

		if (c != from && c->st == C_READY && !c->client) {
			node_send_line(c, line, len);
			n->must_sync = 1;
		}
	}
}

static int
has_listener(const struct node *n, const struct conn *from)
{
	size_t i;

	for (i = 0; i < n->nc; i++)
		if (n->c[i] != from && n->c[i]->st == C_READY && !n->c[i]->client)
			return 1;
	return 0;
}

/* New best-chain blocks go out as their headers (or an inv of the tip when too many). */
void
node_announce_all(struct node *n, const struct conn *from)
{
	const int32_t *v;
	size_t k, nv = store_take_announce(n->st, &v);
	struct buf b = { 0 };
	char hex[65];

	if (nv == 0 || !has_listener(n, from))
		return;
	if (nv > STORE_HEADERS_MAX) {
		bu_hex_rev(hex, store_hash(n->st, v[nv - 1]));
		buf_fmt(&b, "inv block %s", hex);
	} else {
		buf_str(&b, "headers");
		for (k = 0; k < nv; k++)
			store_header_hex(n->st, v[k], &b);
	}
	if (!b.oom)
		relay(n, from, b.p, b.n);
	buf_free(&b);
}

void
node_relay_tx(struct node *n, const struct conn *from, const unsigned char id[32])
{
	char inv[80];

	memcpy(inv, "inv tx ", 7);
	bu_hex_rev(inv + 7, id);
	relay(n, from, inv, 7 + 64);
}

/* Transactions of blocks a reorganization took off: back to the pool, and announced. */
void
node_put_back(struct node *n)
{
	const char *p = n->back.p, *end = n->back.p + n->back.n, *nl;
	struct chain *ch = store_chain(n->st);
	struct bu_err e;
	struct tx t;
	unsigned char id[32];

	if (n->pool_stale)
		mempool_revalidate(&n->mp, ch);
	n->pool_stale = 0;
	while (p != NULL && p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		if (mempool_add(&n->mp, ch, p, (size_t)(nl - p), &e) == 0 &&
		    tx_parse(&t, p, (size_t)(nl - p), &e) == 0) {
			tx_id(id, &t);
			node_relay_tx(n, NULL, id);
		}
		p = nl + 1;
	}
	n->back.n = 0;
}

void
node_hook_log(void *arg, int level, const char *msg)
{
	node_log(arg, level, "%s", msg);
}

void
node_hook_connected(void *arg, const struct block *b)
{
	struct node *n = arg;

	mempool_drop_block(&n->mp, b);
	n->pool_stale = n->mp.n > 0;
}

void
node_hook_disconnected(void *arg, const struct block *b)
{
	struct node *n = arg;
	size_t k;

	for (k = 1; k < b->ntx; k++) {
		buf_add(&n->back, b->txs[k].tok.p, b->txs[k].tok.n);
		buf_add(&n->back, "\n", 1);
	}
	n->pool_stale = 1;
}

void
node_hook_invalid(void *arg, uint32_t source, const struct bu_err *e)
{
	struct node *n = arg;
	size_t i;

	for (i = 0; i < n->nc; i++)
		if (n->c[i]->id == source && !n->c[i]->client)
			node_misbehave(n, n->c[i], NODE_BAN_SCORE, e->reason);
}
