/* inspect: decode block lines, tx lines and tokens, raw headers, Bitcoin blocks and proofs */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btc.h"
#include "cmdutil.h"
#include "decode.h"
#include "lines.h"

static void
usage(int status)
{
	fprintf(status ? stderr : stdout, "usage: inspect [--json] [file ...]\n");
	exit(status);
}

/* What the lines before tell of the next raw header's height (a header file, Bitcoin's headers). */
struct run {
	int json;
	int have_last;
	unsigned char last[32];
	int64_t last_height;
	struct block b;
	struct btc_block bb;
};

static int
is_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return n > 0;
}

static int
prefixed(const char *line, size_t len, const char *p)
{
	size_t n = strlen(p);

	return len >= n && memcmp(line, p, n) == 0;
}

static int64_t
height_after(struct run *u, const struct header *h, const unsigned char hash[32])
{
	static const unsigned char zero[32];
	int64_t height = -1;

	if (u->have_last && memcmp(h->prev, u->last, 32) == 0)
		height = u->last_height + 1;
	else if (memcmp(h->prev, zero, 32) == 0)
		height = 0;
	u->have_last = height >= 0;
	memcpy(u->last, hash, 32);
	u->last_height = height;
	return height;
}

static int
is_bitcoin_chain(const unsigned char id[32])
{
	unsigned char g[32];

	return (bu_unhex_rev(btc_mainnet.genesis, 64, g) == 0 && memcmp(g, id, 32) == 0) ||
	    (bu_unhex_rev(btc_regtest.genesis, 64, g) == 0 && memcmp(g, id, 32) == 0);
}

static int
one_block(struct run *u, struct buf *o, const char *line, size_t len, const struct where *w,
    struct bu_err *e)
{
	unsigned char hash[32];
	int differ;

	if (block_parse(&u->b, line, len, 0, e) != 0)
		return -1;
	differ = decode_block(o, &u->b, len, w);
	header_hash(hash, &u->b.h);
	u->have_last = 1;
	memcpy(u->last, hash, 32);
	u->last_height = u->b.height;
	return differ;
}

static int
one_raw(struct run *u, struct buf *o, const char *line, size_t len, const struct where *w,
    struct bu_err *e)
{
	unsigned char raw[80], hash[32];
	struct header h;

	if (len == 160) {
		if (bu_unhex(line, len, raw, 80) != 0)
			return bu_fail(e, BU_EXIT_INVALID, "bad-syntax", "header: not 160 hex digits");
		header_from_bytes(&h, raw);
		header_hash(hash, &h);
		decode_header(o, &h, height_after(u, &h, hash), w);
		return 0;
	}
	if (btc_block_parse(&u->bb, line, len, e) != 0)
		return -1;
	header_hash(hash, &u->bb.h);
	return decode_btc_block(o, &u->bb, height_after(u, &u->bb.h, hash), len, w);
}

/* One record: 0, 1 when something stored differs from what it computes, -1 with e. */
static int
one(struct run *u, struct buf *o, const char *line, size_t len, const struct where *w,
    struct bu_err *e)
{
	struct proof p;
	struct tx t;

	if (prefixed(line, len, "block "))
		return one_block(u, o, line, len, w, e);
	if (prefixed(line, len, "proof ")) {
		if (proof_parse(&p, line, len, e) != 0)
			return -1;
		return decode_proof(o, &p, is_bitcoin_chain(p.chain), w);
	}
	if (prefixed(line, len, "tx ") || prefixed(line, len, "tx=")) {
		if ((line[2] == ' ' ? txline_parse(&t, line, len, e) :
		    tx_parse(&t, line + 3, len - 3, e)) != 0)
			return -1;
		decode_tx(o, &t, w);
		return 0;
	}
	if (prefixed(line, len, "params:") || prefixed(line, len, "coinbase:") ||
	    prefixed(line, len, "transfer:") || prefixed(line, len, "data:")) {
		if (tx_parse(&t, line, len, e) != 0)
			return -1;
		decode_tx(o, &t, w);
		return 0;
	}
	if (len >= 160 && len % 2 == 0 && is_hex(line, len))
		return one_raw(u, o, line, len, w, e);
	return bu_fail(e, BU_EXIT_INVALID, "bad-syntax", "%s", len == 0 ? "an empty line" :
	    "not a record inspect knows: a block, tx or proof line, a token, a raw header or block");
}

static void
error_json(struct buf *o, const struct bu_err *e)
{
	struct json j;

	json_start(&j, o);
	json_cstr(&j, "type", "error");
	json_cstr(&j, "file", e->file);
	json_num(&j, "line", e->line);
	json_cstr(&j, "reason", e->reason);
	json_cstr(&j, "message", e->msg);
	json_finish(&j);
}

static int
emit(struct buf *o)
{
	if (o->oom)
		fatal(BU_EXIT_SYSTEM, "out of memory");
	if (o->n > 0 && fwrite(o->p, 1, o->n, stdout) != o->n)
		fatal(BU_EXIT_SYSTEM, "standard output: write failed");
	o->n = 0;
	return 0;
}

/* Every record of path; the status: 0, 1 for a record bad or inconsistent, 3 for I/O. */
static int
inspect_file(struct run *u, const char *path)
{
	struct buf o = { 0 };
	struct lines r;
	struct bu_err e;
	const char *line;
	size_t len;
	int got, rc, status = 0;

	if (lines_open(&r, path, MAXBLOCK_LIMIT + 4096, &e) != 0)
		return report_exit(&e, BU_EXIT_INVALID);
	r.torn_ok = 1;
	while ((got = lines_next(&r, &line, &len, &e)) != 0) {
		struct where w = { r.name, r.lineno, u->json };

		rc = got < 0 ? -1 : one(u, &o, line, len, &w, &e);
		if (rc < 0 && e.code != BU_EXIT_SYSTEM) {
			e.file = r.name;
			e.line = r.lineno;
			if (u->json)
				error_json(&o, &e);
		}
		emit(&o);
		if (rc < 0 && (status = report_exit(&e, BU_EXIT_INVALID)) == BU_EXIT_SYSTEM)
			break;
		if (rc > 0)
			status = BU_EXIT_INVALID;
		if (got < 0)
			break;
	}
	buf_free(&o);
	lines_close(&r);
	return status;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		OPT_COMMON,
		{ NULL, 0, NULL, 0 },
	};
	struct run u;
	int ch, i, rc, status = 0;

	cmd_init(argv);
	memset(&u, 0, sizeof u);
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'J': u.json = 1; break;
		case OPT_VERSION: print_version();
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	block_init(&u.b);
	btc_block_init(&u.bb);
	if (optind == argc)
		status = inspect_file(&u, "-");
	for (i = optind; i < argc; i++)
		if ((rc = inspect_file(&u, argv[i])) > status)
			status = rc;
	block_free(&u.b);
	btc_block_free(&u.bb);
	rc = close_stdout();
	return rc ? rc : status;
}
