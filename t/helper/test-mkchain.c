/* test-mkchain: build a long easy chain fast (genesis powlimit 207fffff, empty blocks or one record each) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "chain.h"
#include "state.h"

static void
die(const struct bu_err *e)
{
	bu_report(e);
	exit(e->code ? e->code : 1);
}

/* Grind the nonce of line until the proof of work holds; the mined line goes to out. */
static void
grind(const char *line, size_t len, struct buf *out)
{
	struct block b;
	struct bu_err e;
	u256 target, h;

	block_init(&b);
	if (block_parse(&b, line, len, 0, &e) != 0)
		die(&e);
	compact_decode(b.h.bits, &target);
	for (b.h.nonce = 0;; b.h.nonce++) {
		header_hash(b.hash, &b.h);
		u256_from_le(&h, b.hash);
		if (u256_cmp(&h, &target) <= 0)
			break;
	}
	out->n = 0;
	block_format(out, &b);
	block_free(&b);
}

static void
accept_line(struct chain *c, const struct buf *line)
{
	struct block b;
	struct bu_err e;

	block_init(&b);
	if (block_parse(&b, line->p, line->n - 1, 0, &e) != 0 ||
	    chain_accept(c, &b, line->n - 1, &e) != 0)
		die(&e);
	block_free(&b);
	fwrite(line->p, 1, line->n, stdout);
}

static void
genesis(struct chain *c, int64_t t0)
{
	struct genesis_opts g = {
		.p = { .spacing = 600, .retarget = 0, .powlimit = 0x207fffff,
		    .subsidy = 5000000000ULL, .halving = 210000, .maturity = 100,
		    .maxblock = 1000000 },
		.name = "t6000", .bits = 0x207fffff, .time = (uint32_t)t0, .version = 1,
	};
	struct buf raw = { 0 }, mined = { 0 };
	struct bu_err e;

	if (build_genesis(&g, NULL, &raw, &e) != 0)
		die(&e);
	grind(raw.p, raw.n - 1, &mined);
	accept_line(c, &mined);
	buf_free(&raw);
	buf_free(&mined);
}

/* -d: the file holding block i's one data record, "record <i>". */
static const char *
record_file(char *path, long i)
{
	FILE *f = fopen(path, "w");

	if (f == NULL || fprintf(f, "record %ld\n", i) < 0 || fclose(f) != 0) {
		fprintf(stderr, "test-mkchain: %s: cannot write\n", path);
		exit(3);
	}
	return path;
}

int
main(int argc, char *argv[])
{
	struct chain_opts o = { 0 };
	struct next_opts n = { .extra = "", .version = 1 };
	struct buf raw = { 0 }, mined = { 0 };
	const char *base = NULL;
	char rec[64] = "";
	struct chain c;
	struct bu_err e;
	long count, i;
	int ch, data = 0;

	bu_setprogname(argv[0]);
	memset(n.coinbase, 0x11, 32);
	while ((ch = getopt(argc, argv, "c:dx:")) != -1) {
		switch (ch) {
		case 'c': base = optarg; break;
		case 'd': data = 1; break;
		case 'x': n.extra = optarg; break;
		default:
			fprintf(stderr, "usage: test-mkchain [-c chain] [-d] [-x extrahex] count\n");
			return 2;
		}
	}
	if (data)
		snprintf(rec, sizeof rec, "test-mkchain.%ld.rec", (long)getpid());
	if (argc - optind != 1 || (count = atol(argv[optind])) < 0)
		return 2;
	o.now = bu_now();
	chain_init(&c, &o);
	if (base != NULL && chain_load(&c, base, &e) != 0)
		die(&e);
	if (base == NULL)
		genesis(&c, o.now - 3 * count - 1000);
	for (i = 0; i < count; i++) {
		n.time = (int64_t)chain_mtp(&c) + 6;
		raw.n = 0;
		if (build_next(&c, &n, data ? record_file(rec, (long)c.height + 1) : "/dev/null",
		    data, &raw, &e) != 0)
			die(&e);
		grind(raw.p, raw.n - 1, &mined);
		accept_line(&c, &mined);
	}
	if (data)
		unlink(rec);
	buf_free(&raw);
	buf_free(&mined);
	chain_free(&c);
	return fflush(stdout) == 0 ? 0 : 3;
}
