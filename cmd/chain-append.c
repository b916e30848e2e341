/* chain-append: append checked blocks to a chain file, atomically and durably */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "append.h"
#include "cmdutil.h"

static void
usage(int status)
{
	fprintf(status ? stderr : stdout, "usage: chain-append [-q] chain [file]\n");
	exit(status);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "quiet", no_argument, NULL, 'q' },
		OPT_COMMON,
		{ NULL, 0, NULL, 0 },
	};
	struct bu_err e;
	FILE *ack = stdout;
	int ch, rc;

	cmd_init(argv);
	while ((ch = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'q':
			if ((ack = fopen("/dev/null", "w")) == NULL)
				fatal(BU_EXIT_SYSTEM, "/dev/null: cannot open");
			break;
		case OPT_VERSION: print_version();
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1 || argc > 2) {
		if (argc < 1)
			usage_why("no chain file given");
		else
			usage_why("a chain file and one input file, not %d operands", argc);
		usage(2);
	}
	rc = chain_append(argv[0], argc == 2 ? argv[1] : "-", now_or_exit(), ack, stderr, &e);
	if (rc != 0)
		return report_exit(&e, BU_EXIT_NOTTIP);
	return close_stdout();
}
