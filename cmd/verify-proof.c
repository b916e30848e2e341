/* verify-proof: check proof lines against a header file or a chain */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmdutil.h"
#include "proofcheck.h"

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: verify-proof [-q] [--chain bitcoin | regtest] [--from height] headers\n"
	    "                    [file ...]\n");
	exit(status);
}

static void
each(void *arg, const struct proof_result *r)
{
	const int *quiet = arg;

	if (!r->ok)
		bu_report(&r->err);
	else if (!*quiet)
		proof_result_format(stdout, r);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "chain", required_argument, NULL, 'c' },
		{ "from", required_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		OPT_COMMON,
		{ NULL, 0, NULL, 0 },
	};
	static char *stdin_only[] = { "-" };
	struct chain_opts o = { 0 };
	struct bu_err e;
	int ch, quiet = 0, rc;
	long bad;

	cmd_init(argv);
	while ((ch = getopt_long(argc, argv, "c:f:qh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': chain_net_or_exit(&o, optarg); break;
		case 'f': chain_from_or_exit(&o, optarg); break;
		case 'q': quiet = 1; break;
		case OPT_VERSION: print_version();
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	argc -= optind;
	argv += optind;
	chain_opts_check(&o);
	if (argc < 1)
		usage(2);
	o.now = now_or_exit();
	bad = argc > 1 ? proofcheck_run(&o, argv[0], argv + 1, (size_t)argc - 1, each, &quiet, &e) :
	    proofcheck_run(&o, argv[0], stdin_only, 1, each, &quiet, &e);
	rc = bad < 0 ? report_exit(&e, BU_EXIT_INVALID) : bad > 0 ? BU_EXIT_INVALID : 0;
	return close_stdout() ? BU_EXIT_SYSTEM : rc;
}
