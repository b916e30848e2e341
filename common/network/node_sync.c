/* node_sync.c: the node's header sync and block download */
#include "node_int.h"

/*
 * "getheaders [first] <locator>": the locator starts below our best header,
 * as Bitcoin Core's does, so that a peer whose tip it is answers with it
 * (an empty answer could not say which locator entry the peer has).
 */
void
node_send_getheaders(struct node *n, struct conn *c, const unsigned char *first)
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
	node_send_buf(c, &b);
	buf_free(&b);
	c->hdr_ms = n->ms;
}

/* c is known to have header i: remember the most-work one. */
void
node_peer_has(struct node *n, struct conn *c, int32_t i)
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
int
node_unask(struct node *n, struct conn *c, int32_t i)
{
	if ((size_t)i >= n->capasked || n->asked[i] != c->id)
		return 0;
	n->asked[i] = 0;
	c->nflight--;
	return 1;
}

/* c is gone: what it was asked for may be asked of another. */
void
node_unask_all(struct node *n, const struct conn *c)
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
	node_send_buf(c, &b);
	buf_free(&b);
}

/* One round over the peers, each asked for what it can node_serve, starting at another each round. */
void
node_fetch_blocks(struct node *n)
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

int
node_parse_hashes(const char *s, const char *end, unsigned char (*out)[32], size_t max)
{
	const char *w;
	size_t wl, k = 0;

	while (s < end) {
		if (k == max || node_word(&s, end, &w, &wl) != 0 || bu_unhex_rev(w, wl, out[k]) != 0)
			return -1;
		k++;
	}
	return (int)k;
}

static void
hdr_chunk(void *arg, size_t ci)
{
	struct hdrjob *j = arg;
	size_t i, lo = ci * NODE_HDR_CHUNK, hi = lo + NODE_HDR_CHUNK < j->n ? lo + NODE_HDR_CHUNK : j->n;

	for (i = lo; i < hi; i++) {
		if (bu_unhex(j->w[i], 160, j->raw + 80 * i, 80) != 0) {
			j->bad[ci] = 1;
			return;
		}
		header_from_bytes(&j->hv[i], j->raw + 80 * i);
	}
	j->k->hash80(j->raw + 80 * lo, hi - lo, j->hh[lo]);
}

/*
 * The headers of a message, decoded and hashed a chunk at a time (by the
 * helpers too): 0; -1 when one is bad; -2 without memory.
 */
static int
hdr_decode(struct node *n, const char *s, const char *end)
{
	struct hdrjob *j = &n->hj;
	const char *w;
	size_t wl, ci, nchunk;

	if (j->hv == NULL && ((j->hv = malloc(STORE_HEADERS_MAX * sizeof *j->hv)) == NULL ||
	    (j->raw = malloc(STORE_HEADERS_MAX * 80)) == NULL ||
	    (j->hh = malloc(STORE_HEADERS_MAX * sizeof *j->hh)) == NULL))
		return -2;
	j->n = 0;
	while (s < end) {
		if (j->n == STORE_HEADERS_MAX || node_word(&s, end, &w, &wl) != 0 || wl != 160)
			return -1;
		j->w[j->n++] = w;
	}
	nchunk = (j->n + NODE_HDR_CHUNK - 1) / NODE_HDR_CHUNK;
	memset(j->bad, 0, sizeof j->bad);
	if (nchunk > 1 && node_helpers_free(n)) {
		pool_begin(n->pool, nchunk, hdr_chunk, j);
		for (ci = 0; ci < nchunk; ci++)
			pool_take(n->pool, ci);
		pool_end(n->pool);
	} else {
		for (ci = 0; ci < nchunk; ci++)
			hdr_chunk(j, ci);
	}
	for (ci = 0; ci < nchunk; ci++)
		if (j->bad[ci])
			return -1;
	return 0;
}

void
node_on_headers(struct node *n, struct conn *c, const char *s, const char *end)
{
	struct hdr_result r;
	struct bu_err e;
	size_t k;
	int rc = hdr_decode(n, s, end);

	if (rc == -1)
		node_misbehave(n, c, NODE_BAN_SCORE, "bad-headers");
	if (rc != 0)
		return;
	k = n->hj.n;
	c->hdr_ms = 0;
	if (c->hs == NULL && (c->hs = hsync_new()) == NULL)
		return;
	bu_err_clear(&e);
	if (store_headers_hashed(n->st, c->hs, n->hj.hv, (const unsigned char (*)[32])n->hj.hh, k,
	    &r, &e) != 0) {
		node_fail_with(n, &e);
		return;
	}
	node_peer_has(n, c, r.best);
	if (r.invalid) {
		node_log(n, 0, "headers rejected from %s: %s: %s", c->name, e.reason, e.msg);
		node_misbehave(n, c, NODE_BAN_SCORE, e.reason);
		return;
	}
	if (r.unconnected) {
		if (++c->unconnected % NODE_UNCONNECTED == 0)
			node_misbehave(n, c, 20, "unconnected-headers");
		node_send_getheaders(n, c, NULL);
		return;
	}
	c->unconnected = 0;
	if (r.ask)
		node_send_getheaders(n, c, r.ask_hash);
}

/*
 * The answer to a locator. The last one is kept while the tip stays: a
 * peer asking the same again over and over gets a copy, not a rebuild.
 */
void
node_on_getheaders(struct node *n, struct conn *c, const char *s, const char *end)
{
	int k = node_parse_hashes(s, end, n->loc, STORE_LOCATOR);
	uint32_t from;

	if (k <= 0) {
		node_misbehave(n, c, NODE_BAN_SCORE, "bad-getheaders");
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
	node_send_buf(c, &n->hcache);
}
