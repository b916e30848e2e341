/*
 * fuzz lines: the line reader, plain and gzip, with a random limit. Byte 0
 * chooses the form (plain, gzip made here in one or two members, or the
 * bytes as they are), bytes 1-2 the limit; every line returned must be the
 * next line of the data, and every error the one the data calls for.
 */
#include "fuzz.h"

#include <zlib.h>

#include "lines.h"
#include "record.h"

/* gzip of p in members members (1 or 2), in out. */
static int
gzip(const uint8_t *p, size_t n, int level, int members, struct buf *out)
{
	size_t half = members == 2 ? n / 2 : n, part[2] = { half, n - half };
	int m;

	for (m = 0; m < members; m++) {
		z_stream z;
		unsigned char chunk[4096];
		int zr;

		memset(&z, 0, sizeof z);
		if (deflateInit2(&z, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
			return -1;
		z.next_in = (Bytef *)(m == 0 ? p : p + half);
		z.avail_in = (uInt)part[m];
		do {
			z.next_out = chunk;
			z.avail_out = sizeof chunk;
			zr = deflate(&z, Z_FINISH);
			buf_add(out, chunk, sizeof chunk - z.avail_out);
		} while (zr == Z_OK);
		deflateEnd(&z);
		if (zr != Z_STREAM_END || out->oom)
			return -1;
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *d;
	struct buf z = { 0 };
	struct lines r;
	struct bu_err e, again;
	const char *line;
	size_t n, limit, pos = 0, len;
	int form, fd, got, known;

	if (size < 3)
		return 0;
	form = data[0] % 4;	/* 0 plain, 1 gzip, 2 gzip in two members, 3 as they are */
	limit = 1 + ((size_t)data[1] << 8 | data[2]);
	d = data + 3;
	n = size - 3;
	known = form != 3 && !(form == 0 && n >= 2 && d[0] == 0x1f && d[1] == 0x8b);
	if (form == 1 || form == 2) {
		if (gzip(d, n, data[0] >> 4 & 9, form == 2 ? 2 : 1, &z) != 0) {
			buf_free(&z);
			return 0;
		}
		fd = fuzz_memfd(z.p, z.n);
	} else {
		fd = fuzz_memfd(d, n);
	}
	buf_free(&z);
	if (fd < 0 || lines_fdopen(&r, fd, "fuzz", limit, &e) != 0)
		return 0;
	while ((got = lines_next(&r, &line, &len, &e)) > 0) {
		FUZZ_CHECK(len + 1 <= limit && memchr(line, '\n', len) == NULL);
		if (known) {
			FUZZ_CHECK(pos + len < n && memcmp(line, d + pos, len) == 0 && d[pos + len] == '\n');
			FUZZ_CHECK(r.offset == pos && r.next == pos + len + 1);
		}
		pos += len + 1;
	}
	if (got == 0) {
		FUZZ_CHECK(!known || pos == n);
	} else if (known) {
		const uint8_t *nl = memchr(d + pos, '\n', n - pos);
		size_t rest = nl ? (size_t)(nl - (d + pos)) + 1 : n - pos;

		if (strcmp(e.reason, "bad-blk-length") == 0)
			FUZZ_CHECK(nl ? rest > limit : rest >= limit);
		else
			FUZZ_CHECK(strcmp(e.reason, "truncated") == 0 && nl == NULL && rest > 0 &&
			    rest < limit);
	} else {
		FUZZ_CHECK(strcmp(e.reason, "bad-blk-length") == 0 ||
		    strcmp(e.reason, "truncated") == 0 || strcmp(e.reason, "bad-gzip") == 0);
	}
	if (got < 0) {	/* the reader stays finished, with the same error */
		FUZZ_CHECK(lines_next(&r, &line, &len, &again) == -1);
		FUZZ_CHECK(strcmp(again.reason, e.reason) == 0 && again.code == e.code);
	}
	lines_close(&r);
	return 0;
}
