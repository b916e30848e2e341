/* peer-listen: the node: keeps a chain directory in step with its peers */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmdutil.h"
#include "net.h"
#include "node.h"

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: peer-listen [-qv] [-j threads] [-l address] [-p port] [--port-file file]\n"
	    "                   [--connect host:port] [--addnode host:port] [--seed name]\n"
	    "                   [--max-in n] [--max-out n] [--hello-timeout seconds]\n"
	    "                   [--bantime seconds] dir\n");
	exit(status);
}

static void
push(const char **list, size_t *n, const char *v, const char *opt)
{
	if (*n == NODE_MAXLIST)
		usage_error("too many %s options (at most %d)", opt, NODE_MAXLIST);
	list[(*n)++] = v;
}

/* -l takes a host alone: the port is -p's, the same for every listening address. */
static const char *
listen_arg(const char *v)
{
	const char *c = strchr(v, ':');

	if (v[0] == '[' || (c != NULL && strchr(c + 1, ':') == NULL))
		usage_error("-l '%s': give the address alone (127.0.0.1, ::1); the port is -p's",
		    v);
	return v;
}

/* A peer's address is checked now, not dialled (and written to the peers file) broken. */
static const char *
peer_arg(const char *v, const char *opt)
{
	char host[256], port[8];
	struct bu_err e;

	if (net_split(v, NULL, host, sizeof host, port, sizeof port, &e) != 0)
		usage_error("%s %s", opt, e.msg);
	return v;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "port", required_argument, NULL, 'p' },
		{ "port-file", required_argument, NULL, 'P' },
		{ "connect", required_argument, NULL, 'c' },
		{ "addnode", required_argument, NULL, 'a' },
		{ "seed", required_argument, NULL, 's' },
		{ "max-in", required_argument, NULL, 'I' },
		{ "max-out", required_argument, NULL, 'O' },
		{ "hello-timeout", required_argument, NULL, 'T' },
		{ "bantime", required_argument, NULL, 'B' },
		{ "threads", required_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		OPT_COMMON,
		{ NULL, 0, NULL, 0 },
	};
	struct node_opts o = { .port = NODE_DEFAULT_PORT, .max_in = 32, .max_out = 8,
	    .hello_timeout = 10, .bantime = 86400 };
	struct node *n;
	struct sigaction sa;
	struct bu_err e;
	uint64_t v;
	int ch, rc;

	cmd_init(argv);
	while ((ch = getopt_long(argc, argv, "j:l:p:qvh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'j': opt_u64_or_exit("-j", optarg, 1, 256, &v); o.threads = (unsigned)v; break;
		case 'l': push(o.listen, &o.nlisten, listen_arg(optarg), "--listen"); break;
		case 'p':
			opt_u64_or_exit("--port", optarg, 0, 65535, &v);
			o.port = optarg;
			break;
		case 'P': o.portfile = optarg; break;
		case 'c': push(o.connect, &o.nconnect, peer_arg(optarg, "--connect"), "--connect"); break;
		case 'a': push(o.addnode, &o.naddnode, peer_arg(optarg, "--addnode"), "--addnode"); break;
		case 's': push(o.seed, &o.nseed, optarg, "--seed"); break;
		case 'I': opt_u64_or_exit("--max-in", optarg, 0, NODE_MAXIN, &v); o.max_in = (unsigned)v; break;
		case 'O': opt_u64_or_exit("--max-out", optarg, 0, NODE_MAXOUT, &v); o.max_out = (unsigned)v; break;
		case 'T': opt_u64_or_exit("--hello-timeout", optarg, 1, 3600, &v); o.hello_timeout = (unsigned)v; break;
		case 'B': opt_u64_or_exit("--bantime", optarg, 1, UINT32_MAX, &v); o.bantime = (int64_t)v; break;
		case 'q': o.verbosity = -1; break;
		case 'v': o.verbosity = 1; break;
		case OPT_VERSION: print_version();
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	if (argc - optind != 1) {
		if (argc == optind)
			usage_why("no data directory given");
		else
			usage_why("one data directory, not %d", argc - optind);
		usage(2);
	}
	o.dir = argv[optind];
	if (o.threads == 0)	/* a helper beside the loop when there is a second CPU */
		o.threads = sysconf(_SC_NPROCESSORS_ONLN) > 1 ? 2 : 1;
	now_or_exit();
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (node_open(&n, &o, &e) != 0) {
		node_close(n);
		return report_exit(&e, BU_EXIT_INVALID);
	}
	rc = node_run(n, &stop, &e);
	node_close(n);
	if (rc != 0)
		return report_exit(&e, BU_EXIT_SYSTEM);
	return 0;
}
