/* bu.c: errors, strict number and hex codecs, whole writes, the clock */
#include "bu.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hex.h"

enum bu_class
bu_class_of(int code, const char *reason)
{
	static const struct { const char *reason; enum bu_class cls; } words[] = {
		{ "io", BU_C_IO }, { "bad-syntax", BU_C_MALFORMED },
		{ "bad-txns-sig", BU_C_FORGED }, { "time-too-new", BU_C_LATER },
		{ "bad-prevblk", BU_C_NOTTIP }, { "duplicate", BU_C_DUPLICATE },
		{ "truncated", BU_C_TRUNCATED },
	};
	size_t i;

	for (i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(reason, words[i].reason) == 0)
			return words[i].cls;
	switch (code) {
	case BU_EXIT_USAGE: return BU_C_USAGE;
	case BU_EXIT_NOTTIP: return BU_C_NOTTIP;
	case BU_EXIT_GAVEUP: return BU_C_GAVEUP;
	case BU_EXIT_INVALID: return BU_C_INVALID;
	default: return BU_C_SYSTEM;
	}
}

int
bu_vfail(struct bu_err *e, int code, const char *reason, const char *fmt, va_list ap)
{
	if (e == NULL)
		return -1;
	e->code = code;
	snprintf(e->reason, sizeof e->reason, "%s", reason);
	e->cls = bu_class_of(code, reason);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	e->file = NULL;
	e->line = 0;
	e->height = -1;
	return -1;
}

int
bu_fail(struct bu_err *e, int code, const char *reason, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = bu_vfail(e, code, reason, fmt, ap);
	va_end(ap);
	return rc;
}

const char *bu_progname = "blockutils";

void
bu_setprogname(const char *argv0)
{
	const char *s = strrchr(argv0, '/');

	bu_progname = s ? s + 1 : argv0;
}

void
bu_report(const struct bu_err *e)
{
	char where[300] = "", height[40] = "";

	if (e->file != NULL && e->line > 0)
		snprintf(where, sizeof where, "%s:%llu: ", e->file,
		    (unsigned long long)e->line);
	else if (e->file != NULL)
		snprintf(where, sizeof where, "%s: ", e->file);
	if (e->height >= 0)
		snprintf(height, sizeof height, "height %lld: ", (long long)e->height);
	if (e->code == BU_EXIT_SYSTEM || e->code == BU_EXIT_USAGE)
		fprintf(stderr, "%s: %s%s\n", bu_progname, where, e->msg);
	else
		fprintf(stderr, "%s: %s%s: %s%s\n", bu_progname, where, e->reason,
		    height, e->msg);
}

void
bu_err_clear(struct bu_err *e)
{
	e->code = 0;
	e->cls = BU_C_NONE;
	e->reason[0] = '\0';
	e->msg[0] = '\0';
	e->file = NULL;
	e->line = 0;
	e->height = -1;
}

int
bu_parse_u64(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (n == 0 || n > 20 || (n > 1 && s[0] == '0'))
		return -1;
	for (i = 0; i < n; i++) {
		unsigned d;

		if (s[i] < '0' || s[i] > '9')
			return -1;
		d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

int
bu_unhex(const char *s, size_t n, unsigned char *out, size_t len)
{
	if (n != 2 * len)
		return -1;
	return hex_decode(s, out, len);
}

void
bu_hex(char *out, const unsigned char *in, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * len] = '\0';
}

int
bu_unhex_rev(const char *s, size_t n, unsigned char out[32])
{
	unsigned char tmp[32];
	int i;

	if (bu_unhex(s, n, tmp, 32) != 0)
		return -1;
	for (i = 0; i < 32; i++)
		out[i] = tmp[31 - i];
	return 0;
}

void
bu_hex_rev(char out[65], const unsigned char in[32])
{
	unsigned char tmp[32];
	int i;

	for (i = 0; i < 32; i++)
		tmp[i] = in[31 - i];
	bu_hex(out, tmp, 32);
}

int
bu_equal_ct(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	unsigned char d = 0;
	size_t i;

	for (i = 0; i < n; i++)
		d |= x[i] ^ y[i];
	return d == 0;
}

int
bu_write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int64_t
bu_now(void)
{
	const char *s = getenv("BLOCKUTILS_NOW");
	uint64_t v;

	if (s == NULL || *s == '\0')
		return (int64_t)time(NULL);
	if (bu_parse_u64(s, strlen(s), INT64_MAX, &v) != 0)
		return -1;
	return (int64_t)v;
}

int
bu_opt_u64(const char *name, const char *s, uint64_t min, uint64_t max,
    uint64_t *out, struct bu_err *e)
{
	uint64_t v;

	if (bu_parse_u64(s, strlen(s), UINT64_MAX, &v) != 0 || v < min || v > max)
		return bu_fail(e, BU_EXIT_USAGE, "usage",
		    "%s: '%s' is not a number from %llu to %llu", name, s,
		    (unsigned long long)min, (unsigned long long)max);
	*out = v;
	return 0;
}

void *
bu_xmalloc_or_null(size_t n)
{
	return malloc(n ? n : 1);
}
