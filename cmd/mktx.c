/* mktx: build and sign a transfer line */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "cmdutil.h"
#include "keyfile.h"
#include "pending.h"
#include "state.h"
#include "transfer.h"

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: mktx -k keyfile -c chain [-n nonce | -P file] [-f fee] [-m memo] to amount\n"
	    "       mktx -k keyfile -i chain-id -n nonce [-f fee] [-m memo] to amount\n");
	exit(status);
}

struct args {
	const char *keypath, *chainpath, *memo, *id, *pending;
	int have_nonce;
};

/* The chain id and, unless given, the sender's next nonce from the chain (and what is pending). */
static void
from_chain(const struct args *a, const unsigned char from[32], char idhex[65],
    uint64_t *nonce)
{
	struct chain_opts o = { 0 };
	const struct account *acc;
	struct chain c;
	struct bu_err e;

	o.now = now_or_exit();
	chain_init(&c, &o);
	if (chain_load(&c, a->chainpath, &e) != 0)
		exit(report_exit(&e, BU_EXIT_INVALID));
	if (c.empty)
		fatal(BU_EXIT_INVALID, "'%s': the chain has no blocks", a->chainpath);
	memcpy(idhex, c.idhex, 65);
	acc = ledger_get(&c.ledger, from);
	if (!a->have_nonce)
		*nonce = acc ? acc->nonce : 0;
	chain_free(&c);
	if (a->pending != NULL && pending_next_nonce(a->pending, from, *nonce, nonce, &e) != 0)
		exit(report_exit(&e, BU_EXIT_INVALID));
}

/* What is missing or contradictory, said before the synopsis. */
static void
check_args(const struct args *a, int argc)
{
	const char *why = NULL;

	if (a->keypath == NULL)
		why = "-k keyfile is required: the sender's key";
	else if (a->chainpath == NULL && a->id == NULL)
		why = "give -c chain, or -i chain-id with -n nonce";
	else if (a->chainpath != NULL && a->id != NULL)
		why = "-c and -i exclude each other";
	else if (a->id != NULL && !a->have_nonce)
		why = "-i needs -n nonce: without the chain the sender's nonce is not known";
	else if (a->pending != NULL && (a->have_nonce || a->chainpath == NULL))
		why = "-P counts from the chain's nonce: it needs -c and excludes -n";
	else if (argc == 0)
		why = "missing the account to pay and the amount";
	else if (argc == 1)
		why = "missing the amount (base units) after the account";
	else if (argc > 2)
		why = "too many operands: the account to pay, then the amount";
	if (why == NULL)
		return;
	usage_why("%s", why);
	usage(2);
}

static void
parse(int argc, char *argv[], struct args *a, struct transfer *t)
{
	static const struct option longopts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "chain", required_argument, NULL, 'c' },
		{ "chain-id", required_argument, NULL, 'i' },
		{ "nonce", required_argument, NULL, 'n' },
		{ "pending", required_argument, NULL, 'P' },
		{ "fee", required_argument, NULL, 'f' },
		{ "memo", required_argument, NULL, 'm' },
		OPT_COMMON,
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "k:c:i:n:P:f:m:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'k': a->keypath = optarg; break;
		case 'c': a->chainpath = optarg; break;
		case 'i': a->id = optarg; break;
		case 'n':
			opt_u64_or_exit("-n", optarg, 0, UINT64_MAX, &t->nonce);
			a->have_nonce = 1;
			break;
		case 'P': a->pending = optarg; break;
		case 'f': opt_u64_or_exit("-f", optarg, 0, UINT64_MAX, &t->fee); break;
		case 'm': a->memo = optarg; break;
		case OPT_VERSION: print_version();
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	check_args(a, argc - optind);
}

int
main(int argc, char *argv[])
{
	struct transfer t = { .fee = 0 };
	struct args a = { .memo = "" };
	unsigned char sec[32], tmp[32];
	char idhex[65];
	struct buf out = { 0 };
	struct bu_err e;

	cmd_init(argv);
	parse(argc, argv, &a, &t);
	argv += optind;
	if (a.id != NULL && (strlen(a.id) != 64 || bu_unhex_rev(a.id, 64, tmp) != 0))
		usage_error("-i: '%s' is not a chain id (64 lower-case hex digits)", a.id);
	if (payee_arg(argv[0], t.to, &e) != 0)
		return report_exit(&e, BU_EXIT_INVALID);
	opt_u64_or_exit("amount", argv[1], 0, UINT64_MAX, &t.amount);
	if (keyfile_read(a.keypath, sec, t.from, &e) != 0)
		return report_exit(&e, BU_EXIT_INVALID);
	if (a.chainpath != NULL)
		from_chain(&a, t.from, idhex, &t.nonce);
	else
		memcpy(idhex, a.id, 65);
	if (transfer_sign(&out, idhex, sec, &t, a.memo, &e) != 0) {
		OPENSSL_cleanse(sec, sizeof sec);
		return report_exit(&e, BU_EXIT_INVALID);
	}
	OPENSSL_cleanse(sec, sizeof sec);
	if (bu_write_all(STDOUT_FILENO, out.p, out.n) != 0)
		fatal(BU_EXIT_SYSTEM, "standard output: write failed");
	buf_free(&out);
	return close_stdout();
}
