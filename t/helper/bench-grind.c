/*
 * bench-grind: each grind kernel's mining rate beside its lane limit (the rate
 * its compressions run at with nothing else to do, two a nonce), its batch
 * hash of headers, and OpenSSL's SHA-256, on one thread and on every core.
 *
 *	bench-grind [-t seconds] [-k kernel]	the table
 *	bench-grind -o [-t seconds]		OpenSSL's compressions per second, one thread
 *	bench-grind -L [-t seconds] [-j threads]
 *		the hashing limit of verify: headers per second the best kernel's
 *		hash80 reaches on threads threads (default: every core), its
 *		name, the CPU share the threads had and headers per CPU-second
 */
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

#define CHUNK	(1u << 18)	/* nonces a scan call */
#define NHDR	1024		/* headers a hash80 call */
#define NCOMP	4096		/* compress_n rounds a call */

enum { MINE, HASH80, LANES };

struct worker {
	pthread_t tid;
	const struct grind_kernel *k;
	int what;
	struct grind_job job;
	unsigned char *hdr, *out;
	uint32_t first, sink;
	double seconds, cpu;
	uint64_t done;		/* nonces, headers or compressions */
};

/* Per second: on the wall clock, and per second of CPU the threads got. */
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

static void
one_call(struct worker *w)
{
	uint32_t found;

	switch (w->what) {
	case MINE:
		if (w->k->scan(&w->job, w->first, 1, CHUNK, &found))
			w->first = found;
		w->first += CHUNK;
		w->done += CHUNK;
		break;
	case HASH80:
		w->k->hash80(w->hdr, NHDR, w->out);
		w->hdr[0] ^= w->out[0];
		w->done += NHDR;
		break;
	default:
		w->k->compress_n(NCOMP, &w->sink);
		w->done += (uint64_t)NCOMP * w->k->lanes;
	}
}

static void *
work(void *arg)
{
	struct worker *w = arg;
	double end = now() + w->seconds;

	do
		one_call(w);
	while (now() < end);
	w->cpu = clock_s(CLOCK_THREAD_CPUTIME_ID);
	return NULL;
}

static struct rates
rate(const struct grind_kernel *k, int what, int nthreads, double seconds)
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
		w[i].what = what;
		w[i].seconds = seconds;
		w[i].first = (uint32_t)i << 28;
		bench_job(&w[i].job, (uint32_t)i);
		if ((w[i].hdr = malloc(80 * NHDR)) == NULL || (w[i].out = malloc(32 * NHDR)) == NULL)
			err(3, "malloc");
		for (int j = 0; j < 80 * NHDR; j++)
			w[i].hdr[j] = (unsigned char)(j * 31 + i);
		if ((errno = pthread_create(&w[i].tid, NULL, work, &w[i])) != 0)
			err(3, "pthread_create");
	}
	for (int i = 0; i < nthreads; i++) {
		pthread_join(w[i].tid, NULL);
		total += w[i].done;
		cpu += w[i].cpu;
		free(w[i].hdr);
		free(w[i].out);
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
	fprintf(stderr, "usage: bench-grind [-o | -L [-j threads]] [-k kernel] [-t seconds]\n");
	exit(2);
}

/* One kernel: mining and its limit, hash80, on one thread and on ncpu. */
static void
row(const struct grind_kernel *k, int ncpu, double seconds)
{
	struct rates m1 = rate(k, MINE, 1, seconds), mn = rate(k, MINE, ncpu, seconds);
	struct rates l1 = rate(k, LANES, 1, seconds), ln = rate(k, LANES, ncpu, seconds);
	struct rates h1 = rate(k, HASH80, 1, seconds);

	printf("%-7s %7.2f %7.2f %6.3f  %8.2f %7.2f %6.3f %5.2f  %8.2f %6.3f\n", k->name,
	    m1.wall / 1e6, l1.wall / 2e6, m1.wall / (l1.wall / 2),
	    mn.wall / 1e6, ln.wall / 2e6, mn.wall / (ln.wall / 2), mn.share,
	    h1.wall / 1e6, h1.wall / (l1.wall / 3));
}

int
main(int argc, char **argv)
{
	const struct grind_kernel *const *ks = grind_kernels();
	const char *only = NULL;
	double seconds = 1.5, comp;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int c, mode = 0, threads = 0;

	while ((c = getopt(argc, argv, "oLj:k:t:")) != -1) {
		if (c == 'o' || c == 'L')
			mode = c;
		else if (c == 'k')
			only = optarg;
		else if (c == 'j' && (threads = atoi(optarg)) > 0)
			continue;
		else if (c == 't' && (seconds = atof(optarg)) > 0)
			continue;
		else
			usage();
	}
	if (ncpu < 1)
		ncpu = 1;
	if (only != NULL && grind_find(only) == NULL)
		errx(2, "%s: unknown kernel", only);
	if (mode == 'L') {	/* what verify's hashing alone reaches */
		const struct grind_kernel *k = only ? grind_find(only) : grind_best();
		struct rates h;

		if (k == NULL || !k->supported())
			errx(2, "no kernel");
		h = rate(k, HASH80, threads ? threads : (int)ncpu, seconds);
		printf("%.0f %s %.2f %.0f\n", h.wall, k->name, h.share, h.cpu);
		return fflush(stdout) == 0 ? 0 : 3;
	}
	comp = openssl_rate(seconds);
	if (mode == 'o') {	/* the compression rate alone, for other benches */
		printf("%.0f\n", comp);
		return 0;
	}
	printf("openssl sha256: %.1f M compressions/s (one thread)\n", comp / 1e6);
	printf("MH/s: mine's nonces; limit: the kernel's compressions with nothing else to do, / 2;\n"
	    "got: CPU share the threads had (1.00: idle cores); hash80: M headers/s, and\n"
	    "its fraction of the limit at 3 compressions a header\n");
	printf("%-7s %7s %7s %6s  %8s %7s %6s %5s  %8s %6s\n", "kernel", "MH/s 1t", "limit",
	    "frac", "MH/s all", "limit", "frac", "got", "hash80", "frac");
	for (; *ks != NULL; ks++) {
		if (only != NULL && strcmp(only, (*ks)->name) != 0)
			continue;
		if (!(*ks)->supported()) {
			printf("%-7s skipped: this CPU cannot run it\n", (*ks)->name);
			continue;
		}
		row(*ks, (int)ncpu, seconds);
	}
	printf("(%ld threads for \"all\")\n", ncpu);
	if (fflush(stdout) != 0 || ferror(stdout))
		err(3, "stdout");
	return 0;
}
