/* balances: print every account's balances and next nonce at a chain's tip */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmdutil.h"
#include "keyfile.h"
#include "state.h"

static void
usage(int status)
{
	fprintf(status ? stderr : stdout, "usage: balances [-a account] chain\n");
	exit(status);
}

struct list {
	const struct account **v;
	size_t n;
};

static void
collect(const struct account *a, void *arg)
{
	struct list *l = arg;

	l->v[l->n++] = a;
}

static int
by_key(const void *a, const void *b)
{
	return memcmp((*(const struct account *const *)a)->key,
	    (*(const struct account *const *)b)->key, 32);
}

static void
print_account(const unsigned char key[32], const struct account *a)
{
	char hex[65];

	bu_hex(hex, key, 32);
	printf("account=%s spendable=%llu immature=%llu nonce=%llu\n", hex,
	    (unsigned long long)(a ? a->balance : 0),
	    (unsigned long long)(a ? a->immature : 0),
	    (unsigned long long)(a ? a->nonce : 0));
}

int
main(int argc, char *argv[])
{
	struct chain_opts o = { 0 };
	unsigned char key[32];
	struct list l = { NULL, 0 };
	struct chain c;
	struct bu_err e;
	int ch, one = 0;
	size_t i;

	bu_setprogname(argv[0]);
	while ((ch = getopt(argc, argv, "a:h")) != -1) {
		switch (ch) {
		case 'a':
			if (account_arg(optarg, key, &e) != 0)
				return report_exit(&e, BU_EXIT_INVALID);
			one = 1;
			break;
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	if (argc - optind != 1)
		usage(2);
	o.now = now_or_exit();
	chain_init(&c, &o);
	if (chain_load(&c, argv[optind], &e) != 0) {
		chain_free(&c);
		return report_exit(&e, BU_EXIT_INVALID);
	}
	if (c.empty)
		fatal(BU_EXIT_INVALID, "'%s': the chain has no blocks", argv[optind]);
	/* spendable means: in the next block */
	if (ledger_mature(&c.ledger, c.height + 1, &e) != 0)
		return report_exit(&e, BU_EXIT_SYSTEM);
	if (one) {
		print_account(key, ledger_get(&c.ledger, key));
	} else {
		if ((l.v = calloc(c.ledger.count + 1, sizeof *l.v)) == NULL)
			fatal(BU_EXIT_SYSTEM, "out of memory");
		ledger_each(&c.ledger, collect, &l);
		qsort(l.v, l.n, sizeof *l.v, by_key);
		for (i = 0; i < l.n; i++)
			print_account(l.v[i]->key, l.v[i]);
		free(l.v);
	}
	chain_free(&c);
	return close_stdout();
}
