/* verify: check a whole chain file against the rules and print a summary */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chainfile.h"
#include "cmdutil.h"

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: verify [-Hq] [--chain bitcoin | regtest] [--from height] [file ...]\n");
	exit(status);
}

/* Each file is a chain of its own; the status is the worst of them. */
static int
verify_one(const struct chain_opts *o, const char *path, int quiet, int named)
{
	struct chain c;
	struct bu_err e;
	int rc = 0;

	chain_init(&c, o);
	if (chain_walk(&c, path, NULL, NULL, &e) != 0) {
		rc = report_exit(&e, BU_EXIT_INVALID);
	} else if (c.empty) {
		fprintf(stderr, "verify: %s: no blocks\n", path);
		rc = BU_EXIT_INVALID;
	} else if (!quiet) {
		if (named)
			printf("%s: ", path);
		print_summary(&c);
	}
	chain_free(&c);
	return rc;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "chain", required_argument, NULL, 'c' },
		{ "from", required_argument, NULL, 'f' },
		{ "headers-only", no_argument, NULL, 'H' },
		{ "quiet", no_argument, NULL, 'q' },
		OPT_COMMON,
		{ NULL, 0, NULL, 0 },
	};
	struct chain_opts o = { 0 };
	int ch, i, rc, quiet = 0, status = 0;

	cmd_init(argv);
	while ((ch = getopt_long(argc, argv, "c:f:Hqh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			chain_net_or_exit(&o, optarg);
			break;
		case 'f':
			chain_from_or_exit(&o, optarg);
			break;
		case 'H':
			o.headers_only = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		case OPT_VERSION: print_version();
		case 'h':
			usage(0);
			break;
		default:
			usage(2);
		}
	}
	argc -= optind;
	argv += optind;
	chain_opts_check(&o);
	o.now = now_or_exit();
	if (argc == 0)
		status = verify_one(&o, "-", quiet, 0);
	for (i = 0; i < argc; i++) {
		rc = verify_one(&o, argv[i], quiet, argc > 1);

		if (rc > status)
			status = rc;
	}
	rc = close_stdout();
	return rc ? rc : status;
}
