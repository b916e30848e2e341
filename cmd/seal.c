/* seal: a signer's seal on the next block of a permissioned chain (SPEC section 7) */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "cmdutil.h"
#include "hash.h"
#include "keyfile.h"
#include "lines.h"
#include "state.h"

static void
usage(int status)
{
	fprintf(status ? stderr : stdout, "usage: seal -k keyfile -c chain [file]\n");
	exit(status);
}

/* The one block line of path, into line. */
static void
read_block(const char *path, size_t limit, struct buf *line)
{
	struct lines r;
	const char *p;
	size_t len;
	struct bu_err e;
	int got;

	if (lines_open(&r, path, limit, &e) != 0)
		exit(report_exit(&e, BU_EXIT_INVALID));
	if ((got = lines_next(&r, &p, &len, &e)) > 0)
		buf_add(line, p, len);
	if (got > 0 && (got = lines_next(&r, &p, &len, &e)) > 0)
		fatal(BU_EXIT_USAGE, "%s: one block line to seal, not more", r.name);
	if (got < 0) {
		e.file = r.name;
		e.line = r.lineno;
		exit(report_exit(&e, BU_EXIT_INVALID));
	}
	if (line->n == 0)
		fatal(BU_EXIT_INVALID, "%s: no block line to seal", r.name);
	lines_close(&r);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "chain", required_argument, NULL, 'c' },
		OPT_COMMON,
		{ NULL, 0, NULL, 0 },
	};
	const char *keypath = NULL, *chainpath = NULL, *path = "-";
	unsigned char sec[32], pub[32];
	struct buf line = { 0 }, out = { 0 };
	struct chain c;
	struct bu_err e;
	int ch, rc;

	cmd_init(argv);
	while ((ch = getopt_long(argc, argv, "k:c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'k': keypath = optarg; break;
		case 'c': chainpath = optarg; break;
		case OPT_VERSION: print_version();
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	if (keypath == NULL || chainpath == NULL) {
		usage_why(keypath == NULL ? "-k keyfile is required: the signer's key" :
		    "-c chain is required: the chain the block extends");
		usage(2);
	}
	if (argc - optind > 1) {
		usage_why("one input file, not %d", argc - optind);
		usage(2);
	}
	if (argc - optind == 1)
		path = argv[optind];
	chain_load_or_exit(&c, chainpath);
	if (!chain_permissioned(&c))
		fatal(BU_EXIT_INVALID, "bad-seal: '%s' lists no signers: its blocks are not sealed",
		    chainpath);
	read_block(path, c.p.maxblock, &line);
	rc = keyfile_read(keypath, sec, pub, &e);
	if (rc == 0)
		rc = build_seal(&c, sec, pub, line.p, line.n, &out, &e);
	mem_wipe(sec, sizeof sec);
	chain_free(&c);
	if (rc != 0) {
		buf_free(&out);
		buf_free(&line);
		return report_exit(&e, BU_EXIT_INVALID);
	}
	if (bu_write_all(STDOUT_FILENO, out.p, out.n) != 0)
		fatal(BU_EXIT_SYSTEM, "standard output: write failed");
	buf_free(&out);
	buf_free(&line);
	return close_stdout();
}
