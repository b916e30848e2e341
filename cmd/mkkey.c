/* mkkey: make an Ed25519 key file and print its account */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include <openssl/crypto.h>

#include "cmdutil.h"
#include "keyfile.h"

static void
usage(int status)
{
	fprintf(status ? stderr : stdout, "usage: mkkey [-p] keyfile\n");
	exit(status);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "print", no_argument, NULL, 'p' },
		OPT_COMMON,
		{ NULL, 0, NULL, 0 },
	};
	unsigned char pub[32], sec[32];
	char hex[65];
	struct bu_err e;
	int ch, print = 0;

	cmd_init(argv);
	while ((ch = getopt_long(argc, argv, "ph", longopts, NULL)) != -1) {
		switch (ch) {
		case 'p': print = 1; break;
		case OPT_VERSION: print_version();
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1) {
		if (argc == 0)
			usage_why("no key file given");
		else
			usage_why("one key file, not %d", argc);
		usage(2);
	}
	if (print ? keyfile_read(argv[0], sec, pub, &e) : keyfile_create(argv[0], pub, &e))
		return report_exit(&e, BU_EXIT_INVALID);
	OPENSSL_cleanse(sec, sizeof sec);
	bu_hex(hex, pub, 32);
	printf("%s\n", hex);
	return close_stdout();
}
