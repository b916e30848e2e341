/* test-hex: hex_decode's table and AVX2 paths against each other and against the rules */
#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hex.h"

static uint64_t seed = 0x5eed0010;
static unsigned long checks, failures;

static uint64_t
rnd(void)
{
	uint64_t z = (seed += 0x9e3779b97f4a7c15);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
	return z ^ (z >> 31);
}

static int
is_digit(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* Every path must agree with want (0 or -1) and, when 0, with bytes. */
static void
check(const char *s, size_t len, int want, const unsigned char *bytes, const char *what)
{
	static const char *const names[] = { "hex_decode", "table", "avx2" };
	unsigned char out[3][256];
	int rc[3];

	rc[0] = hex_decode(s, out[0], len);
	rc[1] = hex_decode_table(s, out[1], len);
	rc[2] = hex_decode_avx2(s, out[2], len);
	for (int i = 0; i < 3; i++) {
		if (rc[i] == -2)
			continue;
		checks++;
		if (rc[i] != want || (want == 0 && memcmp(out[i], bytes, len) != 0)) {
			failures++;
			warnx("%s: %s of %zu bytes: returned %d, want %d", names[i], what, len,
			    rc[i], want);
		}
	}
}

static void
encode(const unsigned char *b, size_t len, char *s)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		s[2 * i] = digits[b[i] >> 4];
		s[2 * i + 1] = digits[b[i] & 15];
	}
}

int
main(int argc, char **argv)
{
	static const size_t lens[] = { 1, 15, 16, 17, 40, 80 };
	unsigned char b[256];
	char s[512];

	for (size_t len = 0; len <= 200; len++) {
		for (int t = 0; t < 8; t++) {
			for (size_t i = 0; i < len; i++)
				b[i] = (unsigned char)rnd();
			encode(b, len, s);
			check(s, len, 0, b, "random bytes");
		}
	}
	for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++) {
		size_t len = lens[k];

		for (size_t i = 0; i < len; i++)
			b[i] = (unsigned char)rnd();
		encode(b, len, s);
		for (size_t pos = 0; pos < 2 * len; pos++) {
			char keep = s[pos];

			for (int c = 0; c < 256; c++) {
				s[pos] = (char)c;
				if ((unsigned char)c == (unsigned char)keep)
					check(s, len, 0, b, "one byte changed back");
				else if (!is_digit((unsigned char)c))
					check(s, len, -1, b, "one byte not a digit");
			}
			s[pos] = keep;
		}
	}
	printf("hex: %lu checks, %lu failed, avx2 %s\n", checks, failures,
	    hex_decode_avx2("", b, 0) == -2 ? "absent" : "present");
	if (fflush(stdout) != 0 || ferror(stdout))
		err(3, "stdout");
	return failures != 0;
}
