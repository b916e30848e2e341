/* mine.c: the nonce search driver: chunks handed out to threads in order */
#include "mine.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "build.h"
#include "seal.h"
#include "u256.h"

#define CHUNK (1u << 18)	/* iterations a thread takes at a time */

struct search {
	const struct mine_opts *o;
	struct grind_job job;
	uint64_t total;		/* iterations in this process's share */
	uint64_t nchunks;
	pthread_mutex_t mu;
	pthread_cond_t idle;	/* signalled as each worker leaves */
	unsigned running;
	uint64_t next;		/* next chunk to hand out */
	uint64_t best;		/* lowest chunk with a find (nchunks: none) */
	uint32_t nonce;
	uint64_t done;		/* iterations tried */
	int stop;
	double expected;	/* hashes a find takes on average: the work of the target */
	int shown;		/* show() wrote a progress line */
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *
worker(void *arg)
{
	struct search *s = arg;

	for (;;) {
		uint64_t c, first;
		uint32_t count, found;
		int hit;

		pthread_mutex_lock(&s->mu);
		c = s->next++;
		if (s->stop || c >= s->nchunks || c > s->best) {
			s->running--;
			pthread_cond_signal(&s->idle);
			pthread_mutex_unlock(&s->mu);
			return NULL;
		}
		pthread_mutex_unlock(&s->mu);
		first = c * CHUNK;
		count = (uint32_t)(s->total - first < CHUNK ? s->total - first : CHUNK);
		hit = s->o->kernel->scan(&s->job,
		    (uint32_t)(s->o->start + (uint64_t)s->o->stride * first),
		    s->o->stride, count, &found);
		pthread_mutex_lock(&s->mu);
		s->done += count;
		if (hit && c < s->best) {
			s->best = c;
			s->nonce = found;
		}
		pthread_mutex_unlock(&s->mu);
	}
}

/* Seconds for people: "4.2 s", "3.1 min", "2.0 h", "5.3 days", "1.2e+03 years". */
static void
span(char *out, size_t n, double t)
{
	if (t < 90)
		snprintf(out, n, "%.1f s", t);
	else if (t < 5400)
		snprintf(out, n, "%.1f min", t / 60);
	else if (t < 172800)
		snprintf(out, n, "%.1f h", t / 3600);
	else if (t < 3.15e7 * 2)
		snprintf(out, n, "%.1f days", t / 86400);
	else
		snprintf(out, n, "%.3g years", t / 3.15576e7);
}

/*
 * One progress line, rewritten in place: the rate, the hashes, the time
 * spent and the time left until the expected number of hashes is done
 * (a mean: each hash is a fresh try, so luck can beat it or not).
 */
static void
show(struct search *s, double t0, uint64_t before)
{
	double dt = now_s() - t0, done = (double)(before + s->done), rate;
	char el[32], eta[32];

	if (dt <= 0 || done <= 0)
		return;
	rate = done / dt;
	span(el, sizeof el, dt);
	if (done < s->expected)
		span(eta, sizeof eta, (s->expected - done) / rate);
	else
		snprintf(eta, sizeof eta, "past the mean");
	s->shown = 1;
	fprintf(stderr, "\r%s: %.2f MH/s, %llu hashes, %s, eta %s\033[K", bu_progname,
	    rate / 1e6, (unsigned long long)(before + s->done), el, eta);
}

/* Wait until every worker has left; 0, -1 when the time limit stopped them, -2 an interrupt. */
static int
wait_workers(struct search *s, const struct mine_opts *o, double t0, uint64_t before)
{
	int rc = 0;

	pthread_mutex_lock(&s->mu);
	while (s->running > 0) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 100 * 1000 * 1000;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		if (pthread_cond_timedwait(&s->idle, &s->mu, &ts) == 0)
			continue;
		if (o->max_seconds > 0 && now_s() - t0 > o->max_seconds && !s->stop) {
			s->stop = 1;
			rc = -1;
		}
		if (o->interrupt != NULL && *o->interrupt && !s->stop) {
			s->stop = 1;
			rc = -2;
		}
		if (o->progress)
			show(s, t0, before);
	}
	pthread_mutex_unlock(&s->mu);
	return rc;
}

/* Search one header over this process's share: 1 found, 0 not, -1 gave up, -2 interrupted. */
static int
search_header(const struct mine_opts *o, const unsigned char hdr[80],
    const unsigned char target[32], double expected, uint32_t *nonce,
    struct mine_stats *st, double t0)
{
	struct search s;
	pthread_t tid[256];
	unsigned i, n = o->threads ? (o->threads > 256 ? 256 : o->threads) : 1;
	int rc = 0;

	memset(&s, 0, sizeof s);
	s.o = o;
	s.expected = expected;
	grind_prepare(&s.job, hdr, target);
	s.total = ((uint64_t)UINT32_MAX - o->start) / o->stride + 1;
	s.nchunks = (s.total + CHUNK - 1) / CHUNK;
	s.best = s.nchunks;
	pthread_mutex_init(&s.mu, NULL);
	pthread_cond_init(&s.idle, NULL);
	s.running = n;
	for (i = 0; i < n; i++)
		if (pthread_create(&tid[i], NULL, worker, &s) != 0)
			break;
	pthread_mutex_lock(&s.mu);
	s.running -= n - i;
	pthread_mutex_unlock(&s.mu);
	n = i;
	if (n == 0) {
		s.running = 1;
		worker(&s);
	}
	rc = wait_workers(&s, o, t0, st->hashes);
	for (i = 0; i < n; i++)
		pthread_join(tid[i], NULL);
	st->hashes += s.done;
	st->shown |= s.shown;
	pthread_cond_destroy(&s.idle);
	pthread_mutex_destroy(&s.mu);
	if (s.best < s.nchunks) {
		*nonce = s.nonce;
		return 1;
	}
	return rc;
}

/* Tokens for roll r: the originals, with the extranonce appended to the coinbase's extra. */
static int
rolled_toks(const struct toks *orig, const struct coinbase *cb, const char *extra,
    uint64_t r, struct toks *t, struct bu_err *e)
{
	struct buf tok = { 0 }, ex = { 0 };
	size_t i = 0;
	int rc = 0;

	if (cb != NULL && r > 0) {
		buf_fmt(&ex, "%s%016llx", extra, (unsigned long long)r);
		tok_coinbase(&tok, cb->height, cb->to, cb->amount, ex.p, ex.n);
		if (tok.oom || ex.oom)
			rc = bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
		else
			rc = toks_add(t, tok.p, tok.n, e);
		i = 1;
	}
	for (; rc == 0 && i < orig->n; i++)
		rc = toks_add(t, orig->text.p + orig->off[i], orig->len[i], e);
	buf_free(&tok);
	buf_free(&ex);
	return rc;
}

/* A coinbase whose extra is 128 hex digits: a seal (SPEC section 7), which covers extra and time. */
static int
sealed(const struct block *b)
{
	return !b->raw && b->ntx > 0 && b->txs[0].kind == TX_COINBASE &&
	    b->txs[0].u.cb.extra.n == SEAL_HEX;
}

/* Set b's header (and transactions) for roll r; cur receives the tokens. */
static int
apply_roll(struct block *b, const struct header *h0, const struct toks *orig,
    const struct coinbase *cb, const char *extra, uint64_t r, struct toks *cur,
    struct bu_err *e)
{
	b->h = *h0;
	if (r == 0)
		return 0;	/* the header as given: mine never repairs its input */
	if (sealed(b))
		return bu_fail(e, BU_EXIT_GAVEUP, "exhausted", "every nonce was tried, and a sealed "
		    "block rolls nothing (its seal covers the extra and the time): seal the block "
		    "again, with another time");
	if (cb == NULL) {
		if ((uint64_t)h0->time + r > UINT32_MAX)
			return bu_fail(e, BU_EXIT_GAVEUP, "exhausted",
			    "every nonce and time was tried");
		b->h.time = (uint32_t)(h0->time + r);
	}
	if (b->raw)
		return 0;
	if (rolled_toks(orig, cb, extra, r, cur, e) != 0)
		return -1;
	return block_seal(b, cur, e);
}

static void
show_target(const unsigned char target[32], double expected)
{
	char hex[65];

	bu_hex_rev(hex, target);
	fprintf(stderr, "%s: target %s, %.4g hashes expected\n", bu_progname, hex, expected);
}

static int
search_rolls(const struct mine_opts *o, struct block *b, const struct toks *orig,
    const struct coinbase *cb, const char *extra, struct buf *out,
    struct mine_stats *st, struct bu_err *e)
{
	const struct header h0 = b->h;
	double t0 = now_s();
	unsigned char target[32], hdr[80];
	double expected;
	u256 t, w;
	uint64_t r;

	if (compact_decode(h0.bits, &t) != 0)
		return bu_fail(e, BU_EXIT_INVALID, "bad-diffbits",
		    "bits %08lx are not a valid target", (unsigned long)h0.bits);
	u256_to_le(target, &t);
	u256_work(&w, &t);
	expected = u256_double(&w);
	if (o->progress)
		show_target(target, expected);
	for (r = 0;; r++) {
		struct toks cur = { 0 };
		uint32_t nonce = 0;	/* set when got > 0; -O1 cannot tell */
		int got;

		if (apply_roll(b, &h0, orig, cb, extra, r, &cur, e) != 0) {
			toks_free(&cur);
			return -1;
		}
		header_bytes(hdr, &b->h);
		got = search_header(o, hdr, target, expected, &nonce, st, t0);
		st->seconds = now_s() - t0;
		if (got > 0) {
			b->h.nonce = nonce;
			header_hash(b->hash, &b->h);
			block_format(out, b);
		}
		toks_free(&cur);
		if (got > 0)
			return out->oom ? bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory") : 0;
		if (got == -2)
			return bu_fail(e, BU_EXIT_GAVEUP, "interrupted",
			    "interrupted after %llu hashes", (unsigned long long)st->hashes);
		if (got < 0)
			return bu_fail(e, BU_EXIT_GAVEUP, "gave-up",
			    "no nonce found in %.0f seconds", o->max_seconds);
	}
}

int
mine_block(const struct mine_opts *o, struct block *b, struct buf *out,
    struct mine_stats *st, struct bu_err *e)
{
	struct toks orig = { 0 };
	struct coinbase cb;
	char *extra = NULL;
	size_t i;
	int rc = -1, roll_cb = !b->raw && b->txs[0].kind == TX_COINBASE;

	for (i = 0; i < b->ntx; i++)
		if (toks_add(&orig, b->txs[i].tok.p, b->txs[i].tok.n, e) != 0)
			goto out;
	if (roll_cb) {
		cb = b->txs[0].u.cb;
		if ((extra = strndup(cb.extra.p, cb.extra.n)) == NULL) {
			bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
			goto out;
		}
	}
	rc = search_rolls(o, b, &orig, roll_cb ? &cb : NULL, extra, out, st, e);
out:
	free(extra);
	toks_free(&orig);
	return rc;
}
