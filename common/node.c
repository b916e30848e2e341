/* node.c: the node's poll loop: connections, handshake, messages, relay, sync, peers */
#include "node.h"
#include "node_test.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mempool.h"
#include "net.h"
#include "peers.h"
#include "replace.h"
#include "store.h"

#ifndef BU_SEEDS
#define BU_SEEDS ""
#endif

#define NODE_ADDR_MAX 1000	/* addresses per addr message */
#define NODE_MIN_LINE (STORE_HEADERS_MAX * 161 + 64)	/* a full headers message */
#define NODE_TX_INFLIGHT 2000	/* unanswered getdata tx per peer */
#define NODE_GETDATA_MAX 500	/* hashes per getdata */
#define NODE_INV_BATCH 500	/* blocks per getblocks answer */
#define NODE_PEER_BLOCKS 1000	/* blocks in flight from one peer */
#define NODE_WINDOW 2048	/* heights ahead of the first missing block */
#define NODE_WINDOW_BYTES (64u << 20)	/* downloaded blocks waiting for their parents */
#define NODE_BAN_SCORE 100
#define NODE_CONNECT_MS 5000	/* an outbound connect may take this long */
#define NODE_PING_MS 30000	/* ping a peer silent this long */
#define NODE_IDLE_MS 90000	/* and drop it when it stays silent this long */
#define NODE_BLOCK_MS 4000	/* a peer with blocks in flight must deliver one this often */
#define NODE_HEADERS_MS 10000	/* an unanswered getheaders is asked again after this */
#define NODE_PEERS_SAVE_MS 1000	/* write the peers file at most this often */
#define NODE_HOUSE_MS 200	/* timers, dialing, other writers of the chain file */
#define NODE_PARTIAL_HELLOS 3	/* a line begun may take this many hello timeouts (30 s) */
#define NODE_REDIAL_MS 1000	/* a pinned peer (--connect, --addnode) is dialled again after this */
#define NODE_REVISIT_MS 60000	/* an address that worked is tried again after this */
#define NODE_BACKOFF_MAX 30	/* seconds: a failing address waits 1 s more per failure, to this */
#define NODE_SYNC_IDLE_MS 2	/* fsync queued blocks once the wire is quiet this long */
#define NODE_POLL_MS 100
#define NODE_OUT_BUDGET (256u << 10)	/* a peer's requests wait while this much is unsent */
#define NODE_PASS_LINES 64	/* lines taken from one peer in one pass of the loop */
#define NODE_SLICE_US 50	/* and at most this long (one line at least) */
#define NODE_ALONE_US 5000	/* the slice of a peer that no other one waits beside */
#define NODE_HELLO_LINE 4096	/* the line limit before hello */
#define NODE_IN_TOTAL (24u << 20)	/* input buffered over every connection */
#define NODE_OUT_TOTAL (24u << 20)	/* requests wait while this much is unsent to all peers */
#define NODE_WRITE_MS 20000	/* a peer with output waiting must take some within this */
#define NODE_NOHELLO_SCORE 25	/* an address, for each connection that said no hello */
#define NODE_SCORES 1024	/* addresses scored before they said hello */
#define NODE_ACCEPT_BATCH 64	/* connections accepted from one listener in one pass */
#define NODE_PROTECT_BLOCKS 4	/* inbound peers that relayed blocks last, kept from eviction */
#define NODE_UNCONNECTED 10	/* headers messages that do not connect, before a score */

enum conn_state { C_CONNECTING, C_HELLO, C_READY, C_CLOSED };

struct conn {
	int fd;
	enum conn_state st;
	int outbound, client, sent_getaddr;
	uint32_t id;			/* the source tag of the blocks it sends */
	char name[NET_ADDRLEN];		/* remote address as connected */
	char listen[NET_ADDRLEN];	/* where the peer listens, once known */
	struct sockaddr_storage sa;
	socklen_t salen;
	struct netin in;
	struct netout out;
	int64_t opened_ms, heard_ms, ping_ms;
	uint64_t ping_nonce, nonce;
	u256 work;			/* as its hello tells */
	u256 said_work;			/* what our hello told it */
	int score;
	size_t txflight;		/* getdata tx sent and unanswered */
	struct hsync *hs;		/* header sync with it */
	int32_t best;			/* the most-work header it is known to have, or -1 */
	int64_t hdr_ms;			/* when a getheaders went out unanswered, 0: none */
	int unconnected;		/* headers in a row that did not connect */
	size_t nflight;			/* blocks asked of it and not delivered */
	int64_t flight_ms;		/* its last block delivered, or the first asked */
	unsigned char (*gq)[32];	/* getdata being answered as the peer reads */
	size_t gqn, gqpos;
	int gqblock;
	int more;			/* lines may wait in its input */
	int eof;			/* the peer closed its side */
	int64_t partial_ms;		/* when its unfinished line began, 0: none */
	int64_t wrote_ms;		/* the last time it took output */
	int64_t block_ms;		/* the last time it gave us a new best-chain block */
};

/* An address scored before it said hello (its connections timed out, or were evicted). */
struct nscore {
	char ip[NET_ADDRLEN];
	int score;
};

struct node {
	struct node_opts o;
	char peerspath[BU_PATHBUF], banspath[BU_PATHBUF];
	struct store *st;
	struct mempool mp;
	struct buf back;		/* transactions of blocks a reorg took off, to put back */
	int pool_stale;
	struct peers peers;
	struct bans bans;
	int peers_dirty;
	int64_t peers_save_ms;	/* the peers file is written at most once a second */
	struct conn *c[NODE_MAXCONN];
	size_t nc;
	uint32_t next_id;
	uint32_t *asked;	/* per store entry: the id of the peer asked for it, 0: none */
	size_t capasked;
	size_t fetch_from;	/* the connection the next download round starts at */
	int lfd[NODE_MAXLIST];
	size_t nlfd;
	struct pollfd pf[NODE_MAXLIST + NODE_MAXCONN];
	uint16_t port;
	uint64_t nonce;
	int64_t now, ms;	/* tool clock (seconds), monotonic ms */
	int must_sync;		/* something goes out that needs the chain file synced */
	int fatal;
	struct bu_err fatal_e;
	int64_t next_house_ms;	/* the next timers, dialing and chain file check */
	struct nscore scores[NODE_SCORES];
	size_t nscores, scorepos;
	size_t inbuf, outbuf;	/* input buffered and output unsent over every connection */
	size_t nbusy;		/* connections with input waiting, this pass */
	unsigned char loc[STORE_LOCATOR][32];	/* a locator being read */
	struct buf hcache;	/* the last headers answer, from hcache_from while the tip is hcache_tip */
	uint32_t hcache_from;
	int32_t hcache_tip;
};

static void node_log(const struct node *n, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
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
fail_with(struct node *n, const struct bu_err *e)
{
	if (!n->fatal) {
		n->fatal = 1;
		n->fatal_e = *e;
	}
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

/* Ban key (an address, or an address and port) for --bantime, in memory and in the bans file. */
static void
ban(struct node *n, const char *key, const char *reason)
{
	struct bu_err e;

	node_log(n, 0, "ban %s for %lld s: %s", key, (long long)n->o.bantime, reason);
	if (bans_add(&n->bans, key, n->now + n->o.bantime, reason) != 0)
		node_log(n, 0, "warning: the ban of %s is not kept: out of memory", key);
	else if (bans_save(&n->bans, n->banspath, &e) != 0)
		bu_report(&e);
}

static void
misbehave(struct node *n, struct conn *c, int points, const char *reason)
{
	char key[NET_ADDRLEN];

	if (points <= 0 || c->st == C_CLOSED)
		return;
	c->score += points;
	if (c->score < NODE_BAN_SCORE)
		return;
	ban_key(c, key);
	ban(n, key, reason);
	conn_close(n, c, reason);
}

static void
send_hello(struct node *n, struct conn *c)
{
	const struct chain *ch = store_chain(n->st);
	char work[65];

	u256_hex(work, &ch->work);
	c->said_work = ch->work;
	sendf(c, "hello chain=%s height=%lu work=%s port=%u nonce=%016llx agent=blockutils",
	    ch->idhex, (unsigned long)ch->height, work, (unsigned)n->port,
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
	c->id = ++n->next_id;
	c->best = -1;
	memcpy(&c->sa, sa, len);
	c->salen = len;
	net_ntop(sa, c->name);
	c->in.limit = NODE_HELLO_LINE;	/* a hello is short: the full limit comes with it */
	c->opened_ms = c->heard_ms = c->wrote_ms = n->ms;
	n->c[n->nc++] = c;
	return c;
}

/* Open connections in one direction, clients and those not past hello included. */
static int
count_conns(const struct node *n, int outbound)
{
	size_t i;
	int k = 0;

	for (i = 0; i < n->nc; i++)
		if (n->c[i]->st != C_CLOSED && n->c[i]->outbound == outbound)
			k++;
	return k;
}

/* The address group eviction counts by: /16 of IPv4, /32 of IPv6, the address on loopback. */
static void
net_group(const struct conn *c, char out[NET_ADDRLEN])
{
	const struct sockaddr *sa = (const struct sockaddr *)&c->sa;
	const unsigned char *b;

	if (net_is_loopback(sa)) {
		net_with_port(sa, 0, out);
	} else if (sa->sa_family == AF_INET) {
		b = (const unsigned char *)&((const struct sockaddr_in *)(const void *)sa)->sin_addr;
		snprintf(out, NET_ADDRLEN, "%u.%u", b[0], b[1]);
	} else {
		b = ((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr.s6_addr;
		snprintf(out, NET_ADDRLEN, "%02x%02x:%02x%02x", b[0], b[1], b[2], b[3]);
	}
}

/* A score for an address whose connection said no hello; banned at 100. */
static void
score_nohello(struct node *n, const struct conn *c)
{
	char ip[NET_ADDRLEN];
	struct nscore *x = NULL;
	size_t i;

	net_with_port((const struct sockaddr *)&c->sa, 0, ip);
	for (i = 0; i < n->nscores && x == NULL; i++)
		if (strcmp(n->scores[i].ip, ip) == 0)
			x = &n->scores[i];
	if (x == NULL) {	/* a new address takes a free slot, or the oldest one */
		x = &n->scores[n->nscores < NODE_SCORES ? n->nscores++ :
		    n->scorepos++ % NODE_SCORES];
		snprintf(x->ip, sizeof x->ip, "%s", ip);
		x->score = 0;
	}
	if ((x->score += NODE_NOHELLO_SCORE) < NODE_BAN_SCORE)
		return;
	ban(n, ip, "no-hello");
	x->score = 0;
}

/*
 * Inbound slots are full: make room, as Bitcoin Core's AttemptToEvictConnection.
 * A connection that has not said hello goes first (the oldest). Otherwise
 * the inbound peers that relayed a new block last and the longest-connected
 * half of the rest are kept; of the others, the youngest of the address
 * group with the most connections goes. 0, or -1 when none can go.
 */
static int
evict_one(struct node *n)
{
	struct conn *cand[NODE_MAXCONN], *v = NULL;
	char g[NET_ADDRLEN], h[NET_ADDRLEN];
	size_t i, j, k = 0, best = 0;

	for (i = 0; i < n->nc; i++) {
		struct conn *c = n->c[i];

		if (c->st == C_HELLO && !c->outbound && (v == NULL || c->opened_ms < v->opened_ms))
			v = c;
		if (c->st == C_READY && !c->outbound)
			cand[k++] = c;
	}
	if (v != NULL) {
		node_log(n, 1, "evicted %s: no hello yet", v->name);
		score_nohello(n, v);
		conn_close(n, v, "evicted: no hello yet");
		return 0;
	}
	for (j = 0; j < NODE_PROTECT_BLOCKS && k > 0; j++) {	/* recent block relayers */
		size_t m = 0;

		for (i = 1; i < k; i++)
			if (cand[i]->block_ms > cand[m]->block_ms)
				m = i;
		if (cand[m]->block_ms == 0)
			break;
		cand[m] = cand[--k];
	}
	for (j = k / 2; j > 0; j--) {	/* the longest connected half */
		size_t m = 0;

		for (i = 1; i < k; i++)
			if (cand[i]->opened_ms < cand[m]->opened_ms)
				m = i;
		cand[m] = cand[--k];
	}
	for (i = 0; i < k; i++) {	/* the largest group, its youngest */
		size_t same = 0;
		struct conn *young = cand[i];

		net_group(cand[i], g);
		for (j = 0; j < k; j++) {
			net_group(cand[j], h);
			if (strcmp(g, h) == 0) {
				same++;
				if (cand[j]->opened_ms > young->opened_ms)
					young = cand[j];
			}
		}
		if (same > best) {
			best = same;
			v = young;
		}
	}
	if (v == NULL)
		return -1;
	node_log(n, 0, "evicted %s: inbound slots are full", v->name);
	conn_close(n, v, "evicted: inbound slots are full");
	return 0;
}

/* One connection from the backlog: 0, or -1 when there is none. */
static int
do_accept(struct node *n, int lfd)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	char key[NET_ADDRLEN];
	struct conn *c;
	int fd;

	if ((fd = accept(lfd, (struct sockaddr *)&ss, &sl)) < 0)
		return -1;
	net_with_port((struct sockaddr *)&ss, 0, key);
	if (net_nonblock(fd) != 0 || bans_has(&n->bans, key, n->now)) {
		close(fd);
		return 0;
	}
	if (count_conns(n, 0) >= (int)n->o.max_in && evict_one(n) != 0) {
		node_log(n, 1, "inbound connection refused: limit");
		close(fd);
		return 0;
	}
	net_nodelay(fd);
	if ((c = conn_new(n, fd, 0, (struct sockaddr *)&ss, sl)) == NULL)
		return 0;
	node_log(n, 1, "inbound connection from %s", c->name);
	send_hello(n, c);
	return 0;
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

/* ---- header sync and block download ---- */

/*
 * "getheaders [first] <locator>": the locator starts below our best header,
 * as Bitcoin Core's does, so that a peer whose tip it is answers with it
 * (an empty answer could not say which locator entry the peer has).
 */
static void
send_getheaders(struct node *n, struct conn *c, const unsigned char *first)
{
	int32_t from = store_best_header(n->st);
	struct buf b = { 0 };

	buf_str(&b, "getheaders");
	if (first != NULL) {
		buf_add(&b, " ", 1);
		buf_hash(&b, first);
	}
	if (store_height(n->st, from) > 0)
		from = store_parent(n->st, from);
	store_locator(n->st, from, &b);
	send_buf(c, &b);
	buf_free(&b);
	c->hdr_ms = n->ms;
}

/* c is known to have header i: remember the most-work one. */
static void
peer_has(struct node *n, struct conn *c, int32_t i)
{
	if (i < 0 || store_failed(n->st, i))
		return;
	if (c->best < 0 || store_failed(n->st, c->best) ||
	    u256_cmp(store_work(n->st, i), store_work(n->st, c->best)) > 0)
		c->best = i;
}

static int
grow_asked(struct node *n)
{
	size_t need = store_count(n->st), ncap = n->capasked ? n->capasked : 4096;
	uint32_t *nv;

	if (need <= n->capasked)
		return 0;
	while (ncap < need)
		ncap *= 2;
	if ((nv = realloc(n->asked, ncap * sizeof *nv)) == NULL)
		return -1;
	memset(nv + n->capasked, 0, (ncap - n->capasked) * sizeof *nv);
	n->asked = nv;
	n->capasked = ncap;
	return 0;
}

static int
is_asked(void *arg, int32_t i)
{
	const struct node *n = arg;

	return (size_t)i < n->capasked && n->asked[i] != 0;
}

/* Forget that c was asked for i (it came, or c said notfound); whether it was. */
static int
unask(struct node *n, struct conn *c, int32_t i)
{
	if ((size_t)i >= n->capasked || n->asked[i] != c->id)
		return 0;
	n->asked[i] = 0;
	c->nflight--;
	return 1;
}

/* c is gone: what it was asked for may be asked of another. */
static void
unask_all(struct node *n, const struct conn *c)
{
	size_t i;

	for (i = 0; c->nflight > 0 && i < n->capasked; i++)
		if (n->asked[i] == c->id)
			n->asked[i] = 0;
}

/* Ask c for the next blocks on the way to its best header. */
static void
fetch_from(struct node *n, struct conn *c)
{
	int32_t want[NODE_GETDATA_MAX];
	size_t k, got, room = NODE_PEER_BLOCKS - c->nflight;
	struct buf b = { 0 };

	if (room > NODE_GETDATA_MAX)
		room = NODE_GETDATA_MAX;
	if (grow_asked(n) != 0)
		return;
	got = store_missing(n->st, c->best, NODE_WINDOW, want, room, is_asked, n);
	if (got == 0)
		return;
	if (c->nflight == 0)
		c->flight_ms = n->ms;
	buf_str(&b, "getdata block");
	for (k = 0; k < got; k++) {
		n->asked[want[k]] = c->id;
		buf_add(&b, " ", 1);
		buf_hash(&b, store_hash(n->st, want[k]));
	}
	c->nflight += got;
	send_buf(c, &b);
	buf_free(&b);
}

/* One round over the peers, each asked for what it can serve, starting at another each round. */
static void
fetch_blocks(struct node *n)
{
	size_t i;

	for (i = 0; i < n->nc; i++) {
		struct conn *c = n->c[(n->fetch_from + i) % n->nc];

		if (store_side_bytes(n->st) > NODE_WINDOW_BYTES)
			break;
		if (c->st == C_READY && !c->client && c->best >= 0 &&
		    c->nflight + NODE_GETDATA_MAX / 2 <= NODE_PEER_BLOCKS)
			fetch_from(n, c);
	}
	if (n->nc > 0)
		n->fetch_from = (n->fetch_from + 1) % n->nc;
}

static int
parse_hashes(const char *s, const char *end, unsigned char (*out)[32], size_t max)
{
	const char *w;
	size_t wl, k = 0;

	while (s < end) {
		if (k == max || word(&s, end, &w, &wl) != 0 || bu_unhex_rev(w, wl, out[k]) != 0)
			return -1;
		k++;
	}
	return (int)k;
}

static void
on_headers(struct node *n, struct conn *c, const char *s, const char *end)
{
	struct header *hv;
	struct hdr_result r;
	struct bu_err e;
	const char *w;
	size_t wl, k = 0;

	if ((hv = malloc(STORE_HEADERS_MAX * sizeof *hv)) == NULL)
		return;
	while (s < end) {
		unsigned char raw[80];

		if (k == STORE_HEADERS_MAX || word(&s, end, &w, &wl) != 0 ||
		    bu_unhex(w, wl, raw, 80) != 0) {
			free(hv);
			misbehave(n, c, NODE_BAN_SCORE, "bad-headers");
			return;
		}
		header_from_bytes(&hv[k++], raw);
	}
	c->hdr_ms = 0;
	if (c->hs == NULL && (c->hs = hsync_new()) == NULL) {
		free(hv);
		return;
	}
	bu_err_clear(&e);
	if (store_headers(n->st, c->hs, hv, k, &r, &e) != 0) {
		free(hv);
		fail_with(n, &e);
		return;
	}
	free(hv);
	peer_has(n, c, r.best);
	if (r.invalid) {
		node_log(n, 0, "headers rejected from %s: %s: %s", c->name, e.reason, e.msg);
		misbehave(n, c, NODE_BAN_SCORE, e.reason);
		return;
	}
	if (r.unconnected) {
		if (++c->unconnected % NODE_UNCONNECTED == 0)
			misbehave(n, c, 20, "unconnected-headers");
		send_getheaders(n, c, NULL);
		return;
	}
	c->unconnected = 0;
	if (r.ask)
		send_getheaders(n, c, r.ask_hash);
}

/*
 * The answer to a locator. The last one is kept while the tip stays: a
 * peer asking the same again over and over gets a copy, not a rebuild.
 */
static void
on_getheaders(struct node *n, struct conn *c, const char *s, const char *end)
{
	int k = parse_hashes(s, end, n->loc, STORE_LOCATOR);
	uint32_t from;

	if (k <= 0) {
		misbehave(n, c, NODE_BAN_SCORE, "bad-getheaders");
		return;
	}
	from = store_locate(n->st, (const unsigned char (*)[32])n->loc, (size_t)k) + 1;
	if (n->hcache.n == 0 || n->hcache_from != from || n->hcache_tip != store_tip(n->st)) {
		n->hcache.n = 0;
		buf_str(&n->hcache, "headers");
		store_headers_from(n->st, from, STORE_HEADERS_MAX, &n->hcache);
		n->hcache_from = from;
		n->hcache_tip = store_tip(n->st);
	}
	n->must_sync = 1;	/* what we offer is on disk */
	send_buf(c, &n->hcache);
}

/* ---- relay ---- */

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

/* New best-chain blocks go out as their headers (or an inv of the tip when too many). */
static void
announce_all(struct node *n, const struct conn *from)
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

static void
relay_tx(struct node *n, const struct conn *from, const unsigned char id[32])
{
	char inv[80];

	memcpy(inv, "inv tx ", 7);
	bu_hex_rev(inv + 7, id);
	relay(n, from, inv, 7 + 64);
}

/* Transactions of blocks a reorganization took off: back to the pool, and announced. */
static void
put_back(struct node *n)
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
			relay_tx(n, NULL, id);
		}
		p = nl + 1;
	}
	n->back.n = 0;
}

static void
hook_log(void *arg, int level, const char *msg)
{
	node_log(arg, level, "%s", msg);
}

static void
hook_connected(void *arg, const struct block *b)
{
	struct node *n = arg;

	mempool_drop_block(&n->mp, b);
	n->pool_stale = n->mp.n > 0;
}

static void
hook_disconnected(void *arg, const struct block *b)
{
	struct node *n = arg;
	size_t k;

	for (k = 1; k < b->ntx; k++) {
		buf_add(&n->back, b->txs[k].tok.p, b->txs[k].tok.n);
		buf_add(&n->back, "\n", 1);
	}
	n->pool_stale = 1;
}

static void
hook_invalid(void *arg, uint32_t source, const struct bu_err *e)
{
	struct node *n = arg;
	size_t i;

	for (i = 0; i < n->nc; i++)
		if (n->c[i]->id == source && !n->c[i]->client)
			misbehave(n, n->c[i], NODE_BAN_SCORE, e->reason);
}

/* ---- the handshake ---- */

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
	sendf(c, "inv block %s", hex);
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
	const struct chain *ch = store_chain(n->st);
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
	if (memcmp(h.chain, ch->id, 32) != 0) {
		sendf(c, "reject hello bad-chain this node follows chain %s", ch->idhex);
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
	c->in.limit = store_chain(n->st)->p.maxblock > NODE_MIN_LINE ?
	    store_chain(n->st)->p.maxblock : NODE_MIN_LINE;
	if (!c->client) {
		node_log(n, 0, "%s %s height=%lu", c->outbound ? "connected" : "accepted",
		    c->outbound ? c->listen : c->name, (unsigned long)h.height);
		peer_learned(n, c);
	}
	if (c->outbound) {
		sendf(c, "getaddr");
		c->sent_getaddr = 1;
	}
	if (!c->client && u256_cmp(&c->work, &ch->work) > 0)
		send_getheaders(n, c, NULL);
	else if (!c->client && u256_cmp(&ch->work, &c->said_work) > 0 &&
	    u256_cmp(&ch->work, &c->work) > 0)
		announce_tip(c, ch);	/* our hello is stale: blocks came during the handshake */
}

/* ---- blocks and transactions ---- */

static void
verdict_reject(struct conn *c, const char *cmd, const struct bu_err *e)
{
	sendf(c, "reject %s %s %.200s", cmd, e->reason[0] ? e->reason : "invalid", e->msg);
}

static void
block_verdict(struct node *n, struct conn *c, enum blk_outcome r, const struct blk_result *br,
    const struct bu_err *e)
{
	char hex[65];

	bu_hex_rev(hex, br->hash);
	switch (r) {
	case BLK_ACCEPTED:
	case BLK_SIDE:
		if (n->o.verbosity >= 0)
			node_log(n, 0, "block %s height=%lu %s from %s", hex,
			    (unsigned long)store_height(n->st, br->idx),
			    r == BLK_SIDE ? "stored on a side branch" : "accepted", c->name);
		if (c->client) {
			sendf(c, "%s block %s", r == BLK_SIDE ? "side" : "accepted", hex);
			n->must_sync = 1;
		}
		break;
	case BLK_DUP:
		node_log(n, 1, "block %s from %s: known", hex, c->name);
		if (c->client) {
			sendf(c, "known block %s", hex);
			n->must_sync = 1;
		}
		break;
	case BLK_ORPHAN:
		node_log(n, 1, "block %s from %s: parent unknown", hex, c->name);
		if (c->client)
			verdict_reject(c, "block", e);
		else if (c->hdr_ms == 0)
			send_getheaders(n, c, NULL);
		break;
	case BLK_INVALID:
		node_log(n, 0, "block %s rejected from %s: %s: %s", hex, c->name, e->reason, e->msg);
		verdict_reject(c, "block", e);
		if (!c->client && br->punish)
			misbehave(n, c, NODE_BAN_SCORE, e->reason);
		break;
	case BLK_LOWWORK:
	case BLK_LATER:
		node_log(n, 1, "block %s from %s: %s", hex, c->name, e->reason);
		if (c->client)
			verdict_reject(c, "block", e);
		break;
	case BLK_ERROR:
		fail_with(n, e);
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
	r = store_block(n->st, line, len, c->client, c->id, &br, &e);
	if (r == BLK_ACCEPTED)
		c->block_ms = n->ms;
	if (br.idx >= 0 && unask(n, c, br.idx))
		c->flight_ms = n->ms;
	block_verdict(n, c, r, &br, &e);
	if (!c->client && (r == BLK_ACCEPTED || r == BLK_SIDE || r == BLK_DUP))
		peer_has(n, c, br.idx);
	if (n->back.n > 0 || n->pool_stale)
		put_back(n);
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
		misbehave(n, c, NODE_BAN_SCORE, "bad-message");
		return;
	}
	if (mempool_add(&n->mp, store_chain(n->st), line + 3, len - 3, &e) != 0) {
		node_log(n, 1, "tx rejected from %s: %s: %s", c->name, e.reason, e.msg);
		verdict_reject(c, "tx", &e);
		if (!c->client && (e.cls == BU_C_MALFORMED || e.cls == BU_C_FORGED))
			misbehave(n, c, NODE_BAN_SCORE, e.reason);
		return;
	}
	tx_parse(&t, line + 3, len - 3, &e);
	tx_id(id, &t);
	bu_hex_rev(hex, id);
	node_log(n, 0, "tx %s accepted from %s", hex, c->name);
	if (c->client)
		sendf(c, "accepted tx %s", hex);
	relay_tx(n, c, id);
}

static void
on_inv(struct node *n, struct conn *c, const char *s, const char *end)
{
	const char *w;
	size_t wl;
	unsigned char h[32];
	char line[96];
	int32_t i;

	if (word(&s, end, &w, &wl) != 0 || bu_unhex_rev(s, (size_t)(end - s), h) != 0) {
		misbehave(n, c, NODE_BAN_SCORE, "bad-inv");
		return;
	}
	if (wl == 5 && memcmp(w, "block", 5) == 0) {
		if ((i = store_find(n->st, h)) >= 0)
			peer_has(n, c, i);
		else if (c->hdr_ms == 0)
			send_getheaders(n, c, NULL);
		return;
	}
	if (!(wl == 2 && memcmp(w, "tx", 2) == 0)) {
		misbehave(n, c, NODE_BAN_SCORE, "bad-inv");
		return;
	}
	if (mempool_get(&n->mp, h) != NULL)
		return;
	if (c->txflight >= NODE_TX_INFLIGHT) {
		misbehave(n, c, 1, "inv-flood");
		return;
	}
	memcpy(line, "getdata tx ", 11);
	memcpy(line + 11, s, 64);
	send_line(c, line, 11 + 64);
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
		sendf(c, "reject getdata notfound block %s", hex);
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
		sendf(c, "reject getdata notfound tx %s", hex);
		return;
	}
	buf_str(&b, "tx ");
	buf_add(&b, t->tok, t->n);
	send_buf(c, &b);
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
	if (word(&s, end, &w, &wl) != 0 || ((block = wl == 5 && memcmp(w, "block", 5) == 0) == 0 &&
	    !(wl == 2 && memcmp(w, "tx", 2) == 0)) ||
	    (k = parse_hashes(s, end, c->gq, NODE_GETDATA_MAX)) <= 0) {
		misbehave(n, c, NODE_BAN_SCORE, "bad-getdata");
		return;
	}
	c->gqn = (size_t)k;
	c->gqpos = 0;
	c->gqblock = block;
}

/* Answer the waiting getdata while the peer's output stays under its budget. */
static void
serve_getdata(struct node *n, struct conn *c)
{
	size_t before = netout_pending(&c->out);

	while (c->gqpos < c->gqn && c->st != C_CLOSED && n->outbuf < NODE_OUT_TOTAL &&
	    netout_pending(&c->out) < NODE_OUT_BUDGET) {
		if (c->gqblock) {
			n->must_sync = 1;
			c->gqpos += 1 + (size_t)getdata_run(n, c, c->gq + c->gqpos,
			    c->gqn - c->gqpos, NODE_OUT_BUDGET - netout_pending(&c->out));
		} else {
			getdata_tx(n, c, c->gq[c->gqpos++]);
		}
		n->outbuf += netout_pending(&c->out) - before;
		before = netout_pending(&c->out);
	}
	if (c->gqpos == c->gqn)
		c->gqn = c->gqpos = 0;
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
	if (unask(n, c, i)) {
		c->best = -1;
		send_getheaders(n, c, NULL);
	}
}

static void
on_getblocks(struct node *n, struct conn *c, const char *s, const char *end)
{
	unsigned char (*loc)[32] = malloc(STORE_LOCATOR * sizeof *loc);
	const struct chain *ch = store_chain(n->st);
	char line[80] = "inv block ";
	uint32_t start, ht;
	int k;

	if (loc == NULL)
		return;
	if ((k = parse_hashes(s, end, loc, STORE_LOCATOR)) <= 0) {
		free(loc);
		misbehave(n, c, NODE_BAN_SCORE, "bad-getblocks");
		return;
	}
	start = store_locate(n->st, (const unsigned char (*)[32])loc, (size_t)k) + 1;
	free(loc);
	n->must_sync = 1;	/* what we offer is on disk */
	for (ht = start; ht <= ch->height && ht < start + NODE_INV_BATCH; ht++) {
		bu_hex_rev(line + 10, store_hash(n->st, store_main_at(n->st, ht)));
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
	struct buf *b;
	size_t i;

	if (c->st == C_CLOSED)
		return;
	b = netout_tail(&c->out);
	for (i = 0; i < n->mp.n; i++) {
		buf_add(b, "inv tx ", 7);
		buf_hash(b, n->mp.v[i].id);
		buf_add(b, "\n", 1);
	}
}

/* The node's state in one line: cheap, whatever the chain's length. */
static void
on_getinfo(struct node *n, struct conn *c)
{
	const struct chain *ch = store_chain(n->st);
	char tip[65], work[65];

	bu_hex_rev(tip, ch->tip);
	u256_hex(work, &ch->work);
	sendf(c, "info chain=%s height=%lu tip=%s work=%s in=%d out=%d mempool=%lu agent=blockutils",
	    ch->idhex, (unsigned long)ch->height, tip, work, count_conns(n, 0), count_conns(n, 1),
	    (unsigned long)n->mp.n);
	n->must_sync = 1;
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
	else if (is(w, wl, "headers"))
		on_headers(n, c, s, end);
	else if (is(w, wl, "tx"))
		on_tx(n, c, line, len);
	else if (is(w, wl, "inv"))
		on_inv(n, c, s, end);
	else if (is(w, wl, "getdata"))
		on_getdata(n, c, s, end);
	else if (is(w, wl, "getheaders"))
		on_getheaders(n, c, s, end);
	else if (is(w, wl, "getblocks"))
		on_getblocks(n, c, s, end);
	else if (is(w, wl, "getaddr") && s == end)
		on_getaddr(n, c);
	else if (is(w, wl, "addr"))
		on_addr(n, c, s, end);
	else if (is(w, wl, "mempool") && s == end)
		on_mempool(n, c);
	else if (is(w, wl, "getinfo") && s == end)
		on_getinfo(n, c);
	else if (is(w, wl, "ping") && hex16(s, end) == 0)
		sendf(c, "pong %.16s", s);
	else if (is(w, wl, "pong") && hex16(s, end) == 0)
		c->ping_ms = 0;
	else if (is(w, wl, "reject"))
		on_reject(n, c, line, len);
	else if (!is(w, wl, "accepted"))
		misbehave(n, c, 10, "unknown-message");
}

/* ---- the loop ---- */

static size_t
buffered(const struct conn *c)
{
	return c->in.n - c->in.start;
}

static void
read_input(struct node *n, struct conn *c)
{
	size_t before = buffered(c);
	int got = netin_read(&c->in, c->fd);

	if (got < 0)
		conn_close(n, c, strerror(errno));
	else if (got == 0)
		c->eof = 1;
	else if (buffered(c) > before && before == 0)
		c->partial_ms = n->ms;
	c->more = 1;
}

/*
 * Take the peer's lines while its answers fit its budget: at most
 * NODE_PASS_LINES a pass, none while a getdata is being answered or more
 * than NODE_OUT_BUDGET bytes wait to be sent. The rest waits in its input
 * (and, once that is full, in the kernel: the node stops reading it).
 */
static void
take_lines(struct node *n, struct conn *c)
{
	char *line;
	size_t len, pend;
	int k, lines = 0, alone = n->nbusy <= 1;
	int64_t t0 = net_us(), slice = alone ? NODE_ALONE_US : NODE_SLICE_US;

	serve_getdata(n, c);
	while (c->st != C_CLOSED && !n->fatal) {
		if (c->gqn > 0 || netout_pending(&c->out) >= NODE_OUT_BUDGET ||
		    (lines == NODE_PASS_LINES && !alone) || n->outbuf >= NODE_OUT_TOTAL ||
		    (lines > 0 && net_us() - t0 > slice))
			return;
		if ((k = netin_line(&c->in, &line, &len)) == 0)
			break;
		if (k < 0) {
			misbehave(n, c, NODE_BAN_SCORE, "line-too-long");
			return;
		}
		c->partial_ms = buffered(c) > 0 ? n->ms : 0;
		pend = netout_pending(&c->out);
		on_line(n, c, line, len);
		if (netout_pending(&c->out) > pend)
			n->outbuf += netout_pending(&c->out) - pend;
		serve_getdata(n, c);
		lines++;
	}
	c->more = 0;
	if (c->eof)
		conn_close(n, c, "closed by the peer");
}

/* Whether c has work it could do in the next pass without waiting. */
static int
ready_work(const struct node *n, const struct conn *c)
{
	return c->st != C_CLOSED && c->st != C_CONNECTING && n->outbuf < NODE_OUT_TOTAL &&
	    netout_pending(&c->out) < NODE_OUT_BUDGET && (c->more || c->gqn > 0);
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
timers_one(struct node *n, struct conn *c)
{
	const struct chain *ch = store_chain(n->st);
	int64_t quiet = n->ms - c->heard_ms;

	if (c->st == C_CONNECTING && n->ms - c->opened_ms > NODE_CONNECT_MS) {
		peer_done(n, c, 0);
		c->st = C_CLOSED;
	} else if (c->st == C_HELLO && n->ms - c->opened_ms > 1000 * (int64_t)n->o.hello_timeout) {
		node_log(n, 0, "dropped %s: no hello in time", c->name);
		if (!c->outbound)
			score_nohello(n, c);
		conn_close(n, c, "no hello in time");
	} else if (c->st == C_CONNECTING || c->st == C_CLOSED) {
		return;
	} else if (netout_pending(&c->out) > 0 && n->ms - c->wrote_ms > NODE_WRITE_MS) {
		conn_close(n, c, "not reading: its answers wait");
	} else if (c->partial_ms != 0 && !c->more && buffered(c) > 0 &&
	    n->ms - c->partial_ms > NODE_PARTIAL_HELLOS * 1000 * (int64_t)n->o.hello_timeout) {
		conn_close(n, c, "a line begun and not finished in time");
	} else if (c->st != C_READY) {
		return;
	} else if (c->nflight > 0 && n->ms - c->flight_ms > NODE_BLOCK_MS) {
		conn_close(n, c, "stalled: no block in time");
	} else if (quiet > NODE_IDLE_MS) {
		conn_close(n, c, "silent too long");
	} else if (quiet > NODE_PING_MS && c->ping_ms == 0) {
		c->ping_nonce = c->ping_nonce * 6364136223846793005ULL + n->nonce + 1;
		sendf(c, "ping %016llx", (unsigned long long)c->ping_nonce);
		c->ping_ms = n->ms;
	} else if (!c->client && c->hdr_ms != 0 && n->ms - c->hdr_ms > NODE_HEADERS_MS) {
		c->hdr_ms = 0;
	} else if (!c->client && c->hdr_ms == 0 && u256_cmp(&c->work, &ch->work) > 0 &&
	    (c->best < 0 || u256_cmp(store_work(n->st, c->best), &c->work) < 0)) {
		send_getheaders(n, c, NULL);
	}
}

static void
free_conn(struct node *n, struct conn *c)
{
	if (c->outbound)
		peer_done(n, c, c->nonce != 0);
	unask_all(n, c);
	close(c->fd);
	netin_free(&c->in);
	netout_free(&c->out);
	hsync_free(c->hs);
	free(c->gq);
	free(c);
}

static void
free_closed(struct node *n)
{
	size_t i, j = 0;

	for (i = 0; i < n->nc; i++) {
		if (n->c[i]->st != C_CLOSED)
			n->c[j++] = n->c[i];
		else
			free_conn(n, n->c[i]);
	}
	n->nc = j;
}

static void
flush_all(struct node *n)
{
	size_t i;

	for (i = 0; i < n->nc; i++) {
		struct conn *c = n->c[i];
		size_t before = netout_pending(&c->out);

		if (c->st == C_CONNECTING || before == 0) {
			c->wrote_ms = n->ms;
			continue;
		}
		if (netout_flush(&c->out, c->fd) != 0)
			conn_close(n, c, "write failed");
		else if (netout_pending(&c->out) < before)
			c->wrote_ms = n->ms;
	}
}

/*
 * Reading a peer stops when its input is full; and while more than
 * NODE_IN_TOTAL bytes wait in every input together, for the peers that
 * hold more than one read's worth, so that the small messages of others
 * still get through. *busy: some peer has work for the next pass at once.
 */
static size_t
build_pfds(struct node *n, int *busy)
{
	struct pollfd *pf = n->pf;
	size_t i, k = 0, total = 0;

	n->outbuf = 0;
	n->nbusy = 0;
	for (i = 0; i < n->nc; i++) {
		total += buffered(n->c[i]);
		n->outbuf += netout_pending(&n->c[i]->out);
	}
	n->inbuf = total;
	*busy = 0;
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
		else if (!c->eof && buffered(c) < c->in.limit + NETIN_READ &&
		    (total <= NODE_IN_TOTAL || buffered(c) < NETIN_READ))
			pf[k].events = POLLIN;
		if (netout_pending(&c->out) > 0)
			pf[k].events |= POLLOUT;
		*busy |= ready_work(n, c);
		n->nbusy += c->more || c->gqn > 0;
		k++;
	}
	return k;
}

static void
housekeeping(struct node *n, int64_t *next_ms)
{
	struct bu_err e;
	size_t i;

	if (n->ms < *next_ms)
		return;
	*next_ms = n->ms + NODE_HOUSE_MS;
	if (store_lock(n->st, &e) != 0) {
		fail_with(n, &e);
		return;
	}
	for (i = 0; i < n->nc; i++)
		timers_one(n, n->c[i]);
	dial_more(n);
	announce_all(n, NULL);
	fetch_blocks(n);
	if (store_unlock(n->st, 1, &e) != 0)	/* queued lines reach the disk within one period */
		fail_with(n, &e);
	n->must_sync = 0;
	if (n->peers_dirty && n->ms >= n->peers_save_ms) {
		n->peers_save_ms = n->ms + NODE_PEERS_SAVE_MS;
		if (peers_save(&n->peers, n->peerspath, &e) == 0)
			n->peers_dirty = 0;
	}
}

static void
serve(struct node *n, size_t k)
{
	size_t i, j, nconn = n->nc;	/* those accepted now are served from the next pass */
	struct bu_err e;

	for (i = 0; i < n->nlfd; i++)	/* drain the backlog: a full one drops honest SYNs */
		for (j = 0; (n->pf[i].revents & POLLIN) && j < NODE_ACCEPT_BATCH; j++)
			if (do_accept(n, n->lfd[i]) != 0)
				break;
	if (store_lock(n->st, &e) != 0) {
		fail_with(n, &e);
		return;
	}
	store_set_now(n->st, n->now);
	for (i = 0; i < nconn && n->nlfd + i < k && !n->fatal; i++) {
		struct conn *c = n->c[i];
		short re = n->pf[n->nlfd + i].revents;

		if (c->st == C_CLOSED)
			continue;
		if (c->st == C_CONNECTING) {
			if (re != 0)
				on_connected(n, c);
			continue;
		}
		if (re & (POLLIN | POLLHUP | POLLERR))
			read_input(n, c);
		if (ready_work(n, c)) {
			take_lines(n, c);
			announce_all(n, c);	/* what c's blocks made new: to all but c */
		}
	}
	announce_all(n, NULL);	/* what another writer of the chain file added */
	if (!n->fatal)
		fetch_blocks(n);
	if (store_unlock(n->st, n->must_sync, &e) != 0)
		fail_with(n, &e);
	n->must_sync = 0;
}

/* The wire went quiet: put what was accepted on disk. */
static void
sync_now(struct node *n)
{
	struct bu_err e;

	if (store_lock(n->st, &e) != 0 || store_unlock(n->st, 1, &e) != 0)
		fail_with(n, &e);
}

/* One pass of the loop: timers, poll (at most max_ms), serve, send. */
static int
pass(struct node *n, int max_ms, struct bu_err *e)
{
	size_t k;
	int got, busy, wait;

	n->ms = net_ms();
	n->now = bu_now();
	housekeeping(n, &n->next_house_ms);
	k = build_pfds(n, &busy);
	wait = busy ? 0 : store_dirty(n->st) ? NODE_SYNC_IDLE_MS : NODE_POLL_MS;
	if ((got = poll(n->pf, k, wait < max_ms ? wait : max_ms)) < 0) {
		if (errno == EINTR)
			return 0;
		return bu_fail(e, BU_EXIT_SYSTEM, "io", "poll: %s", strerror(errno));
	}
	n->ms = net_ms();
	if (got == 0 && !busy && store_dirty(n->st))
		sync_now(n);
	serve(n, k);
	if (!n->fatal)
		flush_all(n);
	free_closed(n);
	if (n->fatal) {
		*e = n->fatal_e;
		return -1;
	}
	return 0;
}

int
node_run(struct node *n, volatile sig_atomic_t *stop, struct bu_err *e)
{
	while (!*stop)
		if (pass(n, NODE_POLL_MS, e) != 0)
			return -1;
	return 0;
}

int
node_pass(struct node *n, int max_ms, struct bu_err *e)
{
	return pass(n, max_ms, e);
}

int
node_attach(struct node *n, int fd)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	struct conn *c;

	if (getsockname(fd, (struct sockaddr *)&ss, &sl) != 0 || net_nonblock(fd) != 0 ||
	    (c = conn_new(n, fd, 0, (struct sockaddr *)&ss, sl)) == NULL)
		return -1;
	send_hello(n, c);
	return 0;
}

void
node_forget_bans(struct node *n)
{
	bans_free(&n->bans);
	n->nscores = 0;
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
	return file_replace(n->o.portfile, b, strlen(b), REPLACE_DURABLE, e);
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
node_open(struct node **np, const struct node_opts *o, struct bu_err *e)
{
	struct store_hooks hk = { NULL, hook_log, hook_connected, hook_disconnected, hook_invalid };
	struct node *n;

	if ((*np = n = calloc(1, sizeof *n)) == NULL)
		return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
	n->o = *o;
	n->ms = net_ms();
	n->peers_save_ms = n->ms + NODE_PEERS_SAVE_MS;	/* not on the way to the first connection */
	n->now = bu_now();
	n->nonce = random_nonce();
	snprintf(n->peerspath, sizeof n->peerspath, "%s/peers", o->dir);
	snprintf(n->banspath, sizeof n->banspath, "%s/bans", o->dir);
	hk.arg = n;
	if (store_open(&n->st, o->dir, n->now, &hk, e) != 0)
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
	node_log(n, 0, "chain %s height=%lu", store_chain(n->st)->idhex,
	    (unsigned long)store_chain(n->st)->height);
	return 0;
}

void
node_close(struct node *n)
{
	struct bu_err e;
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->nc; i++)
		n->c[i]->st = C_CLOSED;
	free_closed(n);
	for (i = 0; i < n->nlfd; i++)
		close(n->lfd[i]);
	if (n->peers.n > 0 && peers_save(&n->peers, n->peerspath, &e) != 0)
		bu_report(&e);
	store_close(n->st);
	mempool_free(&n->mp);
	peers_free(&n->peers);
	bans_free(&n->bans);
	buf_free(&n->back);
	buf_free(&n->hcache);
	free(n->asked);
	free(n);
}
