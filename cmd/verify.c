/* verify: check a whole chain file against the rules and print a summary */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "chainfile.h"
#include "cmdutil.h"
#include "grind.h"
#include "walk.h"

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: verify [-Hq] [-j threads] [--chain bitcoin | regtest] [--from height]\n"
	    "              [file ...]\n");
	exit(status);
}

/* Each file is a chain of its own; the status is the worst of them. */
static int
verify_one(struct walker *w, const struct chain_opts *o, const char *path, int quiet,
    int named)
{
	struct chain c;
	struct bu_err e;
	int rc = 0;

	chain_init(&c, o);
	if (walker_run(w, &c, path, &e) != 0) {
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
		{ "threads", required_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct chain_opts o = { 0 };
	const struct grind_kernel *k;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	uint64_t threads = ncpu > 0 ? (uint64_t)ncpu : 1;
	struct walker *w;
	struct bu_err e;
	int ch, i, rc, quiet = 0, status = 0;

	bu_setprogname(argv[0]);
	while ((ch = getopt_long(argc, argv, "c:f:Hj:qh", longopts, NULL)) != -1) {
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
		case 'j':
			opt_u64_or_exit("-j", optarg, 1, 256, &threads);
			break;
		case 'q':
			quiet = 1;
			break;
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
	if ((k = grind_best()) == NULL)
		usage_error("BLOCKUTILS_KERNEL: '%s' is unknown or this CPU cannot run it",
		    getenv("BLOCKUTILS_KERNEL"));
	if ((w = walker_new((unsigned)threads, k, &e)) == NULL)
		return report_exit(&e, BU_EXIT_INVALID);
	if (argc == 0)
		status = verify_one(w, &o, "-", quiet, 0);
	for (i = 0; i < argc; i++) {
		rc = verify_one(w, &o, argv[i], quiet, argc > 1);

		if (rc > status)
			status = rc;
	}
	walker_free(w);
	rc = close_stdout();
	return rc ? rc : status;
}
