/* chain-headers: write a chain's headers, the file a light client keeps */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmdutil.h"
#include "headerfile.h"

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: chain-headers [--chain bitcoin | regtest] [--from height] [file]\n");
	exit(status);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "chain", required_argument, NULL, 'c' },
		{ "from", required_argument, NULL, 'f' },
		OPT_COMMON,
		{ NULL, 0, NULL, 0 },
	};
	struct chain_opts o = { 0 };
	struct bu_err e;
	int ch, rc = 0;

	cmd_init(argv);
	while ((ch = getopt_long(argc, argv, "c:f:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': chain_net_or_exit(&o, optarg); break;
		case 'f': chain_from_or_exit(&o, optarg); break;
		case OPT_VERSION: print_version();
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	argc -= optind;
	argv += optind;
	chain_opts_check(&o);
	if (argc > 1) {
		usage_why("one chain file, not %d", argc);
		usage(2);
	}
	o.now = now_or_exit();
	if (headerfile_write(&o, argc ? argv[0] : "-", stdout, &e) != 0)
		rc = report_exit(&e, BU_EXIT_INVALID);
	return close_stdout() ? BU_EXIT_SYSTEM : rc;
}
