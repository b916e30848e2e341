/* walk.c: chain_walk over a pool of threads, batches of lines in a bounded ring */
#include "walk.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "btc.h"
#include "chainfile.h"
#include "grind.h"
#include "hex.h"
#include "lines.h"
#include "seal.h"

#define BATCH_LINES	1024
#define BATCH_BYTES	(1u << 20)	/* a batch closes after this much text, or one longer line */
#define FLIGHT_BYTES	(16u << 20)	/* no batch is read while this much text waits, unless none does */
#define SIG_CHUNK	8		/* signatures a thread takes at a time */
#define KEEP_TXS	4096		/* a slot's block keeps room for this many transactions */
#define SPIN_NS		50000		/* a thread with nothing to do watches this long before it sleeps */

enum { SLOT_FREE, SLOT_READING, SLOT_PARSING, SLOT_SIGS, SLOT_READY };
enum { FAIL_NONE, FAIL_PARSE, FAIL_MERKLE };

struct item {
	size_t off, len;	/* the line, in the batch's text */
	uint64_t lineno;
	int deferred;		/* a whole Bitcoin block: the checker parses it */
	int checked;		/* a raw header whose rules 1-4 a worker found to hold */
	int fast;		/* a raw header decoded straight into the batch's bytes */
	size_t sig0;		/* its transactions' entries in the batch's sig */
	struct block b;
};

struct task {
	size_t item, tx;
};

struct batch {
	int state;
	char *text;
	size_t tlen, tcap;
	struct item *it;
	size_t n, icap;
	unsigned char *hdr, *hash;	/* 80 and 32 bytes an item */
	uint32_t *time;		/* each item's header time, side by side for check_in_batch */
	size_t nparsed;		/* items before the first that failed, or all */
	int fail;		/* FAIL_*: how item nparsed failed */
	struct bu_err err;
	signed char *sig;	/* per transaction: chain_pre's sig */
	size_t nsig, sigcap;
	struct task *task;	/* the transfers, whose signatures any thread checks */
	size_t ntask, taskcap, task_next, task_done;
	int end;		/* the reader stopped after these lines */
	int end_rc;		/* lines_next's 0 (the end) or -1 */
	struct bu_err end_err;
	uint64_t end_lineno;
};

struct scratch {
	unsigned char (*ids)[32];
	size_t idcap;
	struct buf msg;
};

struct walker {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	atomic_uint news;	/* bumped at each change of state, for threads that spin */
	pthread_t *tid;
	unsigned started;
	int quit;
	const struct grind_kernel *k;
	struct batch *slot;
	unsigned nslot;
	struct scratch own;	/* the caller's thread's */
	/* One run; under mu except what the flags hand to one thread. */
	int active;
	struct chain *c;	/* the checker's */
	struct lines *r;	/* the reader's */
	const char *name;
	struct chain_opts o;
	struct chain rules;	/* c after its first block, for the workers' header rules */
	char idhex[65];
	uint64_t next_read, next_check;
	int reading, checking, eof, stop;
	unsigned busy;		/* threads working outside mu */
	size_t flight;		/* text in batches read and not yet checked */
	int rc;
	struct bu_err err;
	struct block db;	/* the checker's, for whole Bitcoin blocks */
	struct btc_block bb;
};

static int
grow(void *pp, size_t *cap, size_t need, size_t size)
{
	void **p = pp;
	size_t ncap = *cap ? *cap : 64;
	void *q;

	if (need <= *cap)
		return 0;
	while (ncap < need)
		ncap *= 2;
	if ((q = realloc(*p, ncap * size)) == NULL)
		return -1;
	*p = q;
	*cap = ncap;
	return 0;
}

/* Room for one more item; new items' blocks are initialized. */
static int
grow_items(struct batch *b)
{
	size_t cap = b->icap, i;
	void *p;

	if (b->n < b->icap)
		return 0;
	if (grow(&b->it, &cap, b->n + 1, sizeof *b->it) != 0)
		return -1;
	for (i = b->icap; i < cap; i++)
		block_init(&b->it[i].b);
	b->icap = cap;
	if ((p = realloc(b->hdr, 80 * cap)) == NULL)
		return -1;
	b->hdr = p;
	if ((p = realloc(b->hash, 32 * cap)) == NULL)
		return -1;
	b->hash = p;
	if ((p = realloc(b->time, sizeof *b->time * cap)) == NULL)
		return -1;
	b->time = p;
	return 0;
}

static void
read_batch(struct walker *w, struct batch *b)
{
	struct bu_err le;
	const char *line;
	size_t len;
	int got;

	b->tlen = b->n = 0;
	b->end = 0;
	bu_err_clear(&le);
	while (b->n < BATCH_LINES && b->tlen < BATCH_BYTES) {
		got = lines_next(w->r, &line, &len, &le);
		if (got > 0 && (grow(&b->text, &b->tcap, b->tlen + len, 1) != 0 ||
		    grow_items(b) != 0))
			got = bu_fail(&le, BU_EXIT_SYSTEM, "no-memory", "out of memory");
		if (got <= 0) {
			b->end = 1;
			b->end_rc = got;
			b->end_err = le;
			b->end_lineno = w->r->lineno;
			return;
		}
		memcpy(b->text + b->tlen, line, len);
		b->it[b->n].off = b->tlen;
		b->it[b->n].len = len;
		b->it[b->n].lineno = w->r->lineno;
		b->n++;
		b->tlen += len;
	}
}

/*
 * A signature entry for each transaction of item i, and a task for each
 * transfer; on a permissioned chain one for the seal too (entry 0, the coinbase's).
 */
static int
add_sigs(struct batch *b, size_t i, int sealed)
{
	const struct block *blk = &b->it[i].b;
	size_t j;

	b->it[i].sig0 = b->nsig;
	if (grow(&b->sig, &b->sigcap, b->nsig + blk->ntx, 1) != 0)
		return -1;
	for (j = 0; j < blk->ntx; j++) {
		b->sig[b->nsig + j] = -1;
		if (blk->txs[j].kind != TX_TRANSFER && !(j == 0 && sealed &&
		    blk->txs[0].kind == TX_COINBASE && blk->txs[0].u.cb.extra.n == SEAL_HEX))
			continue;
		if (grow(&b->task, &b->taskcap, b->ntask + 1, sizeof *b->task) != 0)
			return -1;
		b->task[b->ntask].item = i;
		b->task[b->ntask++].tx = j;
	}
	b->nsig += blk->ntx;
	return 0;
}

/* One line: a raw header's hex straight into the batch's header bytes, else the parser. */
static int
parse_item(struct walker *w, struct batch *b, size_t i, struct scratch *s)
{
	struct item *it = &b->it[i];
	const char *line = b->text + it->off;
	unsigned char *hdr = b->hdr + 80 * i;
	int rc;

	it->deferred = 0;
	it->checked = 0;
	it->sig0 = b->nsig;
	if ((it->fast = (w->o.bitcoin || w->o.headers_only) && it->len == 160 &&
	    hex_decode(line, hdr, 80) == 0)) {
		it->b.raw = 1;
		it->b.ntx = 0;
		it->b.btc = NULL;
		return 0;
	}
	rc = chain_parse_line(&w->o, 0, &it->b, NULL, line, it->len, &b->err);
	if (rc == 1) {
		it->deferred = 1;
		memset(hdr, 0, 80);
		return 0;
	}
	if (rc != 0)
		return FAIL_PARSE;
	header_bytes(hdr, &it->b.h);
	if (it->b.raw)
		return 0;
	if (block_check_merkle(&it->b, &s->ids, &s->idcap, &b->err) != 0)
		return FAIL_MERKLE;
	if (!w->o.headers_only && add_sigs(b, i, chain_permissioned(&w->rules)) != 0)
		return bu_fail(&b->err, BU_EXIT_SYSTEM, "no-memory", "out of memory"), FAIL_PARSE;
	return 0;
}

/*
 * Rules 1-4 of raw header i against the eleven before it in the batch: the
 * context the chain will have then, unless it is at a retarget height
 * (whose bits need a block from long before). 1 when they hold.
 */
static int
check_in_batch(const struct walker *w, const struct batch *b, size_t i)
{
	const struct chain *c = &w->rules;
	const struct item *it = &b->it[i];
	uint64_t height = (c->o.sliced ? c->o.start_height : 0) + it->lineno - 1;
	struct bu_err e;
	struct hctx x;
	u256 target;
	size_t j;

	if (i < MTP_SPAN || !it->b.raw || it->b.btc != NULL || b->it[i - 1].deferred ||
	    height >= UINT32_MAX || (c->p.retarget != 0 && height % c->p.retarget == 0))
		return 0;
	x.height = (uint32_t)height;
	memcpy(x.prev, b->hash + 32 * (i - 1), 32);
	x.prev_bits = b->it[i - 1].b.h.bits;
	x.prev_time = b->it[i - 1].b.h.time;
	for (j = 0; j < MTP_SPAN; j++)	/* 0: a deferred item (or a time of 0): the long way */
		if ((x.times[j] = b->time[i - MTP_SPAN + j]) == 0)
			return 0;
	x.ntimes = MTP_SPAN;
	x.have_first = 0;
	x.first_time = 0;
	return chain_check_header(c, &x, &it->b, b->hash + 32 * i, &target, &e) == 0;
}

/* Everything of a batch that needs nothing of the chain below it, but the signatures. */
static void
parse_batch(struct walker *w, struct batch *b, struct scratch *s)
{
	size_t i;

	b->fail = FAIL_NONE;
	b->nsig = b->ntask = b->task_next = b->task_done = 0;
	for (i = 0; i < b->n; i++)
		if ((b->fail = parse_item(w, b, i, s)) != FAIL_NONE)
			break;
	b->nparsed = i;
	w->k->hash80(b->hdr, i + (b->fail == FAIL_MERKLE), b->hash);
	for (i = 0; i < b->nparsed; i++) {	/* after the hashing: the decoder's stores are done */
		if (b->it[i].fast)
			header_from_bytes(&b->it[i].b.h, b->hdr + 80 * i);
		b->time[i] = b->it[i].deferred ? 0 : b->it[i].b.h.time;
	}
	for (i = 0; i < b->nparsed; i++)	/* the checker goes over a failure the long way */
		if (!(b->it[i].checked = check_in_batch(w, b, i)) && i >= MTP_SPAN && b->it[i].b.raw)
			break;
}

static void
check_sigs(struct walker *w, struct batch *b, size_t from, size_t to, struct scratch *s)
{
	size_t k;

	for (k = from; k < to; k++) {
		const struct task *t = &b->task[k];
		const struct item *it = &b->it[t->item];
		int rc = t->tx == 0 ? seal_check(w->idhex, &it->b, &s->ids, &s->idcap) :
		    transfer_sig_check(w->idhex, &it->b.txs[t->tx], &s->msg);

		b->sig[it->sig0 + t->tx] = (signed char)(rc == 0 ? 1 : rc == -1 ? 0 : -1);
	}
}

/* A whole Bitcoin block, parsed and checked as chain_walk does. */
static int
check_deferred(struct walker *w, const char *line, size_t len, struct bu_err *e)
{
	struct chain *c = w->c;

	return chain_parse_line(&c->o, c->empty, &w->db, &w->bb, line, len, e) != 0 ||
	    chain_accept(c, &w->db, len, e) != 0 ? -1 : 0;
}

/* The rules that need the chain below, item by item in order; then the reader's end. */
static int
check_batch(struct walker *w, struct batch *b, struct bu_err *e)
{
	struct chain *c = w->c;
	struct chain_pre pre;
	size_t i;
	int rc;

	for (i = 0; i < b->n; i++) {
		const struct item *it = &b->it[i];

		if (i == b->nparsed && b->fail == FAIL_PARSE) {
			*e = b->err;
			return chain_error_at(e, w->name, it->lineno, c);
		}
		if (it->deferred) {
			rc = check_deferred(w, b->text + it->off, it->len, e);
		} else if (it->checked) {
			rc = chain_advance_header(c, &it->b, b->hash + 32 * i, e);
		} else {
			memcpy(pre.hash, b->hash + 32 * i, 32);
			pre.merkle = i == b->nparsed && b->fail == FAIL_MERKLE ? &b->err : NULL;
			pre.sig = it->b.raw || w->o.headers_only ? NULL : b->sig + it->sig0;
			rc = chain_accept_pre(c, &it->b, it->len, &pre, e);
		}
		if (rc != 0)
			return chain_error_at(e, w->name, it->lineno, c);
	}
	if (!b->end || b->end_rc == 0)
		return 0;
	*e = b->end_err;
	if (e->code == BU_EXIT_SYSTEM) {
		e->file = w->name;
		return -1;
	}
	return chain_error_at(e, w->name, b->end_lineno, c);
}

/* Give back what one very long line made a slot hold. */
static void
trim(struct batch *b)
{
	size_t i;

	if (b->tcap > 2 * BATCH_BYTES) {
		free(b->text);
		b->text = NULL;
		b->tcap = 0;
	}
	for (i = 0; i < b->n; i++) {
		if (b->it[i].b.cap > KEEP_TXS) {
			block_free(&b->it[i].b);
			block_init(&b->it[i].b);
		}
	}
	if (b->sigcap > 64 * KEEP_TXS) {
		free(b->sig);
		free(b->task);
		b->sig = NULL;
		b->task = NULL;
		b->sigcap = b->taskcap = 0;
	}
}

/* With mu held: tell the threads that watch or sleep that something changed. */
static void
wake(struct walker *w)
{
	atomic_fetch_add(&w->news, 1);
	pthread_cond_broadcast(&w->cv);
}

static int
step_check(struct walker *w)
{
	struct batch *b = &w->slot[w->next_check % w->nslot];
	struct bu_err e;
	int rc;

	if (w->checking || w->next_check == w->next_read || b->state != SLOT_READY)
		return 0;
	w->checking = 1;
	w->busy++;
	pthread_mutex_unlock(&w->mu);
	rc = check_batch(w, b, &e);
	trim(b);
	pthread_mutex_lock(&w->mu);
	w->busy--;
	w->checking = 0;
	w->next_check++;
	w->flight -= b->tlen;
	b->state = SLOT_FREE;
	if (rc != 0 || b->end) {
		w->stop = 1;
		w->rc = rc;
		if (rc != 0)
			w->err = e;
	}
	return 1;
}

static int
step_sigs(struct walker *w, struct scratch *s)
{
	uint64_t q;

	for (q = w->next_check; q < w->next_read; q++) {
		struct batch *b = &w->slot[q % w->nslot];
		size_t from, to;

		if (b->state != SLOT_SIGS || b->task_next == b->ntask)
			continue;
		from = b->task_next;
		to = b->ntask - from < SIG_CHUNK ? b->ntask : from + SIG_CHUNK;
		b->task_next = to;
		w->busy++;
		pthread_mutex_unlock(&w->mu);
		check_sigs(w, b, from, to, s);
		pthread_mutex_lock(&w->mu);
		w->busy--;
		b->task_done += to - from;
		if (b->task_done == b->ntask)
			b->state = SLOT_READY;
		return 1;
	}
	return 0;
}

static int
step_read(struct walker *w, struct scratch *s)
{
	struct batch *b = &w->slot[w->next_read % w->nslot];
	int stop;

	if (w->reading || w->eof || b->state != SLOT_FREE ||
	    (w->flight >= FLIGHT_BYTES && w->next_check != w->next_read))
		return 0;
	w->reading = 1;
	w->busy++;
	b->state = SLOT_READING;
	w->next_read++;
	pthread_mutex_unlock(&w->mu);
	read_batch(w, b);
	pthread_mutex_lock(&w->mu);
	w->reading = 0;
	w->flight += b->tlen;
	if (b->end)
		w->eof = 1;
	b->state = SLOT_PARSING;
	stop = w->stop;
	wake(w);
	pthread_mutex_unlock(&w->mu);
	if (!stop)
		parse_batch(w, b, s);
	pthread_mutex_lock(&w->mu);
	w->busy--;
	b->state = b->task_next < b->ntask ? SLOT_SIGS : SLOT_READY;
	return 1;
}

/* With mu held: do one piece of work, the oldest first; 0 when there is none now. */
static int
step(struct walker *w, struct scratch *s)
{
	int did;

	if (!w->active || w->stop)
		return 0;
	did = step_check(w) || step_sigs(w, s) || step_read(w, s);
	if (did)
		wake(w);
	return did;
}

static long long
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * With mu held and nothing to do: watch for news a while before sleeping,
 * since waking a sleeping thread costs more than a batch's parsing.
 */
static void
idle(struct walker *w)
{
	unsigned seen = atomic_load(&w->news);
	long long until = now_ns() + SPIN_NS;

	pthread_mutex_unlock(&w->mu);
	for (unsigned k = 0; atomic_load(&w->news) == seen && (++k % 64 != 0 || now_ns() < until);)
		;
	pthread_mutex_lock(&w->mu);
	if (atomic_load(&w->news) == seen)
		pthread_cond_wait(&w->cv, &w->mu);
}

static void *
pool_main(void *arg)
{
	struct walker *w = arg;
	struct scratch s = { 0 };

	pthread_mutex_lock(&w->mu);
	while (!w->quit)
		if (!step(w, &s)) {
			if (w->active && !w->stop)
				idle(w);
			else
				pthread_cond_wait(&w->cv, &w->mu);
		}
	pthread_mutex_unlock(&w->mu);
	free(s.ids);
	buf_free(&s.msg);
	return NULL;
}

static int
first_only(void *arg, const struct block *b, const char *line, size_t len,
    const struct lines *r)
{
	return 2;
}

/* The lines after the first, through the pool. */
static int
run_pool(struct walker *w, struct chain *c, struct lines *r, struct bu_err *e)
{
	unsigned i;
	int rc;

	r->limit = chain_line_limit(c);
	pthread_mutex_lock(&w->mu);
	w->c = c;
	w->r = r;
	w->name = r->name;
	w->o = c->o;
	w->rules = *c;
	memcpy(w->idhex, c->idhex, sizeof w->idhex);
	w->next_read = w->next_check = 0;
	w->reading = w->checking = w->eof = w->stop = 0;
	w->busy = 0;
	w->flight = 0;
	w->rc = 0;
	w->active = 1;
	wake(w);
	while (!w->stop || w->busy > 0)
		if (!step(w, &w->own))
			idle(w);
	w->active = 0;
	for (i = 0; i < w->nslot; i++)
		w->slot[i].state = SLOT_FREE;
	rc = w->rc;
	if (rc != 0)
		*e = w->err;
	pthread_mutex_unlock(&w->mu);
	return rc;
}

int
walker_run(struct walker *w, struct chain *c, const char *path, struct bu_err *e)
{
	struct lines r;
	int rc;

	if (lines_open(&r, path, MAXBLOCK_LIMIT, e) != 0)
		return -1;
	rc = chain_walk_lines(c, &r, first_only, NULL, e);
	if (rc == 2)
		rc = run_pool(w, c, &r, e);
	lines_close(&r);
	return rc;
}

static void
free_slots(struct walker *w)
{
	unsigned i;
	size_t j;

	for (i = 0; i < w->nslot; i++) {
		struct batch *b = &w->slot[i];

		for (j = 0; j < b->icap; j++)
			block_free(&b->it[j].b);
		free(b->it);
		free(b->text);
		free(b->hdr);
		free(b->hash);
		free(b->time);
		free(b->sig);
		free(b->task);
	}
	free(w->slot);
}

void
walker_free(struct walker *w)
{
	unsigned i;

	if (w == NULL)
		return;
	pthread_mutex_lock(&w->mu);
	w->quit = 1;
	wake(w);
	pthread_mutex_unlock(&w->mu);
	for (i = 0; i < w->started; i++)
		pthread_join(w->tid[i], NULL);
	free(w->tid);
	free_slots(w);
	free(w->own.ids);
	buf_free(&w->own.msg);
	w->db.btc = NULL;
	block_free(&w->db);
	btc_block_free(&w->bb);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	free(w);
}

struct walker *
walker_new(unsigned threads, const struct grind_kernel *k, struct bu_err *e)
{
	struct walker *w = calloc(1, sizeof *w);
	int err;

	if (threads < 1)
		threads = 1;
	if (w == NULL || (w->tid = calloc(threads, sizeof *w->tid)) == NULL ||
	    (w->slot = calloc(2 * threads + 2, sizeof *w->slot)) == NULL) {
		if (w != NULL)
			free(w->tid);
		free(w);
		bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
		return NULL;
	}
	w->nslot = 2 * threads + 2;
	w->k = k;
	block_init(&w->db);
	btc_block_init(&w->bb);
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	for (; w->started + 1 < threads; w->started++) {
		if ((err = pthread_create(&w->tid[w->started], NULL, pool_main, w)) != 0) {
			bu_fail(e, BU_EXIT_SYSTEM, "threads", "cannot start a thread: %s",
			    strerror(err));
			walker_free(w);
			return NULL;
		}
	}
	return w;
}
