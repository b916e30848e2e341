/* verify: check a whole chain file against the rules and print a summary */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "chainfile.h"
#include "cmdutil.h"
#include "grind.h"
#include "json.h"
#include "walk.h"

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: verify [-Hq] [-j threads] [--json] [--chain bitcoin | regtest]\n"
	    "              [--from height] [file ...]\n");
	exit(status);
}

static void
emit_json(struct buf *out)
{
	if (out->oom)
		fatal(BU_EXIT_SYSTEM, "out of memory");
	fwrite(out->p, 1, out->n, stdout);
	buf_free(out);
}

/* --json: the summary as one object. */
static void
json_summary(const char *path, const struct chain *c)
{
	struct buf out = { 0 };
	struct json j;
	char work[65];

	json_start(&j, &out);
	json_cstr(&j, "file", path);
	json_bool(&j, "ok", 1);
	json_num(&j, "height", c->height);
	json_hash(&j, "hash", c->tip);
	u256_hex(work, &c->work);
	json_cstr(&j, "work", work);
	json_num(&j, "txs", c->ntx);
	if (chain_permissioned(c) && !c->o.headers_only) {
		uint32_t f = 0;

		chain_final_height(c, &f);
		json_num(&j, "final", f);
	}
	json_cstr(&j, "chain", c->idhex);
	json_finish(&j);
	emit_json(&out);
}

/* --json: a failure as one object, besides its message on standard error. */
static void
json_failure(const char *path, const struct bu_err *e)
{
	struct buf out = { 0 };
	struct json j;

	json_start(&j, &out);
	json_cstr(&j, "file", path);
	json_bool(&j, "ok", 0);
	if (e->line > 0)
		json_num(&j, "line", e->line);
	else
		json_null(&j, "line");
	if (e->height >= 0)
		json_int(&j, "height", e->height);
	else
		json_null(&j, "height");
	json_cstr(&j, "reason", e->reason);
	json_cstr(&j, "message", e->msg);
	json_finish(&j);
	emit_json(&out);
}

static void
summary(const char *path, const struct chain *c, int named, int json)
{
	if (json) {
		json_summary(path, c);
		return;
	}
	if (named)
		printf("%s: ", path);
	print_summary(c);
}

static int
failure(const char *path, const struct bu_err *e, int json)
{
	if (json)
		json_failure(path, e);
	return report_exit(e, BU_EXIT_INVALID);
}

/* Each file is a chain of its own; the status is the worst of them. */
static int
verify_one(struct walker *w, const struct chain_opts *o, const char *path, int quiet,
    int named, int json)
{
	struct chain c;
	struct bu_err e;
	int rc = 0;

	chain_init(&c, o);
	if (walker_run(w, &c, path, &e) != 0) {
		rc = failure(path, &e, json);
	} else if (c.empty) {
		bu_fail(&e, BU_EXIT_INVALID, "no-blocks", "no blocks");
		e.file = path;
		rc = failure(path, &e, json);
	} else if (!quiet) {
		summary(path, &c, named, json);
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
		{ "json", no_argument, NULL, 'J' },
		OPT_COMMON,
		{ NULL, 0, NULL, 0 },
	};
	struct chain_opts o = { 0 };
	const struct grind_kernel *k;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	uint64_t threads = ncpu > 0 ? (uint64_t)ncpu : 1;
	struct walker *w;
	struct bu_err e;
	int ch, i, rc, quiet = 0, json = 0, status = 0;

	cmd_init(argv);
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
		case 'J':
			json = 1;
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
	if ((k = grind_best()) == NULL)
		usage_error("BLOCKUTILS_KERNEL: '%s' is unknown or this CPU cannot run it",
		    getenv("BLOCKUTILS_KERNEL"));
	if ((w = walker_new((unsigned)threads, k, &e)) == NULL)
		return report_exit(&e, BU_EXIT_INVALID);
	if (argc == 0)
		status = verify_one(w, &o, "-", quiet, 0, json);
	for (i = 0; i < argc; i++) {
		rc = verify_one(w, &o, argv[i], quiet, argc > 1, json);

		if (rc > status)
			status = rc;
	}
	walker_free(w);
	rc = close_stdout();
	return rc ? rc : status;
}
