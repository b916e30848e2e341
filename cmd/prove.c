/* prove: print the proof that transactions are in a chain, one line each */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmdutil.h"
#include "prove.h"

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: prove [--chain bitcoin | regtest] [--from height] [-d text] [-D hex]\n"
	    "             chain [txid ...]\n"
	    "       prove --txids file [txid ...]\n");
	exit(status);
}

static void
report(const struct bu_err *e)
{
	bu_report(e);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "chain", required_argument, NULL, 'c' },
		{ "from", required_argument, NULL, 'f' },
		{ "data", required_argument, NULL, 'd' },
		{ "digest", required_argument, NULL, 'D' },
		{ "txids", required_argument, NULL, 't' },
		OPT_COMMON,
		{ NULL, 0, NULL, 0 },
	};
	struct chain_opts o = { 0 };
	struct prove_query *q;
	const char *txids = NULL;
	struct bu_err e;
	size_t nq = 0;
	int ch, i, rc;

	cmd_init(argv);
	if ((q = calloc((size_t)argc, sizeof *q)) == NULL)
		fatal(BU_EXIT_SYSTEM, "out of memory");
	while ((ch = getopt_long(argc, argv, "c:f:d:D:t:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': chain_net_or_exit(&o, optarg); break;
		case 'f': chain_from_or_exit(&o, optarg); break;
		case 'd': q[nq++] = (struct prove_query){ PQ_DATA, optarg }; break;
		case 'D': q[nq++] = (struct prove_query){ PQ_DIGEST, optarg }; break;
		case 't': txids = optarg; break;
		case OPT_VERSION: print_version();
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	argc -= optind;
	argv += optind;
	chain_opts_check(&o);
	if (txids != NULL) {
		if (nq > 0 || o.bitcoin || o.sliced)
			usage_error("--txids takes txids only: no chain, --data or --digest");
		rc = prove_txids(txids, argv, (size_t)argc, stdout, &e) == 0 ? 0 :
		    report_exit(&e, BU_EXIT_INVALID);
		free(q);
		return close_stdout() ? BU_EXIT_SYSTEM : rc;
	}
	if (argc < 1) {
		usage_why("no chain file given");
		usage(2);
	}
	for (i = 1; i < argc; i++)
		q[nq++] = (struct prove_query){ PQ_TXID, argv[i] };
	o.now = now_or_exit();
	rc = prove_run(&o, argv[0], q, nq, nq == 0 ? "-" : NULL, stdout, report, &e);
	if (rc < 0)
		rc = report_exit(&e, BU_EXIT_INVALID);
	free(q);
	return close_stdout() ? BU_EXIT_SYSTEM : rc;
}
