/* node.c: the node's poll loop: connections, handshake, messages, relay, peers */
#include "node.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef BU_SEEDS
#define BU_SEEDS ""
#endif

static int fatal_err;
static struct bu_err fatal_e;

void
node_log(const struct node *n, int level, const char *fmt, ...)
{
	va_list ap;

	if (n->o.verbosity < level)
		return;
	fprintf(stderr, "%s: ", bu_progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void
send_line(struct conn *c, const char *s, size_t len)
{
	if (c->st != C_CLOSED)
		netout_line(&c->out, s, len);
}

static void sendf(struct conn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
sendf(struct conn *c, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (k > 0 && (size_t)k < sizeof line)
		send_line(c, line, (size_t)k);
}

static void
send_buf(struct conn *c, const struct buf *b)
{
	if (!b->oom && b->n > 0)
		send_line(c, b->p, b->n);
}

/* The key a ban is kept under: the address, with the port on loopback. */
static void
ban_key(const struct conn *c, char out[NET_ADDRLEN])
{
	if (net_is_loopback((const struct sockaddr *)&c->sa))
		snprintf(out, NET_ADDRLEN, "%s", c->listen[0] ? c->listen : c->name);
	else
		net_with_port((const struct sockaddr *)&c->sa, 0, out);
}

static void
conn_close(struct node *n, struct conn *c, const char *why)
{
	if (c->st == C_CLOSED)
		return;
	if ((c->st == C_READY && !c->client) || n->o.verbosity > 0)
		node_log(n, 0, "disconnected %s: %s", c->name, why);
	c->st = C_CLOSED;
}

static void
misbehave(struct node *n, struct conn *c, int points, const char *reason)
{
	char key[NET_ADDRLEN];
	struct bu_err e;

	if (points <= 0 || c->st == C_CLOSED)
		return;
	c->score += points;
	if (c->score < NODE_BAN_SCORE)
		return;
	ban_key(c, key);
	node_log(n, 0, "ban %s for %lld s: %s", key, (long long)n->o.bantime, reason);
	bans_add(&n->bans, key, n->now + n->o.bantime, reason);
	if (bans_save(&n->bans, n->banspath, &e) != 0)
		bu_report(&e);
	conn_close(n, c, reason);
}

static void
send_hello(struct node *n, struct conn *c)
{
	char work[65];

	u256_hex(work, &n->chain.work);
	sendf(c, "hello chain=%s height=%lu work=%s port=%u nonce=%016llx agent=blockutils",
	    n->chain.idhex, (unsigned long)n->chain.height, work, (unsigned)n->port,
	    (unsigned long long)n->nonce);
}

static struct conn *
conn_new(struct node *n, int fd, int outbound, const struct sockaddr *sa, socklen_t len)
{
	struct conn *c;

	if (n->nc == NODE_MAXCONN || (c = calloc(1, sizeof *c)) == NULL) {
		close(fd);
		return NULL;
	}
	c->fd = fd;
	c->outbound = outbound;
	c->st = outbound ? C_CONNECTING : C_HELLO;
	memcpy(&c->sa, sa, len);
	c->salen = len;
	net_ntop(sa, c->name);
	c->in.limit = n->chain.p.maxblock > NODE_MIN_LINE ? n->chain.p.maxblock : NODE_MIN_LINE;
	c->opened_ms = c->heard_ms = n->ms;
	n->c[n->nc++] = c;
	return c;
}

static int
count_conns(const struct node *n, int outbound)
{
	size_t i;
	int k = 0;

	for (i = 0; i < n->nc; i++)
		if (n->c[i]->st != C_CLOSED && n->c[i]->outbound == outbound && !n->c[i]->client)
			k++;
	return k;
}

static void
do_accept(struct node *n, int lfd)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	char key[NET_ADDRLEN];
	struct conn *c;
	int fd;

	if ((fd = accept(lfd, (struct sockaddr *)&ss, &sl)) < 0)
		return;
	if (net_nonblock(fd) != 0 || count_conns(n, 0) >= (int)n->o.max_in) {
		node_log(n, 1, "inbound connection refused: limit");
		close(fd);
		return;
	}
	net_nodelay(fd);
	if (!net_is_loopback((struct sockaddr *)&ss)) {
		net_with_port((struct sockaddr *)&ss, 0, key);
		if (bans_has(&n->bans, key, n->now)) {
			close(fd);
			return;
		}
	}
	if ((c = conn_new(n, fd, 0, (struct sockaddr *)&ss, sl)) == NULL)
		return;
	node_log(n, 1, "inbound connection from %s", c->name);
	send_hello(n, c);
}

/* ---- peers and dialing ---- */

static void
peer_done(struct node *n, const struct conn *c, int ok)
{
	struct peer *p;

	if (!c->outbound || (p = peers_find(&n->peers, c->listen)) == NULL)
		return;
	p->busy = 0;
	if (ok) {
		p->fails = 0;
		p->next_ms = n->ms + (p->pinned ? 1000 : 60000);
		return;
	}
	p->fails++;
	p->next_ms = n->ms + (p->pinned ? 1000 : 1000 * (int64_t)(p->fails < 30 ? p->fails : 30));
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
	p->next_ms = n->ms + 1000;
	if (net_resolve(p->addr, NULL, 0, &res, &e) != 0) {
		p->fails++;
		return;
	}
	fd = net_connect_start(res->ai_addr, res->ai_addrlen, &e);
	if (fd >= 0 && (c = conn_new(n, fd, 1, res->ai_addr, res->ai_addrlen)) != NULL) {
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

static void
dial_more(struct node *n)
{
	size_t i;
	int out = count_conns(n, 1);

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

/* ---- messages ---- */

static int
word(const char **s, const char *end, const char **w, size_t *wl)
{
	const char *p = *s, *sp;

	if (p >= end)
		return -1;
	sp = memchr(p, ' ', (size_t)(end - p));
	*w = p;
	*wl = sp ? (size_t)(sp - p) : (size_t)(end - p);
	*s = sp ? sp + 1 : end;
	return *wl == 0 ? -1 : 0;
}

static int
kv(const char **s, const char *end, const char *key, const char **v, size_t *vl)
{
	const char *w;
	size_t wl, kl = strlen(key);

	if (word(s, end, &w, &wl) != 0 || wl <= kl || memcmp(w, key, kl) != 0 || w[kl] != '=')
		return -1;
	*v = w + kl + 1;
	*vl = wl - kl - 1;
	return 0;
}

struct hello {
	unsigned char chain[32];
	uint64_t height, port, nonce;
	u256 work;
};

static int
parse_hello(const char *s, const char *end, struct hello *h)
{
	const char *v;
	size_t vl, bad;
	unsigned char nb[8];
	int i;

	if (kv(&s, end, "chain", &v, &vl) != 0 || bu_unhex_rev(v, vl, h->chain) != 0 ||
	    kv(&s, end, "height", &v, &vl) != 0 || bu_parse_u64(v, vl, UINT32_MAX, &h->height) != 0 ||
	    kv(&s, end, "work", &v, &vl) != 0 || vl > 64 || vl == 0 ||
	    u256_parse_hex(&h->work, v, vl) != 0 ||
	    kv(&s, end, "port", &v, &vl) != 0 || bu_parse_u64(v, vl, 65535, &h->port) != 0 ||
	    kv(&s, end, "nonce", &v, &vl) != 0 || bu_unhex(v, vl, nb, 8) != 0 ||
	    kv(&s, end, "agent", &v, &vl) != 0 || text_check(v, vl, &bad) != 0 || s != end)
		return -1;
	for (h->nonce = 0, i = 0; i < 8; i++)
		h->nonce = h->nonce << 8 | nb[i];
	return 0;
}

/* Ask c for the blocks after our tip, or after first (a block we asked for). */
static void
send_getblocks_from(struct node *n, struct conn *c, const unsigned char *first)
{
	struct buf b = { 0 };

	nc_locator(n, first, &b);
	send_buf(c, &b);
	buf_free(&b);
	n->syncer = c;
	n->sync_ms = n->ms;
	c->invs = 0;
	c->piped = first != NULL;
}

static void
send_getblocks(struct node *n, struct conn *c)
{
	send_getblocks_from(n, c, NULL);
}

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

static int
other_with_nonce(const struct node *n, const struct conn *c, uint64_t nonce)
{
	size_t i;

	for (i = 0; i < n->nc; i++)
		if (n->c[i] != c && n->c[i]->st == C_READY && n->c[i]->nonce == nonce)
			return 1;
	return 0;
}

static void
on_hello(struct node *n, struct conn *c, const char *s, const char *end)
{
	struct hello h;
	char key[NET_ADDRLEN];
	struct peer *p;

	if (c->st == C_READY) {
		misbehave(n, c, 10, "second-hello");
		return;
	}
	if (parse_hello(s, end, &h) != 0) {
		misbehave(n, c, NODE_BAN_SCORE, "bad-hello");
		return;
	}
	if (memcmp(h.chain, n->chain.id, 32) != 0) {
		sendf(c, "reject hello bad-chain this node follows chain %s", n->chain.idhex);
		conn_close(n, c, "another chain");
		return;
	}
	if (h.nonce == n->nonce) {
		if (c->outbound && (p = peers_find(&n->peers, c->listen)) != NULL)
			p->self = 1;
		conn_close(n, c, "a connection to itself");
		return;
	}
	if (other_with_nonce(n, c, h.nonce)) {
		c->nonce = h.nonce;	/* a success: that node is reachable */
		conn_close(n, c, "already connected to that node");
		return;
	}
	c->client = h.port == 0;
	if (!c->outbound && h.port != 0)
		net_with_port((struct sockaddr *)&c->sa, (uint16_t)h.port, c->listen);
	ban_key(c, key);
	if (bans_has(&n->bans, key, n->now)) {
		node_log(n, 0, "refused %s: banned", key);
		conn_close(n, c, "banned");
		return;
	}
	c->nonce = h.nonce;
	c->work = h.work;
	c->st = C_READY;
	if (!c->client) {
		node_log(n, 0, "%s %s height=%lu", c->outbound ? "connected" : "accepted",
		    c->outbound ? c->listen : c->name, (unsigned long)h.height);
		peer_learned(n, c);
	}
	if (c->outbound) {
		sendf(c, "getaddr");
		c->sent_getaddr = 1;
	}
	if (!c->client && u256_cmp(&c->work, &n->chain.work) > 0)
		send_getblocks(n, c);
}

static void
relay(struct node *n, const struct conn *from, const char *line, size_t len)
{
	size_t i;

	for (i = 0; i < n->nc; i++) {
		struct conn *c = n->c[i];

		if (c != from && c->st == C_READY && !c->client) {
			send_line(c, line, len);
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

static void
announce_all(struct node *n, const struct conn *from)
{
	char line[80] = "inv block ";
	size_t i;

	for (i = 0; i < n->nann && has_listener(n, from); i++) {
		bu_hex_rev(line + 10, n->ix[n->announce[i]].hash);
		relay(n, from, line, 10 + 64);
	}
	n->nann = 0;
}

/*
 * Send the getdata held back for c. During a sync they go after the
 * getblocks for the next batch, so that the peer answers with that
 * batch's invs before these blocks and is always one batch ahead.
 */
static void
send_getdata(struct conn *c)
{
	if (c->gd.n == 0)
		return;
	if (c->st != C_CLOSED && !c->gd.oom)
		buf_add(netout_tail(&c->out), c->gd.p, c->gd.n);
	c->gd.n = 0;
}

static void
on_inv(struct node *n, struct conn *c, const char *s, const char *end)
{
	const char *w;
	size_t wl;
	unsigned char h[32];
	int block;

	if (word(&s, end, &w, &wl) != 0 || (block = wl == 5 && memcmp(w, "block", 5) == 0,
	    !block && !(wl == 2 && memcmp(w, "tx", 2) == 0)) ||
	    bu_unhex_rev(s, (size_t)(end - s), h) != 0) {
		misbehave(n, c, NODE_BAN_SCORE, "bad-inv");
		return;
	}
	if (block) {
		c->invs++;
		c->piped = 0;
	}
	if (block ? nc_find(n, h) >= 0 || nc_has_orphan(n, h) : mempool_get(&n->mp, h) != NULL)
		return;
	if (c->inflight >= NODE_INFLIGHT) {
		misbehave(n, c, 1, "inv-flood");
		return;
	}
	if (block) {
		/* held until the read pass ends or the batch is full */
		buf_add(&c->gd, "getdata block ", 14);
		buf_add(&c->gd, s, 64);
		buf_add(&c->gd, "\n", 1);
	} else {
		char line[96];

		memcpy(line, "getdata tx ", 11);
		memcpy(line + 11, s, 64);
		send_line(c, line, 11 + 64);
	}
	c->inflight++;
	c->asked++;
	if (block && c->invs == NODE_INV_BATCH && n->syncer == c &&
	    c->inflight <= NODE_INFLIGHT - 2 * NODE_INV_BATCH)
		send_getblocks_from(n, c, h);	/* a full batch: the next one first */
	if (block && c->invs == NODE_INV_BATCH)
		send_getdata(c);
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
	if (nc_line(n, i, b) != 0) {
		b->n = at;
		return -1;
	}
	buf_add(b, "\n", 1);
	return 0;
}

static void
on_getdata(struct node *n, struct conn *c, const char *s, const char *end)
{
	const char *w;
	size_t wl;
	unsigned char h[32];
	const struct mtx *t;
	struct buf b = { 0 };
	int32_t i;

	if (word(&s, end, &w, &wl) != 0 || bu_unhex_rev(s, (size_t)(end - s), h) != 0) {
		misbehave(n, c, NODE_BAN_SCORE, "bad-getdata");
		return;
	}
	if (wl == 5 && memcmp(w, "block", 5) == 0) {
		n->must_sync = 1;
		if ((i = nc_find(n, h)) < 0 || n->ix[i].invalid || send_block(n, c, i) != 0)
			sendf(c, "reject getdata notfound block %.64s", s);
	} else if (wl == 2 && memcmp(w, "tx", 2) == 0) {
		if ((t = mempool_get(&n->mp, h)) != NULL) {
			buf_str(&b, "tx ");
			buf_add(&b, t->tok, t->n);
			send_buf(c, &b);
		} else {
			sendf(c, "reject getdata notfound tx %.64s", s);
		}
	} else {
		misbehave(n, c, NODE_BAN_SCORE, "bad-getdata");
	}
	buf_free(&b);
}

static void
verdict_reject(struct conn *c, const char *cmd, const struct bu_err *e)
{
	sendf(c, "reject %s %s %.200s", cmd, e->reason[0] ? e->reason : "invalid", e->msg);
}

static void
more_blocks(struct node *n, struct conn *c)
{
	if (c->inflight > 0)
		c->inflight--;
	if (c->inflight > 0)
		return;
	if (c->asked > 0 && !c->piped && u256_cmp(&c->work, &n->chain.work) > 0)
		send_getblocks(n, c);
	c->asked = 0;
}

static void
on_block(struct node *n, struct conn *c, const char *line, size_t len)
{
	unsigned char h[32];
	char hex[65];
	struct bu_err e;
	enum blk_outcome r;

	bu_err_clear(&e);
	r = nc_block(n, line, len, h, &e);
	if (r == BLK_DUP && !c->client)
		goto done;
	if (r == BLK_ACCEPTED && !c->client && n->o.verbosity < 0)
		goto done;	/* nothing to say: no hex */
	bu_hex_rev(hex, h);
	switch (r) {
	case BLK_ACCEPTED:
	case BLK_SIDE:
		if (n->o.verbosity >= 0)
			node_log(n, 0, "block %s height=%lu %s from %s", hex,
			    (unsigned long)n->ix[nc_find(n, h)].height,
			    r == BLK_SIDE ? "stored on a side branch" : "accepted", c->name);
		if (c->client) {
			sendf(c, "accepted block %s", hex);
			n->must_sync = 1;
		}
		break;
	case BLK_DUP:
		if (c->client)
			verdict_reject(c, "block", &e);
		break;
	case BLK_ORPHAN:
		node_log(n, 1, "block %s from %s: parent unknown", hex, c->name);
		if (c->client)
			verdict_reject(c, "block", &e);
		else if (n->syncer == NULL || n->syncer == c || n->ms - n->sync_ms > 5000)
			send_getblocks(n, c);
		break;
	case BLK_INVALID:
		node_log(n, 0, "block %s rejected from %s: %s: %s", hex, c->name, e.reason, e.msg);
		verdict_reject(c, "block", &e);
		if (!c->client)
			misbehave(n, c, NODE_BAN_SCORE, e.reason);
		break;
	case BLK_ERROR:
		fatal_err = 1;
		fatal_e = e;
		return;
	}
done:
	if (!c->client)
		more_blocks(n, c);
}

static void
on_tx(struct node *n, struct conn *c, const char *line, size_t len)
{
	const char *tok = line + 3;
	size_t tl = len - 3;
	struct tx t;
	struct bu_err e;
	unsigned char id[32];
	char hex[65], inv[80];

	if (c->inflight > 0)
		c->inflight--;
	if (mempool_add(&n->mp, &n->chain, tok, tl, &e) != 0) {
		node_log(n, 1, "tx rejected from %s: %s: %s", c->name, e.reason, e.msg);
		verdict_reject(c, "tx", &e);
		if (!c->client && (strcmp(e.reason, "bad-syntax") == 0 ||
		    strcmp(e.reason, "bad-txns-sig") == 0))
			misbehave(n, c, NODE_BAN_SCORE, e.reason);
		return;
	}
	tx_parse(&t, tok, tl, &e);
	tx_id(id, &t);
	bu_hex_rev(hex, id);
	node_log(n, 0, "tx %s accepted from %s", hex, c->name);
	if (c->client)
		sendf(c, "accepted tx %s", hex);
	snprintf(inv, sizeof inv, "inv tx %s", hex);
	relay(n, c, inv, strlen(inv));
}

static void
on_getblocks(struct node *n, struct conn *c, const char *s, const char *end)
{
	const char *w;
	size_t wl, k = 0;
	unsigned char h[32];
	uint32_t start = 1, ht;
	char line[80] = "inv block ";
	int found = 0;
	int32_t i;

	while (s < end) {
		if (word(&s, end, &w, &wl) != 0 || ++k > NODE_LOCATOR ||
		    bu_unhex_rev(w, wl, h) != 0) {
			misbehave(n, c, NODE_BAN_SCORE, "bad-getblocks");
			return;
		}
		if (!found && (i = nc_find(n, h)) >= 0 && n->ix[i].main) {
			start = n->ix[i].height + 1;
			found = 1;
		}
	}
	if (k == 0) {
		misbehave(n, c, NODE_BAN_SCORE, "bad-getblocks");
		return;
	}
	n->must_sync = 1;	/* what we offer is on disk */
	for (ht = start; ht <= n->chain.height && ht < start + NODE_INV_BATCH; ht++) {
		bu_hex_rev(line + 10, n->ix[n->mainv[ht]].hash);
		send_line(c, line, 10 + 64);
	}
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
		send_buf(c, &b);
	buf_free(&b);
}

static void
on_addr(struct node *n, struct conn *c, const char *s, const char *end)
{
	char a[NET_ADDRLEN], host[NET_ADDRLEN], port[8];
	const char *w;
	size_t wl, k = 0;

	while (s < end) {
		if (word(&s, end, &w, &wl) != 0 || ++k > NODE_ADDR_MAX || wl >= sizeof a) {
			misbehave(n, c, NODE_BAN_SCORE, "bad-addr");
			return;
		}
		memcpy(a, w, wl);
		a[wl] = '\0';
		if (net_split(a, NULL, host, sizeof host, port, sizeof port, NULL) != 0) {
			misbehave(n, c, NODE_BAN_SCORE, "bad-addr");
			return;
		}
		if (peers_find(&n->peers, a) == NULL && peers_add(&n->peers, a) != NULL) {
			node_log(n, 1, "learned %s from %s", a, c->name);
			n->peers_dirty = 1;
		}
	}
}

static void
on_mempool(struct node *n, struct conn *c)
{
	char hex[65];
	size_t i;

	for (i = 0; i < n->mp.n; i++) {
		bu_hex_rev(hex, n->mp.v[i].id);
		sendf(c, "inv tx %s", hex);
	}
}

static int
is(const char *w, size_t wl, const char *name)
{
	return wl == strlen(name) && memcmp(w, name, wl) == 0;
}

static int
hex16(const char *s, const char *end)
{
	unsigned char b[8];

	return bu_unhex(s, (size_t)(end - s), b, 8);
}

static void
on_line(struct node *n, struct conn *c, const char *line, size_t len)
{
	const char *s = line, *end = line + len, *w;
	size_t wl;

	c->heard_ms = n->ms;
	if (word(&s, end, &w, &wl) != 0 || strlen(line) != len) {
		misbehave(n, c, NODE_BAN_SCORE, "bad-message");
		return;
	}
	node_log(n, 1, "%s: %.*s", c->name, (int)(wl < 40 ? wl : 40), w);
	if (is(w, wl, "hello"))
		on_hello(n, c, s, end);
	else if (c->st != C_READY)
		misbehave(n, c, NODE_BAN_SCORE, "no-hello");
	else if (is(w, wl, "block"))
		on_block(n, c, line, len);
	else if (is(w, wl, "tx"))
		on_tx(n, c, line, len);
	else if (is(w, wl, "inv"))
		on_inv(n, c, s, end);
	else if (is(w, wl, "getdata"))
		on_getdata(n, c, s, end);
	else if (is(w, wl, "getblocks"))
		on_getblocks(n, c, s, end);
	else if (is(w, wl, "getaddr") && s == end)
		on_getaddr(n, c);
	else if (is(w, wl, "addr"))
		on_addr(n, c, s, end);
	else if (is(w, wl, "mempool") && s == end)
		on_mempool(n, c);
	else if (is(w, wl, "ping") && hex16(s, end) == 0)
		sendf(c, "pong %.16s", s);
	else if (is(w, wl, "pong") && hex16(s, end) == 0)
		c->ping_ms = 0;
	else if (is(w, wl, "reject"))
		node_log(n, 1, "%s: %.*s", c->name, (int)len, line);
	else if (!is(w, wl, "accepted"))
		misbehave(n, c, 10, "unknown-message");
}

/* ---- the loop ---- */

static void
on_readable(struct node *n, struct conn *c)
{
	char *line;
	size_t len;
	int got = netin_read(&c->in, c->fd), k;

	if (got < 0) {
		conn_close(n, c, strerror(errno));
		return;
	}
	while (c->st != C_CLOSED && !fatal_err && (k = netin_line(&c->in, &line, &len)) != 0) {
		if (k < 0) {
			misbehave(n, c, NODE_BAN_SCORE, "line-too-long");
			return;
		}
		on_line(n, c, line, len);
	}
	send_getdata(c);
	if (got == 0)
		conn_close(n, c, "closed by the peer");
}

static void
on_connected(struct node *n, struct conn *c)
{
	int err = 0;
	socklen_t sl = sizeof err;

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &sl) != 0 || err != 0) {
		node_log(n, 1, "connect %s: %s", c->listen, strerror(err));
		peer_done(n, c, 0);
		c->st = C_CLOSED;
		return;
	}
	c->st = C_HELLO;
	c->opened_ms = n->ms;
	send_hello(n, c);
}

static void
timers(struct node *n)
{
	size_t i;

	for (i = 0; i < n->nc; i++) {
		struct conn *c = n->c[i];
		int64_t quiet = n->ms - c->heard_ms;

		if (c->st == C_CONNECTING && n->ms - c->opened_ms > 5000) {
			peer_done(n, c, 0);
			c->st = C_CLOSED;
		} else if (c->st == C_HELLO && n->ms - c->opened_ms > 1000 * (int64_t)n->o.hello_timeout) {
			node_log(n, 0, "dropped %s: no hello in time", c->name);
			conn_close(n, c, "no hello in time");
		} else if (c->st == C_READY && quiet > NODE_IDLE_MS) {
			conn_close(n, c, "silent too long");
		} else if (c->st == C_READY && quiet > NODE_PING_MS && c->ping_ms == 0) {
			c->ping_nonce = c->ping_nonce * 6364136223846793005ULL + n->nonce + 1;
			sendf(c, "ping %016llx", (unsigned long long)c->ping_nonce);
			c->ping_ms = n->ms;
		}
	}
	if (n->syncer != NULL && n->ms - n->sync_ms > 20000)
		n->syncer = NULL;
}

static void
free_closed(struct node *n)
{
	size_t i, j = 0;

	for (i = 0; i < n->nc; i++) {
		struct conn *c = n->c[i];

		if (c->st != C_CLOSED) {
			n->c[j++] = c;
			continue;
		}
		if (c->outbound)
			peer_done(n, c, c->nonce != 0);
		if (n->syncer == c)
			n->syncer = NULL;
		close(c->fd);
		netin_free(&c->in);
		netout_free(&c->out);
		buf_free(&c->gd);
		free(c);
	}
	n->nc = j;
}

static void
flush_all(struct node *n)
{
	size_t i;

	for (i = 0; i < n->nc; i++) {
		struct conn *c = n->c[i];

		if (c->st == C_CONNECTING || netout_pending(&c->out) == 0)
			continue;
		if (netout_flush(&c->out, c->fd) != 0)
			conn_close(n, c, "write failed");
		else if (netout_pending(&c->out) > NODE_OUTQ_MAX)
			conn_close(n, c, "too slow");
	}
}

static size_t
build_pfds(struct node *n, struct pollfd *pf)
{
	size_t i, k = 0;

	for (i = 0; i < n->nlfd; i++) {
		pf[k].fd = n->lfd[i];
		pf[k++].events = POLLIN;
	}
	for (i = 0; i < n->nc; i++) {
		struct conn *c = n->c[i];

		pf[k].fd = c->fd;
		pf[k].events = 0;
		if (c->st == C_CONNECTING)
			pf[k].events = POLLOUT;
		else if (netout_pending(&c->out) < NODE_OUTQ_PAUSE)
			pf[k].events = POLLIN;
		if (netout_pending(&c->out) > 0)
			pf[k].events |= POLLOUT;
		k++;
	}
	return k;
}

static void
housekeeping(struct node *n, int64_t *next_ms)
{
	struct bu_err e;

	if (n->ms < *next_ms)
		return;
	*next_ms = n->ms + 200;
	timers(n);
	dial_more(n);
	n->must_sync = 1;	/* queued lines reach the disk within one period */
	if (nc_lock(n, &e) != 0 || nc_ingest(n, &e) != 0 || nc_unlock(n, &e) != 0) {
		fatal_err = 1;
		fatal_e = e;
		return;
	}
	if (n->nann > 0)
		node_log(n, 0, "chain file grew: height=%lu", (unsigned long)n->chain.height);
	announce_all(n, NULL);
	if (n->peers_dirty && n->ms >= n->peers_save_ms) {
		n->peers_save_ms = n->ms + NODE_PEERS_SAVE_MS;
		if (peers_save(&n->peers, n->peerspath, &e) == 0)
			n->peers_dirty = 0;
	}
}

static void
serve(struct node *n, struct pollfd *pf, size_t k)
{
	size_t i, nconn = n->nc;
	struct bu_err e;

	for (i = 0; i < n->nlfd; i++)
		if (pf[i].revents & POLLIN)
			do_accept(n, n->lfd[i]);
	if (nc_lock(n, &e) != 0)
		goto fail;
	for (i = 0; i < nconn && n->nlfd + i < k && !fatal_err; i++) {
		struct conn *c = n->c[i];
		short re = pf[n->nlfd + i].revents;

		if (re == 0 || c->st == C_CLOSED)
			continue;
		if (c->st == C_CONNECTING) {
			on_connected(n, c);
			continue;
		}
		if (re & (POLLIN | POLLHUP | POLLERR))
			on_readable(n, c);
		announce_all(n, c);
	}
	if (nc_unlock(n, &e) != 0)
		goto fail;
	return;
fail:
	fatal_err = 1;
	fatal_e = e;
}

/* The wire went quiet: put what was accepted on disk. */
static void
sync_now(struct node *n)
{
	struct bu_err e;

	n->must_sync = 1;
	if (nc_lock(n, &e) != 0 || nc_unlock(n, &e) != 0) {
		fatal_err = 1;
		fatal_e = e;
	}
}

int
node_run(struct node *n, volatile sig_atomic_t *stop, struct bu_err *e)
{
	static struct pollfd pf[NODE_MAXLIST + NODE_MAXCONN];
	int64_t next_ms = 0;
	size_t k;
	int got;

	n->stop = stop;
	while (!*stop && !fatal_err) {
		n->ms = net_ms();
		n->now = bu_now();
		housekeeping(n, &next_ms);
		k = build_pfds(n, pf);
		if ((got = poll(pf, k, n->dirty ? NODE_SYNC_IDLE_MS : 100)) < 0) {
			if (errno == EINTR)
				continue;
			return bu_fail(e, BU_EXIT_SYSTEM, "io", "poll: %s", strerror(errno));
		}
		n->ms = net_ms();
		if (got == 0 && n->dirty)
			sync_now(n);
		serve(n, pf, k);
		if (!fatal_err)
			flush_all(n);
		free_closed(n);
	}
	if (fatal_err) {
		*e = fatal_e;
		return -1;
	}
	return 0;
}

/* ---- setup ---- */

static int
add_names(struct node *n, const char *const *names, size_t count, int pinned,
    struct bu_err *e)
{
	size_t i;

	for (i = 0; i < count; i++) {
		struct peer *p;

		if (pinned) {
			if ((p = peers_add(&n->peers, names[i])) == NULL)
				return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "too many peers");
			p->pinned = 1;
			continue;
		}
		{
			struct addrinfo *res, *ai;
			char a[NET_ADDRLEN];

			if (net_resolve(names[i], NODE_DEFAULT_PORT, 0, &res, e) != 0) {
				bu_report(e);
				continue;
			}
			for (ai = res; ai != NULL; ai = ai->ai_next) {
				net_ntop(ai->ai_addr, a);
				if (peers_add(&n->peers, a) != NULL)
					node_log(n, 1, "seed %s: %s", names[i], a);
			}
			freeaddrinfo(res);
		}
	}
	return 0;
}

static int
built_in_seeds(struct node *n, struct bu_err *e)
{
	char list[] = BU_SEEDS, *save = NULL, *tok;
	const char *one[1];

	for (tok = strtok_r(list, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		one[0] = tok;
		if (add_names(n, one, 1, 0, e) != 0)
			return -1;
	}
	return 0;
}

static int
write_port(struct node *n, struct bu_err *e)
{
	char b[16];

	if (n->o.portfile == NULL)
		return 0;
	snprintf(b, sizeof b, "%u\n", (unsigned)n->port);
	return file_replace(n->o.portfile, b, strlen(b), e);
}

static int
open_listeners(struct node *n, struct bu_err *e)
{
	static const char *def[] = { "127.0.0.1" };
	const char *const *hosts = n->o.nlisten ? n->o.listen : def;
	size_t i, count = n->o.nlisten ? n->o.nlisten : 1;
	char port[8];
	int fd;

	snprintf(port, sizeof port, "%s", n->o.port);
	for (i = 0; i < count; i++) {
		uint16_t bound;

		if ((fd = net_listen(hosts[i], port, &bound, e)) < 0)
			return -1;
		n->lfd[n->nlfd++] = fd;
		if (n->port == 0) {
			n->port = bound;
			snprintf(port, sizeof port, "%u", (unsigned)bound);
		}
		node_log(n, 0, "listening on %s port %u", hosts[i], (unsigned)bound);
	}
	return 0;
}

static uint64_t
random_nonce(void)
{
	uint64_t v = 0;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	if (fd < 0 || read(fd, &v, sizeof v) != (ssize_t)sizeof v)
		v = (uint64_t)getpid() * 0x9e3779b97f4a7c15ULL ^ (uint64_t)net_ms();
	if (fd >= 0)
		close(fd);
	return v ? v : 1;
}

int
node_open(struct node *n, const struct node_opts *o, struct bu_err *e)
{
	memset(n, 0, sizeof *n);
	n->o = *o;
	n->chainfd = -1;
	n->ms = net_ms();
	n->peers_save_ms = n->ms + NODE_PEERS_SAVE_MS;	/* not on the way to the first connection */
	n->now = bu_now();
	n->nonce = random_nonce();
	snprintf(n->chainpath, sizeof n->chainpath, "%s/chain.blk", o->dir);
	snprintf(n->peerspath, sizeof n->peerspath, "%s/peers", o->dir);
	snprintf(n->banspath, sizeof n->banspath, "%s/bans", o->dir);
	snprintf(n->sidepath, sizeof n->sidepath, "%s/side.blk", o->dir);
	n->sidefd = -1;
	if (nc_open(n, e) != 0 || nc_side_open(n, e) != 0)
		return -1;
	if (peers_load(&n->peers, n->peerspath, stderr, e) != 0 ||
	    bans_load(&n->bans, n->banspath, stderr, e) != 0)
		return -1;
	if (add_names(n, o->connect, o->nconnect, 1, e) != 0 ||
	    add_names(n, o->addnode, o->naddnode, 1, e) != 0)
		return -1;
	if (o->nconnect == 0 && (add_names(n, o->seed, o->nseed, 0, e) != 0 ||
	    built_in_seeds(n, e) != 0))
		return -1;
	if (open_listeners(n, e) != 0 || write_port(n, e) != 0)
		return -1;
	node_log(n, 0, "chain %s height=%lu", n->chain.idhex, (unsigned long)n->chain.height);
	return 0;
}

void
node_close(struct node *n)
{
	struct bu_err e;
	size_t i;

	for (i = 0; i < n->nc; i++)
		n->c[i]->st = C_CLOSED;
	free_closed(n);
	if (n->chainfd >= 0 && n->dirty && !fatal_err) {
		sync_now(n);
		if (fatal_err)
			bu_report(&fatal_e);
	}
	for (i = 0; i < n->nlfd; i++)
		close(n->lfd[i]);
	if (n->peers.n > 0 && peers_save(&n->peers, n->peerspath, &e) != 0)
		bu_report(&e);
	if (n->chainfd >= 0 && !n->chain.empty && n->nix > 0)
		nc_save_state(n);
	mempool_free(&n->mp);
	peers_free(&n->peers);
	bans_free(&n->bans);
	nc_close(n);
}
