/*
 * test-random: reproducible random input for tests, from a seed string.
 *
 *	test-random -c BYTES SEED	BYTES pseudo-random bytes on stdout
 *	test-random -n BELOW SEED	a number in [0, BELOW) and a newline
 *
 * The same SEED gives the same output on every machine (FNV-1a of the seed
 * into splitmix64); not for keys, only for replayable test inputs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t
next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
seed_of(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

static int
usage(void)
{
	fprintf(stderr, "usage: test-random -c bytes seed\n       test-random -n below seed\n");
	return 2;
}

int
main(int argc, char **argv)
{
	unsigned long long k;
	uint64_t s;
	char *end;

	if (argc != 4 || (strcmp(argv[1], "-c") != 0 && strcmp(argv[1], "-n") != 0))
		return usage();
	k = strtoull(argv[2], &end, 10);
	if (*argv[2] == '\0' || *end != '\0' || (argv[1][1] == 'n' && k == 0))
		return usage();
	s = seed_of(argv[3]);
	if (argv[1][1] == 'n') {
		printf("%llu\n", (unsigned long long)(next(&s) % k));
	} else {
		while (k > 0) {
			uint64_t r = next(&s);
			size_t w = k < 8 ? (size_t)k : 8;

			if (fwrite(&r, 1, w, stdout) != w)
				return 1;
			k -= w;
		}
	}
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
}
