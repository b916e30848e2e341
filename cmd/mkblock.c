/* mkblock: build an unmined block: a genesis, or the next block of a chain */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "cmdutil.h"
#include "keyfile.h"
#include "state.h"

enum { O_NAME = 256, O_SPACING, O_RETARGET, O_POWLIMIT, O_SUBSIDY, O_HALVING,
	O_MATURITY, O_MAXBLOCK, O_BITS, O_TIME, O_VERSION, O_EXTRA, O_COINBASE };

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: mkblock --genesis [-d] [--name text] [--spacing n] [--retarget n]\n"
	    "               [--powlimit bits] [--subsidy n] [--halving n] [--maturity n]\n"
	    "               [--maxblock n] [--bits bits] [--time t] [--version n] [file]\n"
	    "       mkblock -c chain --coinbase account [-dk] [--extra hex] [--time t]\n"
	    "               [--version n] [file]\n");
	exit(status);
}

static uint32_t
opt_bits(const char *name, const char *s)
{
	unsigned char b[4];

	if (strlen(s) != 8 || bu_unhex(s, 8, b, 4) != 0)
		usage_error("%s: '%s' is not 8 lower-case hex digits", name, s);
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint32_t
opt_u32(const char *name, const char *s, uint32_t min)
{
	uint64_t v;

	opt_u64_or_exit(name, s, min, UINT32_MAX, &v);
	return (uint32_t)v;
}

static int
emit(struct buf *out)
{
	if (bu_write_all(STDOUT_FILENO, out->p, out->n) != 0)
		fatal(BU_EXIT_SYSTEM, "standard output: write failed");
	buf_free(out);
	return close_stdout();
}

static int
genesis(struct genesis_opts *g, int data, const char *path)
{
	struct toks t = { 0 };
	struct buf out = { 0 };
	struct bu_err e;

	if (data && toks_read_data(&t, path, &e) != 0)
		exit(report_exit(&e, BU_EXIT_INVALID));
	if (g->bits == 0)
		g->bits = g->p.powlimit;
	if (build_genesis(g, &t, &out, &e) != 0)
		exit(report_exit(&e, BU_EXIT_INVALID));
	toks_free(&t);
	return emit(&out);
}

static int
next(const char *chainpath, struct next_opts *n, int data, const char *path)
{
	struct chain_opts o = { 0 };
	struct buf out = { 0 };
	struct chain c;
	struct bu_err e;

	o.now = now_or_exit();
	chain_init(&c, &o);
	if (chain_load(&c, chainpath, &e) != 0)
		exit(report_exit(&e, BU_EXIT_INVALID));
	if (c.empty)
		fatal(BU_EXIT_INVALID, "'%s': the chain has no blocks", chainpath);
	if (build_next(&c, n, path, data, &out, &e) != 0)
		exit(report_exit(&e, BU_EXIT_INVALID));
	chain_free(&c);
	return emit(&out);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "genesis", no_argument, NULL, 'g' },
		{ "chain", required_argument, NULL, 'c' },
		{ "coinbase", required_argument, NULL, O_COINBASE },
		{ "data", no_argument, NULL, 'd' },
		{ "skip-invalid", no_argument, NULL, 'k' },
		{ "name", required_argument, NULL, O_NAME },
		{ "spacing", required_argument, NULL, O_SPACING },
		{ "retarget", required_argument, NULL, O_RETARGET },
		{ "powlimit", required_argument, NULL, O_POWLIMIT },
		{ "subsidy", required_argument, NULL, O_SUBSIDY },
		{ "halving", required_argument, NULL, O_HALVING },
		{ "maturity", required_argument, NULL, O_MATURITY },
		{ "maxblock", required_argument, NULL, O_MAXBLOCK },
		{ "bits", required_argument, NULL, O_BITS },
		{ "time", required_argument, NULL, O_TIME },
		{ "version", required_argument, NULL, O_VERSION },
		{ "extra", required_argument, NULL, O_EXTRA },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct genesis_opts g = {
		.p = { .spacing = 600, .retarget = 2016, .powlimit = 0x1f00ffff,
		    .subsidy = 5000000000ULL, .halving = 210000, .maturity = 100,
		    .maxblock = 1000000 },
		.name = "blockutils", .version = 1,
	};
	struct next_opts n = { .extra = "", .version = 1, .time = -1 };
	const char *chainpath = NULL, *path = "-", *gonly = NULL;
	int ch, gen = 0, data = 0, have_cb = 0, time_set = 0;
	struct bu_err e;
	uint64_t v;

	bu_setprogname(argv[0]);
	while ((ch = getopt_long(argc, argv, "gc:dkh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'g': gen = 1; break;
		case 'c': chainpath = optarg; break;
		case 'd': data = 1; break;
		case 'k': n.skip_invalid = 1; break;
		case O_COINBASE:
			if (account_arg(optarg, n.coinbase, &e) != 0)
				exit(report_exit(&e, BU_EXIT_INVALID));
			have_cb = 1;
			break;
		case O_NAME: g.name = optarg; gonly = "--name"; break;
		case O_SPACING: g.p.spacing = opt_u32("--spacing", optarg, 0); gonly = "--spacing"; break;
		case O_RETARGET: g.p.retarget = opt_u32("--retarget", optarg, 0); gonly = "--retarget"; break;
		case O_POWLIMIT:
			g.p.powlimit = opt_bits("--powlimit", optarg);
			gonly = "--powlimit";
			break;
		case O_SUBSIDY:
			opt_u64_or_exit("--subsidy", optarg, 0, UINT64_MAX, &v);
			g.p.subsidy = v;
			gonly = "--subsidy";
			break;
		case O_HALVING: g.p.halving = opt_u32("--halving", optarg, 0); gonly = "--halving"; break;
		case O_MATURITY: g.p.maturity = opt_u32("--maturity", optarg, 0); gonly = "--maturity"; break;
		case O_MAXBLOCK:
			opt_u64_or_exit("--maxblock", optarg, 1, MAXBLOCK_LIMIT, &v);
			g.p.maxblock = (uint32_t)v;
			gonly = "--maxblock";
			break;
		case O_BITS: g.bits = opt_bits("--bits", optarg); gonly = "--bits"; break;
		case O_TIME:
			g.time = opt_u32("--time", optarg, 0);
			n.time = g.time;
			time_set = 1;
			break;
		case O_VERSION: g.version = n.version = opt_u32("--version", optarg, 0); break;
		case O_EXTRA:
			if (strlen(optarg) % 2 || strspn(optarg, "0123456789abcdef") != strlen(optarg))
				usage_error("--extra: '%s' is not lower-case hex of whole bytes", optarg);
			n.extra = optarg;
			break;
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1 || gen == (chainpath != NULL))
		usage(2);
	if (argc == 1)
		path = argv[0];
	if (gen) {
		if (have_cb || n.skip_invalid || strcmp(n.extra, "") != 0)
			usage_error("--coinbase, --extra and -k build on a chain (-c), not a genesis");
		if (params_check(&g.p, &e) != 0)
			usage_error("%s", e.msg);
		if (!time_set) {
			int64_t now = now_or_exit();

			g.time = now > UINT32_MAX ? UINT32_MAX : (uint32_t)now;
		}
		return genesis(&g, data, path);
	}
	if (!have_cb)
		usage_error("-c needs --coinbase account");
	if (gonly != NULL)
		usage_error("%s sets a genesis parameter; the chain's own apply with -c", gonly);
	return next(chainpath, &n, data, path);
}
