/* finalize: sign a block of a permissioned chain final, or join signatures into a final record */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "cmdutil.h"
#include "hash.h"
#include "keyfile.h"
#include "state.h"

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: finalize -k keyfile -c chain height\n"
	    "       finalize -j -c chain [file]\n");
	exit(status);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "chain", required_argument, NULL, 'c' },
		{ "join", no_argument, NULL, 'j' },
		OPT_COMMON,
		{ NULL, 0, NULL, 0 },
	};
	const char *keypath = NULL, *chainpath = NULL;
	unsigned char sec[32], pub[32];
	struct buf out = { 0 };
	struct chain c;
	struct bu_err e;
	uint64_t height;
	int ch, join = 0, rc;

	cmd_init(argv);
	while ((ch = getopt_long(argc, argv, "k:c:jh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'k': keypath = optarg; break;
		case 'c': chainpath = optarg; break;
		case 'j': join = 1; break;
		case OPT_VERSION: print_version();
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	argc -= optind;
	argv += optind;
	if (chainpath == NULL) {
		usage_why("-c chain is required: the chain whose block is final");
		usage(2);
	}
	if (join ? keypath != NULL || argc > 1 : keypath == NULL || argc != 1) {
		usage_why(join ? "-j joins the lines of one file (or standard input), with no key" :
		    keypath == NULL ? "-k keyfile is required: the signer's key" :
		    "one operand: the height of the block to sign final");
		usage(2);
	}
	if (!join)
		opt_u64_or_exit("height", argv[0], 0, UINT32_MAX, &height);
	chain_load_or_exit(&c, chainpath);
	if (join) {
		rc = final_join(&c, argc == 1 ? argv[0] : "-", &out, &e);
	} else {
		rc = keyfile_read(keypath, sec, pub, &e);
		if (rc == 0)
			rc = final_sign(&c, sec, pub, (uint32_t)height, &out, &e);
		mem_wipe(sec, sizeof sec);
	}
	chain_free(&c);
	if (rc != 0) {
		buf_free(&out);
		return report_exit(&e, BU_EXIT_INVALID);
	}
	if (bu_write_all(STDOUT_FILENO, out.p, out.n) != 0)
		fatal(BU_EXIT_SYSTEM, "standard output: write failed");
	buf_free(&out);
	return close_stdout();
}
