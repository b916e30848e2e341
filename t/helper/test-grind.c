/* test-grind: check grind kernels against libcrypto's double SHA-256, nonce by nonce and in batches */
#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/sha.h>

#include "bu.h"
#include "grind.h"

static uint64_t seed = 0x5eed0500;
static unsigned long failures, checks;

static uint64_t
rnd(void)
{
	uint64_t z = (seed += 0x9e3779b97f4a7c15);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
	return z ^ (z >> 31);
}

static void
put_nonce(unsigned char h[80], uint32_t n)
{
	for (int i = 0; i < 4; i++)
		h[76 + i] = (unsigned char)(n >> (8 * i));
}

static uint32_t
get_le32(const unsigned char *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static void
hash_nonce(const unsigned char header[80], uint32_t n, unsigned char out[32])
{
	unsigned char h[80], once[32];

	memcpy(h, header, 80);
	put_nonce(h, n);
	SHA256(h, 80, once);
	SHA256(once, 32, out);
}

/* hash <= target, both little-endian 256-bit numbers */
static int
le_leq(const unsigned char hash[32], const unsigned char target[32])
{
	for (int i = 31; i >= 0; i--)
		if (hash[i] != target[i])
			return hash[i] < target[i];
	return 1;
}

static int
ref_scan(const unsigned char header[80], const unsigned char target[32],
    uint32_t first, uint32_t step, uint32_t count, uint32_t *found)
{
	unsigned char hash[32];
	uint32_t n = first;

	for (uint32_t i = 0; i < count; i++, n += step) {
		hash_nonce(header, n, hash);
		if (le_leq(hash, target)) {
			*found = n;
			return 1;
		}
	}
	return 0;
}

/* Scan with kernel k and with libcrypto; complain if they differ. Returns hit. */
static int
compare(const struct grind_kernel *k, const unsigned char header[80],
    const unsigned char target[32], uint32_t first, uint32_t step, uint32_t count)
{
	struct grind_job job;
	uint32_t got = 0, want = 0;
	int hit, want_hit;

	grind_prepare(&job, header, target);
	hit = k->scan(&job, first, step, count, &got);
	want_hit = ref_scan(header, target, first, step, count, &want);
	checks++;
	if (hit != want_hit || (hit && got != want)) {
		failures++;
		warnx("%s: first %08x step %08x count %u: got %s %08x, want %s %08x",
		    k->name, first, step, count, hit ? "hit" : "none", got,
		    want_hit ? "hit" : "none", want);
	}
	return want_hit;
}

/* A target that about one hash in 2^bits meets. */
static void
easy_target(unsigned char t[32], int bits)
{
	memset(t, 0xff, 32);
	for (int b = 0; b < bits; b++)
		t[31 - b / 8] &= (unsigned char)~(0x80 >> (b % 8));
}

static void
random_header(unsigned char h[80])
{
	for (int i = 0; i < 80; i += 8) {
		uint64_t r = rnd();

		memcpy(h + i, &r, 8);
	}
}

static void
test_random(const struct grind_kernel *k)
{
	unsigned char h[80], t[32];
	static const uint32_t counts[] = { 1, 2, 7, 15, 16, 17, 31, 33, 63, 64, 65, 100, 257 };

	for (int i = 0; i < 40; i++) {
		random_header(h);
		easy_target(t, 1 + i % 9);
		for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
			uint32_t step = i % 3 == 0 ? 1 : (uint32_t)rnd();

			compare(k, h, t, (uint32_t)rnd(), step, counts[c]);
		}
	}
}

static void
test_edges(const struct grind_kernel *k)
{
	unsigned char h[80], t[32];

	random_header(h);
	easy_target(t, 6);
	for (uint32_t c = 1; c <= 70; c++)
		compare(k, h, t, 0xffffffff - c / 2, 1, c);
	compare(k, h, t, 0xfffffff0, 1, 300);
	compare(k, h, t, 0xfffffff0, 3, 300);
	compare(k, h, t, 5, 0xfffffffd, 300);
	compare(k, h, t, 77, 0, 20);
	easy_target(t, 14);
	compare(k, h, t, 0xffffff00, 1, 5000);
	memset(t, 0xff, 32);
	compare(k, h, t, 0xfffffffe, 1, 4);
	memset(t, 0, 32);
	compare(k, h, t, 0xfffffffe, 1, 100);
}

/* Targets equal to one nonce's hash, and one below it: the exact comparison. */
static void
test_exact(const struct grind_kernel *k)
{
	unsigned char h[80], t[32];

	for (int i = 0; i < 20; i++) {
		uint32_t n = (uint32_t)rnd();

		random_header(h);
		hash_nonce(h, n, t);
		if (!compare(k, h, t, n, 1, 1))
			warnx("%s: nonce %08x misses its own hash", k->name, n);
		for (int b = 0; b < 32 && t[b]-- == 0; b++)
			;
		compare(k, h, t, n, 1, 1);
		compare(k, h, t, n - 20, 1, 41);
	}
}

/* compact "bits" to a little-endian target; 0 if it is not a valid one */
static int
compact_target(uint32_t bits, unsigned char t[32])
{
	uint32_t mant = bits & 0x007fffff;
	int exp = (int)(bits >> 24);

	memset(t, 0, 32);
	if (bits & 0x00800000 || exp < 3 || exp > 32)
		return 0;
	for (int i = 0; i < 3; i++)
		if (exp - 3 + i < 32)
			t[exp - 3 + i] = (unsigned char)(mant >> (8 * i));
	return 1;
}

static void
test_mainnet_header(const struct grind_kernel *k, const unsigned char h[80],
    const char *where)
{
	unsigned char t[32], hash[32];
	uint32_t n = get_le32(h + 76), found = 0;
	struct grind_job job;

	if (!compact_target(get_le32(h + 72), t))
		errx(1, "%s: bad bits", where);
	hash_nonce(h, n, hash);
	if (!le_leq(hash, t))
		errx(1, "%s: header does not meet its own target", where);
	grind_prepare(&job, h, t);
	checks++;
	if (!k->scan(&job, n - 1000, 1, 2001, &found) || found != n) {
		failures++;
		warnx("%s: %s: nonce %08x not found", k->name, where, n);
	}
	compare(k, h, t, n - 700 * 3, 3, 1401);
	compare(k, h, t, n + 1, 1, 300);
}

static void
test_mainnet(const struct grind_kernel *k, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[256], where[300];
	unsigned char h[80];
	int lineno = 0;

	if (f == NULL)
		err(1, "%s", path);
	while (fgets(line, sizeof line, f) != NULL) {
		lineno++;
		snprintf(where, sizeof where, "%s:%d", path, lineno);
		if (strlen(line) != 161 || bu_unhex(line, 160, h, 80) != 0)
			errx(1, "%s: not 160 hex digits", where);
		test_mainnet_header(k, h, where);
	}
	if (ferror(f) || fclose(f) != 0)
		err(1, "%s", path);
}

/* hash80 of n headers against libcrypto, header by header; the bytes after out[n] untouched. */
static void
compare80(const struct grind_kernel *k, const unsigned char *hdr, size_t n, const char *where)
{
	unsigned char *out = malloc(32 * n + 32), once[32], want[32];

	if (out == NULL)
		err(3, "malloc");
	memset(out, 0xa5, 32 * n + 32);
	k->hash80(hdr, n, out);
	checks++;
	for (size_t i = 0; i < n; i++) {
		SHA256(hdr + 80 * i, 80, once);
		SHA256(once, 32, want);
		if (memcmp(want, out + 32 * i, 32) != 0) {
			failures++;
			warnx("%s: hash80 of %zu headers (%s): header %zu differs", k->name, n, where, i);
			break;
		}
	}
	for (size_t i = 0; i < 32; i++)
		if (out[32 * n + i] != 0xa5) {
			failures++;
			warnx("%s: hash80 of %zu headers wrote past its end", k->name, n);
			break;
		}
	free(out);
}

/* Every count from 0 to past two groups of lanes, and one long batch. */
static void
test_batches(const struct grind_kernel *k)
{
	size_t most = 3 * (size_t)k->lanes + 300;
	unsigned char *h = malloc(80 * most);

	if (h == NULL)
		err(3, "malloc");
	for (size_t i = 0; i < most; i++)
		random_header(h + 80 * i);
	for (size_t n = 0; n <= 2 * (size_t)k->lanes + 3; n++)
		compare80(k, h, n, "random");
	compare80(k, h + 80, most - 1, "random");
	free(h);
}

static void
test_mainnet80(const struct grind_kernel *k, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[256];
	unsigned char *h = NULL;
	size_t n = 0, cap = 0;

	if (f == NULL)
		err(1, "%s", path);
	while (fgets(line, sizeof line, f) != NULL) {
		if (n == cap && (h = realloc(h, 80 * (cap = 2 * cap + 64))) == NULL)
			err(3, "realloc");
		if (strlen(line) != 161 || bu_unhex(line, 160, h + 80 * n++, 80) != 0)
			errx(1, "%s: not 160 hex digits", path);
	}
	if (ferror(f) || fclose(f) != 0)
		err(1, "%s", path);
	compare80(k, h, n, path);
	free(h);
}

static void
usage(void)
{
	fprintf(stderr, "usage: test-grind -l | -b | -k kernel [-s seed] [headers.hex ...]\n");
	exit(2);
}

static void
list(void)
{
	const struct grind_kernel *const *k = grind_kernels();

	for (; *k != NULL; k++)
		printf("%s %s\n", (*k)->name, (*k)->supported() ? "yes" : "no");
}

static void
best(void)
{
	const struct grind_kernel *k = grind_best();

	printf("%s\n", k != NULL ? k->name : "none");
}

static int
run(const char *name, char **files)
{
	const struct grind_kernel *k = grind_find(name);

	if (k == NULL)
		errx(2, "%s: unknown kernel", name);
	if (!k->supported())
		errx(3, "%s: not supported by this CPU", name);
	test_random(k);
	test_edges(k);
	test_exact(k);
	test_batches(k);
	for (; *files != NULL; files++) {
		test_mainnet(k, *files);
		test_mainnet80(k, *files);
	}
	printf("%s: %lu checks, %lu failed\n", k->name, checks, failures);
	return failures != 0;
}

int
main(int argc, char **argv)
{
	const char *kernel = NULL;
	int c, mode = 0;

	while ((c = getopt(argc, argv, "blk:s:")) != -1) {
		switch (c) {
		case 'b':
		case 'l':
			mode = c;
			break;
		case 'k':
			kernel = optarg;
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		default:
			usage();
		}
	}
	if (mode == 'l')
		list();
	else if (mode == 'b')
		best();
	else if (kernel != NULL)
		return run(kernel, argv + optind);
	else
		usage();
	if (fflush(stdout) != 0 || ferror(stdout))
		err(3, "stdout");
	return 0;
}
