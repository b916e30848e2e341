/* cmdutil.h: what every command does the same way: usage errors, exits, stdout */
#ifndef CMDUTIL_H
#define CMDUTIL_H

#include <stdint.h>

#include "bu.h"

struct chain;
struct chain_opts;

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
/* Flush and close standard output: 0, or 3 with a message. */
int close_stdout(void);

#endif
