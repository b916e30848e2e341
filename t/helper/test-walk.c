/*
 * test-walk: what verify prints for one file, from the one-thread chain_walk,
 * to hold verify's threads to.
 *
 *	test-walk [-H] [-c bitcoin | regtest] file
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "chainfile.h"
#include "cmdutil.h"

int
main(int argc, char *argv[])
{
	struct chain_opts o = { 0 };
	struct chain c;
	struct bu_err e;
	int ch, rc = 0;

	bu_setprogname("verify");
	while ((ch = getopt(argc, argv, "Hc:")) != -1) {
		switch (ch) {
		case 'H': o.headers_only = 1; break;
		case 'c': chain_net_or_exit(&o, optarg); break;
		default: goto usage;
		}
	}
	if (argc - optind != 1)
		goto usage;
	o.now = now_or_exit();
	chain_init(&c, &o);
	if (chain_walk(&c, argv[optind], NULL, NULL, &e) != 0)
		rc = report_exit(&e, BU_EXIT_INVALID);
	else if (c.empty)
		fprintf(stderr, "verify: %s: no blocks\n", argv[optind]), rc = 1;
	else
		print_summary(&c);
	chain_free(&c);
	return close_stdout() ? 3 : rc;
usage:
	fprintf(stderr, "usage: test-walk [-H] [-c bitcoin | regtest] file\n");
	return 2;
}
