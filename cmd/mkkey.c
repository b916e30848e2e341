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
	unsigned char pub[32], sec[32];
	char hex[65];
	struct bu_err e;
	int ch, print = 0;

	bu_setprogname(argv[0]);
	while ((ch = getopt(argc, argv, "ph")) != -1) {
		switch (ch) {
		case 'p': print = 1; break;
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		usage(2);
	if (print ? keyfile_read(argv[0], sec, pub, &e) : keyfile_create(argv[0], pub, &e))
		return report_exit(&e, BU_EXIT_INVALID);
	OPENSSL_cleanse(sec, sizeof sec);
	bu_hex(hex, pub, 32);
	printf("%s\n", hex);
	return close_stdout();
}
