/* node_txs.c: the message handlers: blocks, transactions, inv, getdata, getblocks, addr, mempool, info */
#include "node_int.h"

static void
verdict_reject(struct conn *c, const char *cmd, const struct bu_err *e)
{
	node_sendf(c, "reject %s %s %.200s", cmd, e->reason[0] ? e->reason : "invalid", e->msg);
}

static void
block_verdict(struct node *n, struct conn *c, enum blk_outcome r, const struct blk_result *br,
    const struct bu_err *e)
{
	char hex[65] = "";

	if (c->client || n->o.verbosity >= 0)	/* the quiet node of a sync: no hex to make */
		bu_hex_rev(hex, br->hash);
	switch (r) {
	case BLK_ACCEPTED:
	case BLK_SIDE:
		if (n->o.verbosity >= 0)
			node_log(n, 0, "block %s height=%lu %s from %s", hex,
			    (unsigned long)store_height(n->st, br->idx),
			    r == BLK_SIDE ? "stored on a side branch" : "accepted", c->name);
		if (c->client) {
			node_sendf(c, "%s block %s", r == BLK_SIDE ? "side" : "accepted", hex);
			n->must_sync = 1;
		}
		break;
	case BLK_DUP:
		node_log(n, 1, "block %s from %s: known", hex, c->name);
		if (c->client) {
			node_sendf(c, "known block %s", hex);
			n->must_sync = 1;
		}
		break;
	case BLK_ORPHAN:
		node_log(n, 1, "block %s from %s: parent unknown", hex, c->name);
		if (c->client)
			verdict_reject(c, "block", e);
		else if (c->hdr_ms == 0)
			node_send_getheaders(n, c, NULL);
		break;
	case BLK_INVALID:
		node_log(n, 0, "block %s rejected from %s: %s: %s", hex, c->name, e->reason, e->msg);
		verdict_reject(c, "block", e);
		if (!c->client && br->punish)
			node_misbehave(n, c, NODE_BAN_SCORE, e->reason);
		break;
	case BLK_LOWWORK:
	case BLK_LATER:
		node_log(n, 1, "block %s from %s: %s", hex, c->name, e->reason);
		if (c->client)
			verdict_reject(c, "block", e);
		break;
	case BLK_ERROR:
		node_fail_with(n, e);
		break;
	}
}

static void
on_block(struct node *n, struct conn *c, const char *line, size_t len)
{
	struct blk_result br;
	struct bu_err e;
	enum blk_outcome r;

	bu_err_clear(&e);
	r = store_block_pre(n->st, line, len, c->client, c->id, node_prep_take(n, line), &br, &e);
	if (r == BLK_ACCEPTED)
		c->block_ms = n->ms;
	if (br.idx >= 0 && node_unask(n, c, br.idx))
		c->flight_ms = n->ms;
	block_verdict(n, c, r, &br, &e);
	if (!c->client && (r == BLK_ACCEPTED || r == BLK_SIDE || r == BLK_DUP))
		node_peer_has(n, c, br.idx);
	if (n->back.n > 0 || n->pool_stale)
		node_put_back(n);
}

static void
on_tx(struct node *n, struct conn *c, const char *line, size_t len)
{
	struct tx t;
	struct bu_err e;
	unsigned char id[32];
	char hex[65];

	if (c->txflight > 0)
		c->txflight--;
	if (len < 4 || line[2] != ' ') {
		node_misbehave(n, c, NODE_BAN_SCORE, "bad-message");
		return;
	}
	if (mempool_add(&n->mp, store_chain(n->st), line + 3, len - 3, &e) != 0) {
		node_log(n, 1, "tx rejected from %s: %s: %s", c->name, e.reason, e.msg);
		verdict_reject(c, "tx", &e);
		if (!c->client && (e.cls == BU_C_MALFORMED || e.cls == BU_C_FORGED))
			node_misbehave(n, c, NODE_BAN_SCORE, e.reason);
		return;
	}
	tx_parse(&t, line + 3, len - 3, &e);
	tx_id(id, &t);
	bu_hex_rev(hex, id);
	node_log(n, 0, "tx %s accepted from %s", hex, c->name);
	if (c->client)
		node_sendf(c, "accepted tx %s", hex);
	node_relay_tx(n, c, id);
}

static void
on_inv(struct node *n, struct conn *c, const char *s, const char *end)
{
	const char *w;
	size_t wl;
	unsigned char h[32];
	char line[96];
	int32_t i;

	if (node_word(&s, end, &w, &wl) != 0 || bu_unhex_rev(s, (size_t)(end - s), h) != 0) {
		node_misbehave(n, c, NODE_BAN_SCORE, "bad-inv");
		return;
	}
	if (wl == 5 && memcmp(w, "block", 5) == 0) {
		if ((i = store_find(n->st, h)) >= 0)
			node_peer_has(n, c, i);
		else if (c->hdr_ms == 0)
			node_send_getheaders(n, c, NULL);
		return;
	}
	if (!(wl == 2 && memcmp(w, "tx", 2) == 0)) {
		node_misbehave(n, c, NODE_BAN_SCORE, "bad-inv");
		return;
	}
	if (mempool_get(&n->mp, h) != NULL)
		return;
	if (c->txflight >= NODE_TX_INFLIGHT) {
		node_misbehave(n, c, 1, "inv-flood");
		return;
	}
	memcpy(line, "getdata tx ", 11);
	memcpy(line + 11, s, 64);
	node_send_line(c, line, 11 + 64);
	c->txflight++;
}

/* Queue block i's line, read straight into the output queue. */
static int
send_block(struct node *n, struct conn *c, int32_t i)
{
	struct buf *b;
	size_t at;

	if (c->st == C_CLOSED)
		return 0;
	b = netout_tail(&c->out);
	at = b->n;
	if (store_line(n->st, i, b) != 0) {
		b->n = at;
		return -1;
	}
	buf_add(b, "\n", 1);
	return 0;
}

static void
getdata_block(struct node *n, struct conn *c, const unsigned char h[32])
{
	int32_t i = store_find(n->st, h);
	char hex[65];

	if (i < 0 || store_failed(n->st, i) || !store_has_data(n->st, i) ||
	    send_block(n, c, i) != 0) {
		bu_hex_rev(hex, h);
		node_sendf(c, "reject getdata notfound block %s", hex);
	}
}

/*
 * The first of hv[0..k) and the best-chain blocks that follow it in the
 * request at the next heights, within room bytes, read in one go; how many
 * more than one.
 */
static int
getdata_run(struct node *n, struct conn *c, const unsigned char (*hv)[32], size_t k,
    size_t room)
{
	int32_t i = store_find(n->st, hv[0]), j;
	size_t run = 1, at, bytes;
	struct buf *b;

	if (i < 0 || !store_on_main(n->st, i) || c->st == C_CLOSED) {
		getdata_block(n, c, hv[0]);
		return 0;
	}
	bytes = store_line_len(n->st, i) + 1;
	while (run < k && (j = store_find(n->st, hv[run])) >= 0 && store_on_main(n->st, j) &&
	    store_height(n->st, j) == store_height(n->st, i) + run &&
	    bytes + store_line_len(n->st, j) + 1 <= room) {
		bytes += store_line_len(n->st, j) + 1;
		run++;
	}
	b = netout_tail(&c->out);
	at = b->n;
	if (store_main_lines(n->st, store_height(n->st, i), run, b) != 0) {
		b->n = at;
		getdata_block(n, c, hv[0]);
		return 0;
	}
	return (int)run - 1;
}

static void
getdata_tx(struct node *n, struct conn *c, const unsigned char h[32])
{
	const struct mtx *t = mempool_get(&n->mp, h);
	struct buf b = { 0 };
	char hex[65];

	if (t == NULL) {
		bu_hex_rev(hex, h);
		node_sendf(c, "reject getdata notfound tx %s", hex);
		return;
	}
	buf_str(&b, "tx ");
	buf_add(&b, t->tok, t->n);
	node_send_buf(c, &b);
	buf_free(&b);
}

/* A getdata is answered as the peer reads: its hashes wait in c->gq. */
static void
on_getdata(struct node *n, struct conn *c, const char *s, const char *end)
{
	const char *w;
	size_t wl;
	int k, block;

	if (c->gq == NULL && (c->gq = malloc(NODE_GETDATA_MAX * sizeof *c->gq)) == NULL)
		return;
	if (node_word(&s, end, &w, &wl) != 0 || ((block = wl == 5 && memcmp(w, "block", 5) == 0) == 0 &&
	    !(wl == 2 && memcmp(w, "tx", 2) == 0)) ||
	    (k = node_parse_hashes(s, end, c->gq, NODE_GETDATA_MAX)) <= 0) {
		node_misbehave(n, c, NODE_BAN_SCORE, "bad-getdata");
		return;
	}
	c->gqn = (size_t)k;
	c->gqpos = 0;
	c->ans = block ? ANS_BLOCKS : ANS_TXS;
}

/* The pool's next transaction after the last one announced, as it is now. */
static void
pool_next(struct node *n, struct conn *c)
{
	size_t i = mempool_after(&n->mp, c->gqseq);
	char line[80] = "inv tx ";

	if (i == n->mp.n) {
		c->ans = ANS_NONE;
		return;
	}
	bu_hex_rev(line + 7, n->mp.v[i].id);
	node_send_line(c, line, 7 + 64);
	c->gqseq = n->mp.v[i].seq;
}

/* The next inv of a getblocks answer: the best chain at that height, as it is now. */
static void
inv_next(struct node *n, struct conn *c)
{
	char line[80] = "inv block ";

	if (c->gqpos >= c->gqn || c->gqpos > store_chain(n->st)->height) {
		c->ans = ANS_NONE;
		return;
	}
	n->must_sync = 1;	/* what we offer is on disk */
	bu_hex_rev(line + 10, store_hash(n->st, store_main_at(n->st, (uint32_t)c->gqpos)));
	node_send_line(c, line, 10 + 64);
	c->gqpos++;
}

/* One step of c's answer: a line, or a run of blocks that fits the budget. */
static void
answer_step(struct node *n, struct conn *c)
{
	switch (c->ans) {
	case ANS_BLOCKS:
		n->must_sync = 1;
		c->gqpos += 1 + (size_t)getdata_run(n, c, c->gq + c->gqpos,
		    c->gqn - c->gqpos, NODE_OUT_BUDGET - netout_pending(&c->out));
		break;
	case ANS_TXS:
		getdata_tx(n, c, c->gq[c->gqpos++]);
		break;
	case ANS_POOL:
		pool_next(n, c);
		return;
	case ANS_INV:
		inv_next(n, c);
		return;
	case ANS_NONE:
		return;
	}
	if (c->gqpos == c->gqn) {
		c->gqn = c->gqpos = 0;
		c->ans = ANS_NONE;
	}
}

/* Go on with c's answer while its output stays under the budget. */
void
node_serve_answer(struct node *n, struct conn *c)
{
	size_t before = netout_pending(&c->out);

	while (c->ans != ANS_NONE && c->st != C_CLOSED && n->outbuf < NODE_OUT_TOTAL &&
	    netout_pending(&c->out) < NODE_OUT_BUDGET) {
		answer_step(n, c);
		n->outbuf += netout_pending(&c->out) - before;
		before = netout_pending(&c->out);
	}
}

/* A peer does not have a block it was asked for: ask another, and ask it what it has. */
static void
on_reject(struct node *n, struct conn *c, const char *line, size_t len)
{
	static const char nf[] = "reject getdata notfound block ";
	unsigned char h[32];
	int32_t i;

	node_log(n, 1, "%s: %.*s", c->name, (int)len, line);
	if (len != sizeof nf - 1 + 64 || memcmp(line, nf, sizeof nf - 1) != 0 ||
	    bu_unhex_rev(line + sizeof nf - 1, 64, h) != 0 || (i = store_find(n->st, h)) < 0)
		return;
	if (node_unask(n, c, i)) {
		c->best = -1;
		node_send_getheaders(n, c, NULL);
	}
}

/* getblocks: up to NODE_INV_BATCH inv lines after the locator's fork, produced as the peer reads. */
static void
on_getblocks(struct node *n, struct conn *c, const char *s, const char *end)
{
	int k = node_parse_hashes(s, end, n->loc, STORE_LOCATOR);
	uint32_t start;

	if (k <= 0) {
		node_misbehave(n, c, NODE_BAN_SCORE, "bad-getblocks");
		return;
	}
	start = store_locate(n->st, (const unsigned char (*)[32])n->loc, (size_t)k) + 1;
	c->gqpos = start;
	c->gqn = (size_t)start + NODE_INV_BATCH;
	c->ans = ANS_INV;
}

static void
on_getaddr(struct node *n, struct conn *c)
{
	struct buf b = { 0 };
	size_t i, k = 0;

	buf_str(&b, "addr");
	for (i = 0; i < n->peers.n && k < NODE_ADDR_MAX; i++) {
		const struct peer *p = &n->peers.v[i];

		if (p->self || strcmp(p->addr, c->listen) == 0 || (p->successes == 0 && p->seen == 0))
			continue;
		buf_fmt(&b, " %s", p->addr);
		k++;
	}
	if (k > 0)
		node_send_buf(c, &b);
	buf_free(&b);
}

static void
on_addr(struct node *n, struct conn *c, const char *s, const char *end)
{
	char a[NET_ADDRLEN], host[NET_ADDRLEN], port[8];
	const char *w;
	size_t wl, k = 0;

	while (s < end) {
		if (node_word(&s, end, &w, &wl) != 0 || ++k > NODE_ADDR_MAX || wl >= sizeof a) {
			node_misbehave(n, c, NODE_BAN_SCORE, "bad-addr");
			return;
		}
		memcpy(a, w, wl);
		a[wl] = '\0';
		if (net_split(a, NULL, host, sizeof host, port, sizeof port, NULL) != 0) {
			node_misbehave(n, c, NODE_BAN_SCORE, "bad-addr");
			return;
		}
		if (peers_find(&n->peers, a) == NULL && peers_add(&n->peers, a) != NULL) {
			node_log(n, 1, "learned %s from %s", a, c->name);
			n->peers_dirty = 1;
		}
	}
}

/* mempool: an inv line per transaction, produced as the peer reads, in arrival order. */
static void
on_mempool(struct conn *c)
{
	c->gqseq = 0;
	c->ans = ANS_POOL;
}

/* The node's state in one line: cheap, whatever the chain's length. */
static void
on_getinfo(struct node *n, struct conn *c)
{
	const struct chain *ch = store_chain(n->st);
	char tip[65], work[65];

	bu_hex_rev(tip, ch->tip);
	u256_hex(work, &ch->work);
	node_sendf(c, "info chain=%s height=%lu tip=%s work=%s in=%d out=%d mempool=%lu agent=blockutils",
	    ch->idhex, (unsigned long)ch->height, tip, work, node_count_conns(n, 0), node_count_conns(n, 1),
	    (unsigned long)n->mp.n);
	n->must_sync = 1;
}

int
node_is(const char *w, size_t wl, const char *name)
{
	return wl == strlen(name) && memcmp(w, name, wl) == 0;
}

static int
hex16(const char *s, const char *end)
{
	unsigned char b[8];

	return bu_unhex(s, (size_t)(end - s), b, 8);
}

void
node_on_line(struct node *n, struct conn *c, const char *line, size_t len)
{
	const char *s = line, *end = line + len, *w;
	size_t wl;

	c->heard_ms = n->ms;
	if (node_word(&s, end, &w, &wl) != 0 || strlen(line) != len) {
		node_misbehave(n, c, NODE_BAN_SCORE, "bad-message");
		return;
	}
	node_log(n, 1, "%s: %.*s", c->name, (int)(wl < 40 ? wl : 40), w);
	if (node_is(w, wl, "hello"))
		node_on_hello(n, c, s, end);
	else if (c->st != C_READY)
		node_misbehave(n, c, NODE_BAN_SCORE, "no-hello");
	else if (node_is(w, wl, "block"))
		on_block(n, c, line, len);
	else if (node_is(w, wl, "headers"))
		node_on_headers(n, c, s, end);
	else if (node_is(w, wl, "tx"))
		on_tx(n, c, line, len);
	else if (node_is(w, wl, "inv"))
		on_inv(n, c, s, end);
	else if (node_is(w, wl, "getdata"))
		on_getdata(n, c, s, end);
	else if (node_is(w, wl, "getheaders"))
		node_on_getheaders(n, c, s, end);
	else if (node_is(w, wl, "getblocks"))
		on_getblocks(n, c, s, end);
	else if (node_is(w, wl, "getaddr") && s == end)
		on_getaddr(n, c);
	else if (node_is(w, wl, "addr"))
		on_addr(n, c, s, end);
	else if (node_is(w, wl, "mempool") && s == end)
		on_mempool(c);
	else if (node_is(w, wl, "getinfo") && s == end)
		on_getinfo(n, c);
	else if (node_is(w, wl, "ping") && hex16(s, end) == 0)
		node_sendf(c, "pong %.16s", s);
	else if (node_is(w, wl, "pong") && hex16(s, end) == 0)
		c->ping_ms = 0;
	else if (node_is(w, wl, "reject"))
		on_reject(n, c, line, len);
	else if (!node_is(w, wl, "accepted"))
		node_misbehave(n, c, 10, "unknown-message");
}
