/* peer-send: hand blocks and transactions to a node, or ask it for its chain, pool, peers */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdutil.h"
#include "netclient.h"

enum mode { SUBMIT, CHAIN, MEMPOOL, PEERS, PING, INFO };

#define DEFAULT_NODE "127.0.0.1:8433"

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: peer-send [-q] [--json] [-t seconds]\n"
	    "                 [--chain [--since hash] | --info | --mempool | --peers | --ping]\n"
	    "                 [host:port]\n");
	exit(status);
}

static int
run(struct client *cl, enum mode m, const char *since, FILE *out, struct bu_err *e)
{
	switch (m) {
	case CHAIN: return client_chain(cl, since, out, e);
	case INFO: return client_info(cl, out, e);
	case MEMPOOL: return client_mempool(cl, out, e);
	case PEERS: return client_peers(cl, out, e);
	case PING: return client_ping(cl, out, e);
	default: return client_submit(cl, stdin, out, e);
	}
}

/* One request a run: *given is the option that chose *m so far. */
static void
set_mode(enum mode *m, const char **given, enum mode want, const char *opt)
{
	if (*given != NULL && *m != want)
		usage_error("%s and %s exclude each other: one request a run", *given, opt);
	*m = want;
	*given = opt;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "chain", no_argument, NULL, 'C' },
		{ "info", no_argument, NULL, 'I' },
		{ "json", no_argument, NULL, 'J' },
		{ "since", required_argument, NULL, 'S' },
		{ "mempool", no_argument, NULL, 'M' },
		{ "peers", no_argument, NULL, 'P' },
		{ "ping", no_argument, NULL, 'G' },
		{ "timeout", required_argument, NULL, 't' },
		{ "quiet", no_argument, NULL, 'q' },
		OPT_COMMON,
		{ NULL, 0, NULL, 0 },
	};
	enum mode m = SUBMIT;
	const char *given = NULL, *since = NULL, *node = DEFAULT_NODE;
	unsigned char h[32];
	char sincehex[65];
	struct client cl;
	struct bu_err e;
	FILE *out = stdout;
	uint64_t t = 10;
	int ch, rc, json = 0;

	cmd_init(argv);
	while ((ch = getopt_long(argc, argv, "qt:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'C': set_mode(&m, &given, CHAIN, "--chain"); break;
		case 'I': set_mode(&m, &given, INFO, "--info"); break;
		case 'J': json = 1; break;
		case 'S':
			if (strlen(optarg) != 64 || bu_unhex_rev(optarg, 64, h) != 0)
				usage_error("--since '%s': not a block hash (64 hex digits)", optarg);
			bu_hex_rev(sincehex, h);	/* as the wire spells it */
			since = sincehex;
			break;
		case 'M': set_mode(&m, &given, MEMPOOL, "--mempool"); break;
		case 'P': set_mode(&m, &given, PEERS, "--peers"); break;
		case 'G': set_mode(&m, &given, PING, "--ping"); break;
		case 't': opt_u64_or_exit("--timeout", optarg, 1, 3600, &t); break;
		case 'q':
			if ((out = fopen("/dev/null", "w")) == NULL)
				fatal(BU_EXIT_SYSTEM, "/dev/null: cannot open");
			break;
		case OPT_VERSION: print_version();
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	if (argc - optind > 1)
		usage_error("one node address (host:port), not %d", argc - optind);
	if (argc - optind == 1)
		node = argv[optind];
	if (since != NULL && m != CHAIN)
		usage_error("--since goes with --chain");
	if (json && m != SUBMIT && m != INFO)
		usage_error("--json is for verdicts and --info; %s writes records", given);
	signal(SIGPIPE, SIG_IGN);
	if (client_open(&cl, node, (int)t * 1000, &e) != 0) {
		client_close(&cl);
		return report_exit(&e, BU_EXIT_SYSTEM);
	}
	cl.json = json;
	rc = run(&cl, m, since, out, &e);
	client_close(&cl);
	if (rc < 0)
		return report_exit(&e, BU_EXIT_SYSTEM);
	if (out != stdout)
		fclose(out);
	return rc > 0 ? BU_EXIT_INVALID : close_stdout();
}
