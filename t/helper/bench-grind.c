/* bench-grind: hashes per second of each grind kernel, against OpenSSL's SHA-256 */
#include <err.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "grind.h"

#define CHUNK	(1u << 18)

struct worker {
	pthread_t tid;
	const struct grind_kernel *k;
	struct grind_job job;
	uint32_t first;
	double seconds;
	double cpu;
	uint64_t done;
};

/* Hashes per second: on the wall clock, and per second of CPU the threads got. */
struct rates {
	double wall, cpu;
	double share;	/* CPU time the threads got / (wall time x threads) */
};

static double
clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
now(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

/* A target nothing meets, so every nonce of a range is tried. */
static void
bench_job(struct grind_job *job, uint32_t salt)
{
	unsigned char header[80], target[32];

	for (int i = 0; i < 80; i++)
		header[i] = (unsigned char)(i * 37 + salt);
	memset(target, 0, sizeof target);
	grind_prepare(job, header, target);
}

static void *
work(void *arg)
{
	struct worker *w = arg;
	double end = now() + w->seconds;
	uint32_t found, n = w->first;

	do {
		if (w->k->scan(&w->job, n, 1, CHUNK, &found))
			n = found;
		n += CHUNK;
		w->done += CHUNK;
	} while (now() < end);
	w->cpu = clock_s(CLOCK_THREAD_CPUTIME_ID);
	return NULL;
}

/* Hashes per second of kernel k on nthreads threads. */
static struct rates
rate(const struct grind_kernel *k, int nthreads, double seconds)
{
	struct worker *w = calloc((size_t)nthreads, sizeof *w);
	uint64_t total = 0;
	double t0, t, cpu = 0;
	struct rates r;

	if (w == NULL)
		err(3, "calloc");
	t0 = now();
	for (int i = 0; i < nthreads; i++) {
		w[i].k = k;
		w[i].seconds = seconds;
		w[i].first = (uint32_t)i << 28;
		bench_job(&w[i].job, (uint32_t)i);
		if ((errno = pthread_create(&w[i].tid, NULL, work, &w[i])) != 0)
			err(3, "pthread_create");
	}
	for (int i = 0; i < nthreads; i++) {
		pthread_join(w[i].tid, NULL);
		total += w[i].done;
		cpu += w[i].cpu;
	}
	t = now() - t0;
	free(w);
	r.wall = total / t;
	r.cpu = total / cpu;
	r.share = cpu / (t * nthreads);
	return r;
}

/* SHA-256 compressions per second through EVP, hashing a large buffer. */
static double
openssl_rate(double seconds)
{
	size_t len = 1 << 24;
	unsigned char *buf = calloc(1, len), md[32];
	uint64_t bytes = 0;
	double t0 = now(), t;

	if (buf == NULL)
		err(3, "calloc");
	do {
		if (!EVP_Digest(buf, len, md, NULL, EVP_sha256(), NULL))
			errx(3, "EVP_Digest failed");
		bytes += len;
	} while ((t = now() - t0) < seconds);
	free(buf);
	return bytes / t / 64;
}

static void
usage(void)
{
	fprintf(stderr, "usage: bench-grind [-o] [-k kernel] [-t seconds]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	const struct grind_kernel *const *ks = grind_kernels();
	const char *only = NULL;
	double seconds = 1.5, comp;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int c, baseline = 0;

	while ((c = getopt(argc, argv, "ok:t:")) != -1) {
		if (c == 'o')
			baseline = 1;
		else if (c == 'k')
			only = optarg;
		else if (c == 't' && (seconds = atof(optarg)) > 0)
			continue;
		else
			usage();
	}
	if (ncpu < 1)
		ncpu = 1;
	if (only != NULL && grind_find(only) == NULL)
		errx(2, "%s: unknown kernel", only);
	comp = openssl_rate(seconds);
	if (baseline) {		/* -o: the compression rate alone, for other benches */
		printf("%.0f\n", comp);
		return 0;
	}
	printf("openssl sha256: %.1f M compressions/s (one thread), %.2f M double hashes/s at that rate\n",
	    comp / 1e6, comp / 2e6);
	printf("%-8s %8s %8s %8s %12s %8s %6s %10s\n", "kernel", "MH/s 1t", "per cpu-s",
	    "vs ossl", "MH/s all", "scaling", "got", "per cpu-s");
	for (; *ks != NULL; ks++) {
		const struct grind_kernel *k = *ks;
		struct rates one, all;

		if ((only != NULL && strcmp(only, k->name) != 0) || !k->supported())
			continue;
		one = rate(k, 1, seconds);
		all = rate(k, (int)ncpu, seconds);
		printf("%-8s %8.2f %9.2f %7.2fx %7.2f (%ldt) %7.3f %6.2f %10.3f\n", k->name,
		    one.wall / 1e6, one.cpu / 1e6, one.wall / (comp / 2),
		    all.wall / 1e6, ncpu, all.wall / (one.wall * ncpu), all.share,
		    all.cpu / one.cpu);
	}
	if (fflush(stdout) != 0 || ferror(stdout))
		err(3, "stdout");
	return 0;
}
