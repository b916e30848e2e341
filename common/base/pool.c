/* pool.c: helper threads that work ahead of the caller through a job's items (pool.h) */
#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

enum { ST_FREE, ST_BUSY, ST_DONE };

struct pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t *tid;
	unsigned nthr;
	atomic_int quit;
	atomic_ulong open;	/* the open job's number, 0 between jobs */
	atomic_uint active;	/* helpers inside a job */
	unsigned long gen;
	/* The job: written by the caller before open is set. */
	void (*fn)(void *, size_t);
	void *arg;
	int direct;		/* no room for the states: the caller runs every item */
	atomic_uchar *st;
	size_t stcap;
	size_t n;
	atomic_size_t next;	/* the next item a helper claims (the caller may have it) */
};

/* Claim item j and run it; 0 when someone else has it. */
static int
run_one(struct pool *p, size_t j)
{
	unsigned char want = ST_FREE;

	if (!atomic_compare_exchange_strong(&p->st[j], &want, ST_BUSY))
		return 0;
	p->fn(p->arg, j);
	atomic_store_explicit(&p->st[j], ST_DONE, memory_order_release);
	return 1;
}

static void
work(struct pool *p)
{
	size_t j;

	while ((j = atomic_fetch_add(&p->next, 1)) < p->n)
		run_one(p, j);	/* or the caller has taken it itself */
}

/*
 * The next job after last, or 0 to quit. A helper sleeps between jobs:
 * waking it costs less than its spinning beside the caller's other work.
 */
static unsigned long
next_job(struct pool *p, unsigned long last)
{
	unsigned long g = 0;

	pthread_mutex_lock(&p->mu);
	while (!atomic_load(&p->quit) && ((g = atomic_load(&p->open)) == 0 || g == last))
		pthread_cond_wait(&p->cv, &p->mu);
	pthread_mutex_unlock(&p->mu);
	return atomic_load(&p->quit) ? 0 : g;
}

static void *
helper_main(void *arg)
{
	struct pool *p = arg;
	unsigned long g, last = 0;

	while ((g = next_job(p, last)) != 0) {
		atomic_fetch_add(&p->active, 1);
		if (atomic_load(&p->open) == g)	/* not ended before this helper came in */
			work(p);
		atomic_fetch_sub(&p->active, 1);
		last = g;
	}
	return NULL;
}

void
pool_free(struct pool *p)
{
	unsigned i;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	atomic_store(&p->quit, 1);
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	for (i = 0; i < p->nthr; i++)
		pthread_join(p->tid[i], NULL);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	free(p->tid);
	free(p->st);
	free(p);
}

struct pool *
pool_new(unsigned helpers, struct bu_err *e)
{
	struct pool *p = calloc(1, sizeof *p);
	int err;

	if (p == NULL || (helpers > 0 && (p->tid = calloc(helpers, sizeof *p->tid)) == NULL)) {
		free(p);
		bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
		return NULL;
	}
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	for (; p->nthr < helpers; p->nthr++) {
		if ((err = pthread_create(&p->tid[p->nthr], NULL, helper_main, p)) != 0) {
			bu_fail(e, BU_EXIT_SYSTEM, "threads", "cannot start a thread: %s",
			    strerror(err));
			pool_free(p);
			return NULL;
		}
	}
	return p;
}

unsigned
pool_helpers(const struct pool *p)
{
	return p->nthr;
}

void
pool_begin(struct pool *p, size_t n, void (*fn)(void *, size_t), void *arg)
{
	size_t i;

	p->fn = fn;
	p->arg = arg;
	p->direct = p->nthr == 0;
	if (!p->direct && n > p->stcap) {
		atomic_uchar *st = realloc(p->st, n * sizeof *st);

		if (st == NULL) {
			p->direct = 1;
		} else {
			p->st = st;
			p->stcap = n;
		}
	}
	if (p->direct)
		return;
	for (i = 0; i < n; i++)
		atomic_init(&p->st[i], ST_FREE);
	p->n = n;
	atomic_store(&p->next, 0);
	if (++p->gen == 0)
		p->gen = 1;
	pthread_mutex_lock(&p->mu);	/* the helpers wait on cv between jobs */
	atomic_store(&p->open, p->gen);
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

void
pool_take(struct pool *p, size_t i)
{
	size_t j;

	if (p->direct) {
		p->fn(p->arg, i);
		return;
	}
	while (!run_one(p, i) && atomic_load_explicit(&p->st[i], memory_order_acquire) != ST_DONE)
		if ((j = atomic_fetch_add(&p->next, 1)) < p->n)
			run_one(p, j);	/* a helper has i: run a later one meanwhile */
}

void
pool_end(struct pool *p)
{
	if (p->direct)
		return;
	atomic_store(&p->open, 0);
	atomic_store(&p->next, p->n);
	while (atomic_load(&p->active) != 0)
		;	/* a helper finishes the item it holds */
}
