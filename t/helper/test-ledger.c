/*
 * test-ledger: the ledger's table, journal and coinbase queue, driven with
 * keys of our choosing (the first 8 bytes of a key pick its slot), where
 * no tool can place accounts.
 *
 *	test-ledger MATURITY < COMMANDS
 *		one command a line:
 *		cb HEIGHT KEY AMOUNT	ledger_coinbase; prints its reason on failure
 *		mature HEIGHT		ledger_mature
 *		mark | rollback | commit	ledger_mark, back to the last mark, ledger_commit
 *		get KEY			prints "KEY balance=N immature=N nonce=N", or "KEY none"
 *		count			prints "count N": the accounts in the table
 *		KEY is 64 hex digits. Exit 0, or 2 for a bad command.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger.h"

static int
key_arg(const char *s, unsigned char key[32])
{
	return s != NULL && strlen(s) == 64 && bu_unhex(s, 64, key, 32) == 0 ? 0 : -1;
}

static int
u64_arg(const char *s, uint64_t *v)
{
	return s != NULL && bu_parse_u64(s, strlen(s), UINT64_MAX, v) == 0 ? 0 : -1;
}

static int
run(struct ledger *l, struct ledger_mark *m, char *cmd, char *a1, char *a2, char *a3)
{
	unsigned char key[32];
	const struct account *a;
	struct bu_err e;
	uint64_t h, v;

	if (strcmp(cmd, "cb") == 0) {
		if (u64_arg(a1, &h) != 0 || h > UINT32_MAX || key_arg(a2, key) != 0 ||
		    u64_arg(a3, &v) != 0)
			return -1;
		if (ledger_coinbase(l, (uint32_t)h, key, v, &e) != 0)
			printf("%s\n", e.reason);
	} else if (strcmp(cmd, "mature") == 0) {
		if (u64_arg(a1, &h) != 0 || h > UINT32_MAX)
			return -1;
		if (ledger_mature(l, (uint32_t)h, &e) != 0)
			printf("%s\n", e.reason);
	} else if (strcmp(cmd, "mark") == 0) {
		*m = ledger_mark(l);
	} else if (strcmp(cmd, "rollback") == 0) {
		ledger_rollback(l, *m);
	} else if (strcmp(cmd, "commit") == 0) {
		ledger_commit(l);
	} else if (strcmp(cmd, "get") == 0) {
		if (key_arg(a1, key) != 0)
			return -1;
		if ((a = ledger_get(l, key)) == NULL)
			printf("%s none\n", a1);
		else
			printf("%s balance=%llu immature=%llu nonce=%llu\n", a1,
			    (unsigned long long)a->balance, (unsigned long long)a->immature,
			    (unsigned long long)a->nonce);
	} else if (strcmp(cmd, "count") == 0) {
		printf("count %zu\n", l->count);
	} else {
		return -1;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	struct ledger l;
	struct ledger_mark m = { 0, 0, 0 };
	char line[512];
	unsigned long n = 0;
	uint64_t maturity;

	if (argc != 2 || u64_arg(argv[1], &maturity) != 0 || maturity > UINT32_MAX) {
		fprintf(stderr, "usage: test-ledger MATURITY < COMMANDS\n");
		return 2;
	}
	if (ledger_init(&l, (uint32_t)maturity) != 0)
		return 3;
	while (fgets(line, sizeof line, stdin) != NULL) {
		char *cmd = strtok(line, " \n"), *a1 = strtok(NULL, " \n");
		char *a2 = strtok(NULL, " \n"), *a3 = strtok(NULL, " \n");

		n++;
		if (cmd != NULL && run(&l, &m, cmd, a1, a2, a3) != 0) {
			fprintf(stderr, "test-ledger: line %lu: bad command\n", n);
			ledger_free(&l);
			return 2;
		}
		fflush(stdout);
	}
	ledger_free(&l);
	return 0;
}
