/* verify-proof: check proof lines against a header file or a chain */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmdutil.h"
#include "proofcheck.h"
#include "record.h"

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: verify-proof [-q] [--json] [--chain bitcoin | regtest] [--from height]\n"
	    "                    headers [file ...]\n");
	exit(status);
}

struct out {
	int quiet, json;
};

static void
put_json(const struct proof_result *r)
{
	struct buf b = { 0 };

	proof_result_json(&b, r);
	if (b.oom)
		fatal(BU_EXIT_SYSTEM, "out of memory");
	fwrite(b.p, 1, b.n, stdout);
	buf_free(&b);
}

static void
each(void *arg, const struct proof_result *r)
{
	const struct out *o = arg;

	if (!r->ok)
		bu_report(&r->err);
	if (o->json && (!r->ok || !o->quiet))
		put_json(r);
	else if (r->ok && !o->quiet)
		proof_result_format(stdout, r);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "chain", required_argument, NULL, 'c' },
		{ "from", required_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "json", no_argument, NULL, 'J' },
		OPT_COMMON,
		{ NULL, 0, NULL, 0 },
	};
	static char *stdin_only[] = { "-" };
	struct chain_opts o = { 0 };
	struct bu_err e;
	struct out out = { 0, 0 };
	int ch, rc;
	long bad;

	cmd_init(argv);
	while ((ch = getopt_long(argc, argv, "c:f:qh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': chain_net_or_exit(&o, optarg); break;
		case 'f': chain_from_or_exit(&o, optarg); break;
		case 'q': out.quiet = 1; break;
		case 'J': out.json = 1; break;
		case OPT_VERSION: print_version();
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	argc -= optind;
	argv += optind;
	chain_opts_check(&o);
	if (argc < 1) {
		usage_why("no header file given");
		usage(2);
	}
	o.now = now_or_exit();
	bad = argc > 1 ? proofcheck_run(&o, argv[0], argv + 1, (size_t)argc - 1, each, &out, &e) :
	    proofcheck_run(&o, argv[0], stdin_only, 1, each, &out, &e);
	rc = bad < 0 ? report_exit(&e, BU_EXIT_INVALID) : bad > 0 ? BU_EXIT_INVALID : 0;
	return close_stdout() ? BU_EXIT_SYSTEM : rc;
}
