/* balances: print every account's balances and next nonce at a chain's tip */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmdutil.h"
#include "json.h"
#include "keyfile.h"
#include "state.h"

static void
usage(int status)
{
	fprintf(status ? stderr : stdout, "usage: balances [--json] [-a account] chain\n");
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
print_json(const unsigned char key[32], const struct account *a)
{
	struct buf out = { 0 };
	struct json j;

	json_start(&j, &out);
	json_hex(&j, "account", key, 32);
	json_u64(&j, "spendable", a ? a->balance : 0);
	json_u64(&j, "immature", a ? a->immature : 0);
	json_u64(&j, "nonce", a ? a->nonce : 0);
	json_finish(&j);
	if (out.oom)
		fatal(BU_EXIT_SYSTEM, "out of memory");
	fwrite(out.p, 1, out.n, stdout);
	buf_free(&out);
}

static void
print_account(const unsigned char key[32], const struct account *a, int json)
{
	char hex[65];

	if (json) {
		print_json(key, a);
		return;
	}
	bu_hex(hex, key, 32);
	printf("account=%s spendable=%llu immature=%llu nonce=%llu\n", hex,
	    (unsigned long long)(a ? a->balance : 0),
	    (unsigned long long)(a ? a->immature : 0),
	    (unsigned long long)(a ? a->nonce : 0));
}

static void
print_all(const struct ledger *led, int json)
{
	struct list l = { NULL, 0 };
	size_t i;

	if ((l.v = calloc(led->count + 1, sizeof *l.v)) == NULL)
		fatal(BU_EXIT_SYSTEM, "out of memory");
	ledger_each(led, collect, &l);
	qsort(l.v, l.n, sizeof *l.v, by_key);
	for (i = 0; i < l.n; i++)
		print_account(l.v[i]->key, l.v[i], json);
	free(l.v);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "account", required_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'J' },
		OPT_COMMON,
		{ NULL, 0, NULL, 0 },
	};
	struct chain_opts o = { 0 };
	unsigned char key[32];
	struct chain c;
	struct bu_err e;
	int ch, one = 0, json = 0;

	cmd_init(argv);
	while ((ch = getopt_long(argc, argv, "a:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			if (account_arg(optarg, key, &e) != 0)
				return report_exit(&e, BU_EXIT_INVALID);
			one = 1;
			break;
		case 'J': json = 1; break;
		case OPT_VERSION: print_version();
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	if (argc - optind != 1) {
		if (argc == optind)
			usage_why("no chain file given");
		else
			usage_why("one chain file, not %d", argc - optind);
		usage(2);
	}
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
	if (one)
		print_account(key, ledger_get(&c.ledger, key), json);
	else
		print_all(&c.ledger, json);
	chain_free(&c);
	return close_stdout();
}
