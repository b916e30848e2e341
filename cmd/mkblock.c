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
	O_MATURITY, O_MAXBLOCK, O_BITS, O_TIME, O_HVERSION, O_VERSION_OLD, O_EXTRA,
	O_COINBASE, O_SIGNER, O_QUORUM };

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: mkblock --genesis [-d] [--name text] [--spacing n] [--retarget n]\n"
	    "               [--powlimit bits] [--subsidy n] [--halving n] [--maturity n]\n"
	    "               [--maxblock n] [--bits bits] [--time t] [--header-version n]\n"
	    "               [--signer account ... [--quorum n]] [file]\n"
	    "       mkblock -c chain --coinbase account [-dk] [--extra hex] [--time t]\n"
	    "               [--header-version n] [file]\n");
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

/* bits 0 is not "unset": it is an invalid target, refused by build_genesis. */
static int
genesis(struct genesis_opts *g, int bits_set, int data, const char *path)
{
	struct toks t = { 0 };
	struct buf out = { 0 };
	struct bu_err e;

	if (data && toks_read_data(&t, path, &e) != 0)
		exit(report_exit(&e, BU_EXIT_INVALID));
	if (!bits_set)
		g->bits = g->p.powlimit;
	if (build_genesis(g, &t, &out, &e) != 0)
		exit(report_exit(&e, BU_EXIT_INVALID));
	toks_free(&t);
	return emit(&out);
}

static int
next(const char *chainpath, struct next_opts *n, int data, const char *path)
{
	struct buf out = { 0 };
	struct chain c;
	struct bu_err e;

	chain_load_or_exit(&c, chainpath);
	if (build_next(&c, n, path, data, &out, &e) != 0)
		exit(report_exit(&e, BU_EXIT_INVALID));
	chain_free(&c);
	return emit(&out);
}

struct args {
	struct genesis_opts g;
	struct next_opts n;
	const char *chainpath, *path, *gonly;
	int gen, data, have_cb, time_set, bits_set;
	unsigned char signer[SIGNERS_MAX][32];
	uint32_t nsigners;
	char signers[SIGNERS_MAX * SIGNER_TEXT];
};

static int
cmp_key(const void *a, const void *b)
{
	return memcmp(a, b, 32);
}

/* --signer accounts, sorted and joined as the params write them; the quorum's default. */
static void
set_signers(struct args *a)
{
	struct params *p = &a->g.p;
	uint32_t i;

	if (a->nsigners == 0) {
		if (p->quorum != 0)
			usage_error("--quorum needs --signer: a chain without signers has no quorum");
		return;
	}
	qsort(a->signer, a->nsigners, 32, cmp_key);
	for (i = 0; i < a->nsigners; i++) {
		if (i > 0 && memcmp(a->signer[i - 1], a->signer[i], 32) == 0)
			usage_error("--signer: the same account twice");
		bu_hex(a->signers + i * SIGNER_TEXT, a->signer[i], 32);
		a->signers[i * SIGNER_TEXT + 64] = '+';
	}
	p->signers.p = a->signers;
	p->signers.n = (size_t)a->nsigners * SIGNER_TEXT - 1;
	p->nsigners = a->nsigners;
	if (p->quorum == 0)
		p->quorum = 2 * a->nsigners / 3 + 1;
}

/* The options that set a genesis parameter; 0 if ch is not one of them. */
static int
genesis_option(struct args *a, int ch, const char *arg)
{
	struct genesis_opts *g = &a->g;
	struct bu_err e;
	uint64_t v;

	switch (ch) {
	case O_NAME: g->name = arg; a->gonly = "--name"; break;
	case O_SPACING: g->p.spacing = opt_u32("--spacing", arg, 0); a->gonly = "--spacing"; break;
	case O_RETARGET: g->p.retarget = opt_u32("--retarget", arg, 0); a->gonly = "--retarget"; break;
	case O_POWLIMIT: g->p.powlimit = opt_bits("--powlimit", arg); a->gonly = "--powlimit"; break;
	case O_HALVING: g->p.halving = opt_u32("--halving", arg, 0); a->gonly = "--halving"; break;
	case O_MATURITY: g->p.maturity = opt_u32("--maturity", arg, 0); a->gonly = "--maturity"; break;
	case O_SIGNER:
		if (a->nsigners == SIGNERS_MAX)
			usage_error("--signer: at most %d signers", SIGNERS_MAX);
		if (payee_arg(arg, a->signer[a->nsigners], &e) != 0)
			exit(report_exit(&e, BU_EXIT_INVALID));
		a->nsigners++;
		a->gonly = "--signer";
		break;
	case O_QUORUM: g->p.quorum = opt_u32("--quorum", arg, 1); a->gonly = "--quorum"; break;
	case O_BITS:
		g->bits = opt_bits("--bits", arg);
		a->bits_set = 1;
		a->gonly = "--bits";
		break;
	case O_SUBSIDY:
		opt_u64_or_exit("--subsidy", arg, 0, UINT64_MAX, &v);
		g->p.subsidy = v;
		a->gonly = "--subsidy";
		break;
	case O_MAXBLOCK:
		opt_u64_or_exit("--maxblock", arg, 1, MAXBLOCK_LIMIT, &v);
		g->p.maxblock = (uint32_t)v;
		a->gonly = "--maxblock";
		break;
	default:
		return 0;
	}
	return 1;
}

/*
 * --version alone prints the version, as in every tool; --version=N and
 * --version N, the old spelling of --header-version, still set the header's.
 */
static void
old_version(struct args *a, int argc, char *argv[])
{
	const char *n = optarg;

	if (n == NULL && optind < argc && argv[optind][0] >= '0' && argv[optind][0] <= '9' &&
	    strspn(argv[optind], "0123456789") == strlen(argv[optind]))
		n = argv[optind++];
	if (n == NULL)
		print_version();
	a->g.version = a->n.version = opt_u32("--header-version", n, 0);
}

static void
parse(int argc, char *argv[], struct args *a)
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
		{ "header-version", required_argument, NULL, O_HVERSION },
		{ "version", optional_argument, NULL, O_VERSION_OLD },
		{ "extra", required_argument, NULL, O_EXTRA },
		{ "signer", required_argument, NULL, O_SIGNER },
		{ "quorum", required_argument, NULL, O_QUORUM },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct bu_err e;
	int ch;

	while ((ch = getopt_long(argc, argv, "gc:dkh", longopts, NULL)) != -1) {
		if (genesis_option(a, ch, optarg))
			continue;
		switch (ch) {
		case 'g': a->gen = 1; break;
		case 'c': a->chainpath = optarg; break;
		case 'd': a->data = 1; break;
		case 'k': a->n.skip_invalid = 1; break;
		case O_COINBASE:
			if (payee_arg(optarg, a->n.coinbase, &e) != 0)
				exit(report_exit(&e, BU_EXIT_INVALID));
			a->have_cb = 1;
			break;
		case O_TIME:
			a->g.time = opt_u32("--time", optarg, 0);
			a->n.time = a->g.time;
			a->time_set = 1;
			break;
		case O_HVERSION:
			a->g.version = a->n.version = opt_u32("--header-version", optarg, 0);
			break;
		case O_VERSION_OLD:
			old_version(a, argc, argv);
			break;
		case O_EXTRA:
			if (strlen(optarg) % 2 || strspn(optarg, "0123456789abcdef") != strlen(optarg))
				usage_error("--extra: '%s' is not lower-case hex of whole bytes", optarg);
			a->n.extra = optarg;
			break;
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	if (a->gen == (a->chainpath != NULL)) {
		usage_why(a->gen ? "--genesis and -c exclude each other" :
		    "give --genesis to start a chain, or -c chain to build on one");
		usage(2);
	}
	if (argc - optind > 1) {
		usage_why("one input file, not %d", argc - optind);
		usage(2);
	}
	if (argc - optind == 1)
		a->path = argv[optind];
}

/* Before any work is done on it: a block no verifier would take yet (SPEC 4, rule 4). */
static void
refuse_future(uint32_t t)
{
	int64_t now = now_or_exit();

	if ((int64_t)t > now + MAX_FUTURE)
		fatal(BU_EXIT_INVALID, "time-too-new: --time %lu is %lld seconds after the clock "
		    "(at most %d): no verifier would take the block yet", (unsigned long)t,
		    (long long)((int64_t)t - now), MAX_FUTURE);
}

int
main(int argc, char *argv[])
{
	struct args a = {
		.g = {
			.p = { .spacing = 600, .retarget = 2016, .powlimit = 0x1f00ffff,
			    .subsidy = 5000000000ULL, .halving = 210000, .maturity = 100,
			    .maxblock = 1000000 },
			.name = "blockutils", .version = 1,
		},
		.n = { .extra = "", .version = 1, .time = -1 },
		.path = "-",
	};
	struct bu_err e;

	cmd_init(argv);
	parse(argc, argv, &a);
	if (a.time_set)
		refuse_future(a.g.time);
	if (a.gen) {
		if (a.have_cb || a.n.skip_invalid || strcmp(a.n.extra, "") != 0)
			usage_error("--coinbase, --extra and -k build on a chain (-c), not a genesis");
		set_signers(&a);
		if (params_check(&a.g.p, &e) != 0)
			usage_error("%s", e.msg);
		if (!a.time_set) {
			int64_t now = now_or_exit();

			a.g.time = now > UINT32_MAX ? UINT32_MAX : (uint32_t)now;
		}
		return genesis(&a.g, a.bits_set, a.data, a.path);
	}
	if (!a.have_cb)
		usage_error("-c needs --coinbase account: the account the block's coinbase pays");
	if (a.gonly != NULL)
		usage_error("%s sets a genesis parameter; the chain's own apply with -c", a.gonly);
	return next(a.chainpath, &a.n, a.data, a.path);
}
