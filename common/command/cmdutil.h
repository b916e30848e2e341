/* cmdutil.h: what every command does the same way: usage errors, exits, stdout */
#ifndef CMDUTIL_H
#define CMDUTIL_H

#include <stdint.h>

#include "bu.h"

#define BU_VERSION "0.1"

/* The getopt_long value of --version in every tool (none takes it as a letter). */
enum { OPT_VERSION = 0x7f00 };
#define OPT_COMMON { "help", no_argument, NULL, 'h' }, { "version", no_argument, NULL, OPT_VERSION }

struct chain;
struct chain_opts;

/*
 * The tool's short name for messages, also in argv[0], so getopt's own
 * complaints ("unrecognized option") name the tool, not its path.
 */
void cmd_init(char *argv[]);
/* "NAME (blockutils) VERSION" on standard output, exit 0. */
void print_version(void) __attribute__((noreturn));
/* "prog: what was wrong" before a usage(2): a usage error says why. */
void usage_why(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void opt_u64_or_exit(const char *name, const char *s, uint64_t min, uint64_t max,
    uint64_t *out);
int64_t now_or_exit(void);
/* --chain NAME: the built-in Bitcoin network of that name, or a usage error. */
void chain_net_or_exit(struct chain_opts *o, const char *name);
/* --from HEIGHT: a slice of a Bitcoin network's chain, or a usage error. */
void chain_from_or_exit(struct chain_opts *o, const char *height);
/* After the options: --from needs --chain. */
void chain_opts_check(const struct chain_opts *o);
/* Report e; its exit status, with BU_EXIT_NOTTIP mapped to nottip. */
int report_exit(const struct bu_err *e, int nottip);
void fatal(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
void print_summary(const struct chain *c);
/* Load the chain file at path into c (clock from BLOCKUTILS_NOW), or exit: an empty file is invalid. */
void chain_load_or_exit(struct chain *c, const char *path);
/* Flush and close standard output: 0, or 3 with a message. */
int close_stdout(void);

#endif
