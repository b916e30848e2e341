/* test-pool: jobs of random sizes through a pool; every item is run once and its result seen */
/*
 * Usage: test-pool HELPERS JOBS SEED
 * Each job's items count their runs and leave a value the caller checks
 * after pool_take; some jobs are ended before all their items are taken.
 * Prints "items N runs N taken N extra N": runs is items run in all (taken
 * ones once each, plus those helpers ran ahead of an early end).
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "pool.h"

#define MAXN 2000

struct job {
	atomic_int runs[MAXN];
	unsigned long val[MAXN];
	unsigned spin[MAXN];
};

static void
item(void *arg, size_t i)
{
	struct job *j = arg;
	unsigned long v = i;
	unsigned k;

	for (k = 0; k < j->spin[i]; k++)	/* uneven work, so that the two sides meet anywhere */
		v = v * 6364136223846793005UL + 1442695040888963407UL;
	j->val[i] = v;
	atomic_fetch_add(&j->runs[i], 1);
}

static unsigned long
expect(const struct job *j, size_t i)
{
	unsigned long v = i;
	unsigned k;

	for (k = 0; k < j->spin[i]; k++)
		v = v * 6364136223846793005UL + 1442695040888963407UL;
	return v;
}

int
main(int argc, char *argv[])
{
	static struct job j;
	struct pool *p;
	struct bu_err e;
	unsigned long jobs, r, items = 0, runs = 0, taken = 0, extra = 0;
	size_t n, take, i;

	if (argc != 4)
		return 2;
	if ((p = pool_new((unsigned)atoi(argv[1]), &e)) == NULL) {
		bu_report(&e);
		return 3;
	}
	jobs = strtoul(argv[2], NULL, 10);
	srand((unsigned)strtoul(argv[3], NULL, 10));
	for (r = 0; r < jobs; r++) {
		n = (size_t)rand() % MAXN;
		take = rand() % 4 == 0 ? (n ? (size_t)rand() % n : 0) : n;
		for (i = 0; i < n; i++) {
			atomic_init(&j.runs[i], 0);
			j.spin[i] = (unsigned)(rand() % 8 == 0 ? rand() % 20000 : rand() % 200);
		}
		pool_begin(p, n, item, &j);
		for (i = 0; i < take; i++) {
			pool_take(p, i);
			if (atomic_load(&j.runs[i]) != 1 || j.val[i] != expect(&j, i)) {
				printf("job %lu item %zu: runs %d, value %s\n", r, i,
				    atomic_load(&j.runs[i]), j.val[i] == expect(&j, i) ? "right" : "wrong");
				return 1;
			}
		}
		pool_end(p);
		for (i = 0; i < n; i++) {
			int k = atomic_load(&j.runs[i]);

			if (k > 1 || (i < take && k != 1)) {
				printf("job %lu item %zu: run %d times\n", r, i, k);
				return 1;
			}
			runs += (unsigned long)k;
			extra += i >= take ? (unsigned long)k : 0;
		}
		items += n;
		taken += take;
	}
	pool_free(p);
	printf("items %lu runs %lu taken %lu extra %lu\n", items, runs, taken, extra);
	return 0;
}
