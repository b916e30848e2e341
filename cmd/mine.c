/* mine: find nonces for block lines or raw 160-hex headers, on every core */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmdutil.h"
#include "lines.h"
#include "mine.h"

static volatile sig_atomic_t interrupted;

static void
on_interrupt(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* Ctrl-C: the workers stop, the progress line ends, and the signal kills us as it would have. */
static void
catch_interrupt(struct mine_opts *o)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_interrupt;
	sigaction(SIGINT, &sa, NULL);
	o->interrupt = &interrupted;
}

static void
die_interrupted(void)
{
	fflush(stdout);
	signal(SIGINT, SIG_DFL);
	raise(SIGINT);
	exit(BU_EXIT_GAVEUP);
}

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: mine [-qv] [-j threads] [--start n] [--stride n] [--max-seconds s]\n"
	    "            [--kernel name] [file]\n");
	exit(status);
}

static int
mine_lines(const struct mine_opts *o, const char *path, int verbose)
{
	struct lines r;
	struct block b;
	struct bu_err e;
	const char *line;
	size_t len;
	int got, rc = 0;

	if (lines_open(&r, path, MAXBLOCK_LIMIT, &e) != 0)
		return report_exit(&e, BU_EXIT_INVALID);
	r.torn_ok = 1;	/* a header typed or echoed in; chain files are chain-append's */
	block_init(&b);
	while ((got = lines_next(&r, &line, &len, &e)) > 0) {
		struct mine_stats st = { 0, 0, 0 };
		struct buf out = { 0 };

		if (block_parse(&b, line, len, 1, &e) != 0)
			break;
		rc = mine_block(o, &b, &out, &st, &e);
		if (st.shown)
			fputc('\n', stderr);
		if (rc != 0) {
			buf_free(&out);
			if (interrupted)
				die_interrupted();
			break;
		}
		if (verbose)
			fprintf(stderr, "mine: %s:%llu: %llu hashes in %.2f s, %.2f MH/s\n",
			    r.name, (unsigned long long)r.lineno,
			    (unsigned long long)st.hashes, st.seconds,
			    st.seconds > 0 ? st.hashes / st.seconds / 1e6 : 0.0);
		if (fwrite(out.p, 1, out.n, stdout) != out.n || fflush(stdout) != 0)
			fatal(BU_EXIT_SYSTEM, "standard output: write failed");
		buf_free(&out);
	}
	if (got != 0) {
		if (e.code != BU_EXIT_SYSTEM) {
			e.file = r.name;
			e.line = r.lineno;
		}
		rc = report_exit(&e, BU_EXIT_INVALID);
	}
	block_free(&b);
	lines_close(&r);
	return rc;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "threads", required_argument, NULL, 'j' },
		{ "start", required_argument, NULL, 's' },
		{ "stride", required_argument, NULL, 'S' },
		{ "max-seconds", required_argument, NULL, 'm' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		OPT_COMMON,
		{ NULL, 0, NULL, 0 },
	};
	struct mine_opts o = { .stride = 1 };
	const char *kname = NULL;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int ch, quiet = 0, verbose = 0, rc;
	uint64_t v;

	cmd_init(argv);
	o.threads = ncpu > 0 ? (unsigned)ncpu : 1;
	while ((ch = getopt_long(argc, argv, "j:qvh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			opt_u64_or_exit("-j", optarg, 1, 256, &v);
			o.threads = (unsigned)v;
			break;
		case 's':
			opt_u64_or_exit("--start", optarg, 0, UINT32_MAX, &v);
			o.start = (uint32_t)v;
			break;
		case 'S':
			opt_u64_or_exit("--stride", optarg, 1, UINT32_MAX, &v);
			o.stride = (uint32_t)v;
			break;
		case 'm':
			opt_u64_or_exit("--max-seconds", optarg, 1, 1u << 30, &v);
			o.max_seconds = (double)v;
			break;
		case 'k': kname = optarg; break;
		case 'q': quiet = 1; break;
		case 'v': verbose = 1; break;
		case OPT_VERSION: print_version();
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1) {
		usage_why("one input file, not %d", argc);
		usage(2);
	}
	if (kname != NULL) {
		o.kernel = grind_find(kname);
		if (o.kernel == NULL || !o.kernel->supported())
			usage_error("--kernel: '%s' is unknown or this CPU cannot run it", kname);
	} else if ((o.kernel = grind_best()) == NULL) {
		usage_error("BLOCKUTILS_KERNEL: '%s' is unknown or this CPU cannot run it",
		    getenv("BLOCKUTILS_KERNEL"));
	}
	o.progress = !quiet && isatty(STDERR_FILENO);
	catch_interrupt(&o);
	rc = mine_lines(&o, argc ? argv[0] : "-", verbose);
	if (close_stdout() != 0 && rc == 0)
		rc = BU_EXIT_SYSTEM;
	return rc;
}
