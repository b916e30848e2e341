/* mktx: build and sign a transfer line */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "cmdutil.h"
#include "keyfile.h"
#include "state.h"
#include "transfer.h"

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: mktx -k keyfile -c chain [-n nonce] [-f fee] [-m memo] to amount\n"
	    "       mktx -k keyfile -i chain-id -n nonce [-f fee] [-m memo] to amount\n");
	exit(status);
}

/* The chain id and, unless given, the sender's next nonce from the chain. */
static void
from_chain(const char *path, const unsigned char from[32], char idhex[65],
    uint64_t *nonce, int have_nonce)
{
	struct chain_opts o = { 0 };
	const struct account *a;
	struct chain c;
	struct bu_err e;

	o.now = now_or_exit();
	chain_init(&c, &o);
	if (chain_load(&c, path, &e) != 0)
		exit(report_exit(&e, BU_EXIT_INVALID));
	if (c.empty)
		fatal(BU_EXIT_INVALID, "'%s': the chain has no blocks", path);
	memcpy(idhex, c.idhex, 65);
	a = ledger_get(&c.ledger, from);
	if (!have_nonce)
		*nonce = a ? a->nonce : 0;
	chain_free(&c);
}

int
main(int argc, char *argv[])
{
	struct transfer t = { .fee = 0 };
	const char *keypath = NULL, *chainpath = NULL, *memo = "", *id = NULL;
	unsigned char sec[32], tmp[32];
	char idhex[65];
	struct buf out = { 0 };
	struct bu_err e;
	int ch, have_nonce = 0;

	bu_setprogname(argv[0]);
	while ((ch = getopt(argc, argv, "k:c:i:n:f:m:h")) != -1) {
		switch (ch) {
		case 'k': keypath = optarg; break;
		case 'c': chainpath = optarg; break;
		case 'i': id = optarg; break;
		case 'n':
			opt_u64_or_exit("-n", optarg, 0, UINT64_MAX, &t.nonce);
			have_nonce = 1;
			break;
		case 'f': opt_u64_or_exit("-f", optarg, 0, UINT64_MAX, &t.fee); break;
		case 'm': memo = optarg; break;
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 2 || keypath == NULL || (chainpath == NULL) == (id == NULL) ||
	    (id != NULL && !have_nonce))
		usage(2);
	if (id != NULL && (strlen(id) != 64 || bu_unhex_rev(id, 64, tmp) != 0))
		usage_error("-i: '%s' is not a chain id (64 lower-case hex digits)", id);
	if (payee_arg(argv[0], t.to, &e) != 0)
		return report_exit(&e, BU_EXIT_INVALID);
	opt_u64_or_exit("amount", argv[1], 0, UINT64_MAX, &t.amount);
	if (keyfile_read(keypath, sec, t.from, &e) != 0)
		return report_exit(&e, BU_EXIT_INVALID);
	if (chainpath != NULL)
		from_chain(chainpath, t.from, idhex, &t.nonce, have_nonce);
	else
		memcpy(idhex, id, 65);
	if (transfer_sign(&out, idhex, sec, &t, memo, &e) != 0) {
		OPENSSL_cleanse(sec, sizeof sec);
		return report_exit(&e, BU_EXIT_INVALID);
	}
	OPENSSL_cleanse(sec, sizeof sec);
	if (bu_write_all(STDOUT_FILENO, out.p, out.n) != 0)
		fatal(BU_EXIT_SYSTEM, "standard output: write failed");
	buf_free(&out);
	return close_stdout();
}
