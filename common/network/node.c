/* node.c: the node's connections (open, close, accept, evict), bans, sending, setup */
#include "node_int.h"

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

void
node_fail_with(struct node *n, const struct bu_err *e)
{
	if (!n->fatal) {
		n->fatal = 1;
		n->fatal_e = *e;
	}
}

void
node_send_line(struct conn *c, const char *s, size_t len)
{
	if (c->st != C_CLOSED)
		netout_line(&c->out, s, len);
}


void
node_sendf(struct conn *c, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (k > 0 && (size_t)k < sizeof line)
		node_send_line(c, line, (size_t)k);
}

void
node_send_buf(struct conn *c, const struct buf *b)
{
	if (!b->oom && b->n > 0)
		node_send_line(c, b->p, b->n);
}

/* The key a ban is kept under: the address, with the port on loopback. */
void
node_ban_key(const struct conn *c, char out[NET_ADDRLEN])
{
	if (net_is_loopback((const struct sockaddr *)&c->sa))
		snprintf(out, NET_ADDRLEN, "%s", c->listen[0] ? c->listen : c->name);
	else
		net_with_port((const struct sockaddr *)&c->sa, 0, out);
}

void
node_conn_close(struct node *n, struct conn *c, const char *why)
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

void
node_misbehave(struct node *n, struct conn *c, int points, const char *reason)
{
	char key[NET_ADDRLEN];

	if (points <= 0 || c->st == C_CLOSED)
		return;
	c->score += points;
	if (c->score < NODE_BAN_SCORE)
		return;
	node_ban_key(c, key);
	ban(n, key, reason);
	node_conn_close(n, c, reason);
}

void
node_send_hello(struct node *n, struct conn *c)
{
	const struct chain *ch = store_chain(n->st);
	char work[65];

	u256_hex(work, &ch->work);
	c->said_work = ch->work;
	node_sendf(c, "hello chain=%s height=%lu work=%s port=%u nonce=%016llx agent=blockutils",
	    ch->idhex, (unsigned long)ch->height, work, (unsigned)n->port,
	    (unsigned long long)n->nonce);
}

struct conn *
node_conn_new(struct node *n, int fd, int outbound, const struct sockaddr *sa, socklen_t len)
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
int
node_count_conns(const struct node *n, int outbound)
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
void
node_score_nohello(struct node *n, const struct conn *c)
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
		node_score_nohello(n, v);
		node_conn_close(n, v, "evicted: no hello yet");
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
	node_conn_close(n, v, "evicted: inbound slots are full");
	return 0;
}

/* One connection from the backlog: 0, or -1 when there is none. */
int
node_do_accept(struct node *n, int lfd)
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
	if (node_count_conns(n, 0) >= (int)n->o.max_in && evict_one(n) != 0) {
		node_log(n, 1, "inbound connection refused: limit");
		close(fd);
		return 0;
	}
	net_nodelay(fd);
	if ((c = node_conn_new(n, fd, 0, (struct sockaddr *)&ss, sl)) == NULL)
		return 0;
	node_log(n, 1, "inbound connection from %s", c->name);
	node_send_hello(n, c);
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
	struct store_hooks hk = { NULL, node_hook_log, node_hook_connected, node_hook_disconnected, node_hook_invalid };
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
	if (o->threads > 1 && (n->pool = pool_new(o->threads - 1, e)) == NULL)
		return -1;
	n->hj.k = grind_hasher();
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
	node_free_closed(n);
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
	pool_free(n->pool);
	free(n->hj.hv);
	free(n->hj.raw);
	free(n->hj.hh);
	for (i = 0; i < NODE_PREP_LINES; i++)
		store_pre_free(&n->prep[i]);
	free(n);
}
