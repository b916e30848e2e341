/* chaininfo.c: one walk of a chain file; block times, bits and transaction counts kept */
#include "chaininfo.h"

#include <stdlib.h>
#include <string.h>

#include "chainfile.h"

#define HASHRATE_BLOCKS 120

void
chaininfo_free(struct chaininfo *ci)
{
	free(ci->time);
	free(ci->bits);
	ci->time = ci->bits = NULL;
	ci->n = ci->cap = 0;
}

static int
keep(struct chaininfo *ci, uint32_t time, uint32_t bits)
{
	if (ci->n == ci->cap) {
		size_t ncap = ci->cap ? 2 * ci->cap : 1024;
		uint32_t *t = realloc(ci->time, ncap * sizeof *t), *b;

		if (t == NULL)
			return -1;
		ci->time = t;
		if ((b = realloc(ci->bits, ncap * sizeof *b)) == NULL)
			return -1;
		ci->bits = b;
		ci->cap = ncap;
	}
	ci->time[ci->n] = time;
	ci->bits[ci->n] = bits;
	ci->n++;
	return 0;
}

struct walk {
	struct chaininfo *ci;
	struct chain *c;
};

static void
count_txs(struct chaininfo *ci, const struct chain *c, const struct block *b)
{
	unsigned char hash[32];
	size_t i;

	header_hash(hash, &b->h);
	for (i = 0; i < b->ntx; i++) {
		const struct tx *t = &b->txs[i];
		u256 v = {{0, 0, 0, 0}};

		ci->kinds[t->kind]++;
		if (t->kind == TX_COINBASE) {
			v.w[0] = t->u.cb.amount;
			u256_add(&ci->minted, &ci->minted, &v);
		} else if (t->kind == TX_TRANSFER) {
			v.w[0] = t->u.tr.fee;
			u256_add(&ci->fees, &ci->fees, &v);
		}
		if (ci->each != NULL)
			ci->each(ci->arg, c, hash, i, t);
	}
}

/* 1 when memory ran out: chain_walk hands the value back. */
static int
each_block(void *arg, const struct block *b, const char *line, size_t len,
    const struct lines *r)
{
	struct walk *w = arg;

	if (w->ci->n == 0)
		w->ci->first = w->c->height;
	if (keep(w->ci, b->h.time, b->h.bits) != 0)
		return 1;
	if (b->btc == NULL)
		count_txs(w->ci, w->c, b);
	return 0;
}

int
chaininfo_walk(struct chaininfo *ci, struct chain *c, const char *path, struct bu_err *e)
{
	struct walk w = { ci, c };
	int rc = chain_walk(c, path, each_block, &w, e);

	if (rc > 0)
		return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
	return rc;
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static int
intervals(const struct chaininfo *ci, struct chain_stats *s)
{
	int64_t *d;
	size_t i, n = ci->n - 1, k;

	if (ci->n < 2)
		return 0;
	if ((d = malloc(n * sizeof *d)) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		d[i] = (int64_t)ci->time[i + 1] - (int64_t)ci->time[i];
	s->mean = ((double)ci->time[n] - (double)ci->time[0]) / (double)n;
	qsort(d, n, sizeof *d, cmp_i64);
	s->median = n % 2 ? (double)d[n / 2] : ((double)d[n / 2 - 1] + (double)d[n / 2]) / 2;
	free(d);
	k = s->period_blocks && s->period_blocks < n ? s->period_blocks : n;
	s->period_mean = ((double)ci->time[n] - (double)ci->time[n - k]) / (double)k;
	return 0;
}

/* Work over time of the last blocks, as getnetworkhashps reckons it. */
static void
hashrate(const struct chaininfo *ci, struct chain_stats *s)
{
	size_t n = ci->n - 1, k = n < HASHRATE_BLOCKS ? n : HASHRATE_BLOCKS, i;
	int64_t span;
	double work = 0;
	u256 t, w;

	s->hashrate_blocks = (uint32_t)k;
	if (k == 0 || (span = (int64_t)ci->time[n] - (int64_t)ci->time[n - k]) <= 0)
		return;
	for (i = n - k + 1; i <= n; i++) {
		if (compact_decode(ci->bits[i], &t) != 0)
			return;
		u256_work(&w, &t);
		work += u256_double(&w);
	}
	s->hashrate = work / (double)span;
	s->have_hashrate = 1;
}

/* The next retarget, its bits extrapolated from the window's pace so far. */
static void
next_retarget(const struct chaininfo *ci, const struct chain *c, struct chain_stats *s)
{
	uint32_t r = c->p.retarget, tip = c->height, first, fi;
	uint64_t next;
	int64_t elapsed, est;

	s->retarget_height = -1;
	if (r == 0 || c->p.spacing == 0)
		return;
	next = ((uint64_t)tip / r + 1) * r;
	s->retarget_height = (int64_t)next;
	s->retarget_in = (uint32_t)(next - tip);
	first = (uint32_t)(next - r);
	fi = first < ci->first ? 0 : first - ci->first;
	elapsed = (int64_t)ci->time[ci->n - 1] - (int64_t)ci->time[fi];
	est = ci->n - 1 > fi ? elapsed * (int64_t)(r - 1) / (int64_t)(ci->n - 1 - fi) :
	    (int64_t)r * c->p.spacing;
	s->retarget_bits = params_retarget(&c->p, &c->powlimit, c->tip_bits, est);
}

static void
scheduled(const struct chain *c, struct chain_stats *s)
{
	const struct params *p = c->o.bitcoin ? &bitcoin_params : &c->p;
	uint64_t h = c->o.bitcoin ? 0 : 1, end = (uint64_t)c->height + 1, step;

	memset(&s->scheduled, 0, sizeof s->scheduled);
	while (h < end) {
		uint64_t v = chain_subsidy(p, (uint32_t)h);
		u256 add = {{0, 0, 0, 0}};
		unsigned __int128 m;

		step = p->halving ? ((h / p->halving + 1) * p->halving) - h : end - h;
		if (step > end - h)
			step = end - h;
		if (v == 0)
			break;
		m = (unsigned __int128)v * step;
		add.w[0] = (uint64_t)m;
		add.w[1] = (uint64_t)(m >> 64);
		u256_add(&s->scheduled, &s->scheduled, &add);
		h += step;
	}
}

int
chaininfo_stats(const struct chaininfo *ci, const struct chain *c, struct chain_stats *s)
{
	memset(s, 0, sizeof *s);
	s->period_blocks = c->p.retarget;
	if (ci->n == 0)
		return 0;
	if (intervals(ci, s) != 0)
		return -1;
	hashrate(ci, s);
	next_retarget(ci, c, s);
	scheduled(c, s);
	return 0;
}
