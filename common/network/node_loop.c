/* node_loop.c: the node's poll loop: reading, timers, writing, syncing the chain file */
#include "node_int.h"

static size_t
buffered(const struct conn *c)
{
	return c->in.n - c->in.start;
}

/*
 * What c's next read may take: NETIN_READ bytes at most, up to its line
 * limit and one read, and while every input together holds more than
 * NODE_IN_TOTAL (n->inbuf, as this pass began), only up to NETIN_READ
 * buffered in c. 0: c is not read (nor polled for input).
 */
static size_t
read_room(const struct node *n, const struct conn *c)
{
	size_t have = buffered(c), cap = c->in.limit + NETIN_READ;

	if (c->eof || have >= cap)
		return 0;
	if (n->inbuf > NODE_IN_TOTAL)
		cap = NETIN_READ;
	return have >= cap ? 0 : cap - have < NETIN_READ ? cap - have : NETIN_READ;
}

static void
read_input(struct node *n, struct conn *c)
{
	size_t before = buffered(c);
	int got = netin_read_max(&c->in, c->fd, read_room(n, c));

	if (got < 0)
		node_conn_close(n, c, strerror(errno));
	else if (got == 0)
		c->eof = 1;
	else if (buffered(c) > before && before == 0)
		c->partial_ms = n->ms;
	c->more = 1;
}

static void
prep_one(void *arg, size_t i)
{
	struct node *n = arg;

	store_prepare(&n->prep[i], n->prepline[i], n->preplen[i]);
}

/* The block lines waiting in c's input, for the helpers to parse ahead. */
static void
prep_begin(struct node *n, struct conn *c)
{
	const char *line;
	size_t off = 0, len;

	n->nprep = n->prepat = 0;
	if (!node_helpers_free(n))
		return;
	while (n->nprep < NODE_PREP_LINES && netin_peek(&c->in, &off, &line, &len))
		if (len > 6 && memcmp(line, "block ", 6) == 0) {
			n->prepline[n->nprep] = line;
			n->preplen[n->nprep++] = len;
		}
	if (n->nprep < 2)
		n->nprep = 0;
	else
		pool_begin(n->pool, n->nprep, prep_one, n);
}

static void
prep_end(struct node *n)
{
	if (n->nprep > 0)
		pool_end(n->pool);
	n->nprep = n->prepat = 0;
}


int
node_helpers_free(const struct node *n)
{
	return n->pool != NULL && n->nbusy <= 1 && n->nprep == 0;	/* a sync: others go as before */
}

const struct store_pre *
node_prep_take(struct node *n, const char *line)
{
	while (n->prepat < n->nprep && n->prepline[n->prepat] < line)
		n->prepat++;	/* a line the loop did not take as a block */
	if (n->prepat == n->nprep || n->prepline[n->prepat] != line)
		return NULL;
	pool_take(n->pool, n->prepat);
	return &n->prep[n->prepat++];
}

/*
 * Take the peer's lines while its answers fit its budget: at most
 * NODE_PASS_LINES a pass, none while a long answer is being produced or more
 * than NODE_OUT_BUDGET bytes wait to be sent. The rest waits in its input
 * (and, once that is full, in the kernel: the node stops reading it).
 */
static void
take_run(struct node *n, struct conn *c, int alone)
{
	char *line;
	size_t len, pend;
	int k, lines = 0;
	int64_t t0 = net_us(), slice = alone ? NODE_ALONE_US : NODE_SLICE_US;

	while (c->st != C_CLOSED && !n->fatal) {
		if (c->ans != ANS_NONE || netout_pending(&c->out) >= NODE_OUT_BUDGET ||
		    (lines == NODE_PASS_LINES && !alone) || n->outbuf >= NODE_OUT_TOTAL ||
		    (lines > 0 && net_us() - t0 > slice))
			return;
		if ((k = netin_line(&c->in, &line, &len)) == 0)
			break;
		if (k < 0) {
			node_misbehave(n, c, NODE_BAN_SCORE, "line-too-long");
			return;
		}
		c->partial_ms = buffered(c) > 0 ? n->ms : 0;
		pend = netout_pending(&c->out);
		node_on_line(n, c, line, len);
		if (netout_pending(&c->out) > pend)
			n->outbuf += netout_pending(&c->out) - pend;
		node_serve_answer(n, c);
		lines++;
	}
	c->more = 0;
	if (c->eof)
		node_conn_close(n, c, "closed by the peer");
}

static void
take_lines(struct node *n, struct conn *c)
{
	node_serve_answer(n, c);
	if (c->ans == ANS_NONE && c->st != C_CLOSED)
		prep_begin(n, c);
	take_run(n, c, n->nbusy <= 1);
	prep_end(n);
}

/* Whether c has work it could do in the next pass without waiting. */
static int
ready_work(const struct node *n, const struct conn *c)
{
	return c->st != C_CLOSED && c->st != C_CONNECTING && n->outbuf < NODE_OUT_TOTAL &&
	    netout_pending(&c->out) < NODE_OUT_BUDGET && (c->more || c->ans != ANS_NONE);
}

static void
on_connected(struct node *n, struct conn *c)
{
	int err = 0;
	socklen_t sl = sizeof err;

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &sl) != 0 || err != 0) {
		node_log(n, 1, "connect %s: %s", c->listen, strerror(err));
		node_peer_done(n, c, 0);
		c->st = C_CLOSED;
		return;
	}
	c->st = C_HELLO;
	c->opened_ms = n->ms;
	node_send_hello(n, c);
}

static void
timers_one(struct node *n, struct conn *c)
{
	const struct chain *ch = store_chain(n->st);
	int64_t quiet = n->ms - c->heard_ms;

	if (c->st == C_CONNECTING && n->ms - c->opened_ms > NODE_CONNECT_MS) {
		node_peer_done(n, c, 0);
		c->st = C_CLOSED;
	} else if (c->st == C_HELLO && n->ms - c->opened_ms > 1000 * (int64_t)n->o.hello_timeout) {
		node_log(n, 0, "dropped %s: no hello in time", c->name);
		if (!c->outbound)
			node_score_nohello(n, c);
		node_conn_close(n, c, "no hello in time");
	} else if (c->st == C_CONNECTING || c->st == C_CLOSED) {
		return;
	} else if (netout_pending(&c->out) > 0 && n->ms - c->wrote_ms > NODE_WRITE_MS) {
		node_conn_close(n, c, "not reading: its answers wait");
	} else if (c->partial_ms != 0 && !c->more && buffered(c) > 0 &&
	    n->ms - c->partial_ms > NODE_PARTIAL_HELLOS * 1000 * (int64_t)n->o.hello_timeout) {
		node_conn_close(n, c, "a line begun and not finished in time");
	} else if (c->st != C_READY) {
		return;
	} else if (c->nflight > 0 && n->ms - c->flight_ms > NODE_BLOCK_MS) {
		node_conn_close(n, c, "stalled: no block in time");
	} else if (quiet > NODE_IDLE_MS) {
		node_conn_close(n, c, "silent too long");
	} else if (quiet > NODE_PING_MS && c->ping_ms == 0) {
		c->ping_nonce = c->ping_nonce * 6364136223846793005ULL + n->nonce + 1;
		node_sendf(c, "ping %016llx", (unsigned long long)c->ping_nonce);
		c->ping_ms = n->ms;
	} else if (!c->client && c->hdr_ms != 0 && n->ms - c->hdr_ms > NODE_HEADERS_MS) {
		c->hdr_ms = 0;
	} else if (!c->client && c->hdr_ms == 0 && u256_cmp(&c->work, &ch->work) > 0 &&
	    (c->best < 0 || u256_cmp(store_work(n->st, c->best), &c->work) < 0)) {
		node_send_getheaders(n, c, NULL);
	}
}

static void
free_conn(struct node *n, struct conn *c)
{
	if (c->outbound)
		node_peer_done(n, c, c->nonce != 0);
	node_unask_all(n, c);
	close(c->fd);
	netin_free(&c->in);
	netout_free(&c->out);
	hsync_free(c->hs);
	free(c->gq);
	free(c);
}

void
node_free_closed(struct node *n)
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
			node_conn_close(n, c, "write failed");
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
		else if (read_room(n, c) > 0)
			pf[k].events = POLLIN;
		if (netout_pending(&c->out) > 0)
			pf[k].events |= POLLOUT;
		*busy |= ready_work(n, c);
		n->nbusy += c->more || c->ans != ANS_NONE;
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
		node_fail_with(n, &e);
		return;
	}
	for (i = 0; i < n->nc; i++)
		timers_one(n, n->c[i]);
	node_dial_more(n);
	node_announce_all(n, NULL);
	node_fetch_blocks(n);
	if (store_unlock(n->st, 1, &e) != 0)	/* queued lines reach the disk within one period */
		node_fail_with(n, &e);
	n->must_sync = 0;
	if (n->peers_dirty && n->ms >= n->peers_save_ms) {
		n->peers_save_ms = n->ms + NODE_PEERS_SAVE_MS;
		if (peers_save(&n->peers, n->peerspath, &e) == 0)
			n->peers_dirty = 0;
	}
}

void
node_serve(struct node *n, size_t k)
{
	size_t i, j, nconn = n->nc;	/* those accepted now are served from the next pass */
	struct bu_err e;

	for (i = 0; i < n->nlfd; i++)	/* drain the backlog: a full one drops honest SYNs */
		for (j = 0; (n->pf[i].revents & POLLIN) && j < NODE_ACCEPT_BATCH; j++)
			if (node_do_accept(n, n->lfd[i]) != 0)
				break;
	if (store_lock(n->st, &e) != 0) {
		node_fail_with(n, &e);
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
			node_announce_all(n, c);	/* what c's blocks made new: to all but c */
		}
	}
	node_announce_all(n, NULL);	/* what another writer of the chain file added */
	if (!n->fatal)
		node_fetch_blocks(n);
	if (store_unlock(n->st, n->must_sync, &e) != 0)
		node_fail_with(n, &e);
	n->must_sync = 0;
}

/* The wire went quiet: put what was accepted on disk. */
static void
sync_now(struct node *n)
{
	struct bu_err e;

	if (store_lock(n->st, &e) != 0 || store_unlock(n->st, 1, &e) != 0)
		node_fail_with(n, &e);
}

/* One pass of the loop: timers, poll (at most max_ms), node_serve, send. */
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
	node_serve(n, k);
	if (!n->fatal)
		flush_all(n);
	node_free_closed(n);
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
	    (c = node_conn_new(n, fd, 0, (struct sockaddr *)&ss, sl)) == NULL)
		return -1;
	node_send_hello(n, c);
	return 0;
}

void
node_forget_bans(struct node *n)
{
	bans_free(&n->bans);
	n->nscores = 0;
}
